/**
 * The segmentation tools of one view: the polygon tool, the brush and the eraser, the mask
 * suggestions and the uncertainty overlay. The widget hands it pointer presses, moves and
 * releases in these tools, keys, and the drawing of three layers; it keeps the rest of the
 * widget (boxes, keypoints, their selection) as it is.
 */
import type { AnyModel } from "@anywidget/types";
import type { Change, Polygon } from "../types";
import type { Point } from "../lib/geometry";
import type { Editor } from "../lib/sync";
import { newId } from "../lib/sync";
import type { Stroke } from "./brush";
import { type MaskStore, maskStoreFor } from "./mask_store";
import type { ImageModel } from "./model";
import { type BrushCursor, MaskPainter, drawPolygons, drawSegmentationActive } from "./overlay";
import { PolygonTool } from "./polygon_tool";
import { VERTEX_PX, findVertex, polygonProblems } from "./polygons";
import type { Frame } from "./render";
import { Segbar } from "./segbar";
import type { Action } from "./shortcuts";

export const SEGMENTATION_TOOLS: readonly string[] = ["polygon", "brush", "eraser"];
/** The brush radius grows or shrinks by this factor per `]` / `[`. */
const RADIUS_STEP = 1.25;

export interface SegmentationHost {
  readonly model: AnyModel<ImageModel>;
  readonly editor: Editor;
  readonly root: HTMLElement;
  /** CSS pixels per image pixel. */
  scale(): number;
  /** Redraw layers. */
  invalidate(what: { masks?: boolean; marks?: boolean; active?: boolean }): void;
  /** Apply, remember and send record changes (polygons). */
  commit(changes: Change[]): void;
  /** The widget's own selection (a box, a keypoint, a suggestion) is set. */
  hasSelection(): boolean;
  /** Clear the widget's own selection (a polygon was selected). */
  deselect(): void;
  status(text: string): void;
  /** Lines for the inline message bar ([]: none). */
  notes(lines: string[]): void;
  /** The undo state or the suggestions changed: refresh the toolbar. */
  refresh(): void;
}

export class Segmentation {
  readonly store: MaskStore;
  readonly polygons: PolygonTool;
  readonly segbar: Segbar;
  private readonly painter = new MaskPainter();
  private stroke: Stroke | null = null;
  private hover: Point | null = null;
  private uncertainty: ImageBitmap | null = null;
  private uncertaintyGeneration = 0;
  private maskError: string | null = null;
  private readonly cleanup: (() => void)[] = [];

  constructor(private readonly host: SegmentationHost) {
    const { model, editor } = host;
    this.store = maskStoreFor(model, editor);
    const size = () => ({ width: model.get("image_width"), height: model.get("image_height") });
    this.polygons = new PolygonTool(editor.list<Polygon>("polygons"), size, newId);
    this.segbar = new Segbar({
      radius: (step) => this.changeRadius(step),
      uncertainty: () => this.toggleUncertainty(),
      accept: () => this.acceptMasks(),
    });
    this.cleanup.push(this.store.onChange((rect) => {
      this.painter.invalidate(rect);
      host.invalidate({ masks: true });
      if (!rect) this.report();
    }));
    this.cleanup.push(this.store.onStatus(({ pending, error }) => {
      host.root.dataset.maskPending = String(pending);
      host.status(pending > 0 ? `saving ${pending} stroke${pending === 1 ? "" : "s"}…` : "saved");
      this.maskError = error;
      this.report();
    }));
    const on = (event: string, handler: () => void) => {
      model.on(event, handler);
      this.cleanup.push(() => model.off(event, handler));
    };
    on("change:uncertainty_png", () => void this.loadUncertainty());
    on("change:show_uncertainty", () => this.overlayChanged());
    on("change:brush_radius", () => this.refresh());
    on("change:tool", () => this.cancel());
    void this.loadUncertainty();
    this.report();
  }

  dispose(): void {
    for (const undo of this.cleanup.splice(0)) undo();
    this.uncertainty?.close();
  }

  owns(tool: string): boolean {
    return SEGMENTATION_TOOLS.includes(tool);
  }

