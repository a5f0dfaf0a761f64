import { describe, expect, it } from "vitest";
import type { Box, Keypoint } from "../types";
import { RecordList } from "../lib/sync";
import { acceptAllChanges, acceptChanges, rejectChanges } from "../image/suggestions";
import type { Suggestion } from "../image/records";

function lists(boxes: Box[], keypoints: Keypoint[], suggestions: Suggestion[]) {
  return {
    boxes: new RecordList<Box>("boxes", boxes),
    keypoints: new RecordList<Keypoint>("keypoints", keypoints),
    suggestions: new RecordList<Suggestion>("suggestions", suggestions),
  };
}
const box = (id: string, source: "human" | "model" = "model"): Box => ({ id, x: 1, y: 2, w: 3, h: 4, label: "cat", source, ...(source === "model" ? { score: 0.9 } : {}) });
const point = (id: string, box_id?: string): Keypoint => ({ id, x: 1, y: 1, label: "nose", visible: 2, source: "model", score: 0.8, ...(box_id ? { box_id } : {}) });
let n = 0;
const makeId = () => `new${++n}`;

describe("accepting suggestions", () => {
  it("moves a suggestion to boxes as a person's record with the same id, no score", () => {
    const l = lists([], [], [box("s1")]);
    const { changes, ids } = acceptChanges(l, ["s1"], makeId);
    expect(changes).toEqual([
      { field: "suggestions", op: "remove", record: { id: "s1" } },
      { field: "boxes", op: "add", record: { id: "s1", x: 1, y: 2, w: 3, h: 4, label: "cat", source: "human" } },
    ]);
    expect(ids.get("s1")).toBe("s1");
  });

  it("never replaces a person's record: a clashing id gets a new one, and keypoints follow it", () => {
    const l = lists([box("s1", "human")], [], [box("s1"), point("k1", "s1")]);
    const { changes, ids } = acceptChanges(l, ["s1"], makeId);
    const newBox = ids.get("s1") as string;
    expect(newBox).not.toBe("s1");
    const added = changes.filter((c) => c.op === "add").map((c) => c.record);
    expect(added[0]).toMatchObject({ id: newBox, source: "human" });
    expect(added[1]).toMatchObject({ id: "k1", box_id: newBox, source: "human" });
    expect(added.every((r) => !("score" in r))).toBe(true);
  });

  it("accepts a box with its keypoints, and a keypoint with its box (one instance)", () => {
    const l = lists([], [], [point("k1", "s1"), box("s1"), point("k2", "s1"), box("s2"), point("k3")]);
    const fromKeypoint = acceptChanges(l, ["k2"], makeId).changes.filter((c) => c.op === "add").map((c) => c.record.id);
    expect(fromKeypoint).toEqual(["s1", "k1", "k2"]); // boxes first
    const lone = acceptChanges(l, ["k3"], makeId).changes.map((c) => c.record.id);
    expect(lone).toEqual(["k3", "k3"]);
  });

  it("applies an edit while accepting (editing a suggestion accepts it)", () => {
    const l = lists([], [], [box("s1")]);
    const { changes } = acceptChanges(l, ["s1"], makeId, { s1: { x: 50, label: "dog" } });
    expect(changes[1]?.record).toMatchObject({ id: "s1", x: 50, label: "dog", source: "human" });
  });

  it("accepts all suggestions, each once", () => {
    const l = lists([], [], [box("s1"), point("k1", "s1"), box("s2")]);
    const adds = acceptAllChanges(l, makeId).changes.filter((c) => c.op === "add");
    expect(adds.map((c) => c.record.id).sort()).toEqual(["k1", "s1", "s2"]);
  });
});

describe("rejecting suggestions", () => {
  it("removes a box with its suggested keypoints, or one keypoint alone", () => {
    const l = lists([], [], [box("s1"), point("k1", "s1"), point("k2", "s1")]);
    expect(rejectChanges(l, "s1").map((c) => c.record.id)).toEqual(["s1", "k1", "k2"]);
    expect(rejectChanges(l, "k2").map((c) => c.record.id)).toEqual(["k2"]);
    expect(rejectChanges(l, "nope")).toEqual([]);
  });
});
