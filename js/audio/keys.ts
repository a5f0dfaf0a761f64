/**
 * The AudioAnnotator's keyboard shortcuts: which key does what. The widget gives the
 * actions; this module only maps keys to them (so the map is testable without a widget).
 */
import { digitIndex, isRedo, isUndo } from "../lib/keys";

export interface AudioKeyActions {
  undo(): void;
  redo(): void;
  chooseLabel(index: number): void;
  togglePlay(): void;
  removeSelected(): void;
  /** Accept the selected suggestion; false when none is selected. */
  acceptSelected(): boolean;
  /** Open the text field of the selected region (transcribe=True); false when not possible. */
  editText(): boolean;
  toggleLoop(): void;
  cancel(): void;
  zoom(factor: number): void;
  fit(): void;
  /** Scroll by a fraction of the visible width (negative: back in time). */
  scroll(fraction: number): void;
}

/** A key handler for `installKeyScope`: true when the key was used. */
export function audioKeyHandler(act: AudioKeyActions): (event: KeyboardEvent) => boolean {
  return (event) => {
    if (isUndo(event)) return act.undo(), true;
    if (isRedo(event)) return act.redo(), true;
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const digit = digitIndex(event);
    if (digit !== null) return act.chooseLabel(digit), true;
    switch (event.key) {
      case " ":
        return act.togglePlay(), true;
      case "Delete":
      case "Backspace":
        return act.removeSelected(), true;
      case "Enter":
        return act.acceptSelected() || act.editText();
      case "F2":
        return act.editText();
      case "l":
      case "L":
        return act.toggleLoop(), true;
      case "Escape":
        return act.cancel(), true;
      case "+":
      case "=":
        return act.zoom(2), true;
      case "-":
        return act.zoom(0.5), true;
      case "0":
        return act.fit(), true;
      case "ArrowLeft":
        return act.scroll(-0.2), true;
      case "ArrowRight":
        return act.scroll(0.2), true;
      default:
        return false;
    }
  };
}
