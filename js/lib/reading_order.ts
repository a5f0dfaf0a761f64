/**
 * The order in which a page or a recording is transcribed: boxes in reading order (lines top
 * to bottom, words left to right, or right to left on pages in right-to-left scripts) and
 * regions in time order. Pure functions; Python has the same ones in
 * nbannotate/records/reading_order.py, both checked on tests/fixtures/reading_order.json.
 */
import { type Direction, strongDirection } from "./bidi";

/** A page's writing direction; "auto" decides from the boxes' texts (pageDirection). */
export type ReadingDirection = Direction | "auto";

export interface BoxLike {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface IntervalLike {
  start: number;
  end: number;
}

/** Two boxes are on one line when they overlap vertically by this part of the smaller height. */
export const LINE_OVERLAP = 0.5;

/** Lexicographic comparison of number tuples. */
function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * "rtl" when more of the boxes' texts are right-to-left than left-to-right (by their first
 * letter); boxes without text or letters do not count, and with none left a page is "ltr".
 */
export function pageDirection(boxes: readonly { text?: unknown }[]): Direction {
  let rtl = 0;
  let ltr = 0;
  for (const box of boxes) {
    const direction = typeof box.text === "string" ? strongDirection(box.text) : null;
    if (direction === "rtl") rtl++;
    else if (direction === "ltr") ltr++;
  }
  return rtl > ltr ? "rtl" : "ltr";
}

/**
 * Indices of `boxes` in reading order. Boxes are taken by their top edge; a box joins the
 * current line when it overlaps the line's band (the mean top and mean bottom of its boxes)
 * by at least half the smaller of the two heights, else it starts a new line. Lines follow
 * one another top to bottom; within a line boxes go left to right (by left edge), or right
 * to left (by right edge) when the direction is "rtl". Ties keep input order.
 */
export function readingOrder(boxes: readonly (BoxLike & { text?: unknown })[], direction: ReadingDirection = "ltr"): number[] {
  const rtl = (direction === "auto" ? pageDirection(boxes) : direction) === "rtl";
  const byTop = boxes.map((_, i) => i).sort((a, b) => {
    const p = boxes[a] as BoxLike;
    const q = boxes[b] as BoxLike;
    return compareKeys([p.y, p.x, a], [q.y, q.x, b]);
  });
  const lines: { sumTop: number; sumBottom: number; members: number[] }[] = [];
  for (const i of byTop) {
    const box = boxes[i] as BoxLike;
    const top = box.y;
    const bottom = box.y + box.h;
    const line = lines[lines.length - 1];
    if (line) {
      const count = line.members.length;
      const lineTop = line.sumTop / count;
      const lineBottom = line.sumBottom / count;
      const overlap = Math.min(bottom, lineBottom) - Math.max(top, lineTop);
      const need = LINE_OVERLAP * Math.min(box.h, lineBottom - lineTop);
      if (overlap >= need && (overlap > 0 || need === 0)) {
        line.sumTop += top;
        line.sumBottom += bottom;
        line.members.push(i);
        continue;
      }
    }
    lines.push({ sumTop: top, sumBottom: bottom, members: [i] });
  }
  const out: number[] = [];
  for (const line of lines) {
    line.members.sort((a, b) => {
      const p = boxes[a] as BoxLike;
      const q = boxes[b] as BoxLike;
      return rtl
        ? compareKeys([-(p.x + p.w), p.y, a], [-(q.x + q.w), q.y, b])
        : compareKeys([p.x, p.y, a], [q.x, q.y, b]);
    });
    out.push(...line.members);
  }
  return out;
}

/** Indices of `regions` by start time, then end time; ties keep input order. */
export function timeOrder(regions: readonly IntervalLike[]): number[] {
  return regions.map((_, i) => i).sort((a, b) => {
    const p = regions[a] as IntervalLike;
    const q = regions[b] as IntervalLike;
    return compareKeys([p.start, p.end, a], [q.start, q.end, b]);
  });
}

/**
 * The id after `current` in `order` (`step` 1) or before it (-1), wrapping around. From no
 * current id (or one not in the order): the first, or the last going back. Null when empty.
 */
export function stepIn(order: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (order.length === 0) return null;
  const at = current === null ? -1 : order.indexOf(current);
  if (at < 0) return (step > 0 ? order[0] : order[order.length - 1]) ?? null;
  return order[(at + step + order.length) % order.length] ?? null;
}

/** The ids of `records` in reading order (boxes). */
export function boxIdsInOrder<R extends BoxLike & { id: string; text?: unknown }>(records: readonly R[], direction: ReadingDirection = "ltr"): string[] {
  return readingOrder(records, direction).map((i) => (records[i] as R).id);
}

/** The ids of `records` in time order (regions). */
export function regionIdsInOrder<R extends IntervalLike & { id: string }>(records: readonly R[]): string[] {
  return timeOrder(records).map((i) => (records[i] as R).id);
}
