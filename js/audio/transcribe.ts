/**
 * Transcribing regions (AudioAnnotator with `transcribe=True`), for speech data: the text
 * field at the bottom of the region's lane (it follows zoom and scroll), the region playing
 * while it is transcribed (looping when Loop is on), saving the text as one undoable change,
 * and Tab / Shift+Tab through the regions in time order.
 */
import type { Region } from "../types";
import { el } from "../lib/dom";
import { regionIdsInOrder, stepIn } from "../lib/reading_order";
import { TranscriptField, type CloseReason } from "../lib/transcript_field";
import { type RegionEdits, keyOf } from "./edits";
import { type Interval, type Lanes } from "./regions";
import { laneBox } from "./overlay";
import { type TimeView, timeToX } from "./timeline";

export const FIELD_H = 26;
const MIN_FIELD_W = 220;
const MAX_FIELD_W = 560;

/** Where the field goes: at the bottom of the region's lane, from its start, inside the stage. */
export function fieldPlacement(
  region: Interval, view: TimeView, lane: { top: number; height: number }, stageHeight: number, height = FIELD_H,
): { left: number; top: number; width: number } {
  const x0 = timeToX(view, region.start);
  const x1 = timeToX(view, region.end);
  const width = Math.min(Math.max(x1 - x0, MIN_FIELD_W), MAX_FIELD_W, Math.max(view.width, 1));
  const left = Math.min(Math.max(x0, 0), Math.max(0, view.width - width));
  const top = Math.min(Math.max(lane.top + lane.height - height - 4, lane.top), Math.max(0, stageHeight - height));
  return { left, top, width };
}

/** The ids of the regions in time order (malformed ones left out). */
export function regionOrder(regions: readonly Region[]): string[] {
  return regionIdsInOrder(regions.filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end) && r.end > r.start));
}

export interface AudioTranscribeHost {
  /** `transcribe` is on. */
  enabled(): boolean;
  readonly edits: RegionEdits;
  view(): TimeView;
  lanes(): Lanes;
  /** The stage (the field is placed over it) and its overlay canvas (a double-click edits). */
  readonly stage: HTMLElement;
  readonly canvas: HTMLElement;
  /** The selected item's key (`r:<id>` for a region). */
  selected(): string | null;
  /** Select the region `key`, scroll it into view and play it (looping when Loop is on). */
  focusRegion(key: string): void;
  /** Stop the playback started for the field. */
  stop(): void;
  loop(): boolean;
  setLoop(on: boolean): void;
  /** Give the keyboard back to the widget. */
  focusWidget(): void;
}

/** The transcription field of one AudioAnnotator view; fields are region ids. */
export class AudioTranscriber {
  private readonly field: TranscriptField;
  private readonly loopButton: HTMLButtonElement;
  private readonly onDoubleClick = () => this.editSelected();

  constructor(private readonly host: AudioTranscribeHost) {
    this.field = new TranscriptField({ closed: (id, text, reason, move) => this.closed(id, text, reason, move) });
    this.loopButton = el("button", {
      className: "nba-transcript-loop", text: "⟳ Loop",
      title: "Loop the region while transcribing (L outside the field)", attrs: { type: "button" },
    });
    // Keep the keyboard in the field: the button acts without taking focus.
    this.loopButton.addEventListener("mousedown", (event) => event.preventDefault());
    this.loopButton.addEventListener("click", () => this.host.setLoop(!this.host.loop()));
    this.field.node.append(this.loopButton);
    host.stage.append(this.field.node);
    host.canvas.addEventListener("dblclick", this.onDoubleClick);
    this.setLoop(host.loop());
  }

  /** The id of the region being transcribed, or null. */
  get editing(): string | null {
    return this.field.editing;
  }

  /** A region was just drawn (`key`): transcribe it when `transcribe` is on. */
  drawn(key: string | null): void {
    if (key?.startsWith("r:") && this.host.enabled()) this.open(key.slice(2));
  }

  /** Enter, F2 or a double-click: edit the selected region's text (false: nothing to edit). */
  editSelected(): boolean {
    const key = this.host.selected();
    return !!key?.startsWith("r:") && this.open(key.slice(2));
  }

  /** Open the field on region `id`, and play the region. */
  open(id: string): boolean {
    const region = this.host.edits.regions.get(id);
    if (!this.host.enabled() || !region) return false;
    this.host.focusRegion(keyOf("regions", id));
    this.field.open(id, region.text ?? "");
    this.place();
    return true;
  }

  /** Follow the region (call after every redraw; writes style only when it moved). */
  place(): void {
    const id = this.field.editing;
    if (id === null) return;
    const region = this.host.edits.regions.get(id);
    if (!region) {
      this.field.dismiss();
      this.host.stop();
      return;
    }
    const lanes = this.host.lanes();
    const height = this.host.stage.clientHeight;
    const lane = laneBox(lanes, lanes.lane.get(keyOf("regions", id)) ?? 0, height);
    const { left, top, width } = fieldPlacement(region, this.host.view(), lane, height);
    this.field.place(left, top, width);
  }

  /** The records changed (an undo, a list set from Python) or `transcribe` was switched. */
  readonly recordsChanged = (): void => {
    if (!this.host.enabled()) this.field.close();
    this.place();
  };

  setLoop(on: boolean): void {
    this.loopButton.setAttribute("aria-pressed", String(on));
  }

  close(): void {
    this.field.close();
  }

  private closed(id: string, text: string | null, reason: CloseReason, move: 1 | -1 | null): void {
    if (text !== null) this.host.edits.setText(keyOf("regions", id), text);
    if (move !== null) {
      const next = stepIn(regionOrder(this.host.edits.regions.items), id, move);
      if (next !== null && this.open(next)) return;
    }
    this.host.stop();
    if (reason !== "blur") this.host.focusWidget();
  }

  destroy(): void {
    this.host.canvas.removeEventListener("dblclick", this.onDoubleClick);
    this.field.destroy();
  }
}
