/**
 * Drawing of what the kernel sent: waveform peak tiles, spectrogram images, the time axis and
 * the overview strip. A tile is drawn wherever it is, stretched or squeezed to the current
 * view, so the screen never waits for a reply: old peaks are shown until new ones arrive.
 */
import { type TimeView, formatTime, tickStep, ticks, timeToX } from "./timeline";

/** Min/max peaks of `columns` equal columns over samples [start, end), per channel. */
export interface PeakTile {
  start: number;
  end: number;
  columns: number;
  channels: number;
  /** `data[(channel * columns + column) * 2]` = min, `+ 1` = max (full-scale units). */
  data: Float32Array;
  /** Request id of the reply (0 for the overview). */
  id: number;
}

/** Per-pixel min/max of one channel; `covered[x]` is 0 where nothing was drawn. */
export interface Raster {
  min: Float32Array;
  max: Float32Array;
  covered: Uint8Array;
}

export function emptyRaster(width: number): Raster {
  const w = Math.max(1, Math.ceil(width));
  return { min: new Float32Array(w), max: new Float32Array(w), covered: new Uint8Array(w) };
}

/**
 * Fold one channel of `tile` into per-pixel min/max for `view`. A column narrower than a pixel
 * is merged into the pixel it starts in; a wider one fills every pixel it spans.
 */
export function rasterize(tile: PeakTile, channel: number, view: TimeView, sampleRate: number, out: Raster): void {
  const width = out.covered.length;
  const perColumn = (tile.end - tile.start) / tile.columns;
  const toX = (sample: number) => timeToX(view, sample / sampleRate);
  const firstSample = view.start * sampleRate;
  const lastSample = firstSample + view.width * view.secondsPerPixel * sampleRate;
  const c0 = Math.max(0, Math.floor((firstSample - tile.start) / perColumn) - 1);
  const c1 = Math.min(tile.columns, Math.ceil((lastSample - tile.start) / perColumn) + 1);
  const base = channel * tile.columns * 2;
  for (let c = c0; c < c1; c++) {
    const x0 = toX(tile.start + c * perColumn);
    const x1 = toX(tile.start + (c + 1) * perColumn);
    if (x1 <= 0 || x0 >= width) continue;
    const a = Math.max(0, Math.floor(x0));
    const b = Math.min(width - 1, Math.max(a, Math.ceil(x1) - 1));
    const lo = tile.data[base + c * 2] as number;
    const hi = tile.data[base + c * 2 + 1] as number;
    for (let x = a; x <= b; x++) {
      if (!out.covered[x]) {
        out.min[x] = lo;
        out.max[x] = hi;
        out.covered[x] = 1;
      } else {
        if (lo < (out.min[x] as number)) out.min[x] = lo;
        if (hi > (out.max[x] as number)) out.max[x] = hi;
      }
    }
  }
}

/** Pixels of `detail` where it has data, else those of `fallback`. */
export function overlay(fallback: Raster, detail: Raster): Raster {
  const out = emptyRaster(fallback.covered.length);
  for (let x = 0; x < out.covered.length; x++) {
    const source = detail.covered[x] ? detail : fallback;
    out.min[x] = source.min[x] as number;
    out.max[x] = source.max[x] as number;
    out.covered[x] = source.covered[x] as number;
  }
  return out;
}

/** Draw per-pixel peaks in the band [top, top + height), `scale` = full-scale value at the band's edge. */
export function drawRaster(ctx: CanvasRenderingContext2D, raster: Raster, top: number, height: number, scale: number, color: string): void {
  const mid = top + height / 2;
  const amp = (height / 2) * 0.92 / scale;
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.35;
  ctx.fillRect(0, mid, raster.covered.length, 1);
  ctx.globalAlpha = 1;
  for (let x = 0; x < raster.covered.length; x++) {
    if (!raster.covered[x]) continue;
    const y0 = mid - (raster.max[x] as number) * amp;
    const y1 = mid - (raster.min[x] as number) * amp;
    ctx.fillRect(x, y0, 1, Math.max(1, y1 - y0));
  }
}

/** The waveform of every channel (one band each), detail tile over the overview. */
export function drawWaveform(
  ctx: CanvasRenderingContext2D, view: TimeView, height: number, sampleRate: number, channels: number,
  peak: number, tiles: readonly (PeakTile | null)[], color: string,
): void {
  const band = height / Math.max(1, channels);
  const scale = peak > 0 ? Math.max(peak, 1e-4) : 1;
  for (let ch = 0; ch < channels; ch++) {
    let combined: Raster | null = null;
    for (const tile of tiles) {
      if (!tile) continue;
      const raster = emptyRaster(view.width);
      rasterize(tile, Math.min(ch, tile.channels - 1), view, sampleRate, raster);
      combined = combined ? overlay(combined, raster) : raster;
    }
    if (combined) drawRaster(ctx, combined, ch * band, band, scale, color);
  }
}

