/**
 * Masks in the browser, as pure functions over label maps (see brush.ts): mask records
 * painted into a map, the message that carries an edit to the kernel, accepting a model's
 * suggestion map, and the colours of a rectangle of the overlay.
 */
import type { Mask } from "../types";
import type { Rect } from "../lib/geometry";
import { countsFromToggles, countsOf, encodeCounts, forEachRun, togglesFromCounts } from "../lib/rle";
import type { LabelMap, MaskEdit } from "./brush";

/**
 * Opacity (0–255) of a person's mask, of a suggestion where nothing is painted (in diagonal
 * stripes, so it reads as proposed), and of the edge of a region (readable on any image).
 */
export const MASK_ALPHA = 120;
export const SUGGESTION_ALPHA = [90, 40] as const;
export const EDGE_ALPHA = 235;

/** What is wrong with mask record `record` for an image of this size (null: nothing). */
export function maskProblem(record: unknown, width: number, height: number, labels: readonly string[]): string | null {
  if (typeof record !== "object" || record === null) return "it is not an object";
  const r = record as Partial<Mask>;
  if (typeof r.id !== "string" || r.id === "") return "its id is not a non-empty string";
  if (typeof r.label !== "string" || !labels.includes(r.label)) return `its label ${JSON.stringify(r.label)} is not one of the labels`;
  const mask = r.mask as { size?: unknown; counts?: unknown } | undefined;
  if (!mask || !Array.isArray(mask.size) || mask.size[0] !== height || mask.size[1] !== width) {
    return `its mask is not of the image's size [${height}, ${width}]`;
  }
  if (!Array.isArray(mask.counts) && typeof mask.counts !== "string") return "its mask has no counts";
  return null;
}

/**
 * Paint `records` into `map` (cleared first), later records over earlier ones. Records that
 * cannot be drawn are skipped and described in the returned list.
 */
export function paintRecords(map: LabelMap, records: readonly Mask[], labels: readonly string[], field = "masks"): string[] {
  map.data.fill(0);
  const problems: string[] = [];
  const total = map.width * map.height;
  records.forEach((record, index) => {
    const problem = maskProblem(record, map.width, map.height, labels);
    if (problem) {
      problems.push(`${field}[${index}] is not shown: ${problem}`);
      return;
    }
    let counts: number[];
    try {
      counts = countsOf(record.mask as { counts: number[] | string });
    } catch (error) {
      problems.push(`${field}[${index}] is not shown: ${(error as Error).message}`);
      return;
    }
    if (counts.reduce((a, b) => a + b, 0) !== total) {
      problems.push(`${field}[${index}] is not shown: its counts do not sum to ${total}`);
      return;
    }
    const value = labels.indexOf(record.label) + 1;
    forEachRun(togglesFromCounts(counts), total, (start, end) => map.data.fill(value, start, end));
  });
  return problems;
}

/** The edits that accept a suggestion map: every unpainted pixel takes the suggested label. */
export function acceptEdits(map: LabelMap, suggested: Uint8Array): MaskEdit[] {
  const runs = new Map<number, number[]>();
  const data = map.data;
  const n = data.length;
  let value = 0;
  let start = 0;
  const close = (end: number) => {
    if (value === 0) return;
    let list = runs.get(value);
    if (!list) runs.set(value, (list = []));
    list.push(start, end);
  };
  for (let i = 0; i < n; i++) {
    const v = data[i] === 0 ? (suggested[i] as number) : 0;
    if (v === value) continue;
    close(i);
    value = v;
    start = i;
  }
  close(n);
  return [...runs.keys()].sort((a, b) => a - b).map((v) => {
    const toggles = runs.get(v) as number[];
    // A run that ends at the last pixel has no closing toggle.
    if (toggles[toggles.length - 1] === n) toggles.pop();
    return { value: v, op: "add" as const, toggles };
  });
}

/** The `mask_edit` message's edits: label names and COCO RLE with compressed counts. */
export function wireEdits(edits: readonly MaskEdit[], labels: readonly string[], width: number, height: number) {
  const total = width * height;
  return edits.map((e) => ({
    label: labels[e.value - 1] as string,
    op: e.op,
    rle: { size: [height, width] as [number, number], counts: encodeCounts(countsFromToggles(e.toggles, total)) },
  }));
}

/** RGB of a hex colour "#rrggbb". */
export function rgbOf(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * RGBA pixels (row by row) of image rectangle `rect`: a person's label in its colour, else
 * a suggested label in lighter stripes; the pixels on a region's edge (a 4-neighbour shows
 * something else) nearly opaque. `palette[v]` is the colour of value v.
 */
export function colorize(
  map: LabelMap, suggested: Uint8Array | null, rect: Rect, palette: readonly (readonly [number, number, number])[],
  out = new Uint8ClampedArray(rect.w * rect.h * 4),
): Uint8ClampedArray {
  const { width, height, data } = map;
  // What pixel i shows: a person's label (v), else a suggestion (v + 256), else 0.
  const shown = (i: number): number => {
    const v = data[i] as number;
    if (v !== 0 || !suggested) return v;
    const s = suggested[i] as number;
    return s === 0 ? 0 : s + 256;
  };
  for (let dx = 0; dx < rect.w; dx++) {
    const x = rect.x + dx;
    const column = x * height + rect.y;
    for (let dy = 0; dy < rect.h; dy++) {
      const y = rect.y + dy;
      const i = column + dy;
      const o = (dy * rect.w + dx) * 4;
      const here = shown(i);
      const v = here & 255;
      let alpha: number = here > 255 ? (((x + y) >> 2) & 1 ? SUGGESTION_ALPHA[1] : SUGGESTION_ALPHA[0]) : MASK_ALPHA;
      if (here !== 0 && ((y > 0 && shown(i - 1) !== here) || (y < height - 1 && shown(i + 1) !== here)
        || (x > 0 && shown(i - height) !== here) || (x < width - 1 && shown(i + height) !== here))) {
        alpha = EDGE_ALPHA;
      }
      const c = v > 0 ? palette[v] : undefined;
      if (!c) {
        out[o + 3] = 0;
        continue;
      }
      out[o] = c[0];
      out[o + 1] = c[1];
      out[o + 2] = c[2];
      out[o + 3] = alpha;
    }
  }
  return out;
}

/** Number of pixels where a suggestion shows (suggested, nothing painted). */
export function shownSuggestions(map: LabelMap, suggested: Uint8Array | null): number {
  if (!suggested) return 0;
  let n = 0;
  const data = map.data;
  for (let i = 0; i < data.length; i++) if (data[i] === 0 && suggested[i] !== 0) n++;
  return n;
}
