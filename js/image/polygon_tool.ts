/**
 * The polygon tool as a state machine over the polygon list: clicks add points, a
 * double-click, Enter or a click on the first point closes the polygon; dragging a vertex
 * moves it, pressing on an edge of the selected polygon inserts a vertex there (and drags
 * it), Delete removes the selected vertex, Tab selects the next polygon. Every finished
 * gesture is a list of changes (one undoable edit); nothing here touches the DOM or the
 * kernel.
 */
import type { Change, Polygon } from "../types";
import type { Point } from "../lib/geometry";
import { clamp } from "../lib/geometry";
import type { RecordList } from "../lib/sync";
import {
  DOUBLE_MS, DOUBLE_PX, EDGE_PX, VERTEX_PX, type XY,
  closedPoints, edgeAt, findVertex, insertVertex, moveVertex, polygonAt, removeVertex,
} from "./polygons";

export interface PolygonSelection {
  id: string;
  /** The selected vertex (Delete removes it), or null. */
  vertex: number | null;
}

interface VertexDrag {
  id: string;
  index: number;
  from: Point;
  start: Point;
  current: Point;
  /** The points before the gesture (an inserted vertex is part of the gesture). */
  before: XY[];
  inserted: boolean;
}

export interface PressOptions {
  tool: string;
  /** CSS pixels per image pixel. */
  scale: number;
  /** Milliseconds (performance.now()), to tell a double-click. */
  now: number;
}

export interface Shown {
  /** The polygon being drawn: its points and where the pointer is. */
  drawing: { points: Point[]; hover: Point | null; closing: boolean } | null;
  /** The selected polygon as it is now (with a dragged vertex where it is dragged). */
  selected: Polygon | null;
  vertex: number | null;
}

export class PolygonTool {
  drawing: Point[] | null = null;
  selection: PolygonSelection | null = null;
  private hover: Point | null = null;
  private drag: VertexDrag | null = null;
  private lastClick: { at: Point; time: number } | null = null;

  constructor(
    private readonly list: RecordList<Polygon>,
    private readonly size: () => { width: number; height: number },
    private readonly makeId: () => string,
  ) {}

  private clampPoint(p: Point): Point {
    const { width, height } = this.size();
    return { x: clamp(p.x, 0, width), y: clamp(p.y, 0, height) };
  }

  get busy(): boolean {
    return this.drawing !== null || this.drag !== null;
  }

  get dragging(): boolean {
    return this.drag !== null;
  }

  /** The id of the polygon whose vertex is dragged (drawn on the active layer meanwhile). */
  get draggedId(): string | null {
    return this.drag?.id ?? null;
  }

  /**
   * A press at image point `p`. Returns whether the tool took it, whether a drag started
   * (capture the pointer), and the changes it made (closing a polygon).
   */
  press(p: Point, o: PressOptions, label: string): { handled: boolean; drag: boolean; changes: Change[]; problem?: string } {
    const none = { handled: false, drag: false, changes: [] as Change[] };
    const vertexTol = VERTEX_PX / o.scale;
    if (o.tool === "polygon" && this.drawing) {
      const points = this.drawing;
      const first = points[0] as Point;
      const last = points[points.length - 1] as Point;
      const double = this.lastClick !== null && o.now - this.lastClick.time <= DOUBLE_MS
        && Math.hypot(p.x - this.lastClick.at.x, p.y - this.lastClick.at.y) * o.scale <= DOUBLE_PX;
      const onFirst = points.length >= 3 && Math.hypot(p.x - first.x, p.y - first.y) <= vertexTol;
      this.lastClick = { at: p, time: o.now };
      if (double || onFirst) {
        const closed = this.close(label);
        return { handled: true, drag: false, changes: closed.changes, ...(closed.problem ? { problem: closed.problem } : {}) };
      }
      if (Math.hypot(p.x - last.x, p.y - last.y) * o.scale > 0.5) points.push(this.clampPoint(p));
      return { handled: true, drag: false, changes: [] };
    }
    const selectedId = this.selection?.id;
    const vertex = findVertex(this.list.items, p, vertexTol, selectedId);
    if (vertex) {
      this.selection = { id: vertex.id, vertex: vertex.index };
      this.startDrag(vertex.id, vertex.index, p, false);
      return { handled: true, drag: true, changes: [] };
    }
    const selected = selectedId ? this.list.get(selectedId) : undefined;
    const edge = selected ? edgeAt(selected.points, p, EDGE_PX / o.scale) : null;
    if (selected && edge) {
      const points = insertVertex(selected.points, edge.index, edge.point);
      this.selection = { id: selected.id, vertex: edge.index };
      this.startDrag(selected.id, edge.index, p, true, points, selected.points);
      return { handled: true, drag: true, changes: [] };
    }
    if (o.tool === "polygon") {
      this.selection = null;
      this.drawing = [this.clampPoint(p)];
      this.hover = p;
      this.lastClick = { at: p, time: o.now };
      return { handled: true, drag: false, changes: [] };
    }
    const inside = polygonAt(this.list.items, p);
    if (inside) {
      this.selection = { id: inside.id, vertex: null };
      return { handled: true, drag: false, changes: [] };
    }
    return none;
  }

  private startDrag(id: string, index: number, p: Point, inserted: boolean, points?: XY[], before?: XY[]): void {
    const polygon = this.list.get(id) as Polygon;
    const shape = points ?? polygon.points;
    const [x, y] = shape[index] as XY;
    this.drag = {
      id, index, from: p, start: { x, y }, current: { x, y }, inserted,
      before: (before ?? polygon.points).map(([a, b]) => [a, b]),
    };
  }

