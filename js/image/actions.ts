/**
 * Edits made with keys and buttons, as changes: removing, relabeling, and which label names
 * the digit keys address. Pure functions over the scene.
 */
import type { Box, Change, Keypoint } from "../types";
import { type Outcome, type Tool, edit } from "./gestures";
import { instanceKey } from "./keypoints";
import { type Ref, isBox, sameRef } from "./records";
import type { Scene } from "./scene";
import { rejectChanges } from "./suggestions";

/** The changes that remove `ref`: a box with its keypoints; a suggestion is rejected. */
export function deleteChanges(scene: Scene, ref: Ref): Change[] {
  if (!scene.get(ref)) return [];
  if (ref.field === "suggestions") return rejectChanges(scene, ref.id);
  if (ref.field === "keypoints") return [{ field: "keypoints", op: "remove", record: { id: ref.id } as Keypoint }];
  const changes: Change[] = [{ field: "boxes", op: "remove", record: { id: ref.id } as Box }];
  for (const k of scene.keypoints.items) {
    if (k.box_id === ref.id) changes.push({ field: "keypoints", op: "remove", record: { id: k.id } as Keypoint });
  }
  return changes;
}

/** Which names the digit keys and label chips address: keypoint names or box labels. */
export function labelKind(tool: Tool, selected: Box | Keypoint | undefined): "box" | "keypoint" {
  if (selected) return isBox(selected) && tool !== "keypoint" ? "box" : "keypoint";
  return tool === "keypoint" ? "keypoint" : "box";
}

/**
 * Relabel the selection `ref` to `name`: the changes, or a message when a keypoint's instance
 * already has a keypoint of that name.
 */
export function relabel(scene: Scene, ref: Ref, name: string, makeId: () => string): Outcome | string {
  const record = scene.get(ref);
  if (!record || record.label === name) return { changes: [], select: undefined };
  if (!isBox(record)) {
    const pool = ref.field === "suggestions" ? scene.suggestions.items : scene.keypoints.items;
    const clash = pool.some((k) => !isBox(k) && k.id !== record.id && instanceKey(k) === instanceKey(record) && k.label === name);
    if (clash) return `this instance already has a ${name}`;
  }
  return edit(scene, ref, { label: name }, makeId);
}

/** The selection after Tab (`step` 1) or Shift+Tab (-1), in the scene's order. */
export function cycle(order: readonly Ref[], selection: Ref | null, step: 1 | -1): Ref | null {
  if (order.length === 0) return null;
  const at = selection ? order.findIndex((r) => sameRef(r, selection)) : -1;
  const next = at < 0 ? (step > 0 ? 0 : order.length - 1) : (at + step + order.length) % order.length;
  return order[next] ?? null;
}
