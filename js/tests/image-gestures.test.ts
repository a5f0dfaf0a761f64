import { describe, expect, it } from "vitest";
import type { Box, Keypoint } from "../types";
import { RecordList } from "../lib/sync";
import { type Press, begin, finish, hitTest, update } from "../image/gestures";
import type { Suggestion } from "../image/records";
import { Scene } from "../image/scene";

function scene(boxes: Box[] = [], keypoints: Keypoint[] = [], suggestions: Suggestion[] = []): Scene {
  return new Scene(
    new RecordList<Box>("boxes", boxes), new RecordList<Keypoint>("keypoints", keypoints),
    new RecordList<Suggestion>("suggestions", suggestions), 400, 300,
  );
}
const human = (id: string, x: number, y: number, w: number, h: number, label = "cat"): Box => ({ id, x, y, w, h, label, source: "human" });
let counter = 0;
const makeId = () => `id${++counter}`;
const view = { scale: 1, offsetX: 0, offsetY: 0 };

function press(s: Scene, p: { x: number; y: number }, extra: Partial<Press> = {}): Press {
  const tool = extra.tool ?? "box";
  return {
    target: hitTest(s, p, 1, extra.selection ?? null, tool), tool, p, screen: p, view, button: 0, pan: false,
    selection: null, scene: s, label: "cat", labelPinned: false, keypointLabels: ["nose", "left_eye", "right_eye"], ...extra,
  };
}

/** Press at `from`, move to `to`, release: the outcome. */
function drag(s: Scene, from: { x: number; y: number }, to: { x: number; y: number }, extra: Partial<Press> = {}) {
  const started = begin(press(s, from, extra));
  if (!started.gesture) return { started, outcome: null };
  const moved = update(started.gesture, to, s);
  return { started, outcome: finish(moved, s, { label: extra.label ?? "cat", scale: 1, makeId }) };
}

describe("hit testing", () => {
  it("prefers handles of the selection, then keypoints, then the smallest box, then suggestions", () => {
    const s = scene(
      [human("big", 0, 0, 200, 200), human("small", 50, 50, 20, 20)],
      [{ id: "k", x: 100, y: 100, label: "nose", visible: 2, source: "human" }],
      [{ id: "s", x: 300, y: 10, w: 50, h: 50, label: "dog", source: "model", score: 0.5 }],
    );
    expect(hitTest(s, { x: 60, y: 60 }, 1, null, "box")).toEqual({ kind: "box", ref: { field: "boxes", id: "small" } });
    expect(hitTest(s, { x: 103, y: 101 }, 1, null, "box")).toEqual({ kind: "keypoint", ref: { field: "keypoints", id: "k" } });
    expect(hitTest(s, { x: 201, y: 199 }, 1, { field: "boxes", id: "big" }, "box"))
      .toEqual({ kind: "handle", ref: { field: "boxes", id: "big" }, handle: "se" });
    expect(hitTest(s, { x: 310, y: 20 }, 1, null, "box")).toEqual({ kind: "box", ref: { field: "suggestions", id: "s" } });
    expect(hitTest(s, { x: 390, y: 290 }, 1, null, "box")).toEqual({ kind: "empty" });
    // Tolerances are in screen pixels: at 4x zoom, 3 image px is 12 screen px away.
    expect(hitTest(s, { x: 103, y: 100 }, 4, null, "box").kind).toBe("box");
  });
});

