/**
 * The records of one widget as drawn and hit-tested: the shared record lists plus spatial
 * indices of boxes and keypoints, kept up to date change by change.
 */
import type { Box, Change, Keypoint } from "../types";
import type { Rect } from "../lib/geometry";
import type { RecordList } from "../lib/sync";
import { type Field, type Ref, type Suggestion, isBox, kindOf, recordProblem } from "./records";
import { GridIndex } from "./spatial";

export class Scene {
  /** Human boxes, suggested boxes, human keypoints, suggested keypoints. */
  private boxIndex: GridIndex;
  private suggestionBoxIndex: GridIndex;
  private pointIndex: GridIndex;
  private suggestionPointIndex: GridIndex;

  constructor(
    readonly boxes: RecordList<Box>,
    readonly keypoints: RecordList<Keypoint>,
    readonly suggestions: RecordList<Suggestion>,
    public width: number,
    public height: number,
  ) {
    this.boxIndex = new GridIndex(width, height);
    this.suggestionBoxIndex = new GridIndex(width, height);
    this.pointIndex = new GridIndex(width, height);
    this.suggestionPointIndex = new GridIndex(width, height);
    this.rebuildAll();
  }

  list(field: Field): RecordList<Box | Keypoint> {
    return (field === "boxes" ? this.boxes : field === "keypoints" ? this.keypoints : this.suggestions) as RecordList<Box | Keypoint>;
  }

  get(ref: Ref | null): Box | Keypoint | undefined {
    return ref ? this.list(ref.field).get(ref.id) : undefined;
  }

  /** New image size: every index is rebuilt. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.rebuildAll();
  }

  rebuildAll(): void {
    this.boxIndex = new GridIndex(this.width, this.height);
    this.suggestionBoxIndex = new GridIndex(this.width, this.height);
    this.pointIndex = new GridIndex(this.width, this.height);
    this.suggestionPointIndex = new GridIndex(this.width, this.height);
    for (const field of ["boxes", "keypoints", "suggestions"] as const) this.rebuild(field);
  }

  rebuild(field: Field): void {
    for (const index of this.indicesOf(field)) index.clear();
    for (const record of this.list(field).items) this.file(field, record);
  }

  private indicesOf(field: Field): GridIndex[] {
    if (field === "boxes") return [this.boxIndex];
    if (field === "keypoints") return [this.pointIndex];
    return [this.suggestionBoxIndex, this.suggestionPointIndex];
  }

  private indexFor(field: Field, record: Box | Keypoint): GridIndex {
    if (field === "boxes") return this.boxIndex;
    if (field === "keypoints") return this.pointIndex;
    return isBox(record) ? this.suggestionBoxIndex : this.suggestionPointIndex;
  }

  private file(field: Field, record: Box | Keypoint): void {
    if (recordProblem(record, kindOf(field, record))) return; // malformed: neither drawn nor hit
    const rect: Rect = isBox(record) ? record : { x: record.x, y: record.y, w: 0, h: 0 };
    this.indexFor(field, record).insert(record.id, rect);
  }

  /** Keep the indices in step with changes already applied to the lists. */
  applied(changes: readonly Change[]): void {
    for (const change of changes) {
      const field = change.field as Field;
      for (const index of this.indicesOf(field)) index.remove(change.record.id);
      if (change.op !== "remove") {
        const record = this.list(field).get(change.record.id);
        if (record) this.file(field, record);
      }
    }
  }

  /** Boxes of `field` ("boxes" or "suggestions") under `p`, smallest first. */
  boxesAt(field: "boxes" | "suggestions", p: { x: number; y: number }, tolerance = 0): Box[] {
    const index = field === "boxes" ? this.boxIndex : this.suggestionBoxIndex;
    const list = this.list(field);
    return index
      .query(p, tolerance)
      .map((id) => list.get(id) as Box)
      .filter((b) => b !== undefined)
      .sort((a, b) => a.w * a.h - b.w * b.h);
  }

  /** The keypoint of `field` nearest to `p` within `radius` image pixels. */
  keypointAt(field: "keypoints" | "suggestions", p: { x: number; y: number }, radius: number): Keypoint | undefined {
    const index = field === "keypoints" ? this.pointIndex : this.suggestionPointIndex;
    const list = this.list(field);
    let best: Keypoint | undefined;
    let bestDistance = Infinity;
    for (const id of index.query(p, radius)) {
      const k = list.get(id) as Keypoint | undefined;
      if (!k) continue;
      const d = Math.hypot(k.x - p.x, k.y - p.y);
      if (d <= radius && d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Every selectable record, in Tab order: boxes, keypoints, then suggestions. */
  order(): Ref[] {
    const out: Ref[] = [];
    for (const field of ["boxes", "keypoints", "suggestions"] as const) {
      for (const record of this.list(field).items) {
        if (!recordProblem(record, kindOf(field, record))) out.push({ field, id: record.id });
      }
    }
    return out;
  }
}
