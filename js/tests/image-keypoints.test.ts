import { describe, expect, it } from "vitest";
import type { Box, Keypoint } from "../types";
import {
  chooseInstance, labelToPlace, nextUnplaced, placeChange, placedLabels, skeletonNeighbours, skeletonSegments, toggledVisibility,
} from "../image/keypoints";

const names = ["nose", "left_eye", "right_eye"];
const kp = (id: string, label: string, box_id?: string, visible: 0 | 1 | 2 = 2): Keypoint => ({
  id, label, x: 1, y: 2, visible, source: "human", ...(box_id ? { box_id } : {}),
});

describe("keypoint labels advance through the instance", () => {
  it("picks the next unplaced label after the one just placed, wrapping", () => {
    expect(nextUnplaced(names, new Set(), null)).toBe("nose");
    expect(nextUnplaced(names, new Set(["nose"]), "nose")).toBe("left_eye");
    expect(nextUnplaced(names, new Set(["nose", "right_eye"]), "right_eye")).toBe("left_eye");
    expect(nextUnplaced(names, new Set(names), "nose")).toBeNull();
  });

  it("counts placed labels per instance", () => {
    const points = [kp("a", "nose", "b1"), kp("b", "left_eye", "b2"), kp("c", "right_eye")];
    expect([...placedLabels(points, "b1")]).toEqual(["nose"]);
    expect([...placedLabels(points, undefined)]).toEqual(["right_eye"]);
  });

  it("places the current label unless the instance has it (then the next one), unless pinned", () => {
    expect(labelToPlace(names, new Set(), "left_eye", false)).toBe("left_eye");
    expect(labelToPlace(names, new Set(["nose"]), "nose", false)).toBe("left_eye");
    expect(labelToPlace(names, new Set(["nose"]), "nose", true)).toBe("nose");
    expect(labelToPlace(names, new Set(names), "nose", false)).toBe("nose");
  });

  it("adds a keypoint to the instance, or moves the instance's existing one", () => {
    const points = [kp("a", "nose", "b1")];
    const add = placeChange(points, "left_eye", { x: 5, y: 6 }, "b1", "new");
    expect(add).toEqual({ field: "keypoints", op: "add", record: { id: "new", x: 5, y: 6, label: "left_eye", visible: 2, source: "human", box_id: "b1" } });
    const move = placeChange(points, "nose", { x: 7, y: 8 }, "b1", "unused");
    expect(move.op).toBe("update");
    expect(move.record).toMatchObject({ id: "a", x: 7, y: 8 });
    // Another instance does not count.
    expect(placeChange(points, "nose", { x: 1, y: 1 }, "b2", "n2").op).toBe("add");
    expect("box_id" in placeChange(points, "nose", { x: 1, y: 1 }, undefined, "n3").record).toBe(false);
  });

  it("chooses the instance: selected box if clicked inside, else the box under the click, else the selected one", () => {
    const a: Box = { id: "A", x: 0, y: 0, w: 10, h: 10, label: "p", source: "human" };
    const b: Box = { id: "B", x: 20, y: 0, w: 10, h: 10, label: "p", source: "human" };
    expect(chooseInstance({ x: 5, y: 5 }, a, [a])).toBe("A");
    expect(chooseInstance({ x: 25, y: 5 }, a, [b])).toBe("B");
    expect(chooseInstance({ x: 15, y: 5 }, a, [])).toBe("A");
    expect(chooseInstance({ x: 15, y: 5 }, undefined, [])).toBeUndefined();
  });

  it("toggles COCO visibility between visible and hidden", () => {
    expect(toggledVisibility(2)).toBe(1);
    expect(toggledVisibility(1)).toBe(2);
    expect(toggledVisibility(0)).toBe(2);
  });

  it("draws skeleton segments within an instance only, skipping unlabeled points", () => {
    const skeleton = [["left_eye", "nose"], ["nose", "right_eye"]] as const;
    const points = [
      kp("n1", "nose", "b1"), kp("l1", "left_eye", "b1"), kp("r1", "right_eye", "b1", 0),
      kp("n2", "nose", "b2"), kp("r2", "right_eye", "b2"),
    ];
    const ids = skeletonSegments(points, skeleton).map(([p, q]) => `${p.id}-${q.id}`).sort();
    expect(ids).toEqual(["l1-n1", "n2-r2"]);
    expect(skeletonNeighbours(points[0] as Keypoint, points, skeleton).map((k) => k.id)).toEqual(["l1"]);
  });
});
