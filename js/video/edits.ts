/**
 * Edits of the video's record lists, each one `commit` (one undo step, one change message
 * with only the records it touched, whatever the number of tracks): tracks (keyframes,
 * flags, split, merge), proposals accepted into tracks, and temporal segments.
 */
import type { Rect } from "../lib/geometry";
import type { Editor, RecordList } from "../lib/sync";
import { newId } from "../lib/sync";
import type { AnyRecord, BaseRecord, Change } from "../types";
import {
  type Track, deleteKeyframe, mergeTracks, setKeyframe, setPoint, splitTrack, toggleOccluded, toggleOutside,
} from "./tracks";

/** A labelled interval of frames, `end` exclusive. */
export interface Segment extends BaseRecord {
  start: number;
  end: number;
}

/** One box the tracker or a model proposes for one frame of one track. */
export interface Proposal extends BaseRecord, Rect {
  track_id: string;
  frame: number;
}

const rec = (r: unknown) => r as AnyRecord;

export class VideoEdits {
  readonly tracks: RecordList;
  readonly segments: RecordList;
  readonly proposals: RecordList;

  constructor(private readonly editor: Editor, private readonly numFrames: () => number) {
    this.tracks = editor.list("tracks");
    this.segments = editor.list("segments");
    this.proposals = editor.list("proposals");
  }

  track(id: string | null): Track | null {
    return id ? ((this.tracks.get(id) as unknown as Track | undefined) ?? null) : null;
  }

  segment(id: string | null): Segment | null {
    return id ? ((this.segments.get(id) as unknown as Segment | undefined) ?? null) : null;
  }

  get trackList(): readonly Track[] {
    return this.tracks.items as unknown as readonly Track[];
  }

  get segmentList(): readonly Segment[] {
    return this.segments.items as unknown as readonly Segment[];
  }

  get proposalList(): readonly Proposal[] {
    return this.proposals.items as unknown as readonly Proposal[];
  }

  private update(track: Track): void {
    this.editor.commit([{ field: "tracks", op: "update", record: rec(track) }]);
  }

  /** A new track with one keyframe on `frame`; returns its id. */
  createTrack(frame: number, rect: Rect, label: string): string {
    const track: Track = {
      id: newId(), label, source: "human",
      keyframes: [{ frame, x: rect.x, y: rect.y, w: rect.w, h: rect.h, outside: false, occluded: false }],
    };
    this.editor.commit([{ field: "tracks", op: "add", record: rec(track) }]);
    return track.id;
  }

  /** The box of track `id` drawn or moved on `frame`: a keyframe there. */
  placeBox(id: string, frame: number, rect: Rect): void {
    const track = this.track(id);
    if (track) this.update(setKeyframe(track, frame, rect));
  }

  /** Keypoint `index` of track `id` placed or moved to (x, y) on `frame` (`count` keypoint labels). */
  placePoint(id: string, frame: number, index: number, x: number, y: number, count: number, visible = 2): boolean {
    const track = this.track(id);
    if (!track) return false;
    const next = setPoint(track, frame, index, x, y, count, visible);
    if (next !== track) this.update(next);
    return next !== track;
  }

  toggleOutside(id: string, frame: number): boolean {
    const track = this.track(id);
    if (!track) return false;
    const next = toggleOutside(track, frame);
    if (next !== track) this.update(next);
    return next !== track;
  }

  toggleOccluded(id: string, frame: number): boolean {
    const track = this.track(id);
    if (!track) return false;
    const next = toggleOccluded(track, frame);
    if (next !== track) this.update(next);
    return next !== track;
  }

  /** Delete the keyframe on `frame` (the whole track when it was its last); false: none there. */
  deleteKeyframe(id: string, frame: number): boolean {
    const track = this.track(id);
    if (!track) return false;
    const next = deleteKeyframe(track, frame);
    if (next === track) return false;
    if (next === null) this.deleteTrack(id);
    else this.update(next);
    return true;
  }

