import { describe, expect, it } from "vitest";
import type { Change, Polygon } from "../types";
import { RecordList } from "../lib/sync";
import { PolygonTool } from "../image/polygon_tool";
import {
  closedPoints, containsPoint, edgeAt, findVertex, insertVertex, polygonAt, polygonProblems, removeVertex, vertexAt,
} from "../image/polygons";

const square: [number, number][] = [[10, 10], [50, 10], [50, 50], [10, 50]];

describe("polygon geometry", () => {
  it("finds the nearest vertex and edge within a tolerance", () => {
    expect(vertexAt(square, { x: 52, y: 11 }, 4)).toBe(1);
    expect(vertexAt(square, { x: 30, y: 30 }, 4)).toBe(-1);
    expect(edgeAt(square, { x: 30, y: 12 }, 3)).toEqual({ index: 1, point: { x: 30, y: 10 } });
    expect(edgeAt(square, { x: 8, y: 30 }, 3)).toEqual({ index: 4, point: { x: 10, y: 30 } }); // the closing edge
    expect(edgeAt(square, { x: 30, y: 30 }, 3)).toBeNull();
  });
  it("inserts and removes vertices, keeping at least three", () => {
    expect(insertVertex(square, 1, { x: 30, y: 10 })).toEqual([[10, 10], [30, 10], [50, 10], [50, 50], [10, 50]]);
    expect(removeVertex(square, 0)).toEqual([[50, 10], [50, 50], [10, 50]]);
    expect(removeVertex([[0, 0], [1, 0], [0, 1]], 0)).toBeNull();
  });
  it("tests containment and finds the topmost polygon and the selected polygon's vertex first", () => {
    expect(containsPoint(square, { x: 30, y: 30 })).toBe(true);
    expect(containsPoint(square, { x: 60, y: 30 })).toBe(false);
    const a: Polygon = { id: "a", label: "x", source: "human", points: square };
    const b: Polygon = { id: "b", label: "x", source: "human", points: [[20, 20], [40, 20], [30, 40]] };
    expect(polygonAt([a, b], { x: 30, y: 25 })?.id).toBe("b");
    expect(polygonAt([a, b], { x: 12, y: 45 })?.id).toBe("a");
    const twin: Polygon = { ...b, id: "twin", points: [[10, 10], [0, 0], [0, 10]] };
    expect(findVertex([a, twin], { x: 10, y: 10 }, 3, "twin")).toEqual({ id: "twin", index: 0 });
    expect(findVertex([a, twin], { x: 10, y: 10 }, 3)).toEqual({ id: "a", index: 0 });
  });
  it("closes drawn points only with three distinct ones", () => {
    expect(closedPoints([{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 0 }, { x: 0, y: 5 }, { x: 0, y: 0 }])).toEqual([[0, 0], [5, 0], [0, 5]]);
    expect(closedPoints([{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 0 }])).toMatch(/at least 3 points/);
  });
  it("reports records that cannot be drawn", () => {
    expect(polygonProblems([{ id: "p", label: "a", source: "human", points: [[0, 0], [1, 1]] }, { id: "q", label: "a", points: [[0, 0], [1, "x"], [2, 2]] }]))
      .toEqual(["polygons[0] is not shown: it has fewer than 3 points", "polygons[1] is not shown: a point is not [x, y]"]);
  });
});

function setup(records: Polygon[] = []) {
  const list = new RecordList<Polygon>("polygons", records);
  let n = 0;
  const tool = new PolygonTool(list, () => ({ width: 400, height: 300 }), () => `p${++n}`);
  const apply = (changes: Change[]) => changes.forEach((c) => list.apply(c));
  return { list, tool, apply };
}
const at = (tool: string, now: number, scale = 1) => ({ tool, scale, now });

