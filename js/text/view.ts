/**
 * TextAnnotator view: wires the document state, the virtualized viewport, the toolbar, pointer
 * selection and keys to the shared record editor. Every gesture runs in the browser: the span
 * is drawn synchronously on mouse-up, then crosses to the kernel once, as a change.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import { el, messageBar } from "../lib/dom";
import { digitIndex, installKeyScope, isRedo, isUndo } from "../lib/keys";
import { origin, rootOf, selectionFor } from "../lib/shadow";
import { editorFor, newId } from "../lib/sync";
import type { Change, Span } from "../types";
import { blockIndexAt } from "./layout";
import { renderBlock } from "./render";
import { extendRange, offsetAtPoint, rangeToSpan, selectionOffsets, type Picked } from "./selection";
import { type Shown, compareShown, coveringAt, cycle, overlapping } from "./spans";
import { type SnapMode, TextState, itemKey } from "./state";
import { acceptAllChanges, acceptChanges, rejectChanges } from "./suggestions";
import { createToolbar } from "./toolbar";
import { Viewport } from "./viewport";

export interface TextModel {
  text: string;
  labels: string[];
  spans: Span[];
  suggestions: Span[];
  label: string;
  snap_mode: SnapMode;
  token_offsets: DataView;
  error: string;
  [key: string]: unknown;
}

const MAX_PROBLEMS_SHOWN = 3;

export function renderText({ model, el: host }: RenderProps<TextModel>): () => void {
  // Marks read by benchmarks/text_widget.py (render start, first blocks drawn, first frame).
  performance.mark("nbannotate.text.render");
  const editor = editorFor(model as unknown as AnyModel, ["spans", "suggestions"]);
  const spans = editor.list<Span>("spans");
  const suggestions = editor.list<Span>("suggestions");
  const state = new TextState();
  let selected: string | null = null;
  let kernelError: string | null = null;

  const root = el("div", { className: "nba-root nba-text", attrs: { tabindex: "0" } });
  const toolbar = createToolbar({
    chooseLabel: (i) => chooseLabel(i),
    undo: () => editor.undo(),
    redo: () => editor.redo(),
    acceptAll: () => editor.commit(acceptAllChanges(suggestions.items, spans.items)),
    rejectAll: () => editor.commit(suggestions.items.map((s) => rejectChanges(s)).flat()),
    accept: () => withSelected("suggestion", (item) => accept(item)),
    reject: () => withSelected("suggestion", (item) => reject(item)),
    remove: () => withSelected("span", (item) => remove(item)),
  });
  const scroll = el("div", { className: "nba-text-scroll" });
  const inner = el("div", { className: "nba-text-inner" });
  scroll.append(inner);
  root.append(toolbar.element, toolbar.selection, scroll);
  host.append(root);
  const messages = messageBar(root);
  const labels = () => model.get("labels") ?? [];

  // -- drawing ---------------------------------------------------------------------------
  const viewport = new Viewport(scroll, inner, (index) => {
    const block = state.blocks[index] ?? { start: 0, end: 0, continued: false };
    const items = block.end > block.start ? overlapping(state.items.values(), block.start, block.end) : [];
    return renderBlock(index, block, state.text, items, { labels: labels(), selected: state.get(selected) });
  });

  /** Redraw the rendered blocks that overlap any of the UTF-16 `ranges`. */
  function redrawRanges(ranges: readonly [number, number][]): void {
    const indices: number[] = [];
    for (const index of viewport.renderedIndices()) {
      const block = state.blocks[index];
      if (!block) continue;
      if (ranges.some(([s, e]) => s < Math.max(block.end, block.start + 1) && e > block.start)) indices.push(index);
    }
    viewport.redraw(indices);
  }

  function rangeOf(item: Shown | undefined): [number, number][] {
    return item ? [[item.s16, item.e16]] : [];
  }

  function showMessages(): void {
    const parts: string[] = [];
    const error = model.get("error");
    if (error) parts.push(error);
    if (kernelError) parts.push(kernelError);
    if (state.problems.length > 0) {
      const shown = state.problems.slice(0, MAX_PROBLEMS_SHOWN).join("; ");
      const more = state.problems.length > MAX_PROBLEMS_SHOWN ? `; and ${state.problems.length - MAX_PROBLEMS_SHOWN} more` : "";
      parts.push(`${state.problems.length} record(s) cannot be shown as given: ${shown}${more}`);
    }
    if (parts.length > 0) messages.show(parts.join(" — "));
    else messages.clear();
  }

  function refreshToolbar(): void {
    toolbar.setSuggestionCount(suggestions.items.length);
    toolbar.setSelected(state.get(selected), labels());
  }

  // -- loading ---------------------------------------------------------------------------
  const pending = { document: false, records: false };
  let flushQueued = false;
  function schedule(what: "document" | "records"): void {
    pending[what] = true;
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(flush);
  }
  function flush(): void {
    flushQueued = false;
    if (pending.document) {
      state.setDocument(model.get("text"), model.get("snap_mode"), model.get("token_offsets"));
      loadRecords();
      viewport.reset(state.blocks);
    } else if (pending.records) {
      loadRecords();
      viewport.redraw(viewport.renderedIndices());
    }
    pending.document = pending.records = false;
  }
  function loadRecords(): void {
    state.load(spans.items, suggestions.items, labels());
    if (selected && !state.get(selected)) selected = null;
    refreshToolbar();
    showMessages();
  }

  // -- editing ---------------------------------------------------------------------------
  function select(key: string | null, reveal = false): void {
    const before = state.get(selected);
    selected = key;
    const now = state.get(key);
    redrawRanges([...rangeOf(before), ...rangeOf(now)]);
    toolbar.setSelected(now, labels());
    if (reveal && now) revealItem(now);
  }

  function revealItem(item: Shown): void {
    viewport.reveal(blockIndexAt(state.blocks, item.s16));
    const node = inner.querySelector(`.nba-seg[data-o="${item.s16}"]`);
    if (node instanceof HTMLElement) node.scrollIntoView({ block: "nearest" });
  }

  function withSelected(kind: Shown["kind"], action: (item: Shown) => void): void {
    const item = state.get(selected);
    if (item && item.kind === kind) action(item);
  }

  function addSpan(picked: Picked): void {
    const label = model.get("label");
    const same = state.findSame("span", picked.s16, picked.e16, label);
    if (same) {
      select(itemKey("span", same.id));
      return;
    }
    const record: Span = { id: newId(), start: picked.start, end: picked.end, text: picked.text, label, source: "human" };
    const before = state.get(selected);
    selected = itemKey("span", record.id);
    editor.commit([{ field: "spans", op: "add", record }]);
    redrawRanges(rangeOf(before));
    refreshToolbar();
  }

  function update(_item: Shown, record: Span): void {
    editor.commit([{ field: "spans", op: "update", record }]);
    refreshToolbar();
  }

  function remove(item: Shown): void {
    selected = null;
    editor.commit([{ field: "spans", op: "remove", record: item.record } as Change]);
    refreshToolbar();
  }

  /** The suggestion after `item` in document order (wrapping), to review next. */
  function nextSuggestion(item: Shown): string | null {
    const rest = [...state.items.values()].filter((it) => it.kind === "suggestion" && it.id !== item.id).sort(compareShown);
    const next = rest.find((it) => compareShown(it, item) > 0) ?? rest[0];
    return next ? itemKey("suggestion", next.id) : null;
  }

  function accept(item: Shown, label?: string): void {
    const next = nextSuggestion(item);
    const same = state.findSame("span", item.s16, item.e16, label ?? item.label);
    selected = null;
    editor.commit(same ? rejectChanges(item.record) : acceptChanges(item.record, label));
    select(next, true);
    refreshToolbar();
  }

  function reject(item: Shown): void {
    const next = nextSuggestion(item);
    selected = null;
    editor.commit(rejectChanges(item.record));
    select(next, true);
    refreshToolbar();
  }

  function chooseLabel(index: number): void {
    const name = labels()[index];
    if (name === undefined) return;
    const item = state.get(selected);
    if (item?.kind === "span") {
      if (item.label !== name) update(item, { ...item.record, label: name, source: "human" });
    } else if (item?.kind === "suggestion") {
      accept(item, name);
    } else {
      model.set("label", name);
      model.save_changes();
      toolbar.setLabels(labels(), name);
    }
  }

  const offList = editor.onList((event) => {
    if (event.reason === "load") {
      schedule("records");
      return;
    }
    const dirty = state.apply(event.changes);
    if (selected && !state.get(selected)) selected = null;
    redrawRanges(dirty);
    refreshToolbar();
  });
  const offStatus = editor.onStatus(({ pending: count, error }) => {
    toolbar.setStatus(count > 0 ? `saving ${count}…` : "saved");
    if (error !== kernelError) {
      kernelError = error;
      showMessages();
    }
  });

  // -- pointer ---------------------------------------------------------------------------
  let gesture = false;
  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    const target = event.target as Element;
    const chip = target.closest(".nba-chip");
    if (chip) {
      event.preventDefault(); // a chip starts no text selection
      const kind = chip.getAttribute("data-kind") === "suggestion" ? "suggestion" : "span";
      const key = itemKey(kind, chip.getAttribute("data-id") ?? "");
      const action = target.closest("[data-action]")?.getAttribute("data-action");
      const item = state.get(key);
      if (!item) return;
      if (action === "accept") accept(item);
      else if (action === "reject") reject(item);
      else select(key);
      root.focus({ preventScroll: true });
      return;
    }
    const current = state.get(selected);
    if (event.shiftKey && current?.kind === "span") {
      // Shift+click extends the selected span to the clicked position.
      event.preventDefault();
      const point = offsetAtPoint(event.clientX, event.clientY, rootOf(root));
      const picked = point === null ? null
        : extendRange(state.text, state.map, state.tokens, current.s16, current.e16, point);
      if (picked) update(current, { ...current.record, start: picked.start, end: picked.end, text: picked.text, source: "human" });
      return;
    }
    const block = target.closest(".nba-text-block");
    if (block) viewport.pin(Number(block.getAttribute("data-index")));
    gesture = true;
  };

  const onPointerUp = (event: PointerEvent) => {
    if (!gesture) return;
    gesture = false;
    try {
      release(event);
    } finally {
      viewport.unpinAll();
      requestAnimationFrame(() => viewport.update());
    }
  };

  function release(event: PointerEvent): void {
    const selection = selectionFor(rootOf(root));
    const range = selectionOffsets(selection, rootOf(root));
    const current = state.get(selected);
    if (range && range[1] > range[0]) {
      const picked = rangeToSpan(state.text, state.map, state.tokens, range[0], range[1]);
      selection?.removeAllRanges();
      if (picked) addSpan(picked);
      return;
    }
    // A click: select the innermost span under the pointer; clicking again cycles outward.
    // A window listener sees the shadow host as the target; the event's origin is the element.
    const segment = (origin(event) as Element | null)?.closest?.(".nba-seg");
    const at = segment ? Number(segment.getAttribute("data-o")) : null;
    const under = at === null ? [] : coveringAt(state.items.values(), at);
    if (under.length === 0) {
      if (selected) select(null);
      return;
    }
    const index = current ? under.findIndex((it) => it === current) : -1;
    const next = under[(index + 1) % under.length] as Shown;
    select(itemKey(next.kind, next.id));
  }

  let scrollFrame = 0;
  const onScroll = () => {
    if (scrollFrame) return;
    scrollFrame = requestAnimationFrame(() => {
      scrollFrame = 0;
      viewport.update();
    });
  };
  scroll.addEventListener("pointerdown", onPointerDown);
  // JupyterLab activates the cell and starts its own drag-selection on a press in an output;
  // a press in the text is ours (selecting text), so it stops here.
  const keepPress = (event: Event) => event.stopPropagation();
  scroll.addEventListener("mousedown", keepPress);
  window.addEventListener("pointerup", onPointerUp);
  scroll.addEventListener("scroll", onScroll, { passive: true });

  // -- keys ------------------------------------------------------------------------------
  const removeKeys = installKeyScope(root, (event) => {
    if (isUndo(event)) return editor.undo() || true;
    if (isRedo(event)) return editor.redo() || true;
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const item = state.get(selected);
    switch (event.key) {
      case "Escape":
        select(null);
        return true;
      case "Tab": {
        const next = cycle(state.items.values(), item, event.shiftKey ? -1 : 1);
        if (next) select(itemKey(next.kind, next.id), true);
        return true;
      }
      case "Delete":
      case "Backspace":
        if (item?.kind === "span") remove(item);
        else if (item?.kind === "suggestion") reject(item);
        return item !== undefined;
      case "Enter":
        if (event.shiftKey) return false;
        if (item?.kind === "suggestion") accept(item);
        return item !== undefined;
      default: {
        const digit = digitIndex(event);
        if (digit === null) return false;
        chooseLabel(digit);
        return true;
      }
    }
  });

  // -- model wiring ----------------------------------------------------------------------
  const onDocument = () => schedule("document");
  const onLabels = () => {
    toolbar.setLabels(labels(), model.get("label"));
    schedule("records");
  };
  const onLabel = () => toolbar.setLabels(labels(), model.get("label"));
  model.on("change:text", onDocument);
  model.on("change:snap_mode", onDocument);
  model.on("change:token_offsets", onDocument);
  model.on("change:labels", onLabels);
  model.on("change:label", onLabel);
  model.on("change:error", showMessages);

  toolbar.setLabels(labels(), model.get("label"));
  toolbar.setStatus("saved");
  state.setDocument(model.get("text"), model.get("snap_mode"), model.get("token_offsets"));
  loadRecords();
  viewport.reset(state.blocks);
  performance.mark("nbannotate.text.drawn");
  requestAnimationFrame(() => performance.mark("nbannotate.text.frame"));

  return () => {
    viewport.disconnect();
    removeKeys();
    offList();
    offStatus();
    if (scrollFrame) cancelAnimationFrame(scrollFrame);
    window.removeEventListener("pointerup", onPointerUp);
    scroll.removeEventListener("mousedown", keepPress);
    model.off("change:text", onDocument);
    model.off("change:snap_mode", onDocument);
    model.off("change:token_offsets", onDocument);
    model.off("change:labels", onLabels);
    model.off("change:label", onLabel);
    model.off("change:error", showMessages);
  };
}