describe("gestures", () => {
  it("draws a box on empty image, clamped, and selects it", () => {
    const s = scene();
    const { outcome } = drag(s, { x: 50, y: 40 }, { x: 450, y: 120 });
    expect(outcome?.changes[0]).toMatchObject({ field: "boxes", op: "add", record: { x: 50, y: 40, w: 350, h: 80, label: "cat", source: "human" } });
    expect(outcome?.select).toEqual({ field: "boxes", id: outcome?.changes[0]?.record.id });
  });

  it("ignores a click that would make a tiny box, and clears the selection", () => {
    const { outcome } = drag(scene(), { x: 50, y: 40 }, { x: 51, y: 41 });
    expect(outcome).toEqual({ changes: [], select: null });
  });

  it("moves a box by dragging inside, within the image", () => {
    const s = scene([human("b", 10, 10, 50, 50)]);
    const { started, outcome } = drag(s, { x: 20, y: 20 }, { x: 500, y: 30 });
    expect(started.select).toEqual({ field: "boxes", id: "b" });
    expect(outcome?.changes).toEqual([{ field: "boxes", op: "update", record: { ...human("b", 350, 20, 50, 50) } }]);
  });

  it("resizes from a corner handle of the selected box", () => {
    const s = scene([human("b", 10, 10, 50, 50)]);
    const { outcome } = drag(s, { x: 60, y: 60 }, { x: 90, y: 80 }, { selection: { field: "boxes", id: "b" } });
    expect(outcome?.changes[0]?.record).toMatchObject({ x: 10, y: 10, w: 80, h: 70 });
  });

  it("makes no change for a click on a box without moving", () => {
    const s = scene([human("b", 10, 10, 50, 50)]);
    expect(drag(s, { x: 20, y: 20 }, { x: 20, y: 20 }).outcome?.changes).toEqual([]);
  });

  it("editing a model box or suggestion makes it a person's record", () => {
    const model: Box = { ...human("m", 10, 10, 50, 50), source: "auto", score: 0.97 };
    const s = scene([model], [], [{ id: "s", x: 100, y: 100, w: 40, h: 40, label: "dog", source: "model", score: 0.6 }]);
    const moved = drag(s, { x: 20, y: 20 }, { x: 25, y: 20 }).outcome?.changes[0]?.record;
    expect(moved).toEqual(human("m", 15, 10, 50, 50));
    const accepted = drag(s, { x: 110, y: 110 }, { x: 120, y: 110 }).outcome;
    expect(accepted?.changes.map((c) => [c.field, c.op])).toEqual([["suggestions", "remove"], ["boxes", "add"]]);
    expect(accepted?.changes[1]?.record).toEqual({ id: "s", x: 110, y: 100, w: 40, h: 40, label: "dog", source: "human" });
    expect(accepted?.select).toEqual({ field: "boxes", id: "s" });
  });

  it("places a keypoint in the box under the click, and drags it while placing", () => {
    const s = scene([human("b", 10, 10, 100, 100)]);
    const { outcome } = drag(s, { x: 20, y: 20 }, { x: 30, y: 25 }, { tool: "keypoint", label: "nose" });
    expect(outcome?.changes[0]).toMatchObject({ op: "add", record: { x: 30, y: 25, label: "nose", box_id: "b", visible: 2 } });
    expect(outcome?.placed).toEqual({ label: "nose", boxId: "b" });
  });

  it("places the instance's next unplaced label, and a pinned label moves the placed one", () => {
    const s = scene([human("b", 10, 10, 100, 100)], [{ id: "n", x: 50, y: 50, label: "nose", visible: 2, source: "human", box_id: "b" }]);
    const next = begin(press(s, { x: 20, y: 20 }, { tool: "keypoint", label: "nose" })).gesture;
    expect(next).toMatchObject({ kind: "place", label: "left_eye", boxId: "b" });
    const pinned = drag(s, { x: 20, y: 20 }, { x: 20, y: 20 }, { tool: "keypoint", label: "nose", labelPinned: true }).outcome;
    expect(pinned?.changes[0]).toMatchObject({ op: "update", record: { id: "n", x: 20, y: 20 } });
  });

  it("drags an existing keypoint in any tool", () => {
    const s = scene([], [{ id: "k", x: 50, y: 50, label: "nose", visible: 1, source: "human" }]);
    const { outcome } = drag(s, { x: 52, y: 50 }, { x: 62, y: 45 }, { tool: "select" });
    expect(outcome?.changes[0]).toEqual({ field: "keypoints", op: "update", record: { id: "k", x: 60, y: 45, label: "nose", visible: 1, source: "human" } });
  });

  it("pans with the middle button, with Space, and on empty image in the select tool", () => {
    const s = scene();
    expect(begin(press(s, { x: 5, y: 5 }, { button: 1 })).gesture?.kind).toBe("pan");
    expect(begin(press(s, { x: 5, y: 5 }, { pan: true })).gesture?.kind).toBe("pan");
    expect(begin(press(s, { x: 5, y: 5 }, { tool: "select" })).gesture?.kind).toBe("pan");
    expect(begin(press(s, { x: 5, y: 5 }, { button: 2 })).gesture).toBeNull();
  });

  it("keeps the indices in step with applied changes", () => {
    const s = scene([human("b", 10, 10, 50, 50)]);
    const change = { field: "boxes", op: "update" as const, record: human("b", 200, 200, 50, 50) };
    s.boxes.apply(change);
    s.applied([change]);
    expect(hitTest(s, { x: 20, y: 20 }, 1, null, "box").kind).toBe("empty");
    expect(hitTest(s, { x: 220, y: 220 }, 1, null, "box").kind).toBe("box");
  });
});
