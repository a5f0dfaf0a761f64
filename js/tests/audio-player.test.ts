import { describe, expect, it } from "vitest";
import { chunkCount, chunkIndex, chunksFor, decodeChunk, positionAt } from "../audio/player";

describe("chunk arithmetic", () => {
  it("maps times to chunk indices at the boundaries", () => {
    // 8000 Hz, chunks of 32000 samples (4 s)
    expect(chunkIndex(0, 8000, 32000)).toBe(0);
    expect(chunkIndex(3.9999, 8000, 32000)).toBe(0);
    expect(chunkIndex(4, 8000, 32000)).toBe(1);
    expect(chunkIndex(32000 / 8000, 8000, 32000)).toBe(1);
    expect(chunkCount(96017, 32000)).toBe(4);
    expect(chunkCount(64000, 32000)).toBe(2);
  });
  it("lists the chunks ahead of the playhead within the recording", () => {
    expect(chunksFor(3, 6, 8000, 32000, 96017)).toEqual([0, 1, 2]);
    expect(chunksFor(11, 60, 8000, 32000, 96017)).toEqual([2, 3]);
  });
});

describe("playhead from scheduled segments", () => {
  const segments = [
    { ctxStart: 10, ctxEnd: 12, mediaStart: 4, rate: 1 },
    { ctxStart: 12, ctxEnd: 13, mediaStart: 1, rate: 2 }, // a loop back to 1 s, at 2×
  ];
  it("reads media time from context time", () => {
    expect(positionAt(segments, 11, -1)).toBeCloseTo(5);
    expect(positionAt(segments, 12.5, -1)).toBeCloseTo(2);
  });
  it("holds at the next segment's start before it, and at the fallback after all", () => {
    expect(positionAt(segments, 9.5, -1)).toBe(4);
    expect(positionAt(segments, 20, 7)).toBe(7);
  });
});

describe("decoding chunks", () => {
  it("splits planar int16 and float32 into channels", () => {
    const ints = new Int16Array([0, 16384, -32768, 1, 2, 3]);
    const [a, b] = decodeChunk(new DataView(ints.buffer), "int16", 2, 3);
    expect(Array.from(a as Float32Array)).toEqual([0, 0.5, -1]);
    expect(Array.from(b as Float32Array)).toEqual([1 / 32768, 2 / 32768, 3 / 32768]);
    const floats = new Float32Array([0.25, -0.5]);
    const bytes = new Uint8Array(floats.byteLength + 1);
    bytes.set(new Uint8Array(floats.buffer), 1); // an unaligned offset inside a message
    const [c] = decodeChunk(new DataView(bytes.buffer, 1, floats.byteLength), "float32", 1, 2);
    expect(Array.from(c as Float32Array)).toEqual([0.25, -0.5]);
  });
});
