/**
 * The same selection, hit-testing and event targets inside a shadow root as in the light DOM.
 *
 * Some hosts (marimo) render a widget inside a shadow root. There the document's view of the
 * widget is retargeted to the host element: `window.getSelection()` is collapsed on the host,
 * `document.caretRangeFromPoint` answers with the host, a window listener's `event.target` is
 * the host and `document.activeElement` is the host. These helpers ask the widget's own root.
 */

/** A range's two ends, as `Range` and `StaticRange` both give them. */
export interface Ends {
  startContainer: Node;
  startOffset: number;
  endContainer: Node;
  endOffset: number;
}

/** A DOM position, as `caretPositionFromPoint` gives it. */
export interface Caret {
  node: Node;
  offset: number;
}

type ShadowSelecting = { getSelection?: () => Selection | null };
type Composing = Selection & {
  getComposedRanges?: (options?: { shadowRoots?: ShadowRoot[] } | ShadowRoot) => StaticRange[];
};

/** True when `root` is a shadow root (not a document): the duck test works outside browsers. */
export function isShadowRoot(root: Node | null | undefined): root is ShadowRoot {
  return root !== null && root !== undefined && "host" in root && (root as ShadowRoot).host !== undefined && root.nodeType === 11;
}

/** The root node (document or shadow root) that holds `node`. */
export function rootOf(node: Node): Document | ShadowRoot {
  return node.getRootNode() as Document | ShadowRoot;
}

/**
 * The selection that holds the text selected inside `root`. In a shadow root: Chromium's
 * `root.getSelection()`; elsewhere the document's selection (its composed ranges are read by
 * `selectedEnds`).
 */
export function selectionFor(root: Node, win: { getSelection(): Selection | null } = window): Selection | null {
  if (isShadowRoot(root)) {
    const own = (root as unknown as ShadowSelecting).getSelection;
    if (typeof own === "function") {
      const selection = own.call(root);
      if (selection) return selection;
    }
  }
  return win.getSelection();
}

/**
 * The first selected range inside `root` (ends inside the shadow root, not on its host), or
 * null when nothing is selected. Uses the standard `getComposedRanges({shadowRoots})` where
 * the browser has it and the selection object does not already see into the root.
 */
export function selectedEnds(root: Node, selection: Selection | null): Ends | null {
  if (!selection || selection.rangeCount === 0) return null;
  const range: Ends = selection.getRangeAt(0);
  const composing = (selection as Composing).getComposedRanges;
  if (isShadowRoot(root) && typeof composing === "function" && !insideOf(root, range.startContainer)) {
    let ranges: StaticRange[] = [];
    try {
      ranges = composing.call(selection, { shadowRoots: [root] });
    } catch {
      ranges = composing.call(selection, root); // the older positional signature
    }
    return ranges[0] ?? range;
  }
  return range;
}

/** True when `node` is in the tree of `root` (shadow roots of descendants not crossed). */
export function insideOf(root: Node, node: Node): boolean {
  return node.getRootNode() === root;
}

/** The position of the text nearest to viewport point (`x`, `y`), seen from `root`. */
export function caretAt(root: Node, x: number, y: number, doc: Document = document): Caret | null {
  const d = doc as Document & {
    caretPositionFromPoint?: (x: number, y: number, options?: { shadowRoots?: ShadowRoot[] }) =>
      { offsetNode: Node; offset: number } | null;
  };
  if (typeof d.caretPositionFromPoint === "function") {
    const options = isShadowRoot(root) ? { shadowRoots: [root] } : undefined;
    const position = d.caretPositionFromPoint(x, y, options);
    if (position && (!isShadowRoot(root) || insideOf(root, position.offsetNode))) {
      return { node: position.offsetNode, offset: position.offset };
    }
  }
  const range = d.caretRangeFromPoint?.(x, y);
  if (range && (!isShadowRoot(root) || insideOf(root, range.startContainer))) {
    return { node: range.startContainer, offset: range.startOffset };
  }
  // Retargeted to the host: hit-test the element inside the root, then its text.
  const under = isShadowRoot(root) ? root.elementFromPoint(x, y) : null;
  return under ? { node: under, offset: 0 } : null;
}

/** The innermost node an event started at, across shadow boundaries (`event.target` is retargeted). */
export function origin(event: Event): EventTarget | null {
  const path = typeof event.composedPath === "function" ? event.composedPath() : [];
  return path[0] ?? event.target;
}

/** True when the event passed through `node` (inside it, whatever shadow roots lie between). */
export function passedThrough(event: Event, node: EventTarget): boolean {
  const path = typeof event.composedPath === "function" ? event.composedPath() : [];
  if (path.includes(node)) return true;
  const target = event.target as Node | null;
  return target !== null && typeof (node as Node).contains === "function" && (node as Node).contains(target);
}

/** The focused element as seen from inside `node`'s root (not the shadow host). */
export function activeIn(node: Node): Element | null {
  const root = rootOf(node) as Document | ShadowRoot;
  return root.activeElement ?? null;
}
