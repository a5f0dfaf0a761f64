/**
 * The keyboard of one view: turns a key press into an action (shortcuts.ts) and performs it;
 * the segmentation tools get the first say, and while a gesture is in progress only Escape
 * and the space bar act.
 */
import type { Tool } from "./gestures";
import type { Labels } from "./labels";
import type { RecordCommands } from "./commands";
import type { PointerInput } from "./pointer";
import type { Ref } from "./records";
import type { Segmentation } from "./segmentation";
import { type Action, actionFor } from "./shortcuts";
import type { Stage } from "./stage";
import type { Toolbar } from "./toolbar";

export interface KeyHost {
  readonly stage: Stage;
  readonly toolbar: Toolbar;
  readonly labels: Labels;
  readonly seg: Segmentation;
  readonly pointer: PointerInput;
  readonly commands: RecordCommands;
  undo(): void;
  redo(): void;
  setTool(tool: Tool): void;
  select(ref: Ref | null): void;
}

/** The key listener of a view (for `installKeyScope`): true when the key was used. */
export function keyHandler(host: KeyHost): (event: KeyboardEvent) => boolean {
  return (event) => {
    const action = actionFor(event);
    if (!action) return false;
    if (host.pointer.gesture && action.kind !== "escape" && action.kind !== "pan-key") return true;
    return perform(host, action);
  };
}

/** Perform one action; false when it does nothing here (the key is left to others). */
export function perform(host: KeyHost, action: Action): boolean {
  const { commands } = host;
  if (host.seg.perform(action)) return true;
  switch (action.kind) {
    case "undo": host.undo(); return true;
    case "redo": host.redo(); return true;
    case "tool": host.setTool(action.tool); return true;
    case "label": host.labels.choose(action.index); return true;
    case "delete": commands.deleteSelection(); return true;
    case "accept":
      if (!commands.transcribeSelection()) commands.acceptSelection();
      return true;
    case "transcribe": commands.transcribeSelection(); return true;
    case "reject": commands.rejectSelection(); return true;
    case "visibility": commands.toggleVisibility(); return true;
    case "cycle": return commands.cycle(action.step);
    case "escape":
      if (!host.pointer.cancelGesture()) host.select(null);
      host.toolbar.toggleHelp(false);
      return true;
    case "zoom": host.stage.zoomBy(action.factor); return true;
    case "fit": host.stage.fit(); return true;
    case "pan-key": host.pointer.setSpace(true); return true;
    case "help": host.toolbar.toggleHelp(); return true;
    case "radius":
    case "uncertainty":
      return false; // the segmentation tools' keys
  }
}
