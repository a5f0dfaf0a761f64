/**
 * Drawing on the three stacked canvases:
 * - image: the picture (preview or full resolution), redrawn when the view changes;
 * - marks: every record at rest, redrawn when records or the view change (a finished
 *   gesture, a zoom), never during a drag;
 * - active: the selection, the gesture in progress and the hover outline, redrawn on every
 *   pointer move; it costs the same with 10 or 10,000 boxes.
 * Label names are drawn as canvas text (never parsed as HTML).
 */
import type { Box, Keypoint } from "../types";
import { type Point, type Rect, type View, HANDLES, handlePoint, intersects, toScreen } from "../lib/geometry";
import { labelColor, textColorOn, withAlpha } from "../lib/colors";
import { type Skeleton, skeletonNeighbours, skeletonSegments } from "./keypoints";
import { type Viewport, visibleRect } from "./view";
import { isBox, kindOf, recordProblem } from "./records";
import type { Scene } from "./scene";
import { drawBoxTexts } from "./transcribe";

export interface Frame {
  view: View;
  vp: Viewport;
  dpr: number;
  width: number;
  height: number;
  labels: readonly string[];
  keypointLabels: readonly string[];
  skeleton: Skeleton;
}

const FONT = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
const TAG_H = 15;
const POINT_R = 4.5;
/** Above this many boxes on screen, names are drawn only where they fit. */
const DENSE = 150;

/** A 2D context with a cleared canvas, drawing in CSS pixels. */
export function begin(canvas: HTMLCanvasElement, dpr: number): CanvasRenderingContext2D | null {
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Colors of one label, computed once. */
class Colors {
  private cache = new Map<string, { stroke: string; fill: string; strong: string; text: string }>();
  constructor(private readonly names: readonly string[]) {}
  of(label: string): { stroke: string; fill: string; strong: string; text: string } {
    let c = this.cache.get(label);
    if (!c) {
      const stroke = labelColor(label, this.names);
      c = { stroke, fill: withAlpha(stroke, 0.08), strong: withAlpha(stroke, 0.2), text: textColorOn(stroke) };
      this.cache.set(label, c);
    }
    return c;
  }
}

let colorCache: { key: string; colors: Colors } | null = null;
/** The color of every box and keypoint label (keypoint labels follow the box labels). */
export function colorsFor(frame: Pick<Frame, "labels" | "keypointLabels">): Colors {
  const key = JSON.stringify([frame.labels, frame.keypointLabels]);
  if (!colorCache || colorCache.key !== key) colorCache = { key, colors: new Colors([...frame.labels, ...frame.keypointLabels]) };
  return colorCache.colors;
}

const widths = new Map<string, number>();
function textWidth(ctx: CanvasRenderingContext2D, text: string): number {
  let w = widths.get(text);
  if (w === undefined) {
    w = ctx.measureText(text).width;
    if (widths.size > 5000) widths.clear();
    widths.set(text, w);
  }
  return w;
}

/** "cat" or "cat 0.87" for a model's record. */
export function tagText(record: { label: string; score?: number; source?: string }): string {
  return record.score !== undefined && record.source !== "human" ? `${record.label} ${record.score.toFixed(2)}` : record.label;
}

/** The picture: `bitmap` has `scale` image pixels per bitmap pixel; only the visible part is drawn. */
export function drawImage(canvas: HTMLCanvasElement, frame: Frame, source: { bitmap: ImageBitmap; scale: number } | null): void {
  const ctx = begin(canvas, frame.dpr);
  if (!ctx || !source) return;
  const { view, dpr } = frame;
  const visible = visibleRect(view, frame.vp, frame.width, frame.height);
  if (visible.w <= 0 || visible.h <= 0) return;
  const { bitmap, scale } = source;
  // Whole bitmap pixels around the visible part, so edges do not shimmer while panning.
  const sx = Math.max(0, Math.floor(visible.x / scale));
  const sy = Math.max(0, Math.floor(visible.y / scale));
  const sw = Math.min(bitmap.width, Math.ceil((visible.x + visible.w) / scale)) - sx;
  const sh = Math.min(bitmap.height, Math.ceil((visible.y + visible.h) / scale)) - sy;
  if (sw <= 0 || sh <= 0) return;
  const s = view.scale * dpr;
  ctx.setTransform(s, 0, 0, s, -view.offsetX * s, -view.offsetY * s);
  ctx.beginPath();
  ctx.rect(0, 0, frame.width, frame.height);
  ctx.clip();
  ctx.imageSmoothingEnabled = s / scale < 3;
  ctx.imageSmoothingQuality = "low";
  ctx.drawImage(bitmap, sx, sy, sw, sh, sx * scale, sy * scale, sw * scale, sh * scale);
}

function drawTag(ctx: CanvasRenderingContext2D, text: string, at: Point, color: { stroke: string; text: string }, maxTop: number): void {
  const w = textWidth(ctx, text) + 8;
  const top = at.y - TAG_H >= maxTop ? at.y - TAG_H : at.y;
  ctx.fillStyle = color.stroke;
  ctx.fillRect(at.x, top, w, TAG_H);
  ctx.fillStyle = color.text;
  ctx.fillText(text, at.x + 4, top + TAG_H - 4);
}

/** Every record at rest, except those in `hidden` (being dragged). */
export function drawMarks(canvas: HTMLCanvasElement, frame: Frame, scene: Scene, hidden: ReadonlySet<string>): void {
  const ctx = begin(canvas, frame.dpr);
  if (!ctx) return;
  drawRecords(ctx, frame, scene, hidden, null);
}

/** Draw only `added` boxes over what is on the marks canvas (a new box lands on top). */
export function drawAddedBoxes(canvas: HTMLCanvasElement, frame: Frame, scene: Scene, added: readonly Box[]): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(frame.dpr, 0, 0, frame.dpr, 0, 0);
  drawRecords(ctx, frame, scene, new Set(), added);
}

