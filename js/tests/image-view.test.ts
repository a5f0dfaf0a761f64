import { describe, expect, it } from "vitest";
import { toImage, toScreen } from "../lib/geometry";
import {
  backingSize, chooseSource, fit, keepVisible, layerTransform, pan, scaleLimits, stageHeight, stagePoint, visibleRect, wheelFactor,
  zoomAt,
} from "../image/view";

const vp = { width: 800, height: 400 };

describe("image view", () => {
  it("fits a 4000x3000 image into the stage, centred", () => {
    const view = fit(4000, 3000, vp);
    expect(view.scale).toBeCloseTo(400 / 3000);
    const left = toScreen(view, { x: 0, y: 0 });
    const right = toScreen(view, { x: 4000, y: 3000 });
    expect(left.y).toBeCloseTo(0);
    expect(right.y).toBeCloseTo(400);
    expect(left.x + right.x).toBeCloseTo(800); // centred horizontally
  });

  it("zooms around the pointer: the image point under it stays put", () => {
    const view = fit(400, 300, vp);
    const at = { x: 500, y: 123 };
    const before = toImage(view, at);
    const zoomed = zoomAt(view, 1.43, at, 400, 300, vp);
    expect(zoomed.scale).toBeCloseTo(view.scale * 1.43);
    const after = toImage(zoomed, at);
    expect(after.x).toBeCloseTo(before.x, 6);
    expect(after.y).toBeCloseTo(before.y, 6);
  });

  it("limits zoom between half the fitted scale and 32 screen px per image px", () => {
    const view = fit(400, 300, vp);
    const { min, max } = scaleLimits(400, 300, vp);
    expect(zoomAt(view, 1e-6, { x: 0, y: 0 }, 400, 300, vp).scale).toBeCloseTo(min);
    expect(zoomAt(view, 1e6, { x: 0, y: 0 }, 400, 300, vp).scale).toBe(max);
    expect(max).toBe(32);
  });

  it("keeps part of the image on screen when panning far away", () => {
    const view = { scale: 2, offsetX: 0, offsetY: 0 };
    const far = pan(view, -1e6, -1e6, 400, 300, vp);
    const visible = visibleRect(far, vp, 400, 300);
    expect(visible.w).toBeGreaterThan(0);
    expect(visible.h).toBeGreaterThan(0);
    // A view already inside is left alone.
    expect(keepVisible(view, 400, 300, vp)).toEqual(view);
  });

  it("maps wheel deltas to zoom factors in every delta mode", () => {
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(-100, 0) * wheelFactor(100, 0)).toBeCloseTo(1);
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-48, 0));
    expect(wheelFactor(-1e9, 0)).toBeCloseTo(wheelFactor(-300, 0)); // bounded
  });

  it("draws the preview until it would be magnified, then the full resolution", () => {
    const fitted = { scale: 0.25, offsetX: 0, offsetY: 0 };
    expect(chooseSource(fitted, 1, 3, true, false)).toBe("preview");
    expect(chooseSource(fitted, 1, 3, true, true)).toBe("preview"); // 0.75 device px per preview px
    expect(chooseSource({ ...fitted, scale: 1 }, 1, 3, true, true)).toBe("full");
    expect(chooseSource(fitted, 2, 3, true, true)).toBe("preview"); // 1.5: still enough
    expect(chooseSource(fitted, 2.5, 3, true, true)).toBe("full"); // high-DPI screen
    expect(chooseSource(fitted, 1, 1, false, true)).toBe("full");
    expect(chooseSource(fitted, 1, 1, false, false)).toBeNull();
  });

  it("sizes canvases in device pixels and maps pointer positions to CSS pixels", () => {
    expect(backingSize({ width: 801, height: 400 }, 1.5)).toEqual({ width: 1202, height: 600 });
    // A stage scaled by a CSS transform (bounds twice the layout size).
    const p = stagePoint(210, 120, { left: 10, top: 20, width: 1600, height: 800 }, vp);
    expect(p).toEqual({ x: 100, y: 50 });
  });

  it("gives the stage the image's aspect within bounds", () => {
    expect(stageHeight(800, 400, 300)).toBe(600);
    expect(stageHeight(800, 4000, 500)).toBe(240);
    expect(stageHeight(800, 300, 3000)).toBe(640);
  });

  it("keeps image coordinates independent of devicePixelRatio", () => {
    // The view works in CSS pixels; dpr only changes the backing store.
    const view = fit(4000, 3000, vp);
    const a = toImage(view, stagePoint(410, 220, { left: 10, top: 20, width: 800, height: 400 }, vp));
    expect(a.x).toBeCloseTo(2000);
    expect(a.y).toBeCloseTo(1500);
  });
});

describe("layer transform while panning and zooming", () => {
  it("moves a layer drawn under one view to where the other view shows it", () => {
    const drawn = { scale: 2, offsetX: 10, offsetY: 20 };
    const now = { scale: 3, offsetX: 15, offsetY: 18 };
    expect(layerTransform(drawn, drawn)).toBe("");
    const css = layerTransform(drawn, now);
    const [tx, ty, k] = (css.match(/-?[\d.]+/g) ?? []).map(Number) as [number, number, number];
    // An image point drawn at screen s under `drawn` must land where `now` puts it.
    const p = { x: 40, y: 50 };
    const s = toScreen(drawn, p);
    const target = toScreen(now, p);
    expect(s.x * k + tx).toBeCloseTo(target.x);
    expect(s.y * k + ty).toBeCloseTo(target.y);
  });
});
