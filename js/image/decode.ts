/**
 * Image bytes -> ImageBitmap, off the main thread, and a head start for the first image.
 *
 * `decodeImage` uses WebCodecs' ImageDecoder when the browser has it: it decodes straight
 * from the bytes in the page's own process. `createImageBitmap(blob)`, the fallback (browsers
 * without ImageDecoder, pages that are not a secure context), first hands the bytes to the
 * browser process as a Blob and reads them back; measured in JupyterLab, that round trip cost
 * 40–50 ms while the page was busy showing the new output, the decode itself ~10 ms.
 *
 * `prefetchImage` starts decoding the image a model is about to show as soon as its bytes
 * arrive, before any view exists (the anywidget `initialize` hook); the first view to load
 * takes the result. A prefetch no view takes is freed after a while, and only a few wait at
 * once, so widgets that are made but not displayed cost no memory in the page.
 */
import type { AnyModel } from "@anywidget/types";
import type { ImageModel } from "./model";

/** The part of WebCodecs' ImageDecoder used here (not in TypeScript's DOM library yet). */
interface WebImageDecoder {
  decode(): Promise<{ image: CanvasImageSource & { close(): void } }>;
  close(): void;
}
type WebImageDecoderClass = new (init: { data: BufferSource; type: string }) => WebImageDecoder;

/** The bytes of a Bytes trait value, or null when empty or missing. */
export function bytesOf(data: DataView | ArrayBuffer | Uint8Array | null | undefined): Uint8Array | null {
  if (!data) return null;
  if (data instanceof ArrayBuffer) return data.byteLength > 0 ? new Uint8Array(data) : null;
  const view = data as ArrayBufferView;
  if (view.byteLength === 0) return null;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function webDecoder(): WebImageDecoderClass | null {
  const found = (globalThis as { ImageDecoder?: WebImageDecoderClass }).ImageDecoder;
  return typeof found === "function" ? found : null;
}

async function decodeWithWebCodecs(Decoder: WebImageDecoderClass, bytes: Uint8Array, mime: string): Promise<ImageBitmap> {
  const decoder = new Decoder({ data: bytes as Uint8Array<ArrayBuffer>, type: mime });
  try {
    const { image } = await decoder.decode();
    try {
      return await createImageBitmap(image);
    } finally {
      image.close();
    }
  } finally {
    decoder.close();
  }
}

/** A decoded image, and which way it was decoded. */
export interface DecodedImage {
  bitmap: ImageBitmap;
  via: "webcodecs" | "blob" | "levels";
}

/** Decode encoded image bytes (PNG, JPEG, WebP, GIF: the first frame). Throws when undecodable. */
export async function decodeImage(data: DataView | ArrayBuffer | Uint8Array | null, mime: string): Promise<DecodedImage> {
  const bytes = bytesOf(data);
  if (!bytes) throw new Error("no image data");
  const Decoder = webDecoder();
  if (Decoder) {
    try {
      return { bitmap: await decodeWithWebCodecs(Decoder, bytes, mime), via: "webcodecs" };
    } catch {
      // An unsupported type or a decoder refused here: the generic path below decides.
    }
  }
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  return { bitmap, via: "blob" };
}

/** Decodes started ahead of the views, by the bytes they decode (the same DataView that the
 * views read from the model: anywidget gives each view its own model proxy, not its own data). */
const prefetched = new WeakMap<DataView, { decoded: Promise<DecodedImage> | null }>();

/** A prefetch no view took within this time is freed (the widget was never displayed). */
export const PREFETCH_KEEP_MS = 10_000;
/** At most this many prefetched images wait for a view at once (widgets made in a loop and
 * not displayed decode nothing beyond them). */
export const PREFETCH_MAX_WAITING = 4;
let waiting = 0;

/** Free a prefetch that is still waiting (no view took it). */
function release(entry: { decoded: Promise<DecodedImage> | null }): void {
  if (!entry.decoded) return;
  entry.decoded.then(({ bitmap }) => bitmap.close(), () => undefined);
  entry.decoded = null;
  waiting--;
}

type PrefetchModel = Pick<AnyModel<ImageModel>, "get" | "on">;

/** What a view shows first: the preview when there is one, else the image itself. */
export function firstImage(model: Pick<AnyModel<ImageModel>, "get">): { data: DataView | null; mime: string } {
  const preview = model.get("preview_data");
  if (bytesOf(preview)) return { data: preview, mime: model.get("preview_mime") };
  return { data: model.get("image_data"), mime: model.get("image_mime") };
}

/**
 * Decode the model's first image whenever its bytes arrive, ahead of the views.
 *
 * Examples
 * --------
 * ```ts
 * export default { initialize: ({ model }) => prefetchImage(model), render };
 * ```
 */
export function prefetchImage(model: PrefetchModel): void {
  let current: DataView | null = null;
  const start = (): void => {
    const { data, mime } = firstImage(model);
    if (data === current) return;
    if (current) {
      // Not taken by a view before the image changed: free it once decoded.
      const stale = prefetched.get(current);
      if (stale) release(stale);
      prefetched.delete(current);
    }
    current = data;
    // Levels are painted by the view (they need its window); only encoded images prefetch.
    if (!data || !bytesOf(data) || waiting >= PREFETCH_MAX_WAITING || mime === "application/x-nbannotate-levels") return;
    performance.mark("nbannotate.image.prefetch");
    const decoded = decodeImage(data, mime);
    decoded.then(() => performance.mark("nbannotate.image.prefetched"), () => undefined);
    decoded.catch(() => undefined); // the view that takes it reports the failure
    const entry = { decoded };
    waiting++;
    prefetched.set(data, entry);
    setTimeout(() => release(entry), PREFETCH_KEEP_MS);
  };
  start();
  model.on("change:preview_data", start);
  model.on("change:image_data", start);
}

/**
 * The prefetched decode of exactly these bytes, handed over once (the taker owns the bitmap);
 * null when there is none, so the caller decodes itself.
 */
export function takePrefetched(data: DataView | null): Promise<DecodedImage> | null {
  const entry = data ? prefetched.get(data) : undefined;
  if (!entry?.decoded) return null;
  const { decoded } = entry;
  entry.decoded = null;
  waiting--;
  return decoded;
}
