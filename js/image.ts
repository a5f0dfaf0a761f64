/**
 * ImageAnnotator front end: boxes on an image, drawn on a canvas at frame rate.
 * Gestures run entirely in the browser; a finished gesture crosses once, as a change.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import "./image.css";
import type { Box, Change } from "./types";
import { labelColor, withAlpha } from "./lib/colors";
import { el, messageBar } from "./lib/dom";
import {
  type Handle, type Point, type Rect, type View,
  HANDLES, containsPoint, fitView, handlePoint, moveRect, rectFromPoints, resizeRect, toImage, toScreen,
} from "./lib/geometry";
import { digitIndex, installKeyScope, isRedo, isUndo } from "./lib/keys";
import { editorFor, newId } from "./lib/sync";

interface ImageModel {
  image_data: DataView;
  image_mime: string;
  image_width: number;
  image_height: number;
  labels: string[];
  boxes: Box[];
  label: string;
  error: string;
  [key: string]: unknown;
}

type Gesture =
  | { kind: "draw"; from: Point; to: Point }
  | { kind: "move"; id: string; from: Point; start: Rect; current: Rect }
  | { kind: "resize"; id: string; handle: Handle; from: Point; start: Rect; current: Rect };

const HANDLE_PX = 6;
const MIN_BOX_PX = 3;

function render({ model, el: host }: RenderProps<ImageModel>): () => void {
  const editor = editorFor(model as unknown as AnyModel, ["boxes", "keypoints", "suggestions"]);
  const boxes = editor.list<Box>("boxes");
  const root = el("div", { className: "nba-root nba-image", attrs: { tabindex: "0" } });
  const toolbar = el("div", { className: "nba-toolbar" });
  const status = el("span", { className: "nba-status" });
  const stage = el("div", { className: "nba-image-stage" });
  const imageCanvas = el("canvas", { className: "nba-image-layer" });
  const overlay = el("canvas", { className: "nba-overlay-layer" });
  stage.append(imageCanvas, overlay);
  root.append(toolbar, stage);
  host.append(root);
  const messages = messageBar(root);

  let bitmap: ImageBitmap | null = null;
  let view: View = { scale: 1, offsetX: 0, offsetY: 0 };
  let selected: string | null = null;
  let gesture: Gesture | null = null;
  let frame = 0;
  const width = () => model.get("image_width");
  const height = () => model.get("image_height");

  // -- toolbar ---------------------------------------------------------------------------
  const labelButtons: HTMLButtonElement[] = [];
  function buildToolbar(): void {
    toolbar.replaceChildren();
    labelButtons.length = 0;
    model.get("labels").forEach((name, i) => {
      const chip = el("button", { className: "nba-label-chip", title: `Label ${name} (key ${i + 1})` }, [
        el("span", { className: "nba-key", text: i < 9 ? String(i + 1) : "" }),
        el("span", { text: name }),
      ]);
      chip.style.borderLeft = `4px solid ${labelColor(name, model.get("labels"))}`;
      chip.addEventListener("click", () => chooseLabel(i));
      labelButtons.push(chip);
      toolbar.append(chip);
    });
    const undo = el("button", { text: "Undo", title: "Undo (Ctrl+Z)" });
    undo.addEventListener("click", () => editor.undo());
    const redo = el("button", { text: "Redo", title: "Redo (Ctrl+Shift+Z)" });
    redo.addEventListener("click", () => editor.redo());
    toolbar.append(undo, redo, status);
    syncLabelButtons();
  }
  function syncLabelButtons(): void {
    const current = model.get("label");
    labelButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(model.get("labels")[i] === current)));
  }

  // -- drawing ---------------------------------------------------------------------------
  function resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = stage.clientWidth;
    const h = stage.clientHeight;
    for (const canvas of [imageCanvas, overlay]) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    }
    view = fitView(width() || 1, height() || 1, w || 1, h || 1);
    drawImage();
    scheduleOverlay();
  }

  function drawImage(): void {
    const ctx = imageCanvas.getContext("2d");
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, imageCanvas.width, imageCanvas.height);
    if (!bitmap) return;
    ctx.setTransform(dpr * view.scale, 0, 0, dpr * view.scale, -view.offsetX * view.scale * dpr, -view.offsetY * view.scale * dpr);
    ctx.imageSmoothingEnabled = view.scale < 2;
    ctx.drawImage(bitmap, 0, 0);
  }

  function scheduleOverlay(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      drawOverlay();
    });
  }

  function shownRect(box: Box): Rect {
    if (gesture && gesture.kind !== "draw" && gesture.id === box.id) return gesture.current;
    return box;
  }

  function drawOverlay(): void {
    const ctx = overlay.getContext("2d");
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const labels = model.get("labels");
    ctx.font = "12px system-ui, sans-serif";
    for (const box of boxes.items) {
      const rect = shownRect(box);
      const a = toScreen(view, rect);
      const color = labelColor(box.label, labels);
      ctx.lineWidth = box.id === selected ? 3 : 2;
      ctx.strokeStyle = color;
      ctx.fillStyle = withAlpha(color, box.id === selected ? 0.18 : 0.08);
      ctx.fillRect(a.x, a.y, rect.w * view.scale, rect.h * view.scale);
      ctx.strokeRect(a.x, a.y, rect.w * view.scale, rect.h * view.scale);
      ctx.fillStyle = color;
      ctx.fillText(box.label, a.x + 3, a.y - 4);
    }
    const sel = selected ? boxes.get(selected) : undefined;
    if (sel) {
      const rect = shownRect(sel);
      ctx.fillStyle = "#fff";
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1;
      for (const handle of HANDLES) {
        const p = toScreen(view, handlePoint(rect, handle));
        ctx.fillRect(p.x - HANDLE_PX / 2, p.y - HANDLE_PX / 2, HANDLE_PX, HANDLE_PX);
        ctx.strokeRect(p.x - HANDLE_PX / 2, p.y - HANDLE_PX / 2, HANDLE_PX, HANDLE_PX);
      }
    }
    if (gesture?.kind === "draw") {
      const r = rectFromPoints(gesture.from, gesture.to, width(), height());
      const a = toScreen(view, r);
      ctx.setLineDash([5, 3]);
      ctx.strokeStyle = labelColor(model.get("label"), labels);
      ctx.lineWidth = 2;
      ctx.strokeRect(a.x, a.y, r.w * view.scale, r.h * view.scale);
      ctx.setLineDash([]);
    }
  }

  // -- pointer gestures ------------------------------------------------------------------
  function pointerImage(event: PointerEvent): Point {
    const bounds = overlay.getBoundingClientRect();
    return toImage(view, { x: event.clientX - bounds.left, y: event.clientY - bounds.top });
  }

  function handleAt(p: Point): Handle | null {
    const box = selected ? boxes.get(selected) : undefined;
    if (!box) return null;
    const tolerance = (HANDLE_PX + 2) / view.scale;
    for (const handle of HANDLES) {
      const h = handlePoint(box, handle);
      if (Math.abs(h.x - p.x) <= tolerance && Math.abs(h.y - p.y) <= tolerance) return handle;
    }
    return null;
  }

  function boxAt(p: Point): Box | undefined {
    // Topmost (last drawn) first; among nested boxes prefer the smallest.
    let best: Box | undefined;
    for (const box of boxes.items) {
      if (containsPoint(box, p) && (!best || box.w * box.h <= best.w * best.h)) best = box;
    }
    return best;
  }

  overlay.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    root.focus({ preventScroll: true });
    const p = pointerImage(event);
    const handle = handleAt(p);
    const hit = handle ? boxes.get(selected as string) : boxAt(p);
    if (hit && handle) {
      gesture = { kind: "resize", id: hit.id, handle, from: p, start: { ...hit }, current: { ...hit } };
    } else if (hit) {
      selected = hit.id;
      gesture = { kind: "move", id: hit.id, from: p, start: { ...hit }, current: { ...hit } };
    } else {
      selected = null;
      gesture = { kind: "draw", from: p, to: p };
    }
    overlay.setPointerCapture(event.pointerId);
    scheduleOverlay();
  });

  overlay.addEventListener("pointermove", (event) => {
    if (!gesture) return;
    const p = pointerImage(event);
    if (gesture.kind === "draw") gesture.to = p;
    else if (gesture.kind === "move") {
      gesture.current = moveRect(gesture.start, p.x - gesture.from.x, p.y - gesture.from.y, width(), height());
    } else {
      gesture.current = resizeRect(gesture.start, gesture.handle, p.x - gesture.from.x, p.y - gesture.from.y, width(), height());
    }
    scheduleOverlay();
  });

  function finishGesture(): void {
    const g = gesture;
    gesture = null;
    if (!g) return;
    if (g.kind === "draw") {
      const r = rectFromPoints(g.from, g.to, width(), height());
      if (r.w * view.scale >= MIN_BOX_PX && r.h * view.scale >= MIN_BOX_PX) {
        const record: Box = { id: newId(), ...r, label: model.get("label"), source: "human" };
        editor.commit([{ field: "boxes", op: "add", record }]);
        selected = record.id;
      }
    } else {
      const moved = g.current;
      const same = moved.x === g.start.x && moved.y === g.start.y && moved.w === g.start.w && moved.h === g.start.h;
      const box = boxes.get(g.id);
      if (!same && box) editor.commit([{ field: "boxes", op: "update", record: { ...box, ...moved, source: "human" } }]);
    }
    scheduleOverlay();
  }
  overlay.addEventListener("pointerup", finishGesture);
  overlay.addEventListener("pointercancel", () => {
    gesture = null;
    scheduleOverlay();
  });

  // -- keys ------------------------------------------------------------------------------
  function chooseLabel(index: number): void {
    const name = model.get("labels")[index];
    if (name === undefined) return;
    const box = selected ? boxes.get(selected) : undefined;
    if (box && box.label !== name) {
      editor.commit([{ field: "boxes", op: "update", record: { ...box, label: name, source: "human" } }]);
    } else if (!box) {
      model.set("label", name);
      model.save_changes();
    }
    scheduleOverlay();
  }

  const removeKeys = installKeyScope(root, (event) => {
    if (isUndo(event)) return editor.undo() || true;
    if (isRedo(event)) return editor.redo() || true;
    if (event.key === "Escape") {
      gesture = null;
      selected = null;
      scheduleOverlay();
      return true;
    }
    if ((event.key === "Delete" || event.key === "Backspace") && selected) {
      const box = boxes.get(selected);
      if (box) editor.commit([{ field: "boxes", op: "remove", record: box } as Change]);
      selected = null;
      return true;
    }
    const digit = digitIndex(event);
    if (digit !== null) {
      chooseLabel(digit);
      return true;
    }
    return false;
  });

  // -- model wiring ----------------------------------------------------------------------
  async function loadImage(): Promise<void> {
    const data = model.get("image_data");
    try {
      const blob = new Blob([data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer], { type: model.get("image_mime") });
      bitmap = await createImageBitmap(blob);
      messages.clear();
    } catch {
      bitmap = null;
      messages.show(`The image could not be decoded (${model.get("image_mime")}, ${data.byteLength} bytes).`);
    }
    drawImage();
  }

  const offList = editor.onList(() => {
    if (selected && !boxes.get(selected)) selected = null;
    scheduleOverlay();
  });
  const offStatus = editor.onStatus(({ pending, error }) => {
    status.textContent = pending > 0 ? `saving ${pending}…` : "saved";
    if (error) messages.show(error);
  });
  const onLabels = () => {
    buildToolbar();
    scheduleOverlay();
  };
  const onError = () => {
    const text = model.get("error");
    if (text) messages.show(text);
    else messages.clear();
  };
  model.on("change:labels", onLabels);
  model.on("change:label", syncLabelButtons);
  model.on("change:image_data", loadImage);
  model.on("change:error", onError);
  const observer = new ResizeObserver(() => resize());
  observer.observe(stage);

  buildToolbar();
  onError();
  void loadImage().then(resize);

  return () => {
    observer.disconnect();
    removeKeys();
    offList();
    offStatus();
    model.off("change:labels", onLabels);
    model.off("change:label", syncLabelButtons);
    model.off("change:image_data", loadImage);
    model.off("change:error", onError);
  };
}

export default { render };
