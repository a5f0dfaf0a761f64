import { describe, expect, it } from "vitest";
import type { Box, Region } from "../types";
import { RecordList } from "../lib/sync";
import { baseDirection } from "../lib/bidi";
import { actionFor } from "../image/shortcuts";
import { Scene } from "../image/scene";
import { FIELD_H, boxOrder, fieldPlacement, textChange } from "../image/transcribe";
import { fieldPlacement as regionFieldPlacement, regionOrder } from "../audio/transcribe";

const box = (id: string, x: number, y: number, extra: Partial<Box> = {}): Box => ({ id, x, y, w: 40, h: 20, label: "line", source: "human", ...extra });

function scene(boxes: Box[]): Scene {
  return new Scene(new RecordList("boxes", boxes), new RecordList("keypoints", []), new RecordList("suggestions", []), 400, 300);
}

describe("baseDirection: the first strong character decides, as dir=auto does", () => {
  it.each([
    ["Hallo Welt", "ltr"],
    ["שלום עולם", "rtl"],
    ["مرحبا بالعالم", "rtl"],
    ["123 שלום", "rtl"], // digits are not strong
    ["«שלום» world", "rtl"],
    ["Hello שלום", "ltr"],
    ["ܫܠܡܐ", "rtl"], // Syriac
    ["日本語", "ltr"],
    ["Ελληνικά", "ltr"],
    ["", "ltr"],
    ["42 — !", "ltr"],
  ])("%s → %s", (text, direction) => expect(baseDirection(text)).toBe(direction));
});

describe("the text of a box", () => {
  it("is set by one update that keeps the box and makes it a person's", () => {
    const s = scene([box("b1", 0, 0, { source: "model", score: 0.7 })]);
    expect(textChange(s, "b1", "Hallo Welt")).toEqual([
      { field: "boxes", op: "update", record: { id: "b1", x: 0, y: 0, w: 40, h: 20, label: "line", source: "human", text: "Hallo Welt" } },
    ]);
  });
  it("changes nothing when the text is the same (no text counts as empty), or the box is gone", () => {
    const s = scene([box("b1", 0, 0, { text: "same" }), box("b2", 0, 40)]);
    expect(textChange(s, "b1", "same")).toEqual([]);
    expect(textChange(s, "b2", "")).toEqual([]);
    expect(textChange(s, "gone", "x")).toEqual([]);
    expect(textChange(s, "b1", "")).toHaveLength(1); // clearing a text is an edit
  });
  it("Tab order is reading order, malformed boxes left out", () => {
    const bad = { id: "bad", x: Number.NaN, y: 0, w: 1, h: 1, label: "line", source: "human" } as Box;
    const s = scene([box("second-line", 0, 50), box("right", 60, 2), bad, box("left", 0, 0)]);
    expect(boxOrder(s)).toEqual(["left", "right", "second-line"]);
    expect(boxOrder(s, "rtl")).toEqual(["right", "left", "second-line"]);
  });
  it("Tab order follows the page's script when the direction is auto", () => {
    const s = scene([box("left", 0, 0, { text: "שלום" }), box("right", 60, 2, { text: "עולם" }), box("next", 0, 50)]);
    expect(boxOrder(s, "auto")).toEqual(["right", "left", "next"]);
    expect(boxOrder(s, "ltr")).toEqual(["left", "right", "next"]);
  });
});

describe("where the text field goes", () => {
  const vp = { width: 800, height: 600 };
  it("below the box, as wide as the box (at least a usable width), following zoom and pan", () => {
    const b = box("b", 100, 50, { w: 300, h: 40 });
    expect(fieldPlacement(b, { scale: 1, offsetX: 0, offsetY: 0 }, vp)).toEqual({ left: 100, top: 92, width: 300 });
    expect(fieldPlacement(b, { scale: 2, offsetX: 50, offsetY: 25 }, vp)).toEqual({ left: 100, top: 132, width: 520 });
    expect(fieldPlacement(box("s", 10, 10, { w: 20 }), { scale: 1, offsetX: 0, offsetY: 0 }, vp).width).toBe(180);
  });
  it("above the box when there is no room below, and always inside the stage", () => {
    const low = box("low", 700, 560, { w: 90, h: 30 });
    const placed = fieldPlacement(low, { scale: 1, offsetX: 0, offsetY: 0 }, vp);
    expect(placed.top + FIELD_H).toBeLessThanOrEqual(560);
    expect(placed.left + placed.width).toBeLessThanOrEqual(800);
    const off = fieldPlacement(box("off", 0, 0), { scale: 1, offsetX: 500, offsetY: 900 }, vp);
    expect(off.left).toBeGreaterThanOrEqual(0);
    expect(off.top).toBeGreaterThanOrEqual(0);
  });
});

describe("regions: order and field", () => {
  it("Tab order is time order, malformed regions left out", () => {
    const r = (id: string, start: number, end: number): Region => ({ id, start, end, label: "speech", source: "human" });
    expect(regionOrder([r("b", 2, 3), r("bad", 5, 4), r("a", 0, 1), r("c", 2, 4)])).toEqual(["a", "b", "c"]);
  });
  it("the field sits at the bottom of the region's lane, from the region's start", () => {
    const view = { start: 10, secondsPerPixel: 0.01, width: 1000 };
    const placed = regionFieldPlacement({ start: 12, end: 15 }, view, { top: 100, height: 100 }, 200);
    expect(placed).toEqual({ left: 200, top: 200 - FIELD_H - 4, width: 300 });
    // A short region still gets a usable field, kept inside the view.
    const edge = regionFieldPlacement({ start: 19.9, end: 19.95 }, view, { top: 0, height: 200 }, 200);
    expect(edge.width).toBe(220);
    expect(edge.left + edge.width).toBeLessThanOrEqual(1000);
  });
});

describe("image keys", () => {
  it("F2 edits the text; Enter stays accept (the widget turns it into editing a selected box)", () => {
    const key = (k: string) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false });
    expect(actionFor(key("F2"))).toEqual({ kind: "transcribe" });
    expect(actionFor(key("Enter"))).toEqual({ kind: "accept" });
  });
});
