/**
 * Edits of the region and suggestion lists, each one `commit` of changes (so one undo step
 * and one message to the kernel). Items are addressed by key: `r:<id>` for regions,
 * `s:<id>` for suggestions. Times are snapped to the sample before they are committed.
 */
import type { Editor, RecordList } from "../lib/sync";
import { newId } from "../lib/sync";
import type { Change, Region } from "../types";
import type { Interval } from "./regions";
import { snapToSample } from "./timeline";

export type Field = "regions" | "suggestions";

export function keyOf(field: Field, id: string): string {
  return `${field === "regions" ? "r" : "s"}:${id}`;
}

export class RegionEdits {
  readonly regions: RecordList<Region>;
  readonly suggestions: RecordList<Region>;

  constructor(
    private readonly editor: Editor, private readonly sampleRate: () => number, private readonly duration: () => number,
  ) {
    this.regions = editor.list<Region>("regions");
    this.suggestions = editor.list<Region>("suggestions");
  }

  find(key: string | null): { field: Field; record: Region } | null {
    if (!key) return null;
    const field: Field = key.startsWith("r:") ? "regions" : "suggestions";
    const record = (field === "regions" ? this.regions : this.suggestions).get(key.slice(2));
    return record ? { field, record } : null;
  }

  private snap(iv: Interval): Interval {
    return { start: snapToSample(iv.start, this.sampleRate(), this.duration()), end: snapToSample(iv.end, this.sampleRate(), this.duration()) };
  }

  /** Add a region; returns its key (null when it would be empty once snapped). */
  create(iv: Interval, label: string): string | null {
    const { start, end } = this.snap(iv);
    if (end <= start) return null;
    const record: Region = { id: newId(), start, end, label, source: "human" };
    this.editor.commit([{ field: "regions", op: "add", record }]);
    return keyOf("regions", record.id);
  }

  /** Move or resize a region. */
  retime(key: string, iv: Interval): void {
    const found = this.find(key);
    const { start, end } = this.snap(iv);
    if (!found || found.field !== "regions" || end <= start) return;
    if (start === found.record.start && end === found.record.end) return;
    this.editor.commit([{ field: "regions", op: "update", record: { ...found.record, start, end, source: "human" } }]);
  }

  /** Give an item another label (a region edited by a person becomes `human`). */
  relabel(key: string, label: string): boolean {
    const found = this.find(key);
    if (!found || found.record.label === label) return false;
    const record = { ...found.record, label, ...(found.field === "regions" ? { source: "human" as const } : {}) };
    this.editor.commit([{ field: found.field, op: "update", record }]);
    return true;
  }

  /** Set the transcription of a region (a person's edit: it becomes `human`). */
  setText(key: string, text: string): boolean {
    const found = this.find(key);
    if (!found || found.field !== "regions" || (found.record.text ?? "") === text) return false;
    this.editor.commit([{ field: "regions", op: "update", record: { ...found.record, text, source: "human" } }]);
    return true;
  }

  /** Delete a region, or reject a suggestion. */
  remove(key: string): boolean {
    const found = this.find(key);
    if (!found) return false;
    this.editor.commit([{ field: found.field, op: "remove", record: found.record } as Change]);
    return true;
  }

  /**
   * Move suggestions to the regions as checked by a person (`source: "human"`, no score),
   * in one step. Returns the key of the new region when there was exactly one.
   */
  accept(list: readonly Region[]): string | null {
    if (list.length === 0) return null;
    const changes: Change[] = [];
    const taken = new Set(this.regions.items.map((r) => r.id));
    for (const s of list) {
      const { score: _score, ...rest } = s;
      const id = taken.has(s.id) ? newId() : s.id;
      taken.add(id);
      changes.push({ field: "suggestions", op: "remove", record: s });
      changes.push({ field: "regions", op: "add", record: { ...rest, id, source: "human" } });
    }
    this.editor.commit(changes);
    const last = changes[changes.length - 1];
    return list.length === 1 && last ? keyOf("regions", last.record.id) : null;
  }
}
