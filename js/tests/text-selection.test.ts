import { describe, expect, it } from "vitest";
import { OffsetMap } from "../lib/offsets";
import { extendRange, rangeToSpan } from "../text/selection";
import { LocalTokenSnapper, TokenListSnapper, tokenize } from "../text/tokens";

const sample = "😀 Anna lives in Köln.\n𝄞 music";
const snappers = {
  "local tokens": new LocalTokenSnapper(sample),
  "a token list": new TokenListSnapper(tokenize(sample)),
};

describe.each(Object.entries(snappers))("rangeToSpan with %s", (_name, tokens) => {
  const text = sample;
  const map = new OffsetMap(text);
  it("snaps to tokens and gives code points that slice the same text in Python", () => {
    const picked = rangeToSpan(text, map, tokens, 5, 11);
    expect(picked).toEqual({ start: 2, end: 12, s16: 3, e16: 13, text: "Anna lives" });
    // Python's text[2:12] is the same string: code points of a string with one emoji first.
    expect([...text].slice(2, 12).join("")).toBe("Anna lives");
  });
  it("orders a backwards selection", () => {
    expect(rangeToSpan(text, map, tokens, 11, 5)?.text).toBe("Anna lives");
  });
  it("keeps exact characters without tokens, never splitting a surrogate pair", () => {
    expect(rangeToSpan(text, map, null, 4, 6)).toEqual({ start: 3, end: 5, s16: 4, e16: 6, text: "nn" });
    const line2 = text.indexOf("𝄞");
    const inside = rangeToSpan(text, map, null, line2 + 1, line2 + 4);
    expect(inside?.text).toBe("𝄞 m");
    expect(inside?.start).toBe([...text.slice(0, line2)].length);
  });
  it("crosses a line break", () => {
    const picked = rangeToSpan(text, map, tokens, 18, text.indexOf("music") + 2);
    expect(picked?.text).toBe("Köln.\n𝄞 music");
  });
  it("makes no span from whitespace or an empty range", () => {
    expect(rangeToSpan(text, map, tokens, 7, 8)).toBeNull();
    expect(rangeToSpan(text, map, null, 7, 8)).toBeNull();
    expect(rangeToSpan(text, map, tokens, 5, 5)).toBeNull();
  });
  it("extends a span to a point on either side", () => {
    expect(extendRange(text, map, tokens, 3, 7, 10)?.text).toBe("Anna lives");
    expect(extendRange(text, map, tokens, 8, 13, 4)?.text).toBe("Anna lives");
    expect(extendRange(text, map, tokens, 3, 13, 5)).toBeNull();
  });
});
