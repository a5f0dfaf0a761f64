/**
 * Commands on the records of one view: on the selected record (delete, accept or reject a
 * suggestion, toggle a keypoint's visibility, edit a box's text), on all the suggestions at
 * once, and stepping through the records (select the next one and bring it on screen).
 */
import type { Change } from "../types";
import { containsPoint } from "../lib/geometry";
import { newId } from "../lib/sync";
import { cycle, deleteChanges } from "./actions";
import { edit } from "./gestures";
import { toggledVisibility } from "./keypoints";
import { type Ref, type Suggestion, isBox } from "./records";
import type { Scene } from "./scene";
import type { Stage } from "./stage";
import { acceptAllChanges, acceptChanges, rejectChanges } from "./suggestions";
import type { ImageTranscriber } from "./transcribe";
import { keepVisible, visibleRect } from "./view";

export interface CommandHost {
  readonly scene: Scene;
  readonly stage: Stage;
  readonly transcriber: ImageTranscriber;
  selection(): Ref | null;
  select(ref: Ref | null): void;
  /** Apply, remember and send record changes. */
  commit(changes: Change[]): void;
}

export class RecordCommands {
  constructor(private readonly host: CommandHost) {}

  deleteSelection(): void {
    const selection = this.host.selection();
    if (!selection) return;
    this.host.commit(deleteChanges(this.host.scene, selection));
    this.host.select(null);
  }

  acceptSelection(): void {
    const { scene } = this.host;
    const ref = this.host.selection();
    if (!ref || ref.field !== "suggestions" || !scene.get(ref)) return;
    const record = scene.get(ref) as Suggestion;
    const accepted = acceptChanges(scene, [ref.id], newId);
    this.host.commit(accepted.changes);
    this.host.select({ field: isBox(record) ? "boxes" : "keypoints", id: accepted.ids.get(ref.id) as string });
  }

  /** Enter or F2 on a selected box: edit its text (false when there is nothing to edit). */
  transcribeSelection(): boolean {
    const ref = this.host.selection();
    return ref?.field === "boxes" && this.host.transcriber.open(ref.id);
  }

  rejectSelection(): void {
    if (this.host.selection()?.field === "suggestions") this.deleteSelection();
  }

  toggleVisibility(): void {
    const selection = this.host.selection();
    const record = this.host.scene.get(selection);
    if (!selection || !record || isBox(record)) return;
    const outcome = edit(this.host.scene, selection, { visible: toggledVisibility(record.visible) }, newId);
    this.host.commit(outcome.changes);
    if (outcome.select !== undefined) this.host.select(outcome.select);
  }

  /** Accept every suggestion. */
  acceptAll(): void {
    this.host.commit(acceptAllChanges(this.host.scene, newId).changes);
  }

  /** Reject every suggestion. */
  rejectAll(): void {
    const scene = this.host.scene;
    this.host.commit(scene.suggestions.items.flatMap((s) => rejectChanges(scene, s.id)).filter(uniqueRemovals()));
  }

  cycle(step: 1 | -1): boolean {
    const ref = cycle(this.host.scene.order(), this.host.selection(), step);
    if (!ref) return false;
    this.host.select(ref);
    this.reveal(ref);
    return true;
  }

  /** Pan so that record `ref` is on screen. */
  reveal(ref: Ref): void {
    const { scene, stage } = this.host;
    const record = scene.get(ref);
    if (!record) return;
    const { view, vp } = stage;
    const visible = visibleRect(view, vp, scene.width, scene.height);
    const center = isBox(record) ? { x: record.x + record.w / 2, y: record.y + record.h / 2 } : { x: record.x, y: record.y };
    if (containsPoint(visible, center)) return;
    stage.fitted = false;
    stage.setView(keepVisible({
      scale: view.scale,
      offsetX: center.x - vp.width / 2 / view.scale,
      offsetY: center.y - vp.height / 2 / view.scale,
    }, scene.width, scene.height, vp));
  }
}

/** Drop repeated removals of one record (a box and its keypoints rejected twice). */
function uniqueRemovals(): (change: Change) => boolean {
  const seen = new Set<string>();
  return (change) => {
    const key = `${change.field}:${change.record.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}
