/**
 * Keypoint logic: instances (the keypoints of one box, or those without a box), which label
 * the next click places, visibility (COCO: 2 visible, 1 labeled but hidden, 0 not labeled)
 * and the skeleton's segments.
 */
import type { Box, Change, Keypoint } from "../types";
import type { Point } from "../lib/geometry";
import { containsPoint } from "../lib/geometry";
import { asHuman } from "./records";

/** The instance of a keypoint: its box id, or "" for keypoints without a box. */
export function instanceKey(point: { box_id?: string | null }): string {
  return point.box_id ?? "";
}

/** The labels placed in the instance `boxId` ("" or undefined: no box). */
export function placedLabels(points: readonly Keypoint[], boxId: string | undefined): Set<string> {
  const key = boxId ?? "";
  const out = new Set<string>();
  for (const point of points) if (instanceKey(point) === key) out.add(point.label);
  return out;
}

/**
 * The first of `names` after `after` (wrapping around; from the start when `after` is null)
 * that is not in `placed`, or null when every name is placed.
 */
export function nextUnplaced(names: readonly string[], placed: ReadonlySet<string>, after: string | null): string | null {
  const start = after === null ? 0 : names.indexOf(after) + 1;
  for (let i = 0; i < names.length; i++) {
    const name = names[(start + i) % names.length] as string;
    if (!placed.has(name)) return name;
  }
  return null;
}

/**
 * The label a click places: the current one when it was picked explicitly (then a placed one
 * is moved), else the current one if the instance lacks it, else the instance's next
 * unplaced label, else the current one.
 */
export function labelToPlace(
  names: readonly string[], placed: ReadonlySet<string>, current: string, pinned: boolean,
): string {
  if (pinned || !placed.has(current)) return current;
  return nextUnplaced(names, placed, current) ?? current;
}

/**
 * The box a new keypoint belongs to: the selected instance's box when the click is inside it,
 * else the smallest box under the click, else the selected instance's box (a point may stick
 * out of its box), else none.
 */
export function chooseInstance(p: Point, selectedBox: Box | undefined, boxesUnder: readonly Box[]): string | undefined {
  if (selectedBox && containsPoint(selectedBox, p)) return selectedBox.id;
  const under = boxesUnder[0];
  if (under) return under.id;
  return selectedBox?.id;
}

/**
 * The change that places keypoint `label` of instance `boxId` at `p`: moves the instance's
 * keypoint of that label when there is one, else adds a new keypoint with id `id`.
 */
export function placeChange(
  points: readonly Keypoint[], label: string, p: Point, boxId: string | undefined, id: string,
): Change {
  const key = boxId ?? "";
  const existing = points.find((k) => instanceKey(k) === key && k.label === label);
  if (existing) {
    return {
      field: "keypoints", op: "update",
      record: asHuman({ ...existing, x: p.x, y: p.y, visible: existing.visible === 0 ? 2 : existing.visible }),
    };
  }
  const record: Keypoint = { id, x: p.x, y: p.y, label, visible: 2, source: "human" };
  if (boxId) record.box_id = boxId;
  return { field: "keypoints", op: "add", record };
}

/** Visibility after the toggle key: visible (2) ⇄ labeled but hidden (1); 0 becomes 2. */
export function toggledVisibility(visible: number): 1 | 2 {
  return visible === 2 ? 1 : 2;
}

export type Skeleton = readonly (readonly [string, string] | readonly string[])[];

function byInstance(points: readonly Keypoint[]): Map<string, Map<string, Keypoint>> {
  const groups = new Map<string, Map<string, Keypoint>>();
  for (const point of points) {
    if (point.visible === 0) continue;
    const key = instanceKey(point);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = new Map()));
    group.set(point.label, point);
  }
  return groups;
}

/** The skeleton's segments whose two ends are placed (visible > 0), instance by instance. */
export function skeletonSegments(points: readonly Keypoint[], skeleton: Skeleton): [Keypoint, Keypoint][] {
  if (skeleton.length === 0) return [];
  const out: [Keypoint, Keypoint][] = [];
  for (const group of byInstance(points).values()) {
    for (const [a, b] of skeleton) {
      const pa = group.get(a as string);
      const pb = group.get(b as string);
      if (pa && pb) out.push([pa, pb]);
    }
  }
  return out;
}

/** The keypoints joined to `point` by the skeleton (same instance, visible > 0). */
export function skeletonNeighbours(point: Keypoint, points: readonly Keypoint[], skeleton: Skeleton): Keypoint[] {
  const key = instanceKey(point);
  const out: Keypoint[] = [];
  for (const [a, b] of skeleton) {
    const other = a === point.label ? b : b === point.label ? a : null;
    if (other === null) continue;
    const found = points.find((k) => k.id !== point.id && k.visible !== 0 && instanceKey(k) === key && k.label === other);
    if (found) out.push(found);
  }
  return out;
}
