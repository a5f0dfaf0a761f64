/**
 * Pointer gestures of the AudioAnnotator, all in the browser at frame rate: drag on the stage
 * to create a region, drag a region's edge to resize it and its body to move it, click to
 * select or to seek; drag on the time axis to seek; drag on the overview to scroll; the wheel
 * zooms around the pointer (horizontal wheel or Shift scrolls). A finished gesture calls the
 * host once (`createRegion` / `updateRegion`), which commits one change.
 */
import type { DrawnItem } from "./overlay";
import { type Interval, type Lanes, hitTest, intervalFromDrag, moveInterval, resizeInterval } from "./regions";
import { type TimeView, centreOn, scrollBy, xToTime, zoomAt } from "./timeline";

export interface GestureHost {
  stage: HTMLCanvasElement;
  axis: HTMLCanvasElement;
  overview: HTMLCanvasElement;
  view(): TimeView;
  setView(view: TimeView): void;
  duration(): number;
  minSecondsPerPixel(): number;
  items(): readonly DrawnItem[];
  lanes(): Lanes;
  selected(): string | null;
  select(key: string | null): void;
  createRegion(interval: Interval): void;
  updateRegion(key: string, interval: Interval): void;
  seek(t: number, final: boolean): void;
  focus(): void;
  redraw(): void;
}

type Gesture =
  | { kind: "create"; x0: number; t0: number; t1: number; moved: boolean }
  | { kind: "move"; key: string; x0: number; t0: number; start: Interval; current: Interval; moved: boolean }
  | { kind: "resize"; key: string; part: "start" | "end"; start: Interval; current: Interval; moved: boolean };

const EDGE_PX = 6;
const CLICK_PX = 3;

export class Gestures {
  private gesture: Gesture | null = null;
  private readonly removers: (() => void)[] = [];

  constructor(private readonly host: GestureHost) {
    this.listen(host.stage, "pointerdown", (e) => this.stageDown(e as PointerEvent));
    this.listen(host.stage, "pointermove", (e) => this.stageMove(e as PointerEvent));
    this.listen(host.stage, "pointerup", (e) => this.stageUp(e as PointerEvent));
    this.listen(host.stage, "pointercancel", () => {
      this.gesture = null;
      host.redraw();
    });
    for (const target of [host.stage, host.axis]) {
      this.listen(target, "wheel", (e) => this.wheel(e as WheelEvent, target), { passive: false });
    }
    this.scrub(host.axis, (t, final) => host.seek(t, final), (x, rect) => xToTime(host.view(), x * (host.view().width / rect.width)));
    this.scrub(host.overview, (t) => host.setView(centreOn(host.view(), t, host.duration(), host.minSecondsPerPixel())),
      (x, rect) => (x / rect.width) * host.duration());
  }

  /** The region being drawn (for the overlay), if any. */
  get preview(): Interval | null {
    const g = this.gesture;
    return g && g.kind === "create" && g.moved ? intervalFromDrag(g.t0, g.t1, this.host.duration()) : null;
  }

