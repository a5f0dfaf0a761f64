import { describe, expect, it } from "vitest";
import { activeIn, caretAt, isShadowRoot, origin, passedThrough, selectedEnds, selectionFor } from "../lib/shadow";

// Plain objects standing for DOM nodes: only what the helpers read (node type, root, host).
function fakeRoot(extra: Record<string, unknown> = {}): ShadowRoot {
  return { nodeType: 11, host: { tagName: "DIV" }, ...extra } as unknown as ShadowRoot;
}
function nodeIn(root: unknown, name: string): Node {
  return { name, getRootNode: () => root } as unknown as Node;
}
function selectionOf(range: unknown, composed?: unknown[]): Selection {
  const calls: unknown[] = [];
  const selection = {
    rangeCount: range ? 1 : 0,
    getRangeAt: () => range,
    calls,
    ...(composed ? { getComposedRanges: (options: unknown) => (calls.push(options), composed) } : {}),
  };
  return selection as unknown as Selection;
}

describe("shadow roots", () => {
  it("tells a shadow root from a document", () => {
    expect(isShadowRoot(fakeRoot())).toBe(true);
    expect(isShadowRoot({ nodeType: 9 } as unknown as Node)).toBe(false);
    expect(isShadowRoot(null)).toBe(false);
  });

  it("reads the shadow root's own selection, not the document's collapsed one", () => {
    const own = selectionOf(null);
    const page = selectionOf(null);
    const win = { getSelection: () => page };
    expect(selectionFor(fakeRoot({ getSelection: () => own }), win)).toBe(own);
    expect(selectionFor(fakeRoot(), win)).toBe(page); // no root.getSelection: the page's
    expect(selectionFor({ nodeType: 9 } as unknown as Node, win)).toBe(page);
  });

  it("asks for composed ranges when the page selection sits on the host", () => {
    const root = fakeRoot();
    const host = nodeIn(document_(), "host");
    const inner = nodeIn(root, "text");
    const onHost = { startContainer: host, startOffset: 0, endContainer: host, endOffset: 0 };
    const composed = { startContainer: inner, startOffset: 2, endContainer: inner, endOffset: 9 };
    const selection = selectionOf(onHost, [composed]);
    expect(selectedEnds(root, selection)).toBe(composed);
    expect((selection as unknown as { calls: unknown[] }).calls).toEqual([{ shadowRoots: [root] }]);
    // A selection already inside the root is taken as it is.
    const direct = { startContainer: inner, startOffset: 1, endContainer: inner, endOffset: 4 };
    expect(selectedEnds(root, selectionOf(direct, [composed]))).toBe(direct);
    expect(selectedEnds(root, selectionOf(null))).toBeNull();
  });

  it("hit-tests text inside the root, never answering with the host", () => {
    const root = fakeRoot({ elementFromPoint: () => nodeIn(root, "span") });
    const inner = nodeIn(root, "text");
    const host = nodeIn(document_(), "host");
    const seen: unknown[] = [];
    const doc = {
      caretPositionFromPoint: (_x: number, _y: number, options?: unknown) => {
        seen.push(options);
        return { offsetNode: inner, offset: 3 };
      },
    } as unknown as Document;
    expect(caretAt(root, 10, 20, doc)).toEqual({ node: inner, offset: 3 });
    expect(seen).toEqual([{ shadowRoots: [root] }]);
    // A browser that retargets to the host: fall back to the element under the point.
    const retargeted = { caretRangeFromPoint: () => ({ startContainer: host, startOffset: 0 }) } as unknown as Document;
    expect((caretAt(root, 1, 1, retargeted)?.node as unknown as { name: string }).name).toBe("span");
  });

  it("finds an event's origin and whether it passed through the widget", () => {
    const widget = {} as EventTarget;
    const button = {} as EventTarget;
    const host = { contains: () => false } as unknown as EventTarget;
    const event = { target: host, composedPath: () => [button, widget, host] } as unknown as Event;
    expect(origin(event)).toBe(button);
    expect(passedThrough(event, widget)).toBe(true);
    const elsewhere = { target: host, composedPath: () => [host] } as unknown as Event;
    expect(passedThrough(elsewhere, { contains: () => false } as unknown as EventTarget)).toBe(false);
  });

  it("reads focus from the widget's own root", () => {
    const focused = { tagName: "INPUT" };
    const root = fakeRoot({ activeElement: focused });
    expect(activeIn(nodeIn(root, "canvas"))).toBe(focused);
  });
});

function document_(): unknown {
  return { nodeType: 9 };
}
