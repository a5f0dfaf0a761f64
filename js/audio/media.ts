/**
 * What one view knows of the recording: the overview peaks (from the widget's state), the
 * latest detail peaks and spectrogram image (requested for the visible window), and the
 * playback chunks it asked for. Requests carry this view's token (every view of the widget
 * receives every reply) and replies for another view, another recording or an older window
 * are dropped. Malformed replies are reported, not drawn.
 */
import { decodeChunk } from "./player";
import { ChunkRequests, RequestIds, ViewStream } from "./requests";
import { type SampleWindow, type TimeView, requestWindow, tileServes } from "./timeline";
import { type PeakTile, type SpectrogramTile, spectrogramCanvas } from "./waveform";

export interface Reply {
  type: string;
  id: number;
  view?: string;
  audio_id: number;
  [key: string]: unknown;
}

export interface MediaHost {
  send(content: Record<string, unknown>): void;
  sampleRate(): number;
  numSamples(): number;
  audioId(): number;
  spectrogram(): boolean;
  /** New peaks or a new spectrogram arrived: redraw. */
  updated(): void;
  chunk(index: number, channels: Float32Array[]): void;
  problem(text: string): void;
}

const REPLY_TYPES = new Set(["peaks", "spectrogram", "chunk", "request-error"]);

export class Media {
  overview: PeakTile | null = null;
  detail: PeakTile | null = null;
  spectro: SpectrogramTile | null = null;
  /** Accepted peak replies, and the round trip of the last one (ms): read by benchmarks. */
  peakReplies = 0;
  lastRoundTrip = NaN;
  private readonly ids: RequestIds;
  private readonly peaks: ViewStream<SampleWindow>;
  private readonly spectra: ViewStream<SampleWindow>;
  private readonly chunks: ChunkRequests;

  constructor(private readonly host: MediaHost, private readonly token: string) {
    this.ids = new RequestIds((content) => host.send({ ...content, view: token }), () => performance.now());
    this.peaks = new ViewStream(this.ids, "peaks");
    this.spectra = new ViewStream(this.ids, "spectrogram");
    this.chunks = new ChunkRequests(this.ids);
  }

  /** Read the overview peaks of the widget's state; returns an error text when malformed. */
  loadOverview(data: DataView | null, columns: number, channels: number): string | null {
    if (!data || data.byteLength !== columns * channels * 8) {
      this.overview = null;
      return columns > 0
        ? `The overview of the recording is malformed (${data?.byteLength ?? 0} bytes for ${columns} columns × ${channels} channels).`
        : null;
    }
    const values = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.overview = { start: 0, end: this.host.numSamples(), columns, channels, data: values, id: 0 };
    return null;
  }

  /** Ask for what `view` needs and is not covered yet (never more than one request out). */
  request(view: TimeView): void {
    const now = performance.now();
    const rate = this.host.sampleRate();
    const n = this.host.numSamples();
    // No recording in the state yet (a host may show a view before every trait arrived):
    // wait for it; loading it (`change:audio_id`) resets the view and asks again.
    if (!(n > 0) || !(rate > 0)) return;
    if (this.host.spectrogram()) {
      const s = this.spectro;
      const tile = s ? { start: s.start, end: s.end, columns: s.image.width } : null;
      if (!tile || !tileServes(tile, view, rate, n)) this.spectra.want(requestWindow(view, rate, n, 0.25, 4096), now);
    } else if (![this.overview, this.detail].some((t) => t && tileServes(t, view, rate, n))) {
      this.peaks.want(requestWindow(view, rate, n, 1), now);
    }
  }

  requestChunk(index: number): void {
    this.chunks.request(index, performance.now());
  }

  /** Forget everything (another recording was loaded). */
  reset(): void {
    this.peaks.reset();
    this.spectra.reset();
    this.chunks.reset();
    this.detail = null;
    this.spectro = null;
  }

  /** Handle a custom message from the kernel; replies not meant for this view are ignored. */
  receive(msg: Reply, buffers: DataView[] | undefined, view: TimeView): void {
    if (!msg || typeof msg.type !== "string" || !REPLY_TYPES.has(msg.type)) return;
    if (msg.view !== this.token || msg.audio_id !== this.host.audioId()) return;
    const now = performance.now();
    const buffer = buffers?.[0];
    if (msg.type === "request-error") {
      this.peaks.fail(msg.id, now);
      this.spectra.fail(msg.id, now);
      return this.host.problem(String(msg.message));
    }
    if (msg.type === "chunk") return this.receiveChunk(msg, buffer);
    const stream = msg.type === "peaks" ? this.peaks : this.spectra;
    if (!stream.admit(msg.id, now)) return; // stale: something newer is on screen
    const start = Number(msg.start);
    const end = Number(msg.end);
    if (msg.type === "peaks") {
      const columns = Number(msg.columns);
      const channels = Number(msg.channels);
      if (!buffer || buffer.byteLength !== columns * channels * 8) return this.host.problem("A waveform reply is malformed.");
      const data = new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
      this.detail = { start, end, columns, channels, data, id: msg.id };
      this.peakReplies++;
      this.lastRoundTrip = this.ids.elapsed(msg.id);
    } else {
      const width = Number(msg.width);
      const height = Number(msg.height);
      if (!buffer || buffer.byteLength !== width * height) return this.host.problem("A spectrogram reply is malformed.");
      const values = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      this.spectro = { start, end, image: spectrogramCanvas(values, width, height), id: msg.id };
    }
    this.request(view); // the view may have moved on while this was out
    this.host.updated();
  }

  private receiveChunk(msg: Reply, buffer: DataView | undefined): void {
    const index = Number(msg.index);
    this.chunks.settle(index);
    const channels = Number(msg.channels);
    const length = Number(msg.length);
    const bytes = msg.format === "int16" ? 2 : 4;
    if (!buffer || buffer.byteLength !== channels * length * bytes) {
      return this.host.problem(`Audio chunk ${index} is malformed.`);
    }
    this.host.chunk(index, decodeChunk(buffer, String(msg.format), channels, length));
  }
}