  /** The interval to show for item `key` while it is being moved or resized. */
  editing(key: string): Interval | null {
    const g = this.gesture;
    return g && g.kind !== "create" && g.key === key ? g.current : null;
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

  private listen(target: HTMLElement, type: string, handler: (e: Event) => void, options?: AddEventListenerOptions): void {
    target.addEventListener(type, handler, options);
    this.removers.push(() => target.removeEventListener(type, handler, options));
  }

  private local(e: PointerEvent | WheelEvent, target: HTMLElement): { x: number; y: number } {
    const rect = target.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private hit(e: PointerEvent): ReturnType<typeof hitTest> {
    const { x, y } = this.local(e, this.host.stage);
    const view = this.host.view();
    const lanes = this.host.lanes();
    const height = this.host.stage.getBoundingClientRect().height || 1;
    const lane = Math.min(lanes.count - 1, Math.max(0, Math.floor((y / height) * lanes.count)));
    return hitTest(this.host.items(), lanes, xToTime(view, x), lane, EDGE_PX * view.secondsPerPixel, this.host.selected());
  }

  private stageDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.host.focus();
    const { x } = this.local(e, this.host.stage);
    const t = xToTime(this.host.view(), x);
    const hit = this.hit(e);
    const item = hit ? this.host.items().find((i) => i.key === hit.key) : undefined;
    if (hit && item) {
      this.host.select(item.key);
      if (item.kind === "region") {
        const start = { start: item.start, end: item.end };
        this.gesture = hit.part === "body"
          ? { kind: "move", key: item.key, x0: x, t0: t, start, current: start, moved: false }
          : { kind: "resize", key: item.key, part: hit.part, start, current: start, moved: false };
      }
    } else {
      this.gesture = { kind: "create", x0: x, t0: t, t1: t, moved: false };
    }
    this.host.stage.setPointerCapture(e.pointerId);
    this.host.redraw();
  }

  private stageMove(e: PointerEvent): void {
    const g = this.gesture;
    const { x } = this.local(e, this.host.stage);
    const t = xToTime(this.host.view(), x);
    const duration = this.host.duration();
    if (!g) {
      const hit = this.hit(e);
      const item = hit ? this.host.items().find((i) => i.key === hit.key) : undefined;
      this.host.stage.style.cursor = !hit || !item ? "crosshair"
        : item.kind === "suggestion" ? "pointer" : hit.part === "body" ? "move" : "ew-resize";
      return;
    }
    if (g.kind === "create") {
      g.t1 = t;
      g.moved ||= Math.abs(x - g.x0) >= CLICK_PX;
    } else if (g.kind === "move") {
      g.moved ||= Math.abs(x - g.x0) >= CLICK_PX;
      if (g.moved) g.current = moveInterval(g.start, t - g.t0, duration);
    } else {
      g.moved = true;
      g.current = resizeInterval(g.start, g.part, t, duration);
    }
    this.host.redraw();
  }

  private stageUp(e: PointerEvent): void {
    const g = this.gesture;
    this.gesture = null;
    if (!g) return;
    if (g.kind === "create") {
      if (g.moved) {
        const { x } = this.local(e, this.host.stage);
        this.host.createRegion(intervalFromDrag(g.t0, xToTime(this.host.view(), x), this.host.duration()));
      } else {
        this.host.select(null);
        this.host.seek(g.t0, true);
      }
    } else if (g.moved && (g.current.start !== g.start.start || g.current.end !== g.start.end)) {
      this.host.updateRegion(g.key, g.current);
    }
    this.host.redraw();
  }

  private wheel(e: WheelEvent, target: HTMLElement): void {
    e.preventDefault();
    const host = this.host;
    const view = host.view();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? view.width : 1;
    const horizontal = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.shiftKey ? e.deltaY : 0;
    if (horizontal !== 0) {
      host.setView(scrollBy(view, horizontal * unit, host.duration(), host.minSecondsPerPixel()));
      return;
    }
    const { x } = this.local(e, target);
    const factor = Math.exp(-e.deltaY * unit * 0.002);
    host.setView(zoomAt(view, factor, x, host.duration(), host.minSecondsPerPixel()));
  }

  /** Press-and-drag on `target` reports a time through `act` on every move, and once at the end. */
  private scrub(
    target: HTMLCanvasElement, act: (t: number, final: boolean) => void, toTime: (x: number, rect: DOMRect) => number,
  ): void {
    let dragging = false;
    const at = (e: PointerEvent, final: boolean) => {
      const rect = target.getBoundingClientRect();
      act(Math.min(Math.max(0, toTime(e.clientX - rect.left, rect)), this.host.duration()), final);
    };
    this.listen(target, "pointerdown", (e) => {
      const event = e as PointerEvent;
      if (event.button !== 0) return;
      this.host.focus();
      dragging = true;
      target.setPointerCapture(event.pointerId);
      at(event, false);
    });
    this.listen(target, "pointermove", (e) => {
      if (dragging) at(e as PointerEvent, false);
    });
    this.listen(target, "pointerup", (e) => {
      if (!dragging) return;
      dragging = false;
      at(e as PointerEvent, true);
    });
    this.listen(target, "pointercancel", () => (dragging = false));
  }
}
