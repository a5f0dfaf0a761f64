/**
 * From a DOM selection to a span: DOM points -> UTF-16 document offsets (from the `data-o`
 * offsets of rendered segments, so label chips and other decorations never count) -> snapped
 * to tokens or kept exact -> code points through `OffsetMap`.
 */
import type { OffsetMap } from "../lib/offsets";
import { caretAt, selectedEnds } from "../lib/shadow";
import { PY_WHITESPACE, type Snapper } from "./tokens";

/** A span-to-be: code points for the record, UTF-16 for the DOM. */
export interface Picked {
  start: number;
  end: number;
  s16: number;
  e16: number;
  text: string;
}

const ONLY_SPACE = new RegExp(`^[${PY_WHITESPACE}]*$`, "u");

function numberAttr(el: Element, name: string): number | null {
  const value = el.getAttribute(name);
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The document offset where the rendered node `node` begins (null when it is not ours). */
function offsetBefore(node: Node): number | null {
  if (!(node instanceof Element)) return node.parentElement ? offsetBefore(node.parentElement) : null;
  return numberAttr(node, "data-o") ?? numberAttr(node, "data-at") ?? numberAttr(node, "data-start");
}

/**
 * UTF-16 document offset of the DOM point (`node`, `offset`), as a Selection or Range gives it;
 * null when the point is not inside rendered text of the widget.
 */
export function pointToOffset(node: Node, offset: number): number | null {
  if (node.nodeType === Node.TEXT_NODE) {
    const parent = node.parentElement;
    if (!parent) return null;
    const segment = parent.closest(".nba-seg");
    if (segment) {
      const base = numberAttr(segment, "data-o");
      return base === null ? null : base + offset;
    }
    const chip = parent.closest(".nba-chip");
    return chip ? numberAttr(chip, "data-at") : null;
  }
  if (!(node instanceof Element)) return null;
  const segment = node.closest(".nba-seg");
  if (segment) {
    const base = numberAttr(segment, "data-o");
    if (base === null) return null;
    return offset > 0 ? base + (segment.textContent ?? "").length : base;
  }
  const chip = node.closest(".nba-chip");
  if (chip) return numberAttr(chip, "data-at");
  if (node.classList.contains("nba-text-block") || node.classList.contains("nba-text-inner")) {
    const child = node.childNodes[offset];
    if (child) return offsetBefore(child);
    const last = node.lastElementChild;
    if (node.classList.contains("nba-text-block")) return numberAttr(node, "data-end");
    return last ? numberAttr(last, "data-end") : null;
  }
  return null;
}

/**
 * Both ends of the selection as UTF-16 offsets (ordered), or null when not in our text.
 * `root` is the widget's root node (a document, or the shadow root a host renders it in).
 */
export function selectionOffsets(selection: Selection | null, root: Node = document): [number, number] | null {
  const range = selectedEnds(root, selection);
  if (!range) return null;
  const a = pointToOffset(range.startContainer, range.startOffset);
  const b = pointToOffset(range.endContainer, range.endOffset);
  if (a === null || b === null) return null;
  return a <= b ? [a, b] : [b, a];
}

/** The selection's focus (where the pointer was released) as a UTF-16 offset. */
export function focusOffset(selection: Selection | null): number | null {
  if (!selection || !selection.focusNode) return null;
  return pointToOffset(selection.focusNode, selection.focusOffset);
}

/** The UTF-16 offset of the text position nearest to viewport point (`x`, `y`) in `root`, or null. */
export function offsetAtPoint(x: number, y: number, root: Node = document): number | null {
  const caret = caretAt(root, x, y);
  return caret ? pointToOffset(caret.node, caret.offset) : null;
}

/**
 * The span for UTF-16 range `[a, b)` of `text`: widened to whole tokens when `tokens` is given,
 * else the exact characters (never cutting a surrogate pair). Null for an empty range or one
 * holding only whitespace.
 */
export function rangeToSpan(text: string, map: OffsetMap, tokens: Snapper | null, a: number, b: number): Picked | null {
  let lo = Math.max(0, Math.min(a, b));
  let hi = Math.min(text.length, Math.max(a, b));
  if (hi <= lo) return null;
  let start: number;
  let end: number;
  if (tokens) {
    const snapped = tokens.snap(lo, hi);
    if (!snapped) return null;
    [lo, hi] = snapped;
    start = map.toCodePoint(lo);
    end = map.toCodePoint(hi);
  } else {
    start = map.toCodePoint(lo, "down");
    end = map.toCodePoint(hi, "up");
    lo = map.toUtf16(start);
    hi = map.toUtf16(end);
  }
  const picked = text.slice(lo, hi);
  if (end <= start || ONLY_SPACE.test(picked)) return null;
  return { start, end, s16: lo, e16: hi, text: picked };
}

/** `[s16, e16)` grown to reach UTF-16 `point` (shift+click), then snapped like a selection. */
export function extendRange(text: string, map: OffsetMap, tokens: Snapper | null, s16: number, e16: number, point: number): Picked | null {
  if (point < s16) return rangeToSpan(text, map, tokens, point, e16);
  if (point > e16) return rangeToSpan(text, map, tokens, s16, point);
  return null;
}
