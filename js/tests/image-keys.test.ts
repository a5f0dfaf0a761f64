import { describe, expect, it } from "vitest";
import { actionFor } from "../image/shortcuts";
import { listProblems, recordProblem } from "../image/records";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods,
});

describe("image keys", () => {
  it("maps keys to actions", () => {
    expect(actionFor(key("b"))).toEqual({ kind: "tool", tool: "box" });
    expect(actionFor(key("K", { shiftKey: true }))).toEqual({ kind: "tool", tool: "keypoint" });
    expect(actionFor(key("s"))).toEqual({ kind: "tool", tool: "select" });
    expect(actionFor(key("3"))).toEqual({ kind: "label", index: 2 });
    expect(actionFor(key("z", { ctrlKey: true }))).toEqual({ kind: "undo" });
    expect(actionFor(key("Z", { metaKey: true, shiftKey: true }))).toEqual({ kind: "redo" });
    expect(actionFor(key("Tab", { shiftKey: true }))).toEqual({ kind: "cycle", step: -1 });
    expect(actionFor(key("Backspace"))).toEqual({ kind: "delete" });
    expect(actionFor(key("Enter"))).toEqual({ kind: "accept" });
    expect(actionFor(key("x"))).toEqual({ kind: "reject" });
    expect(actionFor(key("v"))).toEqual({ kind: "visibility" });
    expect(actionFor(key("0"))).toEqual({ kind: "fit" });
    expect(actionFor(key(" "))).toEqual({ kind: "pan-key" });
  });

  it("leaves Shift+Enter (run cell) and other shortcuts to JupyterLab", () => {
    expect(actionFor(key("Enter", { shiftKey: true }))).toBeNull();
    expect(actionFor(key("s", { ctrlKey: true }))).toBeNull();
    expect(actionFor(key("q"))).toBeNull();
  });
});

describe("malformed state", () => {
  it("names the record and the problem", () => {
    expect(recordProblem({ id: "a", label: "x", x: 1, y: 2, w: -1, h: 3 }, "box")).toBe("its size is negative");
    expect(recordProblem({ id: "a", label: "x", x: "1", y: 2 }, "keypoint")).toBe("its x is not a number");
    expect(recordProblem(null, "box")).toBe("it is not an object");
    expect(listProblems("boxes", [{ id: "a", label: "x", x: 1, y: 2, w: 3, h: 4 }, { id: "b", label: "x", x: 1, y: 2, h: 4 }]))
      .toEqual(["boxes[1] is not shown: its w is not a number"]);
    expect(listProblems("boxes", [{ id: "a", label: "x", x: 1, y: 2, w: 3, h: 4 }, { id: "a", label: "x", x: 1, y: 2, w: 3, h: 4 }]))
      .toEqual(['boxes[1] is not shown: its id "a" is used twice']);
    expect(listProblems("suggestions", "nope")).toEqual(["suggestions is not a list"]);
    expect(listProblems("keypoints", [1, 2, 3, 4, 5])).toHaveLength(4);
  });
});
