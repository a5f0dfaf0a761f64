import { describe, expect, it } from "vitest";
import { ChunkRequests, RequestIds, ViewStream } from "../audio/requests";

function recorder() {
  const sent: Record<string, unknown>[] = [];
  return { sent, ids: new RequestIds((c) => sent.push(c)) };
}

describe("view requests", () => {
  it("keeps one request in flight and sends the newest need when it is answered", () => {
    const { sent, ids } = recorder();
    const stream = new ViewStream<{ start: number }>(ids, "peaks");
    stream.want({ start: 1 }, 0);
    stream.want({ start: 2 }, 10);
    stream.want({ start: 3 }, 20);
    expect(sent).toEqual([{ type: "peaks", id: 1, start: 1 }]);
    expect(stream.admit(1, 30)).toBe(true);
    expect(sent).toEqual([{ type: "peaks", id: 1, start: 1 }, { type: "peaks", id: 2, start: 3 }]);
    expect(stream.pending).toBe(true);
    expect(stream.admit(2, 40)).toBe(true);
    expect(stream.pending).toBe(false);
  });
  it("drops replies older than the one shown", () => {
    const { ids } = recorder();
    const stream = new ViewStream<{ start: number }>(ids, "peaks", 100);
    stream.want({ start: 1 }, 0);
    stream.want({ start: 2 }, 500); // the first timed out: a second goes out
    expect(stream.admit(2, 510)).toBe(true);
    expect(stream.admit(1, 520)).toBe(false);
  });
  it("sends again after a failure", () => {
    const { sent, ids } = recorder();
    const stream = new ViewStream<{ start: number }>(ids, "spectrogram");
    stream.want({ start: 1 }, 0);
    stream.want({ start: 2 }, 1);
    stream.fail(1, 2);
    expect(sent.map((m) => m.start)).toEqual([1, 2]);
  });
});

describe("chunk requests", () => {
  it("asks once per chunk until answered or timed out", () => {
    const { sent, ids } = recorder();
    const chunks = new ChunkRequests(ids, 1000);
    expect(chunks.request(3, 0)).toBe(true);
    expect(chunks.request(3, 10)).toBe(false);
    expect(chunks.request(4, 10)).toBe(true);
    expect(chunks.request(3, 2000)).toBe(true);
    chunks.settle(4);
    expect(chunks.request(4, 2001)).toBe(true);
    expect(sent.map((m) => m.index)).toEqual([3, 4, 3, 4]);
    expect(new Set(sent.map((m) => m.id)).size).toBe(4);
  });
});
