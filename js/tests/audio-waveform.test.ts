import { describe, expect, it } from "vitest";
import { type PeakTile, emptyRaster, overlay, rasterize } from "../audio/waveform";

function tile(start: number, end: number, pairs: [number, number][]): PeakTile {
  return { start, end, columns: pairs.length, channels: 1, data: new Float32Array(pairs.flat()), id: 1 };
}

describe("rasterizing peaks onto pixels", () => {
  it("merges columns narrower than a pixel", () => {
    // 4 columns over 0–4 s, view of 2 px over 0–4 s: two columns per pixel
    const out = emptyRaster(2);
    rasterize(tile(0, 4, [[-1, 0], [0, 2], [-3, 1], [0, 0.5]]), 0, { start: 0, secondsPerPixel: 2, width: 2 }, 1, out);
    expect(Array.from(out.min)).toEqual([-1, -3]);
    expect(Array.from(out.max)).toEqual([2, 1]);
    expect(Array.from(out.covered)).toEqual([1, 1]);
  });
  it("stretches columns wider than a pixel (old peaks shown while new ones load)", () => {
    const out = emptyRaster(4);
    rasterize(tile(0, 2, [[-1, 1], [-2, 2]]), 0, { start: 0, secondsPerPixel: 0.5, width: 4 }, 1, out);
    expect(Array.from(out.max)).toEqual([1, 1, 2, 2]);
  });
  it("leaves pixels outside the tile uncovered, and detail wins over the overview", () => {
    const view = { start: 0, secondsPerPixel: 1, width: 4 };
    const coarse = emptyRaster(4);
    rasterize(tile(0, 4, [[-1, 1]]), 0, view, 1, coarse);
    const fine = emptyRaster(4);
    rasterize(tile(1, 3, [[-0.1, 0.1], [-0.2, 0.2]]), 0, view, 1, fine);
    expect(Array.from(fine.covered)).toEqual([0, 1, 1, 0]);
    const both = overlay(coarse, fine);
    expect(Array.from(both.max).map((v) => Number(v.toFixed(2)))).toEqual([1, 0.1, 0.2, 1]);
  });
});
