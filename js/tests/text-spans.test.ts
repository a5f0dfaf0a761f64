import { describe, expect, it } from "vitest";
import { OffsetMap } from "../lib/offsets";
import { type Shown, assignLevels, checkRecords, compareShown, coveringAt, cycle, formatScore, freeLevel, segmentBlock } from "../text/spans";
import type { Span } from "../types";

function item(id: string, s16: number, e16: number, kind: Shown["kind"] = "span", level = 0): Shown {
  const record: Span = { id, start: s16, end: e16, label: "X", text: "", source: "human" };
  return { id, kind, label: "X", start: s16, end: e16, s16, e16, level, record };
}

describe("assignLevels", () => {
  it("gives overlapping spans different levels and reuses free ones", () => {
    const a = item("a", 0, 10);
    const b = item("b", 2, 5);
    const c = item("c", 4, 8);
    const d = item("d", 10, 12);
    const used = assignLevels([c, b, a, d]);
    expect([a.level, b.level, c.level, d.level]).toEqual([0, 1, 2, 0]);
    expect(used).toBe(3);
  });
  it("never lets two overlapping items share a level (random check)", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const items = Array.from({ length: 300 }, (_, i) => {
      const s = Math.floor(rand() * 1000);
      return item(String(i), s, s + 1 + Math.floor(rand() * 40));
    });
    assignLevels(items);
    for (const x of items) {
      for (const y of items) {
        if (x !== y && x.s16 < y.e16 && y.s16 < x.e16) expect(x.level).not.toBe(y.level);
      }
    }
  });
  it("finds the lowest free level for a new item without moving others", () => {
    const a = item("a", 0, 10, "span", 0);
    const b = item("b", 2, 5, "span", 1);
    expect(freeLevel(item("n", 3, 4), [a, b])).toBe(2);
    expect(freeLevel(item("n", 6, 9), [a, b])).toBe(1);
    expect(freeLevel(item("n", 10, 11), [a, b])).toBe(0);
    expect(freeLevel(item("a", 0, 3), [a, b])).toBe(0); // ignores itself
  });
});

describe("segments and hits", () => {
  const a = item("a", 0, 10);
  const b = item("b", 2, 5);
  it("cuts a block at span boundaries with the covering items", () => {
    const segments = segmentBlock(0, 12, [a, b]);
    expect(segments.map((s) => [s.start, s.end, s.covering.map((c) => c.id).join("")])).toEqual([
      [0, 2, "a"], [2, 5, "ab"], [5, 10, "a"], [10, 12, ""],
    ]);
  });
  it("clips spans that cross the block's edges", () => {
    const segments = segmentBlock(4, 8, [a, b]);
    expect(segments.map((s) => [s.start, s.end, s.covering.length])).toEqual([[4, 5, 2], [5, 8, 1]]);
  });
  it("an empty block is one empty segment", () => {
    expect(segmentBlock(3, 3, [])).toEqual([{ start: 3, end: 3, covering: [] }]);
  });
  it("lists the items under an offset, innermost first", () => {
    expect(coveringAt([a, b], 3).map((x) => x.id)).toEqual(["b", "a"]);
    expect(coveringAt([a, b], 5).map((x) => x.id)).toEqual(["a"]);
    expect(coveringAt([a, b], 10)).toEqual([]);
  });
  it("cycles in document order, wrapping", () => {
    const s = item("s", 2, 5, "suggestion");
    const items = [b, s, a];
    expect([...items].sort(compareShown).map((x) => x.id)).toEqual(["a", "b", "s"]);
    expect(cycle(items, undefined, 1)?.id).toBe("a");
    expect(cycle(items, a, 1)?.id).toBe("b");
    expect(cycle(items, b, 1)?.id).toBe("s");
    expect(cycle(items, s, 1)?.id).toBe("a");
    expect(cycle(items, a, -1)?.id).toBe("s");
    expect(cycle([], undefined, 1)).toBeUndefined();
  });
  it("formats scores", () => {
    expect(formatScore(0.876)).toBe("0.88");
    expect(formatScore(undefined)).toBe("");
  });
});

describe("checkRecords", () => {
  const text = "😀 Anna lives in Köln";
  const map = new OffsetMap(text);
  const good = { id: "g", start: 2, end: 6, label: "PER", text: "Anna", source: "human" };
  it("converts code points to UTF-16 after an emoji", () => {
    const { shown, problems } = checkRecords([good], "span", text, map, ["PER"]);
    expect(problems).toEqual([]);
    expect([shown[0]?.s16, shown[0]?.e16]).toEqual([3, 7]);
    expect(text.slice(shown[0]?.s16, shown[0]?.e16)).toBe("Anna");
  });
  it("describes what cannot be shown and keeps the rest", () => {
    const records = [
      good,
      { ...good, id: "far", start: 3, end: 999 },
      { ...good, id: "neg", start: -1 },
      { ...good, id: "rev", start: 6, end: 2 },
      { ...good, id: "txt", text: "Otto" },
      { ...good, id: "flt", start: 2.5 },
      { ...good, id: "g" },
      { start: 0, end: 1, label: "PER" },
      null,
      { ...good, id: "lab", label: "ORG" },
    ];
    const { shown, problems } = checkRecords(records, "span", text, map, ["PER"]);
    expect(shown.map((s) => s.id)).toEqual(["g", "lab"]);
    expect(problems).toHaveLength(9);
    expect(problems[0]).toContain("ends beyond the text (20 characters)");
    expect(problems[0]).toContain("far");
    expect(problems[3]).toContain("differs from the document's");
    expect(problems[5]).toContain("repeats the id");
    expect(problems[8]).toContain("unknown label");
  });
});
