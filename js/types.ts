/** TypeScript mirror of nbannotate/records.py and of the widgets' change messages. */

export type Source = "human" | "model" | "auto" | "gold";

export interface BaseRecord {
  id: string;
  label: string;
  source: Source;
  score?: number;
}

export interface Box extends BaseRecord {
  x: number;
  y: number;
  w: number;
  h: number;
  text?: string;
}

export interface Keypoint extends BaseRecord {
  x: number;
  y: number;
  visible: 0 | 1 | 2;
  box_id?: string;
}

export interface Polygon extends BaseRecord {
  points: [number, number][];
}

export interface Mask extends BaseRecord {
  mask: { size: [number, number]; counts: number[] };
}

export interface Span extends BaseRecord {
  start: number;
  end: number;
  text: string;
}

export interface Region extends BaseRecord {
  start: number;
  end: number;
  channel?: number;
  text?: string;
}

export type AnyRecord = Box | Keypoint | Polygon | Mask | Span | Region;

export type ChangeOp = "add" | "update" | "remove";

/** One edit of one record list, as sent to the kernel. */
export interface Change {
  field: string;
  op: ChangeOp;
  record: AnyRecord;
}

/** Browser -> kernel. */
export interface ChangesMessage {
  type: "changes";
  seq: number;
  changes: Change[];
}

/** Kernel -> browser. */
export type KernelReply =
  | { type: "ack"; seq: number; revision?: number; save?: boolean }
  | { type: "error"; seq: number | null; message: string };
