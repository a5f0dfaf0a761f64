/**
 * The VideoAnnotator's keyboard shortcuts: which key does what. The widget gives the actions;
 * this module only maps keys to them (testable without a widget).
 */
import { digitIndex, isRedo, isUndo } from "../lib/keys";

export interface VideoKeyActions {
  undo(): void;
  redo(): void;
  chooseLabel(index: number): void;
  step(frames: number): void;
  togglePlay(): void;
  /** Delete the selected keyframe (`track`: the whole track). */
  remove(track: boolean): void;
  toggleOutside(): void;
  toggleOccluded(): void;
  split(): void;
  merge(): void;
  track(): void;
  accept(): void;
  /** Place the selected track's missing keypoints, one click each. */
  placeKeypoints(): void;
  /** The keypoint under the pointer: visible <-> hidden (`remove`: not placed). */
  keypointVisibility(remove: boolean): void;
  /** Jump to the selected track's previous / next keyframe. */
  keyframe(direction: 1 | -1): void;
  cancel(): void;
  zoom(factor: number): void;
  fit(): void;
}

/** A key handler for `installKeyScope`: true when the key was used. */
export function videoKeyHandler(act: VideoKeyActions): (event: KeyboardEvent) => boolean {
  return (event) => {
    if (isUndo(event)) return act.undo(), true;
    if (isRedo(event)) return act.redo(), true;
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const digit = digitIndex(event);
    if (digit !== null) return act.chooseLabel(digit), true;
    switch (event.key) {
      case "ArrowLeft":
        return act.step(event.shiftKey ? -10 : -1), true;
      case "ArrowRight":
        return act.step(event.shiftKey ? 10 : 1), true;
      case " ":
        return act.togglePlay(), true;
      case "Delete":
      case "Backspace":
        return act.remove(event.shiftKey), true;
      case "o":
      case "O":
        return act.toggleOutside(), true;
      case "c":
      case "C":
        return act.toggleOccluded(), true;
      case "s":
      case "S":
        return act.split(), true;
      case "m":
      case "M":
        return act.merge(), true;
      case "t":
      case "T":
        return act.track(), true;
      case "a":
      case "A":
        return act.accept(), true;
      case "k":
      case "K":
        return act.placeKeypoints(), true;
      case "v":
      case "V":
        return act.keypointVisibility(event.shiftKey), true;
      case ",":
        return act.keyframe(-1), true;
      case ".":
        return act.keyframe(1), true;
      case "Escape":
        return act.cancel(), true;
      case "+":
      case "=":
        return act.zoom(2), true;
      case "-":
        return act.zoom(0.5), true;
      case "0":
        return act.fit(), true;
      default:
        return false;
    }
  };
}
