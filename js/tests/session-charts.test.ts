import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CHART_H, CHART_W, PAD, type ChartState, annotatorBars, annotatorText, balanceBars, curvePoints, histogramBars,
  thresholdX,
} from "../session/charts";

// The same numbers that tests/widget/test_panel.py checks Python's chart_state against.
const fixture = JSON.parse(readFileSync(new URL("../../tests/fixtures/panel_charts.json", import.meta.url), "utf-8")) as {
  charts: Required<ChartState>;
};

describe("session panel charts", () => {
  const { curve, confidence, balance } = fixture.charts;
  it("scales the learning curve into the plot area, higher accuracy higher up", () => {
    const points = curvePoints(curve.n, curve.accuracy);
    expect(points).toHaveLength(curve.n.length);
    expect(points[0]?.[0]).toBeCloseTo(PAD);
    expect(points[points.length - 1]?.[0]).toBeCloseTo(CHART_W - PAD);
    for (let i = 1; i < points.length; i++) expect(points[i]![1]).toBeLessThan(points[i - 1]![1]);
    for (const [, y] of points) expect(y).toBeGreaterThanOrEqual(PAD);
    expect(curvePoints([], [])).toEqual([]);
    expect(curvePoints([5], [1])).toEqual([[CHART_W / 2, PAD]]);
  });
  it("draws one histogram bar per bin, the tallest bin full height, empty bins flat", () => {
    const bars = histogramBars(confidence.counts);
    expect(bars).toHaveLength(20);
    const top = Math.max(...confidence.counts);
    bars.forEach((bar, i) => {
      const count = confidence.counts[i] ?? 0;
      expect(bar.h).toBeCloseTo((count / top) * (CHART_H - 2 * PAD));
      expect(bar.y + bar.h).toBeCloseTo(CHART_H - PAD);
    });
    expect(histogramBars([0, 0]).every((b) => b.h === 0)).toBe(true);
  });
  it("puts the threshold line at its confidence, and none without a threshold", () => {
    expect(thresholdX(confidence.threshold)).toBeCloseTo(PAD + 0.9 * (CHART_W - 2 * PAD));
    expect(thresholdX(null)).toBeNull();
    expect(thresholdX(2)).toBeCloseTo(CHART_W - PAD);
  });
  it("stacks auto labels on human labels per class, scaled to the largest total", () => {
    const bars = balanceBars(balance.human, balance.auto);
    expect(bars).toHaveLength(3);
    const first = bars[0]!;
    expect(first.human.h + first.auto.h).toBeCloseTo(CHART_H - 2 * PAD); // 12 + 20 is the largest
    expect(first.auto.y + first.auto.h).toBeCloseTo(first.human.y);
    expect(bars[2]!.auto.h).toBe(0);
  });
  it("draws one bar per annotator, the busiest longest, in rows inside the chart", () => {
    const { annotators } = fixture.charts;
    const bars = annotatorBars(annotators.items);
    expect(bars).toHaveLength(annotators.names.length);
    expect(bars[0]!.w).toBeGreaterThan(bars[1]!.w);
    expect(bars[1]!.w / bars[0]!.w).toBeCloseTo(12 / 30);
    expect(bars[2]!.w).toBe(0);
    for (const bar of bars) {
      expect(bar.y).toBeGreaterThanOrEqual(PAD);
      expect(bar.y + bar.h).toBeLessThanOrEqual(CHART_H);
      expect(bar.x + bar.w).toBeLessThanOrEqual(CHART_W);
    }
    const many = annotatorBars(Array.from({ length: 8 }, (_, i) => i + 1));
    expect(many[7]!.y + many[7]!.h).toBeLessThanOrEqual(CHART_H);
    expect(annotatorBars([])).toEqual([]);
    expect(annotatorText(annotators.items[1]!, annotators.per_minute[1]!)).toBe("12 · 2.3/min");
  });
});
