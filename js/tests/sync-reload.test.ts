import { describe, expect, it } from "vitest";
import type { AnyModel } from "@anywidget/types";
import { Editor } from "../lib/sync";

/** A model like Backbone's: `set` fires `change:<key>` only when the value really changes. */
function fakeModel(state: Record<string, unknown>) {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const sent: unknown[] = [];
  const saved: Record<string, unknown>[] = [];
  const model = {
    get: (key: string) => state[key],
    set: (key: string, value: unknown) => {
      const changed = JSON.stringify(state[key]) !== JSON.stringify(value);
      state[key] = value;
      if (changed) for (const h of handlers.get(`change:${key}`) ?? []) h();
    },
    on: (name: string, handler: (...args: unknown[]) => void) => {
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
    },
    off: () => {},
    send: (msg: unknown) => sent.push(msg),
    save_changes: () => saved.push({ ...state }),
  };
  const custom = (msg: unknown) => {
    for (const h of handlers.get("msg:custom") ?? []) h(msg);
  };
  return { model: model as unknown as AnyModel, custom, sent, saved };
}

describe("Editor reload", () => {
  it("reloads a list the kernel set to the value the model already had", () => {
    const { model, custom } = fakeModel({ spans: [] });
    const editor = new Editor(model, ["spans"]);
    const reloads: string[] = [];
    editor.onList((event) => event.reason === "load" && reloads.push(event.field));
    editor.commit([{ field: "spans", op: "add", record: { id: "a", label: "PER", source: "human", start: 0, end: 4, text: "Anna" } }]);
    expect(editor.list("spans").items.length).toBe(1);
    // The kernel loads the next item with no spans: the model's copy is [] already, no event.
    (model as unknown as { set: (k: string, v: unknown) => void }).set("spans", []);
    expect(editor.list("spans").items.length).toBe(1);
    custom({ type: "reload", fields: ["spans", "unknown"] });
    expect(editor.list("spans").items).toEqual([]);
    expect(reloads).toEqual(["spans"]);
    expect(editor.undo()).toBe(false); // the loaded list starts a new history
  });

  it("ignores other messages", () => {
    const { model, custom } = fakeModel({ spans: [] });
    const editor = new Editor(model, ["spans"]);
    editor.commit([{ field: "spans", op: "add", record: { id: "a", label: "PER", source: "human", start: 0, end: 4, text: "Anna" } }]);
    custom({ type: "ack", seq: 1 });
    custom({ type: "reload" });
    custom(null);
    expect(editor.list("spans").items.length).toBe(1);
  });
});

describe("Editor revision", () => {
  it("saves the kernel's revision from an ack that asks for it, never going back", () => {
    const { model, custom, saved } = fakeModel({ spans: [], revision: 0 });
    const editor = new Editor(model, ["spans"]);
    editor.commit([{ field: "spans", op: "add", record: { id: "a", label: "PER", source: "human", start: 0, end: 4, text: "Anna" } }]);
    custom({ type: "ack", seq: 1, revision: 1 }); // a Jupyter host: the kernel has the count
    expect(saved).toEqual([]);
    custom({ type: "ack", seq: 1, revision: 1, save: true });
    expect(model.get("revision")).toBe(1);
    expect(saved.map((s) => s.revision)).toEqual([1]);
    custom({ type: "ack", seq: 2, revision: 1, save: true }); // a second view's ack of the same batch
    custom({ type: "ack", seq: 3, save: true }); // no revision
    custom({ type: "error", seq: 4, message: "bad", revision: 9, save: true });
    expect(saved.map((s) => s.revision)).toEqual([1]);
    expect(editor.pending).toBe(0);
  });
});
