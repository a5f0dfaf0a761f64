/**
 * Decoding the image: the preview (or the whole image, when small) first, the full
 * resolution when it arrives. Decoding runs off the main thread (createImageBitmap); a stale
 * decode (the image changed meanwhile) is dropped.
 */
import type { AnyModel } from "@anywidget/types";
import type { ImageModel } from "./model";

export interface Decoded {
  bitmap: ImageBitmap;
  /** Image pixels per bitmap pixel. */
  scale: number;
}

function bytesOf(data: DataView | ArrayBuffer | Uint8Array | null | undefined): Uint8Array | null {
  if (!data) return null;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const view = data as ArrayBufferView;
  if (view.byteLength === 0) return null;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** The byte length of a Bytes trait value (0 when empty or missing). */
export function byteLength(data: DataView | ArrayBuffer | null | undefined): number {
  return bytesOf(data)?.byteLength ?? 0;
}

export async function decode(data: DataView | null, mime: string): Promise<ImageBitmap> {
  const bytes = bytesOf(data);
  if (!bytes) throw new Error("no image data");
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime });
  return createImageBitmap(blob);
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
  async load(slot: "preview" | "full", data: DataView | null, mime: string, scale: number, generation: number): Promise<boolean> {
    const bitmap = await decode(data, mime);
    if (generation !== this.generation) {
      bitmap.close();
      return false;
    }
    this[slot]?.bitmap.close();
    this[slot] = { bitmap, scale };
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
    const preview = this.model.get("preview_data");
    const full = this.model.get("image_data");
    const hasPreview = byteLength(preview) > 0;
    const data = hasPreview ? preview : full;
    const mime = hasPreview ? this.model.get("preview_mime") : this.model.get("image_mime");
    if (byteLength(data) === 0) {
      // The kernel opens the widget first and sends the preview right after (it decodes it
      // meanwhile); the next change of the image traits loads it.
      this.events.problem("Waiting for the image from the kernel…");
      return;
    }
    try {
      performance.mark("nbannotate.image.decode");
      const scale = hasPreview ? this.model.get("preview_scale") || 1 : 1;
      if (!(await this.slots.load(hasPreview ? "preview" : "full", data, mime, scale, generation))) return;
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
      if (await this.slots.load("full", data, mime, 1, generation)) this.events.decoded("full");
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
