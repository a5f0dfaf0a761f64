/**
 * Playback with Web Audio from PCM chunks that the kernel sends on request.
 *
 * Chunk `k` holds samples [k * chunkSamples, (k + 1) * chunkSamples). Playing schedules one
 * `AudioBufferSourceNode` per chunk at exact context times, about a second ahead, and asks for
 * the chunks a few seconds ahead of the playhead. The playhead is computed from
 * `AudioContext.currentTime` through the list of scheduled segments, so it shows what is heard.
 * When a chunk is late the playhead holds until it arrives, then playback resumes there.
 */

/** One scheduled source: media time `mediaStart` plays at context time `ctxStart`. */
export interface Segment {
  ctxStart: number;
  ctxEnd: number;
  mediaStart: number;
  rate: number;
}

export interface PlayRange {
  /** Where playback starts. */
  from: number;
  /** Where it stops (or loops back to `loopStart`). */
  until: number;
  loop: boolean;
  loopStart: number;
}

export function chunkIndex(t: number, sampleRate: number, chunkSamples: number): number {
  return Math.max(0, Math.floor((t * sampleRate + 1e-6) / chunkSamples));
}

export function chunkCount(numSamples: number, chunkSamples: number): number {
  return Math.ceil(numSamples / chunkSamples);
}

/** Chunk indices needed to play [t, t + seconds), in order, within the recording. */
export function chunksFor(t: number, seconds: number, sampleRate: number, chunkSamples: number, numSamples: number): number[] {
  const first = chunkIndex(t, sampleRate, chunkSamples);
  const last = Math.min(chunkCount(numSamples, chunkSamples) - 1, chunkIndex(t + seconds, sampleRate, chunkSamples));
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(k);
  return out;
}

/** Media time heard at context time `now`, or `fallback` when nothing is scheduled then. */
export function positionAt(segments: readonly Segment[], now: number, fallback: number): number {
  let next: Segment | null = null;
  for (const s of segments) {
    if (now >= s.ctxStart && now < s.ctxEnd) return s.mediaStart + (now - s.ctxStart) * s.rate;
    if (s.ctxStart > now && (!next || s.ctxStart < next.ctxStart)) next = s;
  }
  return next ? next.mediaStart : fallback;
}

/** Split int16 or float32 planar PCM into one Float32Array per channel. */
export function decodeChunk(buffer: DataView, format: string, channels: number, length: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let ch = 0; ch < channels; ch++) {
    const samples = new Float32Array(length);
    if (format === "int16") {
      // Copy out first: the buffer's offset inside the message need not be 2-byte aligned.
      const begin = buffer.byteOffset + ch * length * 2;
      const src = new Int16Array(buffer.buffer.slice(begin, begin + length * 2));
      for (let i = 0; i < length; i++) samples[i] = (src[i] as number) / 32768;
    } else {
      samples.set(new Float32Array(buffer.buffer.slice(buffer.byteOffset + ch * length * 4, buffer.byteOffset + (ch + 1) * length * 4)));
    }
    out.push(samples);
  }
  return out;
}

export interface PlayerOptions {
  sampleRate: number;
  numSamples: number;
  chunkSamples: number;
  channels: number;
  /** Gain that brings the loudest sample to full scale when it is above (1 otherwise). */
  gain: number;
  requestChunk(index: number): void;
  onEnded(): void;
}

const SCHEDULE_AHEAD = 1.0; // seconds of context time scheduled ahead
const PREFETCH_SECONDS = 8; // seconds of media time requested ahead (at 1×)
const START_LEAD = 0.02;
const CACHE_BYTES = 64 * 1024 * 1024;

export class Player {
  private ctx: AudioContext | null = null;
  private output: GainNode | null = null;
  private readonly cache = new Map<number, AudioBuffer>();
  private sources: AudioBufferSourceNode[] = [];
  private segments: Segment[] = [];
  private range: PlayRange | null = null;
  private cursorMedia = 0;
  private cursorCtx = 0;
  private timer = 0;
  private paused = 0;
  rate = 1;

  constructor(private readonly options: PlayerOptions) {}

  get playing(): boolean {
    return this.range !== null;
  }

  get duration(): number {
    return this.options.numSamples / this.options.sampleRate;
  }

  /** The playhead in seconds (what is being heard while playing). */
  get position(): number {
    if (!this.range || !this.ctx) return this.paused;
    const latency = (this.ctx as AudioContext & { outputLatency?: number }).outputLatency ?? 0;
    return positionAt(this.segments, this.ctx.currentTime - latency, this.cursorMedia);
  }

  has(index: number): boolean {
    return this.cache.has(index);
  }

  /** A chunk arrived from the kernel. */
  receive(index: number, channels: Float32Array[]): void {
    const length = channels[0]?.length ?? 0;
    if (length === 0) return;
    const buffer = new AudioBuffer({ length, numberOfChannels: channels.length, sampleRate: this.options.sampleRate });
    channels.forEach((data, ch) => buffer.copyToChannel(data as Float32Array<ArrayBuffer>, ch));
    this.cache.delete(index);
    this.cache.set(index, buffer);
    this.evict();
    if (this.range) this.tick();
  }

