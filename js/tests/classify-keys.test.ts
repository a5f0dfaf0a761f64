import { describe, expect, it } from "vitest";
import { labelerAction } from "../classify/keys";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat: boolean }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, repeat: false, ...mods,
});

describe("class labeler keys", () => {
  const keys = ["1", "2", "3"];
  it("chooses a label by its key, and maps Enter, S and Backspace", () => {
    expect(labelerAction(key("2"), keys)).toEqual({ action: "choose", index: 1 });
    expect(labelerAction(key("Enter"), keys)).toEqual({ action: "submit" });
    expect(labelerAction(key("s"), keys)).toEqual({ action: "skip" });
    expect(labelerAction(key("S"), keys)).toEqual({ action: "skip" });
    expect(labelerAction(key("Backspace"), keys)).toEqual({ action: "undo" });
  });
  it("uses digit labels' own keys, and the tenth label's 0", () => {
    const digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    expect(labelerAction(key("7"), digits)).toEqual({ action: "choose", index: 7 });
    expect(labelerAction(key("0"), digits)).toEqual({ action: "choose", index: 0 });
    const ten = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", null];
    expect(labelerAction(key("0"), ten)).toEqual({ action: "choose", index: 9 });
  });
  it("ignores repeats, modifier keys, unknown keys and labels without a key", () => {
    expect(labelerAction(key("1", { repeat: true }), keys)).toBeNull();
    expect(labelerAction(key("1", { ctrlKey: true }), keys)).toBeNull();
    expect(labelerAction(key("Enter", { ctrlKey: true }), keys)).toBeNull(); // the session's Done
    expect(labelerAction(key("1", { metaKey: true }), keys)).toBeNull();
    expect(labelerAction(key("1", { altKey: true }), keys)).toBeNull();
    expect(labelerAction(key("x"), keys)).toBeNull();
    expect(labelerAction(key("9"), keys)).toBeNull();
    expect(labelerAction(key("4"), ["1", "2", "3", null])).toBeNull();
  });
});
