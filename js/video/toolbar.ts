/**
 * The VideoAnnotator's controls: label chips; transport (frame steps, play/pause, speed, the
 * frame number and time); track actions (outside, occluded, delete, split, merge, tracker,
 * accept/reject proposals); zoom; undo/redo; the save status. Text through textContent.
 */
import { labelColor } from "../lib/colors";
import { el } from "../lib/dom";
import { SPEEDS } from "./playback";
import { frameLabel } from "./timeline";

export interface VideoToolbarActions {
  chooseLabel(index: number): void;
  step(frames: number): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
  toggleOutside(): void;
  toggleOccluded(): void;
  remove(track: boolean): void;
  split(): void;
  merge(): void;
  track(): void;
  accept(): void;
  reject(): void;
  zoom(factor: number): void;
  fit(): void;
  undo(): void;
  redo(): void;
}

function button(text: string, title: string, onClick: () => void, className = ""): HTMLButtonElement {
  const b = el("button", { text, title, className });
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export class VideoToolbar {
  readonly labelsRow = el("div", { className: "nba-toolbar nba-video-labels" });
  readonly transport = el("div", { className: "nba-toolbar nba-video-transport" });
  readonly actionsRow = el("div", { className: "nba-toolbar nba-video-actions" });
  readonly status = el("span", { className: "nba-status" });
  private readonly chips: HTMLButtonElement[] = [];
  private readonly play: HTMLButtonElement;
  private readonly position = el("span", { className: "nba-video-position" });
  private readonly selection = el("span", { className: "nba-video-selection" });
  private readonly proposalsText = el("span", { className: "nba-video-proposals" });
  private readonly trackButtons: HTMLButtonElement[] = [];
  private readonly acceptButton: HTMLButtonElement;
  private readonly rejectButton: HTMLButtonElement;
  private readonly mergeButton: HTMLButtonElement;

  constructor(private readonly actions: VideoToolbarActions) {
    this.play = button("▶ Play", "Play / pause (Space)", () => actions.togglePlay(), "nba-video-play");
    const speed = el("select", { className: "nba-video-speed", title: "Playback speed" });
    for (const s of SPEEDS) {
      const option = el("option", { text: `${s}×` });
      option.value = String(s);
      if (s === 1) option.selected = true;
      speed.append(option);
    }
    speed.addEventListener("change", () => actions.setSpeed(Number(speed.value)));
    this.transport.append(
      button("−10", "Back ten frames (Shift+←)", () => actions.step(-10)),
      button("◀", "Previous frame (←)", () => actions.step(-1)),
      this.play,
      button("▶", "Next frame (→)", () => actions.step(1)),
      button("+10", "Forward ten frames (Shift+→)", () => actions.step(10)),
      speed, this.position,
      button("−", "Zoom the timeline out (-)", () => actions.zoom(0.5)),
      button("+", "Zoom the timeline in (+)", () => actions.zoom(2)),
      button("Fit", "Show the whole video on the timeline (0)", () => actions.fit()),
      button("Undo", "Undo (Ctrl+Z)", () => actions.undo()),
      button("Redo", "Redo (Ctrl+Shift+Z)", () => actions.redo()),
      this.status,
    );
    const trackButton = (text: string, title: string, act: () => void) => {
      const b = button(text, title, act);
      this.trackButtons.push(b);
      return b;
    };
    this.mergeButton = trackButton("Merge", "Merge: then click the track to join into the selected one (M)", () => actions.merge());
    this.acceptButton = button("Accept", "Accept the proposals up to this frame (A)", () => actions.accept(), "nba-video-accept");
    this.rejectButton = button("Reject", "Drop the selected track's proposals", () => actions.reject());
    this.actionsRow.append(
      this.selection,
      trackButton("Outside", "The object is outside the frame from here on (O)", () => actions.toggleOutside()),
      trackButton("Occluded", "The object is occluded from here on (C)", () => actions.toggleOccluded()),
      trackButton("Delete keyframe", "Delete this keyframe (Delete)", () => actions.remove(false)),
      trackButton("Delete track", "Delete the whole track (Shift+Delete)", () => actions.remove(true)),
      trackButton("Split", "Split the track at this frame (S)", () => actions.split()),
      this.mergeButton,
      trackButton("Track", "Propose the box on the next frames (T)", () => actions.track()),
      this.proposalsText, this.acceptButton, this.rejectButton,
    );
    this.setPlaying(false);
    this.setSelection(null, 0, false);
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

  setPosition(frame: number, numFrames: number, fps: number): void {
    this.position.textContent = `frame ${frameLabel(frame, fps)} / ${numFrames}`;
  }

  /** The selected track's description (null: none), its proposals, and whether merge waits for a click. */
  setSelection(text: string | null, proposals: number, merging: boolean): void {
    this.selection.textContent = text ?? "no track selected";
    for (const b of this.trackButtons) b.disabled = text === null;
    this.mergeButton.setAttribute("aria-pressed", String(merging));
    this.proposalsText.textContent = proposals ? `${proposals} proposal${proposals === 1 ? "" : "s"}` : "";
    this.acceptButton.hidden = proposals === 0;
    this.rejectButton.hidden = proposals === 0;
  }
}
