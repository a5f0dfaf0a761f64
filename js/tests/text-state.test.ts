import { describe, expect, it } from "vitest";
import { TextState, itemKey } from "../text/state";
import { acceptAllChanges, acceptChanges, acceptedSpan, rejectChanges } from "../text/suggestions";
import type { Span } from "../types";

const text = "😀 Anna lives in Köln\nsecond line";
const anna: Span = { id: "a", start: 2, end: 6, label: "PER", text: "Anna", source: "human" };
const koeln: Span = { id: "k", start: 16, end: 20, label: "LOC", text: "Köln", source: "human" };
const guess: Span = { id: "g", start: 2, end: 12, label: "PER", text: "Anna lives", source: "model", score: 0.7 };

function loaded(): TextState {
  const state = new TextState();
  state.setDocument(text, "token", null);
  state.load([anna, koeln], [guess], ["PER", "LOC"]);
  return state;
}

describe("TextState", () => {
  it("loads a document: blocks, tokens and items in UTF-16 with levels", () => {
    const state = loaded();
    expect(state.blocks).toHaveLength(2);
    expect(state.tokens?.snap(4, 5)).toEqual([3, 7]); // "Anna", after the emoji
    expect(state.get(itemKey("span", "a"))?.s16).toBe(3);
    expect(state.get(itemKey("suggestion", "g"))?.level).not.toBe(state.get(itemKey("span", "a"))?.level);
    expect(state.problems).toEqual([]);
  });
  it("has no tokens with snap none, and a custom tokenizer's tokens from the buffer", () => {
    const state = new TextState();
    state.setDocument(text, "none", null);
    expect(state.tokens).toBeNull();
    const view = new DataView(new ArrayBuffer(8));
    view.setInt32(0, 3, true);
    view.setInt32(4, 12, true);
    state.setDocument(text, "custom", view);
    expect(state.tokens?.snap(5, 6)).toEqual([3, 12]);
    expect(state.tokens?.snap(13, 14)).toBeNull();
  });
  it("applies edits and returns the ranges to redraw", () => {
    const state = loaded();
    const added: Span = { id: "n", start: 7, end: 12, label: "LOC", text: "lives", source: "human" };
    expect(state.apply([{ field: "spans", op: "add", record: added }])).toEqual([[8, 13]]);
    const n = state.get(itemKey("span", "n"));
    // Only the suggestion (level 0, the outer item) overlaps it: the lowest free level is 1.
    expect(state.get(itemKey("suggestion", "g"))?.level).toBe(0);
    expect(n?.level).toBe(1);
    expect(n?.level).not.toBe(state.get(itemKey("suggestion", "g"))?.level);
    // A relabel keeps the level; a removal by id alone works (undo sends only the id).
    const before = state.get(itemKey("span", "a"))?.level;
    state.apply([{ field: "spans", op: "update", record: { ...anna, label: "LOC" } }]);
    expect(state.get(itemKey("span", "a"))?.level).toBe(before);
    expect(state.get(itemKey("span", "a"))?.label).toBe("LOC");
    expect(state.apply([{ field: "spans", op: "remove", record: { id: "a" } as Span }])).toEqual([[3, 7]]);
    expect(state.get(itemKey("span", "a"))).toBeUndefined();
  });
  it("reports malformed records instead of drawing them", () => {
    const state = new TextState();
    state.setDocument(text, "token", null);
    state.load([{ ...anna, end: 500 }], [], ["PER"]);
    expect(state.items.size).toBe(0);
    expect(state.problems[0]).toContain("beyond the text");
  });
  it("finds an exact duplicate", () => {
    const state = loaded();
    expect(state.findSame("span", 3, 7, "PER")?.id).toBe("a");
    expect(state.findSame("span", 3, 7, "LOC")).toBeUndefined();
  });
});

describe("suggestion review changes", () => {
  it("accepting moves the suggestion to spans as human, same id, without its score", () => {
    expect(acceptedSpan(guess)).toEqual({ id: "g", start: 2, end: 12, label: "PER", text: "Anna lives", source: "human" });
    const changes = acceptChanges(guess, "LOC");
    expect(changes.map((c) => [c.field, c.op, c.record.id])).toEqual([["suggestions", "remove", "g"], ["spans", "add", "g"]]);
    expect((changes[1]?.record as Span).label).toBe("LOC");
  });
  it("rejecting only removes it", () => {
    expect(rejectChanges(guess)).toEqual([{ field: "suggestions", op: "remove", record: guess }]);
  });
  it("accept all skips exact duplicates of existing spans", () => {
    const dup: Span = { ...anna, id: "d", source: "model", score: 0.9 };
    const changes = acceptAllChanges([guess, dup], [anna]);
    expect(changes.map((c) => [c.field, c.op, c.record.id])).toEqual([
      ["suggestions", "remove", "g"], ["spans", "add", "g"], ["suggestions", "remove", "d"],
    ]);
  });
  it("the state follows an accept", () => {
    const state = loaded();
    state.apply(acceptChanges(guess));
    expect(state.get(itemKey("suggestion", "g"))).toBeUndefined();
    expect(state.get(itemKey("span", "g"))?.record.source).toBe("human");
  });
});