  deleteTrack(id: string): boolean {
    const track = this.track(id);
    if (!track) return false;
    const changes: Change[] = [{ field: "tracks", op: "remove", record: rec(track) }];
    for (const p of this.proposalList) if (p.track_id === id) changes.push({ field: "proposals", op: "remove", record: rec(p) });
    this.editor.commit(changes);
    return true;
  }

  relabel(id: string, label: string): boolean {
    const track = this.track(id);
    if (!track || track.label === label) return false;
    this.update({ ...track, label, source: "human" });
    return true;
  }

  /** Split track `id` at `frame`; returns the new (second) track's id, or null. */
  split(id: string, frame: number): string | null {
    const track = this.track(id);
    const parts = track ? splitTrack(track, frame, newId()) : null;
    if (!parts) return null;
    const [head, tail] = parts;
    this.editor.commit([
      { field: "tracks", op: "update", record: rec(head) },
      { field: "tracks", op: "add", record: rec(tail) },
    ]);
    return tail.id;
  }

  /** Join track `otherId` into track `id` (one edit: update one, remove the other). */
  merge(id: string, otherId: string): boolean {
    const track = this.track(id);
    const other = this.track(otherId);
    if (!track || !other || id === otherId) return false;
    const changes: Change[] = [
      { field: "tracks", op: "update", record: rec(mergeTracks(track, other)) },
      { field: "tracks", op: "remove", record: rec(other) },
    ];
    for (const p of this.proposalList) {
      if (p.track_id === otherId) changes.push({ field: "proposals", op: "remove", record: rec(p) });
    }
    this.editor.commit(changes);
    return true;
  }

  /**
   * Accept the proposals of track `id` (all tracks when null) up to frame `until`: each
   * becomes a keyframe of its track, in one edit. Returns how many were accepted.
   */
  acceptProposals(id: string | null, until: number): number {
    const taken = this.proposalList.filter((p) => p.frame <= until && (id === null || p.track_id === id));
    if (taken.length === 0) return 0;
    const changes: Change[] = [];
    const updated = new Map<string, Track>();
    for (const p of taken) {
      changes.push({ field: "proposals", op: "remove", record: rec(p) });
      const track = updated.get(p.track_id) ?? this.track(p.track_id);
      if (track) updated.set(p.track_id, setKeyframe(track, p.frame, p));
    }
    for (const track of updated.values()) changes.push({ field: "tracks", op: "update", record: rec(track) });
    this.editor.commit(changes);
    return taken.length;
  }

  /** Drop every proposal (of track `id`, or all). */
  rejectProposals(id: string | null): number {
    const taken = this.proposalList.filter((p) => id === null || p.track_id === id);
    if (taken.length) this.editor.commit(taken.map((p) => ({ field: "proposals", op: "remove", record: rec(p) } as Change)));
    return taken.length;
  }

  /** A new segment over frames [start, end); returns its id (null when empty). */
  createSegment(start: number, end: number, label: string): string | null {
    const s = Math.max(0, Math.round(start));
    const e = Math.min(this.numFrames(), Math.round(end));
    if (e <= s) return null;
    const segment: Segment = { id: newId(), label, source: "human", start: s, end: e };
    this.editor.commit([{ field: "segments", op: "add", record: rec(segment) }]);
    return segment.id;
  }

  retimeSegment(id: string, start: number, end: number): void {
    const segment = this.segment(id);
    const s = Math.max(0, Math.round(start));
    const e = Math.min(this.numFrames(), Math.round(end));
    if (!segment || e <= s || (s === segment.start && e === segment.end)) return;
    this.editor.commit([{ field: "segments", op: "update", record: rec({ ...segment, start: s, end: e, source: "human" }) }]);
  }

  relabelSegment(id: string, label: string): boolean {
    const segment = this.segment(id);
    if (!segment || segment.label === label) return false;
    this.editor.commit([{ field: "segments", op: "update", record: rec({ ...segment, label, source: "human" }) }]);
    return true;
  }

  removeSegment(id: string): boolean {
    const segment = this.segment(id);
    if (!segment) return false;
    this.editor.commit([{ field: "segments", op: "remove", record: rec(segment) }]);
    return true;
  }
}
