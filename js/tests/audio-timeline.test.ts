import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  clampView, fitView, formatTime, requestWindow, resizeView, scrollBy, snapToSample, tickStep, ticks, tileServes,
  timeToX, viewEnd, xToTime, zoomAt,
} from "../audio/timeline";

const times: { cases: [number, string][] } = JSON.parse(
  readFileSync(new URL("../../tests/fixtures/audio_times.json", import.meta.url), "utf-8"),
);

describe("time formatting", () => {
  it("matches the shared fixture (and Python's format_time)", () => {
    expect(times.cases.length).toBeGreaterThan(5);
    for (const [seconds, text] of times.cases) expect([seconds, formatTime(seconds)]).toEqual([seconds, text]);
  });
});

describe("time <-> pixel", () => {
  const view = { start: 12.5, secondsPerPixel: 0.01, width: 800 };
  it("round-trips", () => {
    expect(timeToX(view, 13.5)).toBeCloseTo(100);
    expect(xToTime(view, timeToX(view, 17.123))).toBeCloseTo(17.123, 9);
    expect(viewEnd(view)).toBeCloseTo(20.5);
  });
  it("fits the whole recording", () => {
    expect(fitView(60, 600)).toEqual({ start: 0, secondsPerPixel: 0.1, width: 600 });
  });
  it("zooms around the pointer and keeps the time under it", () => {
    const fit = fitView(100, 1000);
    const zoomed = zoomAt(fit, 4, 250, 100, 1e-5);
    expect(zoomed.secondsPerPixel).toBeCloseTo(0.025);
    expect(xToTime(zoomed, 250)).toBeCloseTo(25);
  });
  it("never zooms out past the recording nor scrolls past its ends", () => {
    const fit = fitView(100, 1000);
    expect(zoomAt(fit, 0.25, 500, 100, 1e-5)).toEqual(fit);
    const zoomed = zoomAt(fit, 10, 0, 100, 1e-5);
    expect(scrollBy(zoomed, -5000, 100, 1e-5).start).toBe(0);
    expect(viewEnd(scrollBy(zoomed, 1e6, 100, 1e-5))).toBeCloseTo(100);
    expect(clampView({ start: 3, secondsPerPixel: 1e-9, width: 1000 }, 100, 1e-5).secondsPerPixel).toBe(1e-5);
  });
  it("keeps a fitted view fitted when resized", () => {
    expect(resizeView(fitView(30, 300), 600, 30, 1e-5)).toEqual(fitView(30, 600));
    const zoomed = { start: 5, secondsPerPixel: 0.01, width: 300 };
    expect(resizeView(zoomed, 600, 30, 1e-5)).toEqual({ start: 5, secondsPerPixel: 0.01, width: 600 });
  });
  it("snaps to the sample inside the recording", () => {
    expect(snapToSample(1.00004, 8000, 10)).toBe(8000 / 8000);
    expect(snapToSample(1.00007, 8000, 10)).toBe(8001 / 8000);
    expect(snapToSample(-1, 8000, 10)).toBe(0);
    expect(snapToSample(11, 8000, 10)).toBe(10);
  });
});

describe("ticks", () => {
  it("chooses round steps at least 90 px apart", () => {
    expect(tickStep(0.01)).toBe(1);
    expect(tickStep(0.001)).toBe(0.1);
    expect(tickStep(10)).toBe(900);
    expect(ticks({ start: 0.95, secondsPerPixel: 0.01, width: 300 }, 1)).toEqual([1, 2, 3]);
  });
});

describe("data windows", () => {
  it("asks for the view plus a margin, clamped to the recording", () => {
    const view = { start: 10, secondsPerPixel: 0.01, width: 1000 }; // 10–20 s at 1000 Hz
    expect(requestWindow(view, 1000, 100_000, 1)).toEqual({ start: 0, end: 30_000, columns: 3000 });
    expect(requestWindow({ start: 0, secondsPerPixel: 0.1, width: 1000 }, 1000, 100_000, 1))
      .toEqual({ start: 0, end: 100_000, columns: 1000 });
  });
  it("never asks for more columns than samples", () => {
    const deep = { start: 1, secondsPerPixel: 1 / 20_000, width: 1000 };
    const w = requestWindow(deep, 1000, 100_000, 1);
    expect(w.columns).toBeLessThanOrEqual(w.end - w.start);
  });
  it("knows when a tile still serves the view", () => {
    const view = { start: 10, secondsPerPixel: 0.01, width: 1000 };
    const tile = requestWindow(view, 1000, 100_000, 1);
    expect(tileServes(tile, view, 1000, 100_000)).toBe(true);
    expect(tileServes(tile, scrollBy(view, 500, 100, 1e-5), 1000, 100_000)).toBe(true);
    expect(tileServes(tile, scrollBy(view, 1500, 100, 1e-5), 1000, 100_000)).toBe(false);
    expect(tileServes(tile, zoomAt(view, 2, 500, 100, 1e-5), 1000, 100_000)).toBe(false);
    expect(tileServes(tile, zoomAt(view, 1.2, 500, 100, 1e-5), 1000, 100_000)).toBe(true);
    // Zoomed out 2× inside the margin: finer data still serves; 8× out it no longer covers.
    expect(tileServes(tile, zoomAt(view, 0.5, 500, 100, 1e-5), 1000, 100_000)).toBe(true);
    expect(tileServes(tile, zoomAt(view, 0.125, 500, 100, 1e-5), 1000, 100_000)).toBe(false);
    // The whole-file overview serves a fitted view up to 4 columns per pixel.
    const overview = { start: 0, end: 100_000, columns: 2048 };
    expect(tileServes(overview, fitView(100, 848), 1000, 100_000)).toBe(true);
    expect(tileServes(overview, fitView(100, 400), 1000, 100_000)).toBe(false);
  });
});
