/** Plane geometry in original-image pixels, and the view transform to screen pixels. */

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The eight resize handles, named by compass direction. */
export type Handle = "n" | "s" | "e" | "w" | "ne" | "nw" | "se" | "sw";
export const HANDLES: readonly Handle[] = ["nw", "n", "ne", "e", "se", "s", "sw", "w"];

export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The rectangle spanned by two corner points, clamped to a `width` × `height` image. */
export function rectFromPoints(a: Point, b: Point, width: number, height: number): Rect {
  const x0 = clamp(Math.min(a.x, b.x), 0, width);
  const y0 = clamp(Math.min(a.y, b.y), 0, height);
  const x1 = clamp(Math.max(a.x, b.x), 0, width);
  const y1 = clamp(Math.max(a.y, b.y), 0, height);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Move a rectangle by (dx, dy), keeping it whole inside the image. */
export function moveRect(rect: Rect, dx: number, dy: number, width: number, height: number): Rect {
  return {
    x: clamp(rect.x + dx, 0, Math.max(0, width - rect.w)),
    y: clamp(rect.y + dy, 0, Math.max(0, height - rect.h)),
    w: rect.w,
    h: rect.h,
  };
}

/** Resize a rectangle by dragging `handle` by (dx, dy); edges may cross (the box flips). */
export function resizeRect(
  rect: Rect, handle: Handle, dx: number, dy: number, width: number, height: number,
): Rect {
  let x0 = rect.x;
  let y0 = rect.y;
  let x1 = rect.x + rect.w;
  let y1 = rect.y + rect.h;
  if (handle.includes("w")) x0 += dx;
  if (handle.includes("e")) x1 += dx;
  if (handle.includes("n")) y0 += dy;
  if (handle.includes("s")) y1 += dy;
  return rectFromPoints({ x: x0, y: y0 }, { x: x1, y: y1 }, width, height);
}

/** Position of a handle on a rectangle. */
export function handlePoint(rect: Rect, handle: Handle): Point {
  const x = handle.includes("w") ? rect.x : handle.includes("e") ? rect.x + rect.w : rect.x + rect.w / 2;
  const y = handle.includes("n") ? rect.y : handle.includes("s") ? rect.y + rect.h : rect.y + rect.h / 2;
  return { x, y };
}

export function containsPoint(rect: Rect, p: Point): boolean {
  return p.x >= rect.x && p.x <= rect.x + rect.w && p.y >= rect.y && p.y <= rect.y + rect.h;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/** Intersection over union of two rectangles (0 when they do not overlap). */
export function iou(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/**
 * The view: screen = (image - offset) * scale. `scale` is CSS pixels per image pixel;
 * `offset` is the image point at the view's top-left corner.
 */
export interface View {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export function toScreen(view: View, p: Point): Point {
  return { x: (p.x - view.offsetX) * view.scale, y: (p.y - view.offsetY) * view.scale };
}

export function toImage(view: View, p: Point): Point {
  return { x: p.x / view.scale + view.offsetX, y: p.y / view.scale + view.offsetY };
}

/** The view that fits a `width` × `height` image into a `viewW` × `viewH` box, centred. */
export function fitView(width: number, height: number, viewW: number, viewH: number): View {
  const scale = Math.min(viewW / width, viewH / height);
  return {
    scale,
    offsetX: -(viewW / scale - width) / 2,
    offsetY: -(viewH / scale - height) / 2,
  };
}

/** Zoom by `factor` keeping the image point under the screen point `at` fixed. */
export function zoomAround(view: View, factor: number, at: Point, minScale = 0.01, maxScale = 64): View {
  const scale = clamp(view.scale * factor, minScale, maxScale);
  const anchor = toImage(view, at);
  return { scale, offsetX: anchor.x - at.x / scale, offsetY: anchor.y - at.y / scale };
}

/** Pan by a screen-pixel delta. */
export function panBy(view: View, dx: number, dy: number): View {
  return { scale: view.scale, offsetX: view.offsetX - dx / view.scale, offsetY: view.offsetY - dy / view.scale };
}