  private evict(): void {
    const bytesPerChunk = this.options.chunkSamples * this.options.channels * 4;
    const keep = Math.max(4, Math.floor(CACHE_BYTES / bytesPerChunk));
    const playing = chunkIndex(this.position, this.options.sampleRate, this.options.chunkSamples);
    while (this.cache.size > keep) {
      // Least recently received first, but never the chunks around the playhead.
      const victim = [...this.cache.keys()].find((k) => k < playing || k > playing + 2);
      if (victim === undefined) break;
      this.cache.delete(victim);
    }
  }

  /** Ask for the chunks around `t` without playing (after a seek, so play starts at once). */
  prefetch(t: number, seconds = 2 * this.options.chunkSamples / this.options.sampleRate): void {
    const { sampleRate, chunkSamples, numSamples } = this.options;
    for (const k of chunksFor(t, seconds, sampleRate, chunkSamples, numSamples)) {
      if (!this.cache.has(k)) this.options.requestChunk(k);
    }
  }

  private context(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: "interactive" });
      this.output = this.ctx.createGain();
      this.output.gain.value = this.options.gain;
      this.output.connect(this.ctx.destination);
    }
    if (this.ctx.state === "suspended") void this.ctx.resume();
    return this.ctx;
  }

  play(range: PlayRange): void {
    this.stopSources();
    const ctx = this.context();
    const until = Math.min(range.until, this.duration);
    const from = Math.min(Math.max(0, range.from), until);
    this.range = { ...range, from, until };
    this.cursorMedia = from >= until - 1e-6 && !range.loop ? until : from;
    this.cursorCtx = ctx.currentTime + START_LEAD;
    this.paused = this.cursorMedia;
    this.tick();
    if (!this.timer) this.timer = window.setInterval(() => this.tick(), 50);
  }

  pause(): void {
    if (!this.range) return;
    this.paused = this.position;
    this.stopSources();
    this.range = null;
  }

  /** Jump to `t`; keeps playing (the same way) when playing. */
  seek(t: number): void {
    const target = Math.min(Math.max(0, t), this.duration);
    if (this.range) {
      const range = this.range;
      const inLoop = range.loop && target >= range.loopStart && target < range.until;
      this.play(inLoop ? { ...range, from: target } : { from: target, until: this.duration, loop: false, loopStart: 0 });
    } else {
      this.paused = target;
      this.prefetch(target);
    }
  }

  setRate(rate: number): void {
    this.rate = Math.min(2, Math.max(0.5, rate));
    if (this.range) this.play({ ...this.range, from: this.position });
  }

  private stopSources(): void {
    for (const source of this.sources) {
      try {
        source.stop();
      } catch {
        // never started
      }
      source.disconnect();
    }
    this.sources = [];
    this.segments = [];
    if (this.timer) {
      window.clearInterval(this.timer);
      this.timer = 0;
    }
  }

  /** Schedule what is cached, request what is missing; called every 50 ms while playing. */
  private tick(): void {
    const range = this.range;
    const ctx = this.ctx;
    if (!range || !ctx || !this.output) return;
    const { sampleRate, chunkSamples, numSamples } = this.options;
    const now = ctx.currentTime;
    this.segments = this.segments.filter((s) => s.ctxEnd > now - 1);
    for (const k of chunksFor(this.position, PREFETCH_SECONDS * this.rate, sampleRate, chunkSamples, numSamples)) {
      if (!this.cache.has(k)) this.options.requestChunk(k);
    }
    let ended = false;
    for (let guard = 0; this.cursorCtx < now + SCHEDULE_AHEAD && guard < 64; guard++) {
      if (this.cursorMedia >= range.until - 1e-7) {
        if (range.loop && range.until - range.loopStart > 1e-3) {
          this.cursorMedia = range.loopStart;
          continue;
        }
        ended = true;
        break;
      }
      const k = chunkIndex(this.cursorMedia, sampleRate, chunkSamples);
      const buffer = this.cache.get(k);
      if (!buffer) {
        this.options.requestChunk(k);
        break;
      }
      const chunkStart = (k * chunkSamples) / sampleRate;
      const segmentEnd = Math.min(chunkStart + buffer.length / sampleRate, range.until);
      const length = segmentEnd - this.cursorMedia;
      if (length <= 1e-7) {
        this.cursorMedia = segmentEnd + 1e-7;
        continue;
      }
      const at = Math.max(this.cursorCtx, now + 0.01); // late chunk: resume a little later
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.playbackRate.value = this.rate;
      source.connect(this.output);
      source.start(at, this.cursorMedia - chunkStart, length);
      this.sources.push(source);
      source.onended = () => {
        const i = this.sources.indexOf(source);
        if (i >= 0) this.sources.splice(i, 1);
      };
      this.segments.push({ ctxStart: at, ctxEnd: at + length / this.rate, mediaStart: this.cursorMedia, rate: this.rate });
      this.cursorCtx = at + length / this.rate;
      this.cursorMedia = segmentEnd;
    }
    if (ended && now >= this.cursorCtx) {
      this.paused = range.until;
      this.stopSources();
      this.range = null;
      this.options.onEnded();
    }
  }

  /** Forget cached chunks (another recording was loaded) and stop. */
  reset(): void {
    this.stopSources();
    this.range = null;
    this.paused = 0;
    this.cache.clear();
  }

  destroy(): void {
    this.reset();
    if (this.ctx) void this.ctx.close();
    this.ctx = null;
  }
}
