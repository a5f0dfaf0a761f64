/**
 * Spans as shown: records checked against the document, converted to UTF-16 offsets, stacked
 * in levels so that overlapping and nested spans are all visible, and cut into segments for
 * rendering a block. Pure logic, no DOM.
 */
import type { OffsetMap } from "../lib/offsets";
import type { Span } from "../types";

export type Kind = "span" | "suggestion";

/** A span or suggestion ready to draw: code points from the record, UTF-16 for the DOM. */
export interface Shown {
  id: string;
  kind: Kind;
  label: string;
  /** Code points (the record's offsets). */
  start: number;
  end: number;
  /** UTF-16 offsets in the document. */
  s16: number;
  e16: number;
  score?: number;
  /** Stacking level: 0 is closest to the text. */
  level: number;
  record: Span;
}

function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/**
 * Check records of `kind` against the document and convert them; records that cannot be shown
 * are left out and described in `problems` (shown inline by the widget).
 */
export function checkRecords(
  records: readonly unknown[], kind: Kind, text: string, map: OffsetMap, labels: readonly string[],
): { shown: Shown[]; problems: string[] } {
  const shown: Shown[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const field = kind === "span" ? "spans" : "suggestions";
  const known = new Set(labels);
  (records ?? []).forEach((raw, index) => {
    const r = raw as Partial<Span> | null;
    const where = () => `${field}[${index}]` + (r && typeof r.id === "string" ? ` (id ${r.id})` : "");
    if (!r || typeof r !== "object") return problems.push(`${where()} is not a record`);
    if (typeof r.id !== "string" || !r.id) return problems.push(`${where()} has no id`);
    if (seen.has(r.id)) return problems.push(`${where()} repeats the id ${r.id}`);
    if (!isInt(r.start) || !isInt(r.end)) return problems.push(`${where()}: start and end must be integers`);
    if (r.start < 0 || r.end <= r.start) {
      return problems.push(`${where()}: [${r.start}, ${r.end}) is not a range (0 <= start < end)`);
    }
    if (r.end > map.codePointLength) {
      return problems.push(`${where()}: [${r.start}, ${r.end}) ends beyond the text (${map.codePointLength} characters)`);
    }
    if (typeof r.label !== "string") return problems.push(`${where()} has no label`);
    const s16 = map.toUtf16(r.start);
    const e16 = map.toUtf16(r.end);
    if (typeof r.text === "string" && r.text !== text.slice(s16, e16)) {
      return problems.push(`${where()}: its text ${JSON.stringify(r.text)} differs from the document's ${JSON.stringify(text.slice(s16, e16))}`);
    }
    if (known.size > 0 && !known.has(r.label)) {
      problems.push(`${where()}: unknown label ${JSON.stringify(r.label)} (shown anyway)`);
    }
    seen.add(r.id);
    const item: Shown = { id: r.id, kind, label: r.label, start: r.start, end: r.end, s16, e16, level: 0, record: r as Span };
    if (typeof r.score === "number") item.score = r.score;
    shown.push(item);
    return undefined;
  });
  return { shown, problems };
}

/** Document order: by start, longer first, then spans before suggestions, then id. */
export function compareShown(a: Shown, b: Shown): number {
  return a.s16 - b.s16 || b.e16 - a.e16 || (a.kind === b.kind ? 0 : a.kind === "span" ? -1 : 1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Give every item the lowest level free at its start (greedy interval colouring in document
 * order): items that overlap never share a level, and an outer span sits below what it holds.
 */
export function assignLevels(items: Shown[]): number {
  const sorted = [...items].sort(compareShown);
  const levelEnds: number[] = [];
  for (const item of sorted) {
    let level = levelEnds.findIndex((end) => end <= item.s16);
    if (level < 0) level = levelEnds.length;
    levelEnds[level] = item.e16;
    item.level = level;
  }
  return levelEnds.length;
}

/** The lowest level that no item of `others` overlapping `item` uses (other items keep theirs). */
export function freeLevel(item: Pick<Shown, "id" | "s16" | "e16">, others: Iterable<Shown>): number {
  const used = new Set<number>();
  for (const other of others) {
    if (other.id !== item.id && other.s16 < item.e16 && other.e16 > item.s16) used.add(other.level);
  }
  let level = 0;
  while (used.has(level)) level++;
  return level;
}

/** Items that overlap UTF-16 `[start, end)`. */
export function overlapping(items: Iterable<Shown>, start: number, end: number): Shown[] {
  const out: Shown[] = [];
  for (const item of items) if (item.s16 < end && item.e16 > start) out.push(item);
  return out;
}

/**
 * Items under the character at UTF-16 `offset`, innermost (shortest) first: repeated clicks
 * cycle through them.
 */
export function coveringAt(items: Iterable<Shown>, offset: number): Shown[] {
  const out: Shown[] = [];
  for (const item of items) if (item.s16 <= offset && item.e16 > offset) out.push(item);
  return out.sort((a, b) => a.e16 - a.s16 - (b.e16 - b.s16) || b.level - a.level);
}

/** A piece of a block between span boundaries, with the items that cover all of it. */
export interface Segment {
  start: number;
  end: number;
  covering: Shown[];
}

/** Cut block `[start, end)` at every boundary of `items` (which overlap the block). */
export function segmentBlock(start: number, end: number, items: readonly Shown[]): Segment[] {
  const cuts = new Set<number>([start, end]);
  for (const item of items) {
    if (item.s16 > start && item.s16 < end) cuts.add(item.s16);
    if (item.e16 > start && item.e16 < end) cuts.add(item.e16);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const s = sorted[i] as number;
    const e = sorted[i + 1] as number;
    segments.push({ start: s, end: e, covering: items.filter((it) => it.s16 <= s && it.e16 >= e) });
  }
  if (segments.length === 0) segments.push({ start, end, covering: [] });
  return segments;
}

/** The item after (`step` 1) or before (`step` -1) `current` in document order, wrapping around. */
export function cycle(items: Iterable<Shown>, current: Pick<Shown, "id" | "kind"> | undefined, step: 1 | -1): Shown | undefined {
  const sorted = [...items].sort(compareShown);
  if (sorted.length === 0) return undefined;
  const at = current ? sorted.findIndex((it) => it.id === current.id && it.kind === current.kind) : -1;
  if (at < 0) return step === 1 ? sorted[0] : sorted[sorted.length - 1];
  return sorted[(at + step + sorted.length) % sorted.length];
}

/** A score as shown next to a suggestion's label. */
export function formatScore(score: number | undefined): string {
  return score === undefined ? "" : score.toFixed(2);
}
