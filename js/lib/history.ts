/**
 * Undo/redo history of record changes. Each entry holds the changes that did an edit and the
 * changes that undo it; undoing replays the inverse changes, redoing replays the forward ones.
 */
import type { Change, AnyRecord } from "../types";

/** An edit outside the record lists (a brush stroke): it undoes and redoes itself. */
export interface CustomStep {
  undo(): void;
  redo(): void;
}

export interface HistoryEntry {
  forward: Change[];
  backward: Change[];
  /** Set for an edit outside the record lists (then forward and backward are empty). */
  step?: CustomStep;
}

/** The change that undoes `change`, given the record as it was before (`previous`). */
export function inverse(change: Change, previous?: AnyRecord): Change {
  switch (change.op) {
    case "add":
      return { field: change.field, op: "remove", record: { id: change.record.id } as AnyRecord };
    case "remove":
      if (!previous) throw new Error("inverse of a removal needs the removed record");
      return { field: change.field, op: "add", record: previous };
    case "update":
      if (!previous) throw new Error("inverse of an update needs the previous record");
      return { field: change.field, op: "update", record: previous };
  }
}

export class UndoHistory {
  private done: HistoryEntry[] = [];
  private undone: HistoryEntry[] = [];

  constructor(private readonly limit = 500) {}

  /** Record an edit; a new edit clears the redo stack. */
  push(entry: HistoryEntry): void {
    if (entry.forward.length === 0 && !entry.step) return;
    this.done.push(entry);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The changes that undo the last edit (in order), or null when there is nothing to undo. */
  undo(): Change[] | null {
    const entry = this.undoEntry();
    return entry ? [...entry.backward].reverse() : null;
  }

  /** The changes that redo the last undone edit, or null. */
  redo(): Change[] | null {
    return this.redoEntry()?.forward ?? null;
  }

  /** The last edit, moved to the redo stack (null: nothing to undo). */
  undoEntry(): HistoryEntry | null {
    const entry = this.done.pop();
    if (!entry) return null;
    this.undone.push(entry);
    return entry;
  }

  /** The last undone edit, moved back to the undo stack (null: nothing to redo). */
  redoEntry(): HistoryEntry | null {
    const entry = this.undone.pop();
    if (!entry) return null;
    this.done.push(entry);
    return entry;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
