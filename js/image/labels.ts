/**
 * The current label and tool of one view: which label the next annotation gets, remembered
 * per tool (box labels for boxes, keypoint names for keypoints); whether the person picked it
 * (then a keypoint click places exactly that name) or it advances by itself through the
 * instance's unplaced keypoints; and what the digit keys do.
 */
import type { AnyModel } from "@anywidget/types";
import type { Change } from "../types";
import { newId } from "../lib/sync";
import { labelKind, relabel } from "./actions";
import { type Tool, selectedInstanceBox } from "./gestures";
import { nextUnplaced, placedLabels } from "./keypoints";
import type { ImageModel } from "./model";
import { type Ref, isBox } from "./records";
import type { Scene } from "./scene";

export interface LabelHost {
  readonly model: AnyModel<ImageModel>;
  readonly scene: Scene;
  selection(): Ref | null;
  select(ref: Ref | null): void;
  commit(changes: Change[]): void;
  /** Something to tell the person (in the status line). */
  status(text: string): void;
  /** The tool or label changed: refresh what shows them. */
  changed(): void;
}

export class Labels {
  /** The person picked the current label (a digit key or a chip). */
  pinned = false;
  private readonly last = { box: "", keypoint: "" };

  constructor(private readonly host: LabelHost) {
    const model = host.model;
    this.last[model.get("tool") === "keypoint" ? "keypoint" : "box"] = model.get("label");
  }

  /** The label names the digit keys and chips address now. */
  names(): { names: string[]; kind: "box" | "keypoint" } {
    const { model, scene } = this.host;
    const kind = labelKind(model.get("tool"), scene.get(this.host.selection()));
    return { names: (kind === "keypoint" ? model.get("keypoint_labels") : model.get("labels")) ?? [], kind };
  }

  /** Digit key `index`: relabel the selection, or pick the label of the next annotation. */
  choose(index: number): void {
    const { names, kind } = this.names();
    const name = names[index];
    if (name === undefined) return;
    const selection = this.host.selection();
    const record = this.host.scene.get(selection);
    if (selection && record && (kind === "keypoint") !== isBox(record)) {
      const outcome = relabel(this.host.scene, selection, name, newId);
      if (typeof outcome === "string") return this.host.status(outcome);
      this.host.commit(outcome.changes);
      if (outcome.select !== undefined) this.host.select(outcome.select);
      return;
    }
    this.set(name, true);
  }

  set(name: string, pinned: boolean): void {
    const model = this.host.model;
    this.pinned = pinned;
    this.last[model.get("tool") === "keypoint" ? "keypoint" : "box"] = name;
    if (model.get("label") !== name) {
      model.set("label", name);
      model.save_changes();
    }
    this.host.changed();
  }

  /** After placing keypoint `placed` of instance `boxId`: the next unplaced one. */
  advance(placed: string, boxId: string | undefined): void {
    const names = this.host.model.get("keypoint_labels") ?? [];
    const next = nextUnplaced(names, placedLabels(this.host.scene.keypoints.items, boxId), placed);
    // A complete instance: get ready for the next one.
    this.set(next ?? names[0] ?? placed, false);
  }

  /** A box was selected in the keypoint tool: its first unplaced keypoint comes next. */
  instanceSelected(boxId: string): void {
    const model = this.host.model;
    if (this.pinned || model.get("tool") !== "keypoint") return;
    const next = nextUnplaced(model.get("keypoint_labels") ?? [], placedLabels(this.host.scene.keypoints.items, boxId), null);
    if (next) this.set(next, false);
  }

  /** Switch tool; the label becomes the tool's (remembered, or the instance's next keypoint). */
  setTool(tool: Tool): boolean {
    const { model, scene } = this.host;
    const keypointNames = model.get("keypoint_labels") ?? [];
    if (tool === "keypoint" && keypointNames.length === 0) return false;
    const kind = tool === "keypoint" ? "keypoint" : "box";
    const names = kind === "keypoint" ? keypointNames : model.get("labels") ?? [];
    let label = names.includes(this.last[kind]) ? this.last[kind] : names[0] ?? "";
    if (kind === "keypoint") {
      const box = selectedInstanceBox(scene, this.host.selection());
      label = nextUnplaced(names, placedLabels(scene.keypoints.items, box?.id), null) ?? label;
    }
    this.pinned = false;
    this.last[kind] = label;
    model.set("tool", tool);
    model.set("label", label);
    model.save_changes();
    this.host.changed();
    return true;
  }
}
