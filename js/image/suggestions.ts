/**
 * Reviewing model suggestions. Accepting moves a suggestion, in one change batch, from
 * `suggestions` to `boxes` / `keypoints` as a person's record: same id (a new one only if a
 * record already has it), same geometry and label, source "human", no score. A suggested box
 * and its suggested keypoints form an instance that is accepted together; rejecting a box
 * rejects its keypoints, rejecting a keypoint only that keypoint. Suggestions never replace
 * what a person drew.
 */
import type { Box, Change, Keypoint } from "../types";
import type { RecordList } from "../lib/sync";
import { type Suggestion, asHuman, isBox } from "./records";

export interface ReviewLists {
  boxes: RecordList<Box>;
  keypoints: RecordList<Keypoint>;
  suggestions: RecordList<Suggestion>;
}

export interface Accepted {
  changes: Change[];
  /** Suggestion id -> id of the person's record it became. */
  ids: Map<string, string>;
}

/** The suggestions accepted together with `id`: its instance (box + its keypoints). */
export function instanceOf(suggestions: RecordList<Suggestion>, id: string): Suggestion[] {
  const record = suggestions.get(id);
  if (!record) return [];
  let box: Box | undefined;
  if (isBox(record)) box = record;
  else if (record.box_id) {
    const owner = suggestions.get(record.box_id);
    if (owner && isBox(owner)) box = owner;
  }
  if (!box) return [record];
  const boxId = box.id;
  return [box, ...suggestions.items.filter((s) => !isBox(s) && s.box_id === boxId)];
}

/**
 * The changes that accept the suggestions `ids` (with their instances). `edits` overrides
 * fields of some of them (an edited suggestion is accepted with its edit).
 */
export function acceptChanges(
  lists: ReviewLists, ids: readonly string[], makeId: () => string,
  edits: Record<string, Partial<Box> | Partial<Keypoint>> = {},
): Accepted {
  const chosen: Suggestion[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    for (const s of instanceOf(lists.suggestions, id)) {
      if (!seen.has(s.id)) {
        seen.add(s.id);
        chosen.push(s);
      }
    }
  }
  // Boxes first, so that keypoints refer to boxes that exist.
  chosen.sort((a, b) => Number(!isBox(a)) - Number(!isBox(b)));
  const taken = new Set<string>([...lists.boxes.items.map((r) => r.id), ...lists.keypoints.items.map((r) => r.id)]);
  const mapping = new Map<string, string>();
  for (const s of chosen) {
    let id = s.id;
    while (taken.has(id)) id = makeId();
    taken.add(id);
    mapping.set(s.id, id);
  }
  const changes: Change[] = [];
  for (const s of chosen) {
    const record = asHuman({ ...s, ...(edits[s.id] ?? {}), id: mapping.get(s.id) as string } as Suggestion);
    if (!isBox(record) && record.box_id && mapping.has(record.box_id)) record.box_id = mapping.get(record.box_id);
    changes.push({ field: "suggestions", op: "remove", record: { id: s.id } as Suggestion });
    changes.push({ field: isBox(record) ? "boxes" : "keypoints", op: "add", record });
  }
  return { changes, ids: mapping };
}

/** The changes that accept every suggestion. */
export function acceptAllChanges(lists: ReviewLists, makeId: () => string): Accepted {
  return acceptChanges(lists, lists.suggestions.items.map((s) => s.id), makeId);
}

/** The changes that reject suggestion `id` (a box with its suggested keypoints). */
export function rejectChanges(lists: ReviewLists, id: string): Change[] {
  const record = lists.suggestions.get(id);
  if (!record) return [];
  const gone = isBox(record) ? instanceOf(lists.suggestions, id) : [record];
  return gone.map((s) => ({ field: "suggestions", op: "remove", record: { id: s.id } as Suggestion }));
}
