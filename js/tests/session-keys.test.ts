import { describe, expect, it } from "vitest";
import { sessionAction } from "../session/keys";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; repeat: boolean }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, repeat: false, ...mods,
});

describe("session keys", () => {
  it("maps Ctrl/Cmd+Enter, Ctrl+Backspace and Ctrl+Shift+S", () => {
    expect(sessionAction(key("Enter", { ctrlKey: true }))).toBe("done");
    expect(sessionAction(key("Enter", { metaKey: true }))).toBe("done");
    expect(sessionAction(key("Backspace", { ctrlKey: true }))).toBe("back");
    expect(sessionAction(key("S", { ctrlKey: true, shiftKey: true }))).toBe("skip");
  });

  it("leaves the annotators' own keys alone", () => {
    for (const k of ["Enter", "Backspace", "Delete", "1", "s", "S", " ", "Tab", "Escape", "z"]) {
      expect(sessionAction(key(k))).toBeNull();
      expect(sessionAction(key(k, { shiftKey: true }))).toBeNull();
    }
    expect(sessionAction(key("z", { ctrlKey: true }))).toBeNull(); // undo in the annotator
    expect(sessionAction(key("Enter", { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(sessionAction(key("Enter", { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it("ignores auto-repeat, and in a text field acts only on Ctrl+Enter", () => {
    expect(sessionAction(key("Enter", { ctrlKey: true, repeat: true }))).toBeNull();
    expect(sessionAction(key("Enter", { ctrlKey: true }), true)).toBe("done");
    expect(sessionAction(key("Backspace", { ctrlKey: true }), true)).toBeNull();
    expect(sessionAction(key("S", { ctrlKey: true, shiftKey: true }), true)).toBeNull();
  });
});
