/**
 * Which frames to have in the browser, and the frames it has. Pure logic, no DOM.
 *
 * The kernel decodes; the view asks for the frames around its playhead (more ahead than
 * behind, many more while playing) and keeps the decoded images in an LRU bounded by pixels,
 * so a 1080p video holds fewer frames than a 240p one. Requests go out in batches, with a
 * bound on frames in flight, and a frame asked for and not answered is asked again after a
 * timeout (a reply lost, or a kernel that was busy).
 */

/** The frames to show next, in the order to fetch them: the playhead, then ahead, then behind. */
export function framesAround(center: number, ahead: number, behind: number, numFrames: number): number[] {
  const out: number[] = [];
  if (!(numFrames > 0)) return out;
  const c = Math.min(Math.max(0, Math.round(center)), numFrames - 1);
  out.push(c);
  for (let i = 1; i <= ahead && c + i < numFrames; i++) out.push(c + i);
  for (let i = 1; i <= behind && c - i >= 0; i++) out.push(c - i);
  return out;
}

/** How far ahead to prefetch: a second and a half of playback at `rate` while playing. */
export function prefetchAhead(playing: boolean, fps: number, rate: number, idle = 12): number {
  return playing ? Math.max(idle, Math.ceil(fps * rate * 1.5)) : idle;
}

export interface Held<T> {
  image: T | null;
  bad: boolean;
  message?: string;
  /** Pixels across of the image (frames may come shrunk to the view's size). */
  width?: number;
}

/**
 * The pixels across to ask frames at: what the view shows of the frame, in device pixels,
 * rounded up to a multiple of `step` (so that small zooms reuse frames), at most the frame's.
 */
export function requestWidth(frameWidth: number, scale: number, dpr: number, step = 128): number {
  const shown = Math.ceil((frameWidth * scale * dpr) / step) * step;
  return Math.min(frameWidth, Math.max(step, shown));
}

/** True when a held frame serves a view that needs `width` pixels across. */
export function serves<T>(held: Held<T> | undefined, width: number): boolean {
  if (!held) return false;
  if (held.bad && !held.image) return true;
  return held.image !== null && (held.width ?? Infinity) >= width;
}

/** Decoded frames by index, least recently used first out, bounded by total pixels. */
export class FrameStore<T> {
  private readonly items = new Map<number, Held<T>>();
  private pixels = 0;

  constructor(private readonly maxPixels: number, private readonly framePixels: number, private readonly release: (image: T) => void = () => {}) {}

  get(index: number): Held<T> | undefined {
    const held = this.items.get(index);
    if (held) {
      this.items.delete(index);
      this.items.set(index, held);
    }
    return held;
  }

  has(index: number): boolean {
    return this.items.has(index);
  }

  /** The entry of `index` without marking it used. */
  peek(index: number): Held<T> | undefined {
    return this.items.get(index);
  }

  put(index: number, held: Held<T>, keep: ReadonlySet<number> = new Set()): void {
    const old = this.items.get(index);
    if (old) this.drop(index, old);
    this.items.set(index, held);
    if (held.image) this.pixels += this.framePixels;
    // Evict the least recently used, but never a frame the view needs right now.
    for (const [k, v] of this.items) {
      if (this.pixels <= this.maxPixels) break;
      if (keep.has(k) || k === index) continue;
      this.drop(k, v);
    }
  }

  private drop(index: number, held: Held<T>): void {
    this.items.delete(index);
    if (held.image) {
      this.pixels -= this.framePixels;
      this.release(held.image);
    }
  }

  /** The nearest frame at or before `index` that has an image (to hold while waiting). */
  nearestBefore(index: number, limit = 240): { index: number; image: T } | null {
    for (let k = index; k >= 0 && index - k <= limit; k--) {
      const held = this.items.get(k);
      if (held?.image) return { index: k, image: held.image };
    }
    return null;
  }

  clear(): void {
    for (const [k, v] of [...this.items]) this.drop(k, v);
  }

  get size(): number {
    return this.items.size;
  }
}

/** Frames asked for and not answered yet, with the time they were asked. */
export class Outstanding {
  private readonly sent = new Map<number, number>();

  constructor(private readonly timeoutMs = 4000) {}

  /** The frames of `wanted` to ask for now: not held, not already out (unless timed out), at most `room`. */
  pick(wanted: readonly number[], held: (k: number) => boolean, now: number, maxInFlight: number): number[] {
    for (const [k, since] of this.sent) if (now - since > this.timeoutMs) this.sent.delete(k);
    const room = Math.max(0, maxInFlight - this.sent.size);
    const out: number[] = [];
    for (const k of wanted) {
      if (out.length >= room) break;
      if (held(k) || this.sent.has(k)) continue;
      out.push(k);
    }
    for (const k of out) this.sent.set(k, now);
    return out;
  }

  settle(index: number): void {
    this.sent.delete(index);
  }

  clear(): void {
    this.sent.clear();
  }

  get count(): number {
    return this.sent.size;
  }
}
