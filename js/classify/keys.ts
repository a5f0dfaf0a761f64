/**
 * Keys of the class labeler (pure logic, tested in js/tests/classify-keys.test.ts): a label's
 * key chooses it, Enter submits, S skips, Backspace undoes. Repeats and keys with Ctrl, Cmd or
 * Alt are left alone (the session panel's Ctrl keys, the browser's own shortcuts).
 */

export type LabelerAction =
  | { action: "choose"; index: number }
  | { action: "submit" }
  | { action: "skip" }
  | { action: "undo" };

export type KeyLike = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "repeat">;

/** The action of a key press, given each label's key (null: the label has no key). */
export function labelerAction(event: KeyLike, keys: readonly (string | null)[]): LabelerAction | null {
  if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return null;
  const key = event.key;
  if (key === "Enter") return { action: "submit" };
  if (key === "s" || key === "S") return { action: "skip" };
  if (key === "Backspace") return { action: "undo" };
  const index = keys.indexOf(key);
  return index >= 0 ? { action: "choose", index } : null;
}
