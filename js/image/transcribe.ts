/**
 * Transcribing boxes (ImageAnnotator with `transcribe=True`), for OCR data: the text field at
 * a box (below it, or above when there is no room; it follows zoom and pan), saving the text
 * as one undoable change, and Tab / Shift+Tab through the boxes in reading order. The texts
 * themselves are drawn on the marks layer (drawBoxTexts), as canvas text.
 */
import type { Box, Change } from "../types";
import { type View, toScreen } from "../lib/geometry";
import { fillDirectedText } from "../lib/canvas_text";
import { type ReadingDirection, boxIdsInOrder, stepIn } from "../lib/reading_order";
import { TranscriptField, type CloseReason } from "../lib/transcript_field";
import { asHuman, recordProblem } from "./records";
import type { Ref } from "./records";
import type { Scene } from "./scene";
import type { Viewport } from "./view";

/** Height of the text field and of a drawn text (CSS px), and the field's width limits. */
export const FIELD_H = 26;
export const TEXT_H = 16;
const MIN_FIELD_W = 180;
const MAX_FIELD_W = 520;
const TAG_H = 15; // the label tag above a box (render.ts)

/** Where the field goes for `box` under `view`: below the box, else above it, inside the stage. */
export function fieldPlacement(box: Box, view: View, vp: Viewport, height = FIELD_H): { left: number; top: number; width: number } {
  const a = toScreen(view, box);
  const w = box.w * view.scale;
  const h = box.h * view.scale;
  const width = Math.min(Math.max(w, MIN_FIELD_W), MAX_FIELD_W, Math.max(vp.width, 1));
  const left = Math.min(Math.max(a.x, 0), Math.max(0, vp.width - width));
  const below = a.y + h + 2;
  const above = a.y - TAG_H - height - 2;
  let top = below + height <= vp.height || above < 0 ? below : above;
  top = Math.min(Math.max(top, 0), Math.max(0, vp.height - height));
  return { left, top, width };
}

/** The change that sets the text of box `id` (none when it already has that text). */
export function textChange(scene: Scene, id: string, text: string): Change[] {
  const box = scene.boxes.get(id);
  if (!box || (box.text ?? "") === text) return [];
  return [{ field: "boxes", op: "update", record: asHuman({ ...box, text }) }];
}

/** The ids of the drawable boxes, in reading order. */
export function boxOrder(scene: Scene, direction: ReadingDirection = "ltr"): string[] {
  return boxIdsInOrder(scene.boxes.items.filter((b) => !recordProblem(b, "box")), direction);
}

/** Draw the texts of `boxes` below them (user text, never parsed as HTML). */
export function drawBoxTexts(ctx: CanvasRenderingContext2D, view: View, boxes: readonly Box[]): void {
  ctx.save();
  ctx.font = "12px system-ui, -apple-system, 'Segoe UI', 'Noto Sans', sans-serif";
  for (const b of boxes) {
    if (typeof b.text !== "string" || !b.text) continue;
    const w = b.w * view.scale;
    if (w < 12) continue; // too small on screen to carry a text
    const a = toScreen(view, b);
    // As wide as the box (at least a little wider for short boxes); longer texts are clipped.
    const area = { x: a.x, y: a.y + b.h * view.scale + 1, width: Math.max(w, 120), height: TEXT_H };
    fillDirectedText(ctx, b.text, area, { text: "#111", background: "rgba(255, 255, 255, 0.88)" });
  }
  ctx.restore();
}

export interface TranscribeHost {
  readonly scene: Scene;
  /** `transcribe` is on. */
  enabled(): boolean;
  /** Left to right, right to left, or "auto" (from the boxes' texts) within a line. */
  direction(): ReadingDirection;
  view(): { view: View; vp: Viewport };
  commit(changes: Change[]): void;
  select(ref: Ref): void;
  /** Pan so that the box is on screen. */
  reveal(ref: Ref): void;
  /** Give the keyboard back to the widget (drawing keys work again). */
  focusWidget(): void;
}

/** The transcription field of one ImageAnnotator view. */
export class ImageTranscriber {
  private readonly field: TranscriptField;

  constructor(private readonly host: TranscribeHost, container: HTMLElement) {
    this.field = new TranscriptField({ closed: (id, text, reason, move) => this.closed(id, text, reason, move) });
    container.append(this.field.node);
  }

  /** The id of the box being transcribed, or null. */
  get editing(): string | null {
    return this.field.editing;
  }

  /** A box was just drawn: transcribe it when `transcribe` is on. */
  drawn(id: string): void {
    if (this.host.enabled()) this.open(id);
  }

  /** Open the field on box `id` (when `transcribe` is on and the box exists). */
  open(id: string): boolean {
    const box = this.host.scene.boxes.get(id);
    if (!this.host.enabled() || !box || recordProblem(box, "box")) return false;
    this.host.select({ field: "boxes", id });
    this.host.reveal({ field: "boxes", id });
    this.field.open(id, box.text ?? "");
    this.place();
    return true;
  }

  /** Follow the box: after a zoom, a pan or an edit of the records. */
  place(): void {
    const id = this.field.editing;
    if (id === null) return;
    const box = this.host.scene.boxes.get(id);
    if (!box) {
      this.field.dismiss();
      return;
    }
    const { view, vp } = this.host.view();
    const { left, top, width } = fieldPlacement(box, view, vp);
    this.field.place(left, top, width);
  }

  /** The records changed (an undo, a list set from Python): follow or close. */
  recordsChanged(): void {
    if (!this.host.enabled()) this.field.close();
    this.place();
  }

  /** Close the field, saving what was typed. */
  close(): void {
    this.field.close();
  }

  private closed(id: string, text: string | null, reason: CloseReason, move: 1 | -1 | null): void {
    if (text !== null) this.host.commit(textChange(this.host.scene, id, text));
    if (move !== null) {
      const next = stepIn(boxOrder(this.host.scene, this.host.direction()), id, move);
      if (next !== null && this.open(next)) return;
    }
    if (reason !== "blur") this.host.focusWidget();
  }

  destroy(): void {
    this.field.destroy();
  }
}
