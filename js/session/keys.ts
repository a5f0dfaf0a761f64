/**
 * Keys of a structured labeling session (pure logic, tested in js/tests/session-keys.test.ts).
 * They use Ctrl (Cmd on a Mac) so that they never collide with the annotators' own keys
 * (digits, Enter, Delete, Tab, Escape, letters, Space): Ctrl+Enter submits the item ("Done"),
 * Ctrl+Backspace brings the previous item back, Ctrl+Shift+S skips the item.
 */

export type SessionAction = "done" | "skip" | "back";

/** The fields of a KeyboardEvent that decide the action. */
export type KeyLike = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey" | "repeat">;

/**
 * The session action of a key press, or null. `inField` is true when the key is typed into a
 * text field: there only Ctrl+Enter acts (Ctrl+Backspace deletes a word, Ctrl+Shift+S is left
 * to the field).
 */
export function sessionAction(event: KeyLike, inField = false): SessionAction | null {
  if (event.repeat || event.altKey || !(event.ctrlKey || event.metaKey)) return null;
  const key = event.key;
  if (key === "Enter" && !event.shiftKey) return "done";
  if (inField) return null;
  if (key === "Backspace" && !event.shiftKey) return "back";
  if (event.shiftKey && (key === "S" || key === "s")) return "skip";
  return null;
}

/** What the toolbar shows for each action: label and tooltip. */
export const ACTIONS: readonly { action: SessionAction; text: string; title: string }[] = [
  { action: "done", text: "Done ⌃↵", title: "Save this item's annotations and show the next item (Ctrl+Enter)" },
  { action: "skip", text: "Skip", title: "Skip this item; it is not shown again (Ctrl+Shift+S)" },
  { action: "back", text: "Back ⌃⌫", title: "Bring the previous item back (Ctrl+Backspace)" },
];
