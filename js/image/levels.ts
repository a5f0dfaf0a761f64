/**
 * Single-channel images as 16-bit levels (nbannotate/image/_levels.py): the browser maps them
 * to colours itself, so moving the contrast window re-colours the canvas at once, without the
 * kernel, and the pointer's readout shows the original value.
 *
 * `value = offset + level * step`; level 65535 is NaN/inf (transparent). A 65536-entry table
 * (`windowTable`) turns levels into RGBA pixels for the window [vmin, vmax] and a 256-entry
 * colormap (768 bytes, RGB).
 */

/** The MIME type of levels on the wire (little-endian uint16, zlib-compressed). */
export const LEVELS_MIME = "application/x-nbannotate-levels";
/** The level of NaN and ±inf. */
export const NOT_FINITE = 65535;

/** Levels of one image (or preview), row by row. */
export interface Levels {
  data: Uint16Array;
  width: number;
  height: number;
}

/** How levels map to values, and the window and colormap to show them with. */
export interface WindowSpec {
  offset: number;
  step: number;
  vmin: number;
  vmax: number;
  /** 256 RGB entries (768 bytes); empty: gray. */
  colormap: Uint8Array | null;
}

/** Levels from their two byte planes (all low bytes, then all high bytes). */
export function joinPlanes(planes: Uint8Array, count: number): Uint16Array {
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = (planes[i] as number) | ((planes[count + i] as number) << 8);
  return out;
}

/** Inflate zlib-compressed levels (the browser's DecompressionStream, off the main thread). */
export async function inflateLevels(bytes: Uint8Array, width: number, height: number): Promise<Levels> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate"));
  const buffer = await new Response(stream).arrayBuffer();
  if (buffer.byteLength !== width * height * 2) {
    throw new Error(`levels: expected ${width}×${height}×2 bytes, got ${buffer.byteLength}`);
  }
  return { data: joinPlanes(new Uint8Array(buffer), width * height), width, height };
}

/** The colormap index (0–255) of a value in the window: clipped, NaN → -1. */
export function windowIndex(value: number, vmin: number, vmax: number): number {
  if (!Number.isFinite(value)) return -1;
  const span = vmax - vmin;
  const t = span > 0 ? (value - vmin) / span : 0;
  return Math.min(255, Math.max(0, Math.floor(t * 255 + 0.5)));
}

/** RGBA (little-endian packed) for every level, under `spec`. */
export function windowTable(spec: WindowSpec): Uint32Array {
  const table = new Uint32Array(65536);
  const cmap = spec.colormap && spec.colormap.length >= 768 ? spec.colormap : null;
  const packed = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const r = cmap ? (cmap[3 * i] ?? 0) : i;
    const g = cmap ? (cmap[3 * i + 1] ?? 0) : i;
    const b = cmap ? (cmap[3 * i + 2] ?? 0) : i;
    packed[i] = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
  }
  for (let level = 0; level < NOT_FINITE; level++) {
    table[level] = packed[windowIndex(spec.offset + level * spec.step, spec.vmin, spec.vmax)] ?? 0;
  }
  table[NOT_FINITE] = 0; // transparent
  return table;
}

/** The RGBA pixels of `levels` through `table`. */
export function paintLevels(levels: Levels, table: Uint32Array): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint32Array(levels.width * levels.height);
  const { data } = levels;
  for (let i = 0; i < data.length; i++) out[i] = table[data[i] as number] as number;
  return new Uint8ClampedArray(out.buffer);
}

/** The original value at image pixel (x, y) of levels covering `scale` image pixels each;
 * null outside the image, NaN where the value was not finite. */
export function valueAt(levels: Levels, scale: number, x: number, y: number, offset: number, step: number): number | null {
  const col = Math.floor(x / scale);
  const row = Math.floor(y / scale);
  if (x < 0 || y < 0 || col >= levels.width || row >= levels.height) return null;
  const level = levels.data[row * levels.width + col] ?? NOT_FINITE;
  return level === NOT_FINITE ? Number.NaN : offset + level * step;
}

/** A value for the readout: integers as they are, others with 4 significant digits. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  return Number(value.toPrecision(4)).toString();
}