// -- spectrogram -----------------------------------------------------------------------------

/** A spectrogram image over samples [start, end), ready to draw. */
export interface SpectrogramTile {
  start: number;
  end: number;
  image: HTMLCanvasElement;
  id: number;
}

const ANCHORS: [number, [number, number, number]][] = [
  [0, [8, 8, 32]], [0.3, [60, 20, 110]], [0.55, [170, 45, 100]], [0.78, [245, 125, 40]], [1, [252, 250, 170]],
];

/** RGBA color table for magnitudes 0–255 (dark = quiet, bright = loud). */
export const SPECTROGRAM_COLORS: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const v = i / 255;
    let k = 0;
    while (k < ANCHORS.length - 2 && v > (ANCHORS[k + 1] as [number, unknown])[0]) k++;
    const [p0, c0] = ANCHORS[k] as [number, number[]];
    const [p1, c1] = ANCHORS[k + 1] as [number, number[]];
    const f = (v - p0) / (p1 - p0);
    for (let j = 0; j < 3; j++) lut[i * 4 + j] = (c0[j] as number) + ((c1[j] as number) - (c0[j] as number)) * f;
    lut[i * 4 + 3] = 255;
  }
  return lut;
})();

/** Turn a `height × width` uint8 magnitude image into a canvas. */
export function spectrogramCanvas(values: Uint8Array, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) return canvas;
  const image = ctx.createImageData(width, height);
  const rgba = image.data;
  for (let i = 0; i < width * height; i++) {
    const v = (values[i] as number) * 4;
    rgba[i * 4] = SPECTROGRAM_COLORS[v] as number;
    rgba[i * 4 + 1] = SPECTROGRAM_COLORS[v + 1] as number;
    rgba[i * 4 + 2] = SPECTROGRAM_COLORS[v + 2] as number;
    rgba[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

export function drawSpectrogram(
  ctx: CanvasRenderingContext2D, view: TimeView, height: number, sampleRate: number, tile: SpectrogramTile | null,
): void {
  ctx.fillStyle = "rgb(8, 8, 32)";
  ctx.fillRect(0, 0, view.width, height);
  if (!tile) return;
  const x0 = timeToX(view, tile.start / sampleRate);
  const x1 = timeToX(view, tile.end / sampleRate);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile.image, x0, 0, Math.max(1, x1 - x0), height);
}

// -- axis and overview -------------------------------------------------------------------------

export function tickLabel(t: number, step: number): string {
  const text = formatTime(t);
  return step >= 1 ? text.slice(0, -4) : text;
}

export function drawAxis(ctx: CanvasRenderingContext2D, view: TimeView, height: number, color: string): void {
  const step = tickStep(view.secondsPerPixel);
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "top";
  ctx.beginPath();
  ctx.moveTo(0, height - 0.5);
  ctx.lineTo(view.width, height - 0.5);
  for (const t of ticks(view, step)) {
    const x = Math.round(timeToX(view, t)) + 0.5;
    ctx.moveTo(x, height - 7);
    ctx.lineTo(x, height);
    ctx.fillText(tickLabel(t, step), x + 3, 2);
  }
  ctx.stroke();
}

export function drawOverview(
  ctx: CanvasRenderingContext2D, tile: PeakTile | null, duration: number, width: number, height: number,
  sampleRate: number, peak: number, shown: TimeView, color: string,
): void {
  const whole: TimeView = { start: 0, secondsPerPixel: duration / Math.max(1, width), width };
  if (tile) {
    const raster = emptyRaster(width);
    for (let ch = 0; ch < tile.channels; ch++) rasterize(tile, ch, whole, sampleRate, raster);
    drawRaster(ctx, raster, 0, height, peak > 0 ? Math.max(peak, 1e-4) : 1, color);
  }
  const x0 = timeToX(whole, shown.start);
  const x1 = timeToX(whole, shown.start + shown.width * shown.secondsPerPixel);
  ctx.fillStyle = "rgba(25, 118, 210, 0.15)";
  ctx.fillRect(x0, 0, Math.max(2, x1 - x0), height);
  ctx.strokeStyle = "rgba(25, 118, 210, 0.9)";
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 + 0.5, 0.5, Math.max(2, x1 - x0) - 1, height - 1);
}
