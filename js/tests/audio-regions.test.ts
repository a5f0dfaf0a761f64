import { describe, expect, it } from "vitest";
import { assignLanes, hitTest, intervalFromDrag, moveInterval, resizeInterval, visibleItems } from "../audio/regions";

const item = (key: string, start: number, end: number) => ({ key, start, end });

describe("lanes", () => {
  it("puts regions that do not overlap in one lane", () => {
    const lanes = assignLanes([item("a", 0, 1), item("b", 1, 2), item("c", 3, 4)]);
    expect(lanes.count).toBe(1);
    expect([...lanes.lane.values()]).toEqual([0, 0, 0]);
  });
  it("stacks overlapping regions and reuses freed lanes", () => {
    const lanes = assignLanes([item("a", 0, 5), item("b", 1, 2), item("c", 1.5, 3), item("d", 2.5, 4)]);
    expect(lanes.count).toBe(3);
    expect(lanes.lane.get("a")).toBe(0);
    expect(lanes.lane.get("b")).toBe(1);
    expect(lanes.lane.get("c")).toBe(2);
    expect(lanes.lane.get("d")).toBe(1); // b ended at 2
  });
  it("has one lane when empty", () => {
    expect(assignLanes([]).count).toBe(1);
  });
});

describe("hit testing", () => {
  const items = [item("a", 0, 5), item("b", 1, 2), item("c", 4, 4.1)];
  const lanes = assignLanes(items);
  it("finds a body in the pointer's lane only", () => {
    expect(hitTest(items, lanes, 3, 0, 0.05)).toEqual({ key: "a", part: "body" });
    expect(hitTest(items, lanes, 1.5, 1, 0.05)).toEqual({ key: "b", part: "body" });
    expect(hitTest(items, lanes, 3, 1, 0.05)).toBeNull();
  });
  it("finds edges within the tolerance", () => {
    expect(hitTest(items, lanes, 1.04, 1, 0.05)).toEqual({ key: "b", part: "start" });
    expect(hitTest(items, lanes, 1.97, 1, 0.05)).toEqual({ key: "b", part: "end" });
  });
  it("keeps the body of a narrow region reachable", () => {
    expect(hitTest(items, lanes, 4.05, 1, 0.05)).toEqual({ key: "c", part: "body" });
  });
  it("prefers the selected region's edges where two edges meet", () => {
    const touching = [item("x", 0, 1), item("y", 1, 2)];
    const l = assignLanes(touching);
    expect(hitTest(touching, l, 1, 0, 0.05)?.key).toBe("x");
    expect(hitTest(touching, l, 1, 0, 0.05, "y")).toEqual({ key: "y", part: "start" });
  });
});

describe("editing intervals", () => {
  it("moves inside the recording, keeping the length", () => {
    expect(moveInterval({ start: 1, end: 3 }, 5, 5)).toEqual({ start: 3, end: 5 });
    expect(moveInterval({ start: 1, end: 3 }, -5, 5)).toEqual({ start: 0, end: 2 });
  });
  it("resizes an edge and flips when it crosses the other", () => {
    expect(resizeInterval({ start: 1, end: 3 }, "end", 4, 10)).toEqual({ start: 1, end: 4 });
    expect(resizeInterval({ start: 1, end: 3 }, "start", 5, 10)).toEqual({ start: 3, end: 5 });
    expect(resizeInterval({ start: 1, end: 3 }, "end", 20, 10)).toEqual({ start: 1, end: 10 });
  });
  it("builds an interval from a drag in either direction", () => {
    expect(intervalFromDrag(4, 2, 10)).toEqual({ start: 2, end: 4 });
    expect(intervalFromDrag(-1, 2, 10)).toEqual({ start: 0, end: 2 });
  });
  it("lists the items in view", () => {
    expect(visibleItems([item("a", 0, 1), item("b", 2, 3)], 1, 2.5).map((i) => i.key)).toEqual(["b"]);
  });
});
