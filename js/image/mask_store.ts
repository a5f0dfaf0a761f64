/**
 * The masks of one widget model, shared by all its views: a label map at full resolution
 * (one byte per pixel; 12 MB at 4000×3000), the model's suggestion map, and an offscreen
 * canvas of the same size holding their colours, updated only where something changed.
 *
 * A finished stroke is sent to the kernel once, as the pixels it changed (`mask_edit`), and
 * remembered in the undo history; undo and redo apply and send its inverse or itself. The
 * kernel answers `mask_ack`, or `mask_error` and then its own masks, which are reloaded.
 * Masks set from Python (`change:masks`) replace the map and clear the undo history.
 */
import type { AnyModel } from "@anywidget/types";
import type { Mask } from "../types";
import type { Rect } from "../lib/geometry";
import { labelColor } from "../lib/colors";
import type { Editor } from "../lib/sync";
import { type LabelMap, type MaskEdit, Stroke, applyEdits, inverseEdits } from "./brush";
import { acceptEdits, colorize, paintRecords, rgbOf, shownSuggestions, wireEdits } from "./masks";
import type { ImageModel } from "./model";

/** Images with more pixels than this get no mask tools (the label map would be too big). */
export const MAX_MASK_PIXELS = 64 * 1024 * 1024;
/** Pixels coloured per putImageData call (bounds the temporary buffer). */
const BAND_PIXELS = 1 << 20;

export type MaskListener = (rect: Rect | null) => void;
export type MaskStatusListener = (status: { pending: number; error: string | null }) => void;

type MaskReply = { type: "mask_ack"; seq: number } | { type: "mask_error"; seq: number; message: string };

export class MaskStore {
  width = 0;
  height = 0;
  labels: string[] = [];
  map: LabelMap | null = null;
  suggested: Uint8Array | null = null;
  /** The colours of the masks and suggestions, image pixel for image pixel. */
  canvas: HTMLCanvasElement | null = null;
  /** Mask records that could not be drawn, and why. */
  problems: string[] = [];
  /** Number of suggestion records, and of pixels where a suggestion shows. */
  suggestionCount = 0;
  suggestedPixels = 0;
  private palette: [number, number, number][] = [];
  private seq = 0;
  private readonly inFlight = new Set<number>();
  private error: string | null = null;
  private readonly listeners = new Set<MaskListener>();
  private readonly statusListeners = new Set<MaskStatusListener>();
  private queued = { masks: false, suggestions: false };

  constructor(private readonly model: AnyModel<ImageModel>, private readonly editor: Editor) {
    model.on("change:masks", () => this.queue("masks"));
    model.on("change:mask_suggestions", () => this.queue("suggestions"));
    model.on("change:image_width", () => this.queue("masks"));
    model.on("change:image_height", () => this.queue("masks"));
    model.on("change:labels", () => this.relabel());
    model.on("msg:custom", (msg: MaskReply) => this.reply(msg));
    // The kernel set masks after strokes: the model may not have seen a change (its copy is
    // the last list the kernel sent), so reload from it.
    model.on("msg:custom", (msg: { type?: string; fields?: unknown }) => {
      if (msg?.type === "reload" && Array.isArray(msg.fields) && msg.fields.includes("masks")) this.queue("masks");
    });
    this.reload(true, true);
  }

  // -- loading ------------------------------------------------------------------------------
  private queue(what: "masks" | "suggestions"): void {
    const first = !this.queued.masks && !this.queued.suggestions;
    this.queued[what] = true;
    if (!first) return;
    queueMicrotask(() => {
      const { masks, suggestions } = this.queued;
      this.queued = { masks: false, suggestions: false };
      this.reload(masks, suggestions);
      if (masks) this.editor.history.clear();
    });
  }

  private reload(masks: boolean, suggestions: boolean): void {
    const width = this.model.get("image_width");
    const height = this.model.get("image_height");
    if (width !== this.width || height !== this.height) {
      this.width = width;
      this.height = height;
      this.map = null;
      this.suggested = null;
      this.canvas = null;
      masks = suggestions = true;
    }
    this.setLabels(this.model.get("labels") ?? []);
    const maskRecords = (this.model.get("masks") ?? []) as Mask[];
    const suggestionRecords = (this.model.get("mask_suggestions") ?? []) as Mask[];
    const problems: string[] = [];
    if (masks && (maskRecords.length > 0 || this.map)) {
      const map = this.ensure();
      if (map) problems.push(...paintRecords(map, maskRecords, this.labels));
    }
    if (suggestions) {
      this.suggestionCount = suggestionRecords.length;
      if (suggestionRecords.length === 0) this.suggested = null;
      else if (this.ensure()) {
        this.suggested ??= new Uint8Array(this.width * this.height);
        const view = { width: this.width, height: this.height, data: this.suggested };
        problems.push(...paintRecords(view, suggestionRecords, this.labels, "mask_suggestions"));
      }
    }
    if (masks || suggestions) {
      this.problems = problems;
      this.recolor(null);
    }
  }

  private setLabels(labels: readonly string[]): void {
    this.labels = [...labels];
    this.palette = [[0, 0, 0], ...this.labels.map((name) => rgbOf(labelColor(name, this.labels)))];
  }

