/**
 * The timeline's numbers: frames ↔ pixels (the audio view's math with frames as the unit:
 * `TimeView.start` is a frame, `secondsPerPixel` frames per pixel), tick steps in whole frames,
 * and frame labels with their times. Pure functions.
 */
import type { TimeView } from "../audio/timeline";
import { formatTime } from "../audio/timeline";

/** The frame under pixel `x` (whole frames, inside the video). */
export function frameAtX(view: TimeView, x: number, numFrames: number): number {
  const f = Math.floor(view.start + x * view.secondsPerPixel);
  return Math.min(Math.max(0, f), Math.max(0, numFrames - 1));
}

/** The left edge of frame `f`'s cell, in pixels. */
export function xOfFrame(view: TimeView, f: number): number {
  return (f - view.start) / view.secondsPerPixel;
}

const STEPS = [1, 2, 5, 10, 15, 25, 30, 50, 60, 100, 120, 150, 250, 300, 500, 600, 1000, 1500, 1800, 3000, 3600, 6000, 9000, 18000, 36000];

/** The smallest round step (frames) that keeps ticks at least `minPixels` apart. */
export function frameTickStep(framesPerPixel: number, minPixels = 70): number {
  for (const step of STEPS) if (step / framesPerPixel >= minPixels) return step;
  return STEPS[STEPS.length - 1] as number;
}

/** Tick frames (multiples of `step`) inside the view. */
export function frameTicks(view: TimeView, step: number, numFrames: number): number[] {
  const out: number[] = [];
  const end = Math.min(numFrames, view.start + view.width * view.secondsPerPixel);
  for (let f = Math.ceil(view.start / step) * step; f <= end && out.length < 500; f += step) out.push(f);
  return out;
}

/** "frame 45 · 0:01.500" */
export function frameLabel(frame: number, fps: number): string {
  return `${frame} · ${formatTime(frame / fps)}`;
}

/** The smallest view: this many pixels per frame at the deepest zoom. */
export const MAX_PIXELS_PER_FRAME = 24;
