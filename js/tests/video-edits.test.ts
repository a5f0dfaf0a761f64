import { describe, expect, it } from "vitest";
import type { AnyModel } from "@anywidget/types";
import { Editor } from "../lib/sync";
import { VideoEdits } from "../video/edits";
import { videoKeyHandler } from "../video/keys";
import { hitBox } from "../video/stage";
import { type Track, boxAt } from "../video/tracks";

/** The browser side of a widget model: state, change events, sent messages. */
function browserModel(state: Record<string, unknown>) {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const sent: { type: string; changes: { field: string; op: string; record: { id: string } }[] }[] = [];
  const model = {
    get: (key: string) => state[key],
    set: (key: string, value: unknown) => {
      state[key] = value;
      for (const h of handlers.get(`change:${key}`) ?? []) h();
    },
    on: (name: string, handler: (...args: unknown[]) => void) => handlers.set(name, [...(handlers.get(name) ?? []), handler]),
    off: () => {},
    send: (msg: never) => sent.push(msg),
    save_changes: () => {},
  };
  return { model: model as unknown as AnyModel, sent };
}

function setup(tracks: Track[] = []) {
  const { model, sent } = browserModel({ tracks, segments: [], proposals: [] });
  const editor = new Editor(model, ["tracks", "segments", "proposals"]);
  return { editor, edits: new VideoEdits(editor, () => 100), sent };
}

describe("VideoEdits", () => {
  it("draws a track, moves it on another frame (a keyframe), and undoes both", () => {
    const { editor, edits, sent } = setup();
    const id = edits.createTrack(0, { x: 0, y: 0, w: 10, h: 10 }, "car");
    edits.placeBox(id, 30, { x: 30, y: 0, w: 10, h: 10 });
    const track = edits.track(id) as Track;
    expect(track.keyframes.map((k) => k.frame)).toEqual([0, 30]);
    expect(boxAt(track, 15)?.x).toBeCloseTo(15);
    expect(sent.map((m) => m.changes.map((c) => `${c.field}:${c.op}`))).toEqual([["tracks:add"], ["tracks:update"]]);
    editor.undo();
    expect((edits.track(id) as Track).keyframes).toHaveLength(1);
    editor.undo();
    expect(edits.track(id)).toBeNull();
    editor.redo();
    expect(edits.track(id)).not.toBeNull();
  });

  it("sends one record per edit whatever the number of tracks", () => {
    const many: Track[] = Array.from({ length: 200 }, (_, i) => ({
      id: `t${i}`, label: "car", source: "human", keyframes: [{ frame: 0, x: i, y: 0, w: 5, h: 5, outside: false, occluded: false }],
    }));
    const { edits, sent } = setup(many);
    edits.placeBox("t7", 10, { x: 50, y: 50, w: 5, h: 5 });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.changes).toHaveLength(1);
    expect(sent[0]?.changes[0]?.record.id).toBe("t7");
  });

  it("splits and merges tracks in one edit each", () => {
    const { editor, edits, sent } = setup();
    const id = edits.createTrack(0, { x: 0, y: 0, w: 10, h: 10 }, "car");
    edits.placeBox(id, 20, { x: 20, y: 0, w: 10, h: 10 });
    const tail = edits.split(id, 10) as string;
    expect(edits.trackList).toHaveLength(2);
    expect(boxAt(edits.track(id) as Track, 12)).toBeNull();
    expect(boxAt(edits.track(tail) as Track, 12)?.x).toBeCloseTo(12);
    expect(edits.merge(id, tail)).toBe(true);
    expect(edits.trackList).toHaveLength(1);
    expect(sent.at(-1)?.changes.map((c) => c.op)).toEqual(["update", "remove"]);
    editor.undo();
    expect(edits.trackList).toHaveLength(2);
  });

  it("accepts proposals up to a frame as keyframes, and deletes a track with its proposals", () => {
    const { editor, edits } = setup();
    const id = edits.createTrack(0, { x: 0, y: 0, w: 10, h: 10 }, "car");
    const proposals = [1, 2, 3].map((f) => ({ id: `p${f}`, track_id: id, frame: f, x: f, y: 0, w: 10, h: 10, label: "car", source: "model" as const, score: 0.9 }));
    editor.commit(proposals.map((p) => ({ field: "proposals", op: "add" as const, record: p as never })));
    expect(edits.acceptProposals(id, 2)).toBe(2);
    expect((edits.track(id) as Track).keyframes.map((k) => k.frame)).toEqual([0, 1, 2]);
    expect(edits.proposalList.map((p) => p.frame)).toEqual([3]);
    edits.deleteTrack(id);
    expect(edits.proposalList).toEqual([]);
  });

  it("creates, retimes, relabels and removes segments in whole frames inside the video", () => {
    const { edits } = setup();
    const id = edits.createSegment(10.4, 250, "walking") as string;
    expect(edits.segment(id)).toMatchObject({ start: 10, end: 100, label: "walking" });
    edits.retimeSegment(id, 20, 40);
    expect(edits.segment(id)).toMatchObject({ start: 20, end: 40 });
    expect(edits.createSegment(5, 5, "x")).toBeNull();
    expect(edits.relabelSegment(id, "running")).toBe(true);
    expect(edits.removeSegment(id)).toBe(true);
    expect(edits.segmentList).toEqual([]);
  });

  it("places keypoints on a track as one edit each", () => {
    const { edits, sent } = setup();
    const id = edits.createTrack(0, { x: 0, y: 0, w: 10, h: 10 }, "car");
    expect(edits.placePoint(id, 0, 1, 4, 5, 2)).toBe(true);
    expect((edits.track(id) as Track).keyframes[0]?.points).toEqual([[0, 0, 0], [4, 5, 2]]);
    expect(edits.placePoint(id, 50, 0, 1, 1, 2)).toBe(true); // the box holds on frame 50
    expect(edits.placePoint(id, 0, 5, 1, 1, 2)).toBe(false); // no such keypoint
    expect(sent).toHaveLength(3);
  });

  it("deleting the last keyframe deletes the track", () => {
    const { edits } = setup();
    const id = edits.createTrack(5, { x: 0, y: 0, w: 10, h: 10 }, "car");
    expect(edits.deleteKeyframe(id, 4)).toBe(false);
    expect(edits.deleteKeyframe(id, 5)).toBe(true);
    expect(edits.trackList).toEqual([]);
  });
});

