import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type LabelMap, Stroke, applyEdits, inverseEdits, runRect, segmentD2 } from "../image/brush";
import { countsFromToggles, decodeCounts, encodeCounts, togglesFromCounts, togglesFromSorted } from "../lib/rle";
import { EDGE_ALPHA, MASK_ALPHA, SUGGESTION_ALPHA, acceptEdits, colorize, paintRecords, shownSuggestions, wireEdits } from "../image/masks";

interface StrokeCase { size: [number, number]; radius: number; points: [number, number][]; counts: number[] }
interface EditCase {
  size: [number, number]; labels: string[]; label: string | null; points: [number, number][]; radius: number;
  before: number[]; after: number[]; edits: { label: string; op: "add" | "remove"; counts: number[] }[];
}
const fixtures = JSON.parse(readFileSync(new URL("../../tests/fixtures/masks.json", import.meta.url), "utf-8")) as {
  labels: string[]; strokes: StrokeCase[]; edits: EditCase[]; strings: { counts: number[]; string: string }[];
};

function emptyMap(height: number, width: number): LabelMap {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Paint a whole stroke (every point of the path, as pointer moves). */
function stroke(map: LabelMap, value: number, radius: number, points: [number, number][]): Stroke {
  const s = new Stroke(map, value, radius);
  for (const [x, y] of points) s.to({ x, y });
  return s;
}

describe("COCO run-length encoding", () => {
  it("has fixtures", () => expect(fixtures.strings.length).toBeGreaterThan(5));
  for (const c of fixtures.strings) {
    it(`encodes and decodes ${c.string.slice(0, 12)}`, () => {
      expect(encodeCounts(c.counts)).toBe(c.string);
      expect(decodeCounts(c.string)).toEqual(c.counts);
    });
  }
  it("converts between counts, toggles and sorted pixel indices", () => {
    expect(togglesFromCounts([3, 2, 95])).toEqual([3, 5]);
    expect(togglesFromCounts([0, 4, 96])).toEqual([0, 4]);
    expect(togglesFromCounts([2, 0, 3, 95])).toEqual([5]); // an empty run merges its neighbours
    expect(countsFromToggles([0, 4], 100)).toEqual([0, 4, 96]);
    expect(countsFromToggles([97], 100)).toEqual([97, 3]);
    expect(togglesFromSorted(Uint32Array.from([2, 3, 4, 9, 11, 12]))).toEqual([2, 5, 9, 10, 11, 13]);
  });
  it("rejects a broken string", () => {
    expect(() => decodeCounts("!!")).toThrow(/invalid character/);
    expect(() => decodeCounts("o")).toThrow(/inside a number/);
  });
});

describe("brush strokes cover exactly the pixels Python's definition gives", () => {
  it("has fixtures", () => expect(fixtures.strokes.length).toBeGreaterThan(5));
  for (const c of fixtures.strokes) {
    it(`${c.size.join("×")} radius ${c.radius}, ${c.points.length} points`, () => {
      const [height, width] = c.size;
      const map = emptyMap(height, width);
      const s = stroke(map, 1, c.radius, c.points);
      const edits = s.edits();
      const total = width * height;
      const covered = edits.length ? countsFromToggles(edits[0]!.toggles, total) : [total];
      expect(covered).toEqual(c.counts);
      // The label map holds the same pixels.
      const painted = togglesFromSorted(Array.from(map.data).flatMap((v, i) => (v ? [i] : [])));
      expect(countsFromToggles(painted, total)).toEqual(c.counts);
    });
  }
  it("a single move stamps a capsule, so a fast stroke has no gap", () => {
    const map = emptyMap(20, 100);
    stroke(map, 1, 2, [[5, 10], [95, 10]]);
    for (let x = 5; x < 95; x++) expect(map.data[x * 20 + 10]).toBe(1);
    expect(segmentD2(50.5, 12.5, 5, 10, 95, 10)).toBeCloseTo(6.25);
  });
});

describe("stroke edits on a label map (shared fixtures)", () => {
  for (const c of fixtures.edits) {
    it(`${c.label ?? "eraser"} over ${c.size.join("×")}`, () => {
      const [height, width] = c.size;
      const map: LabelMap = { width, height, data: Uint8Array.from(c.before) };
      const value = c.label === null ? 0 : c.labels.indexOf(c.label) + 1;
      const s = stroke(map, value, c.radius, c.points);
      expect(Array.from(map.data)).toEqual(c.after);
      const got = s.edits().map((e) => ({ label: c.labels[e.value - 1], op: e.op, counts: countsFromToggles(e.toggles, width * height) }));
      const key = (e: { label?: string; op: string }) => `${e.label}:${e.op}`;
      expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...c.edits].sort((a, b) => key(a).localeCompare(key(b))));
      // Undo (the inverse edits) brings the map back; redo makes it again.
      applyEdits(map, inverseEdits(s.edits()));
      expect(Array.from(map.data)).toEqual(c.before);
      applyEdits(map, s.edits());
      expect(Array.from(map.data)).toEqual(c.after);
    });
  }
  it("cancelling a stroke restores every pixel", () => {
    const c = fixtures.edits[0]!;
    const map: LabelMap = { width: c.size[1], height: c.size[0], data: Uint8Array.from(c.before) };
    const s = stroke(map, 2, 3, [[0, 0], [9, 7], [2, 6]]);
    expect(s.size).toBeGreaterThan(0);
    expect(s.revert()).not.toBeNull();
    expect(Array.from(map.data)).toEqual(c.before);
  });
  it("the edit message of a small stroke does not grow with the image", () => {
    const path: [number, number][] = [[100, 100], [160, 130]];
    const sizes = [[300, 400], [3000, 4000]].map(([h, w]) => {
      const map = emptyMap(h as number, w as number);
      const wire = wireEdits(stroke(map, 1, 8, path).edits(), ["sky"], w as number, h as number);
      return JSON.stringify(wire).length;
    });
    expect(sizes[1]! - sizes[0]!).toBeLessThan(12);
    expect(sizes[1]!).toBeLessThan(600);
  });
  it("runRect covers a run within one column or across columns", () => {
    expect(runRect(12, 15, 10)).toEqual({ x: 1, y: 2, w: 1, h: 3 });
    expect(runRect(8, 23, 10)).toEqual({ x: 0, y: 0, w: 3, h: 10 });
  });
});

