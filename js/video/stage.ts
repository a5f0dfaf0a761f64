/**
 * Pointer gestures on the frame, all in the browser at frame rate: drag on empty space to draw
 * a box (a new track), drag a box to move it, drag a handle of the selected box to resize it,
 * click to select; the wheel zooms around the pointer, a middle or right drag pans. A finished
 * gesture calls the host once (`create` / `place`): one keyframe, one change message.
 */
import {
  type Handle, type Point, type Rect, type View, HANDLES, containsPoint, handlePoint, moveRect, panBy, rectFromPoints,
  resizeRect, toImage, zoomAround,
} from "../lib/geometry";
import type { FrameBox } from "./tracks";

export const HANDLE_PX = 7;
const CLICK_PX = 3;
const MIN_BOX_PX = 3;

export const POINT_PX = 7;

export type Target =
  | { kind: "point"; id: string; index: number }
  | { kind: "handle"; id: string; handle: Handle }
  | { kind: "box"; id: string }
  | { kind: "empty" };

/**
 * What is under image point `p` (`scale`: CSS px per image px): a handle of the selected box
 * first, then the smallest box containing the point (the hardest to reach otherwise).
 */
export function hitBox(boxes: readonly FrameBox[], p: Point, scale: number, selected: string | null): Target {
  const chosen = selected ? boxes.find((b) => b.track_id === selected) : undefined;
  if (chosen?.points) {
    const radius = POINT_PX / scale;
    let best: { index: number; d: number } | null = null;
    chosen.points.forEach((q, index) => {
      const d = Math.hypot(q[0] - p.x, q[1] - p.y);
      if (q[2] > 0 && d <= radius && (!best || d < best.d)) best = { index, d };
    });
    const found = best as { index: number; d: number } | null;
    if (found) return { kind: "point", id: chosen.track_id, index: found.index };
  }
  if (chosen) {
    const tolerance = HANDLE_PX / scale;
    for (const handle of HANDLES) {
      const h = handlePoint(chosen, handle);
      if (Math.abs(h.x - p.x) <= tolerance && Math.abs(h.y - p.y) <= tolerance) return { kind: "handle", id: chosen.track_id, handle };
    }
  }
  let best: FrameBox | null = null;
  for (const b of boxes) {
    if (containsPoint(b, p) && (!best || b.w * b.h < best.w * best.h)) best = b;
  }
  return best ? { kind: "box", id: best.track_id } : { kind: "empty" };
}

export interface StageHost {
  canvas: HTMLCanvasElement;
  view(): View;
  setView(view: View): void;
  imageSize(): { width: number; height: number };
  boxes(): readonly FrameBox[];
  selected(): string | null;
  /** A click on a box (or on nothing: null). */
  select(id: string | null): void;
  create(rect: Rect): void;
  place(id: string, rect: Rect): void;
  /** True while clicks place keypoints (then a click calls `placePoint`). */
  placing(): boolean;
  placePoint(p: Point): void;
  movePoint(id: string, index: number, p: Point): void;
  focus(): void;
  redraw(): void;
}

type Gesture =
  | { kind: "draw"; from: Point; to: Point; x0: number; y0: number; moved: boolean }
  | { kind: "move"; id: string; from: Point; start: Rect; current: Rect; moved: boolean }
  | { kind: "resize"; id: string; handle: Handle; from: Point; start: Rect; current: Rect; moved: boolean }
  | { kind: "point"; id: string; index: number; current: Point; moved: boolean }
  | { kind: "pan"; x0: number; y0: number; start: View };

export class StageGestures {
  private gesture: Gesture | null = null;
  /** The frame pixel under the pointer (null: the pointer is elsewhere). */
  pointer: Point | null = null;
  private readonly removers: (() => void)[] = [];

  constructor(private readonly host: StageHost) {
    const c = host.canvas;
    this.on(c, "pointerdown", (e) => this.down(e as PointerEvent));
    this.on(c, "pointermove", (e) => this.move(e as PointerEvent));
    this.on(c, "pointerup", (e) => this.up(e as PointerEvent));
    this.on(c, "pointercancel", () => {
      this.gesture = null;
      host.redraw();
    });
    this.on(c, "contextmenu", (e) => e.preventDefault());
    this.on(c, "pointerleave", () => (this.pointer = null));
    this.on(c, "wheel", (e) => this.wheel(e as WheelEvent), { passive: false });
  }

  /** The box being drawn, if any. */
  get preview(): Rect | null {
    const g = this.gesture;
    if (!g || g.kind !== "draw" || !g.moved) return null;
    const { width, height } = this.host.imageSize();
    return rectFromPoints(g.from, g.to, width, height);
  }

  /** Where keypoint `index` of track `id` is while it is dragged. */
  draggedPoint(id: string, index: number): Point | null {
    const g = this.gesture;
    return g && g.kind === "point" && g.id === id && g.index === index && g.moved ? g.current : null;
  }

