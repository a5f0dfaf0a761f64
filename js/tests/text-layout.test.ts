import { describe, expect, it } from "vitest";
import { VirtualLayout, blockIndexAt, blocksOverlapping, estimateHeight, splitBlocks } from "../text/layout";

describe("splitBlocks", () => {
  it("cuts at every kind of line break and keeps offsets", () => {
    const text = "one\ntwo\r\nthree\rfour\u2028five";
    const blocks = splitBlocks(text);
    expect(blocks.map((b) => text.slice(b.start, b.end))).toEqual(["one", "two", "three", "four", "five"]);
    expect(blocks.every((b) => !b.continued)).toBe(true);
  });
  it("keeps empty lines as empty blocks, and an empty text as one block", () => {
    expect(splitBlocks("a\n\nb").map((b) => [b.start, b.end])).toEqual([[0, 1], [2, 2], [3, 4]]);
    expect(splitBlocks("")).toEqual([{ start: 0, end: 0, continued: false }]);
    expect(splitBlocks("x\n").map((b) => [b.start, b.end])).toEqual([[0, 1], [2, 2]]);
  });
  it("cuts a long line after a space, no block longer than the limit", () => {
    const text = "word ".repeat(100).trim();
    const blocks = splitBlocks(text, 42);
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) expect(b.end - b.start).toBeLessThanOrEqual(42);
    expect(blocks.map((b) => text.slice(b.start, b.end)).join("")).toBe(text);
    for (const b of blocks.slice(0, -1)) {
      expect(b.continued).toBe(true);
      expect(text[b.end - 1]).toBe(" ");
    }
  });
  it("never cuts a surrogate pair when a line has no space", () => {
    const text = "😀".repeat(50);
    const blocks = splitBlocks(text, 9);
    for (const b of blocks) {
      expect(b.start % 2).toBe(0);
      expect(b.end % 2).toBe(0);
    }
    expect(blocks[blocks.length - 1]?.end).toBe(100);
  });
});

describe("block lookup", () => {
  const text = "alpha\nbeta\n\ngamma";
  const blocks = splitBlocks(text); // [0,5) [6,10) [11,11) [12,17)
  it("finds the block holding an offset (a line break belongs to the block before)", () => {
    expect(blockIndexAt(blocks, 0)).toBe(0);
    expect(blockIndexAt(blocks, 5)).toBe(0);
    expect(blockIndexAt(blocks, 6)).toBe(1);
    expect(blockIndexAt(blocks, 11)).toBe(2);
    expect(blockIndexAt(blocks, 16)).toBe(3);
  });
  it("finds the blocks a range crosses", () => {
    expect(blocksOverlapping(blocks, 2, 8)).toEqual([0, 1]);
    expect(blocksOverlapping(blocks, 12, 17)).toEqual([3, 3]);
  });
});

describe("VirtualLayout", () => {
  it("estimates heights from length, width and line height", () => {
    expect(estimateHeight(0, 80, 20)).toBe(20);
    expect(estimateHeight(80, 80, 20)).toBe(20);
    expect(estimateHeight(81, 80, 20, 4)).toBe(44);
  });
  it("positions blocks and finds the visible range", () => {
    const layout = new VirtualLayout(100, () => 20);
    expect(layout.total).toBe(2000);
    expect(layout.top(10)).toBe(200);
    expect(layout.indexAt(205)).toBe(10);
    expect(layout.indexAt(-5)).toBe(0);
    expect(layout.indexAt(99999)).toBe(99);
    expect(layout.visibleRange(400, 100, 0)).toEqual([20, 25]);
    expect(layout.visibleRange(400, 100, 40)).toEqual([18, 27]);
  });
  it("moves later blocks when a measured height differs from its estimate", () => {
    const layout = new VirtualLayout(5, () => 10);
    expect(layout.setHeight(1, 30)).toBe(true);
    expect(layout.setHeight(1, 30.2)).toBe(false);
    expect(layout.top(2)).toBe(40);
    expect(layout.total).toBe(70);
    expect(layout.isMeasured(1)).toBe(true);
    layout.reestimate(() => 12);
    expect(layout.height(1)).toBe(30);
    expect(layout.height(0)).toBe(12);
    layout.reestimate(() => 12, true);
    expect(layout.height(1)).toBe(12);
    expect(layout.isMeasured(1)).toBe(false);
  });
  it("handles no blocks", () => {
    const layout = new VirtualLayout(0, () => 10);
    expect(layout.total).toBe(0);
    expect(layout.visibleRange(0, 100, 10)).toEqual([0, -1]);
  });
});
