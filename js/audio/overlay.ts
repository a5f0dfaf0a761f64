/**
 * The overlay over the waveform or spectrogram: regions in lanes, suggestions (dashed, with
 * their score), the region being drawn, the selection's handles and the playhead. Label names
 * are drawn as canvas text (never parsed as HTML).
 */
import { fillDirectedText } from "../lib/canvas_text";
import { labelColor, withAlpha } from "../lib/colors";
import type { Interval, Item, Lanes } from "./regions";
import { type TimeView, timeToX } from "./timeline";

export interface DrawnItem extends Item {
  label: string;
  kind: "region" | "suggestion";
  score?: number;
  channel?: number;
  /** The transcription, drawn under the label. */
  text?: string;
}

export interface OverlayState {
  view: TimeView;
  height: number;
  items: readonly DrawnItem[];
  lanes: Lanes;
  selected: string | null;
  labels: readonly string[];
  /** The region being drawn, with its label. */
  preview: (Interval & { label: string }) | null;
  playhead: number;
  /** Light text and lines for a dark background (the spectrogram). */
  dark: boolean;
}

const HANDLE_W = 4;

export function laneBox(lanes: Lanes, lane: number, height: number): { top: number; height: number } {
  const h = height / lanes.count;
  return { top: lane * h, height: h };
}

export function drawOverlay(ctx: CanvasRenderingContext2D, s: OverlayState): void {
  const { view } = s;
  ctx.font = "12px system-ui, sans-serif";
  ctx.textBaseline = "top";
  let selectedBox: { x0: number; x1: number; top: number; h: number } | null = null;
  for (const item of s.items) {
    const x0 = timeToX(view, item.start);
    const x1 = timeToX(view, item.end);
    if (x1 < -2 || x0 > view.width + 2) continue;
    const lane = laneBox(s.lanes, s.lanes.lane.get(item.key) ?? 0, s.height);
    const top = lane.top + 1;
    const h = lane.height - 2;
    const w = Math.max(1, x1 - x0);
    const color = labelColor(item.label, s.labels);
    const isSelected = item.key === s.selected;
    const suggestion = item.kind === "suggestion";
    ctx.fillStyle = withAlpha(color, isSelected ? 0.32 : suggestion ? 0.1 : 0.2);
    ctx.fillRect(x0, top, w, h);
    ctx.strokeStyle = color;
    ctx.lineWidth = isSelected ? 2.5 : 1.5;
    ctx.setLineDash(suggestion ? [6, 4] : []);
    ctx.strokeRect(x0 + 0.5, top + 0.5, w - 1, h - 1);
    ctx.setLineDash([]);
    const score = suggestion && item.score !== undefined ? ` ${item.score.toFixed(2)}` : "";
    const channel = item.channel !== undefined ? ` (ch ${item.channel + 1})` : "";
    const text = `${suggestion ? "? " : ""}${item.label}${score}${channel}`;
    ctx.save();
    ctx.beginPath();
    ctx.rect(Math.max(0, x0), top, Math.max(0, Math.min(x1, view.width) - Math.max(0, x0)), h);
    ctx.clip();
    ctx.fillStyle = s.dark ? "#fff" : color;
    ctx.fillText(text, Math.max(0, x0) + 4, top + 3);
    ctx.restore();
    if (typeof item.text === "string" && item.text) {
      const left = Math.max(0, x0);
      const area = { x: left, y: top + 18, width: Math.min(x1, view.width) - left, height: 16 };
      fillDirectedText(ctx, item.text, area, { text: "#111", background: "rgba(255, 255, 255, 0.8)" });
    }
    if (isSelected) selectedBox = { x0, x1, top, h };
  }
  if (selectedBox) {
    ctx.fillStyle = s.dark ? "#fff" : "#222";
    for (const x of [selectedBox.x0, selectedBox.x1]) {
      ctx.fillRect(x - HANDLE_W / 2, selectedBox.top + selectedBox.h / 2 - 10, HANDLE_W, 20);
    }
  }
  if (s.preview) {
    const x0 = timeToX(view, s.preview.start);
    const x1 = timeToX(view, s.preview.end);
    const color = labelColor(s.preview.label, s.labels);
    ctx.fillStyle = withAlpha(color, 0.2);
    ctx.fillRect(x0, 0, x1 - x0, s.height);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 3]);
    ctx.strokeRect(x0 + 0.5, 0.5, x1 - x0 - 1, s.height - 1);
    ctx.setLineDash([]);
  }
  const px = timeToX(view, s.playhead);
  if (px >= 0 && px <= view.width) {
    ctx.fillStyle = s.dark ? "#7fd4ff" : "#d32f2f";
    ctx.fillRect(Math.round(px) - 1, 0, 2, s.height);
  }
}
