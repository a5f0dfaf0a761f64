/**
 * The timeline under the frame: frame numbers and times on an axis, the selected track's
 * keyframes (diamonds), frames with proposals (dots), bad frames (red), the temporal segments
 * in lanes, and the playhead. Press on the axis and drag to scrub; in the segment lane drag to
 * create a segment with the current label, drag its edges or body to change it (the audio
 * regions' gestures, in frames); the wheel zooms around the pointer (Shift or a horizontal
 * wheel scrolls), for long videos.
 */
import { type Interval, type Lanes, assignLanes, hitTest, intervalFromDrag, moveInterval, resizeInterval } from "../audio/regions";
import { type TimeView, centreOn, clampView, fitView, resizeView, scrollBy, viewEnd, zoomAt } from "../audio/timeline";
import { labelColor, textColorOn, withAlpha } from "../lib/colors";
import type { Segment } from "./edits";
import { MAX_PIXELS_PER_FRAME, frameAtX, frameLabel, frameTickStep, frameTicks, xOfFrame } from "./timeline";

export const AXIS_H = 20;
export const MARKS_H = 12;
const EDGE_PX = 5;
const CLICK_PX = 3;
const FONT = "10px system-ui, -apple-system, 'Segoe UI', sans-serif";

export interface TimebarHost {
  numFrames(): number;
  fps(): number;
  frame(): number;
  labels(): readonly string[];
  segments(): readonly Segment[];
  keyframes(): readonly number[];
  proposalFrames(): readonly number[];
  badFrames(): readonly number[];
  selectedSegment(): string | null;
  selectSegment(id: string | null): void;
  seek(frame: number, final: boolean): void;
  createSegment(iv: Interval): void;
  retimeSegment(id: string, iv: Interval): void;
  currentLabel(): string;
  focus(): void;
  redraw(): void;
  viewChanged(): void;
}

type Gesture =
  | { kind: "scrub" }
  | { kind: "create"; x0: number; f0: number; f1: number; moved: boolean }
  | { kind: "move"; id: string; x0: number; f0: number; start: Interval; current: Interval; moved: boolean }
  | { kind: "resize"; id: string; part: "start" | "end"; start: Interval; current: Interval; moved: boolean };

export class Timebar {
  view: TimeView = fitView(1, 800);
  private gesture: Gesture | null = null;
  private lanes: Lanes = assignLanes([]);
  private readonly removers: (() => void)[] = [];

  constructor(readonly canvas: HTMLCanvasElement, private readonly host: TimebarHost) {
    this.view = fitView(Math.max(1, host.numFrames()), 800);
    this.on("pointerdown", (e) => this.down(e as PointerEvent));
    this.on("pointermove", (e) => this.move(e as PointerEvent));
    this.on("pointerup", (e) => this.up(e as PointerEvent));
    this.on("pointercancel", () => (this.gesture = null));
    this.on("wheel", (e) => this.wheel(e as WheelEvent), { passive: false });
  }

  private on(type: string, handler: (e: Event) => void, options?: AddEventListenerOptions): void {
    this.canvas.addEventListener(type, handler, options);
    this.removers.push(() => this.canvas.removeEventListener(type, handler, options));
  }

  destroy(): void {
    for (const remove of this.removers) remove();
  }

  private get minSpp(): number {
    return 1 / MAX_PIXELS_PER_FRAME;
  }

  setView(view: TimeView): void {
    this.view = clampView(view, Math.max(1, this.host.numFrames()), this.minSpp);
    this.host.viewChanged();
    this.host.redraw();
  }

  resize(width: number): void {
    this.view = resizeView(this.view, width, Math.max(1, this.host.numFrames()), this.minSpp);
  }

  fit(): void {
    this.setView(fitView(Math.max(1, this.host.numFrames()), this.view.width));
  }

  zoom(factor: number): void {
    const x = Math.min(Math.max(0, xOfFrame(this.view, this.host.frame())), this.view.width);
    this.setView(zoomAt(this.view, factor, x, Math.max(1, this.host.numFrames()), this.minSpp));
  }

