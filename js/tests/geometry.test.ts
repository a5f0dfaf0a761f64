import { describe, expect, it } from "vitest";
import {
  fitView, iou, moveRect, panBy, rectFromPoints, resizeRect, toImage, toScreen, zoomAround,
} from "../lib/geometry";

describe("rectangles", () => {
  it("spans two points in any order and clamps to the image", () => {
    expect(rectFromPoints({ x: 50, y: 40 }, { x: 10, y: -5 }, 100, 80)).toEqual({ x: 10, y: 0, w: 40, h: 40 });
  });
  it("moves inside the image only", () => {
    expect(moveRect({ x: 10, y: 10, w: 20, h: 20 }, 200, -50, 100, 80)).toEqual({ x: 80, y: 0, w: 20, h: 20 });
  });
  it("resizes from a corner and flips when edges cross", () => {
    const r = { x: 10, y: 10, w: 20, h: 20 };
    expect(resizeRect(r, "se", 5, 10, 100, 100)).toEqual({ x: 10, y: 10, w: 25, h: 30 });
    expect(resizeRect(r, "nw", 30, 0, 100, 100)).toEqual({ x: 30, y: 10, w: 10, h: 20 });
    expect(resizeRect(r, "n", 0, -50, 100, 100)).toEqual({ x: 10, y: 0, w: 20, h: 30 });
  });
  it("computes intersection over union", () => {
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150);
    expect(iou({ x: 0, y: 0, w: 1, h: 1 }, { x: 5, y: 5, w: 1, h: 1 })).toBe(0);
  });
});

describe("view transform", () => {
  it("round-trips screen and image coordinates", () => {
    const view = { scale: 2.5, offsetX: 13, offsetY: -7 };
    const p = { x: 31.25, y: 8.5 };
    const back = toImage(view, toScreen(view, p));
    expect(back.x).toBeCloseTo(p.x);
    expect(back.y).toBeCloseTo(p.y);
  });
  it("fits and centres an image", () => {
    const view = fitView(400, 300, 800, 300);
    expect(view.scale).toBe(1);
    expect(toScreen(view, { x: 0, y: 0 })).toEqual({ x: 200, y: 0 });
  });
  it("zooms around the pointer, keeping the point under it fixed", () => {
    const view = fitView(400, 300, 400, 300);
    const at = { x: 120, y: 80 };
    const before = toImage(view, at);
    const zoomed = zoomAround(view, 3, at);
    const after = toImage(zoomed, at);
    expect(zoomed.scale).toBe(3);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });
  it("pans by screen pixels", () => {
    const view = panBy({ scale: 2, offsetX: 0, offsetY: 0 }, 10, -20);
    expect(view).toEqual({ scale: 2, offsetX: -5, offsetY: 10 });
  });
});
