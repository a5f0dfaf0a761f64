import { describe, expect, it } from "vitest";
import { type AudioKeyActions, audioKeyHandler } from "../audio/keys";

type Mods = Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }>;
const key = (k: string, mods: Mods = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }) as KeyboardEvent;

function recorder(options: { suggestion?: boolean; editable?: boolean } = {}) {
  const calls: string[] = [];
  const log = (name: string) => (...args: unknown[]) => {
    calls.push(args.length ? `${name}(${args.join(",")})` : name);
  };
  const actions: AudioKeyActions = {
    undo: log("undo"), redo: log("redo"), chooseLabel: log("label"), togglePlay: log("play"),
    removeSelected: log("remove"), toggleLoop: log("loop"), cancel: log("cancel"), zoom: log("zoom"),
    fit: log("fit"), scroll: log("scroll"),
    acceptSelected: () => (calls.push("accept?"), options.suggestion === true),
    editText: () => (calls.push("edit?"), options.editable === true),
  };
  return { calls, handle: audioKeyHandler(actions) };
}

describe("audio keys", () => {
  it("maps the documented keys to their actions", () => {
    const { calls, handle } = recorder();
    for (const [k, mods] of [
      ["z", { ctrlKey: true }], ["Z", { ctrlKey: true, shiftKey: true }], ["y", { metaKey: true }],
      ["3", {}], [" ", {}], ["Delete", {}], ["Backspace", {}], ["L", {}], ["Escape", {}],
      ["+", {}], ["=", {}], ["-", {}], ["0", {}], ["ArrowLeft", {}], ["ArrowRight", {}],
    ] as [string, Mods][]) {
      expect(handle(key(k, mods))).toBe(true);
    }
    expect(calls).toEqual([
      "undo", "redo", "redo", "label(2)", "play", "remove", "remove", "loop", "cancel",
      "zoom(2)", "zoom(2)", "zoom(0.5)", "fit", "scroll(-0.2)", "scroll(0.2)",
    ]);
  });

  it("Enter accepts a selected suggestion, else opens the text field when it can", () => {
    const accepting = recorder({ suggestion: true });
    expect(accepting.handle(key("Enter"))).toBe(true);
    expect(accepting.calls).toEqual(["accept?"]);
    const editing = recorder({ editable: true });
    expect(editing.handle(key("Enter"))).toBe(true);
    expect(editing.calls).toEqual(["accept?", "edit?"]);
    const neither = recorder();
    expect(neither.handle(key("Enter"))).toBe(false); // not used by the widget
    expect(neither.handle(key("F2"))).toBe(false);
  });

  it("leaves modified and unknown keys alone", () => {
    const { calls, handle } = recorder();
    for (const event of [key("1", { ctrlKey: true }), key(" ", { altKey: true }), key("q"), key("Tab")]) {
      expect(handle(event)).toBe(false);
    }
    expect(calls).toEqual([]);
  });
});
