/** The widget's keys: which key does what, and the help text that lists them. */
import { digitIndex, isRedo, isUndo } from "../lib/keys";
import type { Tool } from "./gestures";

export type Action =
  | { kind: "tool"; tool: Tool }
  | { kind: "label"; index: number }
  | { kind: "undo" }
  | { kind: "redo" }
  | { kind: "delete" }
  | { kind: "accept" }
  | { kind: "transcribe" }
  | { kind: "reject" }
  | { kind: "visibility" }
  | { kind: "cycle"; step: 1 | -1 }
  | { kind: "escape" }
  | { kind: "zoom"; factor: number }
  | { kind: "fit" }
  | { kind: "pan-key" }
  | { kind: "radius"; step: 1 | -1 }
  | { kind: "uncertainty" }
  | { kind: "help" };

/** The fields of a KeyboardEvent that decide the action. */
export type KeyLike = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">;

const TOOL_KEYS: Record<string, Tool> = { b: "box", k: "keypoint", s: "select", p: "polygon", r: "brush", e: "eraser" };

/** The action of a key press, or null when the key is not the widget's. */
export function actionFor(event: KeyLike): Action | null {
  const e = event as KeyboardEvent;
  if (isUndo(e)) return { kind: "undo" };
  if (isRedo(e)) return { kind: "redo" };
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const digit = digitIndex(e);
  if (digit !== null) return { kind: "label", index: digit };
  const key = event.key;
  switch (key) {
    case "Tab":
      return { kind: "cycle", step: event.shiftKey ? -1 : 1 };
    case "Delete":
    case "Backspace":
      return { kind: "delete" };
    case "Enter":
      return event.shiftKey ? null : { kind: "accept" }; // Shift+Enter runs the cell
    case "Escape":
      return { kind: "escape" };
    case "F2":
      return { kind: "transcribe" };
    case "+":
    case "=":
      return { kind: "zoom", factor: 1.25 };
    case "-":
    case "_":
      return { kind: "zoom", factor: 0.8 };
    case "0":
      return { kind: "fit" };
    case " ":
      return { kind: "pan-key" };
    case "[":
      return { kind: "radius", step: -1 };
    case "]":
      return { kind: "radius", step: 1 };
    case "?":
    case "h":
    case "H":
      return { kind: "help" };
  }
  const lower = key.toLowerCase();
  if (lower in TOOL_KEYS) return { kind: "tool", tool: TOOL_KEYS[lower] as Tool };
  if (lower === "x") return { kind: "reject" };
  if (lower === "v") return { kind: "visibility" };
  if (lower === "u") return { kind: "uncertainty" };
  return null;
}

/** The keys, as shown in the help panel. */
export const KEY_HELP: readonly (readonly [string, string])[] = [
  ["B / K / S", "box, keypoint, select tool"],
  ["drag", "draw a box (box tool); move or resize the selected one"],
  ["click", "place the next keypoint (keypoint tool); select"],
  ["1–9", "label of the selection, or of the next annotation"],
  ["Tab / Shift+Tab", "select the next / previous annotation (polygon, with the polygon tool)"],
  ["Delete", "remove the selection (a suggestion: reject)"],
  ["Enter / X", "accept / reject the selected suggestion"],
  ["Enter, F2, double-click", "transcribe=True: edit the selected box's text"],
  ["in the text field", "Enter save · Esc cancel · Tab / Shift+Tab save, next / previous box in reading order"],
  ["V", "toggle the selected keypoint's visibility"],
  ["P / R / E", "polygon, brush (paint), eraser tool"],
  ["click, double-click", "add a polygon point; close the polygon (or Enter, or click its first point)"],
  ["drag a vertex, click an edge", "move the vertex; insert a vertex (selected polygon)"],
  ["Delete / Backspace", "remove the selected vertex (or the last point while drawing)"],
  ["[ / ]", "smaller / larger brush and eraser"],
  ["Enter", "accept the suggested masks where nothing is painted"],
  ["U", "show or hide the model's uncertainty"],
  ["Ctrl+Z / Ctrl+Shift+Z", "undo / redo (Cmd on a Mac)"],
  ["Esc", "cancel the gesture, clear the selection"],
  ["wheel, + / -, 0", "zoom around the pointer, zoom, fit"],
  ["Space+drag, middle drag", "pan"],
  ["H or ?", "show or hide this help"],
];