  /** Where box `id` is while it is moved or resized. */
  editing(id: string): Rect | null {
    const g = this.gesture;
    return g && (g.kind === "move" || g.kind === "resize") && g.id === id && g.moved ? g.current : null;
  }

  get active(): boolean {
    return this.gesture !== null;
  }

  cancel(): void {
    this.gesture = null;
  }

  destroy(): void {
    for (const remove of this.removers) remove();
  }

  private on(target: HTMLElement, type: string, handler: (e: Event) => void, options?: AddEventListenerOptions): void {
    target.addEventListener(type, handler, options);
    this.removers.push(() => target.removeEventListener(type, handler, options));
  }

  private local(e: PointerEvent | WheelEvent): Point {
    const rect = this.host.canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private down(e: PointerEvent): void {
    this.host.focus();
    const screen = this.local(e);
    if (e.button === 1 || e.button === 2) {
      this.gesture = { kind: "pan", x0: screen.x, y0: screen.y, start: this.host.view() };
    } else if (e.button === 0) {
      const view = this.host.view();
      const p = toImage(view, screen);
      if (this.host.placing()) {
        this.host.placePoint(p);
        this.host.redraw();
        return;
      }
      const target = hitBox(this.host.boxes(), p, view.scale, this.host.selected());
      if (target.kind === "point") {
        this.gesture = { kind: "point", id: target.id, index: target.index, current: p, moved: false };
      } else if (target.kind === "empty") {
        this.gesture = { kind: "draw", from: p, to: p, x0: screen.x, y0: screen.y, moved: false };
      } else {
        this.host.select(target.id);
        const box = this.host.boxes().find((b) => b.track_id === target.id);
        if (!box) return;
        const start = { x: box.x, y: box.y, w: box.w, h: box.h };
        this.gesture = target.kind === "handle"
          ? { kind: "resize", id: target.id, handle: target.handle, from: p, start, current: start, moved: false }
          : { kind: "move", id: target.id, from: p, start, current: start, moved: false };
      }
    } else return;
    this.host.canvas.setPointerCapture(e.pointerId);
    this.host.redraw();
  }

  private move(e: PointerEvent): void {
    const g = this.gesture;
    const screen = this.local(e);
    const view = this.host.view();
    const p = toImage(view, screen);
    this.pointer = p;
    if (!g) {
      const target = hitBox(this.host.boxes(), p, view.scale, this.host.selected());
      this.host.canvas.style.cursor = this.host.placing() ? "copy" : target.kind === "handle" ? `${target.handle}-resize`
        : target.kind === "box" || target.kind === "point" ? "move" : "crosshair";
      return;
    }
    const { width, height } = this.host.imageSize();
    if (g.kind === "pan") {
      this.host.setView(panBy(g.start, screen.x - g.x0, screen.y - g.y0));
    } else if (g.kind === "point") {
      g.current = { x: Math.min(Math.max(0, p.x), width), y: Math.min(Math.max(0, p.y), height) };
      g.moved = true;
    } else if (g.kind === "draw") {
      g.to = p;
      g.moved ||= Math.abs(screen.x - g.x0) >= CLICK_PX || Math.abs(screen.y - g.y0) >= CLICK_PX;
    } else {
      const dx = p.x - g.from.x;
      const dy = p.y - g.from.y;
      g.moved ||= Math.hypot(dx, dy) * view.scale >= CLICK_PX;
      if (g.moved) {
        g.current = g.kind === "move" ? moveRect(g.start, dx, dy, width, height) : resizeRect(g.start, g.handle, dx, dy, width, height);
      }
    }
    this.host.redraw();
  }

  private up(e: PointerEvent): void {
    const g = this.gesture;
    this.gesture = null;
    if (!g) return;
    const view = this.host.view();
    if (g.kind === "draw") {
      if (g.moved) {
        const { width, height } = this.host.imageSize();
        const rect = rectFromPoints(g.from, toImage(view, this.local(e)), width, height);
        if (rect.w * view.scale >= MIN_BOX_PX && rect.h * view.scale >= MIN_BOX_PX) this.host.create(rect);
      } else this.host.select(null);
    } else if (g.kind === "point") {
      if (g.moved) this.host.movePoint(g.id, g.index, g.current);
    } else if ((g.kind === "move" || g.kind === "resize") && g.moved) {
      const same = g.current.x === g.start.x && g.current.y === g.start.y && g.current.w === g.start.w && g.current.h === g.start.h;
      if (!same && g.current.w > 0 && g.current.h > 0) this.host.place(g.id, g.current);
    }
    this.host.redraw();
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : 1;
    this.host.setView(zoomAround(this.host.view(), Math.exp(-e.deltaY * unit * 0.002), this.local(e)));
  }
}
