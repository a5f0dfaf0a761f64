/**
 * What the text view shows, kept apart from the DOM: the document (text, offset map, blocks,
 * tokens), the spans and suggestions as `Shown` items with their levels, and the problems of
 * records that cannot be shown. An edit returns the UTF-16 ranges whose blocks must be redrawn.
 */
import { OffsetMap } from "../lib/offsets";
import type { Change, Span } from "../types";
import { type Block, splitBlocks } from "./layout";
import { type Kind, type Shown, assignLevels, checkRecords, freeLevel } from "./spans";
import { LocalTokenSnapper, type Snapper, TokenListSnapper, tokensFromBuffer } from "./tokens";

export type SnapMode = "token" | "custom" | "none";

/** The key of an item: a span and a suggestion may share an id (an accepted suggestion). */
export function itemKey(kind: Kind, id: string): string {
  return `${kind}:${id}`;
}

function kindOf(field: string): Kind | null {
  return field === "spans" ? "span" : field === "suggestions" ? "suggestion" : null;
}

export class TextState {
  text = "";
  map = new OffsetMap("");
  blocks: Block[] = splitBlocks("");
  /** Snaps selections to tokens; null when selections keep their exact characters. */
  tokens: Snapper | null = null;
  readonly items = new Map<string, Shown>();
  problems: string[] = [];

  constructor(private readonly maxBlockLength = 2000) {}

  /** Load a document: the default tokenizer runs near each selection; a custom one's tokens arrive as `buffer`. */
  setDocument(text: string, snap: SnapMode, buffer: DataView | null | undefined): void {
    this.text = text ?? "";
    this.map = new OffsetMap(this.text);
    this.blocks = splitBlocks(this.text, this.maxBlockLength);
    this.tokens = snap === "token" ? new LocalTokenSnapper(this.text)
      : snap === "custom" ? new TokenListSnapper(tokensFromBuffer(buffer)) : null;
    this.items.clear();
  }

  /** Replace every item (a load from Python); returns how many levels are used. */
  load(spans: readonly unknown[], suggestions: readonly unknown[], labels: readonly string[]): number {
    this.items.clear();
    const a = checkRecords(spans, "span", this.text, this.map, labels);
    const b = checkRecords(suggestions, "suggestion", this.text, this.map, labels);
    this.problems = [...a.problems, ...b.problems];
    const all = [...a.shown, ...b.shown];
    const levels = assignLevels(all);
    for (const item of all) this.items.set(itemKey(item.kind, item.id), item);
    return levels;
  }

  get(key: string | null): Shown | undefined {
    return key === null ? undefined : this.items.get(key);
  }

  private toShown(record: Span, kind: Kind): Shown {
    const item: Shown = {
      id: record.id, kind, label: record.label, start: record.start, end: record.end,
      s16: this.map.toUtf16(record.start), e16: this.map.toUtf16(record.end), level: 0, record,
    };
    if (typeof record.score === "number") item.score = record.score;
    return item;
  }

  /** Apply edits made in the browser (or their undo); returns the UTF-16 ranges to redraw. */
  apply(changes: readonly Change[]): [number, number][] {
    const dirty: [number, number][] = [];
    for (const change of changes) {
      const kind = kindOf(change.field);
      if (!kind) continue;
      const key = itemKey(kind, change.record.id);
      const before = this.items.get(key);
      if (before) dirty.push([before.s16, before.e16]);
      if (change.op === "remove") {
        this.items.delete(key);
        continue;
      }
      const item = this.toShown(change.record as Span, kind);
      item.level = before && before.s16 === item.s16 && before.e16 === item.e16
        ? before.level
        : freeLevel(item, this.items.values());
      this.items.set(key, item);
      dirty.push([item.s16, item.e16]);
    }
    return dirty;
  }

  /** The items of `kind`, as records. */
  records(kind: Kind): Span[] {
    const out: Span[] = [];
    for (const item of this.items.values()) if (item.kind === kind) out.push(item.record);
    return out;
  }

  /** A span of the same range and label, if there is one (to avoid exact duplicates). */
  findSame(kind: Kind, s16: number, e16: number, label: string): Shown | undefined {
    for (const item of this.items.values()) {
      if (item.kind === kind && item.s16 === s16 && item.e16 === e16 && item.label === label) return item;
    }
    return undefined;
  }
}
