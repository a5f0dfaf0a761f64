/**
 * Pointer gestures as plain data: what a press starts (hit testing included), how the pointer
 * moves it, and the changes it makes when released. Nothing here touches the DOM or the
 * kernel; a gesture becomes changes only on release, so it costs one message however long the
 * drag.
 */
import type { Box, Change, Keypoint } from "../types";
import {
  type Handle, type Point, type Rect, type View,
  HANDLES, clamp, handlePoint, moveRect, rectFromPoints, resizeRect,
} from "../lib/geometry";
import { chooseInstance, labelToPlace, placeChange, placedLabels } from "./keypoints";
import { type Ref, asHuman, isBox } from "./records";
import type { ActiveState } from "./render";
import type { Scene } from "./scene";
import { acceptChanges } from "./suggestions";

export type Tool = "box" | "keypoint" | "select" | "polygon" | "brush" | "eraser";

/** Screen sizes (CSS px) of the things the pointer grabs. */
export const HANDLE_PX = 7;
export const KEYPOINT_PX = 8;
export const MIN_BOX_PX = 3;

export type Target =
  | { kind: "handle"; ref: Ref; handle: Handle }
  | { kind: "keypoint"; ref: Ref }
  | { kind: "box"; ref: Ref }
  | { kind: "empty" };

export type Gesture =
  | { kind: "draw"; from: Point; to: Point }
  | { kind: "move"; ref: Ref; from: Point; start: Rect; current: Rect }
  | { kind: "resize"; ref: Ref; handle: Handle; from: Point; start: Rect; current: Rect }
  | { kind: "point"; ref: Ref; from: Point; start: Point; current: Point }
  | { kind: "place"; label: string; boxId: string | undefined; current: Point }
  | { kind: "pan"; from: Point; start: View };

/** What is under image point `p` at zoom `scale` (CSS px per image px). */
export function hitTest(scene: Scene, p: Point, scale: number, selection: Ref | null, tool: Tool): Target {
  const selected = scene.get(selection);
  if (tool !== "keypoint" && selection && selected && isBox(selected)) {
    const tolerance = HANDLE_PX / scale;
    for (const handle of HANDLES) {
      const h = handlePoint(selected, handle);
      if (Math.abs(h.x - p.x) <= tolerance && Math.abs(h.y - p.y) <= tolerance) {
        return { kind: "handle", ref: selection, handle };
      }
    }
  }
  const radius = KEYPOINT_PX / scale;
  const point = scene.keypointAt("keypoints", p, radius);
  if (point) return { kind: "keypoint", ref: { field: "keypoints", id: point.id } };
  const suggested = scene.keypointAt("suggestions", p, radius);
  if (suggested) return { kind: "keypoint", ref: { field: "suggestions", id: suggested.id } };
  const box = scene.boxesAt("boxes", p)[0];
  if (box) return { kind: "box", ref: { field: "boxes", id: box.id } };
  const suggestion = scene.boxesAt("suggestions", p)[0];
  if (suggestion) return { kind: "box", ref: { field: "suggestions", id: suggestion.id } };
  return { kind: "empty" };
}

export interface Press {
  target: Target;
  tool: Tool;
  /** The pointer in image pixels and in screen (CSS) pixels. */
  p: Point;
  screen: Point;
  view: View;
  /** Mouse button (0 left, 1 middle); `pan` when Space is held. */
  button: number;
  pan: boolean;
  selection: Ref | null;
  scene: Scene;
  /** The current label of the tool, and whether it was picked explicitly. */
  label: string;
  labelPinned: boolean;
  keypointLabels: readonly string[];
}

/** The box that defines the selected instance: the selected box, or the selected keypoint's box. */
export function selectedInstanceBox(scene: Scene, selection: Ref | null): Box | undefined {
  const record = scene.get(selection);
  if (!record || !selection || selection.field === "suggestions") return undefined;
  if (isBox(record)) return record;
  const box = record.box_id ? scene.boxes.get(record.box_id) : undefined;
  return box;
}

/**
 * What a press starts, and the selection after it (`undefined`: unchanged).
 */
export function begin(press: Press): { gesture: Gesture | null; select: Ref | null | undefined } {
  const { target, tool, p, scene } = press;
  if (press.button === 1 || press.pan) return { gesture: { kind: "pan", from: press.screen, start: press.view }, select: undefined };
  if (press.button !== 0) return { gesture: null, select: undefined };
  if (target.kind === "handle") {
    const box = scene.get(target.ref) as Box;
    return { gesture: { kind: "resize", ref: target.ref, handle: target.handle, from: p, start: rectOf(box), current: rectOf(box) }, select: undefined };
  }
  if (target.kind === "keypoint") {
    const point = scene.get(target.ref) as Keypoint;
    const start = { x: point.x, y: point.y };
    return { gesture: { kind: "point", ref: target.ref, from: p, start, current: start }, select: target.ref };
  }
  if (tool === "keypoint") {
    if (press.keypointLabels.length === 0) return { gesture: null, select: undefined };
    const boxId = chooseInstance(p, selectedInstanceBox(scene, press.selection), scene.boxesAt("boxes", p));
    const label = labelToPlace(press.keypointLabels, placedLabels(scene.keypoints.items, boxId), press.label, press.labelPinned);
    return { gesture: { kind: "place", label, boxId, current: clampPoint(p, scene) }, select: undefined };
  }
  if (target.kind === "box") {
    const box = scene.get(target.ref) as Box;
    return { gesture: { kind: "move", ref: target.ref, from: p, start: rectOf(box), current: rectOf(box) }, select: target.ref };
  }
  if (tool === "box") return { gesture: { kind: "draw", from: clampPoint(p, scene), to: clampPoint(p, scene) }, select: null };
  return { gesture: { kind: "pan", from: press.screen, start: press.view }, select: null };
}

