/** The toolbar: tools, labels, zoom, undo/redo, suggestion review, key help and status. */
import { el } from "../lib/dom";
import type { Tool } from "./gestures";
import { formatValue } from "./levels";
import { KEY_HELP } from "./shortcuts";

export interface ToolbarActions {
  tool(tool: Tool): void;
  label(index: number): void;
  zoom(factor: number): void;
  fit(): void;
  undo(): void;
  redo(): void;
  accept(): void;
  reject(): void;
  acceptAll(): void;
  rejectAll(): void;
  /** The window sliders moved (`done`: released: save it). */
  window(vmin: number, vmax: number, done: boolean): void;
  /** Back to the window the data gives. */
  autoWindow(): void;
}

/** A range input of the contrast window. */
function slider(title: string): HTMLInputElement {
  const input = el("input", { className: "nba-image-window-slider", title, attrs: { type: "range" } }) as HTMLInputElement;
  input.addEventListener("mousedown", (event) => event.stopPropagation());
  return input;
}

function button(text: string, title: string, onClick: () => void, className = ""): HTMLButtonElement {
  const b = el("button", { text, title, className, attrs: { type: "button" } });
  b.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  // Keep keyboard focus on the widget root, where its keys are handled.
  b.addEventListener("mousedown", (event) => event.preventDefault());
  return b;
}

export class Toolbar {
  readonly node = el("div", { className: "nba-toolbar nba-image-toolbar" });
  readonly help = el("div", { className: "nba-image-help", attrs: { role: "dialog", "aria-label": "Keys" } });
  private readonly tools = new Map<Tool, HTMLButtonElement>();
  private readonly chips = el("span", { className: "nba-image-labels" });
  private chipButtons: HTMLButtonElement[] = [];
  private chipKey = "";
  private readonly zoomText = el("span", { className: "nba-image-zoom", title: "Zoom (image pixels per screen pixel)" });
  private readonly undoButton: HTMLButtonElement;
  private readonly redoButton: HTMLButtonElement;
  private readonly review = el("span", { className: "nba-image-review" });
  private readonly reviewCount = el("span", { className: "nba-image-review-count" });
  private readonly acceptButton: HTMLButtonElement;
  private readonly rejectButton: HTMLButtonElement;
  readonly status = el("span", { className: "nba-status" });
  /** The contrast window of single-channel images: low and high sliders, "Auto", readout. */
  private readonly contrast = el("span", { className: "nba-image-window", attrs: { role: "group", "aria-label": "Contrast window" } });
  readonly windowLow = slider("Window low (vmin): values at or below show as the colormap's start");
  readonly windowHigh = slider("Window high (vmax): values at or above show as the colormap's end");
  private readonly windowText = el("span", { className: "nba-image-window-text" });
  readonly readout = el("span", { className: "nba-image-readout", title: "The original value under the pointer (x, y: value)" });

  constructor(actions: ToolbarActions) {
    const toolGroup = el("span", { className: "nba-image-tools", attrs: { role: "group", "aria-label": "Tool" } });
    const tools = [
      ["box", "Box", "B"], ["keypoint", "Keypoint", "K"], ["select", "Select", "S"],
      ["polygon", "Polygon", "P"], ["brush", "Brush", "R"], ["eraser", "Eraser", "E"],
    ] as const;
    for (const [tool, text, key] of tools) {
      const b = button(text, `${text} tool (${key})`, () => actions.tool(tool), "nba-image-tool");
      b.dataset.tool = tool;
      this.tools.set(tool, b);
      toolGroup.append(b);
    }
    const zoomGroup = el("span", { className: "nba-image-zoombar" });
    zoomGroup.append(
      button("−", "Zoom out (-)", () => actions.zoom(0.8)),
      this.zoomText,
      button("+", "Zoom in (+, or the wheel)", () => actions.zoom(1.25)),
      button("Fit", "Fit the image (0)", () => actions.fit()),
    );
    this.undoButton = button("Undo", "Undo (Ctrl+Z)", () => actions.undo());
    this.redoButton = button("Redo", "Redo (Ctrl+Shift+Z)", () => actions.redo());
    this.acceptButton = button("Accept", "Accept the selected suggestion (Enter)", () => actions.accept());
    this.rejectButton = button("Reject", "Reject the selected suggestion (X)", () => actions.reject());
    this.review.append(
      this.reviewCount, this.acceptButton, this.rejectButton,
      button("Accept all", "Accept every suggestion", () => actions.acceptAll(), "nba-image-accept-all"),
      button("Reject all", "Reject every suggestion", () => actions.rejectAll(), "nba-image-reject-all"),
    );
    const helpButton = button("?", "Keys: B/K/S/P/R/E tools · [ ] brush size · U uncertainty · 1–9 label · Tab select · Del remove · Enter/X accept/reject · F2 text · V visibility · Ctrl+Z undo · wheel zoom · Space+drag pan", () => this.toggleHelp(), "nba-image-help-button");
    const moved = (done: boolean, which: HTMLInputElement) => {
      let low = Number(this.windowLow.value);
      let high = Number(this.windowHigh.value);
      if (low >= high) {
        // Keep the window open: the other end gives way by one step.
        const step = Number(this.windowLow.step) || 1;
        if (which === this.windowLow) high = low + step;
        else low = high - step;
      }
      actions.window(low, high, done);
    };
    for (const input of [this.windowLow, this.windowHigh]) {
      input.addEventListener("input", () => moved(false, input));
      input.addEventListener("change", () => moved(true, input));
    }
    this.contrast.append(
      el("span", { className: "nba-image-window-name", text: "Window" }), this.windowLow, this.windowHigh, this.windowText,
      button("Auto", "Back to the automatic window (0.5–99.5 percentiles)", () => actions.autoWindow(), "nba-image-window-auto"),
    );
    this.contrast.hidden = true;
    this.node.append(toolGroup, this.chips, zoomGroup, this.undoButton, this.redoButton, this.review, this.contrast, this.readout, helpButton, this.status);
    this.buildHelp();
    this.help.hidden = true;
    this.labelAction = actions.label;
  }