  // -- pointer -------------------------------------------------------------------------------
  /** A press at image point `p`; true when the segmentation tools took it. */
  pointerDown(p: Point, tool: string, button: number, pan: boolean, onEmpty: boolean): boolean {
    if (button !== 0 || pan) return false;
    const { model } = this.host;
    if (tool === "brush" || tool === "eraser") {
      const index = (model.get("labels") ?? []).indexOf(model.get("label"));
      if (tool === "brush" && index < 0) {
        this.host.status("pick a label to paint (keys 1–9)");
        return true;
      }
      this.stroke = this.store.beginStroke(tool === "eraser" ? 0 : index + 1, model.get("brush_radius") || 1);
      if (!this.stroke) return true;
      this.hover = p;
      this.store.strokeMoved(this.stroke.to(p));
      this.host.invalidate({ active: true });
      return true;
    }
    if (tool !== "polygon" && !(tool === "select" && onEmpty)) return false;
    const result = this.polygons.press(p, { tool, scale: this.host.scale(), now: performance.now() }, model.get("label"));
    if (!result.handled) {
      if (this.polygons.selection === null) return false;
      this.polygons.selection = null;
      this.host.invalidate({ active: true });
      return false;
    }
    if (result.problem) this.host.status(result.problem);
    if (this.polygons.selection) this.host.deselect();
    if (result.changes.length) this.host.commit(result.changes);
    this.host.invalidate({ marks: result.drag, active: true });
    this.refresh();
    return true;
  }

  /** The pointer moved to `p`; true when the segmentation tools used it (no hover work left). */
  pointerMove(p: Point, tool: string): boolean {
    if (this.stroke) {
      this.hover = p;
      this.store.strokeMoved(this.stroke.to(p));
      this.host.invalidate({ active: true });
      return true;
    }
    if (this.polygons.dragging) {
      this.polygons.move(p);
      this.host.invalidate({ active: true });
      return true;
    }
    if (!this.owns(tool)) return false;
    this.hover = p;
    this.polygons.move(p);
    this.host.invalidate({ active: true });
    return true;
  }

  /** The pointer went up; true when it ended a stroke or a vertex drag. */
  pointerUp(): boolean {
    const stroke = this.stroke;
    if (stroke) {
      this.stroke = null;
      this.store.endStroke(stroke);
      this.host.root.dataset.strokes = String(Number(this.host.root.dataset.strokes ?? "0") + 1);
      this.refresh();
      return true;
    }
    if (this.polygons.dragging) {
      this.host.commit(this.polygons.release());
      this.host.invalidate({ marks: true, active: true });
      this.refresh();
      return true;
    }
    return false;
  }

  /** The pointer left the stage: no brush outline. */
  leave(): void {
    if (!this.hover) return;
    this.hover = null;
    this.host.invalidate({ active: true });
  }

  /** Escape, a tool change, pointercancel: drop the stroke or the polygon gesture. */
  cancel(): boolean {
    if (this.stroke) {
      this.store.cancelStroke(this.stroke);
      this.stroke = null;
      this.host.invalidate({ active: true });
      return true;
    }
    if (this.polygons.busy) {
      this.polygons.cancel();
      this.host.invalidate({ marks: true, active: true });
      return true;
    }
    return false;
  }

  /** The widget selected one of its own records: no polygon stays selected. */
  clearSelection(): void {
    if (!this.polygons.selection) return;
    this.polygons.selection = null;
    this.host.invalidate({ active: true });
  }

  get busy(): boolean {
    return this.stroke !== null || this.polygons.busy;
  }

  /** The cursor over image point `p` in `tool` (null: the widget's default). */
  cursor(p: Point, tool: string): string | null {
    if (tool === "brush" || tool === "eraser") return "none";
    if (tool === "polygon" && !this.polygons.drawing) {
      const vertex = findVertex(this.host.editor.list<Polygon>("polygons").items, p, VERTEX_PX / this.host.scale());
      if (vertex) return "move";
    }
    return null;
  }

  // -- keys ----------------------------------------------------------------------------------
  /** Act on a key's action; false leaves it to the widget. */
  perform(action: Action): boolean {
    const { model } = this.host;
    const polygons = this.polygons;
    switch (action.kind) {
      case "radius":
        this.changeRadius(action.step);
        return true;
      case "uncertainty":
        this.toggleUncertainty();
        return true;
      case "cycle":
        if (model.get("tool") !== "polygon" || !polygons.cycle(action.step)) return false;
        this.host.deselect();
        this.host.invalidate({ active: true });
        this.refresh();
        return true;
      case "undo":
        if (!polygons.drawing) return false;
        polygons.remove();
        this.host.invalidate({ active: true });
        return true;
      case "delete": {
        if (!polygons.drawing && !polygons.selection) return false;
        const outcome = polygons.remove();
        if (outcome === null) return false;
        if (typeof outcome === "string") this.host.status(outcome);
        else this.host.commit(outcome);
        this.host.invalidate({ marks: true, active: true });
        return true;
      }
      case "accept": {
        if (polygons.drawing) {
          const { changes, problem } = polygons.close(model.get("label"));
          if (problem) this.host.status(problem);
          this.host.commit(changes);
          this.host.invalidate({ marks: true, active: true });
          return true;
        }
        if (this.host.hasSelection() || this.store.suggestedPixels === 0) return false;
        this.acceptMasks();
        return true;
      }
      case "label": {
        const names = model.get("labels") ?? [];
        const name = names[action.index];
        if (name === undefined || !polygons.selection) return false;
        const changes = polygons.relabel(name);
        if (changes === null) return false;
        this.host.commit(changes);
        return true;
      }
      case "escape":
        if (this.cancel()) return true;
        if (!polygons.selection) return false;
        polygons.selection = null;
        this.host.invalidate({ active: true });
        return false; // the widget also clears its own selection and the help
      default:
        return false;
    }
  }

