import { describe, expect, it } from "vitest";
import { GridIndex } from "../image/spatial";

function brute(rects: Map<string, { x: number; y: number; w: number; h: number }>, p: { x: number; y: number }, tol: number): string[] {
  return [...rects].filter(([, r]) => p.x >= r.x - tol && p.x <= r.x + r.w + tol && p.y >= r.y - tol && p.y <= r.y + r.h + tol).map(([id]) => id).sort();
}

describe("grid index", () => {
  it("finds exactly the rectangles a brute-force scan finds", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const grid = new GridIndex(4000, 3000);
    const rects = new Map<string, { x: number; y: number; w: number; h: number }>();
    for (let i = 0; i < 1000; i++) {
      const r = { x: random() * 3900, y: random() * 2900, w: random() * 300, h: random() * 300 };
      rects.set(`b${i}`, r);
      grid.insert(`b${i}`, r);
    }
    for (let i = 0; i < 200; i += 2) {
      grid.remove(`b${i}`);
      rects.delete(`b${i}`);
    }
    for (let q = 0; q < 300; q++) {
      const p = { x: random() * 4200 - 100, y: random() * 3200 - 100 };
      expect(grid.query(p, 5).sort()).toEqual(brute(rects, p, 5));
    }
    expect(grid.size).toBe(900);
  });

  it("files points, edge boxes and moved records", () => {
    const grid = new GridIndex(100, 50);
    grid.insert("p", { x: 100, y: 50, w: 0, h: 0 });
    grid.insert("b", { x: 0, y: 0, w: 10, h: 10 });
    expect(grid.query({ x: 99, y: 49 }, 2)).toEqual(["p"]);
    grid.insert("b", { x: 60, y: 20, w: 10, h: 10 }); // re-insert moves it
    expect(grid.query({ x: 5, y: 5 })).toEqual([]);
    expect(grid.query({ x: 65, y: 25 })).toEqual(["b"]);
    grid.clear();
    expect(grid.query({ x: 65, y: 25 })).toEqual([]);
  });
});
