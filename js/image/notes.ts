/**
 * The inline message bar of one view: collects what is wrong (the kernel's error, the image,
 * the last sync, problems found in the records) and shows it as one line, or nothing.
 */
import { messageBar } from "../lib/dom";

export type NoteKind = "model" | "image" | "sync";

export class Notes {
  private readonly text: Record<NoteKind, string> = { model: "", image: "", sync: "" };
  /** Problems per record list (and "segmentation"), in the order they were first reported. */
  private readonly records = new Map<string, string[]>();
  private readonly bar: ReturnType<typeof messageBar>;

  constructor(root: HTMLElement) {
    this.bar = messageBar(root);
  }

  /** Set one note ("" clears it) and refresh the bar. */
  set(kind: NoteKind, text: string): void {
    this.text[kind] = text;
    this.refresh();
  }

  /** Set the problems of one record list ([]: none) and refresh the bar. */
  setRecords(key: string, lines: string[]): void {
    this.records.set(key, lines);
    this.refresh();
  }

  private refresh(): void {
    const { model, image, sync } = this.text;
    const parts = [model, image, sync, ...[...this.records.values()].flat()].filter(Boolean);
    if (parts.length) this.bar.show(parts.join(" · "));
    else this.bar.clear();
  }
}
