/**
 * Drawing one frame: the image under the view transform, then the tracks' boxes on it. A box
 * on one of its track's keyframes is drawn solid; an interpolated one dashed; an occluded one
 * with a faint fill; proposals (tracker or model) dotted with their score; the selected box
 * with its handles. A frame that could not be decoded is marked across the stage. Label names
 * are canvas text, never HTML.
 */
import { labelColor, textColorOn, withAlpha } from "../lib/colors";
import { type Rect, type View, HANDLES, handlePoint, toScreen } from "../lib/geometry";
import type { FrameBox } from "./tracks";

const FONT = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
const HANDLE = 7;

export interface ProposalBox extends Rect {
  label: string;
  score?: number;
}

export interface StageScene {
  width: number;
  height: number;
  dpr: number;
  view: View;
  image: CanvasImageSource | null;
  imageSize: { width: number; height: number };
  boxes: readonly FrameBox[];
  proposals: readonly ProposalBox[];
  selected: string | null;
  labels: readonly string[];
  preview: (Rect & { label: string }) | null;
  /** The text across a frame that could not be decoded (null: the frame is fine). */
  bad: string | null;
  /** True while the frame on screen is not the one due (waiting for it). */
  stale: boolean;
  /** Keypoint index pairs joined by a line. */
  skeleton: readonly [number, number][];
}

const POINT_R = 4;

function drawPoints(ctx: CanvasRenderingContext2D, view: View, b: FrameBox, skeleton: readonly [number, number][], color: string): void {
  const points = b.points;
  if (!points) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  for (const [i, j] of skeleton) {
    const p = points[i];
    const q = points[j];
    if (!p || !q || !p[2] || !q[2]) continue;
    const a = toScreen(view, { x: p[0], y: p[1] });
    const c = toScreen(view, { x: q[0], y: q[1] });
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(c.x, c.y);
    ctx.stroke();
  }
  for (const p of points) {
    if (!p[2]) continue;
    const a = toScreen(view, { x: p[0], y: p[1] });
    ctx.beginPath();
    ctx.arc(a.x, a.y, POINT_R, 0, Math.PI * 2);
    ctx.fillStyle = p[2] === 2 ? color : "#fff";
    ctx.fill();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}

function screenRect(view: View, r: Rect): Rect {
  const a = toScreen(view, r);
  return { x: a.x, y: a.y, w: r.w * view.scale, h: r.h * view.scale };
}

function tag(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string): void {
  ctx.font = FONT;
  const w = ctx.measureText(text).width + 6;
  const top = Math.max(0, y - 15);
  ctx.fillStyle = color;
  ctx.fillRect(x, top, w, 15);
  ctx.fillStyle = textColorOn(color);
  ctx.fillText(text, x + 3, top + 11);
}

export function drawStage(ctx: CanvasRenderingContext2D, s: StageScene): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, s.width * s.dpr, s.height * s.dpr);
  ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
  const frame = screenRect(s.view, { x: 0, y: 0, w: s.imageSize.width, h: s.imageSize.height });
  if (s.image) {
    ctx.imageSmoothingEnabled = s.view.scale < 2;
    ctx.drawImage(s.image, frame.x, frame.y, frame.w, frame.h);
  } else {
    ctx.fillStyle = "#222";
    ctx.fillRect(frame.x, frame.y, frame.w, frame.h);
  }
  if (s.stale) {
    ctx.fillStyle = "rgba(0, 0, 0, 0.15)";
    ctx.fillRect(frame.x, frame.y, frame.w, frame.h);
  }
  if (s.bad) {
    ctx.fillStyle = "rgba(180, 0, 0, 0.35)";
    ctx.fillRect(frame.x, frame.y, frame.w, frame.h);
    ctx.strokeStyle = "#d32f2f";
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(frame.x, frame.y);
    ctx.lineTo(frame.x + frame.w, frame.y + frame.h);
    ctx.moveTo(frame.x + frame.w, frame.y);
    ctx.lineTo(frame.x, frame.y + frame.h);
    ctx.stroke();
    tag(ctx, s.bad, Math.max(4, frame.x + 4), Math.max(20, frame.y + 22), "#d32f2f");
  }
  for (const p of s.proposals) {
    const r = screenRect(s.view, p);
    const color = labelColor(p.label, s.labels);
    ctx.setLineDash([2, 3]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = color;
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    ctx.setLineDash([]);
    tag(ctx, p.score === undefined ? "proposal" : `proposal ${p.score.toFixed(2)}`, r.x, r.y + r.h + 16, withAlpha(color, 0.8));
  }
  for (const b of s.boxes) {
    const r = screenRect(s.view, b);
    const color = labelColor(b.label, s.labels);
    const chosen = b.track_id === s.selected;
    if (b.occluded) {
      ctx.fillStyle = withAlpha(color, 0.18);
      ctx.fillRect(r.x, r.y, r.w, r.h);
    }
    ctx.setLineDash(b.keyframe ? [] : [6, 4]);
    ctx.lineWidth = chosen ? 2.5 : 1.5;
    ctx.strokeStyle = color;
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    ctx.setLineDash([]);
    tag(ctx, `${b.label}${b.occluded ? " (occluded)" : ""}`, r.x, r.y, color);
    drawPoints(ctx, s.view, b, s.skeleton, color);
    if (chosen) {
      ctx.fillStyle = "#fff";
      ctx.strokeStyle = color;
      ctx.lineWidth = 1;
      for (const handle of HANDLES) {
        const h = toScreen(s.view, handlePoint(b, handle));
        ctx.fillRect(h.x - HANDLE / 2, h.y - HANDLE / 2, HANDLE, HANDLE);
        ctx.strokeRect(h.x - HANDLE / 2, h.y - HANDLE / 2, HANDLE, HANDLE);
      }
    }
  }
  if (s.preview) {
    const r = screenRect(s.view, s.preview);
    ctx.strokeStyle = labelColor(s.preview.label, s.labels);
    ctx.lineWidth = 1.5;
    ctx.strokeRect(r.x, r.y, r.w, r.h);
  }
}