describe("mask records, suggestions and colours", () => {
  const labels = ["a", "b"];
  it("paints records into a label map, later ones on top, and reports bad ones", () => {
    const map = emptyMap(2, 3);
    const problems = paintRecords(map, [
      { id: "1", label: "a", source: "human", mask: { size: [2, 3], counts: [0, 4, 2] } },
      { id: "2", label: "b", source: "human", mask: { size: [2, 3], counts: "321" as unknown as number[] } },
      { id: "3", label: "zzz", source: "human", mask: { size: [2, 3], counts: [6] } },
      { id: "4", label: "a", source: "human", mask: { size: [3, 3], counts: [9] } },
    ], labels);
    expect(Array.from(map.data)).toEqual([1, 1, 1, 2, 2, 0]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/masks\[2\] is not shown: its label "zzz"/);
    expect(problems[1]).toMatch(/masks\[3\].*size \[2, 3\]/);
  });
  it("accepting fills only unpainted pixels, per label, and the shown count follows", () => {
    const map: LabelMap = { width: 3, height: 2, data: Uint8Array.from([0, 2, 0, 0, 1, 0]) };
    const suggested = Uint8Array.from([1, 1, 1, 2, 2, 2]);
    expect(shownSuggestions(map, suggested)).toBe(4);
    const edits = acceptEdits(map, suggested);
    expect(edits).toEqual([
      { value: 1, op: "add", toggles: [0, 1, 2, 3] },
      { value: 2, op: "add", toggles: [3, 4, 5] },
    ]);
    applyEdits(map, edits);
    expect(Array.from(map.data)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(shownSuggestions(map, suggested)).toBe(0);
    const wire = wireEdits(edits, labels, 3, 2)[1]!;
    expect(wire).toMatchObject({ label: "b", op: "add", rle: { size: [2, 3] } });
    expect(decodeCounts(wire.rle.counts)).toEqual([3, 1, 1, 1]);
  });
  it("colours a rectangle row by row: painted strong, suggested in light stripes, edges opaque", () => {
    // 4×4, column-major: a painted 3×3 block of label 1 at the top left, label 2 suggested
    // everywhere (shown where nothing is painted).
    const map: LabelMap = { width: 4, height: 4, data: new Uint8Array(16) };
    const suggested = new Uint8Array(16);
    for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) map.data[x * 4 + y] = 1;
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) suggested[x * 4 + y] = 2;
    const palette: [number, number, number][] = [[0, 0, 0], [255, 0, 0], [0, 0, 255]];
    const rgba = colorize(map, suggested, { x: 0, y: 0, w: 4, h: 4 }, palette);
    const at = (x: number, y: number) => Array.from(rgba.slice((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
    expect(at(1, 1)).toEqual([255, 0, 0, MASK_ALPHA]); // inside the painted block
    expect(at(2, 1)).toEqual([255, 0, 0, EDGE_ALPHA]); // its edge (a suggested neighbour)
    expect(at(3, 3)).toEqual([0, 0, 255, SUGGESTION_ALPHA[1]]); // suggested, light stripe
    expect(at(3, 0)).toEqual([0, 0, 255, EDGE_ALPHA]); // suggested, next to the painted block
    const part = colorize(map, null, { x: 3, y: 0, w: 1, h: 4 }, palette);
    expect(Array.from(part).filter((_, i) => i % 4 === 3)).toEqual([0, 0, 0, 0]); // no suggestions: clear
  });
});
