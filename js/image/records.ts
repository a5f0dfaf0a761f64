/**
 * Record shapes as the browser sees them, and checks of the lists it receives: a malformed
 * record is not drawn, and the widget says which one and why (inline, not in the console).
 */
import type { Box, Keypoint } from "../types";

export type Field = "boxes" | "keypoints" | "suggestions";
export type Suggestion = Box | Keypoint;

/** A reference to one record of one list. */
export interface Ref {
  field: Field;
  id: string;
}

export function isBox(record: Box | Keypoint): record is Box {
  return "w" in record && "h" in record;
}

export function sameRef(a: Ref | null, b: Ref | null): boolean {
  return a === b || (a !== null && b !== null && a.field === b.field && a.id === b.id);
}

function finite(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value);
}

/** Why `record` cannot be drawn as a box or keypoint (null: it can). */
export function recordProblem(record: unknown, kind: "box" | "keypoint"): string | null {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return "it is not an object";
  const r = record as Record<string, unknown>;
  if (typeof r.id !== "string" || r.id === "") return "its id is not a non-empty string";
  if (typeof r.label !== "string") return "its label is not a string";
  const fields = kind === "box" ? ["x", "y", "w", "h"] : ["x", "y"];
  for (const field of fields) {
    if (!finite(r[field])) return `its ${field} is not a number`;
  }
  if (kind === "box" && ((r.w as number) < 0 || (r.h as number) < 0)) return "its size is negative";
  if (kind === "keypoint" && r.visible !== undefined && r.visible !== 0 && r.visible !== 1 && r.visible !== 2) {
    return "its visible is not 0, 1 or 2";
  }
  return null;
}

/** The kind of a record of `field` (suggestions hold both boxes and keypoints). */
export function kindOf(field: Field, record: unknown): "box" | "keypoint" {
  if (field === "boxes") return "box";
  if (field === "keypoints") return "keypoint";
  return typeof record === "object" && record !== null && "w" in record ? "box" : "keypoint";
}

/** One message per malformed record of `items` (at most `limit`, then a count). */
export function listProblems(field: Field, items: unknown, limit = 3): string[] {
  if (!Array.isArray(items)) return [`${field} is not a list`];
  const out: string[] = [];
  let more = 0;
  const seen = new Set<string>();
  items.forEach((record, index) => {
    let problem = recordProblem(record, kindOf(field, record));
    if (!problem) {
      const id = (record as { id: string }).id;
      if (seen.has(id)) problem = `its id ${JSON.stringify(id)} is used twice`;
      seen.add(id);
    }
    if (!problem) return;
    if (out.length < limit) out.push(`${field}[${index}] is not shown: ${problem}`);
    else more++;
  });
  if (more) out.push(`and ${more} more malformed ${field}`);
  return out;
}

/** A copy of `record` as a person's record: source "human", no model score. */
export function asHuman<R extends Box | Keypoint>(record: R): R {
  const out = { ...record, source: "human" as const };
  delete (out as { score?: number }).score;
  return out;
}
