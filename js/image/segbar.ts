/** Toolbar controls of the segmentation tools: brush size, the uncertainty toggle, accepting masks. */
import { el } from "../lib/dom";

export interface SegbarActions {
  radius(step: 1 | -1): void;
  uncertainty(): void;
  accept(): void;
}

function button(text: string, title: string, onClick: () => void, className = ""): HTMLButtonElement {
  const b = el("button", { text, title, className, attrs: { type: "button" } });
  b.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  b.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus on the widget
  return b;
}

export class Segbar {
  readonly node = el("span", { className: "nba-image-segbar" });
  private readonly brush = el("span", { className: "nba-image-brush", attrs: { role: "group", "aria-label": "Brush size" } });
  private readonly radiusText = el("span", { className: "nba-image-radius", title: "Brush radius in image pixels" });
  readonly uncertaintyButton: HTMLButtonElement;
  readonly acceptButton: HTMLButtonElement;

  constructor(actions: SegbarActions) {
    this.brush.append(
      button("−", "Smaller brush ([)", () => actions.radius(-1)),
      this.radiusText,
      button("+", "Larger brush (])", () => actions.radius(1)),
    );
    this.uncertaintyButton = button("Uncertainty", "Show where the model is unsure (U)", () => actions.uncertainty(), "nba-image-uncertainty");
    this.acceptButton = button("Accept masks", "Paint the suggested masks where nothing is painted (Enter)", () => actions.accept(), "nba-image-accept-masks");
    this.node.append(this.brush, this.uncertaintyButton, this.acceptButton);
  }

  update(state: { brush: boolean; radius: number; hasUncertainty: boolean; showUncertainty: boolean; suggestions: number }): void {
    this.brush.hidden = !state.brush;
    this.radiusText.textContent = `${state.radius < 10 ? state.radius.toFixed(1) : Math.round(state.radius)} px`;
    this.uncertaintyButton.hidden = !state.hasUncertainty;
    this.uncertaintyButton.setAttribute("aria-pressed", String(state.showUncertainty));
    this.acceptButton.hidden = state.suggestions === 0;
    this.node.hidden = this.brush.hidden && this.uncertaintyButton.hidden && this.acceptButton.hidden;
  }
}
