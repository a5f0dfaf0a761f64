import { describe, expect, it } from "vitest";
import { Media } from "../audio/media";

function host(state: { rate: number; samples: number }) {
  const sent: Record<string, unknown>[] = [];
  return {
    sent,
    host: {
      send: (content: Record<string, unknown>) => sent.push(content),
      sampleRate: () => state.rate, numSamples: () => state.samples, audioId: () => 0,
      spectrogram: () => false, updated: () => {}, chunk: () => {}, problem: () => {},
    },
  };
}

describe("peaks requests before the recording's state arrived", () => {
  it("asks for nothing while the state has no recording, then for a window inside it", () => {
    const state = { rate: 0, samples: 0 };
    const { sent, host: h } = host(state);
    const media = new Media(h, "view");
    media.request({ start: 0, secondsPerPixel: 0.01, width: 800 });
    expect(sent).toEqual([]); // once: a window [-1, 0) the kernel refused
    state.rate = 100;
    state.samples = 1000;
    media.reset();
    media.request({ start: 0, secondsPerPixel: 0.0125, width: 800 });
    expect(sent.length).toBe(1);
    const request = sent[0] as { type: string; start: number; end: number };
    expect(request.type).toBe("peaks");
    expect(request.start).toBeGreaterThanOrEqual(0);
    expect(request.end).toBeLessThanOrEqual(1000);
    expect(request.end).toBeGreaterThan(request.start);
  });
});
