/**
 * Drawing the segmentation: the masks layer (the store's colour canvas and the uncertainty
 * image, scaled to the view; during a stroke only the changed rectangle is redrawn, so a
 * brush move costs the same on a 400×300 or a 4000×3000 image), polygons at rest on the
 * marks layer, and on the active layer the selected polygon with its vertices, the polygon
 * being drawn and the brush's outline. Label names are canvas text, never HTML.
 */
import type { Polygon } from "../types";
import { type Point, type Rect, type View, toScreen } from "../lib/geometry";
import { labelColor, textColorOn, withAlpha } from "../lib/colors";
import type { Shown } from "./polygon_tool";
import { polygonProblem } from "./polygons";
import type { Frame } from "./render";
import { visibleRect } from "./view";

const FONT = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
const HANDLE = 7;

/** The masks layer, redrawn whole when the view changed and by rectangles during strokes. */
export class MaskPainter {
  private drawn: { view: View; width: number; height: number } | null = null;
  private dirty: Rect | null = null;
  private full = true;

  /** Something changed in image rectangle `rect` (null: everything). */
  invalidate(rect: Rect | null): void {
    if (!rect) this.full = true;
    else if (this.dirty) {
      const x = Math.min(this.dirty.x, rect.x);
      const y = Math.min(this.dirty.y, rect.y);
      this.dirty = { x, y, w: Math.max(this.dirty.x + this.dirty.w, rect.x + rect.w) - x, h: Math.max(this.dirty.y + this.dirty.h, rect.y + rect.h) - y };
    } else this.dirty = { ...rect };
  }

  paint(canvas: HTMLCanvasElement, frame: Frame, source: HTMLCanvasElement | null, uncertainty: ImageBitmap | null): void {
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const { view, dpr } = frame;
    const same = this.drawn !== null && this.drawn.width === canvas.width && this.drawn.height === canvas.height
      && this.drawn.view.scale === view.scale && this.drawn.view.offsetX === view.offsetX && this.drawn.view.offsetY === view.offsetY;
    const dirty = this.dirty;
    const full = this.full || !same;
    this.full = false;
    this.dirty = null;
    this.drawn = { view, width: canvas.width, height: canvas.height };
    const s = view.scale * dpr;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    let area: Rect;
    if (full) {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      area = visibleRect(view, frame.vp, frame.width, frame.height);
    } else {
      if (!dirty) {
        ctx.restore();
        return;
      }
      // Whole device pixels around the changed image pixels (no anti-aliased seams).
      const x0 = Math.max(0, Math.floor((dirty.x - view.offsetX) * s) - 1);
      const y0 = Math.max(0, Math.floor((dirty.y - view.offsetY) * s) - 1);
      const x1 = Math.min(canvas.width, Math.ceil((dirty.x + dirty.w - view.offsetX) * s) + 1);
      const y1 = Math.min(canvas.height, Math.ceil((dirty.y + dirty.h - view.offsetY) * s) + 1);
      if (x1 <= x0 || y1 <= y0) {
        ctx.restore();
        return;
      }
      ctx.beginPath();
      ctx.rect(x0, y0, x1 - x0, y1 - y0);
      ctx.clip();
      ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
      // The image pixels under those device pixels, and a margin for smoothing.
      const ix = Math.max(0, Math.floor(x0 / s + view.offsetX) - 2);
      const iy = Math.max(0, Math.floor(y0 / s + view.offsetY) - 2);
      area = {
        x: ix, y: iy,
        w: Math.min(frame.width, Math.ceil(x1 / s + view.offsetX) + 2) - ix,
        h: Math.min(frame.height, Math.ceil(y1 / s + view.offsetY) + 2) - iy,
      };
    }
    ctx.setTransform(s, 0, 0, s, -view.offsetX * s, -view.offsetY * s);
    const sx = Math.max(0, Math.floor(area.x));
    const sy = Math.max(0, Math.floor(area.y));
    const sw = Math.min(frame.width, Math.ceil(area.x + area.w)) - sx;
    const sh = Math.min(frame.height, Math.ceil(area.y + area.h)) - sy;
    if (source && sw > 0 && sh > 0) {
      ctx.imageSmoothingEnabled = s < 1;
      ctx.drawImage(source, sx, sy, sw, sh, sx, sy, sw, sh);
    }
    if (uncertainty && sw > 0 && sh > 0) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(uncertainty, 0, 0, uncertainty.width, uncertainty.height, 0, 0, frame.width, frame.height);
    }
    ctx.restore();
  }
}

function colorOf(label: string, frame: Frame): string {
  return labelColor(label, frame.labels);
}

