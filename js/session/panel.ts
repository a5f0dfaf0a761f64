/**
 * The session panel, mounted under any nbannotate widget whose synced `panel` state is not
 * empty (so one anywidget is the whole session UI): progress, a message line, the session's
 * buttons with their keys (Ctrl+Enter "done", Ctrl+Shift+S "skip", Ctrl+Backspace "back"),
 * counts and the dashboard charts drawn on canvases from the state. A press is sent as
 * `{type: "panel", action, item}` with the token of the item on screen, so a double press
 * that arrives after the next item appeared is ignored by the kernel.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import { el } from "../lib/dom";
import { isEditable } from "../lib/keys";
import { CHART_H, CHART_W, type ChartState, drawAnnotators, drawBalance, drawCurve, drawHistogram } from "./charts";
import { sessionAction } from "./keys";

export interface PanelButton { action: string; text: string; title: string; disabled: boolean; pressed?: boolean }

export interface PanelState {
  item?: number;
  message?: string;
  error?: boolean;
  lines?: string[];
  threshold?: number;
  buttons?: PanelButton[];
  progress?: { done: number; total: number };
  counts?: Record<string, number>;
  charts?: ChartState;
}

interface PanelModel { panel: PanelState; item_shown?: boolean }

function canvas(name: string): HTMLCanvasElement {
  const c = el("canvas", { className: `nba-chart nba-chart-${name}` });
  c.width = CHART_W;
  c.height = CHART_H;
  return c;
}

/**
 * Mount the panel in `host` (the widget's root: keys act while the pointer is over it or
 * focus is inside it). Returns the cleanup to run when the view goes away.
 */
export function mountPanel(host: HTMLElement, model: AnyModel<PanelModel>): () => void {
  const root = el("div", { className: "nba-panel" });
  const progress = el("progress", { className: "nba-panel-progress" });
  const progressText = el("span", { className: "nba-panel-progress-text" });
  const bar = el("div", { className: "nba-toolbar nba-panel-buttons" });
  const counts = el("div", { className: "nba-panel-counts" });
  const message = el("div", { className: "nba-panel-message", attrs: { role: "status" } });
  const lines = el("div", { className: "nba-panel-lines" });
  const threshold = el("input", {
    className: "nba-panel-threshold", title: "auto-accept threshold",
    attrs: { type: "number", min: "0", max: "1", step: "0.01" },
  });
  const thresholdLabel = el("label", { className: "nba-panel-threshold-label", text: "auto-accept ≥ " }, [threshold]);
  const curve = canvas("curve");
  const histogram = canvas("confidence");
  const balance = canvas("balance");
  const annotators = canvas("annotators");
  const charts = el("div", { className: "nba-panel-charts" }, [curve, histogram, balance, annotators]);
  root.append(el("div", { className: "nba-panel-head" }, [progress, progressText, thresholdLabel, bar]), counts, message,
    lines, charts);
  host.append(root);
  let buttons = new Map<string, HTMLButtonElement>();

  const state = (): PanelState => model.get("panel") ?? {};
  let shownThreshold: number | undefined;
  let drawnCharts = "";
  const send = (action: string) => {
    const press: Record<string, unknown> = { type: "panel", action, item: state().item ?? 0 };
    const typed = Number(threshold.value);
    if (action === "auto" && threshold.value !== "" && Number.isFinite(typed)) press.value = typed;
    model.send(press);
  };

  const sync = () => {
    const s = state();
    root.hidden = Object.keys(s).length === 0;
    if (root.hidden) return;
    progress.hidden = progressText.hidden = s.progress === undefined;
    if (s.progress) {
      progress.max = Math.max(1, s.progress.total);
      progress.value = Math.min(s.progress.done, progress.max);
      progressText.textContent = `${s.progress.done} / ${s.progress.total}`;
    }
    buttons = new Map();
    bar.replaceChildren();
    for (const b of s.buttons ?? []) {
      const button = el("button", { text: b.text, title: b.title, className: `nba-panel-${b.action}`, attrs: { type: "button" } });
      button.disabled = b.disabled;
      if (b.pressed !== undefined && (b.action === "spot_check" || b.action.startsWith("toggle:"))) button.setAttribute("aria-pressed", String(b.pressed));
      button.addEventListener("click", () => send(b.action));
      buttons.set(b.action, button);
      bar.append(button);
    }
    counts.replaceChildren();
    for (const [name, value] of Object.entries(s.counts ?? {})) {
      counts.append(el("span", { className: "nba-panel-count", attrs: { "data-count": name } },
        [el("b", { text: String(value) }), ` ${name}`]));
    }
    counts.hidden = counts.childElementCount === 0;
    message.textContent = s.message ?? "";
    message.hidden = !s.message;
    message.classList.toggle("nba-panel-error", s.error === true);
    lines.replaceChildren(...(s.lines ?? []).map((line) => el("div", { text: line })));
    lines.hidden = lines.childElementCount === 0;
    thresholdLabel.hidden = s.threshold === undefined;
    if (s.threshold !== undefined && s.threshold !== shownThreshold) {
      shownThreshold = s.threshold; // a value typed meanwhile stays until the kernel sends another
      threshold.value = String(s.threshold);
    }
    charts.hidden = s.charts === undefined;
    // Counts and messages change after every answer, the charts only after a refit: they are
    // drawn again only when their numbers changed.
    const chartKey = s.charts === undefined ? "" : JSON.stringify(s.charts);
    if (s.charts && chartKey !== drawnCharts) {
      drawnCharts = chartKey;
      drawCurve(curve, s.charts.curve);
      drawHistogram(histogram, s.charts.confidence);
      drawBalance(balance, s.charts.balance);
      annotators.hidden = s.charts.annotators === undefined; // team mode only
      if (s.charts.annotators) drawAnnotators(annotators, s.charts.annotators);
    }
  };

  const onKey = (event: KeyboardEvent) => {
    if (root.hidden || buttons.size === 0) return;
    const target = event.target as Node | null;
    const path = event.composedPath();
    const inside = (target !== null && host.contains(target)) || path.includes(host);
    if (!inside && !host.matches(":hover")) return;
    if (!inside && isEditable(event.target)) return; // typing somewhere else
    const action = sessionAction(event, inside && isEditable(path[0] ?? event.target));
    if (action === null) return;
    const button = buttons.get(action);
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    event.stopImmediatePropagation();
    if (!button.disabled) send(action);
  };
  // Capture on window: before the host's own handling of Ctrl+Enter (run cell).
  window.addEventListener("keydown", onKey, true);
  // `item_shown` false: the widget's own view is hidden, the panel stays (a finished session).
  const showItem = () => {
    const shown = model.get("item_shown") !== false;
    for (const child of Array.from(host.children)) {
      if (child !== root) child.classList.toggle("nba-item-hidden", !shown);
    }
  };
  model.on("change:panel", sync);
  model.on("change:item_shown", showItem);
  sync();
  showItem();
  return () => {
    window.removeEventListener("keydown", onKey, true);
    model.off("change:panel", sync);
    model.off("change:item_shown", showItem);
    root.remove();
  };
}

/**
 * Wrap a widget's `render` so that the session panel is mounted under it (shown only while
 * the widget's `panel` state is not empty). Used by every widget entry.
 */
export function withPanel<T extends object>(
  render: (props: RenderProps<T>) => (() => void) | void,
): (props: RenderProps<T>) => () => void {
  return (props) => {
    const dispose = render(props);
    const removePanel = mountPanel(props.el, props.model as unknown as AnyModel<PanelModel>);
    return () => {
      removePanel();
      if (typeof dispose === "function") dispose();
    };
  };
}
