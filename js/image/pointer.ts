/**
 * The pointer of one view: presses, moves and releases on the top canvas become gestures
 * (draw, move, resize, place, pan) or go to the segmentation tools. It keeps the gesture in
 * progress, the hovered record, the records hidden while they are dragged, the held space bar
 * (pan) and the cursor; a finished gesture is handed to the view as changes.
 */
import type { AnyModel } from "@anywidget/types";
import type { Change } from "../types";
import { toImage } from "../lib/geometry";
import { newId } from "../lib/sync";
import { type Gesture, type Target, begin, finish, hitTest, update } from "./gestures";
import type { Labels } from "./labels";
import type { ImageModel } from "./model";
import { type Ref, sameRef } from "./records";
import type { Scene } from "./scene";
import type { Segmentation } from "./segmentation";
import type { Stage } from "./stage";
import type { ImageTranscriber } from "./transcribe";
import { pan } from "./view";

/** Add an event listener that the view removes when it is disposed. */
export type Listen = (
  target: EventTarget, type: string, handler: (event: never) => void, options?: AddEventListenerOptions,
) => void;

export interface PointerHost {
  readonly model: AnyModel<ImageModel>;
  readonly root: HTMLElement;
  readonly scene: Scene;
  readonly stage: Stage;
  readonly labels: Labels;
  readonly transcriber: ImageTranscriber;
  /** Polygons, brush, eraser, mask suggestions and the uncertainty overlay. */
  readonly seg: Segmentation;
  selection(): Ref | null;
  select(ref: Ref | null): void;
  /** Apply, remember and send record changes. */
  commit(changes: Change[]): void;
}

export class PointerInput {
  /** Records drawn on the active layer while they are dragged (not on the marks layer). */
  readonly hidden = new Set<string>();
  private current: Gesture | null = null;
  private hovered: Ref | null = null;
  private space = false;

  constructor(private readonly host: PointerHost) {}

  /** The gesture in progress, if any. */
  get gesture(): Gesture | null {
    return this.current;
  }

  /** The record under the pointer, if any. */
  get hover(): Ref | null {
    return this.hovered;
  }

  /** The space bar is held: a drag pans. */
  get spaceHeld(): boolean {
    return this.space;
  }

  /** Listen to the pointer on the top canvas, the wheel on the stage and the space bar. */
  listen(on: Listen): void {
    const { stage, seg } = this.host;
    const a = stage.activeCanvas;
    on(a, "pointerdown", (e: PointerEvent) => this.pointerDown(e));
    on(a, "pointermove", (e: PointerEvent) => this.pointerMove(e));
    on(a, "pointerup", (e: PointerEvent) => this.pointerUp(e));
    on(a, "pointercancel", () => this.cancelGesture());
    on(a, "pointerleave", () => {
      this.setHover(null);
      seg.leave();
    });
    on(a, "auxclick", (e: MouseEvent) => e.preventDefault());
    on(a, "contextmenu", (e: MouseEvent) => this.current && e.preventDefault());
    on(a, "dblclick", (e: MouseEvent) => this.doubleClick(e));
    on(stage.node, "wheel", (e: WheelEvent) => stage.wheel(e), { passive: false });
    on(window, "keyup", (e: KeyboardEvent) => {
      if (e.key === " ") this.setSpace(false);
    });
    on(window, "blur", () => this.setSpace(false));
  }

  /** Forget the hovered record when it is gone. */
  forgetMissing(): void {
    if (this.hovered && !this.host.scene.get(this.hovered)) this.hovered = null;
  }

  private pointerDown(event: PointerEvent): void {
    if (this.current) return;
    const { model, scene, stage } = this.host;
    this.host.root.focus({ preventScroll: true });
    if (event.button === 1) event.preventDefault();
    const screen = stage.point(event);
    const view = stage.view;
    const p = toImage(view, screen);
    const tool = model.get("tool");
    const target = hitTest(scene, p, view.scale, this.host.selection(), tool);
    if (this.host.seg.pointerDown(p, tool, event.button, this.space, target.kind === "empty")) {
      stage.activeCanvas.setPointerCapture(event.pointerId);
      return;
    }
    const { gesture, select } = begin({
      target, tool, p, screen, view, button: event.button, pan: this.space,
      selection: this.host.selection(), scene, label: model.get("label"), labelPinned: this.host.labels.pinned,
      keypointLabels: model.get("keypoint_labels") ?? [],
    });
    if (select !== undefined) this.host.select(select);
    if (!gesture) return;
    this.current = gesture;
    stage.activeCanvas.setPointerCapture(event.pointerId);
    if (gesture.kind === "move" || gesture.kind === "resize" || gesture.kind === "point") {
      this.hidden.add(gesture.ref.id);
      stage.invalidate({ marks: true });
    }
    this.setCursor(gesture.kind === "pan" ? "grabbing" : null);
    stage.invalidate({ active: true });
  }

