import { describe, expect, it } from "vitest";
import { NOT_FINITE, formatValue, joinPlanes, paintLevels, valueAt, windowIndex, windowTable } from "../image/levels";

const viridisEnds = new Uint8Array(768);
viridisEnds.set([68, 1, 84], 0);
viridisEnds.set([253, 231, 37], 765);

describe("levels", () => {
  it("maps the window to 0..255 and clips outside it", () => {
    expect(windowIndex(100, 100, 200)).toBe(0);
    expect(windowIndex(150, 100, 200)).toBe(128);
    expect(windowIndex(4095, 100, 200)).toBe(255);
    expect(windowIndex(-5, 100, 200)).toBe(0);
    expect(windowIndex(Number.NaN, 0, 1)).toBe(-1);
  });

  it("builds a table that colours levels by value, NaN transparent", () => {
    const table = windowTable({ offset: -1, step: 2 / 65534, vmin: -1, vmax: 1, colormap: viridisEnds });
    const pixels = paintLevels({ data: new Uint16Array([0, 65534, NOT_FINITE]), width: 3, height: 1 }, table);
    expect(Array.from(pixels.slice(0, 4))).toEqual([68, 1, 84, 255]);
    expect(Array.from(pixels.slice(4, 8))).toEqual([253, 231, 37, 255]);
    expect(pixels[11]).toBe(0);
  });

  it("moving the window changes the colours of the same levels", () => {
    const levels = { data: new Uint16Array([1000, 2000]), width: 2, height: 1 };
    const wide = paintLevels(levels, windowTable({ offset: 0, step: 1, vmin: 0, vmax: 4095, colormap: null }));
    const narrow = paintLevels(levels, windowTable({ offset: 0, step: 1, vmin: 900, vmax: 2100, colormap: null }));
    expect(wide[0]).toBe(62);
    expect(narrow[0]).toBe(21);
    expect(narrow[4]).toBe(234);
  });

  it("joins the byte planes the kernel sends (low bytes, then high bytes)", () => {
    expect(Array.from(joinPlanes(new Uint8Array([1, 44, 2, 1]), 2))).toEqual([513, 300]);
  });

  it("reads the original value under the pointer, at the levels' scale", () => {
    const levels = { data: new Uint16Array([0, 7, 4095, NOT_FINITE]), width: 2, height: 2 };
    expect(valueAt(levels, 2, 3.5, 0.2, 100, 1)).toBe(107);
    expect(valueAt(levels, 2, 1, 3, 100, 1)).toBe(4195);
    expect(valueAt(levels, 2, 3, 3, 0, 1)).toBeNaN();
    expect(valueAt(levels, 2, 4, 0, 0, 1)).toBeNull();
    expect(formatValue(0.123456)).toBe("0.1235");
    expect(formatValue(4095)).toBe("4095");
  });
});
