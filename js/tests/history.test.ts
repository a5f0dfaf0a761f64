import { describe, expect, it } from "vitest";
import { UndoHistory, inverse } from "../lib/history";
import type { Box, Change } from "../types";

const box = (id: string, x: number): Box => ({ id, x, y: 0, w: 1, h: 1, label: "a", source: "human" });

describe("inverse changes", () => {
  it("undoes an add with a remove, a remove with an add, an update with the old record", () => {
    expect(inverse({ field: "boxes", op: "add", record: box("1", 0) })).toEqual({
      field: "boxes", op: "remove", record: { id: "1" },
    });
    expect(inverse({ field: "boxes", op: "remove", record: { id: "1" } as Box }, box("1", 3)).record).toEqual(box("1", 3));
    expect(inverse({ field: "boxes", op: "update", record: box("1", 5) }, box("1", 3))).toEqual({
      field: "boxes", op: "update", record: box("1", 3),
    });
    expect(() => inverse({ field: "boxes", op: "update", record: box("1", 5) })).toThrow();
  });
});

describe("UndoHistory", () => {
  const edit = (n: number): { forward: Change[]; backward: Change[] } => ({
    forward: [{ field: "boxes", op: "update", record: box("1", n) }],
    backward: [{ field: "boxes", op: "update", record: box("1", n - 1) }],
  });

  it("undoes and redoes in order, and a new edit clears redo", () => {
    const h = new UndoHistory();
    h.push(edit(1));
    h.push(edit(2));
    expect(h.undo()?.[0]?.record).toEqual(box("1", 1));
    expect(h.undo()?.[0]?.record).toEqual(box("1", 0));
    expect(h.undo()).toBeNull();
    expect(h.redo()?.[0]?.record).toEqual(box("1", 1));
    h.push(edit(7));
    expect(h.canRedo).toBe(false);
    expect(h.undo()?.[0]?.record).toEqual(box("1", 6));
  });

  it("replays a multi-change edit's inverse in reverse order", () => {
    const h = new UndoHistory();
    h.push({
      forward: [{ field: "boxes", op: "add", record: box("a", 0) }, { field: "boxes", op: "add", record: box("b", 0) }],
      backward: [{ field: "boxes", op: "remove", record: { id: "a" } as Box }, { field: "boxes", op: "remove", record: { id: "b" } as Box }],
    });
    expect(h.undo()?.map((c) => c.record.id)).toEqual(["b", "a"]);
  });

  it("keeps at most `limit` edits", () => {
    const h = new UndoHistory(2);
    for (let i = 1; i <= 5; i++) h.push(edit(i));
    expect(h.undo()).not.toBeNull();
    expect(h.undo()).not.toBeNull();
    expect(h.undo()).toBeNull();
  });
});
