/**
 * One view of an ImageAnnotator: wires the record lists (lib/sync), the scene, the gestures,
 * the three canvases and the toolbar. Every gesture runs here at frame rate; a finished one
 * is committed once (applied locally, remembered for undo, sent to the kernel as a change).
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import type { Box, Change, Keypoint } from "../types";
import { type View, containsPoint, toImage } from "../lib/geometry";
import { labelColor } from "../lib/colors";
import { el, messageBar } from "../lib/dom";
import { installKeyScope } from "../lib/keys";
import { type Editor, editorFor, newId } from "../lib/sync";
import { cycle, deleteChanges } from "./actions";
import { type Gesture, type Target, type Tool, begin, edit, finish, hitTest, shownState, update } from "./gestures";
import { toggledVisibility } from "./keypoints";
import { Labels } from "./labels";
import { ImageFeed } from "./loader";
import type { ImageModel } from "./model";
import { type Field, type Ref, type Suggestion, isBox, listProblems, sameRef } from "./records";
import { type Frame, drawActive, drawAddedBoxes, drawImage, drawMarks } from "./render";
import { type FrameData, Stage } from "./stage";
import { Scene } from "./scene";
import { Segmentation } from "./segmentation";
import { type Action, actionFor } from "./shortcuts";
import { acceptAllChanges, acceptChanges, rejectChanges } from "./suggestions";
import { Toolbar } from "./toolbar";
import { ImageTranscriber } from "./transcribe";
import { chooseSource, keepVisible, pan, visibleRect } from "./view";

const FIELDS: readonly Field[] = ["boxes", "keypoints", "suggestions"];

export class ImageView {
  readonly root = el("div", { className: "nba-root nba-image", attrs: { tabindex: "0" } });
  private readonly stage: Stage;
  private readonly toolbar: Toolbar;
  private readonly messages: ReturnType<typeof messageBar>;
  private readonly editor: Editor;
  private readonly scene: Scene;
  private readonly feed: ImageFeed;
  private firstPaintDone = false;

  private selection: Ref | null = null;
  private gesture: Gesture | null = null;
  private readonly hidden = new Set<string>();
  private hover: Ref | null = null;
  private spaceHeld = false;
  private readonly labels: Labels;
  private readonly transcriber: ImageTranscriber;
  /** Polygons, brush, eraser, mask suggestions and the uncertainty overlay. */
  private readonly seg: Segmentation;

  private readonly notes = { model: "", sync: "", image: "", records: new Map<string, string[]>() };
  private readonly cleanup: (() => void)[] = [];
  private readonly started = performance.now();
  private reloadQueued = false;

  constructor(private readonly model: AnyModel<ImageModel>, host: HTMLElement) {
    performance.mark("nbannotate.image.render");
    this.editor = editorFor(model as unknown as AnyModel, [...FIELDS, "polygons"]);
    this.scene = new Scene(
      this.editor.list<Box>("boxes"), this.editor.list<Keypoint>("keypoints"), this.editor.list<Suggestion>("suggestions"),
      model.get("image_width"), model.get("image_height"),
    );
    this.stage = new Stage({
      frameData: () => this.frameData(),
      image: (canvas, frame) => this.paintImage(canvas, frame),
      masks: (canvas, frame) => this.seg.paintMasks(canvas, frame),
      marks: (canvas, frame) => {
        drawMarks(canvas, frame, this.scene, this.hidden);
        this.seg.drawMarks(canvas, frame);
      },
      added: (canvas, frame, boxes) => drawAddedBoxes(canvas, frame, this.scene, boxes),
      active: (canvas, frame) => {
        drawActive(canvas, frame, this.scene, this.activeState());
        this.seg.drawActive(canvas, frame);
      },
    }, (view) => this.viewChanged(view));
    this.toolbar = new Toolbar({
      tool: (tool) => this.setTool(tool),
      label: (index) => this.labels.choose(index),
      zoom: (factor) => this.stage.zoomBy(factor),
      fit: () => this.stage.fit(),
      undo: () => this.undo(),
      redo: () => this.redo(),
      accept: () => this.acceptSelection(),
      reject: () => this.rejectSelection(),
      acceptAll: () => this.commit(acceptAllChanges(this.scene, newId).changes),
      rejectAll: () => this.commit(this.scene.suggestions.items.flatMap((s) => rejectChanges(this.scene, s.id)).filter(uniqueRemovals())),
    });
    this.stage.node.append(this.toolbar.help);
    this.transcriber = new ImageTranscriber({
      scene: this.scene,
      enabled: () => this.model.get("transcribe") === true,
      view: () => ({ view: this.stage.view, vp: this.stage.vp }),
      commit: (changes) => this.commit(changes),
      select: (ref) => this.select(ref),
      reveal: (ref) => this.reveal(ref),
      focusWidget: () => this.root.focus({ preventScroll: true }),
    }, this.stage.node);
    this.root.append(this.toolbar.node, this.stage.node);
    host.append(this.root);
    this.messages = messageBar(this.root);
    this.feed = new ImageFeed(model, {
      decoded: (slot) => {
        const at = String(performance.now() - this.started);
        if (slot === "full") this.root.dataset.fullReady = at;
        else this.root.dataset.decoded = at;
        performance.mark(`nbannotate.image.decoded-${slot}`);
        this.stage.invalidate({ image: true });
      },
      problem: (text) => {
        this.notes.image = text;
        this.refreshMessage();
      },
    });
    this.labels = new Labels({
      model, scene: this.scene,
      selection: () => this.selection,
      select: (ref) => this.select(ref),
      commit: (changes) => this.commit(changes),
      status: (text) => (this.toolbar.status.textContent = text),
      changed: () => this.refreshToolbar(),
    });
    this.seg = new Segmentation({
      model, editor: this.editor, root: this.root,
      scale: () => this.stage.view.scale,
      invalidate: (what) => this.stage.invalidate(what),
      commit: (changes) => this.commit(changes),
      hasSelection: () => this.selection !== null,
      deselect: () => this.select(null),
      status: (text) => (this.toolbar.status.textContent = text),
      notes: (lines) => {
        this.notes.records.set("segmentation", lines);
        this.refreshMessage();
      },
      refresh: () => this.toolbar.setHistory(this.editor.history.canUndo, this.editor.history.canRedo),
    });
    this.toolbar.node.insertBefore(this.seg.segbar.node, this.toolbar.node.querySelector(".nba-image-zoombar"));
    for (const field of FIELDS) this.checkRecords(field);
    this.wire();
    this.refreshToolbar();
    this.onModelError();
    performance.mark("nbannotate.image.built");
    this.stage.layout();
    performance.mark("nbannotate.image.layout");
    this.loadImage();
  }

  // -- wiring ------------------------------------------------------------------------------
  private on(target: EventTarget, type: string, handler: (event: never) => void, options?: AddEventListenerOptions): void {
    const listener = handler as unknown as EventListener;
    target.addEventListener(type, listener, options);
    this.cleanup.push(() => target.removeEventListener(type, listener, options));
  }

  private onModel(event: string, handler: () => void): void {
    this.model.on(event, handler);
    this.cleanup.push(() => this.model.off(event, handler));
  }

  private wire(): void {
    const a = this.stage.activeCanvas;
    this.on(a, "pointerdown", (e: PointerEvent) => this.pointerDown(e));
    this.on(a, "pointermove", (e: PointerEvent) => this.pointerMove(e));
    this.on(a, "pointerup", (e: PointerEvent) => this.pointerUp(e));
    this.on(a, "pointercancel", () => this.cancelGesture());
    this.on(a, "pointerleave", () => {
      this.setHover(null);
      this.seg.leave();
    });
    this.on(a, "auxclick", (e: MouseEvent) => e.preventDefault());
    this.on(a, "contextmenu", (e: MouseEvent) => this.gesture && e.preventDefault());
    this.on(a, "dblclick", (e: MouseEvent) => this.doubleClick(e));
    this.on(this.stage.node, "wheel", (e: WheelEvent) => this.stage.wheel(e), { passive: false });
    this.on(window, "keyup", (e: KeyboardEvent) => {
      if (e.key === " ") this.setSpace(false);
    });
    this.on(window, "blur", () => this.setSpace(false));
    this.cleanup.push(installKeyScope(this.root, (e) => this.key(e)));
    this.cleanup.push(this.editor.onList((event) => this.listChanged(event.field as Field, event.reason, event.changes)));
    this.cleanup.push(this.editor.onStatus(({ pending, error }) => {
      this.toolbar.status.textContent = pending > 0 ? `saving ${pending}…` : "saved";
      this.root.dataset.pending = String(pending);
      this.notes.sync = error ?? "";
      this.refreshMessage();
    }));
    const observer = new ResizeObserver(() => this.stage.layout());
    observer.observe(this.stage.node);
    this.cleanup.push(() => observer.disconnect());
    this.watchDpr();
    for (const name of ["preview_data", "preview_mime", "preview_scale", "image_width", "image_height", "image_mime"]) {
      this.onModel(`change:${name}`, () => this.queueReload());
    }
    this.onModel("change:image_data", () => void this.feed.fullArrived());
    this.onModel("change:labels", () => this.labelsChanged());
    this.onModel("change:keypoint_labels", () => this.labelsChanged());
    this.onModel("change:skeleton", () => this.stage.invalidate({ marks: true, active: true }));
    this.onModel("change:label", () => this.refreshToolbar());
    this.onModel("change:tool", () => {
      this.cancelGesture();
      this.refreshToolbar();
      this.stage.invalidate({ active: true });
    });
    this.onModel("change:error", () => this.onModelError());
    this.onModel("change:transcribe", () => this.transcriber.recordsChanged());
  }

  private watchDpr(): void {
    const query = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    const changed = () => {
      query.removeEventListener("change", changed);
      this.stage.layout();
      this.watchDpr();
    };
    query.addEventListener("change", changed);
    this.cleanup.push(() => query.removeEventListener("change", changed));
  }

  dispose = (): void => {
    this.transcriber.destroy();
    this.seg.dispose();
    this.stage.dispose();
    for (const undo of this.cleanup.splice(0)) undo();
    this.feed.dispose();
    this.root.remove();
  };

  // -- image -------------------------------------------------------------------------------
  private queueReload(): void {
    if (this.reloadQueued) return;
    this.reloadQueued = true;
    queueMicrotask(() => {
      this.reloadQueued = false;
      const w = this.model.get("image_width");
      const h = this.model.get("image_height");
      if (w !== this.scene.width || h !== this.scene.height) {
        this.scene.resize(w, h);
        this.selection = null;
        this.stage.fitted = true;
        this.stage.layout();
      }
      this.loadImage();
    });
  }

  private loadImage(): void {
    this.firstPaintDone = false;
    delete this.root.dataset.fullReady;
    void this.feed.load();
  }

  // -- view and drawing ------------------------------------------------------------------------
  private viewChanged(view: View): void {
    this.root.dataset.view = `${view.scale},${view.offsetX},${view.offsetY}`;
    this.toolbar.setZoom(view.scale);
    this.transcriber.place();
  }

  private frameData(): FrameData {
    return {
      width: this.scene.width, height: this.scene.height,
      labels: this.model.get("labels") ?? [], keypointLabels: this.model.get("keypoint_labels") ?? [],
      skeleton: this.model.get("skeleton") ?? [],
    };
  }

  private paintImage(canvas: HTMLCanvasElement, frame: Frame): void {
    const slots = this.feed.slots;
    const choice = chooseSource(frame.view, frame.dpr, slots.preview?.scale ?? 1, !!slots.preview, !!slots.full);
    const source = choice ? slots[choice] : null;
    drawImage(canvas, frame, source);
    if (!source) return;
    this.root.dataset.source = choice as string;
    if (!this.firstPaintDone) {
      this.firstPaintDone = true;
      this.root.dataset.firstPaint = String(performance.now() - this.started);
      this.root.dataset.firstPaintAt = String(performance.now());
      performance.mark("nbannotate.image.first-paint");
      this.feed.requestFull();
    }
  }

  private activeState() {
    return shownState(this.scene, this.gesture, this.selection, this.hover, this.model.get("tool"), this.model.get("label"));
  }

  // -- pointer -------------------------------------------------------------------------------
  private pointerDown(event: PointerEvent): void {
    if (this.gesture) return;
    this.root.focus({ preventScroll: true });
    if (event.button === 1) event.preventDefault();
    const screen = this.stage.point(event);
    const view = this.stage.view;
    const p = toImage(view, screen);
    const tool = this.model.get("tool");
    const target = hitTest(this.scene, p, view.scale, this.selection, tool);
    if (this.seg.pointerDown(p, tool, event.button, this.spaceHeld, target.kind === "empty")) {
      this.stage.activeCanvas.setPointerCapture(event.pointerId);
      return;
    }
    const { gesture, select } = begin({
      target, tool, p, screen, view, button: event.button, pan: this.spaceHeld,
      selection: this.selection, scene: this.scene, label: this.model.get("label"), labelPinned: this.labels.pinned,
      keypointLabels: this.model.get("keypoint_labels") ?? [],
    });
    if (select !== undefined) this.select(select);
    if (!gesture) return;
    this.gesture = gesture;
    this.stage.activeCanvas.setPointerCapture(event.pointerId);
    if (gesture.kind === "move" || gesture.kind === "resize" || gesture.kind === "point") {
      this.hidden.add(gesture.ref.id);
      this.stage.invalidate({ marks: true });
    }
    this.setCursor(gesture.kind === "pan" ? "grabbing" : null);
    this.stage.invalidate({ active: true });
  }

  private pointerMove(event: PointerEvent): void {
    const screen = this.stage.point(event);
    const view = this.stage.view;
    const g = this.gesture;
    if (!g) {
      const p = toImage(view, screen);
      const tool = this.model.get("tool");
      if (this.seg.pointerMove(p, tool)) return this.setCursor(this.spaceHeld ? "grab" : this.seg.cursor(p, tool));
    }
    if (!g && this.stage.settling) return; // the view is moving: hover waits until it settles
    if (!g) {
      const target = hitTest(this.scene, toImage(view, screen), view.scale, this.selection, this.model.get("tool"));
      this.setHover(target.kind === "empty" ? null : target.ref);
      this.setCursor(this.cursorFor(target));
      return;
    }
    if (g.kind === "pan") {
      this.stage.fitted = false;
      this.stage.setView(pan(g.start, screen.x - g.from.x, screen.y - g.from.y, this.scene.width, this.scene.height, this.stage.vp), true);
      return;
    }
    this.gesture = update(g, toImage(view, screen), this.scene);
    this.stage.invalidate({ active: true });
  }

  private pointerUp(event: PointerEvent): void {
    const g = this.gesture;
    if (!g) {
      const canvas = this.stage.activeCanvas;
      if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
      this.seg.pointerUp();
      return;
    }
    this.gesture = null;
    const canvas = this.stage.activeCanvas;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    const wasHidden = this.hidden.size > 0;
    this.hidden.clear();
    const outcome = finish(g, this.scene, { label: this.model.get("label"), scale: this.stage.view.scale, makeId: newId });
    this.commit(outcome.changes);
    if (outcome.select !== undefined) this.select(outcome.select);
    if (outcome.placed) this.labels.advance(outcome.placed.label, outcome.placed.boxId);
    if (g.kind === "draw" && outcome.changes.length > 0 && outcome.select) this.transcriber.drawn(outcome.select.id);
    if (wasHidden && outcome.changes.length === 0) this.stage.invalidate({ marks: true });
    if (g.kind === "pan") this.stage.settleNow();
    this.setCursor(null);
    this.stage.invalidate({ active: true });
  }

  private cancelGesture(): boolean {
    if (this.seg.cancel()) return true;
    if (!this.gesture) return false;
    this.gesture = null;
    this.hidden.clear();
    this.setCursor(null);
    this.stage.invalidate({ marks: true, active: true });
    return true;
  }

  private cursorFor(target: Target): string {
    if (this.spaceHeld) return "grab";
    const tool = this.model.get("tool");
    if (target.kind === "handle") return `${target.handle}-resize`;
    if (target.kind === "keypoint") return "move";
    if (tool === "keypoint") return "crosshair";
    if (target.kind === "box") return "move";
    return tool === "box" ? "crosshair" : "grab";
  }

  private setCursor(cursor: string | null): void {
    const value = cursor ?? (this.spaceHeld ? "grab" : this.model.get("tool") === "select" ? "default" : "crosshair");
    const style = this.stage.activeCanvas.style;
    if (style.cursor !== value) style.cursor = value;
  }

  private setHover(ref: Ref | null): void {
    if (sameRef(ref, this.hover)) return;
    this.hover = ref;
    this.stage.invalidate({ active: true });
  }

  private setSpace(held: boolean): void {
    if (this.spaceHeld === held) return;
    this.spaceHeld = held;
    if (!this.gesture) this.setCursor(held ? "grab" : null);
  }

  // -- records -------------------------------------------------------------------------------
  private commit(changes: Change[]): void {
    if (changes.length === 0) return;
    try {
      this.editor.commit(changes);
    } catch (error) {
      this.notes.sync = `The edit could not be applied: ${(error as Error).message}`;
      this.refreshMessage();
    }
  }

  private undo(): void {
    this.cancelGesture();
    this.editor.undo();
  }

  private redo(): void {
    this.cancelGesture();
    this.editor.redo();
  }

  private listChanged(field: Field, reason: "load" | "edit", changes: readonly Change[]): void {
    if (this.seg.listChanged(field)) return this.refreshToolbar();
    if (reason === "load") {
      this.scene.rebuild(field);
      this.checkRecords(field);
      this.stage.invalidate({ marks: true });
    } else {
      this.scene.applied(changes);
      const onlyBoxAdds = field === "boxes" && changes.every((c) => c.op === "add") && this.hidden.size === 0;
      if (onlyBoxAdds && !this.stage.marksDirty) {
        this.stage.addBoxes(changes.map((c) => this.scene.boxes.get(c.record.id)).filter((b): b is Box => b !== undefined));
      } else {
        this.stage.invalidate({ marks: true });
      }
    }
    if (this.selection && !this.scene.get(this.selection)) this.selection = null;
    if (this.hover && !this.scene.get(this.hover)) this.hover = null;
    if (field === "boxes") this.transcriber.recordsChanged();
    this.refreshToolbar();
  }

  private checkRecords(field: Field): void {
    this.notes.records.set(field, listProblems(field, this.model.get(field)));
    this.refreshMessage();
  }

  private select(ref: Ref | null): void {
    if (sameRef(ref, this.selection)) return;
    this.selection = ref;
    if (ref) this.seg.clearSelection();
    if (ref?.field === "boxes") this.labels.instanceSelected(ref.id);
    this.refreshToolbar();
    this.stage.invalidate({ active: true });
  }

  private deleteSelection(): void {
    if (!this.selection) return;
    this.commit(deleteChanges(this.scene, this.selection));
    this.select(null);
  }

  private acceptSelection(): void {
    const ref = this.selection;
    if (!ref || ref.field !== "suggestions" || !this.scene.get(ref)) return;
    const record = this.scene.get(ref) as Suggestion;
    const accepted = acceptChanges(this.scene, [ref.id], newId);
    this.commit(accepted.changes);
    this.select({ field: isBox(record) ? "boxes" : "keypoints", id: accepted.ids.get(ref.id) as string });
  }

  /** Double-click on a box: edit its text (with `transcribe` on). */
  private doubleClick(event: MouseEvent): void {
    if (this.gesture || this.model.get("transcribe") !== true) return;
    const view = this.stage.view;
    const target = hitTest(this.scene, toImage(view, this.stage.point(event)), view.scale, null, "select");
    if (target.kind === "box" && target.ref.field === "boxes") this.transcriber.open(target.ref.id);
  }

  /** Enter or F2 on a selected box: edit its text (false when there is nothing to edit). */
  private transcribeSelection(): boolean {
    const ref = this.selection;
    return ref?.field === "boxes" && this.transcriber.open(ref.id);
  }

  private rejectSelection(): void {
    if (this.selection?.field === "suggestions") this.deleteSelection();
  }

  private toggleVisibility(): void {
    const record = this.scene.get(this.selection);
    if (!this.selection || !record || isBox(record)) return;
    const outcome = edit(this.scene, this.selection, { visible: toggledVisibility(record.visible) }, newId);
    this.commit(outcome.changes);
    if (outcome.select !== undefined) this.select(outcome.select);
  }

  // -- labels and tools ------------------------------------------------------------------------
  private setTool(tool: Tool): void {
    this.cancelGesture();
    if (!this.labels.setTool(tool)) return;
    this.setCursor(null);
    this.stage.invalidate({ active: true });
  }

  private labelsChanged(): void {
    this.refreshToolbar();
    this.stage.invalidate({ marks: true, active: true });
  }

  private cycle(step: 1 | -1): boolean {
    const ref = cycle(this.scene.order(), this.selection, step);
    if (!ref) return false;
    this.select(ref);
    this.reveal(ref);
    return true;
  }

  /** Pan so that record `ref` is on screen. */
  private reveal(ref: Ref): void {
    const record = this.scene.get(ref);
    if (!record) return;
    const { view, vp } = this.stage;
    const visible = visibleRect(view, vp, this.scene.width, this.scene.height);
    const center = isBox(record) ? { x: record.x + record.w / 2, y: record.y + record.h / 2 } : { x: record.x, y: record.y };
    if (containsPoint(visible, center)) return;
    this.stage.fitted = false;
    this.stage.setView(keepVisible({
      scale: view.scale,
      offsetX: center.x - vp.width / 2 / view.scale,
      offsetY: center.y - vp.height / 2 / view.scale,
    }, this.scene.width, this.scene.height, vp));
  }

  // -- keys ----------------------------------------------------------------------------------
  private key(event: KeyboardEvent): boolean {
    const action = actionFor(event);
    if (!action) return false;
    if (this.gesture && action.kind !== "escape" && action.kind !== "pan-key") return true;
    return this.perform(action);
  }

  private perform(action: Action): boolean {
    if (this.seg.perform(action)) return true;
    switch (action.kind) {
      case "undo": this.undo(); return true;
      case "redo": this.redo(); return true;
      case "tool": this.setTool(action.tool); return true;
      case "label": this.labels.choose(action.index); return true;
      case "delete": this.deleteSelection(); return true;
      case "accept":
        if (!this.transcribeSelection()) this.acceptSelection();
        return true;
      case "transcribe": this.transcribeSelection(); return true;
      case "reject": this.rejectSelection(); return true;
      case "visibility": this.toggleVisibility(); return true;
      case "cycle": return this.cycle(action.step);
      case "escape":
        if (!this.cancelGesture()) this.select(null);
        this.toolbar.toggleHelp(false);
        return true;
      case "zoom": this.stage.zoomBy(action.factor); return true;
      case "fit": this.stage.fit(); return true;
      case "pan-key": this.setSpace(true); return true;
      case "help": this.toolbar.toggleHelp(); return true;
      case "radius":
      case "uncertainty":
        return false; // the segmentation tools' keys
    }
  }

  // -- toolbar and messages ----------------------------------------------------------------------
  private refreshToolbar(): void {
    const tool = this.model.get("tool");
    const keypointNames = this.model.get("keypoint_labels") ?? [];
    this.toolbar.setTool(tool, keypointNames.length > 0);
    const { names, kind } = this.labels.names();
    const record = this.scene.get(this.selection);
    const all = [...(this.model.get("labels") ?? []), ...keypointNames];
    let active: string | null = this.model.get("label");
    if (record && (kind === "keypoint") === !isBox(record)) active = record.label;
    this.toolbar.setLabels(names, (name) => labelColor(name, all), active);
    this.toolbar.setHistory(this.editor.history.canUndo, this.editor.history.canRedo);
    this.toolbar.setSuggestions(this.scene.suggestions.items.length, this.selection?.field === "suggestions");
    this.root.dataset.tool = tool;
    this.root.dataset.selection = this.selection ? `${this.selection.field}:${this.selection.id}` : "";
    this.seg?.refresh();
  }

  private onModelError(): void {
    this.notes.model = this.model.get("error") ?? "";
    this.refreshMessage();
  }

  private refreshMessage(): void {
    const parts = [this.notes.model, this.notes.image, this.notes.sync, ...[...this.notes.records.values()].flat()].filter(Boolean);
    if (parts.length) this.messages.show(parts.join(" · "));
    else this.messages.clear();
  }
}

/** Drop repeated removals of one record (a box and its keypoints rejected twice). */
function uniqueRemovals(): (change: Change) => boolean {
  const seen = new Set<string>();
  return (change) => {
    const key = `${change.field}:${change.record.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

export function render({ model, el: host }: RenderProps<ImageModel>): () => void {
  const view = new ImageView(model, host);
  return view.dispose;
}