  private pointerMove(event: PointerEvent): void {
    const { model, scene, stage, seg } = this.host;
    const screen = stage.point(event);
    const view = stage.view;
    const g = this.current;
    if (!g) {
      const p = toImage(view, screen);
      const tool = model.get("tool");
      if (seg.pointerMove(p, tool)) return this.setCursor(this.space ? "grab" : seg.cursor(p, tool));
    }
    if (!g && stage.settling) return; // the view is moving: hover waits until it settles
    if (!g) {
      const target = hitTest(scene, toImage(view, screen), view.scale, this.host.selection(), model.get("tool"));
      this.setHover(target.kind === "empty" ? null : target.ref);
      this.setCursor(this.cursorFor(target));
      return;
    }
    if (g.kind === "pan") {
      stage.fitted = false;
      stage.setView(pan(g.start, screen.x - g.from.x, screen.y - g.from.y, scene.width, scene.height, stage.vp), true);
      return;
    }
    this.current = update(g, toImage(view, screen), scene);
    stage.invalidate({ active: true });
  }

  private pointerUp(event: PointerEvent): void {
    const { model, scene, stage } = this.host;
    const g = this.current;
    if (!g) {
      const canvas = stage.activeCanvas;
      if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
      this.host.seg.pointerUp();
      return;
    }
    this.current = null;
    const canvas = stage.activeCanvas;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    const wasHidden = this.hidden.size > 0;
    this.hidden.clear();
    const outcome = finish(g, scene, { label: model.get("label"), scale: stage.view.scale, makeId: newId });
    this.host.commit(outcome.changes);
    if (outcome.select !== undefined) this.host.select(outcome.select);
    if (outcome.placed) this.host.labels.advance(outcome.placed.label, outcome.placed.boxId);
    if (g.kind === "draw" && outcome.changes.length > 0 && outcome.select) this.host.transcriber.drawn(outcome.select.id);
    if (wasHidden && outcome.changes.length === 0) stage.invalidate({ marks: true });
    if (g.kind === "pan") stage.settleNow();
    this.setCursor(null);
    stage.invalidate({ active: true });
  }

  /** Drop the gesture in progress (also a segmentation stroke); false when there was none. */
  cancelGesture(): boolean {
    if (this.host.seg.cancel()) return true;
    if (!this.current) return false;
    this.current = null;
    this.hidden.clear();
    this.setCursor(null);
    this.host.stage.invalidate({ marks: true, active: true });
    return true;
  }

  /** Double-click on a box: edit its text (with `transcribe` on). */
  private doubleClick(event: MouseEvent): void {
    const { model, scene, stage } = this.host;
    if (this.current || model.get("transcribe") !== true) return;
    const view = stage.view;
    const target = hitTest(scene, toImage(view, stage.point(event)), view.scale, null, "select");
    if (target.kind === "box" && target.ref.field === "boxes") this.host.transcriber.open(target.ref.id);
  }

  private cursorFor(target: Target): string {
    if (this.space) return "grab";
    const tool = this.host.model.get("tool");
    if (target.kind === "handle") return `${target.handle}-resize`;
    if (target.kind === "keypoint") return "move";
    if (tool === "keypoint") return "crosshair";
    if (target.kind === "box") return "move";
    return tool === "box" ? "crosshair" : "grab";
  }

  /** Show `cursor` over the canvas (null: the tool's own cursor). */
  setCursor(cursor: string | null): void {
    const value = cursor ?? (this.space ? "grab" : this.host.model.get("tool") === "select" ? "default" : "crosshair");
    const style = this.host.stage.activeCanvas.style;
    if (style.cursor !== value) style.cursor = value;
  }

  private setHover(ref: Ref | null): void {
    if (sameRef(ref, this.hovered)) return;
    this.hovered = ref;
    this.host.stage.invalidate({ active: true });
  }

  /** The space bar went down or up (a drag then pans). */
  setSpace(held: boolean): void {
    if (this.space === held) return;
    this.space = held;
    if (!this.current) this.setCursor(held ? "grab" : null);
  }
}
