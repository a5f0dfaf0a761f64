/**
 * Virtual layout of a long document: the text is cut into blocks (lines or paragraphs, and
 * long lines cut again at a space), each with an estimated or measured height; only the
 * blocks near the scroll position are rendered. Pure math, no DOM.
 */

/** A block of text in UTF-16 offsets, `end` exclusive, without its line break. */
export interface Block {
  start: number;
  end: number;
  /** True when the next block continues the same line (a long line cut at a space). */
  continued: boolean;
}

const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Where to cut a line of `text` in `[start, end)` so that the first part is at most `max` long. */
function cutPoint(text: string, start: number, max: number): number {
  const limit = start + max;
  const floor = start + (max >> 1);
  for (let i = limit - 1; i >= floor; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) return i + 1; // keep the space at the end of the first part
  }
  // No space: cut anywhere, but never inside a surrogate pair.
  return isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
}

/**
 * Cut `text` into blocks: one per line, long lines cut at a space so that no block is longer
 * than `maxLength` UTF-16 units. An empty text is one empty block.
 */
export function splitBlocks(text: string, maxLength = 2000): Block[] {
  const blocks: Block[] = [];
  const pushLine = (start: number, end: number) => {
    let s = start;
    while (end - s > maxLength) {
      const cut = cutPoint(text, s, maxLength);
      blocks.push({ start: s, end: cut, continued: true });
      s = cut;
    }
    blocks.push({ start: s, end, continued: false });
  };
  let lineStart = 0;
  LINE_BREAK.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = LINE_BREAK.exec(text)) !== null) {
    pushLine(lineStart, match.index);
    lineStart = match.index + match[0].length;
  }
  pushLine(lineStart, text.length);
  return blocks;
}

/** Index of the block that holds UTF-16 `offset` (a line break belongs to the block before it). */
export function blockIndexAt(blocks: readonly Block[], offset: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((blocks[mid] as Block).start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The indices `[first, last]` of the blocks that overlap UTF-16 `[start, end)`. */
export function blocksOverlapping(blocks: readonly Block[], start: number, end: number): [number, number] {
  const first = blockIndexAt(blocks, start);
  const last = blockIndexAt(blocks, Math.max(start, end - 1));
  return [first, last];
}

/** Estimated height in pixels of a block of `length` characters. */
export function estimateHeight(length: number, charsPerLine: number, lineHeight: number, padding = 0): number {
  const lines = Math.max(1, Math.ceil(length / Math.max(1, charsPerLine)));
  return lines * lineHeight + padding;
}

/** Heights of blocks (estimated until measured) and their positions. */
export class VirtualLayout {
  private heights: Float64Array;
  private measured: Uint8Array;
  private tops: Float64Array;
  private stale = true;

  constructor(readonly count: number, estimate: (index: number) => number) {
    this.heights = new Float64Array(count);
    this.measured = new Uint8Array(count);
    this.tops = new Float64Array(count + 1);
    for (let i = 0; i < count; i++) this.heights[i] = estimate(i);
  }

  /** Replace the estimates of blocks not yet measured (all of them when `all`). */
  reestimate(estimate: (index: number) => number, all = false): void {
    for (let i = 0; i < this.count; i++) {
      if (all || !this.measured[i]) {
        this.heights[i] = estimate(i);
        if (all) this.measured[i] = 0;
      }
    }
    this.stale = true;
  }

  /** Record the measured height of block `index`; true when it changed. */
  setHeight(index: number, height: number): boolean {
    this.measured[index] = 1;
    if (Math.abs((this.heights[index] as number) - height) < 0.5) return false;
    this.heights[index] = height;
    this.stale = true;
    return true;
  }

  height(index: number): number {
    return this.heights[index] as number;
  }

  isMeasured(index: number): boolean {
    return this.measured[index] === 1;
  }

  private update(): void {
    if (!this.stale) return;
    let y = 0;
    for (let i = 0; i < this.count; i++) {
      this.tops[i] = y;
      y += this.heights[i] as number;
    }
    this.tops[this.count] = y;
    this.stale = false;
  }

  /** Top of block `index` (the total height for `index === count`). */
  top(index: number): number {
    this.update();
    return this.tops[Math.max(0, Math.min(index, this.count))] as number;
  }

  get total(): number {
    return this.top(this.count);
  }

  /** The block at height `y` (clamped to the first and last block). */
  indexAt(y: number): number {
    this.update();
    if (this.count === 0) return 0;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.tops[mid] as number) <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The blocks to render for a viewport at `scrollTop` of `height` pixels, with `overscan` pixels more on each side. */
  visibleRange(scrollTop: number, height: number, overscan: number): [number, number] {
    if (this.count === 0) return [0, -1];
    const first = this.indexAt(Math.max(0, scrollTop - overscan));
    const last = this.indexAt(scrollTop + height + overscan);
    return [first, last];
  }
}
