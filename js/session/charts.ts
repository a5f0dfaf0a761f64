/**
 * The session panel's charts, drawn on canvases from numbers in the widget's state (no kernel
 * drawing commands, so a page opened later shows them at once): the learning curve, the
 * confidence histogram with the auto-label threshold, the class balance and, in team mode, each
 * annotator's items and labels per minute. The geometry is
 * pure (tested in js/tests/session-charts.test.ts); `drawCharts` only paints it.
 */

export interface ChartState {
  curve?: { n: number[]; accuracy: number[] };
  confidence?: { counts: number[]; threshold: number | null };
  balance?: { labels: string[]; human: number[]; auto: number[] };
  annotators?: { names: string[]; items: number[]; per_minute: number[] };
}

export interface Rect { x: number; y: number; w: number; h: number }

export const CHART_W = 220;
export const CHART_H = 110;
export const PAD = 14;

/** Points of the learning curve: x spans the label counts, y is accuracy in [0, 1]. */
export function curvePoints(n: readonly number[], accuracy: readonly number[], width = CHART_W, height = CHART_H,
  pad = PAD): [number, number][] {
  const count = Math.min(n.length, accuracy.length);
  if (count === 0) return [];
  const lo = Math.min(...n.slice(0, count));
  const hi = Math.max(...n.slice(0, count));
  const span = hi > lo ? hi - lo : 1;
  const points: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const x = count === 1 ? width / 2 : pad + (((n[i] ?? lo) - lo) / span) * (width - 2 * pad);
    const a = Math.min(1, Math.max(0, accuracy[i] ?? 0));
    points.push([x, height - pad - a * (height - 2 * pad)]);
  }
  return points;
}

/** Bars of the confidence histogram, scaled to the tallest bin (empty bins have height 0). */
export function histogramBars(counts: readonly number[], width = CHART_W, height = CHART_H, pad = PAD): Rect[] {
  if (counts.length === 0) return [];
  const top = Math.max(1, ...counts);
  const barW = (width - 2 * pad) / counts.length;
  return counts.map((c, i) => {
    const h = (Math.max(0, c) / top) * (height - 2 * pad);
    return { x: pad + i * barW, y: height - pad - h, w: Math.max(1, barW - 1), h };
  });
}

/** The x of the threshold line on the histogram (confidence in [0, 1]), or null. */
export function thresholdX(threshold: number | null | undefined, width = CHART_W, pad = PAD): number | null {
  if (threshold === null || threshold === undefined || !Number.isFinite(threshold)) return null;
  return pad + Math.min(1, Math.max(0, threshold)) * (width - 2 * pad);
}

/** Class balance: per class a human bar with the auto bar stacked on it, scaled to the largest total. */
export function balanceBars(human: readonly number[], auto: readonly number[], width = CHART_W, height = CHART_H,
  pad = PAD): { human: Rect; auto: Rect }[] {
  const n = human.length;
  if (n === 0) return [];
  const top = Math.max(1, ...human.map((h, i) => h + (auto[i] ?? 0)));
  const slot = (width - 2 * pad) / n;
  const usable = height - 2 * pad;
  return human.map((h, i) => {
    const hh = (h / top) * usable;
    const ah = ((auto[i] ?? 0) / top) * usable;
    const x = pad + i * slot + slot * 0.15;
    const w = Math.max(1, slot * 0.7);
    return {
      human: { x, y: height - pad - hh, w, h: hh },
      auto: { x, y: height - pad - hh - ah, w, h: ah },
    };
  });
}

/**
 * Team progress: one horizontal bar per annotator, scaled to the most items, in rows that
 * share the plot's height (at most 16 px each, below the title).
 */
export function annotatorBars(items: readonly number[], width = CHART_W, height = CHART_H, pad = PAD): Rect[] {
  const n = items.length;
  if (n === 0) return [];
  const top = Math.max(1, ...items);
  const row = Math.min(16, (height - pad - 4) / n);
  const left = pad + 40; // room for the name
  const usable = width - left - 64; // room for "12 · 3.5/min"
  return items.map((count, i) => ({
    x: left, y: pad + i * row + 1, w: (Math.max(0, count) / top) * usable, h: Math.max(1, row - 3),
  }));
}

