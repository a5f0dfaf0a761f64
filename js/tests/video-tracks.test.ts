import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Track, boxAt, boxesAt, deleteKeyframe, mergeTracks, neighbourKeyframe, setKeyframe, setPoint, splitTrack,
  toggleOccluded, toggleOutside, trackProblem,
} from "../video/tracks";

interface Query {
  track: string;
  frame: number;
  box: null | { x: number; y: number; w: number; h: number; occluded: boolean; keyframe: boolean; points?: number[][] };
}
const fixture = JSON.parse(readFileSync(new URL("../../tests/fixtures/video/interpolation.json", import.meta.url), "utf-8")) as {
  tracks: Track[]; queries: Query[];
};
const byId = new Map(fixture.tracks.map((t) => [t.id, t]));

function kf(frame: number, x: number, extra: Partial<Track["keyframes"][number]> = {}) {
  return { frame, x, y: 0, w: 10, h: 10, outside: false, occluded: false, ...extra };
}
const simple: Track = { id: "t", label: "car", source: "model", keyframes: [kf(0, 0), kf(10, 100)] };

describe("boxAt on the shared fixture (same as Python's box_at)", () => {
  for (const q of fixture.queries) {
    it(`${q.track} at frame ${q.frame}`, () => {
      const box = boxAt(byId.get(q.track) as Track, q.frame);
      if (q.box === null) return expect(box).toBeNull();
      expect(box).not.toBeNull();
      for (const key of ["x", "y", "w", "h"] as const) expect(box?.[key]).toBeCloseTo(q.box[key], 9);
      expect(box?.occluded).toBe(q.box.occluded);
      expect(box?.keyframe).toBe(q.box.keyframe);
      expect(box?.track_id).toBe(q.track);
      expect(box?.points).toEqual(q.box.points);
    });
  }
  it("boxesAt keeps only present tracks", () => {
    expect(boxesAt(fixture.tracks, 2).map((b) => b.track_id)).toEqual(["a", "k"]);
    expect(boxesAt(fixture.tracks, 22).map((b) => b.track_id)).toEqual(["b", "k"]);
  });
});

describe("track edits", () => {
  it("setKeyframe adds a keyframe in order, replaces one on the same frame, and marks the track human", () => {
    const moved = setKeyframe(simple, 5, { x: 20, y: 5, w: 10, h: 10 });
    expect(moved.keyframes.map((k) => k.frame)).toEqual([0, 5, 10]);
    expect(moved.source).toBe("human");
    expect(boxAt(moved, 3)?.x).toBeCloseTo(12);
    const again = setKeyframe(moved, 5, { x: 30, y: 5, w: 10, h: 10 });
    expect(again.keyframes).toHaveLength(3);
    expect(boxAt(again, 5)?.x).toBe(30);
    expect(simple.keyframes).toHaveLength(2); // never mutated
  });

  it("toggleOutside hides the box from that frame, and brings it back where it was", () => {
    const gone = toggleOutside(simple, 4);
    expect(boxAt(gone, 4)).toBeNull();
    expect(boxAt(gone, 9)).toBeNull();
    expect(boxAt(gone, 10)?.x).toBe(100);
    // Before it the box stays where it was (a keyframe pins frame 3).
    expect(boxAt(gone, 3)?.x).toBeCloseTo(30);
    expect(boxAt(gone, 2)?.x).toBeCloseTo(20);
    const back = toggleOutside(gone, 6);
    expect(boxAt(back, 6)?.x).toBeCloseTo(30); // where it was last seen
    expect(boxAt(back, 8)?.x).toBeCloseTo(65); // then on towards the next keyframe
  });

  it("toggleOccluded flips the flag from that frame on", () => {
    const hidden = toggleOccluded(simple, 5);
    expect(boxAt(hidden, 4)?.occluded).toBe(false);
    expect(boxAt(hidden, 7)?.occluded).toBe(true);
    expect(boxAt(hidden, 7)?.x).toBeCloseTo(70);
    expect(toggleOccluded(toggleOutside(simple, 5), 6)).toEqual(toggleOutside(simple, 5));
  });

  it("deleteKeyframe removes one, and returns null for the last present one", () => {
    const one = deleteKeyframe(simple, 10) as Track;
    expect(one.keyframes.map((k) => k.frame)).toEqual([0]);
    expect(deleteKeyframe(one, 0)).toBeNull();
    expect(deleteKeyframe(simple, 3)).toBe(simple);
  });

  it("splitTrack ends the first part on the frame and starts the second there", () => {
    const [head, tail] = splitTrack(simple, 5, "u") as [Track, Track];
    expect(boxAt(head, 4)?.x).toBeCloseTo(40);
    expect(boxAt(head, 5)).toBeNull();
    expect(tail.id).toBe("u");
    expect(boxAt(tail, 4)).toBeNull();
    expect(boxAt(tail, 5)?.x).toBeCloseTo(50);
    expect(boxAt(tail, 10)?.x).toBe(100);
    expect(splitTrack(simple, 0, "u")).toBeNull();
  });

  it("mergeTracks joins keyframes, the first track's winning on shared frames", () => {
    const other: Track = { id: "o", label: "bus", source: "human", keyframes: [kf(10, 999), kf(20, 200)] };
    const merged = mergeTracks(simple, other);
    expect(merged.id).toBe("t");
    expect(merged.label).toBe("car");
    expect(merged.keyframes.map((k) => [k.frame, k.x])).toEqual([[0, 0], [10, 100], [20, 200]]);
    expect(boxAt(merged, 15)?.x).toBeCloseTo(150);
  });

  it("keypoints: placed one by one, carried with the box, split with the track", () => {
    const placed = setPoint(setPoint(simple, 0, 0, 3, 4, 2), 0, 1, 6, 7, 2);
    expect(boxAt(placed, 0)?.points).toEqual([[3, 4, 2], [6, 7, 2]]);
    expect(setPoint(simple, -1, 0, 1, 1, 2)).toBe(simple); // absent there: unchanged
    // The other keyframes got the points with their boxes: between them the points follow.
    expect(boxAt(placed, 10)?.points).toEqual([[103, 4, 2], [106, 7, 2]]);
    expect(boxAt(placed, 5)?.points?.[0]?.[0]).toBeCloseTo(53);
    // Moving the box on frame 10 takes the points with it (and scales them with a resize).
    const moved = setKeyframe(placed, 10, { x: 200, y: 0, w: 20, h: 20 });
    expect(boxAt(moved, 10)?.points).toEqual([[206, 8, 2], [212, 14, 2]]);
    expect(boxAt(moved, 5)?.points?.[0]?.[0]).toBeCloseTo(104.5);
    const [head, tail] = splitTrack(moved, 5, "u") as [Track, Track];
    expect(boxAt(tail, 5)?.points?.[0]?.[0]).toBeCloseTo(104.5);
    expect(boxAt(head, 4)?.points?.[0]?.[0]).toBeCloseTo(84.2);
  });

  it("neighbourKeyframe and trackProblem", () => {
    expect(neighbourKeyframe(simple, 5, 1)).toBe(10);
    expect(neighbourKeyframe(simple, 5, -1)).toBe(0);
    expect(neighbourKeyframe(simple, 10, 1)).toBeNull();
    expect(trackProblem(simple)).toBeNull();
    expect(trackProblem({ id: "x", keyframes: [] })).toMatch(/non-empty/);
    expect(trackProblem({ id: "x", keyframes: [{ frame: 1.5, x: 0, y: 0, w: 1, h: 1 }] })).toMatch(/integer frame/);
  });
});
