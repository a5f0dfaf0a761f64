import { describe, expect, it } from "vitest";
import { fitView } from "../audio/timeline";
import { FrameStore, Outstanding, framesAround, prefetchAhead } from "../video/frames";
import { PlaybackClock } from "../video/playback";
import { frameAtX, frameLabel, frameTickStep, frameTicks, xOfFrame } from "../video/timeline";

describe("frames to fetch", () => {
  it("puts the playhead first, then ahead, then behind, inside the video", () => {
    expect(framesAround(5, 3, 2, 100)).toEqual([5, 6, 7, 8, 4, 3]);
    expect(framesAround(98, 5, 1, 100)).toEqual([98, 99, 97]);
    expect(framesAround(0, 0, 5, 100)).toEqual([0]);
    expect(framesAround(3, 3, 3, 0)).toEqual([]);
  });
  it("prefetches more while playing, and more at higher speeds", () => {
    expect(prefetchAhead(false, 30, 1)).toBe(12);
    expect(prefetchAhead(true, 30, 1)).toBe(45);
    expect(prefetchAhead(true, 30, 4)).toBe(180);
  });
});

describe("FrameStore", () => {
  it("evicts the least recently used frames beyond its pixel bound, never the kept ones", () => {
    const released: string[] = [];
    const store = new FrameStore<string>(3 * 100, 100, (image) => released.push(image));
    for (const k of [0, 1, 2]) store.put(k, { image: `f${k}`, bad: false });
    store.get(0); // 0 is now the most recently used
    store.put(3, { image: "f3", bad: false });
    expect(released).toEqual(["f1"]);
    store.put(4, { image: "f4", bad: false }, new Set([2]));
    expect(released).toEqual(["f1", "f0"]);
    expect(store.has(2) && store.has(3) && store.has(4)).toBe(true);
  });
  it("holds bad frames without pixels and finds the nearest earlier image", () => {
    const store = new FrameStore<string>(1000, 100);
    store.put(4, { image: "f4", bad: false });
    store.put(5, { image: null, bad: true, message: "broken" });
    expect(store.get(5)?.bad).toBe(true);
    expect(store.nearestBefore(7)).toEqual({ index: 4, image: "f4" });
    expect(store.nearestBefore(3)).toBeNull();
  });
});

describe("Outstanding", () => {
  it("asks for frames not held and not out, within the bound, and again after a timeout", () => {
    const out = new Outstanding(1000);
    const held = (k: number) => k === 2;
    expect(out.pick([1, 2, 3, 4, 5], held, 0, 3)).toEqual([1, 3, 4]);
    expect(out.pick([1, 2, 3, 4, 5], held, 10, 4)).toEqual([5]);
    out.settle(1);
    expect(out.pick([1, 5], held, 20, 8)).toEqual([1]);
    expect(out.pick([3], held, 2000, 8)).toEqual([3]);
  });
});

describe("PlaybackClock", () => {
  it("plays at the native rate times the speed and counts dropped frames", () => {
    const clock = new PlaybackClock(() => 10, () => 100);
    clock.play(0, 0);
    expect(clock.tick(0, () => true).frame).toBe(0);
    expect(clock.tick(100, () => true).frame).toBe(1);
    expect(clock.tick(250, () => true).frame).toBe(2);
    // Frame 3 is due but not there: the last one stays.
    expect(clock.tick(350, (k) => k !== 3).frame).toBe(2);
    // At 4 only 3 arrived: it shows (late); then 5 shows and 4 was dropped.
    expect(clock.tick(450, (k) => k === 3).frame).toBe(3);
    expect(clock.tick(500, () => true).frame).toBe(5);
    expect(clock.dropped).toBe(1);
    expect(clock.shown).toBe(5);
    clock.setSpeed(2, 500);
    expect(clock.tick(600, () => true).due).toBe(7);
  });
  it("stops at the last frame", () => {
    const clock = new PlaybackClock(() => 10, () => 3);
    clock.play(1, 0);
    const tick = clock.tick(5000, () => true);
    expect(tick).toEqual({ frame: 2, due: 2, ended: true });
    expect(clock.playing).toBe(false);
  });
});

describe("timeline numbers", () => {
  it("maps frames and pixels both ways", () => {
    const view = fitView(300, 600); // 300 frames over 600 px
    expect(frameAtX(view, 0, 300)).toBe(0);
    expect(frameAtX(view, 61, 300)).toBe(30);
    expect(frameAtX(view, 5000, 300)).toBe(299);
    expect(xOfFrame(view, 30)).toBe(60);
  });
  it("picks round tick steps and labels frames with their times", () => {
    expect(frameTickStep(0.5)).toBe(50);
    expect(frameTickStep(0.01)).toBe(1);
    expect(frameTicks(fitView(300, 600), 50, 300)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(frameLabel(45, 30)).toBe("45 · 0:01.500");
  });
});
