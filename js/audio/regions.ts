/**
 * Region geometry in time: lanes for overlapping regions, hit-testing, moving and resizing.
 * Pure functions, no DOM. Times are seconds; a region covers [start, end).
 */
import { clamp } from "./timeline";

export interface Interval {
  start: number;
  end: number;
}

/** A region or a suggestion as laid out on the stage: `key` is unique across both lists. */
export interface Item extends Interval {
  key: string;
}

export interface Lanes {
  /** Lane of each item key (0 = top). */
  lane: Map<string, number>;
  /** Number of lanes (at least 1). */
  count: number;
}

/**
 * Stack overlapping items in lanes: items sorted by start (then end, then key) take the
 * lowest lane whose last item ended at or before their start. Items that do not overlap
 * share lane 0, so a lone region spans the whole height.
 */
export function assignLanes(items: readonly Item[]): Lanes {
  const sorted = [...items].sort((a, b) => a.start - b.start || a.end - b.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const laneEnds: number[] = [];
  const lane = new Map<string, number>();
  for (const item of sorted) {
    let chosen = laneEnds.findIndex((end) => end <= item.start);
    if (chosen < 0) {
      chosen = laneEnds.length;
      laneEnds.push(item.end);
    } else {
      laneEnds[chosen] = item.end;
    }
    lane.set(item.key, chosen);
  }
  return { lane, count: Math.max(1, laneEnds.length) };
}

export type Part = "start" | "end" | "body";

export interface Hit {
  key: string;
  part: Part;
}

/**
 * What is under time `t` in lane `laneIndex`: an edge within `tolerance` seconds (the
 * `selected` item's edges first, so a selected region can always be resized), else a body.
 * Among bodies, the shortest wins (it is the hardest to reach otherwise).
 */
export function hitTest(
  items: readonly Item[], lanes: Lanes, t: number, laneIndex: number, tolerance: number, selected: string | null = null,
): Hit | null {
  const inLane = items.filter((item) => lanes.lane.get(item.key) === laneIndex);
  const order = [...inLane].sort((a, b) => Number(b.key === selected) - Number(a.key === selected));
  for (const item of order) {
    const width = item.end - item.start;
    // On a narrow item the edges' zones must not swallow the body.
    const tol = Math.min(tolerance, width / 3);
    if (Math.abs(t - item.start) <= tol) return { key: item.key, part: "start" };
    if (Math.abs(t - item.end) <= tol) return { key: item.key, part: "end" };
  }
  let best: Item | null = null;
  for (const item of inLane) {
    if (t >= item.start && t < item.end && (!best || item.end - item.start < best.end - best.start)) best = item;
  }
  return best ? { key: best.key, part: "body" } : null;
}

/** Move an interval by `dt`, keeping its length and keeping it inside [0, duration]. */
export function moveInterval(interval: Interval, dt: number, duration: number): Interval {
  const length = interval.end - interval.start;
  const start = clamp(interval.start + dt, 0, Math.max(0, duration - length));
  return { start, end: start + length };
}

/**
 * Drag edge `part` of an interval to time `t` (inside [0, duration]). Dragging an edge past
 * the other flips the interval, like pulling a rubber band.
 */
export function resizeInterval(interval: Interval, part: "start" | "end", t: number, duration: number): Interval {
  const moved = clamp(t, 0, duration);
  const other = part === "start" ? interval.end : interval.start;
  return { start: Math.min(moved, other), end: Math.max(moved, other) };
}

/** The interval swept by a drag from `t0` to `t1`, inside [0, duration]. */
export function intervalFromDrag(t0: number, t1: number, duration: number): Interval {
  const a = clamp(t0, 0, duration);
  const b = clamp(t1, 0, duration);
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

/** Items overlapping [from, to) (the visible ones). */
export function visibleItems<T extends Interval>(items: readonly T[], from: number, to: number): T[] {
  return items.filter((item) => item.end > from && item.start < to);
}
