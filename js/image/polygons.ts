/**
 * Polygon geometry for the polygon tool, as pure functions: which vertex or edge is under the
 * pointer (tolerances in image pixels: the caller divides screen pixels by the zoom), where
 * a click on an edge inserts a vertex, removing one, closing a polygon being drawn, and the
 * checks of polygon records received from the kernel.
 */
import type { Polygon } from "../types";
import type { Point, Rect } from "../lib/geometry";
import { clamp } from "../lib/geometry";

/** Screen sizes (CSS px) of what the pointer grabs. */
export const VERTEX_PX = 7;
export const EDGE_PX = 5;
/** Two clicks closer than this (screen px) and DOUBLE_MS apart are a double-click. */
export const DOUBLE_PX = 6;
export const DOUBLE_MS = 450;

export type XY = [number, number];

export function toPoint(xy: XY): Point {
  return { x: xy[0], y: xy[1] };
}

/** Index of the vertex of `points` nearest to `p` within `tolerance`, or -1. */
export function vertexAt(points: readonly XY[], p: Point, tolerance: number): number {
  let best = -1;
  let bestD = tolerance;
  points.forEach(([x, y], i) => {
    const d = Math.hypot(x - p.x, y - p.y);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

/** The closest point to `p` on segment a-b, and its distance. */
export function project(p: Point, a: Point, b: Point): { point: Point; distance: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 > 0 ? clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0, 1) : 0;
  const point = { x: a.x + t * dx, y: a.y + t * dy };
  return { point, distance: Math.hypot(point.x - p.x, point.y - p.y) };
}

/**
 * The edge of closed polygon `points` nearest to `p` within `tolerance`: `index` is where a
 * new vertex goes (after vertex index - 1), `point` the spot on the edge. Null when none.
 */
export function edgeAt(points: readonly XY[], p: Point, tolerance: number): { index: number; point: Point } | null {
  let best: { index: number; point: Point } | null = null;
  let bestD = tolerance;
  for (let i = 0; i < points.length; i++) {
    const a = toPoint(points[i] as XY);
    const b = toPoint(points[(i + 1) % points.length] as XY);
    const { point, distance } = project(p, a, b);
    if (distance <= bestD) {
      best = { index: i + 1, point };
      bestD = distance;
    }
  }
  return best;
}

/** True when `p` is inside polygon `points` (even-odd rule). */
export function containsPoint(points: readonly XY[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i] as XY;
    const [xj, yj] = points[j] as XY;
    if (yi > p.y !== yj > p.y && p.x < ((xj - xi) * (p.y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function bounds(points: readonly XY[]): Rect {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export function insertVertex(points: readonly XY[], index: number, p: Point): XY[] {
  return [...points.slice(0, index), [p.x, p.y], ...points.slice(index)];
}

export function moveVertex(points: readonly XY[], index: number, p: Point): XY[] {
  return points.map((xy, i) => (i === index ? [p.x, p.y] : [xy[0], xy[1]]));
}

/** `points` without vertex `index`, or null when fewer than 3 would remain. */
export function removeVertex(points: readonly XY[], index: number): XY[] | null {
  if (points.length <= 3) return null;
  return points.filter((_, i) => i !== index).map(([x, y]) => [x, y]);
}

/** The points of a polygon being drawn, ready to close (repeated points dropped), or why not. */
export function closedPoints(points: readonly Point[]): XY[] | string {
  const out: XY[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && Math.abs(last[0] - p.x) < 1e-6 && Math.abs(last[1] - p.y) < 1e-6) continue;
    out.push([p.x, p.y]);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
  if (out.length < 3) return "a polygon needs at least 3 points";
  return out;
}

/** The topmost polygon (last drawn) containing `p`. */
export function polygonAt(polygons: readonly Polygon[], p: Point): Polygon | undefined {
  for (let i = polygons.length - 1; i >= 0; i--) {
    const polygon = polygons[i] as Polygon;
    if (!polygonProblem(polygon) && containsPoint(polygon.points, p)) return polygon;
  }
  return undefined;
}

/** The vertex nearest to `p` within `tolerance` over `polygons` (the selected one first). */
export function findVertex(
  polygons: readonly Polygon[], p: Point, tolerance: number, first?: string,
): { id: string; index: number } | null {
  const ordered = first ? [...polygons.filter((q) => q.id === first), ...polygons.filter((q) => q.id !== first)] : polygons;
  let best: { id: string; index: number } | null = null;
  let bestD = tolerance;
  for (const polygon of ordered) {
    if (polygonProblem(polygon)) continue;
    const index = vertexAt(polygon.points, p, bestD);
    if (index < 0) continue;
    const [x, y] = polygon.points[index] as XY;
    const d = Math.hypot(x - p.x, y - p.y);
    if (best === null || d < bestD) {
      best = { id: polygon.id, index };
      bestD = d;
    }
    if (polygon.id === first && best) break; // the selected polygon wins ties
  }
  return best;
}

/** Why `record` cannot be drawn as a polygon (null: it can). */
export function polygonProblem(record: unknown): string | null {
  if (typeof record !== "object" || record === null) return "it is not an object";
  const r = record as Partial<Polygon>;
  if (typeof r.id !== "string" || r.id === "") return "its id is not a non-empty string";
  if (typeof r.label !== "string") return "its label is not a string";
  if (!Array.isArray(r.points) || r.points.length < 3) return "it has fewer than 3 points";
  for (const xy of r.points) {
    if (!Array.isArray(xy) || xy.length !== 2 || !xy.every((v) => typeof v === "number" && Number.isFinite(v))) {
      return "a point is not [x, y]";
    }
  }
  return null;
}

/** One message per polygon of `items` that cannot be drawn (at most `limit`). */
export function polygonProblems(items: unknown, limit = 3): string[] {
  if (!Array.isArray(items)) return ["polygons is not a list"];
  const out: string[] = [];
  items.forEach((record, index) => {
    const problem = polygonProblem(record);
    if (problem && out.length < limit) out.push(`polygons[${index}] is not shown: ${problem}`);
  });
  return out;
}
