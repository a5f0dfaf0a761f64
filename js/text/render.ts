/**
 * One block of the document as DOM: text segments (text nodes only, with their UTF-16 offset in
 * `data-o`) underlined once per covering span at the span's level, solid for spans and dashed
 * for suggestions, and a label chip where each span starts. Chips are not selectable, so a
 * selection's offsets come from the text alone.
 */
import { labelColor, withAlpha } from "../lib/colors";
import { el } from "../lib/dom";
import type { Block } from "./layout";
import { type Shown, formatScore, segmentBlock } from "./spans";

/** Vertical room per stacking level, in pixels. */
export const LEVEL_PX = 4;
const LINE_PX = 2;

export interface BlockStyle {
  labels: readonly string[];
  selected: Shown | undefined;
}

function underline(item: Shown, color: string): string {
  return item.kind === "suggestion"
    ? `repeating-linear-gradient(90deg, ${color} 0 5px, transparent 5px 8px)`
    : `linear-gradient(${color}, ${color})`;
}

function chip(item: Shown, style: BlockStyle, color: string): HTMLElement {
  const isSelected = style.selected === item;
  const suggestion = item.kind === "suggestion";
  const score = formatScore(item.score);
  const text = item.record.text ?? "";
  const title = suggestion
    ? `Suggestion ${item.label}${score ? ` (score ${score})` : ""}: ${text}\nEnter accepts, Delete rejects`
    : `${item.label}: ${text}${item.record.source !== "human" ? ` (${item.record.source})` : ""}`;
  const node = el("span", {
    className: `nba-chip nba-chip-${item.kind}`,
    title,
    attrs: { "data-id": item.id, "data-kind": item.kind, "data-at": String(item.s16), contenteditable: "false" },
  }, [el("span", { className: "nba-chip-label", text: item.label })]);
  if (suggestion && score) node.append(el("span", { className: "nba-chip-score", text: score }));
  if (suggestion && isSelected) {
    node.append(
      el("button", { className: "nba-accept", text: "✓", title: "Accept (Enter)", attrs: { "data-action": "accept", type: "button" } }),
      el("button", { className: "nba-reject", text: "✗", title: "Reject (Delete)", attrs: { "data-action": "reject", type: "button" } }),
    );
  }
  node.style.setProperty("--nba-color", color);
  node.setAttribute("aria-pressed", String(isSelected));
  return node;
}

/** Items in `items` that start inside the block, by level (their chips go before their text). */
function startingIn(block: Block, items: readonly Shown[]): Map<number, Shown[]> {
  const at = new Map<number, Shown[]>();
  for (const item of items) {
    if (item.s16 >= block.start && item.s16 < block.end) {
      const list = at.get(item.s16) ?? [];
      list.push(item);
      at.set(item.s16, list);
    }
  }
  for (const list of at.values()) list.sort((a, b) => a.level - b.level);
  return at;
}

/** Draw block `index` of `text` with the `items` that overlap it. */
export function renderBlock(index: number, block: Block, text: string, items: readonly Shown[], style: BlockStyle): HTMLElement {
  const node = el("div", {
    className: "nba-text-block" + (block.continued ? " nba-continued" : ""),
    attrs: { "data-index": String(index), "data-start": String(block.start), "data-end": String(block.end), dir: "auto" },
  });
  let levels = 0;
  for (const item of items) levels = Math.max(levels, item.level + 1);
  node.style.setProperty("--nba-levels", String(levels));
  const colors = new Map<string, string>();
  const colorOf = (label: string): string => {
    let color = colors.get(label);
    if (color === undefined) {
      color = labelColor(label, style.labels);
      colors.set(label, color);
    }
    return color;
  };
  const selected = style.selected;
  const chips = startingIn(block, items);
  for (const segment of segmentBlock(block.start, block.end, items)) {
    for (const item of chips.get(segment.start) ?? []) node.append(chip(item, style, colorOf(item.label)));
    const seg = document.createElement("span");
    seg.setAttribute("data-o", String(segment.start));
    seg.append(document.createTextNode(text.slice(segment.start, segment.end)));
    if (segment.covering.length === 0) {
      seg.className = "nba-seg";
    } else {
      const layers: string[] = [];
      const sizes: string[] = [];
      const positions: string[] = [];
      let deepest = 0;
      for (const item of segment.covering) {
        layers.push(underline(item, colorOf(item.label)));
        sizes.push(`100% ${LINE_PX}px`);
        positions.push(`left 0 bottom ${item.level * LEVEL_PX}px`);
        deepest = Math.max(deepest, item.level + 1);
      }
      const isSelected = selected !== undefined && segment.covering.includes(selected);
      if (isSelected) {
        const fill = withAlpha(colorOf(selected.label), 0.22);
        layers.push(`linear-gradient(${fill}, ${fill})`);
        sizes.push("100% 100%");
        positions.push("0 0");
      }
      seg.className = isSelected ? "nba-seg nba-marked nba-selected" : "nba-seg nba-marked";
      // One declaration per segment, parsed once.
      seg.style.cssText = `background-image:${layers.join(",")};background-size:${sizes.join(",")};`
        + `background-position:${positions.join(",")};padding-bottom:${deepest * LEVEL_PX}px`;
    }
    node.append(seg);
  }
  return node;
}
