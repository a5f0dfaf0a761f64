import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OffsetMap } from "../lib/offsets";
import { PY_WHITESPACE, snapToTokens, tokenAt, tokenize, tokenizeWithPattern, tokensFromBuffer, LocalTokenSnapper } from "../text/tokens";

interface Fixture {
  whitespace: number[];
  cases: { text: string; tokens: [number, number][] }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../../tests/fixtures/tokens.json", import.meta.url), "utf-8"),
);

describe("tokenize agrees with Python's nbannotate.formats.tokens.tokenize", () => {
  it("has fixtures", () => expect(fixture.cases.length).toBeGreaterThan(10));
  for (const c of fixture.cases) {
    it(`tokens of ${JSON.stringify(c.text).slice(0, 40)}`, () => {
      const map = new OffsetMap(c.text);
      const tokens = tokenize(c.text);
      const got: [number, number][] = [];
      for (let i = 0; i < tokens.length; i += 2) {
        got.push([map.toCodePoint(tokens[i] as number), map.toCodePoint(tokens[i + 1] as number)]);
      }
      expect(got).toEqual(c.tokens);
    });
  }
  it("treats exactly Python's whitespace as whitespace", () => {
    const space = new RegExp(`^[${PY_WHITESPACE}]$`, "u");
    const expected = new Set(fixture.whitespace);
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const isSpace = space.test(String.fromCodePoint(code));
      if (isSpace !== expected.has(code)) throw new Error(`U+${code.toString(16)}: ${isSpace}`);
    }
    expect(fixture.whitespace.length).toBeGreaterThan(20);
  });
});

describe("snapToTokens", () => {
  const text = "😀 Anna lives in Köln.";
  const tokens = tokenize(text); // UTF-16: 😀 [0,2) Anna [3,7) lives [8,13) in [14,16) Köln [17,21) . [21,22)
  it("widens a partial selection to whole tokens", () => {
    expect(snapToTokens(tokens, 4, 6)).toEqual([3, 7]);
    expect(snapToTokens(tokens, 5, 10)).toEqual([3, 13]);
  });
  it("keeps an exact token and drops surrounding spaces", () => {
    expect(snapToTokens(tokens, 2, 8)).toEqual([3, 7]);
    expect(snapToTokens(tokens, 17, 21)).toEqual([17, 21]);
  });
  it("returns null for whitespace only or an empty range", () => {
    expect(snapToTokens(tokens, 7, 8)).toBeNull();
    expect(snapToTokens(tokens, 5, 5)).toBeNull();
    expect(snapToTokens(new Int32Array(0), 0, 3)).toBeNull();
  });
  it("covers the emoji as one token", () => {
    expect(snapToTokens(tokens, 1, 2)).toEqual([0, 2]);
  });
  it("finds the token at an offset", () => {
    expect(tokenAt(tokens, 9)).toEqual([8, 13]);
    expect(tokenAt(tokens, 7)).toEqual([8, 13]);
    expect(tokenAt(tokens, 22)).toBeNull();
  });
});

describe("tokensFromBuffer", () => {
  it("reads little-endian Int32 pairs", () => {
    const buffer = new ArrayBuffer(16);
    const view = new DataView(buffer);
    [0, 3, 4, 5].forEach((v, i) => view.setInt32(i * 4, v, true));
    expect([...tokensFromBuffer(view)]).toEqual([0, 3, 4, 5]);
    expect(tokensFromBuffer(new DataView(new ArrayBuffer(0))).length).toBe(0);
  });
});

describe("the scanner finds what the regular expression finds", () => {
  it("on the fixtures", () => {
    for (const c of fixture.cases) expect([...tokenize(c.text)]).toEqual([...tokenizeWithPattern(c.text)]);
  });
  it("on random strings of tricky characters", () => {
    const pool = ["a", "Z", "_", "1", "é", "e\u0301", "\u0301", " ", "\t", "\n", "\x1c", "\x85", "\ufeff", "\u200b",
      "\u200d", "😀", "🏽", "🇩", "🇪", "東", "か", "\u3099", "ｶ", "𠮷", ",", ".", "-", "'", "€", "ه", "ש", "ि", "\ud800"];
    let seed = 7;
    const rand = (k: number) => ((seed = (seed * 48271) % 2147483647) % k);
    for (let round = 0; round < 3000; round++) {
      let text = "";
      const length = 1 + rand(12);
      for (let j = 0; j < length; j++) text += pool[rand(pool.length)];
      expect([...tokenize(text)], JSON.stringify(text)).toEqual([...tokenizeWithPattern(text)]);
    }
  });
});

describe("LocalTokenSnapper snaps like the whole token list, tokenizing only near the ends", () => {
  function check(text: string, step = 1): void {
    const whole = tokenize(text);
    const local = new LocalTokenSnapper(text);
    for (let a = 0; a < text.length; a += step) {
      for (let b = a; b <= Math.min(text.length, a + 25); b++) {
        expect(local.snap(a, b), `${JSON.stringify(text.slice(0, 30))} [${a}, ${b})`).toEqual(snapToTokens(whole, a, b));
      }
    }
  }
  it("on the fixtures", () => {
    for (const c of fixture.cases) check(c.text);
  });
  it("on random strings", () => {
    const pool = ["ab", "é", "\u0301", " ", "  ", "\n", "\x85", "😀", "\u200d", "🇩🇪", "東", ",", "x_1"];
    let seed = 11;
    const rand = (k: number) => ((seed = (seed * 48271) % 2147483647) % k);
    for (let round = 0; round < 200; round++) {
      let text = "";
      for (let j = 0; j < 3 + rand(20); j++) text += pool[rand(pool.length)];
      check(text);
    }
  });
  it("on text without spaces longer than its window (tokenized whole once)", () => {
    check("東京".repeat(2500) + "abc" + "x".repeat(5000) + " end", 997);
  });
});
