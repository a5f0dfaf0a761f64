/**
 * Decoding the image: the preview (or the whole image, when small) first, the full
 * resolution when it arrives. Decoding runs off the main thread (see decode.ts), and the first
 * image may already be decoding before the view exists; a stale decode (the image changed
 * meanwhile) is dropped.
 */
import type { AnyModel } from "@anywidget/types";
import { type DecodedImage, bytesOf, decodeImage, firstImage, takePrefetched } from "./decode";
import { LEVELS_MIME, type Levels, type WindowSpec, inflateLevels, paintLevels, windowTable } from "./levels";
import type { ImageModel } from "./model";

/** A decoded image, or levels painted through the window table. */
interface Painted extends DecodedImage {
  levels?: Levels;
}

/** Levels bytes -> Levels and their bitmap under `spec`. */
async function decodeLevels(data: DataView | null, width: number, height: number, spec: WindowSpec): Promise<Painted> {
  const bytes = bytesOf(data);
  if (!bytes) throw new Error("no image data");
  const levels = await inflateLevels(bytes, width, height);
  return { bitmap: await paintBitmap(levels, windowTable(spec)), via: "levels", levels };
}

function paintBitmap(levels: Levels, table: Uint32Array): Promise<ImageBitmap> {
  return createImageBitmap(new ImageData(paintLevels(levels, table), levels.width, levels.height));
}

export interface Decoded {
  bitmap: ImageBitmap;
  /** Image pixels per bitmap pixel. */
  scale: number;
  /** How the browser decoded it (see decode.ts; "levels": levels.ts). */
  via: DecodedImage["via"];
  /** The 16-bit levels it was painted from (single-channel images). */
  levels?: Levels;
}

/** The byte length of a Bytes trait value (0 when empty or missing). */
export function byteLength(data: DataView | ArrayBuffer | null | undefined): number {
  return bytesOf(data)?.byteLength ?? 0;
}

export class ImageSlots {
  preview: Decoded | null = null;
  full: Decoded | null = null;
  private generation = 0;

  /** Forget both images (a new image is coming). Returns the new generation. */
  reset(): number {
    this.preview?.bitmap.close();
    this.full?.bitmap.close();
    this.preview = null;
    this.full = null;
    return ++this.generation;
  }

  /** Decode into a slot; false when the image changed meanwhile. Throws when undecodable. */
  async load(slot: "preview" | "full", decoding: Promise<Painted>, scale: number, generation: number): Promise<boolean> {
    const { bitmap, via, levels } = await decoding;
    if (generation !== this.generation) {
      bitmap.close();
      return false;
    }
    this[slot]?.bitmap.close();
    this[slot] = { bitmap, scale, via, levels };
    return true;
  }

  /** Paint the levels of these slots again (a new window or colormap); false when none. */
  async repaint(spec: WindowSpec, which: readonly ("preview" | "full")[] = ["preview", "full"]): Promise<boolean> {
    const table = windowTable(spec);
    const generation = this.generation;
    let done = false;
    for (const slot of which) {
      const current = this[slot];
      if (!current?.levels) continue;
      const bitmap = await paintBitmap(current.levels, table);
      if (generation !== this.generation || this[slot] !== current) {
        bitmap.close();
        continue;
      }
      current.bitmap.close();
      this[slot] = { ...current, bitmap };
      done = true;
    }
    return done;
  }

  dispose(): void {
    this.reset();
  }
}

type FeedModel = Pick<AnyModel<ImageModel>, "get" | "send">;

/**
 * The image of one view: decodes the preview (or the whole small image) first, asks the
 * kernel for the full resolution once the preview is on screen, and decodes it when it comes.
 */
export class ImageFeed {
  readonly slots = new ImageSlots();
  private generation = 0;
  private fullRequested = false;

  constructor(
    private readonly model: FeedModel,
    private readonly events: { decoded(slot: "preview" | "full"): void; problem(text: string): void },
    private readonly spec: () => WindowSpec = () => ({ offset: 0, step: 1, vmin: 0, vmax: 255, colormap: null }),
  ) {}

  /** Decode bytes of `mime` (levels of `scale`: their size follows from the image's). */
  private decode(data: DataView | null, mime: string, scale: number): Promise<Painted> {
    if (mime !== LEVELS_MIME) return decodeImage(data, mime);
    const width = Math.ceil(this.model.get("image_width") / scale);
    const height = Math.ceil(this.model.get("image_height") / scale);
    return decodeLevels(data, width, height, this.spec());
  }

  /** (Re)load from the model's traits. */
  async load(): Promise<void> {
    const generation = (this.generation = this.slots.reset());
    this.fullRequested = false;
    const full = this.model.get("image_data");
    const hasPreview = byteLength(this.model.get("preview_data")) > 0;
    const { data, mime } = firstImage(this.model);
    if (byteLength(data) === 0) {
      // The kernel opens the widget first and sends the preview right after (it decodes it
      // meanwhile); the next change of the image traits loads it.
      this.events.problem("Waiting for the image from the kernel…");
      return;
    }
    try {
      performance.mark("nbannotate.image.decode");
      const scale = hasPreview ? this.model.get("preview_scale") || 1 : 1;
      const decoding = takePrefetched(data) ?? this.decode(data, mime, scale);
      if (!(await this.slots.load(hasPreview ? "preview" : "full", decoding, scale, generation))) return;
      this.events.problem("");
      this.events.decoded(hasPreview ? "preview" : "full");
    } catch {
      this.events.problem(`The image could not be decoded (${mime}, ${byteLength(data)} bytes).`);
      return;
    }
    if (hasPreview && byteLength(full) > 0) await this.loadFull(generation);
  }

  /** The kernel sent `image_data`: the full resolution (or, without a preview, a new image). */
  async fullArrived(): Promise<void> {
    if (byteLength(this.model.get("preview_data")) === 0) return this.load();
    return this.loadFull(this.generation);
  }

  private async loadFull(generation: number): Promise<void> {
    const data = this.model.get("image_data");
    if (byteLength(data) === 0 || this.slots.full) return;
    const mime = this.model.get("image_mime");
    try {
      if (await this.slots.load("full", this.decode(data, mime, 1), 1, generation)) this.events.decoded("full");
    } catch {
      this.events.problem(`The full-resolution image could not be decoded (${mime}, ${byteLength(data)} bytes); showing the preview.`);
    }
  }

  /** Ask the kernel for the full resolution (once), when only a preview is here. */
  requestFull(): void {
    if (this.fullRequested || this.slots.full || !this.slots.preview) return;
    if (byteLength(this.model.get("image_data")) > 0) return;
    this.fullRequested = true;
    this.model.send({ type: "load_full" });
  }

  dispose(): void {
    this.slots.dispose();
  }
}
