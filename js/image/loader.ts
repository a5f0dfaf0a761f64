/**
 * Decoding the image: the preview (or the whole image, when small) first, the full
 * resolution when it arrives. Decoding runs off the main thread (see decode.ts), and the first
 * image may already be decoding before the view exists; a stale decode (the image changed
 * meanwhile) is dropped.
 */
import type { AnyModel } from "@anywidget/types";
import { type DecodedImage, bytesOf, decodeImage, firstImage, takePrefetched } from "./decode";
import type { ImageModel } from "./model";

export interface Decoded {
  bitmap: ImageBitmap;
  /** Image pixels per bitmap pixel. */
  scale: number;
  /** How the browser decoded it (see decode.ts). */
  via: DecodedImage["via"];
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
  async load(slot: "preview" | "full", decoding: Promise<DecodedImage>, scale: number, generation: number): Promise<boolean> {
    const { bitmap, via } = await decoding;
    if (generation !== this.generation) {
      bitmap.close();
      return false;
    }
    this[slot]?.bitmap.close();
    this[slot] = { bitmap, scale, via };
    return true;
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
  ) {}

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
      const decoding = takePrefetched(data) ?? decodeImage(data, mime);
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
      if (await this.slots.load("full", decodeImage(data, mime), 1, generation)) this.events.decoded("full");
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