function drawRecords(
  ctx: CanvasRenderingContext2D, frame: Frame, scene: Scene, hidden: ReadonlySet<string>, only: readonly Box[] | null,
): void {
  const { view } = frame;
  const colors = colorsFor(frame);
  const visible = visibleRect(view, frame.vp, frame.width, frame.height);
  const shown = (r: Rect) => intersects(r, visible);
  ctx.font = FONT;
  ctx.lineJoin = "miter";
  const suggestedBoxes: Box[] = [];
  const suggestedPoints: Keypoint[] = [];
  if (!only) {
    for (const s of scene.suggestions.items) {
      if (hidden.has(s.id) || recordProblem(s, kindOf("suggestions", s))) continue;
      if (isBox(s)) {
        if (shown(s)) suggestedBoxes.push(s);
      } else suggestedPoints.push(s);
    }
  }
  const boxes: Box[] = [];
  for (const b of only ?? scene.boxes.items) {
    if (!hidden.has(b.id) && !recordProblem(b, "box") && shown(b)) boxes.push(b);
  }
  strokeBoxes(ctx, view, suggestedBoxes, colors, true);
  strokeBoxes(ctx, view, boxes, colors, false);
  // Tags last, so that outlines never cover a name. Among many boxes, only boxes wide enough
  // for their name get one (the color still tells the label; hover or select for the name).
  const dense = suggestedBoxes.length + boxes.length > DENSE;
  for (const list of [suggestedBoxes, boxes]) {
    for (const b of list) {
      const text = tagText(b);
      if (dense && b.w * view.scale < textWidth(ctx, text) + 8) continue;
      drawTag(ctx, text, toScreen(view, b), colors.of(b.label), 0);
    }
  }
  // Transcriptions below their boxes.
  drawBoxTexts(ctx, view, suggestedBoxes);
  drawBoxTexts(ctx, view, boxes);
  if (only) return;
  const points = scene.keypoints.items.filter((k) => !hidden.has(k.id) && !recordProblem(k, "keypoint"));
  drawSkeleton(ctx, view, skeletonSegments(points, frame.skeleton), false);
  drawSkeleton(ctx, view, skeletonSegments(suggestedPoints, frame.skeleton), true);
  for (const k of suggestedPoints) drawPoint(ctx, view, k, colors, { dashed: true });
  for (const k of points) drawPoint(ctx, view, k, colors, {});
}