function rectOf(box: Rect): Rect {
  return { x: box.x, y: box.y, w: box.w, h: box.h };
}

export function clampPoint(p: Point, scene: { width: number; height: number }): Point {
  return { x: clamp(p.x, 0, scene.width), y: clamp(p.y, 0, scene.height) };
}

/** The gesture after the pointer moved to image point `p` (pan gestures are the caller's). */
export function update(gesture: Gesture, p: Point, scene: { width: number; height: number }): Gesture {
  const { width, height } = scene;
  switch (gesture.kind) {
    case "draw":
      return { ...gesture, to: clampPoint(p, scene) };
    case "move":
      return { ...gesture, current: moveRect(gesture.start, p.x - gesture.from.x, p.y - gesture.from.y, width, height) };
    case "resize":
      return { ...gesture, current: resizeRect(gesture.start, gesture.handle, p.x - gesture.from.x, p.y - gesture.from.y, width, height) };
    case "point":
      return { ...gesture, current: clampPoint({ x: gesture.start.x + p.x - gesture.from.x, y: gesture.start.y + p.y - gesture.from.y }, scene) };
    case "place":
      return { ...gesture, current: clampPoint(p, scene) };
    case "pan":
      return gesture;
  }
}

/** The rectangle a draw gesture makes. */
export function drawnRect(gesture: { from: Point; to: Point }, scene: { width: number; height: number }): Rect {
  return rectFromPoints(gesture.from, gesture.to, scene.width, scene.height);
}

export interface Outcome {
  changes: Change[];
  /** The selection afterwards (`undefined`: unchanged). */
  select: Ref | null | undefined;
  /** A keypoint was placed: its label and instance (the caller advances the label). */
  placed?: { label: string; boxId: string | undefined };
}

/** The changes a released gesture makes. */
export function finish(
  gesture: Gesture, scene: Scene, options: { label: string; scale: number; makeId: () => string },
): Outcome {
  const none: Outcome = { changes: [], select: undefined };
  switch (gesture.kind) {
    case "pan":
      return none;
    case "draw": {
      const r = drawnRect(gesture, scene);
      if (r.w * options.scale < MIN_BOX_PX || r.h * options.scale < MIN_BOX_PX) return { changes: [], select: null };
      const record: Box = { id: options.makeId(), ...r, label: options.label, source: "human" };
      return { changes: [{ field: "boxes", op: "add", record }], select: { field: "boxes", id: record.id } };
    }
    case "move":
    case "resize": {
      const r = gesture.current;
      const same = r.x === gesture.start.x && r.y === gesture.start.y && r.w === gesture.start.w && r.h === gesture.start.h;
      if (same) return none;
      if (r.w * options.scale < 1 || r.h * options.scale < 1) return none; // resized to nothing
      return edit(scene, gesture.ref, { x: r.x, y: r.y, w: r.w, h: r.h }, options.makeId);
    }
    case "point": {
      const c = gesture.current;
      if (c.x === gesture.start.x && c.y === gesture.start.y) return none;
      return edit(scene, gesture.ref, { x: c.x, y: c.y }, options.makeId);
    }
    case "place": {
      const change = placeChange(scene.keypoints.items, gesture.label, gesture.current, gesture.boxId, options.makeId());
      return {
        changes: [change], select: { field: "keypoints", id: change.record.id },
        placed: { label: gesture.label, boxId: gesture.boxId },
      };
    }
  }
}

/**
 * The changes that edit record `ref` with `fields`: an update of a person's record (which
 * becomes a person's record: source "human", no score), or the acceptance of a suggestion
 * with the edit.
 */
export function edit(scene: Scene, ref: Ref, fields: Partial<Box> | Partial<Keypoint>, makeId: () => string): Outcome {
  const record = scene.get(ref);
  if (!record) return { changes: [], select: undefined };
  if (ref.field === "suggestions") {
    const accepted = acceptChanges(scene, [ref.id], makeId, { [ref.id]: fields });
    const id = accepted.ids.get(ref.id) as string;
    return { changes: accepted.changes, select: { field: isBox(record) ? "boxes" : "keypoints", id } };
  }
  return { changes: [{ field: ref.field, op: "update", record: asHuman({ ...record, ...fields } as Box | Keypoint) }], select: undefined };
}

/** What the active layer shows: the selection (where a drag has it now), the gesture, the hover. */
export function shownState(
  scene: Scene, gesture: Gesture | null, selection: Ref | null, hover: Ref | null, tool: Tool, label: string,
): ActiveState {
  const g = gesture;
  let selected = scene.get(selection) ?? null;
  let point: Keypoint | null = null;
  let drawing: ActiveState["drawing"] = null;
  if (g && (g.kind === "move" || g.kind === "resize")) {
    const record = scene.get(g.ref);
    if (record) selected = { ...(record as Box), ...g.current };
  } else if (g?.kind === "point") {
    const record = scene.get(g.ref) as Keypoint | undefined;
    if (record) selected = point = { ...record, x: g.current.x, y: g.current.y };
  } else if (g?.kind === "place") {
    point = { id: "", label: g.label, source: "human", x: g.current.x, y: g.current.y, visible: 2 };
    if (g.boxId) point.box_id = g.boxId;
  } else if (g?.kind === "draw") {
    drawing = { rect: drawnRect(g, scene), label };
  }
  // A suggestion being edited is drawn as what it becomes: a person's record.
  const editing = g !== null && g.kind !== "pan" && g.kind !== "draw";
  return {
    selected, point, drawing,
    hover: g ? null : scene.get(hover) ?? null,
    selectedIsSuggestion: selection?.field === "suggestions" && !editing,
    showHandles: tool !== "keypoint" && !!selected && isBox(selected),
  };
}
