import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OffsetMap, codePointToUtf16, utf16ToCodePoint } from "../lib/offsets";

interface OffsetCase {
  text: string;
  utf16_of_code_point: number[];
  code_points: number;
  utf16_length: number;
}

const cases: OffsetCase[] = JSON.parse(
  readFileSync(new URL("../../tests/fixtures/offsets.json", import.meta.url), "utf-8"),
);

describe("OffsetMap on the shared fixtures", () => {
  it("has fixtures", () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(`converts both ways: ${JSON.stringify(c.text).slice(0, 30)}`, () => {
      const map = new OffsetMap(c.text);
      expect(map.codePointLength).toBe(c.code_points);
      expect(map.utf16Length).toBe(c.utf16_length);
      c.utf16_of_code_point.forEach((u16, cp) => {
        expect(map.toUtf16(cp)).toBe(u16);
        expect(map.toCodePoint(u16)).toBe(cp);
        expect(utf16ToCodePoint(c.text, u16)).toBe(cp);
        expect(codePointToUtf16(c.text, cp)).toBe(u16);
      });
    });
  }
  it("rounds an index inside a surrogate pair down for starts and up for ends", () => {
    const map = new OffsetMap("a😀b");
    expect(map.toCodePoint(2, "down")).toBe(1);
    expect(map.toCodePoint(2, "up")).toBe(2);
    expect(map.toUtf16(2)).toBe(3);
  });
  it("clamps out-of-range offsets", () => {
    const map = new OffsetMap("😀");
    expect(map.toCodePoint(99)).toBe(1);
    expect(map.toUtf16(-3)).toBe(0);
  });
});
