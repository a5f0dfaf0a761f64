/**
 * The AudioAnnotator's controls: label chips, transport (play, time, rate, loop, play region),
 * zoom, spectrogram toggle, undo/redo, and the suggestion review bar. All text through
 * textContent (labels are user text).
 */
import { labelColor } from "../lib/colors";
import { el } from "../lib/dom";
import { formatTime } from "./timeline";

export interface ToolbarActions {
  chooseLabel(index: number): void;
  undo(): void;
  redo(): void;
  togglePlay(): void;
  playSelection(): void;
  setRate(rate: number): void;
  setLoop(loop: boolean): void;
  zoom(factor: number): void;
  fit(): void;
  toggleSpectrogram(): void;
  accept(): void;
  reject(): void;
  acceptAll(): void;
}

export const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2];

function button(text: string, title: string, onClick: () => void, className = ""): HTMLButtonElement {
  const b = el("button", { text, title, className });
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export class Toolbar {
  readonly labelsRow = el("div", { className: "nba-toolbar nba-audio-labels" });
  readonly transport = el("div", { className: "nba-toolbar nba-audio-transport" });
  readonly review = el("div", { className: "nba-toolbar nba-audio-review" });
  readonly status = el("span", { className: "nba-status" });
  private readonly chips: HTMLButtonElement[] = [];
  private readonly play: HTMLButtonElement;
  private readonly time = el("span", { className: "nba-audio-time" });
  private readonly selection = el("span", { className: "nba-audio-selection" });
  private readonly playRegion: HTMLButtonElement;
  private readonly loop: HTMLInputElement;
  private readonly spectro: HTMLButtonElement;
  private readonly reviewText = el("span", { className: "nba-audio-review-text" });
  private readonly acceptButton: HTMLButtonElement;
  private readonly rejectButton: HTMLButtonElement;
  private readonly acceptAllButton: HTMLButtonElement;

  constructor(private readonly actions: ToolbarActions) {
    this.play = button("▶ Play", "Play / pause (Space)", () => actions.togglePlay(), "nba-audio-play");
    const rate = el("select", { className: "nba-audio-rate", title: "Playback rate" });
    for (const r of RATES) {
      const option = el("option", { text: `${r}×` });
      option.value = String(r);
      if (r === 1) option.selected = true;
      rate.append(option);
    }
    rate.addEventListener("change", () => actions.setRate(Number(rate.value)));
    this.loop = el("input", { attrs: { type: "checkbox" } });
    this.loop.addEventListener("change", () => actions.setLoop(this.loop.checked));
    const loopLabel = el("label", { className: "nba-audio-loop", title: "Loop the selected region (L)" }, [this.loop, "Loop"]);
    // Toggling loop keeps the keyboard where it is (in a transcription field, it stays there).
    loopLabel.addEventListener("mousedown", (event) => event.preventDefault());
    this.playRegion = button("▶ Region", "Play the selected region", () => actions.playSelection());
    this.spectro = button("Spectrogram", "Show the spectrogram instead of the waveform", () => actions.toggleSpectrogram());
    this.transport.append(
      this.play, this.time, rate, this.playRegion, loopLabel,
      button("−", "Zoom out (-)", () => actions.zoom(0.5)),
      button("+", "Zoom in (+)", () => actions.zoom(2)),
      button("Fit", "Show the whole recording (0)", () => actions.fit()),
      this.spectro,
      button("Undo", "Undo (Ctrl+Z)", () => actions.undo()),
      button("Redo", "Redo (Ctrl+Shift+Z)", () => actions.redo()),
      this.status,
    );
    this.acceptButton = button("Accept", "Accept the selected suggestion (Enter)", () => actions.accept());
    this.rejectButton = button("Reject", "Reject the selected suggestion (Delete)", () => actions.reject());
    this.acceptAllButton = button("Accept all", "Accept every suggestion", () => actions.acceptAll());
    this.review.append(this.reviewText, this.acceptButton, this.rejectButton, this.acceptAllButton, this.selection);
    this.setPlaying(false);
  }

  setLabels(labels: readonly string[], current: string): void {
    this.labelsRow.replaceChildren();
    this.chips.length = 0;
    labels.forEach((name, i) => {
      const chip = el("button", { className: "nba-label-chip", title: `Label ${name} (key ${i + 1})` }, [
        el("span", { className: "nba-key", text: i < 9 ? String(i + 1) : "" }),
        el("span", { text: name }),
      ]);
      chip.type = "button";
      chip.style.borderLeft = `4px solid ${labelColor(name, labels)}`;
      chip.addEventListener("click", () => this.actions.chooseLabel(i));
      this.chips.push(chip);
      this.labelsRow.append(chip);
    });
    this.setCurrentLabel(labels, current);
  }

  setCurrentLabel(labels: readonly string[], current: string): void {
    this.chips.forEach((chip, i) => chip.setAttribute("aria-pressed", String(labels[i] === current)));
  }

  setPlaying(playing: boolean): void {
    this.play.textContent = playing ? "⏸ Pause" : "▶ Play";
    this.play.setAttribute("aria-pressed", String(playing));
  }

  setTime(position: number, duration: number): void {
    this.time.textContent = `${formatTime(position)} / ${formatTime(duration)}`;
  }

  setLoop(loop: boolean): void {
    this.loop.checked = loop;
  }

  setSpectrogram(on: boolean): void {
    this.spectro.setAttribute("aria-pressed", String(on));
  }

  /** The selected item's description (or null), and whether it is a suggestion. */
  setSelection(text: string | null, isSuggestion: boolean, suggestions: number): void {
    this.selection.textContent = text ?? "";
    this.playRegion.disabled = text === null;
    this.reviewText.textContent = suggestions === 0 ? "" : `${suggestions} suggestion${suggestions === 1 ? "" : "s"} to review`;
    this.acceptButton.hidden = !isSuggestion;
    this.rejectButton.hidden = !isSuggestion;
    this.acceptAllButton.hidden = suggestions === 0;
    this.reviewText.hidden = suggestions === 0;
  }
}
