/**
 * Draws the item of a class labeler from its synced state: an image from its encoded bytes
 * (a Blob URL, never base64), a text and a table row as text nodes, an audio clip as a player
 * with its waveform drawn on a canvas from the peaks the kernel computed.
 */
import { el } from "../lib/dom";

export type ItemState =
  | { kind: "done"; text: string }
  | { kind: "image"; mime: string; width: number; height: number; shown_w: number; shown_h: number; pixelated: boolean }
  | { kind: "text"; text: string; more: number }
  | { kind: "row"; cells: [string, string][]; more: number }
  | { kind: "audio"; mime: string; rate: number; seconds: number; channels: number; low: number[]; high: number[] };

/** A view of the current item: `show` replaces what it shows; `dispose` frees Blob URLs. */
export class ItemDisplay {
  readonly element: HTMLElement;
  private url: string | null = null;

  constructor() {
    this.element = el("div", { className: "nba-classify-item" });
  }

  show(state: ItemState, media: Uint8Array | null): void {
    this.revoke();
    const box = this.element;
    box.replaceChildren();
    box.dataset.kind = state.kind;
    if (state.kind === "done") {
      box.append(el("div", { className: "nba-classify-done", text: state.text }));
    } else if (state.kind === "text") {
      box.append(el("div", { className: "nba-classify-text", text: state.text }));
      if (state.more > 0) box.append(el("div", { className: "nba-classify-note", text: `… ${state.more} more characters not shown` }));
    } else if (state.kind === "row") {
      const table = el("table", { className: "nba-classify-row" });
      for (const [name, value] of state.cells) {
        table.append(el("tr", {}, [el("th", { text: name }), el("td", { text: value })]));
      }
      box.append(table);
      if (state.more > 0) box.append(el("div", { className: "nba-classify-note", text: `… ${state.more} more fields` }));
    } else if (state.kind === "image") {
      const image = el("img", { className: "nba-classify-image", attrs: { alt: `image ${state.width}×${state.height}` } });
      image.width = state.shown_w;
      image.height = state.shown_h;
      if (state.pixelated) image.classList.add("nba-pixelated");
      if (media && media.byteLength > 0) image.src = this.blobUrl(media, state.mime);
      box.append(image);
    } else if (state.kind === "audio") {
      const player = el("audio", { className: "nba-classify-audio" });
      player.controls = true;
      player.preload = "auto";
      if (media && media.byteLength > 0) player.src = this.blobUrl(media, state.mime);
      const canvas = el("canvas", { className: "nba-classify-wave" });
      canvas.width = state.low.length;
      canvas.height = 64;
      drawWave(canvas, state.low, state.high);
      box.append(player, canvas);
    }
  }

  private blobUrl(media: Uint8Array, mime: string): string {
    const copy = new Uint8Array(media.byteLength);
    copy.set(media);
    this.url = URL.createObjectURL(new Blob([copy.buffer], { type: mime }));
    return this.url;
  }

  private revoke(): void {
    if (this.url !== null) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  dispose(): void {
    this.revoke();
  }
}

function drawWave(canvas: HTMLCanvasElement, low: number[], high: number[]): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const mid = canvas.height / 2;
  ctx.fillStyle = "#f4f6fa";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#3a6ea5";
  for (let x = 0; x < low.length; x++) {
    const hi = high[x] ?? 0;
    const top = mid - hi * (mid - 2);
    const height = Math.max(1, (hi - (low[x] ?? 0)) * (mid - 2));
    ctx.fillRect(x, top, 1, height);
  }
}