  /** New label names: painted pixels keep their label by name (a removed label is cleared). */
  private relabel(): void {
    const old = this.labels;
    this.setLabels(this.model.get("labels") ?? []);
    const table = new Uint8Array(256);
    old.forEach((name, i) => (table[i + 1] = this.labels.indexOf(name) + 1));
    for (const data of [this.map?.data, this.suggested]) {
      if (data) for (let i = 0; i < data.length; i++) data[i] = table[data[i] as number] as number;
    }
    this.recolor(null);
  }

  /** The label map, allocated on first use (null when the image is too large for masks). */
  ensure(): LabelMap | null {
    if (this.map) return this.map;
    const n = this.width * this.height;
    if (n === 0) return null;
    if (n > MAX_MASK_PIXELS) {
      this.problems = [`Masks are not available on images over ${MAX_MASK_PIXELS / (1 << 20)} megapixels.`];
      return null;
    }
    this.map = { width: this.width, height: this.height, data: new Uint8Array(n) };
    const canvas = document.createElement("canvas");
    canvas.width = this.width;
    canvas.height = this.height;
    this.canvas = canvas;
    return this.map;
  }

  // -- drawing -------------------------------------------------------------------------------
  /** Repaint the colours of image rectangle `rect` (null: all) and tell the views. */
  recolor(rect: Rect | null): void {
    const map = this.map;
    const ctx = this.canvas?.getContext("2d");
    if (rect) rect = grown(rect, 1, this.width, this.height); // neighbours' edges change too
    if (map && ctx) {
      const area = rect ?? { x: 0, y: 0, w: this.width, h: this.height };
      if (!rect) ctx.clearRect(0, 0, this.width, this.height);
      const rows = Math.max(1, Math.floor(BAND_PIXELS / Math.max(1, area.w)));
      for (let y = area.y; y < area.y + area.h; y += rows) {
        const band = { x: area.x, y, w: area.w, h: Math.min(rows, area.y + area.h - y) };
        const pixels = colorize(map, this.suggested, band, this.palette);
        ctx.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, band.w, band.h), band.x, band.y);
      }
    }
    if (!rect) this.suggestedPixels = map ? shownSuggestions(map, this.suggested) : 0;
    for (const listener of this.listeners) listener(rect);
  }

  onChange(listener: MaskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: MaskStatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  // -- editing --------------------------------------------------------------------------------
  /** A stroke of label value `value` (0: the eraser), or null when masks are unavailable. */
  beginStroke(value: number, radius: number): Stroke | null {
    const map = this.ensure();
    return map ? new Stroke(map, value, radius) : null;
  }

  /** The stroke changed `rect` (null: nothing). */
  strokeMoved(rect: Rect | null): void {
    if (rect) this.recolor(rect);
  }

  /** The stroke ended: send it once and remember it for undo. */
  endStroke(stroke: Stroke): void {
    this.commit(stroke.edits());
    if (this.map && this.suggested) this.suggestedPixels = shownSuggestions(this.map, this.suggested);
  }

  cancelStroke(stroke: Stroke): void {
    const rect = stroke.revert();
    if (rect) this.recolor(rect);
  }

  /** Accept the suggestions where nothing is painted (one undoable edit); labels changed. */
  accept(): number {
    const map = this.map;
    if (!map || !this.suggested) return 0;
    const edits = acceptEdits(map, this.suggested);
    this.apply(edits);
    this.commit(edits);
    return edits.length;
  }

  private commit(edits: MaskEdit[]): void {
    if (edits.length === 0) return;
    this.send(edits);
    this.editor.record({
      undo: () => this.applyAndSend(inverseEdits(edits)),
      redo: () => this.applyAndSend(edits),
    });
  }

  private apply(edits: readonly MaskEdit[]): void {
    const map = this.ensure();
    if (!map) return;
    const rect = applyEdits(map, edits);
    if (rect) this.recolor(rect);
    if (this.suggested) this.suggestedPixels = shownSuggestions(map, this.suggested);
  }

  private applyAndSend(edits: MaskEdit[]): void {
    this.apply(edits);
    this.send(edits);
  }

  private send(edits: readonly MaskEdit[]): void {
    const seq = ++this.seq;
    this.inFlight.add(seq);
    this.model.send({ type: "mask_edit", seq, edits: wireEdits(edits, this.labels, this.width, this.height) });
    this.emitStatus();
  }

  private reply(msg: MaskReply): void {
    if (!msg || (msg.type !== "mask_ack" && msg.type !== "mask_error")) return;
    this.inFlight.delete(msg.seq);
    this.error = msg.type === "mask_error" ? `A stroke was not saved: ${msg.message}` : null;
    this.emitStatus();
  }

  get pending(): number {
    return this.inFlight.size;
  }

  private emitStatus(): void {
    for (const listener of this.statusListeners) listener({ pending: this.pending, error: this.error });
  }
}

/** `rect` grown by `by` pixels on every side, within the image. */
function grown(rect: Rect, by: number, width: number, height: number): Rect {
  const x = Math.max(0, rect.x - by);
  const y = Math.max(0, rect.y - by);
  return { x, y, w: Math.min(width, rect.x + rect.w + by) - x, h: Math.min(height, rect.y + rect.h + by) - y };
}

const stores = new WeakMap<object, MaskStore>();

/** The one MaskStore of `model` (shared by all its views). */
export function maskStoreFor(model: AnyModel<ImageModel>, editor: Editor): MaskStore {
  let store = stores.get(model);
  if (!store) {
    store = new MaskStore(model, editor);
    stores.set(model, store);
  }
  return store;
}