  private changeRadius(step: 1 | -1): void {
    const { model } = this.host;
    const longest = Math.max(model.get("image_width"), model.get("image_height"), 1);
    const current = model.get("brush_radius") || 1;
    const next = Math.round(Math.min(longest, Math.min(512, Math.max(1, current * (step > 0 ? RADIUS_STEP : 1 / RADIUS_STEP)))) * 10) / 10;
    if (next === current) return;
    model.set("brush_radius", next);
    model.save_changes();
    this.refresh();
    this.host.invalidate({ active: true });
  }

  private toggleUncertainty(): void {
    const { model } = this.host;
    model.set("show_uncertainty", !model.get("show_uncertainty"));
    model.save_changes();
    this.overlayChanged();
  }

  /** Accept the mask suggestions where nothing is painted (one undoable edit). */
  acceptMasks(): void {
    const labels = this.store.accept();
    this.host.status(labels ? `accepted the suggested masks of ${labels} label${labels === 1 ? "" : "s"}` : "no suggested pixel left to accept");
    this.refresh();
  }

  // -- records -------------------------------------------------------------------------------
  /** Record-list events of the widget's editor; true when they were the polygons'. */
  listChanged(field: string): boolean {
    if (field !== "polygons") return false;
    this.polygons.prune();
    this.host.invalidate({ marks: true, active: true });
    this.report();
    return true;
  }

  private async loadUncertainty(): Promise<void> {
    const generation = ++this.uncertaintyGeneration;
    const data = this.host.model.get("uncertainty_png") as DataView | null;
    let bitmap: ImageBitmap | null = null;
    if (data && data.byteLength > 0) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      try {
        bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "image/png" }));
      } catch {
        bitmap = null;
      }
    }
    if (generation !== this.uncertaintyGeneration) {
      bitmap?.close();
      return;
    }
    this.uncertainty?.close();
    this.uncertainty = bitmap;
    this.overlayChanged();
  }

  private overlayChanged(): void {
    this.painter.invalidate(null);
    this.host.invalidate({ masks: true });
    this.refresh();
  }

  private report(): void {
    const lines = [...polygonProblems(this.host.model.get("polygons")), ...this.store.problems];
    if (this.maskError) lines.push(this.maskError);
    this.host.notes(lines);
    this.refresh();
  }

  /** Update the toolbar's segmentation controls and the root's data attributes. */
  refresh(): void {
    const { model, root } = this.host;
    const tool = model.get("tool");
    const show = model.get("show_uncertainty") === true;
    this.segbar.update({
      brush: tool === "brush" || tool === "eraser",
      radius: model.get("brush_radius") || 1,
      hasUncertainty: this.uncertainty !== null,
      showUncertainty: show,
      suggestions: this.store.suggestedPixels > 0 ? this.store.suggestionCount : 0,
    });
    root.dataset.maskSuggestions = String(this.store.suggestionCount);
    root.dataset.suggestedPixels = String(this.store.suggestedPixels);
    root.dataset.uncertainty = this.uncertainty ? (show ? "shown" : "hidden") : "none";
    const selection = this.polygons.selection;
    root.dataset.polygon = selection ? `${selection.id}${selection.vertex === null ? "" : `:${selection.vertex}`}` : "";
    this.host.refresh();
  }

  // -- drawing -------------------------------------------------------------------------------
  paintMasks(canvas: HTMLCanvasElement, frame: Frame): void {
    const show = this.host.model.get("show_uncertainty") === true;
    this.painter.paint(canvas, frame, this.store.canvas, show ? this.uncertainty : null);
  }

  drawMarks(canvas: HTMLCanvasElement, frame: Frame): void {
    drawPolygons(canvas, frame, this.host.editor.list<Polygon>("polygons").items, this.polygons.draggedId);
  }

  drawActive(canvas: HTMLCanvasElement, frame: Frame): void {
    const { model } = this.host;
    const tool = model.get("tool");
    let brush: BrushCursor | null = null;
    if (this.hover && (tool === "brush" || tool === "eraser")) {
      brush = { at: this.hover, radius: model.get("brush_radius") || 1, erase: tool === "eraser", label: model.get("label") };
    }
    const shown = this.polygons.shown(VERTEX_PX / Math.max(frame.view.scale, 1e-6));
    if (!shown.drawing && !shown.selected && !brush) return;
    drawSegmentationActive(canvas, frame, shown, model.get("label"), brush);
  }
}
