/**
 * The inline text field that transcribes one record (a box, a region): placed by its widget
 * next to the record, `dir="auto"` so right-to-left and mixed text show correctly, and read
 * through its value (so IMEs and any script work; keys are never turned into characters here).
 *
 * Inside the field only Enter (save), Escape (cancel) and Tab / Shift+Tab (save and go to
 * the next / previous record) act. Every other key does what it does in a text field and
 * reaches nobody else: not the widget's shortcuts, not JupyterLab's. Leaving the field (a
 * click elsewhere) saves.
 */
import { el } from "./dom";
import { origin } from "./shadow";

export type CloseReason = "save" | "cancel" | "blur";

export interface FieldHost {
  /**
   * The field closed. `text` is the typed text when it should be saved (Enter, Tab, leaving
   * the field) and differs from what the field opened with, else null. `move` is the step
   * asked for with Tab / Shift+Tab.
   */
  closed(id: string, text: string | null, reason: CloseReason, move: 1 | -1 | null): void;
}

export const FIELD_HELP = "Enter: save · Esc: cancel · Tab / Shift+Tab: save and go to the next / previous";

export class TranscriptField {
  /** The positioned wrapper (the widget appends it over its stage and may add controls). */
  readonly node = el("div", { className: "nba-transcript" });
  readonly input = el("input", {
    className: "nba-transcript-input",
    title: FIELD_HELP,
    attrs: { type: "text", dir: "auto", autocomplete: "off", placeholder: "Transcription…", "aria-label": "Transcription" },
  });
  private id: string | null = null;
  private initial = "";
  private readonly removers: (() => void)[] = [];

  constructor(private readonly host: FieldHost) {
    this.node.hidden = true;
    this.node.append(this.input);
    const onKey = (event: KeyboardEvent) => this.key(event);
    // Capture on window: before JupyterLab's handlers and the widget's own key scope acts.
    window.addEventListener("keydown", onKey, true);
    this.removers.push(() => window.removeEventListener("keydown", onKey, true));
    const onBlur = () => {
      if (this.id !== null) this.finish("blur", null);
    };
    this.input.addEventListener("blur", onBlur);
    this.removers.push(() => this.input.removeEventListener("blur", onBlur));
    // Pointer presses on the field stay in it (the stage below must not start a gesture).
    const stop = (event: Event) => event.stopPropagation();
    for (const type of ["pointerdown", "pointerup", "dblclick", "contextmenu"]) {
      this.node.addEventListener(type, stop);
      this.removers.push(() => this.node.removeEventListener(type, stop));
    }
  }

  /** The id of the record being transcribed, or null when the field is closed. */
  get editing(): string | null {
    return this.id;
  }

  /** Open the field on record `id` with its current `text`; focus it, text selected. */
  open(id: string, text: string): void {
    if (this.id !== null) this.finish("blur", null);
    this.id = id;
    this.input.value = text;
    // What the field holds now (an input drops line breaks): unchanged means nothing to save.
    this.initial = this.input.value;
    this.node.hidden = false;
    this.node.dataset.id = id;
    this.input.focus({ preventScroll: true });
    this.input.select();
  }

  /** Close without asking the host to save (the record went away). */
  dismiss(): void {
    if (this.id === null) return;
    this.id = null;
    delete this.node.dataset.id;
    this.node.hidden = true;
  }

  /** Close as if the person left the field (saving what was typed). */
  close(): void {
    if (this.id !== null) this.finish("blur", null);
  }

  /** Place the field (CSS px in its container); style is written only when it changed. */
  place(left: number, top: number, width: number): void {
    const style = this.node.style;
    const values = { left: `${Math.round(left)}px`, top: `${Math.round(top)}px`, width: `${Math.round(width)}px` };
    if (style.left !== values.left) style.left = values.left;
    if (style.top !== values.top) style.top = values.top;
    if (style.width !== values.width) style.width = values.width;
  }

  private key(event: KeyboardEvent): void {
    if (origin(event) !== this.input || this.id === null) return;
    // Keys belong to the field: nothing else on the page sees them.
    event.stopPropagation();
    event.stopImmediatePropagation();
    if (event.isComposing || event.keyCode === 229) return; // an IME is composing
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Enter") {
      event.preventDefault();
      this.finish("save", null);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.finish("cancel", null);
    } else if (event.key === "Tab") {
      event.preventDefault();
      this.finish("save", event.shiftKey ? -1 : 1);
    }
  }

  private finish(reason: CloseReason, move: 1 | -1 | null): void {
    const id = this.id;
    if (id === null) return;
    const value = this.input.value;
    const text = reason !== "cancel" && value !== this.initial ? value : null;
    this.dismiss();
    this.host.closed(id, text, reason, move);
  }

  destroy(): void {
    this.dismiss();
    for (const remove of this.removers.splice(0)) remove();
    this.node.remove();
  }
}
