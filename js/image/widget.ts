/**
 * One view of an ImageAnnotator: wires the record lists (lib/sync), the scene, the gestures,
 * the three canvases and the toolbar. Every gesture runs here at frame rate; a finished one
 * is committed once (applied locally, remembered for undo, sent to the kernel as a change).
 * It is the composition root: the pointer (pointer.ts), the keys (key_handler.ts), the record
 * commands (commands.ts), the image (picture.ts) and the message bar (notes.ts) live apart.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import type { Box, Change, Keypoint } from "../types";
import type { View } from "../lib/geometry";
import { labelColor } from "../lib/colors";
import { toImage } from "../lib/geometry";
import { el } from "../lib/dom";
import { installKeyScope } from "../lib/keys";
import { type Editor, editorFor } from "../lib/sync";
import { RecordCommands } from "./commands";
import { type Tool, shownState } from "./gestures";
import { keyHandler } from "./key_handler";
import { Labels } from "./labels";
import { formatValue } from "./levels";
import type { ImageModel } from "./model";
import { Notes } from "./notes";
import { Picture } from "./picture";
import { PointerInput } from "./pointer";
import { type Field, type Ref, type Suggestion, isBox, listProblems, sameRef } from "./records";
import { drawActive, drawAddedBoxes, drawMarks } from "./render";
import { type FrameData, Stage } from "./stage";
import { Scene } from "./scene";
import { Segmentation } from "./segmentation";
import { Toolbar } from "./toolbar";
import { ImageTranscriber } from "./transcribe";

const FIELDS: readonly Field[] = ["boxes", "keypoints", "suggestions"];

export class ImageView {
  readonly root = el("div", { className: "nba-root nba-image", attrs: { tabindex: "0" } });
  private readonly stage: Stage;
  private readonly toolbar: Toolbar;
  /** The inline message bar. */
  private readonly notes: Notes;
  private readonly editor: Editor;
  private readonly scene: Scene;
  /** The image pixels: loading, reloading, painting. */
  private readonly picture: Picture;

  private selection: Ref | null = null;
  private readonly labels: Labels;
  private readonly transcriber: ImageTranscriber;
  /** Polygons, brush, eraser, mask suggestions and the uncertainty overlay. */
  private readonly seg: Segmentation;
  /** Gestures, hover, the space bar and the cursor. */
  private readonly pointer: PointerInput;
  /** Delete, accept, reject, visibility, text, cycle and reveal. */
  private readonly commands: RecordCommands;

  private readonly cleanup: (() => void)[] = [];
  private readonly started = performance.now();

  constructor(private readonly model: AnyModel<ImageModel>, host: HTMLElement) {
    performance.mark("nbannotate.image.render");
    this.editor = editorFor(model as unknown as AnyModel, [...FIELDS, "polygons"]);
    this.scene = new Scene(
      this.editor.list<Box>("boxes"), this.editor.list<Keypoint>("keypoints"), this.editor.list<Suggestion>("suggestions"),
      model.get("image_width"), model.get("image_height"),
    );
    this.stage = new Stage({
      frameData: () => this.frameData(),
      image: (canvas, frame) => this.picture.paint(canvas, frame),
      masks: (canvas, frame) => this.seg.paintMasks(canvas, frame),
      marks: (canvas, frame) => {
        drawMarks(canvas, frame, this.scene, this.pointer.hidden);
        this.seg.drawMarks(canvas, frame);
      },
      added: (canvas, frame, boxes) => drawAddedBoxes(canvas, frame, this.scene, boxes),
      active: (canvas, frame) => {
        drawActive(canvas, frame, this.scene, this.activeState());
        this.seg.drawActive(canvas, frame);
      },
    }, (view) => this.viewChanged(view));
    this.toolbar = new Toolbar({
      tool: (tool) => this.setTool(tool),
      label: (index) => this.labels.choose(index),
      zoom: (factor) => this.stage.zoomBy(factor),
      fit: () => this.stage.fit(),
      undo: () => this.undo(),
      redo: () => this.redo(),
      accept: () => this.commands.acceptSelection(),
      reject: () => this.commands.rejectSelection(),
      acceptAll: () => this.commands.acceptAll(),
      rejectAll: () => this.commands.rejectAll(),
      window: (vmin, vmax, done) => this.setWindow(vmin, vmax, done),
      autoWindow: () => this.setWindow(this.model.get("auto_vmin"), this.model.get("auto_vmax"), true),
    });
    this.stage.node.append(this.toolbar.help);
    this.transcriber = new ImageTranscriber({
      scene: this.scene,
      enabled: () => this.model.get("transcribe") === true,
      direction: () => this.model.get("reading_direction") ?? "auto",
      view: () => ({ view: this.stage.view, vp: this.stage.vp }),
      commit: (changes) => this.commit(changes),
      select: (ref) => this.select(ref),
      reveal: (ref) => this.commands.reveal(ref),
      focusWidget: () => this.root.focus({ preventScroll: true }),
    }, this.stage.node);
    this.root.append(this.toolbar.node, this.stage.node);
    host.append(this.root);
    this.notes = new Notes(this.root);
    this.picture = new Picture({
      model, root: this.root, scene: this.scene, stage: this.stage, started: this.started,
      problem: (text) => this.notes.set("image", text),
      resized: () => {
        this.selection = null;
      },
    });
    this.labels = new Labels({
      model, scene: this.scene,
      selection: () => this.selection,
      select: (ref) => this.select(ref),
      commit: (changes) => this.commit(changes),
      status: (text) => (this.toolbar.status.textContent = text),
      changed: () => this.refreshToolbar(),
    });
    this.seg = new Segmentation({
      model, editor: this.editor, root: this.root,
      scale: () => this.stage.view.scale,
      invalidate: (what) => this.stage.invalidate(what),
      commit: (changes) => this.commit(changes),
      hasSelection: () => this.selection !== null,
      deselect: () => this.select(null),
      status: (text) => (this.toolbar.status.textContent = text),
      notes: (lines) => this.notes.setRecords("segmentation", lines),
      refresh: () => this.toolbar.setHistory(this.editor.history.canUndo, this.editor.history.canRedo),
    });
    this.toolbar.node.insertBefore(this.seg.segbar.node, this.toolbar.node.querySelector(".nba-image-zoombar"));
    const records = {
      scene: this.scene, stage: this.stage, transcriber: this.transcriber,
      selection: () => this.selection,
      select: (ref: Ref | null) => this.select(ref),
      commit: (changes: Change[]) => this.commit(changes),
    };
    this.pointer = new PointerInput({ ...records, model, root: this.root, labels: this.labels, seg: this.seg });
    this.commands = new RecordCommands(records);
    for (const field of FIELDS) this.checkRecords(field);
    this.wire();
    this.refreshToolbar();
    this.refreshWindow();
    this.onModelError();
    performance.mark("nbannotate.image.built");
    this.stage.layout();
    performance.mark("nbannotate.image.layout");
    this.picture.load();
  }

  // -- wiring ------------------------------------------------------------------------------
  private on(target: EventTarget, type: string, handler: (event: never) => void, options?: AddEventListenerOptions): void {
    const listener = handler as unknown as EventListener;
    target.addEventListener(type, listener, options);
    this.cleanup.push(() => target.removeEventListener(type, listener, options));
  }

  private onModel(event: string, handler: () => void): void {
    this.model.on(event, handler);
    this.cleanup.push(() => this.model.off(event, handler));
  }

  private wire(): void {
    this.pointer.listen((target, type, handler, options) => this.on(target, type, handler, options));
    this.cleanup.push(installKeyScope(this.root, keyHandler({
      stage: this.stage, toolbar: this.toolbar, labels: this.labels, seg: this.seg,
      pointer: this.pointer, commands: this.commands,
      undo: () => this.undo(),
      redo: () => this.redo(),
      setTool: (tool) => this.setTool(tool),
      select: (ref) => this.select(ref),
    })));
    this.cleanup.push(this.editor.onList((event) => this.listChanged(event.field as Field, event.reason, event.changes)));
    this.cleanup.push(this.editor.onStatus(({ pending, error }) => {
      this.toolbar.status.textContent = pending > 0 ? `saving ${pending}…` : "saved";
      this.root.dataset.pending = String(pending);
      this.notes.set("sync", error ?? "");
    }));
    const observer = new ResizeObserver(() => this.stage.layout());
    observer.observe(this.stage.node);
    this.cleanup.push(() => observer.disconnect());
    this.watchDpr();
    this.picture.watch((event, handler) => this.onModel(event, handler));
    this.onModel("change:labels", () => this.labelsChanged());
    this.onModel("change:keypoint_labels", () => this.labelsChanged());
    this.onModel("change:skeleton", () => this.stage.invalidate({ marks: true, active: true }));
    this.onModel("change:label", () => this.refreshToolbar());
    this.onModel("change:tool", () => {
      this.pointer.cancelGesture();
      this.refreshToolbar();
      this.stage.invalidate({ active: true });
    });
    this.onModel("change:error", () => this.onModelError());
    this.onModel("change:transcribe", () => this.transcriber.recordsChanged());
    for (const name of ["vmin", "vmax", "value_min", "value_max", "image_mime", "levels_step"]) {
      this.onModel(`change:${name}`, () => this.refreshWindow());
    }
    this.on(this.stage.node, "pointermove", (event: PointerEvent) => this.showValue(event));
    this.on(this.stage.node, "pointerleave", () => {
      this.pixelNext = null;
      this.toolbar.readout.textContent = "";
    });
    const reply = (msg: { type?: string }) => this.pixelReply(msg);
    this.model.on("msg:custom", reply);
    this.cleanup.push(() => this.model.off("msg:custom", reply));
  }

  // -- contrast window (display only: the records never change) -----------------------------
  private setWindow(vmin: number, vmax: number, done: boolean): void {
    if (!(vmax > vmin)) return;
    this.model.set("vmin", vmin);
    this.model.set("vmax", vmax);
    if (done) this.model.save_changes();
  }

  private refreshWindow(): void {
    const m = this.model;
    const step = m.get("levels_step") ?? 1;
    const integer = step === 1 && Number.isInteger(m.get("levels_offset") ?? 0);
    this.toolbar.setWindow(this.picture.hasLevels, { min: m.get("value_min"), max: m.get("value_max"), integer }, m.get("vmin"), m.get("vmax"));
  }

  /** A pixel asked of the kernel (images that are not levels), and the next one to ask. */
  private pixelAsked = false;
  private pixelNext: { x: number; y: number } | null = null;

  private showValue(event: PointerEvent): void {
    const p = toImage(this.stage.view, this.stage.point(event));
    if (!this.picture.hasLevels) {
      // The original values live in the kernel: one request in flight, the latest point next.
      this.pixelNext = { x: Math.floor(p.x), y: Math.floor(p.y) };
      this.askPixel();
      return;
    }
    const value = this.picture.valueAt(p.x, p.y);
    this.toolbar.readout.textContent = value === null ? "" : `${Math.floor(p.x)}, ${Math.floor(p.y)}: ${formatValue(value)}`;
  }

  private askPixel(): void {
    if (this.pixelAsked || !this.pixelNext) return;
    this.pixelAsked = true;
    this.model.send({ type: "pixel", ...this.pixelNext });
    this.pixelNext = null;
  }

  private pixelReply(msg: { type?: string; x?: number; y?: number; values?: number[] | null }): void {
    if (msg?.type !== "pixel") return;
    this.pixelAsked = false;
    const values = msg.values;
    this.toolbar.readout.textContent = values
      ? `${msg.x}, ${msg.y}: ${values.map(formatValue).join(", ")}`
      : "";
    this.askPixel();
  }

  private watchDpr(): void {
    const query = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    const changed = () => {
      query.removeEventListener("change", changed);
      this.stage.layout();
      this.watchDpr();
    };
    query.addEventListener("change", changed);
    this.cleanup.push(() => query.removeEventListener("change", changed));
  }

  dispose = (): void => {
    this.transcriber.destroy();
    this.seg.dispose();
    this.stage.dispose();
    for (const undo of this.cleanup.splice(0)) undo();
    this.picture.dispose();
    this.root.remove();
  };

  // -- view and drawing ------------------------------------------------------------------------
  private viewChanged(view: View): void {
    this.root.dataset.view = `${view.scale},${view.offsetX},${view.offsetY}`;
    this.toolbar.setZoom(view.scale);
    this.transcriber.place();
  }

  private frameData(): FrameData {
    return {
      width: this.scene.width, height: this.scene.height,
      labels: this.model.get("labels") ?? [], keypointLabels: this.model.get("keypoint_labels") ?? [],
      skeleton: this.model.get("skeleton") ?? [],
    };
  }

  private activeState() {
    const { gesture, hover } = this.pointer;
    return shownState(this.scene, gesture, this.selection, hover, this.model.get("tool"), this.model.get("label"));
  }

  // -- records -------------------------------------------------------------------------------
  private commit(changes: Change[]): void {
    if (changes.length === 0) return;
    try {
      this.editor.commit(changes);
    } catch (error) {
      this.notes.set("sync", `The edit could not be applied: ${(error as Error).message}`);
    }
  }

  private undo(): void {
    this.pointer.cancelGesture();
    this.editor.undo();
  }

  private redo(): void {
    this.pointer.cancelGesture();
    this.editor.redo();
  }

  private listChanged(field: Field, reason: "load" | "edit", changes: readonly Change[]): void {
    if (this.seg.listChanged(field)) return this.refreshToolbar();
    if (reason === "load") {
      this.scene.rebuild(field);
      this.checkRecords(field);
      this.stage.invalidate({ marks: true });
    } else {
      this.scene.applied(changes);
      const onlyBoxAdds = field === "boxes" && changes.every((c) => c.op === "add") && this.pointer.hidden.size === 0;
      if (onlyBoxAdds && !this.stage.marksDirty) {
        this.stage.addBoxes(changes.map((c) => this.scene.boxes.get(c.record.id)).filter((b): b is Box => b !== undefined));
      } else {
        this.stage.invalidate({ marks: true });
      }
    }
    if (this.selection && !this.scene.get(this.selection)) this.selection = null;
    this.pointer.forgetMissing();
    if (field === "boxes") this.transcriber.recordsChanged();
    this.refreshToolbar();
  }

  private checkRecords(field: Field): void {
    this.notes.setRecords(field, listProblems(field, this.model.get(field)));
  }

  private select(ref: Ref | null): void {
    if (sameRef(ref, this.selection)) return;
    this.selection = ref;
    if (ref) this.seg.clearSelection();
    if (ref?.field === "boxes") this.labels.instanceSelected(ref.id);
    this.refreshToolbar();
    this.stage.invalidate({ active: true });
  }

  // -- labels and tools ------------------------------------------------------------------------
  private setTool(tool: Tool): void {
    this.pointer.cancelGesture();
    if (!this.labels.setTool(tool)) return;
    this.pointer.setCursor(null);
    this.stage.invalidate({ active: true });
  }

  private labelsChanged(): void {
    this.refreshToolbar();
    this.stage.invalidate({ marks: true, active: true });
  }

  // -- toolbar and messages ----------------------------------------------------------------------
  private refreshToolbar(): void {
    const tool = this.model.get("tool");
    const keypointNames = this.model.get("keypoint_labels") ?? [];
    this.toolbar.setTool(tool, keypointNames.length > 0);
    const { names, kind } = this.labels.names();
    const record = this.scene.get(this.selection);
    const all = [...(this.model.get("labels") ?? []), ...keypointNames];
    let active: string | null = this.model.get("label");
    if (record && (kind === "keypoint") === !isBox(record)) active = record.label;
    this.toolbar.setLabels(names, (name) => labelColor(name, all), active);
    this.toolbar.setHistory(this.editor.history.canUndo, this.editor.history.canRedo);
    this.toolbar.setSuggestions(this.scene.suggestions.items.length, this.selection?.field === "suggestions");
    this.root.dataset.tool = tool;
    this.root.dataset.selection = this.selection ? `${this.selection.field}:${this.selection.id}` : "";
    this.seg?.refresh();
  }

  private onModelError(): void {
    this.notes.set("model", this.model.get("error") ?? "");
  }
}

export function render({ model, el: host }: RenderProps<ImageModel>): () => void {
  const view = new ImageView(model, host);
  return view.dispose;
}
