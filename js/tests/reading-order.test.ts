import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BoxLike, type IntervalLike, type ReadingDirection, boxIdsInOrder, pageDirection, readingOrder, regionIdsInOrder, stepIn, timeOrder } from "../lib/reading_order";

interface Fixture {
  boxes: { name: string; direction?: ReadingDirection; boxes: (BoxLike & { text?: string })[]; order: number[] }[];
  regions: { name: string; regions: IntervalLike[]; order: number[] }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../../tests/fixtures/reading_order.json", import.meta.url), "utf-8"),
);

describe("reading order of boxes, on the shared fixture", () => {
  it("has cases", () => expect(fixture.boxes.length).toBeGreaterThan(5));
  for (const c of fixture.boxes) {
    it(c.name, () => expect(readingOrder(c.boxes, c.direction ?? "ltr")).toEqual(c.order));
  }
  it("tells a page's direction from the first letters of its texts", () => {
    expect(pageDirection([{ text: "שלום" }, { text: "a" }, { text: "b" }])).toBe("ltr");
    expect(pageDirection([{ text: "שלום" }, { text: "עולם" }, { text: 7 }, {}])).toBe("rtl");
    expect(pageDirection([{ text: "12" }])).toBe("ltr");
  });
  it("does not depend on the input order (no ties)", () => {
    const page = fixture.boxes[2] as Fixture["boxes"][number];
    const ids = page.boxes.map((b, i) => ({ ...b, id: `w${i}` }));
    const expected = page.order.map((i) => `w${i}`);
    expect(boxIdsInOrder([...ids].reverse())).toEqual(expected);
    expect(boxIdsInOrder([...ids.slice(3), ...ids.slice(0, 3)])).toEqual(expected);
  });
});

describe("time order of regions, on the shared fixture", () => {
  for (const c of fixture.regions) {
    it(c.name, () => expect(timeOrder(c.regions)).toEqual(c.order));
  }
  it("gives ids", () => {
    expect(regionIdsInOrder([{ id: "late", start: 5, end: 6 }, { id: "early", start: 1, end: 2 }])).toEqual(["early", "late"]);
  });
});

describe("stepIn: Tab and Shift+Tab through an order", () => {
  const order = ["a", "b", "c"];
  it("moves forward and back, wrapping around", () => {
    expect(stepIn(order, "a", 1)).toBe("b");
    expect(stepIn(order, "c", 1)).toBe("a");
    expect(stepIn(order, "a", -1)).toBe("c");
    expect(stepIn(order, "b", -1)).toBe("a");
  });
  it("starts at an end without a current record, or with one that is not in the order", () => {
    expect(stepIn(order, null, 1)).toBe("a");
    expect(stepIn(order, null, -1)).toBe("c");
    expect(stepIn(order, "gone", 1)).toBe("a");
    expect(stepIn(order, "gone", -1)).toBe("c");
  });
  it("has nowhere to go in an empty order; a single record is its own next", () => {
    expect(stepIn([], "a", 1)).toBeNull();
    expect(stepIn(["only"], "only", 1)).toBe("only");
  });
});
