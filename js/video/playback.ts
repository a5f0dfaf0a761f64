/**
 * The playback clock: which frame is due at a time, at the video's native rate times a speed,
 * and how many due frames were never on screen (dropped). Pure logic: the widget calls `tick`
 * once per animation frame with the time and whether a frame's image is at hand.
 */

export const SPEEDS = [0.25, 0.5, 1, 2, 4];

export interface Tick {
  /** The frame to show now (the due frame if its image is there, else the last shown). */
  frame: number;
  /** The frame the clock says is due. */
  due: number;
  /** True when playback reached the last frame and stopped. */
  ended: boolean;
}

export class PlaybackClock {
  playing = false;
  /** Due frames that were never shown, since play was pressed. */
  dropped = 0;
  /** Frames shown since play was pressed. */
  shown = 0;
  /** Animation frames at which the due frame's image had not arrived (the rest of the drops
   * are frames due between two animation frames: the screen refreshed too slowly). */
  late = 0;
  private startFrame = 0;
  private startTime = 0;
  private lastShown = -1;
  private lastDue = -1;

  constructor(private readonly fps: () => number, private readonly numFrames: () => number, public speed = 1) {}

  play(from: number, now: number): void {
    this.playing = true;
    this.startFrame = from;
    this.startTime = now;
    this.lastShown = from - 1;
    this.lastDue = from - 1;
    this.dropped = 0;
    this.shown = 0;
    this.late = 0;
  }

  pause(): void {
    this.playing = false;
  }

  /** Change the speed without a jump: the clock restarts from the frame due now. */
  setSpeed(speed: number, now: number): void {
    if (this.playing) {
      const due = this.dueAt(now);
      this.speed = speed;
      this.startFrame = due;
      this.startTime = now;
    } else this.speed = speed;
  }

  dueAt(now: number): number {
    const elapsed = Math.max(0, now - this.startTime) / 1000;
    return Math.min(this.numFrames() - 1, this.startFrame + Math.floor(elapsed * this.fps() * this.speed + 1e-9));
  }

  /**
   * Advance to time `now`; `available(k)` tells whether frame k's image is at hand. The frame
   * shown is the latest one at hand between the last shown and the one due: frames arriving
   * late still move the picture on, and the due frames skipped over count as dropped.
   */
  tick(now: number, available: (k: number) => boolean): Tick {
    const due = this.dueAt(now);
    const floor = Math.max(this.lastShown, this.startFrame - 1);
    let frame = this.lastShown < this.startFrame ? this.startFrame : this.lastShown;
    if (due > this.lastDue || due > floor) {
      if (!available(due)) this.late++;
      for (let k = due; k > floor; k--) {
        if (!available(k)) continue;
        this.dropped += Math.max(0, k - floor - 1);
        this.lastShown = k;
        this.shown++;
        frame = k;
        break;
      }
      this.lastDue = due;
    }
    const ended = due >= this.numFrames() - 1 && this.lastShown >= this.numFrames() - 1;
    if (ended) this.playing = false;
    return { frame, due, ended };
  }
}
