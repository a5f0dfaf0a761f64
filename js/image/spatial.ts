/**
 * A uniform grid over the image for hit testing: each rectangle is filed under the cells it
 * covers, so finding what lies under the pointer looks at a handful of records instead of all
 * of them (1,000 boxes: a few candidates per query).
 */
import type { Point, Rect } from "../lib/geometry";

export class GridIndex {
  private readonly cells = new Map<number, Set<string>>();
  private readonly rects = new Map<string, Rect>();
  private readonly cell: number;
  private readonly cols: number;
  private readonly rows: number;

  /** A grid over a `width` × `height` image with about `divisions` cells along the long side. */
  constructor(readonly width: number, readonly height: number, divisions = 48) {
    this.cell = Math.max(1, Math.max(width, height) / divisions);
    this.cols = Math.max(1, Math.ceil(width / this.cell));
    this.rows = Math.max(1, Math.ceil(height / this.cell));
  }

  get size(): number {
    return this.rects.size;
  }

  private range(r: Rect): [number, number, number, number] {
    const c0 = Math.min(this.cols - 1, Math.max(0, Math.floor(r.x / this.cell)));
    const r0 = Math.min(this.rows - 1, Math.max(0, Math.floor(r.y / this.cell)));
    const c1 = Math.min(this.cols - 1, Math.max(0, Math.floor((r.x + r.w) / this.cell)));
    const r1 = Math.min(this.rows - 1, Math.max(0, Math.floor((r.y + r.h) / this.cell)));
    return [c0, r0, c1, r1];
  }

  insert(id: string, rect: Rect): void {
    if (this.rects.has(id)) this.remove(id);
    this.rects.set(id, { ...rect });
    const [c0, r0, c1, r1] = this.range(rect);
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const key = row * this.cols + col;
        let bucket = this.cells.get(key);
        if (!bucket) this.cells.set(key, (bucket = new Set()));
        bucket.add(id);
      }
    }
  }

  remove(id: string): void {
    const rect = this.rects.get(id);
    if (!rect) return;
    this.rects.delete(id);
    const [c0, r0, c1, r1] = this.range(rect);
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) this.cells.get(row * this.cols + col)?.delete(id);
    }
  }

  clear(): void {
    this.cells.clear();
    this.rects.clear();
  }

  /** Ids of the rectangles that contain `p` once grown by `tolerance` on every side. */
  query(p: Point, tolerance = 0): string[] {
    const found = new Set<string>();
    const [c0, r0, c1, r1] = this.range({ x: p.x - tolerance, y: p.y - tolerance, w: 2 * tolerance, h: 2 * tolerance });
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        for (const id of this.cells.get(row * this.cols + col) ?? []) {
          const r = this.rects.get(id) as Rect;
          if (p.x >= r.x - tolerance && p.x <= r.x + r.w + tolerance && p.y >= r.y - tolerance && p.y <= r.y + r.h + tolerance) {
            found.add(id);
          }
        }
      }
    }
    return [...found];
  }
}
