/**
 * Record lists shared by every view of one widget model, edited through change messages.
 *
 * An edit is applied locally at once (the screen never waits for the kernel), recorded in the
 * undo history, and sent to the kernel as one `changes` message holding only the changed
 * records. The kernel applies it without echoing the list back and answers with an ack, or
 * with an error (then the kernel sends its own list and the view reloads it). Setting a list
 * from Python replaces it whole (`change:<field>`), which is for loading, not for edits.
 */
import type { AnyModel } from "@anywidget/types";
import type { AnyRecord, Change, KernelReply } from "../types";
import { type CustomStep, UndoHistory, inverse } from "./history";

export type ListListener = (event: { field: string; reason: "load" | "edit"; changes: Change[] }) => void;
export type StatusListener = (status: { pending: number; error: string | null }) => void;

/** A record list kept in the browser for one synced field. */
export class RecordList<R extends AnyRecord = AnyRecord> {
  private list: R[] = [];
  private index = new Map<string, number>();

  constructor(readonly field: string, initial: readonly R[]) {
    this.load(initial);
  }

  get items(): readonly R[] {
    return this.list;
  }

  get(id: string): R | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.list[i];
  }

  load(records: readonly R[]): void {
    this.list = [...(records ?? [])];
    this.reindex();
  }

  private reindex(): void {
    this.index.clear();
    this.list.forEach((r, i) => this.index.set(r.id, i));
  }

  /** Apply one change; returns the record as it was before (for update/remove). */
  apply(change: Change): R | undefined {
    const record = change.record as R;
    const at = this.index.get(record.id);
    if (change.op === "add") {
      if (at !== undefined) throw new Error(`${this.field}: duplicate id ${record.id}`);
      this.index.set(record.id, this.list.length);
      this.list.push(record);
      return undefined;
    }
    if (at === undefined) throw new Error(`${this.field}: no record with id ${record.id}`);
    const previous = this.list[at] as R;
    if (change.op === "update") {
      this.list[at] = record;
    } else {
      this.list.splice(at, 1);
      // Removal shifts later indices; only entries after `at` need updating.
      this.index.delete(record.id);
      for (let i = at; i < this.list.length; i++) this.index.set((this.list[i] as R).id, i);
    }
    return previous;
  }
}

/** All record lists of one model, their undo history and the channel to the kernel. */
export class Editor {
  readonly lists = new Map<string, RecordList>();
  readonly history = new UndoHistory();
  private seq = 0;
  private readonly inFlight = new Set<number>();
  private error: string | null = null;
  private readonly listListeners = new Set<ListListener>();
  private readonly statusListeners = new Set<StatusListener>();

  constructor(private readonly model: AnyModel, fields: readonly string[]) {
    for (const field of fields) {
      const list = new RecordList(field, (model.get(field) as AnyRecord[]) ?? []);
      this.lists.set(field, list);
      model.on(`change:${field}`, () => {
        list.load((model.get(field) as AnyRecord[]) ?? []);
        this.history.clear();
        this.emit({ field, reason: "load", changes: [] });
      });
    }
    model.on("msg:custom", (msg: KernelReply) => this.onReply(msg));
    model.on("msg:custom", (msg: { type?: string; fields?: unknown }) => this.onReload(msg));
  }

  /**
   * The kernel set lists that the browser had edited; the model's copy may not have fired
   * `change:<field>` (it keeps the last list the kernel sent), so reload them from the model.
   */
  private onReload(msg: { type?: string; fields?: unknown }): void {
    if (!msg || msg.type !== "reload" || !Array.isArray(msg.fields)) return;
    for (const field of msg.fields) {
      const list = typeof field === "string" ? this.lists.get(field) : undefined;
      if (!list) continue;
      list.load((this.model.get(field) as AnyRecord[]) ?? []);
      this.history.clear();
      this.emit({ field, reason: "load", changes: [] });
    }
  }

  list<R extends AnyRecord>(field: string): RecordList<R> {
    const list = this.lists.get(field);
    if (!list) throw new Error(`unknown record field ${field}`);
    return list as unknown as RecordList<R>;
  }

  /** Apply `changes` locally, remember them for undo, and send them to the kernel. */
  commit(changes: Change[], options: { history?: boolean } = {}): void {
    if (changes.length === 0) return;
    const backward: Change[] = [];
    for (const change of changes) {
      const previous = this.list(change.field).apply(change);
      backward.push(inverse(change, previous));
    }
    if (options.history !== false) this.history.push({ forward: changes, backward });
    this.send(changes);
    for (const field of new Set(changes.map((c) => c.field))) {
      this.emit({ field, reason: "edit", changes: changes.filter((c) => c.field === field) });
    }
  }

  undo(): boolean {
    const entry = this.history.undoEntry();
    if (!entry) return false;
    if (entry.step) {
      entry.step.undo();
      return true;
    }
    return this.replay([...entry.backward].reverse());
  }

  redo(): boolean {
    const entry = this.history.redoEntry();
    if (!entry) return false;
    if (entry.step) {
      entry.step.redo();
      return true;
    }
    return this.replay(entry.forward);
  }

  /** Remember an edit made outside the record lists (already done), for undo and redo. */
  record(step: CustomStep): void {
    this.history.push({ forward: [], backward: [], step });
  }

  private replay(changes: Change[] | null): boolean {
    if (!changes) return false;
    for (const change of changes) this.list(change.field).apply(change);
    this.send(changes);
    for (const field of new Set(changes.map((c) => c.field))) {
      this.emit({ field, reason: "edit", changes: changes.filter((c) => c.field === field) });
    }
    return true;
  }

  private send(changes: Change[]): void {
    const seq = ++this.seq;
    this.inFlight.add(seq);
    this.model.send({ type: "changes", seq, changes });
    this.emitStatus();
  }

  private onReply(msg: KernelReply): void {
    if (!msg || (msg.type !== "ack" && msg.type !== "error")) return;
    if (msg.seq !== null) this.inFlight.delete(msg.seq);
    this.error = msg.type === "error" ? msg.message : null;
    if (msg.type === "ack" && msg.save === true) this.saveRevision(msg.revision);
    this.emitStatus();
  }

  /**
   * Save the kernel's count of applied edit batches as state, when the kernel asks (hosts
   * that react to state updates only: marimo re-runs the cells that read the widget); they
   * then see each finished edit. The records themselves crossed already, as changes.
   */
  private saveRevision(revision: number | undefined): void {
    if (typeof revision !== "number" || !Number.isFinite(revision)) return;
    const current = this.model.get("revision");
    if (typeof current === "number" && current >= revision) return;
    this.model.set("revision", revision);
    this.model.save_changes();
  }

  /** Number of edits sent and not yet acknowledged by the kernel. */
  get pending(): number {
    return this.inFlight.size;
  }

  onList(listener: ListListener): () => void {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private emit(event: Parameters<ListListener>[0]): void {
    for (const listener of this.listListeners) listener(event);
  }

  private emitStatus(): void {
    for (const listener of this.statusListeners) listener({ pending: this.pending, error: this.error });
  }
}

const editors = new WeakMap<AnyModel, Editor>();

/** The one Editor of `model` (shared by all its views). */
export function editorFor(model: AnyModel, fields: readonly string[]): Editor {
  let editor = editors.get(model);
  if (!editor) {
    editor = new Editor(model, fields);
    editors.set(model, editor);
  }
  return editor;
}

/** A fresh record id (12 hex characters, like Python's `new_id`). */
export function newId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
