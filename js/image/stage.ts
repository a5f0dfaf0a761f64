/**
 * The stage: four stacked canvases (image, masks, marks, active), their size at the screen's
 * devicePixelRatio, the view (zoom and pan) and frame scheduling. Pans and wheel zooms move
 * the drawn layers with a CSS transform (compositor work) and redraw them once the view
 * settles, so a pan costs no canvas drawing per mouse move.
 */
import type { Box } from "../types";
import type { Point, View } from "../lib/geometry";
import { el } from "../lib/dom";
import type { Frame } from "./render";
import {
  type Viewport, backingSize, fit, keepVisible, layerTransform, stageHeight, stagePoint, wheelFactor, zoomAt,
} from "./view";

/** Pause after the last pan or wheel event before the layers are redrawn sharp. */
export const SETTLE_MS = 120;

export type FrameData = Omit<Frame, "view" | "vp" | "dpr">;

export interface Painter {
  /** Image size, labels and skeleton for this frame. */
  frameData(): FrameData;
  image(canvas: HTMLCanvasElement, frame: Frame): void;
  /** Painted masks and overlays (it may redraw only what changed since its last call). */
  masks(canvas: HTMLCanvasElement, frame: Frame): void;
  marks(canvas: HTMLCanvasElement, frame: Frame): void;
  /** Draw boxes just added on top of the marks layer (no full redraw). */
  added(canvas: HTMLCanvasElement, frame: Frame, boxes: readonly Box[]): void;
  active(canvas: HTMLCanvasElement, frame: Frame): void;
}

type Layers = { image: boolean; masks: boolean; marks: boolean; active: boolean };

export class Stage {
  readonly node = el("div", { className: "nba-image-stage" });
  readonly imageCanvas = el("canvas", { className: "nba-image-layer" });
  readonly masksCanvas = el("canvas", { className: "nba-masks-layer" });
  readonly marksCanvas = el("canvas", { className: "nba-marks-layer" });
  /** The top layer; it receives the pointer events. */
  readonly activeCanvas = el("canvas", { className: "nba-overlay-layer" });
  view: View = { scale: 1, offsetX: 0, offsetY: 0 };
  vp: Viewport = { width: 0, height: 0 };
  dpr = 1;
  /** The view follows the stage size (fit) until the person zooms or pans. */
  fitted = true;
  private drawnView: View | null = null;
  private settle = 0;
  private dirty: Layers = { image: false, masks: false, marks: false, active: false };
  private added: Box[] = [];
  private frame = 0;

  constructor(private readonly painter: Painter, private readonly onView: (view: View) => void) {
    this.node.append(this.imageCanvas, this.masksCanvas, this.marksCanvas, this.activeCanvas);
  }

  private layers(): HTMLCanvasElement[] {
    return [this.imageCanvas, this.masksCanvas, this.marksCanvas, this.activeCanvas];
  }

  private size(): { width: number; height: number } {
    const { width, height } = this.painter.frameData();
    return { width, height };
  }

  /** Size the canvases to the stage (CSS px × devicePixelRatio) and keep the view sensible. */
  layout(): void {
    const { width: imageW, height: imageH } = this.size();
    const width = this.node.clientWidth;
    const height = stageHeight(width, imageW, imageH);
    if (Math.abs(this.node.clientHeight - height) > 1) this.node.style.height = `${height}px`;
    this.vp = { width, height: this.node.clientHeight || height };
    this.dpr = window.devicePixelRatio || 1;
    const backing = backingSize(this.vp, this.dpr);
    for (const canvas of this.layers()) {
      if (canvas.width !== backing.width) canvas.width = backing.width;
      if (canvas.height !== backing.height) canvas.height = backing.height;
      canvas.style.width = `${this.vp.width}px`;
      canvas.style.height = `${this.vp.height}px`;
    }
    this.setView(this.fitted ? fit(imageW, imageH, this.vp) : keepVisible(this.view, imageW, imageH, this.vp));
  }

