import { describe, expect, it } from "vitest";
import type { Box, Keypoint } from "../types";
import { RecordList } from "../lib/sync";
import { cycle, deleteChanges, labelKind, relabel } from "../image/actions";
import type { Suggestion } from "../image/records";
import { Scene } from "../image/scene";

const box = (id: string, source: "human" | "model" = "human"): Box => ({ id, x: 1, y: 1, w: 10, h: 10, label: "cat", source, ...(source === "model" ? { score: 0.5 } : {}) });
const kp = (id: string, label: string, box_id?: string): Keypoint => ({ id, x: 2, y: 2, label, visible: 2, source: "human", ...(box_id ? { box_id } : {}) });

function scene(boxes: Box[], keypoints: Keypoint[], suggestions: Suggestion[] = []): Scene {
  return new Scene(new RecordList("boxes", boxes), new RecordList("keypoints", keypoints), new RecordList("suggestions", suggestions), 100, 100);
}
const makeId = () => "fresh";

describe("key actions", () => {
  it("deletes a box with its keypoints, a keypoint alone, and rejects a suggestion", () => {
    const s = scene([box("b1"), box("b2")], [kp("k1", "nose", "b1"), kp("k2", "nose", "b2")], [box("s1", "model")]);
    expect(deleteChanges(s, { field: "boxes", id: "b1" })).toEqual([
      { field: "boxes", op: "remove", record: { id: "b1" } },
      { field: "keypoints", op: "remove", record: { id: "k1" } },
    ]);
    expect(deleteChanges(s, { field: "keypoints", id: "k2" })).toEqual([{ field: "keypoints", op: "remove", record: { id: "k2" } }]);
    expect(deleteChanges(s, { field: "suggestions", id: "s1" })).toEqual([{ field: "suggestions", op: "remove", record: { id: "s1" } }]);
    expect(deleteChanges(s, { field: "boxes", id: "gone" })).toEqual([]);
  });

  it("digit keys address keypoint names for keypoints and in the keypoint tool", () => {
    expect(labelKind("box", undefined)).toBe("box");
    expect(labelKind("keypoint", undefined)).toBe("keypoint");
    expect(labelKind("box", kp("k", "nose"))).toBe("keypoint");
    expect(labelKind("select", box("b"))).toBe("box");
    expect(labelKind("keypoint", box("b"))).toBe("keypoint"); // a selected box is the instance
  });

  it("relabels, refusing a keypoint name its instance already has", () => {
    const s = scene([box("b1")], [kp("k1", "nose", "b1"), kp("k2", "left_eye", "b1"), kp("k3", "nose")], [box("s1", "model")]);
    expect(relabel(s, { field: "keypoints", id: "k2" }, "nose", makeId)).toBe("this instance already has a nose");
    const ok = relabel(s, { field: "keypoints", id: "k2" }, "right_eye", makeId);
    expect(typeof ok !== "string" && ok.changes[0]?.record).toMatchObject({ id: "k2", label: "right_eye" });
    const box1 = relabel(s, { field: "boxes", id: "b1" }, "dog", makeId);
    expect(typeof box1 !== "string" && box1.changes).toEqual([{ field: "boxes", op: "update", record: { ...box("b1"), label: "dog" } }]);
    const accepted = relabel(s, { field: "suggestions", id: "s1" }, "dog", makeId);
    expect(typeof accepted !== "string" && accepted.changes.map((c) => c.op)).toEqual(["remove", "add"]);
    const same = relabel(s, { field: "boxes", id: "b1" }, "cat", makeId);
    expect(typeof same !== "string" && same.changes).toEqual([]);
  });

  it("cycles the selection forward and back, wrapping", () => {
    const order = [{ field: "boxes", id: "a" }, { field: "keypoints", id: "b" }, { field: "suggestions", id: "c" }] as const;
    expect(cycle(order, null, 1)).toEqual(order[0]);
    expect(cycle(order, null, -1)).toEqual(order[2]);
    expect(cycle(order, order[2], 1)).toEqual(order[0]);
    expect(cycle(order, order[0], -1)).toEqual(order[2]);
    expect(cycle([], null, 1)).toBeNull();
  });
});