/** The text after an annotator's bar: items and labels per minute. */
export function annotatorText(items: number, perMinute: number): string {
  const rate = Number.isFinite(perMinute) ? perMinute.toFixed(1) : "–";
  return `${items} · ${rate}/min`;
}

function frame(ctx: CanvasRenderingContext2D, title: string): void {
  ctx.clearRect(0, 0, CHART_W, CHART_H);
  ctx.fillStyle = "#fafbfc";
  ctx.fillRect(0, 0, CHART_W, CHART_H);
  ctx.strokeStyle = "#ccc";
  ctx.beginPath();
  ctx.moveTo(PAD, PAD);
  ctx.lineTo(PAD, CHART_H - PAD);
  ctx.lineTo(CHART_W - PAD, CHART_H - PAD);
  ctx.stroke();
  ctx.fillStyle = "#333";
  ctx.font = "11px sans-serif";
  ctx.fillText(title, PAD + 2, 11);
}

export function drawCurve(canvas: HTMLCanvasElement, state: ChartState["curve"]): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  frame(ctx, "learning curve (accuracy)");
  const points = state ? curvePoints(state.n, state.accuracy) : [];
  ctx.strokeStyle = "#1976d2";
  ctx.fillStyle = "#1976d2";
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.stroke();
  for (const [x, y] of points) ctx.fillRect(x - 2, y - 2, 4, 4);
  ctx.lineWidth = 1;
}

export function drawHistogram(canvas: HTMLCanvasElement, state: ChartState["confidence"]): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  frame(ctx, "model confidence");
  ctx.fillStyle = "#7a9cc6";
  for (const bar of histogramBars(state?.counts ?? [])) ctx.fillRect(bar.x, bar.y, bar.w, bar.h);
  const x = thresholdX(state?.threshold);
  if (x !== null) {
    ctx.strokeStyle = "#d32f2f";
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x, PAD);
    ctx.lineTo(x, CHART_H - PAD);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

export function drawBalance(canvas: HTMLCanvasElement, state: ChartState["balance"]): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  frame(ctx, "labels per class (human, auto)");
  const bars = state ? balanceBars(state.human, state.auto) : [];
  ctx.font = "10px sans-serif";
  ctx.textAlign = "center";
  bars.forEach(({ human, auto }, i) => {
    ctx.fillStyle = "#388e3c";
    ctx.fillRect(human.x, human.y, human.w, human.h);
    ctx.fillStyle = "#a5d6a7";
    ctx.fillRect(auto.x, auto.y, auto.w, auto.h);
    const name = state?.labels[i] ?? "";
    ctx.fillStyle = "#333";
    ctx.fillText(name.length > 8 ? `${name.slice(0, 7)}…` : name, human.x + human.w / 2, CHART_H - 3, human.w + 8);
  });
  ctx.textAlign = "start";
}

export function drawAnnotators(canvas: HTMLCanvasElement, state: ChartState["annotators"]): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.clearRect(0, 0, CHART_W, CHART_H);
  ctx.fillStyle = "#fafbfc";
  ctx.fillRect(0, 0, CHART_W, CHART_H);
  ctx.fillStyle = "#333";
  ctx.font = "11px sans-serif";
  ctx.fillText("annotators (items, labels/min)", PAD + 2, 11);
  const bars = state ? annotatorBars(state.items) : [];
  ctx.font = "10px sans-serif";
  bars.forEach((bar, i) => {
    const name = state?.names[i] ?? "";
    ctx.fillStyle = "#333";
    ctx.textBaseline = "middle";
    ctx.fillText(name.length > 7 ? `${name.slice(0, 6)}…` : name, 2, bar.y + bar.h / 2, bar.x - 4);
    ctx.fillStyle = "#6a1b9a";
    ctx.fillRect(bar.x, bar.y, bar.w, bar.h);
    ctx.fillStyle = "#333";
    ctx.fillText(annotatorText(state?.items[i] ?? 0, state?.per_minute[i] ?? Number.NaN), bar.x + bar.w + 4,
      bar.y + bar.h / 2);
  });
  ctx.textBaseline = "alphabetic";
}
