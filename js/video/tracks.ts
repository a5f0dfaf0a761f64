/**
 * Tracks: keyframed boxes across frames, interpolated linearly between keyframes. Pure
 * functions over plain records (the same rule as nbannotate/records/tracks.py, checked on the
 * same JSON fixture): a keyframe holds its geometry until the next one; `outside` on a
 * keyframe means the object is absent from that keyframe until the next one; between two
 * present keyframes the box moves linearly. Edits return new tracks (records are never mutated).
 */
import type { Rect } from "../lib/geometry";
import type { Source } from "../types";

/** A keypoint: x, y in frame pixels and COCO visibility (0 not placed, 1 hidden, 2 visible). */
export type Point3 = [number, number, number];

export interface Keyframe extends Rect {
  frame: number;
  outside: boolean;
  occluded: boolean;
  /** One per keypoint label of the widget, when the track has keypoints. */
  points?: Point3[];
}

export interface Track {
  id: string;
  label: string;
  source: Source;
  keyframes: Keyframe[];
  score?: number;
}

/** A track's box on one frame (as Python's `box_at`). */
export interface FrameBox extends Rect {
  track_id: string;
  label: string;
  frame: number;
  occluded: boolean;
  keyframe: boolean;
  points?: Point3[];
}

/** Index of the last keyframe at or before `frame` (-1: none). Keyframes are sorted. */
export function keyframeIndexAt(keyframes: readonly Keyframe[], frame: number): number {
  let lo = 0;
  let hi = keyframes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((keyframes[mid] as Keyframe).frame <= frame) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The track's box on `frame` (interpolated), or null when the track is absent there. */
export function boxAt(track: Track, frame: number): FrameBox | null {
  const kfs = track.keyframes;
  const i = keyframeIndexAt(kfs, frame);
  const prev = kfs[i];
  if (!prev || prev.outside) return null;
  const next = kfs[i + 1];
  const keyframe = prev.frame === frame;
  let rect: Rect = { x: prev.x, y: prev.y, w: prev.w, h: prev.h };
  if (next && !keyframe && !next.outside) {
    const t = (frame - prev.frame) / (next.frame - prev.frame);
    rect = {
      x: prev.x + (next.x - prev.x) * t, y: prev.y + (next.y - prev.y) * t,
      w: prev.w + (next.w - prev.w) * t, h: prev.h + (next.h - prev.h) * t,
    };
  }
  const points = pointsAt(track, frame);
  return { track_id: track.id, label: track.label, frame, ...rect, occluded: prev.occluded, keyframe, ...(points ? { points } : {}) };
}

/**
 * The track's keypoints on `frame` (as Python's `points_at`): between two keyframes with
 * points, a point placed on both moves linearly; otherwise it keeps the earlier value.
 */
export function pointsAt(track: Track, frame: number): Point3[] | null {
  let prev: Keyframe | null = null;
  let next: Keyframe | null = null;
  for (const k of track.keyframes) {
    if (!k.points || k.points.length === 0) continue;
    if (k.frame <= frame) prev = k;
    else {
      next = k;
      break;
    }
  }
  if (!prev?.points) return null;
  if (!next?.points || prev.frame === frame) return prev.points.map((p) => [p[0], p[1], p[2]]);
  const t = (frame - prev.frame) / (next.frame - prev.frame);
  const after = next.points;
  return prev.points.map((p, i) => {
    const q = after[i];
    return q && p[2] && q[2] ? [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t, p[2]] : [p[0], p[1], p[2]];
  });
}

/** Points that followed a box from `from` to `to` (moved and scaled with it). */
export function carryPoints(points: readonly Point3[], from: Rect, to: Rect): Point3[] {
  const sx = from.w > 0 ? to.w / from.w : 1;
  const sy = from.h > 0 ? to.h / from.h : 1;
  return points.map((p) => [to.x + (p[0] - from.x) * sx, to.y + (p[1] - from.y) * sy, p[2]]);
}

/** The boxes of every track present on `frame`. */
export function boxesAt(tracks: readonly Track[], frame: number): FrameBox[] {
  const out: FrameBox[] = [];
  for (const track of tracks) {
    const box = boxAt(track, frame);
    if (box) out.push(box);
  }
  return out;
}

function sorted(keyframes: Keyframe[]): Keyframe[] {
  return keyframes.sort((a, b) => a.frame - b.frame);
}

function withKeyframe(track: Track, keyframe: Keyframe): Track {
  const rest = track.keyframes.filter((k) => k.frame !== keyframe.frame);
  return { ...track, source: "human", keyframes: sorted([...rest, keyframe]) };
}

/** The last box geometry the track had at or before `frame` (for showing it again). */
function lastGeometry(track: Track, frame: number): Rect | null {
  const kfs = track.keyframes;
  for (let i = keyframeIndexAt(kfs, frame); i >= 0; i--) {
    const k = kfs[i] as Keyframe;
    if (!k.outside) return boxAt(track, k.frame);
  }
  const first = kfs.find((k) => !k.outside);
  return first ? { x: first.x, y: first.y, w: first.w, h: first.h } : null;
}

function rectOf(r: Rect): Rect {
  return { x: r.x, y: r.y, w: r.w, h: r.h };
}

/**
 * Set the box on `frame` (drawn or moved there): a keyframe, present, keeping `occluded`; the
 * track's keypoints there move and scale with the box.
 */
export function setKeyframe(track: Track, frame: number, rect: Rect): Track {
  const here = boxAt(track, frame);
  const keyframe: Keyframe = { frame, ...rectOf(rect), outside: false, occluded: here?.occluded ?? false };
  if (here?.points) keyframe.points = carryPoints(here.points, here, rect);
  return withKeyframe(track, keyframe);
}

/**
 * Put keypoint `index` of the track at (x, y) on `frame` (placed or dragged there): a keyframe
 * with the box as it is there. `count`: the number of keypoint labels (points not placed yet
 * are [0, 0, 0]). Unchanged when the track is absent on `frame`.
 */
export function setPoint(track: Track, frame: number, index: number, x: number, y: number, count: number, visible = 2): Track {
  const here = boxAt(track, frame);
  if (!here || index < 0 || index >= count) return track;
  const points: Point3[] = here.points ? here.points.map((p) => [p[0], p[1], p[2]]) : Array.from({ length: count }, () => [0, 0, 0]);
  points[index] = [x, y, visible];
  const placed = withKeyframe(track, { frame, ...rectOf(here), outside: false, occluded: here.occluded, points });
  // Other keyframes where a point is not placed yet get it too, carried with their box from
  // this one: the point then follows the box between keyframes as the box does.
  return {
    ...placed,
    keyframes: placed.keyframes.map((k) => {
      if (k.frame === frame) return k;
      const carried = carryPoints(points, here, k);
      const own = k.points;
      return { ...k, points: carried.map((p, i) => (own?.[i] && own[i][2] ? own[i] : p)) };
    }),
  };
}

/**
 * Keep the boxes before `frame` where they are when `frame` becomes an outside keyframe (no
 * interpolation runs into an outside keyframe): a keyframe on `frame - 1` pins the box there.
 */
function pinBefore(track: Track, frame: number): Track {
  const before = boxAt(track, frame - 1);
  if (!before || before.keyframe) return track;
  const pinned: Keyframe = { frame: frame - 1, ...rectOf(before), outside: false, occluded: before.occluded };
  if (before.points) pinned.points = before.points;
  return { ...track, keyframes: sorted([...track.keyframes, pinned]) };
}

/** Flip `outside` from `frame` on: a present box leaves; an absent one comes back where it was last. */
export function toggleOutside(track: Track, frame: number): Track {
  const here = boxAt(track, frame);
  if (here) return withKeyframe(pinBefore(track, frame), { frame, ...rectOf(here), outside: true, occluded: here.occluded, ...(here.points ? { points: here.points } : {}) });
  const rect = lastGeometry(track, frame);
  if (!rect) return track;
  return withKeyframe(track, { frame, ...rectOf(rect), outside: false, occluded: false });
}

/** Flip `occluded` from `frame` on (only where the box is present). */
export function toggleOccluded(track: Track, frame: number): Track {
  const here = boxAt(track, frame);
  if (!here) return track;
  return withKeyframe(track, { frame, ...rectOf(here), outside: false, occluded: !here.occluded, ...(here.points ? { points: here.points } : {}) });
}

/** Remove the keyframe on `frame`; null when it was the track's last keyframe. */
export function deleteKeyframe(track: Track, frame: number): Track | null {
  const keyframes = track.keyframes.filter((k) => k.frame !== frame);
  if (keyframes.length === track.keyframes.length) return track;
  if (!keyframes.some((k) => !k.outside)) return null;
  return { ...track, source: "human", keyframes };
}

/**
 * Split at `frame`: the first part ends (outside) on `frame`, the second starts there with
 * the box as it was. Null when `frame` is not strictly inside the track's keyframe span or the
 * track is absent there.
 */
export function splitTrack(track: Track, frame: number, newId: string): [Track, Track] | null {
  const kfs = track.keyframes;
  const first = kfs[0];
  const here = boxAt(track, frame);
  if (!first || frame <= first.frame || !here) return null;
  const before = pinBefore(track, frame).keyframes.filter((k) => k.frame < frame);
  const after = kfs.filter((k) => k.frame > frame);
  const points = here.points ? { points: here.points } : {};
  const head: Track = { ...track, source: "human", keyframes: [...before, { frame, ...rectOf(here), outside: true, occluded: here.occluded, ...points }] };
  const tail: Track = {
    ...track, id: newId, source: "human",
    keyframes: [{ frame, ...rectOf(here), outside: false, occluded: here.occluded, ...points }, ...after],
  };
  delete tail.score;
  return [head, tail];
}

/**
 * Join `other` into `track`: one track with both tracks' keyframes (on a frame both have, the
 * first track's wins), `track`'s id and label. Where one part ended (`outside`) before the
 * other begins, the merged track is absent in between, as each part was.
 */
export function mergeTracks(track: Track, other: Track): Track {
  const frames = new Set(track.keyframes.map((k) => k.frame));
  const theirs = other.keyframes.filter((k) => !frames.has(k.frame));
  return { ...track, source: "human", keyframes: sorted([...track.keyframes, ...theirs]) };
}

/** Frames that hold a keyframe of `track` (for the timeline's marks). */
export function keyframeFrames(track: Track | null | undefined): number[] {
  return track ? track.keyframes.map((k) => k.frame) : [];
}

/** The nearest keyframe before / after `frame` (null: none), for jumping between them. */
export function neighbourKeyframe(track: Track, frame: number, direction: 1 | -1): number | null {
  const frames = keyframeFrames(track);
  if (direction > 0) return frames.find((f) => f > frame) ?? null;
  for (let i = frames.length - 1; i >= 0; i--) if ((frames[i] as number) < frame) return frames[i] as number;
  return null;
}

/** A problem with a track record from the kernel (null: fine), so it is shown, not drawn. */
export function trackProblem(track: unknown): string | null {
  const t = track as Partial<Track> | null;
  if (!t || typeof t.id !== "string" || !Array.isArray(t.keyframes) || t.keyframes.length === 0) {
    return "a track needs an id and a non-empty list of keyframes";
  }
  for (const k of t.keyframes) {
    if (!k || !Number.isInteger(k.frame) || ![k.x, k.y, k.w, k.h].every(Number.isFinite)) {
      return `track ${t.id}: keyframes need an integer frame and finite x, y, w, h`;
    }
  }
  return null;
}
