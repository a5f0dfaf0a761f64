/**
 * Data requests to the kernel, keyed by request id. The kernel answers each with a custom
 * message of the same `type` carrying the same `id` (and the `audio_id` of the recording it
 * read), plus binary buffers.
 *
 * - `ViewStream` (waveform peaks, spectrogram images): one request in flight at a time; while
 *   it is out, newer needs only mark the stream dirty and are sent when the reply arrives, so a
 *   fast zoom never queues work in the kernel. A reply older than the one on screen is stale
 *   and dropped.
 * - `ChunkRequests` (playback): one request per chunk index, retried after a timeout.
 */

export type Sender = (content: Record<string, unknown>) => void;

/** Numbers requests; one per widget view. */
export class RequestIds {
  private next = 1;
  private readonly times = new Map<number, number>();
  constructor(private readonly sender: Sender, private readonly clock: () => number = () => Date.now()) {}

  send(type: string, params: Record<string, unknown>): number {
    const id = this.next++;
    this.times.set(id, this.clock());
    if (this.times.size > 256) this.times.delete(this.times.keys().next().value as number);
    this.sender({ type, id, ...params });
    return id;
  }

  /** Milliseconds since request `id` was sent (NaN when unknown): the round trip on reply. */
  elapsed(id: number): number {
    const sent = this.times.get(id);
    return sent === undefined ? NaN : this.clock() - sent;
  }
}

export class ViewStream<P> {
  private inFlight: { id: number; since: number } | null = null;
  private shown = 0;
  private wanted: P | null = null;

  constructor(
    private readonly ids: RequestIds, private readonly type: string, private readonly timeoutMs = 2000,
  ) {}

  /** Ask for `params` now, or as soon as the request in flight is answered. */
  want(params: P, now: number): void {
    this.wanted = params;
    this.flush(now);
  }

  private flush(now: number): void {
    if (this.wanted === null) return;
    if (this.inFlight && now - this.inFlight.since < this.timeoutMs) return;
    const params = this.wanted;
    this.wanted = null;
    const id = this.ids.send(this.type, params as Record<string, unknown>);
    this.inFlight = { id, since: now };
  }

  /**
   * A reply arrived: true when it is newer than what is shown (then it becomes what is shown),
   * false when it is stale. Either way a waiting request may now go out.
   */
  admit(id: number, now: number): boolean {
    if (this.inFlight && id >= this.inFlight.id) this.inFlight = null;
    const fresh = id > this.shown;
    if (fresh) this.shown = id;
    this.flush(now);
    return fresh;
  }

  /** A request failed: stop waiting for it. */
  fail(id: number, now: number): void {
    if (this.inFlight && id >= this.inFlight.id) this.inFlight = null;
    this.flush(now);
  }

  /** Forget everything (another recording was loaded). */
  reset(): void {
    this.inFlight = null;
    this.wanted = null;
    this.shown = 0;
  }

  get pending(): boolean {
    return this.inFlight !== null || this.wanted !== null;
  }
}

export class ChunkRequests {
  private readonly sent = new Map<number, { id: number; since: number }>();

  constructor(private readonly ids: RequestIds, private readonly timeoutMs = 3000) {}

  /** Request chunk `index` unless a request for it is already out (and not timed out). */
  request(index: number, now: number): boolean {
    const out = this.sent.get(index);
    if (out && now - out.since < this.timeoutMs) return false;
    this.sent.set(index, { id: this.ids.send("chunk", { index }), since: now });
    return true;
  }

  /** The reply for `index` arrived (or failed). */
  settle(index: number): void {
    this.sent.delete(index);
  }

  reset(): void {
    this.sent.clear();
  }

  get outstanding(): number {
    return this.sent.size;
  }
}
