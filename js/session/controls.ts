/**
 * The Done / Skip / Back toolbar of a structured session and its keys. Each action is sent to
 * the kernel with the token of the item on screen (`item`), so a second press that arrives
 * after the next item appeared is ignored there, not applied to an item nobody has seen.
 * Keys act while the pointer is over the session (the element with class
 * `nba-structured-session` around this toolbar) or focus is inside it.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import { el } from "../lib/dom";
import { isEditable } from "../lib/keys";
import { ACTIONS, type SessionAction, sessionAction } from "./keys";

export interface ControlsModel {
  item: number;
  enabled: boolean;
  can_back: boolean;
  message: string;
}

export function renderControls({ model, el: host }: RenderProps<ControlsModel>): () => void {
  const root = el("div", { className: "nba-root nba-session-controls" });
  const bar = el("div", { className: "nba-toolbar" });
  const buttons = new Map<SessionAction, HTMLButtonElement>();
  const send = (action: SessionAction) => {
    (model as unknown as AnyModel).send({ type: "action", action, item: model.get("item") });
  };
  for (const { action, text, title } of ACTIONS) {
    const button = el("button", { text, title, className: `nba-session-${action}`, attrs: { type: "button" } });
    button.addEventListener("click", () => send(action));
    buttons.set(action, button);
    bar.append(button);
  }
  const message = el("span", { className: "nba-status nba-session-message" });
  bar.append(message);
  root.append(bar);
  host.append(root);

  const sync = () => {
    const enabled = model.get("enabled");
    for (const [action, button] of buttons) {
      button.disabled = action === "back" ? !model.get("can_back") : !enabled;
    }
    message.textContent = model.get("message");
  };

  const scope = (): HTMLElement => (host.closest(".nba-structured-session") as HTMLElement | null) ?? root;
  const onKey = (event: KeyboardEvent) => {
    const area = scope();
    const target = event.target as Node | null;
    const inside = target !== null && area.contains(target);
    if (!inside && !area.matches(":hover")) return;
    if (!inside && isEditable(event.target)) return; // typing somewhere else
    const action = sessionAction(event, inside && isEditable(event.target));
    if (action === null) return;
    event.preventDefault();
    event.stopPropagation();
    event.stopImmediatePropagation();
    const button = buttons.get(action);
    if (button && !button.disabled) send(action);
  };
  // Capture on window: before JupyterLab's own handling of Ctrl+Enter (run cell).
  window.addEventListener("keydown", onKey, true);
  model.on("change:item", sync);
  model.on("change:enabled", sync);
  model.on("change:can_back", sync);
  model.on("change:message", sync);
  sync();
  return () => {
    window.removeEventListener("keydown", onKey, true);
    model.off("change:item", sync);
    model.off("change:enabled", sync);
    model.off("change:can_back", sync);
    model.off("change:message", sync);
  };
}