  /** The pointer moved to `p` (true when something shown changed). */
  move(p: Point): boolean {
    if (this.drag) {
      const d = this.drag;
      d.current = this.clampPoint({ x: d.start.x + p.x - d.from.x, y: d.start.y + p.y - d.from.y });
      return true;
    }
    this.hover = p;
    return this.drawing !== null;
  }

  /** The pointer went up: the changes of a vertex drag (none when nothing moved). */
  release(): Change[] {
    const d = this.drag;
    if (!d) return [];
    this.drag = null;
    const moved = d.current.x !== d.start.x || d.current.y !== d.start.y;
    if (!moved && !d.inserted) return [];
    const polygon = this.list.get(d.id);
    if (!polygon) return [];
    const base = d.inserted ? insertVertex(d.before, d.index, d.start) : d.before;
    return [this.update(polygon, moveVertex(base, d.index, d.current))];
  }

  private update(polygon: Polygon, points: XY[], fields: Partial<Polygon> = {}): Change {
    const record: Polygon = { ...polygon, ...fields, points, source: "human" };
    delete record.score;
    return { field: "polygons", op: "update", record };
  }

  /** Close the polygon being drawn (Enter, double-click, a click on its first point). */
  close(label: string): { changes: Change[]; problem: string | null } {
    if (!this.drawing) return { changes: [], problem: null };
    const points = closedPoints(this.drawing);
    if (typeof points === "string") return { changes: [], problem: points };
    this.drawing = null;
    this.lastClick = null;
    const record: Polygon = { id: this.makeId(), label, source: "human", points };
    this.selection = { id: record.id, vertex: null };
    return { changes: [{ field: "polygons", op: "add", record }], problem: null };
  }

  /**
   * Tab / Shift+Tab: select the next / previous polygon in list order (the first or last
   * when none is selected); false when there is none, or one is being drawn or dragged.
   */
  cycle(step: 1 | -1): boolean {
    const items = this.list.items;
    if (items.length === 0 || this.busy) return false;
    const at = this.selection ? items.findIndex((p) => p.id === this.selection?.id) : -1;
    const next = at < 0 ? (step > 0 ? 0 : items.length - 1) : (at + step + items.length) % items.length;
    const polygon = items[next];
    if (!polygon) return false;
    this.selection = { id: polygon.id, vertex: null };
    return true;
  }

  /** Escape: stop the drag, or drop the polygon being drawn, or clear the selection. */
  cancel(): boolean {
    if (this.drag) {
      this.drag = null;
      return true;
    }
    if (this.drawing) {
      this.drawing = null;
      this.lastClick = null;
      return true;
    }
    if (this.selection) {
      this.selection = null;
      return true;
    }
    return false;
  }

  /**
   * Delete/Backspace: while drawing, the last point; else the selected vertex, or the
   * selected polygon. Null when there is nothing of the tool's to delete; a string explains
   * why nothing was deleted.
   */
  remove(): Change[] | string | null {
    if (this.drawing) {
      this.drawing.pop();
      if (this.drawing.length === 0) this.drawing = null;
      return [];
    }
    const selection = this.selection;
    const polygon = selection ? this.list.get(selection.id) : undefined;
    if (!selection || !polygon) return null;
    if (selection.vertex !== null) {
      const points = removeVertex(polygon.points, selection.vertex);
      if (!points) return "a polygon needs at least 3 points: select the polygon (not a vertex) to delete it";
      this.selection = { id: polygon.id, vertex: null };
      return [this.update(polygon, points)];
    }
    this.selection = null;
    return [{ field: "polygons", op: "remove", record: { id: polygon.id } as Polygon }];
  }

  /** Relabel the selected polygon (null: no polygon selected). */
  relabel(label: string): Change[] | null {
    const polygon = this.selection ? this.list.get(this.selection.id) : undefined;
    if (!polygon || this.drawing) return null;
    if (polygon.label === label) return [];
    return [this.update(polygon, polygon.points.map(([x, y]) => [x, y]), { label })];
  }

  /** Forget selections and drags of records that are gone (after an undo or a reload). */
  prune(): void {
    if (this.selection && !this.list.get(this.selection.id)) this.selection = null;
    if (this.drag && !this.list.get(this.drag.id)) this.drag = null;
    const selected = this.selection ? this.list.get(this.selection.id) : undefined;
    if (selected && this.selection?.vertex !== null && (this.selection?.vertex ?? 0) >= selected.points.length) {
      this.selection = { id: selected.id, vertex: null };
    }
  }

  /** What the active layer shows. */
  shown(vertexTolerance: number): Shown {
    let selected = this.selection ? this.list.get(this.selection.id) ?? null : null;
    const d = this.drag;
    if (d && selected && d.id === selected.id) {
      const base = d.inserted ? insertVertex(d.before, d.index, d.start) : d.before;
      selected = { ...selected, points: moveVertex(base, d.index, d.current) };
    }
    let drawing: Shown["drawing"] = null;
    if (this.drawing) {
      const first = this.drawing[0] as Point;
      const hover = this.hover;
      const closing = hover !== null && this.drawing.length >= 3 && Math.hypot(hover.x - first.x, hover.y - first.y) <= vertexTolerance;
      drawing = { points: this.drawing, hover, closing };
    }
    return { drawing, selected, vertex: this.selection?.vertex ?? null };
  }
}
