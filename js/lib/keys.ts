/**
 * Keyboard scope: a widget's keys act only while the pointer is over it or focus is inside it,
 * and never reach JupyterLab's notebook shortcuts (`a`, `b`, `x`, `dd`, digits, ...).
 */

import { origin, passedThrough } from "./shadow";

export type KeyHandler = (event: KeyboardEvent) => boolean;

/** True when the event's target is a text field, where typed keys belong to the field. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["button", "checkbox", "radio", "range", "submit", "reset", "color"].includes(type);
  }
  return target.closest(".cm-editor, .CodeMirror") !== null;
}

/** Ctrl+Z / Cmd+Z (without Shift). */
export function isUndo(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z";
}

/** Ctrl+Shift+Z / Cmd+Shift+Z, or Ctrl+Y. */
export function isRedo(event: KeyboardEvent): boolean {
  const key = event.key.toLowerCase();
  return (event.ctrlKey || event.metaKey) && ((event.shiftKey && key === "z") || (!event.shiftKey && key === "y"));
}

/** The 0-based label index of a digit key 1–9 (no modifiers), or null. */
export function digitIndex(event: KeyboardEvent): number | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (!/^[1-9]$/.test(event.key)) return null;
  return Number(event.key) - 1;
}

const SHORTCUT_KEYS = new Set([
  "Delete", "Backspace", "Escape", "Enter", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight",
  "Home", "End", "PageUp", "PageDown", " ",
]);

/**
 * True for keys that JupyterLab's command mode would act on: plain characters and editing
 * keys without Ctrl/Cmd/Alt. Shift+Enter (run cell) and modifier shortcuts pass through.
 */
export function isNotebookShortcut(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  if (event.key === "Enter" && event.shiftKey) return false;
  return event.key.length === 1 || SHORTCUT_KEYS.has(event.key);
}

/**
 * Route key events to `handler` while the pointer is over `root` or focus is inside it.
 * `handler` returns true when it used the key; the event is then stopped so JupyterLab never
 * sees it. Keys typed into a text field outside the widget are left alone.
 * Returns a function that removes the listeners.
 */
export function installKeyScope(root: HTMLElement, handler: KeyHandler): () => void {
  let hovered = false;
  const onEnter = () => (hovered = true);
  const onLeave = () => (hovered = false);
  const onKey = (event: KeyboardEvent) => {
    // In a shadow root a window listener sees the host as the target: read the composed path.
    const inside = passedThrough(event, root);
    const from = origin(event);
    if (!inside && !hovered) return;
    if (!inside && isEditable(from)) return;
    if (inside && isEditable(from)) {
      // A text field of the widget itself: the widget's own field handles it.
      return;
    }
    if (handler(event)) {
      event.preventDefault();
      event.stopPropagation();
      event.stopImmediatePropagation();
    } else if (isNotebookShortcut(event)) {
      // Not ours, but JupyterLab would act on the notebook (`dd` deletes a cell): keep it away.
      event.stopPropagation();
      event.stopImmediatePropagation();
    }
  };
  root.addEventListener("pointerenter", onEnter);
  root.addEventListener("pointerleave", onLeave);
  // Capture on window: runs before JupyterLab's own keydown handling.
  window.addEventListener("keydown", onKey, true);
  return () => {
    root.removeEventListener("pointerenter", onEnter);
    root.removeEventListener("pointerleave", onLeave);
    window.removeEventListener("keydown", onKey, true);
  };
}