  /** Keep the playhead in view (paging forward while playing). */
  follow(frame: number): void {
    if (this.gesture) return;
    if (frame < this.view.start || frame + 1 > viewEnd(this.view)) {
      this.view = centreOn(this.view, frame, Math.max(1, this.host.numFrames()), this.minSpp);
      this.host.viewChanged();
    }
  }

  /** The segment as shown (where it is being dragged). */
  private shown(s: Segment): Interval {
    const g = this.gesture;
    return g && (g.kind === "move" || g.kind === "resize") && g.id === s.id && g.moved ? g.current : s;
  }

  private laneHeight(): number {
    const h = this.canvas.clientHeight - AXIS_H - MARKS_H;
    return Math.max(4, h / this.lanes.count);
  }

  draw(ink: string): void {
    const canvas = this.canvas;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const view = this.view;
    const n = this.host.numFrames();
    const fps = this.host.fps();
    const cell = 1 / view.secondsPerPixel; // px per frame
    // Axis: ticks with frame numbers and times.
    ctx.font = FONT;
    ctx.fillStyle = ink;
    ctx.strokeStyle = withAlpha("#888888", 0.7);
    ctx.lineWidth = 1;
    const step = frameTickStep(view.secondsPerPixel, 90);
    for (const f of frameTicks(view, step, n)) {
      const x = Math.round(xOfFrame(view, f)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, AXIS_H - 6);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.fillText(frameLabel(f, fps), x + 2, 11);
    }
    // Marks: bad frames, frames with proposals, keyframes of the selected track.
    const top = AXIS_H;
    ctx.fillStyle = "#d32f2f";
    for (const f of this.host.badFrames()) ctx.fillRect(xOfFrame(view, f), top, Math.max(2, cell), MARKS_H);
    ctx.fillStyle = withAlpha("#555555", 0.8);
    for (const f of this.host.proposalFrames()) {
      ctx.beginPath();
      ctx.arc(xOfFrame(view, f + 0.5), top + MARKS_H / 2, 1.5, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.fillStyle = "#f5a623";
    ctx.strokeStyle = "#7a4a00";
    for (const f of this.host.keyframes()) {
      const x = xOfFrame(view, f + 0.5);
      const y = top + MARKS_H / 2;
      ctx.beginPath();
      ctx.moveTo(x, y - 5);
      ctx.lineTo(x + 4, y);
      ctx.lineTo(x, y + 5);
      ctx.lineTo(x - 4, y);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
    // Segments in lanes.
    const segments = this.host.segments();
    const items = segments.map((s) => ({ key: s.id, ...this.shown(s) }));
    this.lanes = assignLanes(items);
    const laneH = this.laneHeight();
    const labels = this.host.labels();
    const selected = this.host.selectedSegment();
    for (const s of segments) {
      const iv = this.shown(s);
      const lane = this.lanes.lane.get(s.id) ?? 0;
      const x0 = xOfFrame(view, iv.start);
      const x1 = xOfFrame(view, iv.end);
      if (x1 < 0 || x0 > width) continue;
      const y = AXIS_H + MARKS_H + lane * laneH;
      const color = labelColor(s.label, labels);
      ctx.fillStyle = withAlpha(color, s.id === selected ? 0.55 : 0.3);
      ctx.fillRect(x0, y + 1, x1 - x0, laneH - 2);
      ctx.strokeStyle = color;
      ctx.lineWidth = s.id === selected ? 2 : 1;
      ctx.strokeRect(x0, y + 1, x1 - x0, laneH - 2);
      ctx.fillStyle = s.id === selected ? textColorOn(color) : ink;
      ctx.fillText(`${s.label} ${s.start}–${s.end}`, Math.max(x0, 0) + 3, y + Math.min(laneH - 4, 12));
    }
    const g = this.gesture;
    if (g && g.kind === "create" && g.moved) {
      const iv = intervalFromDrag(g.f0, g.f1, n);
      ctx.fillStyle = withAlpha(labelColor(this.host.currentLabel(), labels), 0.35);
      ctx.fillRect(xOfFrame(view, iv.start), AXIS_H + MARKS_H, (iv.end - iv.start) * cell, height - AXIS_H - MARKS_H);
    }
    // Playhead over the current frame's cell.
    const f = this.host.frame();
    ctx.fillStyle = withAlpha("#d32f2f", 0.25);
    ctx.fillRect(xOfFrame(view, f), 0, Math.max(1, cell), height);
    ctx.fillStyle = "#d32f2f";
    ctx.fillRect(xOfFrame(view, f) - 1, 0, 2, height);
  }

  private local(e: PointerEvent | WheelEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  /** Frame position (fractional, for segment edges: edges sit between frames). */
  private position(x: number): number {
    return Math.min(Math.max(0, this.view.start + x * this.view.secondsPerPixel), this.host.numFrames());
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.host.focus();
    const { x, y } = this.local(e);
    const n = this.host.numFrames();
    if (y < AXIS_H + MARKS_H) {
      this.gesture = { kind: "scrub" };
      this.host.seek(frameAtX(this.view, x, n), false);
    } else {
      const lane = Math.min(this.lanes.count - 1, Math.max(0, Math.floor((y - AXIS_H - MARKS_H) / this.laneHeight())));
      const items = this.host.segments().map((s) => ({ key: s.id, start: s.start, end: s.end }));
      const p = this.position(x);
      const hit = hitTest(items, this.lanes, p, lane, EDGE_PX * this.view.secondsPerPixel, this.host.selectedSegment());
      const found = hit ? this.host.segments().find((s) => s.id === hit.key) : undefined;
      if (hit && found) {
        this.host.selectSegment(found.id);
        const start = { start: found.start, end: found.end };
        this.gesture = hit.part === "body"
          ? { kind: "move", id: found.id, x0: x, f0: p, start, current: start, moved: false }
          : { kind: "resize", id: found.id, part: hit.part, start, current: start, moved: false };
      } else {
        this.gesture = { kind: "create", x0: x, f0: p, f1: p, moved: false };
      }
    }
    this.canvas.setPointerCapture(e.pointerId);
    this.host.redraw();
  }

  private move(e: PointerEvent): void {
    const g = this.gesture;
    const { x, y } = this.local(e);
    const n = this.host.numFrames();
    if (!g) {
      this.canvas.style.cursor = y < AXIS_H + MARKS_H ? "text" : "crosshair";
      return;
    }
    const p = this.position(x);
    if (g.kind === "scrub") this.host.seek(frameAtX(this.view, x, n), false);
    else if (g.kind === "create") {
      g.f1 = p;
      g.moved ||= Math.abs(x - g.x0) >= CLICK_PX;
    } else if (g.kind === "move") {
      g.moved ||= Math.abs(x - g.x0) >= CLICK_PX;
      if (g.moved) {
        const moved = moveInterval(g.start, Math.round(p - g.f0), n);
        g.current = { start: Math.round(moved.start), end: Math.round(moved.end) };
      }
    } else {
      g.moved = true;
      const iv = resizeInterval(g.start, g.part, Math.round(p), n);
      g.current = { start: Math.round(iv.start), end: Math.round(iv.end) };
    }
    this.host.redraw();
  }

  private up(e: PointerEvent): void {
    const g = this.gesture;
    this.gesture = null;
    if (!g) return;
    const { x } = this.local(e);
    const n = this.host.numFrames();
    if (g.kind === "scrub") this.host.seek(frameAtX(this.view, x, n), true);
    else if (g.kind === "create") {
      if (g.moved) {
        const iv = intervalFromDrag(g.f0, this.position(x), n);
        this.host.createSegment({ start: Math.round(iv.start), end: Math.round(iv.end) });
      } else {
        this.host.selectSegment(null);
        this.host.seek(frameAtX(this.view, x, n), true);
      }
    } else if (g.moved && (g.current.start !== g.start.start || g.current.end !== g.start.end) && g.current.end > g.current.start) {
      this.host.retimeSegment(g.id, g.current);
    }
    this.host.redraw();
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : 1;
    const n = Math.max(1, this.host.numFrames());
    const horizontal = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.shiftKey ? e.deltaY : 0;
    if (horizontal !== 0) return this.setView(scrollBy(this.view, horizontal * unit, n, this.minSpp));
    this.setView(zoomAt(this.view, Math.exp(-e.deltaY * unit * 0.002), this.local(e).x, n, this.minSpp));
  }
}