describe("video keys and hit testing", () => {
  const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra }) as KeyboardEvent;
  it("maps arrows to frame steps (Shift: ten) and letters to track actions", () => {
    const log: string[] = [];
    const handler = videoKeyHandler({
      undo: () => log.push("undo"), redo: () => log.push("redo"), chooseLabel: (i) => log.push(`label${i}`),
      step: (n) => log.push(`step${n}`), togglePlay: () => log.push("play"), remove: (t) => log.push(t ? "deltrack" : "delkf"),
      toggleOutside: () => log.push("outside"), toggleOccluded: () => log.push("occluded"), split: () => log.push("split"),
      merge: () => log.push("merge"), track: () => log.push("track"), accept: () => log.push("accept"),
      placeKeypoints: () => log.push("points"), keypointVisibility: (r) => log.push(r ? "unplace" : "visibility"),
      keyframe: (d) => log.push(`kf${d}`), cancel: () => log.push("cancel"), zoom: (f) => log.push(`zoom${f}`), fit: () => log.push("fit"),
    });
    for (const e of [key("ArrowRight"), key("ArrowLeft", { shiftKey: true }), key(" "), key("o"), key("c"), key("Delete"),
      key("Delete", { shiftKey: true }), key("s"), key("m"), key("t"), key("a"), key("2"), key("z", { ctrlKey: true }), key("."), key("k"), key("v"), key("V", { shiftKey: true })]) {
      expect(handler(e)).toBe(true);
    }
    expect(handler(key("q"))).toBe(false);
    expect(log).toEqual(["step1", "step-10", "play", "outside", "occluded", "delkf", "deltrack", "split", "merge", "track", "accept", "label1", "undo", "kf1", "points", "visibility", "unplace"]);
  });
  it("finds the selected box's handle first, then the smallest box under the point", () => {
    const box = (id: string, x: number, w: number) => ({ track_id: id, label: "a", frame: 0, x, y: 0, w, h: w, occluded: false, keyframe: true });
    const boxes = [box("big", 0, 100), box("small", 10, 20)];
    expect(hitBox(boxes, { x: 15, y: 15 }, 1, null)).toEqual({ kind: "box", id: "small" });
    expect(hitBox(boxes, { x: 80, y: 80 }, 1, null)).toEqual({ kind: "box", id: "big" });
    expect(hitBox(boxes, { x: 101, y: 99 }, 1, "big")).toEqual({ kind: "handle", id: "big", handle: "se" });
    expect(hitBox(boxes, { x: 300, y: 300 }, 1, "big")).toEqual({ kind: "empty" });
    // The selected box's keypoints come first (not placed ones are not hit).
    const withPoints = [{ ...box("big", 0, 100), points: [[50, 50, 2], [60, 60, 0]] as [number, number, number][] }];
    expect(hitBox(withPoints, { x: 53, y: 52 }, 1, "big")).toEqual({ kind: "point", id: "big", index: 0 });
    expect(hitBox(withPoints, { x: 60, y: 60 }, 1, "big")).toEqual({ kind: "box", id: "big" });
  });
});
