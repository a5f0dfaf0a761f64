import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AnyModel } from "@anywidget/types";
import { PREFETCH_KEEP_MS, PREFETCH_MAX_WAITING, decodeImage, prefetchImage, takePrefetched } from "../image/decode";
import type { ImageModel } from "../image/model";

/** Stands in for the browser's ImageBitmap: node has none. */
class FakeBitmap {
  closed = false;
  constructor(readonly from: string) {}
  close() {
    this.closed = true;
  }
}

function bytes(text: string): DataView {
  const encoded = new TextEncoder().encode(text);
  return new DataView(encoded.buffer);
}

function model(state: Record<string, unknown>) {
  const handlers = new Map<string, (() => void)[]>();
  const fake = {
    get: (key: string) => state[key],
    on: (name: string, handler: () => void) => {
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
    },
  };
  return Object.assign(fake as unknown as AnyModel<ImageModel>, {
    set(key: string, value: unknown) {
      state[key] = value;
      for (const h of handlers.get(`change:${key}`) ?? []) h();
    },
  });
}

/** createImageBitmap from a Blob: records what was decoded. */
function stubBlobDecoding() {
  const decoded: string[] = [];
  vi.stubGlobal("createImageBitmap", async (source: Blob | { tag: string }) => {
    const from = source instanceof Blob ? `blob:${await source.text()}` : `frame:${source.tag}`;
    decoded.push(from);
    return new FakeBitmap(from);
  });
  return decoded;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.advanceTimersByTime(PREFETCH_KEEP_MS); // frees what a test left waiting
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("decodeImage", () => {
  it("decodes through a Blob without WebCodecs", async () => {
    const decoded = stubBlobDecoding();
    const result = await decodeImage(bytes("jpeg-bytes"), "image/jpeg");
    expect(result.via).toBe("blob");
    expect(decoded).toEqual(["blob:jpeg-bytes"]);
  });

  it("uses ImageDecoder when there is one, and closes the frame and the decoder", async () => {
    const decoded = stubBlobDecoding();
    const closed: string[] = [];
    vi.stubGlobal("ImageDecoder", class {
      constructor(readonly init: { data: Uint8Array; type: string }) {}
      async decode() {
        const tag = `${this.init.type}:${new TextDecoder().decode(this.init.data)}`;
        return { image: { tag, close: () => closed.push("frame") } };
      }
      close() {
        closed.push("decoder");
      }
    });
    const result = await decodeImage(bytes("png-bytes"), "image/png");
    expect(result.via).toBe("webcodecs");
    expect(decoded).toEqual(["frame:image/png:png-bytes"]);
    expect(closed).toEqual(["frame", "decoder"]);
  });

  it("falls back to the Blob path when ImageDecoder refuses the type", async () => {
    const decoded = stubBlobDecoding();
    vi.stubGlobal("ImageDecoder", class {
      constructor() {
        throw new TypeError("unsupported type");
      }
    });
    expect((await decodeImage(bytes("gif"), "image/gif")).via).toBe("blob");
    expect(decoded).toEqual(["blob:gif"]);
  });

  it("rejects empty data", async () => {
    await expect(decodeImage(new DataView(new ArrayBuffer(0)), "image/png")).rejects.toThrow("no image data");
  });
});

describe("prefetchImage", () => {
  it("decodes the preview as soon as it arrives and hands it over once", async () => {
    const decoded = stubBlobDecoding();
    const m = model({ preview_data: null, preview_mime: "image/jpeg", image_data: null, image_mime: "image/jpeg" });
    prefetchImage(m);
    expect(decoded).toEqual([]);
    const preview = bytes("preview");
    m.set("preview_data", preview);
    const taken = takePrefetched(preview);
    expect(taken).not.toBeNull();
    expect(((await taken!).bitmap as unknown as FakeBitmap).from).toBe("blob:preview");
    expect(takePrefetched(preview)).toBeNull(); // once only: a second view decodes itself
    // The full resolution arriving later does not decode the preview again.
    m.set("image_data", bytes("full"));
    expect(decoded).toEqual(["blob:preview"]);
  });

  it("prefetches the image itself when there is no preview", async () => {
    const decoded = stubBlobDecoding();
    const small = bytes("small");
    prefetchImage(model({ preview_data: null, image_data: small, image_mime: "image/png" }));
    expect(await takePrefetched(small)).toBeTruthy();
    expect(decoded).toEqual(["blob:small"]);
  });

  it("frees a prefetch no view took when the image changes, and offers nothing for other bytes", async () => {
    stubBlobDecoding();
    const first = bytes("first");
    const m = model({ preview_data: first, preview_mime: "image/jpeg", image_data: null });
    prefetchImage(m);
    expect(takePrefetched(bytes("first"))).toBeNull(); // same content, different bytes object
    m.set("preview_data", bytes("second"));
    expect(takePrefetched(first)).toBeNull();
  });

  it("closes the stale bitmap once its decode finishes", async () => {
    const bitmaps: FakeBitmap[] = [];
    vi.stubGlobal("createImageBitmap", async (blob: Blob) => {
      const bitmap = new FakeBitmap(await blob.text());
      bitmaps.push(bitmap);
      return bitmap;
    });
    const m = model({ preview_data: bytes("old"), preview_mime: "image/jpeg", image_data: null });
    prefetchImage(m);
    const next = bytes("new");
    m.set("preview_data", next);
    const kept = await takePrefetched(next)!;
    await vi.waitFor(() => expect(bitmaps.find((b) => b.from === "old")?.closed).toBe(true));
    expect((kept.bitmap as unknown as FakeBitmap).closed).toBe(false);
  });

  it("frees a prefetch no view took in time: the view then decodes itself", async () => {
    const bitmaps: FakeBitmap[] = [];
    vi.stubGlobal("createImageBitmap", async (blob: Blob) => {
      const bitmap = new FakeBitmap(await blob.text());
      bitmaps.push(bitmap);
      return bitmap;
    });
    const preview = bytes("never shown");
    prefetchImage(model({ preview_data: preview, preview_mime: "image/jpeg", image_data: null }));
    await vi.waitFor(() => expect(bitmaps.length).toBe(1));
    vi.advanceTimersByTime(PREFETCH_KEEP_MS - 1);
    expect(bitmaps[0]?.closed).toBe(false);
    vi.advanceTimersByTime(1);
    await vi.waitFor(() => expect(bitmaps[0]?.closed).toBe(true));
    expect(takePrefetched(preview)).toBeNull();
  });

  it("lets only a few prefetches wait for a view at once", async () => {
    const decoded = stubBlobDecoding();
    const previews = Array.from({ length: PREFETCH_MAX_WAITING + 2 }, (_, i) => bytes(`p${i}`));
    for (const preview of previews) {
      prefetchImage(model({ preview_data: preview, preview_mime: "image/jpeg", image_data: null }));
    }
    await vi.waitFor(() => expect(decoded.length).toBe(PREFETCH_MAX_WAITING));
    expect(takePrefetched(previews[PREFETCH_MAX_WAITING] ?? null)).toBeNull(); // over the cap
    // A view takes one: the next widget's image is prefetched again.
    expect(takePrefetched(previews[0] ?? null)).not.toBeNull();
    const later = bytes("later");
    prefetchImage(model({ preview_data: later, preview_mime: "image/jpeg", image_data: null }));
    expect(takePrefetched(later)).not.toBeNull();
  });
});