  /** A pointer position in stage (CSS) pixels (from the stage box: the layers may be moved). */
  point(event: MouseEvent): Point {
    return stagePoint(event.clientX, event.clientY, this.node.getBoundingClientRect(), this.vp);
  }

  /**
   * Change the view. A `live` change (a pan drag, the wheel) moves the drawn layers with a CSS
   * transform and redraws them once the view has settled.
   */
  setView(view: View, live = false): void {
    this.view = view;
    this.onView(view);
    if (!live || !this.drawnView) {
      this.invalidate({ image: true, masks: true, marks: true, active: true });
      return;
    }
    const transform = layerTransform(this.drawnView, view);
    for (const canvas of this.layers()) canvas.style.transform = transform;
    clearTimeout(this.settle);
    this.settle = window.setTimeout(() => this.settleNow(), SETTLE_MS);
  }

  /** True while a live pan or zoom has not settled (hover waits meanwhile). */
  get settling(): boolean {
    return this.settle !== 0;
  }

  /** Redraw the layers sharp under the current view (also ends a pan at once). */
  settleNow(): void {
    clearTimeout(this.settle);
    this.settle = 0;
    this.invalidate({ image: true, masks: true, marks: true, active: true });
  }

  /** Keep a live view change from settling (a pan drag still in progress). */
  holdSettle(): void {
    if (!this.settle) return;
    clearTimeout(this.settle);
    this.settle = window.setTimeout(() => this.settleNow(), SETTLE_MS);
  }

  zoomBy(factor: number, at?: Point, live = false): void {
    const { width, height } = this.size();
    this.fitted = false;
    this.setView(zoomAt(this.view, factor, at ?? { x: this.vp.width / 2, y: this.vp.height / 2 }, width, height, this.vp), live);
  }

  wheel(event: WheelEvent): void {
    event.preventDefault();
    this.zoomBy(wheelFactor(event.deltaY, event.deltaMode), this.point(event), true);
  }

  fit(): void {
    const { width, height } = this.size();
    this.fitted = true;
    this.setView(fit(width, height, this.vp));
  }

  /** Boxes added since the last frame, drawn over the marks layer. */
  addBoxes(boxes: readonly Box[]): void {
    this.added.push(...boxes);
    this.invalidate({ active: true });
  }

  get marksDirty(): boolean {
    return this.dirty.marks;
  }

  invalidate(what: Partial<Layers>): void {
    this.dirty = {
      image: this.dirty.image || !!what.image,
      masks: this.dirty.masks || !!what.masks,
      marks: this.dirty.marks || !!what.marks,
      active: this.dirty.active || !!what.active,
    };
    if (!this.frame) this.frame = requestAnimationFrame(() => this.paint());
  }

  private paint(): void {
    this.frame = 0;
    const dirty = this.dirty;
    this.dirty = { image: false, masks: false, marks: false, active: false };
    const added = this.added;
    this.added = [];
    const moved = this.drawnView !== null && layerTransform(this.drawnView, this.view) !== "";
    if (moved && (dirty.image || dirty.masks || dirty.marks || dirty.active || added.length)) {
      // The layers were moved by a transform: redraw them all under the current view.
      dirty.image = dirty.masks = dirty.marks = dirty.active = true;
    }
    if (dirty.image && dirty.masks && dirty.marks && dirty.active) {
      this.drawnView = this.view;
      for (const canvas of this.layers()) canvas.style.transform = "";
    }
    const frame: Frame = { ...this.painter.frameData(), view: this.view, vp: this.vp, dpr: this.dpr };
    if (dirty.image) this.painter.image(this.imageCanvas, frame);
    if (dirty.masks) this.painter.masks(this.masksCanvas, frame);
    if (dirty.marks) this.painter.marks(this.marksCanvas, frame);
    else if (added.length) this.painter.added(this.marksCanvas, frame, added);
    if (dirty.active || dirty.marks) this.painter.active(this.activeCanvas, frame);
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    clearTimeout(this.settle);
  }
}
