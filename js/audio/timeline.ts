/**
 * Time ↔ pixel math of the audio view, and time formatting. Pure functions, no DOM.
 *
 * The view shows `[start, start + width * secondsPerPixel)` seconds across `width` CSS pixels.
 */

export interface TimeView {
  /** Time at the left edge, in seconds. */
  start: number;
  /** Seconds per CSS pixel. */
  secondsPerPixel: number;
  /** Width of the view in CSS pixels. */
  width: number;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

export function timeToX(view: TimeView, t: number): number {
  return (t - view.start) / view.secondsPerPixel;
}

export function xToTime(view: TimeView, x: number): number {
  return view.start + x * view.secondsPerPixel;
}

export function viewEnd(view: TimeView): number {
  return view.start + view.width * view.secondsPerPixel;
}

/** The view that shows the whole recording. */
export function fitView(duration: number, width: number): TimeView {
  const w = Math.max(1, width);
  return { start: 0, secondsPerPixel: duration / w, width: w };
}

/**
 * Keep the view inside the recording: at most the whole duration, at least `minSecondsPerPixel`
 * (deepest zoom), and no scrolling past either end.
 */
export function clampView(view: TimeView, duration: number, minSecondsPerPixel: number): TimeView {
  const width = Math.max(1, view.width);
  const maxSpp = duration / width;
  const spp = clamp(view.secondsPerPixel, Math.min(minSecondsPerPixel, maxSpp), maxSpp);
  const start = clamp(view.start, 0, Math.max(0, duration - width * spp));
  return { start, secondsPerPixel: spp, width };
}

/** Zoom by `factor` (> 1 zooms in) keeping the time under pixel `x` fixed. */
export function zoomAt(
  view: TimeView, factor: number, x: number, duration: number, minSecondsPerPixel: number,
): TimeView {
  const anchor = xToTime(view, x);
  const spp = view.secondsPerPixel / factor;
  return clampView({ start: anchor - x * spp, secondsPerPixel: spp, width: view.width }, duration, minSecondsPerPixel);
}

/** Scroll by `dx` pixels (positive: later in time). */
export function scrollBy(view: TimeView, dx: number, duration: number, minSecondsPerPixel: number): TimeView {
  return clampView({ ...view, start: view.start + dx * view.secondsPerPixel }, duration, minSecondsPerPixel);
}

/** Centre the view on time `t` (same zoom). */
export function centreOn(view: TimeView, t: number, duration: number, minSecondsPerPixel: number): TimeView {
  return clampView({ ...view, start: t - (view.width * view.secondsPerPixel) / 2 }, duration, minSecondsPerPixel);
}

/** Resize the view to `width` pixels, keeping its start and zoom (refit when it showed everything). */
export function resizeView(view: TimeView, width: number, duration: number, minSecondsPerPixel: number): TimeView {
  const wasFit = view.start <= 0 && viewEnd(view) >= duration - 1e-9;
  if (wasFit) return fitView(duration, width);
  return clampView({ ...view, width: Math.max(1, width) }, duration, minSecondsPerPixel);
}

/** `t` rounded to the nearest sample, inside [0, duration]. */
export function snapToSample(t: number, sampleRate: number, duration: number): number {
  return clamp(Math.round(t * sampleRate) / sampleRate, 0, duration);
}

/** `m:ss.mmm` (minutes unbounded), like Python's `nbannotate.audio.format_time`. */
export function formatTime(seconds: number): string {
  let millis = Math.round(Math.max(0, seconds) * 1000);
  const minutes = Math.floor(millis / 60000);
  millis -= minutes * 60000;
  const secs = Math.floor(millis / 1000);
  millis -= secs * 1000;
  return `${minutes}:${String(secs).padStart(2, "0")}.${String(millis).padStart(3, "0")}`;
}

const STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
];

/** The smallest "round" tick step (seconds) that puts ticks at least `minPixels` apart. */
export function tickStep(secondsPerPixel: number, minPixels = 90): number {
  for (const step of STEPS) if (step / secondsPerPixel >= minPixels) return step;
  return STEPS[STEPS.length - 1] as number;
}

/** Tick times (multiples of `step`) inside the view. */
export function ticks(view: TimeView, step: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(view.start / step - 1e-9);
  const end = viewEnd(view);
  for (let i = first; i * step <= end + 1e-9 && out.length < 1000; i++) out.push(Number((i * step).toFixed(6)));
  return out;
}

/** A window of samples to ask for: the view plus `margin` view widths on each side. */
export interface SampleWindow {
  start: number;
  end: number;
  columns: number;
}

export function requestWindow(
  view: TimeView, sampleRate: number, numSamples: number, margin = 1, maxColumns = 16384,
): SampleWindow {
  const spp = view.secondsPerPixel * sampleRate; // samples per pixel
  const span = view.width * spp;
  const start = clamp(Math.floor(view.start * sampleRate - margin * span), 0, numSamples - 1);
  const end = clamp(Math.ceil(view.start * sampleRate + (1 + margin) * span), start + 1, numSamples);
  const columns = clamp(Math.round((end - start) / Math.max(spp, 1e-9)), 1, Math.min(maxColumns, end - start));
  return { start, end, columns };
}

/**
 * True when `tile` (a window of samples at some resolution) serves the view: it covers the
 * visible samples and its resolution is at most `coarser`× coarser than the view's (zoomed in
 * further, it would look blocky) and at most `finer`× finer (more columns than that per pixel
 * only cost drawing time). At one column per sample nothing finer exists.
 */
export function tileServes(
  tile: SampleWindow, view: TimeView, sampleRate: number, numSamples: number, coarser = 1.5, finer = 4,
): boolean {
  const first = Math.max(0, Math.floor(view.start * sampleRate));
  const last = Math.min(numSamples, Math.ceil(viewEnd(view) * sampleRate));
  if (tile.start > first || tile.end < last) return false;
  const tileSpp = (tile.end - tile.start) / tile.columns;
  const viewSpp = view.secondsPerPixel * sampleRate;
  if (tileSpp <= 1 && viewSpp <= 1) return true;
  const ratio = tileSpp / Math.max(viewSpp, 1);
  return ratio <= coarser && ratio >= 1 / finer;
}
