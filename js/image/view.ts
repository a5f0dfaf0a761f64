/**
 * The view of the image: which image pixels land where on the screen, zoom limits, and which
 * decoded image (preview or full resolution) to draw. Pure functions; all coordinates in
 * records stay in original-image pixels whatever the zoom, size or devicePixelRatio.
 */
import { type Point, type Rect, type View, clamp, fitView, panBy, toImage, zoomAround } from "../lib/geometry";

/** The stage size in CSS pixels. */
export interface Viewport {
  width: number;
  height: number;
}

/** The largest zoom: CSS pixels per image pixel. */
export const MAX_SCALE = 32;

/** The view that shows the whole image, centred. */
export function fit(imageW: number, imageH: number, vp: Viewport): View {
  return fitView(Math.max(imageW, 1), Math.max(imageH, 1), Math.max(vp.width, 1), Math.max(vp.height, 1));
}

/** Zoom limits: from half the fitted scale up to MAX_SCALE (or the fitted scale if larger). */
export function scaleLimits(imageW: number, imageH: number, vp: Viewport): { min: number; max: number } {
  const fitted = fit(imageW, imageH, vp).scale;
  return { min: fitted / 2, max: Math.max(MAX_SCALE, fitted) };
}

/**
 * Keep part of the image on screen: at least `margin` CSS pixels of it (or all of it, when it
 * is smaller) overlap the viewport in each direction. Does not recentre, so zooming around the
 * pointer keeps the point under the pointer.
 */
export function keepVisible(view: View, imageW: number, imageH: number, vp: Viewport, margin = 48): View {
  const mx = Math.min(margin, imageW * view.scale, vp.width) / view.scale;
  const my = Math.min(margin, imageH * view.scale, vp.height) / view.scale;
  return {
    scale: view.scale,
    offsetX: clamp(view.offsetX, mx - vp.width / view.scale, imageW - mx),
    offsetY: clamp(view.offsetY, my - vp.height / view.scale, imageH - my),
  };
}

/** Zoom by `factor` around the screen point `at` (CSS px), within the limits. */
export function zoomAt(view: View, factor: number, at: Point, imageW: number, imageH: number, vp: Viewport): View {
  const { min, max } = scaleLimits(imageW, imageH, vp);
  return keepVisible(zoomAround(view, factor, at, min, max), imageW, imageH, vp);
}

/** Pan by a screen delta (CSS px). */
export function pan(view: View, dx: number, dy: number, imageW: number, imageH: number, vp: Viewport): View {
  return keepVisible(panBy(view, dx, dy), imageW, imageH, vp);
}

/** The zoom factor of one wheel event (deltaMode 0: pixels, 1: lines, 2: pages). */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-clamp(px, -300, 300) * 0.0015);
}

/** The part of the image on screen, in image pixels (clipped to the image). */
export function visibleRect(view: View, vp: Viewport, imageW: number, imageH: number): Rect {
  const a = toImage(view, { x: 0, y: 0 });
  const b = toImage(view, { x: vp.width, y: vp.height });
  const x0 = clamp(a.x, 0, imageW);
  const y0 = clamp(a.y, 0, imageH);
  return { x: x0, y: y0, w: clamp(b.x, 0, imageW) - x0, h: clamp(b.y, 0, imageH) - y0 };
}

/**
 * Which decoded image to draw: the preview while it has enough pixels for the screen (one
 * preview pixel on at most 1.5 device pixels), the full resolution when zoomed in further and
 * it is there.
 */
export function chooseSource(
  view: View, dpr: number, previewScale: number, hasPreview: boolean, hasFull: boolean,
): "preview" | "full" | null {
  if (!hasFull) return hasPreview ? "preview" : null;
  if (!hasPreview) return "full";
  return view.scale * dpr * previewScale > 1.5 ? "full" : "preview";
}

/** A canvas backing-store size for a CSS size at devicePixelRatio `dpr` (crisp lines). */
export function backingSize(vp: Viewport, dpr: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(vp.width * dpr)), height: Math.max(1, Math.round(vp.height * dpr)) };
}

/** Screen point (CSS px, relative to the stage) of a pointer event, robust to CSS transforms. */
export function stagePoint(
  clientX: number, clientY: number, bounds: { left: number; top: number; width: number; height: number }, vp: Viewport,
): Point {
  const sx = bounds.width > 0 ? vp.width / bounds.width : 1;
  const sy = bounds.height > 0 ? vp.height / bounds.height : 1;
  return { x: (clientX - bounds.left) * sx, y: (clientY - bounds.top) * sy };
}

/** The stage height (CSS px) that shows an image of this aspect at `width`, within bounds. */
export function stageHeight(width: number, imageW: number, imageH: number, low = 240, high = 640): number {
  if (imageW <= 0 || imageH <= 0 || width <= 0) return 480;
  return Math.round(clamp((width * imageH) / imageW, low, high));
}

/**
 * The CSS transform that shows a canvas drawn under view `drawn` as it would look under view
 * `now` (transform-origin at the top-left corner): pans and zooms move the finished layers on
 * the compositor, and they are redrawn once the view settles.
 */
export function layerTransform(drawn: View, now: View): string {
  if (drawn.scale === now.scale && drawn.offsetX === now.offsetX && drawn.offsetY === now.offsetY) return "";
  const k = now.scale / drawn.scale;
  const tx = (drawn.offsetX - now.offsetX) * now.scale;
  const ty = (drawn.offsetY - now.offsetY) * now.scale;
  return `translate(${tx}px, ${ty}px) scale(${k})`;
}
