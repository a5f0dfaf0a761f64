/**
 * The text view's toolbar: label chips (keys 1–9), undo/redo, suggestion review (accept all,
 * reject all), what is selected with its actions, and the save status. Label names and span
 * text are set with textContent only.
 */
import { labelColor } from "../lib/colors";
import { el } from "../lib/dom";
import type { Shown } from "./spans";
import { formatScore } from "./spans";

export interface ToolbarActions {
  chooseLabel(index: number): void;
  undo(): void;
  redo(): void;
  acceptAll(): void;
  rejectAll(): void;
  accept(): void;
  reject(): void;
  remove(): void;
}

export interface Toolbar {
  element: HTMLElement;
  selection: HTMLElement;
  setLabels(labels: readonly string[], current: string): void;
  setSuggestionCount(count: number): void;
  setSelected(item: Shown | undefined, labels: readonly string[]): void;
  setStatus(text: string): void;
}

function button(text: string, title: string, onClick: () => void, className = ""): HTMLButtonElement {
  const node = el("button", { text, title, className, attrs: { type: "button" } });
  node.addEventListener("click", onClick);
  return node;
}

export function createToolbar(actions: ToolbarActions): Toolbar {
  const element = el("div", { className: "nba-toolbar nba-text-toolbar" });
  const labelBox = el("span", { className: "nba-text-labels" });
  const undo = button("Undo", "Undo (Ctrl+Z)", actions.undo);
  const redo = button("Redo", "Redo (Ctrl+Shift+Z)", actions.redo);
  const review = el("span", { className: "nba-text-review" });
  const acceptAll = button("Accept all", "Accept every suggestion", actions.acceptAll, "nba-accept-all");
  const rejectAll = button("Reject all", "Reject every suggestion", actions.rejectAll, "nba-reject-all");
  review.append(acceptAll, rejectAll);
  const status = el("span", { className: "nba-status" });
  element.append(labelBox, undo, redo, review, status);
  const selection = el("div", { className: "nba-text-selection" });
  let chips: HTMLButtonElement[] = [];
  let names: readonly string[] = [];

  return {
    element,
    selection,
    setLabels(labels, current) {
      names = labels;
      labelBox.replaceChildren();
      chips = labels.map((name, i) => {
        const chip = el("button", {
          className: "nba-label-chip", title: `Label ${name}${i < 9 ? ` (key ${i + 1})` : ""}`,
          attrs: { type: "button", "data-label": name },
        }, [el("span", { className: "nba-key", text: i < 9 ? String(i + 1) : "" }), el("span", { text: name })]);
        chip.style.borderLeft = `4px solid ${labelColor(name, labels)}`;
        chip.addEventListener("click", () => actions.chooseLabel(i));
        return chip;
      });
      labelBox.append(...chips);
      chips.forEach((chip, i) => chip.setAttribute("aria-pressed", String(names[i] === current)));
    },
    setSuggestionCount(count) {
      review.hidden = count === 0;
      acceptAll.textContent = `Accept all (${count})`;
    },
    setSelected(item, labels) {
      selection.replaceChildren();
      if (!item) {
        selection.append(el("span", { className: "nba-hint", text: "Select text to add a span; click a span to select it (Tab cycles)." }));
        return;
      }
      const color = labelColor(item.label, labels);
      const tag = el("span", { className: "nba-selection-label", text: item.label });
      tag.style.borderBottom = `3px ${item.kind === "suggestion" ? "dashed" : "solid"} ${color}`;
      const text = item.record.text ?? "";
      const quoted = el("span", { className: "nba-selection-text", text: text.length > 80 ? `${text.slice(0, 77)}…` : text });
      const where = el("span", { className: "nba-selection-where", text: `[${item.start}, ${item.end})` });
      selection.append(el("span", { text: item.kind === "suggestion" ? "Suggestion " : "Span " }), tag, " ", quoted, " ", where);
      if (item.kind === "suggestion") {
        const score = formatScore(item.score);
        if (score) selection.append(" ", el("span", { className: "nba-chip-score", text: `score ${score}` }));
        selection.append(" ", button("Accept", "Accept (Enter)", actions.accept, "nba-accept-one"),
          button("Reject", "Reject (Delete)", actions.reject, "nba-reject-one"));
      } else {
        selection.append(" ", button("Delete", "Delete (Delete key)", actions.remove, "nba-delete-one"));
      }
    },
    setStatus(text) {
      status.textContent = text;
    },
  };
}
