/**
 * The image pixels of one view: loads them through the ImageFeed (the preview first, then the
 * full resolution), reloads when the image traits change, paints the decoded image that suits
 * the zoom, and notes decode and first-paint times on the root's dataset.
 */
import type { AnyModel } from "@anywidget/types";
import { bytesOf } from "./decode";
import { LEVELS_MIME, type WindowSpec, valueAt } from "./levels";
import { ImageFeed } from "./loader";
import type { ImageModel } from "./model";
import { type Frame, drawImage } from "./render";
import type { Scene } from "./scene";
import type { Stage } from "./stage";
import { chooseSource } from "./view";

/** The image traits whose change reloads the image. */
const IMAGE_TRAITS = ["preview_data", "preview_mime", "preview_scale", "image_width", "image_height", "image_mime"];
/** The full resolution is re-coloured once the window rests this long (ms). */
const FULL_REPAINT_MS = 120;
/** The traits whose change re-colours levels (no reload). */
const WINDOW_TRAITS = ["vmin", "vmax", "colormap_lut", "levels_offset", "levels_step"];

export interface PictureHost {
  readonly model: AnyModel<ImageModel>;
  readonly root: HTMLElement;
  readonly scene: Scene;
  readonly stage: Stage;
  /** When the view was created (`performance.now()`). */
  readonly started: number;
  /** Something is wrong with the image ("" when nothing is). */
  problem(text: string): void;
  /** The image changed size: drop the selection (without a redraw; the layout redraws). */
  resized(): void;
}

export class Picture {
  private readonly feed: ImageFeed;
  private firstPaintDone = false;
  private reloadQueued = false;
  private repaintQueued = false;
  private repaintAgain = false;
  private fullTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: PictureHost) {
    const { model, root, stage, started } = host;
    this.feed = new ImageFeed(model, {
      decoded: (slot) => {
        const at = String(performance.now() - started);
        if (slot === "full") root.dataset.fullReady = at;
        else root.dataset.decoded = at;
        root.dataset.decoder = this.feed.slots[slot]?.via ?? "";
        performance.mark(`nbannotate.image.decoded-${slot}`);
        stage.invalidate({ image: true });
      },
      problem: (text) => host.problem(text),
    }, () => this.windowSpec());
  }

  /** The window and colormap levels are painted with, from the model. */
  windowSpec(): WindowSpec {
    const { model } = this.host;
    return {
      offset: model.get("levels_offset") ?? 0, step: model.get("levels_step") ?? 1,
      vmin: model.get("vmin"), vmax: model.get("vmax"), colormap: bytesOf(model.get("colormap_lut")),
    };
  }

  /** True when the image is single-channel levels (the window control applies). */
  get hasLevels(): boolean {
    return this.host.model.get("image_mime") === LEVELS_MIME;
  }

  /** The original value at image pixel (x, y): the full resolution's when here, else the
   * preview's; null outside the image or when the image is not levels. */
  valueAt(x: number, y: number): number | null {
    const slots = this.feed.slots;
    const slot = slots.full?.levels ? slots.full : slots.preview?.levels ? slots.preview : null;
    if (!slot?.levels) return null;
    const { model } = this.host;
    return valueAt(slot.levels, slot.scale, x, y, model.get("levels_offset") ?? 0, model.get("levels_step") ?? 1);
  }

  /** Re-colour the levels with the model's window. While the window keeps moving only the
   * preview is re-coloured (a few ms); the full resolution follows once it rests. */
  repaint(): void {
    if (this.repaintQueued) {
      this.repaintAgain = true;
    } else {
      this.repaintQueued = true;
      requestAnimationFrame(() => this.repaintNow(this.feed.slots.preview ? ["preview"] : ["preview", "full"]));
    }
    if (this.fullTimer !== undefined) clearTimeout(this.fullTimer);
    this.fullTimer = setTimeout(() => {
      this.fullTimer = undefined;
      void this.feed.slots.repaint(this.windowSpec(), ["full"]).then(() => this.painted(true));
    }, FULL_REPAINT_MS);
  }

  private repaintNow(which: ("preview" | "full")[]): void {
    void this.feed.slots.repaint(this.windowSpec(), which).then((done) => done && this.painted(which.includes("full"))).finally(() => {
      this.repaintQueued = false;
      if (this.repaintAgain) {
        this.repaintAgain = false;
        this.repaint();
      }
    });
  }

  /** Redraw; `complete`: every slot shows the window (noted on the root as `data-window`). */
  private painted(complete: boolean): void {
    if (complete) this.host.root.dataset.window = `${this.host.model.get("vmin")},${this.host.model.get("vmax")}`;
    this.host.stage.invalidate({ image: true });
  }

  /** Reload on changes of the image traits (`onModel` registers a model listener). */
  watch(onModel: (event: string, handler: () => void) => void): void {
    for (const name of IMAGE_TRAITS) onModel(`change:${name}`, () => this.queueReload());
    onModel("change:image_data", () => void this.feed.fullArrived());
    for (const name of WINDOW_TRAITS) onModel(`change:${name}`, () => this.repaint());
  }

  private queueReload(): void {
    if (this.reloadQueued) return;
    this.reloadQueued = true;
    queueMicrotask(() => {
      this.reloadQueued = false;
      const { model, scene, stage } = this.host;
      const w = model.get("image_width");
      const h = model.get("image_height");
      if (w !== scene.width || h !== scene.height) {
        scene.resize(w, h);
        this.host.resized();
        stage.fitted = true;
        stage.layout();
      }
      this.load();
    });
  }

  /** (Re)load the image from the model's traits. */
  load(): void {
    this.firstPaintDone = false;
    delete this.host.root.dataset.fullReady;
    void this.feed.load();
  }

  /** Draw the decoded image that suits the view (the image layer of the stage). */
  paint(canvas: HTMLCanvasElement, frame: Frame): void {
    const slots = this.feed.slots;
    const choice = chooseSource(frame.view, frame.dpr, slots.preview?.scale ?? 1, !!slots.preview, !!slots.full);
    const source = choice ? slots[choice] : null;
    drawImage(canvas, frame, source);
    if (!source) return;
    const root = this.host.root;
    root.dataset.source = choice as string;
    if (!this.firstPaintDone) {
      this.firstPaintDone = true;
      root.dataset.firstPaint = String(performance.now() - this.host.started);
      root.dataset.firstPaintAt = String(performance.now());
      performance.mark("nbannotate.image.first-paint");
      this.feed.requestFull();
    }
  }

  dispose(): void {
    if (this.fullTimer !== undefined) clearTimeout(this.fullTimer);
    this.feed.dispose();
  }
}