function tracePolygon(ctx: CanvasRenderingContext2D, view: View, points: readonly (readonly [number, number])[]): void {
  ctx.beginPath();
  points.forEach(([x, y], i) => {
    const p = toScreen(view, { x, y });
    if (i === 0) ctx.moveTo(p.x, p.y);
    else ctx.lineTo(p.x, p.y);
  });
  ctx.closePath();
}

function drawTag(ctx: CanvasRenderingContext2D, text: string, at: Point, color: string): void {
  ctx.font = FONT;
  const w = ctx.measureText(text).width + 8;
  ctx.fillStyle = color;
  ctx.fillRect(at.x, at.y - 15, w, 15);
  ctx.fillStyle = textColorOn(color);
  ctx.fillText(text, at.x + 4, at.y - 4);
}

function topVertex(view: View, points: readonly (readonly [number, number])[]): Point {
  let best = points[0] as readonly [number, number];
  for (const p of points) if (p[1] < best[1]) best = p;
  return toScreen(view, { x: best[0], y: best[1] });
}

/** Polygons at rest, on the marks layer (drawn over the boxes; `hidden`: being edited). */
export function drawPolygons(canvas: HTMLCanvasElement, frame: Frame, polygons: readonly Polygon[], hidden: string | null): void {
  const ctx = canvas.getContext("2d");
  if (!ctx || polygons.length === 0) return;
  ctx.setTransform(frame.dpr, 0, 0, frame.dpr, 0, 0);
  const { view } = frame;
  ctx.lineJoin = "round";
  ctx.lineWidth = 2;
  for (const polygon of polygons) {
    if (polygon.id === hidden || polygonProblem(polygon)) continue;
    const color = colorOf(polygon.label, frame);
    tracePolygon(ctx, view, polygon.points);
    ctx.fillStyle = withAlpha(color, 0.18);
    ctx.fill();
    ctx.setLineDash(polygon.source === "human" ? [] : [6, 4]);
    ctx.strokeStyle = color;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  for (const polygon of polygons) {
    if (polygon.id === hidden || polygonProblem(polygon)) continue;
    drawTag(ctx, polygon.label, topVertex(view, polygon.points), colorOf(polygon.label, frame));
  }
}

export interface BrushCursor {
  at: Point;
  radius: number;
  erase: boolean;
  label: string;
}

/** The selected polygon, the polygon being drawn and the brush outline, on the active layer. */
export function drawSegmentationActive(
  canvas: HTMLCanvasElement, frame: Frame, shown: Shown, label: string, brush: BrushCursor | null,
): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(frame.dpr, 0, 0, frame.dpr, 0, 0);
  const { view } = frame;
  const selected = shown.selected;
  if (selected && !polygonProblem(selected)) {
    const color = colorOf(selected.label, frame);
    tracePolygon(ctx, view, selected.points);
    ctx.fillStyle = withAlpha(color, 0.3);
    ctx.fill();
    ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(0, 0, 0, 0.6)";
    ctx.lineWidth = 5;
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.lineWidth = 3;
    ctx.stroke();
    selected.points.forEach(([x, y], i) => {
      const p = toScreen(view, { x, y });
      const size = i === shown.vertex ? HANDLE + 3 : HANDLE;
      ctx.fillStyle = i === shown.vertex ? color : "#fff";
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1;
      ctx.fillRect(p.x - size / 2, p.y - size / 2, size, size);
      ctx.strokeRect(p.x - size / 2, p.y - size / 2, size, size);
    });
    drawTag(ctx, selected.label, topVertex(view, selected.points), color);
  }
  const drawing = shown.drawing;
  if (drawing && drawing.points.length > 0) {
    const color = colorOf(label, frame);
    const points = drawing.points.map((p) => toScreen(view, p));
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    if (drawing.hover) {
      const h = toScreen(view, drawing.closing ? (drawing.points[0] as Point) : drawing.hover);
      ctx.lineTo(h.x, h.y);
    }
    ctx.strokeStyle = "rgba(0, 0, 0, 0.6)";
    ctx.lineWidth = 4;
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 3]);
    ctx.stroke();
    ctx.setLineDash([]);
    points.forEach((p, i) => {
      ctx.beginPath();
      ctx.arc(p.x, p.y, i === 0 && drawing.closing ? 7 : 4, 0, Math.PI * 2);
      ctx.fillStyle = i === 0 ? color : "#fff";
      ctx.fill();
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1;
      ctx.stroke();
    });
  }
  if (brush) {
    const p = toScreen(view, brush.at);
    const r = Math.max(1, brush.radius * view.scale);
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.strokeStyle = "rgba(0, 0, 0, 0.7)";
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.setLineDash(brush.erase ? [4, 3] : []);
    ctx.strokeStyle = brush.erase ? "#fff" : colorOf(brush.label, frame);
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
