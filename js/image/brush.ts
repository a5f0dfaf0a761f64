/**
 * The brush and the eraser on a label map: one byte per image pixel, column by column
 * (index = x * height + y, COCO's order), 0 = nothing, k + 1 = labels[k].
 *
 * A stroke covers the pixels whose centre (x + 0.5, y + 0.5) lies within `radius` of the
 * pointer's path: each pointer move stamps the capsule between the previous and the current
 * position, so a fast stroke has no gaps. The arithmetic is the one of
 * nbannotate/image/mask_ops.py (a stroke painted from Python covers the same pixels). Every pixel
 * a stroke changes is written down once with its old value, so that the stroke can be
 * cancelled, and becomes at its end a few runs per label: the one change sent to the kernel,
 * whose size follows the stroke, not the image.
 */
import type { Point, Rect } from "../lib/geometry";
import { togglesFromSorted } from "../lib/rle";

/** One label's part of an edit: the pixels it gains or loses, as sorted toggles. */
export interface MaskEdit {
  /** The label-map value (labels[value - 1]). */
  value: number;
  op: "add" | "remove";
  toggles: number[];
}

export interface LabelMap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Squared distance from pixel centre (px, py) to segment a-b (same order of operations as Python). */
export function segmentD2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  let t = 0;
  if (length2 > 0) t = Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / length2));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** The pixels (columns x0..x1, rows y0..y1, inclusive) whose centres may lie within r of a-b. */
export function capsuleBounds(a: Point, b: Point, r: number, width: number, height: number): { x0: number; x1: number; y0: number; y1: number } {
  return {
    x0: Math.max(0, Math.ceil(Math.min(a.x, b.x) - r - 0.5)),
    x1: Math.min(width - 1, Math.floor(Math.max(a.x, b.x) + r - 0.5)),
    y0: Math.max(0, Math.ceil(Math.min(a.y, b.y) - r - 0.5)),
    y1: Math.min(height - 1, Math.floor(Math.max(a.y, b.y) + r - 0.5)),
  };
}

/** A growable list of (pixel index, old value) pairs. */
class Journal {
  index = new Uint32Array(1024);
  old = new Uint8Array(1024);
  length = 0;

  push(index: number, old: number): void {
    if (this.length === this.index.length) {
      const bigger = new Uint32Array(this.index.length * 2);
      bigger.set(this.index);
      this.index = bigger;
      const olds = new Uint8Array(this.old.length * 2);
      olds.set(this.old);
      this.old = olds;
    }
    this.index[this.length] = index;
    this.old[this.length] = old;
    this.length++;
  }
}

/**
 * One stroke of the brush (`value` > 0: paint labels[value - 1]) or the eraser (`value` 0:
 * clear every label), applied to `map` as the pointer moves.
 */
export class Stroke {
  private readonly journal = new Journal();
  private last: Point | null = null;
  /** The image rectangle of every pixel changed so far. */
  changed: Rect | null = null;
  /** Every position of the pointer, in image pixels. */
  readonly path: Point[] = [];

  constructor(private readonly map: LabelMap, readonly value: number, readonly radius: number) {}

  /** Move the brush to `p`: stamps the capsule from the last position. The changed rect, or null. */
  to(p: Point): Rect | null {
    const from = this.last ?? p;
    this.last = p;
    this.path.push(p);
    return this.stamp(from, p);
  }

  private stamp(a: Point, b: Point): Rect | null {
    const { width, height, data } = this.map;
    const r = this.radius;
    const r2 = r * r;
    const { x0, x1, y0, y1 } = capsuleBounds(a, b, r, width, height);
    const value = this.value;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const column = x * height;
      for (let y = y0; y <= y1; y++) {
        const i = column + y;
        const old = data[i] as number;
        if (old === value) continue;
        if (segmentD2(px, y + 0.5, a.x, a.y, b.x, b.y) > r2) continue;
        data[i] = value;
        this.journal.push(i, old);
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    if (minX === Infinity) return null;
    const rect = { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
    this.changed = this.changed ? union(this.changed, rect) : rect;
    return rect;
  }

  /** Number of pixels the stroke changed. */
  get size(): number {
    return this.journal.length;
  }

  /** Put every changed pixel back (a cancelled stroke). The rect to redraw, or null. */
  revert(): Rect | null {
    const { index, old, length } = this.journal;
    for (let k = length - 1; k >= 0; k--) this.map.data[index[k] as number] = old[k] as number;
    this.journal.length = 0;
    const rect = this.changed;
    this.changed = null;
    return rect;
  }

  /**
   * The stroke as edits: the label it paints gains every changed pixel; each label it
   * painted over (or erased) loses its own. Sorted by value, additions first.
   */
  edits(): MaskEdit[] {
    const { index, old, length } = this.journal;
    if (length === 0) return [];
    const out: MaskEdit[] = [];
    if (this.value > 0) out.push({ value: this.value, op: "add", toggles: togglesFromSorted(index.slice(0, length).sort()) });
    const byValue = new Map<number, number[]>();
    for (let k = 0; k < length; k++) {
      const v = old[k] as number;
      if (v === 0) continue;
      let list = byValue.get(v);
      if (!list) byValue.set(v, (list = []));
      list.push(index[k] as number);
    }
    for (const v of [...byValue.keys()].sort((p, q) => p - q)) {
      const sorted = Uint32Array.from(byValue.get(v) as number[]).sort();
      out.push({ value: v, op: "remove", toggles: togglesFromSorted(sorted) });
    }
    return out;
  }
}

export function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** The inverse of `edits` (what undoes them). */
export function inverseEdits(edits: readonly MaskEdit[]): MaskEdit[] {
  return edits.map((e) => ({ ...e, op: e.op === "add" ? "remove" : "add" }));
}

/**
 * Apply edits to a label map: removals first (a pixel leaves label v only if it has v), then
 * additions. Returns the rectangle of the touched runs (null: none).
 */
export function applyEdits(map: LabelMap, edits: readonly MaskEdit[]): Rect | null {
  let rect: Rect | null = null;
  const total = map.width * map.height;
  for (const pass of ["remove", "add"] as const) {
    for (const edit of edits) {
      if (edit.op !== pass) continue;
      const { toggles, value } = edit;
      for (let i = 0; i < toggles.length; i += 2) {
        const start = toggles[i] as number;
        const end = i + 1 < toggles.length ? (toggles[i + 1] as number) : total;
        if (pass === "add") map.data.fill(value, start, end);
        else for (let k = start; k < end; k++) if (map.data[k] === value) map.data[k] = 0;
        const r = runRect(start, end, map.height);
        rect = rect ? union(rect, r) : r;
      }
    }
  }
  return rect;
}

/** The image rectangle covering the column-major run [start, end). */
export function runRect(start: number, end: number, height: number): Rect {
  const x0 = Math.floor(start / height);
  const x1 = Math.floor((end - 1) / height);
  if (x0 === x1) return { x: x0, y: start - x0 * height, w: 1, h: end - start };
  return { x: x0, y: 0, w: x1 - x0 + 1, h: height };
}
