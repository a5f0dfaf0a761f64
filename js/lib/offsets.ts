/**
 * Offsets between the browser's UTF-16 code units and Python's code points.
 *
 * Records keep Python `str` offsets (code points); the DOM, Range and Selection work in UTF-16
 * code units. A character outside the Basic Multilingual Plane (emoji, many CJK extensions)
 * is one code point but two UTF-16 units. `OffsetMap` converts both ways in O(log n) per call
 * after an O(n) scan; a text without astral characters converts by identity.
 */
export class OffsetMap {
  /** UTF-16 index of the high surrogate of each astral character, ascending. */
  private readonly astral: number[] = [];
  readonly utf16Length: number;
  readonly codePointLength: number;

  constructor(text: string) {
    this.utf16Length = text.length;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          this.astral.push(i);
          i++;
        }
      }
    }
    this.codePointLength = this.utf16Length - this.astral.length;
  }

  /** Number of astral characters whose high surrogate is before UTF-16 index `index`. */
  private astralBefore(index: number): number {
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.astral[mid] as number) < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Code-point offset of a UTF-16 index. An index inside a surrogate pair rounds down to the
   * start of its character when `round` is "down" (a span start) and up when "up" (a span end).
   */
  toCodePoint(utf16: number, round: "down" | "up" = "down"): number {
    const index = Math.max(0, Math.min(utf16, this.utf16Length));
    const before = this.astralBefore(index);
    const insidePair = before > 0 && (this.astral[before - 1] as number) === index - 1;
    if (insidePair) {
      // `index` points at a low surrogate: the character started one unit earlier.
      return round === "down" ? index - 1 - (before - 1) : index + 1 - before;
    }
    return index - before;
  }

  /** UTF-16 index of a code-point offset. */
  toUtf16(codePoint: number): number {
    const target = Math.max(0, Math.min(codePoint, this.codePointLength));
    // Find the smallest UTF-16 index u with u - astralBefore(u) == target.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      // Code point index of the astral character number `mid`.
      const cp = (this.astral[mid] as number) - mid;
      if (cp < target) lo = mid + 1;
      else hi = mid;
    }
    return target + lo;
  }
}

/** Convert a UTF-16 index of `text` to a code-point offset (one-off helper). */
export function utf16ToCodePoint(text: string, utf16: number): number {
  return new OffsetMap(text).toCodePoint(utf16);
}

/** Convert a code-point offset of `text` to a UTF-16 index (one-off helper). */
export function codePointToUtf16(text: string, codePoint: number): number {
  return new OffsetMap(text).toUtf16(codePoint);
}