  private readonly labelAction: (index: number) => void;

  private buildHelp(): void {
    const table = el("table");
    for (const [keys, what] of KEY_HELP) {
      const row = el("tr");
      row.append(el("th", { text: keys }), el("td", { text: what }));
      table.append(row);
    }
    this.help.append(el("div", { className: "nba-image-help-title", text: "Keys (pointer over the image)" }), table);
  }

  toggleHelp(show?: boolean): void {
    this.help.hidden = show === undefined ? !this.help.hidden : !show;
  }

  setTool(tool: Tool, hasKeypoints: boolean): void {
    for (const [name, b] of this.tools) b.setAttribute("aria-pressed", String(name === tool));
    (this.tools.get("keypoint") as HTMLButtonElement).hidden = !hasKeypoints;
  }

  /** Label chips of the current tool; `active` is pressed (the selection's or the next label). */
  setLabels(names: readonly string[], colorOf: (name: string) => string, active: string | null): void {
    const key = JSON.stringify([names, names.map(colorOf)]);
    if (key !== this.chipKey) {
      this.chipKey = key;
      this.chips.replaceChildren();
      this.chipButtons = names.map((name, i) => {
        const chip = button("", `Label ${name}${i < 9 ? ` (key ${i + 1})` : ""}`, () => this.labelAction(i), "nba-label-chip");
        chip.append(el("span", { className: "nba-key", text: i < 9 ? String(i + 1) : "" }), el("span", { text: name }));
        chip.style.borderLeft = `4px solid ${colorOf(name)}`;
        chip.dataset.label = name;
        this.chips.append(chip);
        return chip;
      });
    }
    this.chipButtons.forEach((chip, i) => chip.setAttribute("aria-pressed", String(names[i] === active)));
  }

  setZoom(scale: number): void {
    this.zoomText.textContent = `${Math.round(scale * 100)}%`;
  }

  setHistory(canUndo: boolean, canRedo: boolean): void {
    this.undoButton.disabled = !canUndo;
    this.redoButton.disabled = !canRedo;
  }

  /** Show the window control (single-channel images) with the data's range and the window. */
  setWindow(shown: boolean, range: { min: number; max: number; integer: boolean }, vmin: number, vmax: number): void {
    this.contrast.hidden = !shown;
    if (!shown) return;
    const span = Math.max(range.max - range.min, Number.EPSILON);
    const step = range.integer ? Math.max(1, Math.round(span / 1000)) : span / 1000;
    for (const input of [this.windowLow, this.windowHigh]) {
      input.min = String(Math.min(range.min, vmin));
      input.max = String(Math.max(range.max, vmax));
      input.step = String(step);
    }
    this.windowLow.value = String(vmin);
    this.windowHigh.value = String(vmax);
    this.windowText.textContent = `${formatValue(vmin)} – ${formatValue(vmax)}`;
  }

  setSuggestions(count: number, suggestionSelected: boolean): void {
    this.review.hidden = count === 0;
    this.reviewCount.textContent = `${count} suggestion${count === 1 ? "" : "s"}`;
    this.acceptButton.disabled = !suggestionSelected;
    this.rejectButton.disabled = !suggestionSelected;
  }
}
