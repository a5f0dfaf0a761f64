/**
 * The scroll container of the text view: renders only the blocks near the visible area
 * (absolutely positioned at their layout top), measures what it renders with a ResizeObserver
 * (after the browser's own layout: the view never forces one), keeps the reading position when
 * measured heights differ from estimates, and keeps "pinned" blocks (where a selection drag
 * started) rendered so that a selection across blocks survives scrolling. Estimates come from
 * the height per character of the blocks measured so far. The container's height is set
 * explicitly, so with `contain: strict` nothing inside it makes the notebook lay out again.
 */
import { type Block, VirtualLayout } from "./layout";

const OVERSCAN_PX = 400;
const FIRST_OVERSCAN_PX = 150;
const DEFAULT_MAX_HEIGHT = 420;

/** Learns the height of text per character from measured blocks, to estimate the others. */
export class HeightEstimator {
  private heightSum = 0;
  private charSum = 0;
  lineHeight = 22;
  /** Pixels of height per character of text (about line height / characters per line). */
  perChar = 22 / 100;

  estimate(length: number): number {
    return Math.max(this.lineHeight, length * this.perChar);
  }

  /** Learn from a measured block; true when estimates moved by more than 10%. */
  learn(length: number, height: number): boolean {
    if (height <= 0) return false;
    const before = this.perChar;
    if (length === 0 || height < this.lineHeight * 1.5) this.lineHeight = Math.min(this.lineHeight, height) || height;
    if (length > 0 && height >= this.lineHeight * 1.5) {
      this.heightSum += height;
      this.charSum += length;
      this.perChar = this.heightSum / this.charSum;
    }
    return Math.abs(this.perChar - before) > 0.1 * before;
  }

  /** The width changed by `ratio` (new / old): lines get longer or shorter. */
  rescale(ratio: number): void {
    this.perChar /= ratio;
    this.heightSum = 0;
    this.charSum = 0;
  }
}

export class Viewport {
  layout = new VirtualLayout(0, () => 0);
  private blocks: readonly Block[] = [];
  private readonly rendered = new Map<number, HTMLElement>();
  private readonly pinned = new Set<number>();
  private readonly heights = new HeightEstimator();
  private readonly sizes: ResizeObserver;
  private readonly box: ResizeObserver;
  private maxHeight = DEFAULT_MAX_HEIGHT;
  private width = 0;
  private frame = 0;
  private fresh = true;

  constructor(
    readonly scroll: HTMLElement,
    readonly inner: HTMLElement,
    private readonly draw: (index: number) => HTMLElement,
  ) {
    this.sizes = new ResizeObserver((entries) => this.measured(entries));
    this.box = new ResizeObserver((entries) => this.boxResized(entries));
    this.box.observe(inner);
  }