describe("the polygon tool", () => {
  it("Tab / Shift+Tab select the next / previous polygon, not while one is being drawn", () => {
    const square = (id: string): Polygon => ({ id, label: "a", source: "human", points: [[0, 0], [9, 0], [9, 9]] });
    const { tool } = setup([square("a"), square("b"), square("c")]);
    expect(tool.cycle(1)).toBe(true);
    expect(tool.selection).toEqual({ id: "a", vertex: null });
    tool.cycle(1);
    expect(tool.selection?.id).toBe("b");
    tool.cycle(-1);
    tool.cycle(-1);
    expect(tool.selection?.id).toBe("c"); // wraps around
    tool.selection = { id: "a", vertex: 2 };
    tool.cycle(1);
    expect(tool.selection).toEqual({ id: "b", vertex: null });
    tool.press({ x: 100, y: 100 }, at("polygon", 0), "a"); // start drawing
    expect(tool.cycle(1)).toBe(false);
    expect(setup().tool.cycle(1)).toBe(false); // no polygons
  });
  it("five clicks and Enter make one polygon in image pixels, selected", () => {
    const { list, tool, apply } = setup();
    const clicks = [[50, 40], [150, 40], [180, 120], [100, 160], [30, 110]];
    clicks.forEach(([x, y], i) => expect(tool.press({ x: x!, y: y! }, at("polygon", i * 1000), "cat").handled).toBe(true));
    expect(tool.drawing).toHaveLength(5);
    const { changes, problem } = tool.close("cat");
    expect(problem).toBeNull();
    apply(changes);
    expect(list.items).toEqual([{ id: "p1", label: "cat", source: "human", points: clicks }]);
    expect(tool.selection).toEqual({ id: "p1", vertex: null });
  });
  it("a double-click, or a click on the first point, closes; clicks are clamped to the image", () => {
    const { list, tool, apply } = setup();
    tool.press({ x: 10, y: 10 }, at("polygon", 0), "cat");
    tool.press({ x: 500, y: 10 }, at("polygon", 1000), "cat");
    tool.press({ x: 200, y: 200 }, at("polygon", 2000), "cat");
    const double = tool.press({ x: 201, y: 201 }, at("polygon", 2200), "cat");
    apply(double.changes);
    expect(list.items[0]!.points).toEqual([[10, 10], [400, 10], [200, 200]]);
    tool.press({ x: 20, y: 150 }, at("polygon", 5000), "cat");
    tool.press({ x: 80, y: 150 }, at("polygon", 6000), "cat");
    tool.press({ x: 80, y: 200 }, at("polygon", 7000), "cat");
    apply(tool.press({ x: 22, y: 149 }, at("polygon", 8000), "cat").changes); // on the first point
    expect(list.items).toHaveLength(2);
    expect(list.items[1]!.points).toHaveLength(3);
    // Two quick clicks at the start are not a polygon: the tool says why.
    tool.press({ x: 300, y: 250 }, at("polygon", 10000), "cat");
    expect(tool.press({ x: 300, y: 250 }, at("polygon", 10100), "cat").problem).toMatch(/at least 3 points/);
  });
  it("drags a vertex (tolerance in screen pixels), and undoing restores it", () => {
    const { list, tool, apply } = setup([{ id: "q", label: "cat", source: "model", score: 0.5, points: square }]);
    const press = tool.press({ x: 51.5, y: 11 }, at("polygon", 0, 2), "cat");
    expect(press).toMatchObject({ handled: true, drag: true });
    expect(tool.selection).toEqual({ id: "q", vertex: 1 });
    tool.move({ x: 71.5, y: 21 });
    expect(tool.shown(3).selected?.points[1]).toEqual([70, 20]);
    const changes = tool.release();
    expect(changes).toHaveLength(1);
    const before = list.get("q")!;
    apply(changes);
    expect(list.get("q")).toEqual({ id: "q", label: "cat", source: "human", points: [[10, 10], [70, 20], [50, 50], [10, 50]] });
    list.apply({ field: "polygons", op: "update", record: before }); // what undo replays
    expect(list.get("q")!.points[1]).toEqual([50, 10]);
    // At 1x zoom, 5 image px away is too far for a vertex: a new polygon starts instead.
    expect(tool.press({ x: 55.5, y: 15 }, at("polygon", 0, 0.5), "cat").drag).toBe(true);
    tool.release();
    tool.selection = null;
    tool.press({ x: 45, y: 16 }, at("polygon", 0, 1), "cat");
    expect(tool.drawing).toHaveLength(1);
  });
  it("a press on an edge of the selected polygon inserts a vertex there; Delete removes the selected vertex", () => {
    const { list, tool, apply } = setup([{ id: "q", label: "cat", source: "human", points: square }]);
    tool.selection = { id: "q", vertex: null };
    expect(tool.press({ x: 30, y: 11 }, at("polygon", 0), "cat").drag).toBe(true);
    apply(tool.release()); // a click: the vertex is inserted where the edge was pressed
    expect(list.get("q")!.points).toEqual([[10, 10], [30, 10], [50, 10], [50, 50], [10, 50]]);
    expect(tool.selection).toEqual({ id: "q", vertex: 1 });
    const removal = tool.remove();
    expect(Array.isArray(removal)).toBe(true);
    apply(removal as Change[]);
    expect(list.get("q")!.points).toEqual(square);
    expect(tool.selection).toEqual({ id: "q", vertex: null });
    // Delete with only the polygon selected removes it; a triangle's vertex cannot go.
    apply(tool.remove() as Change[]);
    expect(list.items).toHaveLength(0);
    const tri = setup([{ id: "t", label: "cat", source: "human", points: [[0, 0], [40, 0], [0, 40]] }]);
    tri.tool.selection = { id: "t", vertex: 2 };
    expect(tri.tool.remove()).toMatch(/at least 3 points/);
  });
  it("Backspace while drawing drops the last point; Escape cancels; relabel changes the selected polygon", () => {
    const { list, tool, apply } = setup([{ id: "q", label: "cat", source: "human", points: square }]);
    tool.press({ x: 100, y: 100 }, at("polygon", 0), "cat");
    tool.press({ x: 200, y: 100 }, at("polygon", 1000), "cat");
    expect(tool.remove()).toEqual([]);
    expect(tool.drawing).toHaveLength(1);
    expect(tool.cancel()).toBe(true);
    expect(tool.drawing).toBeNull();
    expect(tool.press({ x: 30, y: 30 }, at("select", 0), "cat")).toMatchObject({ handled: true, drag: false });
    expect(tool.selection).toEqual({ id: "q", vertex: null });
    apply(tool.relabel("dog") as Change[]);
    expect(list.get("q")!.label).toBe("dog");
    expect(tool.press({ x: 300, y: 250 }, at("select", 0), "cat").handled).toBe(false);
  });
});
