import { describe, expect, it } from "vitest";
import type { AnyModel } from "@anywidget/types";
import type { Box } from "../types";
import { UndoHistory } from "../lib/history";
import { Editor } from "../lib/sync";

function model(state: Record<string, unknown>) {
  const sent: unknown[] = [];
  const m = {
    get: (key: string) => state[key],
    set: () => {},
    on: () => {},
    off: () => {},
    send: (msg: unknown) => sent.push(msg),
    save_changes: () => {},
  };
  return { model: m as unknown as AnyModel, sent };
}

const box = (id: string, x: number): Box => ({ id, x, y: 0, w: 1, h: 1, label: "a", source: "human" });

describe("custom undo steps (brush strokes) in the history", () => {
  it("an entry with a step is kept although it has no record changes", () => {
    const h = new UndoHistory();
    h.push({ forward: [], backward: [] });
    expect(h.canUndo).toBe(false);
    h.push({ forward: [], backward: [], step: { undo: () => {}, redo: () => {} } });
    expect(h.canUndo).toBe(true);
    expect(h.undoEntry()?.step).toBeDefined();
    expect(h.canRedo).toBe(true);
  });

  it("interleaves with record edits in one timeline: undo and redo run in order", () => {
    const { model: m, sent } = model({ boxes: [] });
    const editor = new Editor(m, ["boxes"]);
    const log: string[] = [];
    editor.commit([{ field: "boxes", op: "add", record: box("b1", 1) }]);
    editor.record({ undo: () => log.push("undo stroke"), redo: () => log.push("redo stroke") });
    editor.commit([{ field: "boxes", op: "update", record: box("b1", 5) }]);
    expect(editor.undo()).toBe(true); // the box move
    expect(editor.list<Box>("boxes").get("b1")?.x).toBe(1);
    expect(editor.undo()).toBe(true); // the stroke
    expect(log).toEqual(["undo stroke"]);
    expect(editor.list<Box>("boxes").items).toHaveLength(1);
    expect(editor.undo()).toBe(true); // the box
    expect(editor.list<Box>("boxes").items).toHaveLength(0);
    expect(editor.undo()).toBe(false);
    editor.redo();
    editor.redo();
    expect(log).toEqual(["undo stroke", "redo stroke"]);
    // A stroke sends its own message: the editor sent only the record changes.
    expect(sent.every((msg) => (msg as { type: string }).type === "changes")).toBe(true);
    expect(sent).toHaveLength(5);
  });
});