function strokeBoxes(
  ctx: CanvasRenderingContext2D, view: View, boxes: readonly Box[], colors: Colors, dashed: boolean,
): void {
  // One path per label: a few canvas calls for hundreds of boxes.
  const groups = new Map<string, Box[]>();
  for (const b of boxes) {
    let group = groups.get(b.label);
    if (!group) groups.set(b.label, (group = []));
    group.push(b);
  }
  ctx.lineWidth = 2;
  ctx.setLineDash(dashed ? [6, 4] : []);
  for (const [label, group] of groups) {
    const c = colors.of(label);
    ctx.beginPath();
    for (const b of group) {
      const a = toScreen(view, b);
      ctx.rect(a.x, a.y, b.w * view.scale, b.h * view.scale);
    }
    if (!dashed) {
      ctx.fillStyle = c.fill;
      ctx.fill();
    }
    ctx.strokeStyle = c.stroke;
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

function drawSkeleton(ctx: CanvasRenderingContext2D, view: View, segments: readonly [Keypoint, Keypoint][], dashed: boolean): void {
  if (segments.length === 0) return;
  ctx.beginPath();
  for (const [a, b] of segments) {
    const pa = toScreen(view, a);
    const pb = toScreen(view, b);
    ctx.moveTo(pa.x, pa.y);
    ctx.lineTo(pb.x, pb.y);
  }
  ctx.setLineDash(dashed ? [4, 3] : []);
  ctx.strokeStyle = "rgba(0, 0, 0, 0.55)";
  ctx.lineWidth = 3.5;
  ctx.stroke();
  ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawPoint(
  ctx: CanvasRenderingContext2D, view: View, k: Keypoint, colors: Colors,
  options: { dashed?: boolean; radius?: number; ring?: string },
): void {
  const p = toScreen(view, k);
  const c = colors.of(k.label);
  const r = options.radius ?? POINT_R;
  ctx.beginPath();
  ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
  ctx.setLineDash(options.dashed ? [2, 2] : []);
  if (k.visible === 2 && !options.dashed) {
    ctx.fillStyle = c.stroke;
    ctx.fill();
    ctx.strokeStyle = "#fff";
  } else {
    // Labeled but not visible (COCO v=1), or not labeled: hollow.
    ctx.fillStyle = k.visible === 0 ? "rgba(255,255,255,0.2)" : "rgba(255,255,255,0.65)";
    ctx.fill();
    ctx.strokeStyle = c.stroke;
  }
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.setLineDash([]);
  if (options.ring) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, r + 3, 0, Math.PI * 2);
    ctx.strokeStyle = options.ring;
    ctx.lineWidth = 2;
    ctx.stroke();
  }
}

export interface ActiveState {
  /** The selected record, as currently shown (a dragged record at its dragged place). */
  selected: Box | Keypoint | null;
  selectedIsSuggestion: boolean;
  /** A box being drawn, with its label. */
  drawing: { rect: Rect; label: string } | null;
  /** A keypoint being placed or dragged. */
  point: Keypoint | null;
  /** The record under the pointer (outline only). */
  hover: Box | Keypoint | null;
  showHandles: boolean;
}

/** The selection, the gesture in progress and the hover outline. */
export function drawActive(canvas: HTMLCanvasElement, frame: Frame, scene: Scene, state: ActiveState): void {
  const ctx = begin(canvas, frame.dpr);
  if (!ctx) return;
  const { view } = frame;
  const colors = colorsFor(frame);
  ctx.font = FONT;
  if (state.hover && state.hover !== state.selected) {
    if (isBox(state.hover)) {
      const a = toScreen(view, state.hover);
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.lineWidth = 1;
      ctx.strokeRect(a.x - 2, a.y - 2, state.hover.w * view.scale + 4, state.hover.h * view.scale + 4);
    } else {
      drawPoint(ctx, view, state.hover, colors, { ring: "rgba(255,255,255,0.9)" });
    }
  }
  const sel = state.selected;
  if (sel && isBox(sel)) {
    const c = colors.of(sel.label);
    const a = toScreen(view, sel);
    const w = sel.w * view.scale;
    const h = sel.h * view.scale;
    ctx.fillStyle = c.strong;
    ctx.fillRect(a.x, a.y, w, h);
    ctx.setLineDash(state.selectedIsSuggestion ? [6, 4] : []);
    ctx.strokeStyle = "rgba(0, 0, 0, 0.6)";
    ctx.lineWidth = 5;
    ctx.strokeRect(a.x, a.y, w, h);
    ctx.strokeStyle = c.stroke;
    ctx.lineWidth = 3;
    ctx.strokeRect(a.x, a.y, w, h);
    ctx.setLineDash([]);
    drawTag(ctx, tagText(sel), a, c, 0);
    if (state.showHandles) drawHandles(ctx, view, sel);
  } else if (sel) {
    drawPointWithLines(ctx, frame, scene, sel, colors, state.selectedIsSuggestion);
  }
  if (state.point && state.point !== sel) drawPointWithLines(ctx, frame, scene, state.point, colors, false);
  if (state.drawing) {
    const { rect, label } = state.drawing;
    const a = toScreen(view, rect);
    const c = colors.of(label);
    ctx.setLineDash([5, 3]);
    ctx.strokeStyle = c.stroke;
    ctx.lineWidth = 2;
    ctx.strokeRect(a.x, a.y, rect.w * view.scale, rect.h * view.scale);
    ctx.setLineDash([]);
    drawTag(ctx, `${label} ${Math.round(rect.w)}×${Math.round(rect.h)}`, a, c, 0);
  }
}

function drawHandles(ctx: CanvasRenderingContext2D, view: View, rect: Rect): void {
  const size = 7;
  ctx.fillStyle = "#fff";
  ctx.strokeStyle = "#000";
  ctx.lineWidth = 1;
  for (const handle of HANDLES) {
    const p = toScreen(view, handlePoint(rect, handle));
    ctx.fillRect(p.x - size / 2, p.y - size / 2, size, size);
    ctx.strokeRect(p.x - size / 2, p.y - size / 2, size, size);
  }
}

function drawPointWithLines(
  ctx: CanvasRenderingContext2D, frame: Frame, scene: Scene, k: Keypoint, colors: Colors, suggestion: boolean,
): void {
  const { view } = frame;
  const others = suggestion
    ? scene.suggestions.items.filter((s): s is Keypoint => !isBox(s))
    : scene.keypoints.items;
  const neighbours = skeletonNeighbours(k, others, frame.skeleton);
  drawSkeleton(ctx, view, neighbours.map((n) => [k, n] as [Keypoint, Keypoint]), suggestion);
  drawPoint(ctx, view, k, colors, { radius: POINT_R + 1.5, ring: "#fff", dashed: suggestion });
  const p = toScreen(view, k);
  const text = k.visible === 1 ? `${tagText(k)} (hidden)` : tagText(k);
  drawTag(ctx, text, { x: p.x + 8, y: p.y - 6 }, colors.of(k.label), 0);
}