  disconnect(): void {
    this.sizes.disconnect();
    this.box.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  private estimate = (index: number): number => {
    const block = this.blocks[index];
    return block ? this.heights.estimate(block.end - block.start) : 0;
  };

  /** Start over with new blocks (a new document), drawing the first screen without reading layout. */
  reset(blocks: readonly Block[]): void {
    this.blocks = blocks;
    this.layout = new VirtualLayout(blocks.length, this.estimate);
    for (const node of this.rendered.values()) {
      this.sizes.unobserve(node);
      node.remove();
    }
    this.rendered.clear();
    this.pinned.clear();
    // A new view starts at the top; reading scrollTop now would force a layout.
    if (!this.fresh) this.scroll.scrollTop = 0;
    this.fresh = false;
    this.render(0, this.maxHeight, FIRST_OVERSCAN_PX);
    this.schedule();
  }

  /** Render the blocks near the visible area (plus pinned ones), drop the others. */
  update(): void {
    this.render(this.scroll.scrollTop, this.scroll.clientHeight || this.maxHeight, OVERSCAN_PX);
  }

  private render(scrollTop: number, height: number, overscan: number): void {
    const [first, last] = this.layout.visibleRange(scrollTop, height, overscan);
    const wanted = new Set<number>(this.pinned);
    for (let i = first; i <= last; i++) wanted.add(i);
    for (const [index, node] of this.rendered) {
      if (!wanted.has(index)) {
        this.sizes.unobserve(node);
        node.remove();
        this.rendered.delete(index);
      }
    }
    for (const index of [...wanted].sort((a, b) => a - b)) {
      if (this.rendered.has(index) || index >= this.layout.count) continue;
      this.insert(index, this.draw(index));
    }
    this.resize();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  /** Keep the container as tall as the text, up to its maximum (CSS `--nba-text-height`). */
  private resize(): void {
    const total = this.layout.total;
    this.inner.style.height = `${total}px`;
    this.scroll.style.height = `${Math.ceil(Math.min(total, this.maxHeight))}px`;
  }

  /** Insert `node` for block `index` before the next rendered block (DOM order = text order). */
  private insert(index: number, node: HTMLElement): void {
    let next: HTMLElement | null = null;
    let nextIndex = Infinity;
    for (const [i, n] of this.rendered) {
      if (i > index && i < nextIndex) {
        nextIndex = i;
        next = n;
      }
    }
    this.rendered.set(index, node);
    node.style.top = `${this.layout.top(index)}px`;
    this.inner.insertBefore(node, next);
    this.sizes.observe(node);
  }

  /** Draw the given blocks again if they are rendered (after an edit or a selection change). */
  redraw(indices: Iterable<number>): void {
    for (const index of new Set(indices)) {
      const old = this.rendered.get(index);
      if (!old) continue;
      const node = this.draw(index);
      node.style.top = old.style.top;
      this.sizes.unobserve(old);
      old.replaceWith(node);
      this.rendered.set(index, node);
      this.sizes.observe(node);
    }
  }

  /** Heights measured by the browser's layout: move blocks, keep the reading position. */
  private measured(entries: ResizeObserverEntry[]): void {
    const scrollTop = this.scroll.scrollTop;
    const anchor = this.layout.indexAt(scrollTop);
    const within = scrollTop - this.layout.top(anchor);
    let changed = false;
    let relearned = false;
    for (const entry of entries) {
      const node = entry.target as HTMLElement;
      const index = Number(node.getAttribute("data-index"));
      if (this.rendered.get(index) !== node || !node.isConnected) continue;
      const box = entry.borderBoxSize?.[0];
      const height = box ? box.blockSize : node.offsetHeight;
      const block = this.blocks[index];
      if (block && this.heights.learn(block.end - block.start, height)) relearned = true;
      if (this.layout.setHeight(index, height)) changed = true;
    }
    if (relearned) {
      this.layout.reestimate(this.estimate);
      changed = true;
    }
    if (!changed) return;
    for (const [index, node] of this.rendered) node.style.top = `${this.layout.top(index)}px`;
    this.resize();
    const target = this.layout.top(anchor) + within;
    if (Math.abs(target - scrollTop) >= 1) this.scroll.scrollTop = target;
    this.schedule(); // shorter blocks may leave room for more
  }

  /** The text's width changed: every height is stale; rendered blocks report theirs again. */
  private boxResized(entries: ResizeObserverEntry[]): void {
    const width = entries[entries.length - 1]?.contentRect.width ?? 0;
    if (!width) return;
    if (this.maxHeight === DEFAULT_MAX_HEIGHT) {
      const css = parseFloat(getComputedStyle(this.scroll).getPropertyValue("--nba-text-height"));
      if (css > 0 && css !== this.maxHeight) {
        this.maxHeight = css;
        this.resize();
      }
    }
    if (this.width && Math.abs(width - this.width) >= 1) {
      this.heights.rescale(width / this.width);
      this.layout.reestimate(this.estimate, true);
      this.schedule();
    }
    this.width = width;
  }

  isRendered(index: number): boolean {
    return this.rendered.has(index);
  }

  renderedIndices(): number[] {
    return [...this.rendered.keys()];
  }

  /** Keep block `index` rendered until `unpinAll` (a selection drag started in it). */
  pin(index: number): void {
    this.pinned.add(index);
  }

  unpinAll(): void {
    this.pinned.clear();
  }

  /** Scroll so that block `index` is visible (no-op when it is). */
  reveal(index: number): void {
    const top = this.layout.top(index);
    const bottom = top + this.layout.height(index);
    const viewTop = this.scroll.scrollTop;
    const viewBottom = viewTop + this.scroll.clientHeight;
    if (top >= viewTop && bottom <= viewBottom) return;
    this.scroll.scrollTop = Math.max(0, top - 24);
    this.update();
  }
}
