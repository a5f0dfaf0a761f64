/**
 * The class labeler's view: the item, one button per label (its key shown), Submit / Skip /
 * Undo, the note and an inline message, and the session panel when the widget has one. Keys act
 * while the pointer is over the labeler or focus is inside it; they are stopped before the
 * host's shortcuts see them. Every action crosses once, with the token of the item on screen.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import { el } from "../lib/dom";
import { isEditable } from "../lib/keys";
import { mountPanel, type PanelState } from "../session/panel";
import { ItemDisplay, type ItemState } from "./item";
import { type LabelerAction, labelerAction } from "./keys";

export interface Choice { name: string; key: string | null; text: string }

export interface LabelerModel {
  choices: Choice[];
  toggles: boolean;
  chosen: number[];
  view: ItemState;
  media: DataView | null;
  note_text: string;
  message_text: string;
  message_kind: string;
  item_token: number;
  enabled: boolean;
  panel: PanelState;
}

function bytesOf(data: DataView | ArrayBuffer | Uint8Array | null | undefined): Uint8Array | null {
  if (!data) return null;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function renderLabeler({ model, el: host }: RenderProps<LabelerModel>): () => void {
  const any = model as unknown as AnyModel<LabelerModel>;
  const root = el("div", { className: "nba-root nba-classify", attrs: { tabindex: "0" } });
  const item = new ItemDisplay();
  const note = el("div", { className: "nba-classify-note" });
  const labels = el("div", { className: "nba-toolbar nba-classify-labels" });
  const submit = el("button", { text: "Submit ↵", title: "Enter", className: "nba-classify-submit", attrs: { type: "button" } });
  const skip = el("button", { text: "Skip (S)", title: "S", className: "nba-classify-skip", attrs: { type: "button" } });
  const undo = el("button", { text: "Undo ⌫", title: "Backspace", className: "nba-classify-undo", attrs: { type: "button" } });
  const actions = el("div", { className: "nba-toolbar nba-classify-actions" }, [submit, skip, undo]);
  const message = el("div", { className: "nba-classify-message", attrs: { role: "status" } });
  root.append(item.element, note, labels, actions, message);
  host.append(root);
  let labelButtons: HTMLButtonElement[] = [];

  const send = (action: LabelerAction) => {
    any.send({ type: "action", ...action, item: model.get("item_token") });
  };
  submit.addEventListener("click", () => send({ action: "submit" }));
  skip.addEventListener("click", () => send({ action: "skip" }));
  undo.addEventListener("click", () => send({ action: "undo" }));

  const syncChoices = () => {
    labels.replaceChildren();
    labelButtons = model.get("choices").map((choice, index) => {
      const button = el("button", {
        text: choice.text, title: choice.key !== null ? `key ${choice.key}` : choice.name,
        className: "nba-label-chip nba-classify-label", attrs: { type: "button", "data-index": String(index) },
      });
      button.addEventListener("click", () => send({ action: "choose", index }));
      labels.append(button);
      return button;
    });
    syncChosen();
  };
  const syncChosen = () => {
    const chosen = new Set(model.get("chosen"));
    const enabled = model.get("enabled");
    labelButtons.forEach((button, index) => {
      button.setAttribute("aria-pressed", String(chosen.has(index)));
      button.disabled = !enabled;
    });
    submit.disabled = skip.disabled = !enabled;
  };
  const syncItem = () => {
    item.show(model.get("view"), bytesOf(model.get("media")));
    root.dataset.item = String(model.get("item_token"));
  };
  const syncText = () => {
    note.textContent = model.get("note_text");
    note.hidden = note.textContent === "";
    message.textContent = model.get("message_text");
    message.hidden = message.textContent === "";
    message.classList.toggle("nba-info", model.get("message_kind") === "info");
  };

  const onKey = (event: KeyboardEvent) => {
    const path = event.composedPath();
    const inside = path.includes(root);
    if (!inside && !root.matches(":hover")) return;
    if (isEditable(path[0] ?? event.target)) return; // typing into a field
    if (event.ctrlKey || event.metaKey || event.altKey || event.key === "Tab") return; // the host's, or the panel's
    // Every other key stays with the labeler (the notebook's `a`, `b`, `x`, `dd` never act).
    event.stopPropagation();
    event.stopImmediatePropagation();
    const action = labelerAction(event, model.get("choices").map((c) => c.key));
    if (action === null) return;
    event.preventDefault();
    if (!model.get("enabled") && action.action !== "undo") return;
    send(action);
  };
  // Capture on window: before the host's notebook shortcuts (digits, `s`, Enter) see the key.
  window.addEventListener("keydown", onKey, true);
  const removePanel = mountPanel(root, any);
  const events: [string, () => void][] = [
    ["change:choices", syncChoices], ["change:chosen", syncChosen], ["change:enabled", syncChosen],
    ["change:view", syncItem], ["change:media", syncItem], ["change:item_token", syncItem],
    ["change:note_text", syncText], ["change:message_text", syncText], ["change:message_kind", syncText],
  ];
  for (const [name, fn] of events) model.on(name, fn);
  syncChoices();
  syncItem();
  syncText();
  return () => {
    window.removeEventListener("keydown", onKey, true);
    for (const [name, fn] of events) model.off(name, fn);
    removePanel();
    item.dispose();
  };
}
