"""TextAnnotator in a real JupyterLab: mouse selections and keys, results read in the kernel."""

from __future__ import annotations

from typing import Any

from .harness import Notebook

# The page position of document characters [start, end) (Python code points) of the widget in
# cell `cell`, from the rendered segments' UTF-16 offsets.
_RECTS = """
({cell, start, end}) => {
  const root = document.querySelector(`[data-e2e-cell="${cell}"] .jp-OutputArea .nba-text`);
  const segs = [...root.querySelectorAll('.nba-seg')];
  const at = (o, isEnd) => {
    for (const seg of segs) {
      const s = Number(seg.dataset.o), n = seg.textContent.length;
      if ((o >= s && o < s + n) || (isEnd && n > 0 && o === s + n)) return [seg.firstChild, o - s];
    }
    throw new Error('offset ' + o + ' is not rendered');
  };
  const [a, ao] = at(start, false), [b, bo] = at(end, true);
  const range = document.createRange();
  range.setStart(a, ao); range.setEnd(b, bo);
  const rects = [...range.getClientRects()].filter(r => r.width > 0);
  const first = rects[0], last = rects[rects.length - 1];
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2,
          cx: (first.left + first.right) / 2};
}
"""


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def rects(nb: Notebook, cell: int, text: str, start: int, end: int) -> dict[str, float]:
    result: dict[str, float] = nb.page.evaluate(
        _RECTS, {"cell": cell, "start": utf16(text, start), "end": utf16(text, end)})
    return result


def drag(nb: Notebook, cell: int, text: str, start: int, end: int, *,
         shift: bool = False) -> None:
    r = rects(nb, cell, text, start, end)
    nb.page.mouse.move(r["x1"], r["y1"])
    nb.page.mouse.down()
    nb.page.mouse.move(r["x2"], r["y2"], steps=8)
    nb.page.mouse.up()


def double_click(nb: Notebook, cell: int, text: str, start: int, end: int) -> None:
    r = rects(nb, cell, text, start, end)
    nb.page.mouse.dblclick(r["cx"], r["y1"])


def click(nb: Notebook, cell: int, text: str, start: int, end: int, *,
          modifiers: str = "") -> None:
    r = rects(nb, cell, text, start, end)
    if modifiers:
        nb.page.keyboard.down(modifiers)
    nb.page.mouse.click(r["cx"], r["y1"])
    if modifiers:
        nb.page.keyboard.up(modifiers)


def spans(nb: Notebook) -> list[dict[str, Any]]:
    return nb.kernel_json("sorted(w.spans, key=lambda s: (s['start'], -s['end']))")


def setup(nb: Notebook, text: str, extra: str = "") -> int:
    cell = nb.run(f"from nbannotate import TextAnnotator\ntext = {text!r}\n"
                  f"w = TextAnnotator(text, labels=['PER', 'ORG', 'LOC']{extra})\nw")
    nb.output(cell, ".nba-text .nba-seg").first.wait_for(state="visible")
    return cell


TEXT = "😀 Anna lives in Köln.\nShe met Bob in Bonn, where 東京 was discussed."


def test_select_drag_double_click_overlap_relabel_delete_undo_redo(notebook: Notebook) -> None:
    nb = notebook
    cell = setup(nb, TEXT)
    anna, koeln = TEXT.index("Anna"), TEXT.index("Köln")

    # Drag across "Anna" (after an emoji: two UTF-16 units, one code point).
    drag(nb, cell, TEXT, anna + 1, anna + 3)  # a partial selection snaps to the token
    got = nb.wait_kernel("w.spans")
    assert [(s["start"], s["end"], s["text"], s["label"], s["source"]) for s in got] == [
        (2, 6, "Anna", "PER", "human")]
    assert nb.kernel_json("[text[s['start']:s['end']] == s['text'] for s in w.spans]") == [True]

    # Pick LOC with key 3 (nothing selected), then double-click "Köln".
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("3")
    assert nb.wait_kernel("w.label == 'LOC'")
    double_click(nb, cell, TEXT, koeln, koeln + 4)
    nb.wait_kernel("len(w.spans) == 2")
    second = spans(nb)[1]
    assert (second["start"], second["end"], second["text"], second["label"]) == (
        koeln, koeln + 4, "Köln", "LOC")

    # An overlapping span over both, across the first line's end into the second block.
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("2")
    she = TEXT.index("She")
    drag(nb, cell, TEXT, anna, she + 3)
    nb.wait_kernel("len(w.spans) == 3")
    outer = spans(nb)[0]
    assert (outer["start"], outer["end"], outer["label"]) == (2, she + 3, "ORG")
    assert outer["text"] == TEXT[2:she + 3] and "\n" in outer["text"]
    # Every span is visible: one chip each.
    assert nb.output(cell, ".nba-chip").count() == 3

    # The new span is selected: key 1 relabels it; "b" must not reach JupyterLab.
    cells_before = nb.page.evaluate("() => document.querySelectorAll('.jp-Cell').length")
    nb.page.keyboard.press("1")
    nb.page.keyboard.press("b")
    assert nb.wait_kernel(f"[s['label'] for s in w.spans if s['id'] == {outer['id']!r}] == "
                          "['PER']")
    assert nb.page.evaluate("() => document.querySelectorAll('.jp-Cell').length") == cells_before

    # A click on "lives" (only under the outer span) selects it; Delete removes it.
    lives = TEXT.index("lives")
    click(nb, cell, TEXT, lives, lives + 5)
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel("len(w.spans) == 2")
    assert {s["text"] for s in spans(nb)} == {"Anna", "Köln"}

    # Undo brings it back, redo removes it again.
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("len(w.spans) == 3")
    nb.page.keyboard.press("Control+Shift+z")
    assert nb.wait_kernel("len(w.spans) == 2")

    # Tab cycles in document order: Anna, then Köln; Delete removes Köln.
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("Tab")
    nb.page.keyboard.press("Tab")
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel("[s['text'] for s in w.spans] == ['Anna']")

    # Shift+click extends the selected span to the clicked word.
    click(nb, cell, TEXT, anna, anna + 4)
    click(nb, cell, TEXT, lives, lives + 5, modifiers="Shift")
    assert nb.wait_kernel("[s['text'] for s in w.spans] == ['Anna lives']")


REVIEW = "Ada Lovelace met Charles Babbage in London in 1833."


def chip(nb: Notebook, cell: int, kind: str, rid: str) -> Any:
    return nb.output(cell, f'.nba-chip[data-kind="{kind}"][data-id="{rid}"]')


def test_suggestions_accept_reject_undo_accept_all(notebook: Notebook) -> None:
    nb = notebook
    at = {word: REVIEW.index(word) for word in ("Ada", "Charles", "London", "1833")}
    suggestions = [
        {"id": "s1", "start": at["Ada"], "end": at["Ada"] + 12, "label": "PER", "score": 0.91},
        {"id": "s2", "start": at["Charles"], "end": at["Charles"] + 15, "label": "PER",
         "score": 0.62},
        {"id": "s3", "start": at["London"], "end": at["London"] + 6, "label": "LOC",
         "score": 0.88},
        {"id": "s4", "start": at["1833"], "end": at["1833"] + 4, "label": "ORG", "score": 0.2},
    ]
    cell = setup(nb, REVIEW, f", suggestions={suggestions!r}")
    nb.run("seen = []\nw.on_change(lambda c: seen.append((c['field'], c['op'], "
           "c['record']['id'])))")
    # Suggestions are drawn apart from spans, with their score.
    assert nb.output(cell, ".nba-chip-suggestion").count() == 4
    assert chip(nb, cell, "suggestion", "s1").inner_text().split() == ["PER", "0.91"]

    # Click a suggestion's chip to select it, Enter accepts it as a human span.
    chip(nb, cell, "suggestion", "s1").click()
    nb.page.keyboard.press("Enter")
    assert nb.wait_kernel("[s['id'] for s in w.suggestions] == ['s2', 's3', 's4']")
    assert nb.kernel_json("w.spans") == [{"id": "s1", "start": 0, "end": 12, "label": "PER",
                                          "text": "Ada Lovelace", "source": "human"}]
    # The next suggestion is selected for review: Delete rejects it.
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel("[s['id'] for s in w.suggestions] == ['s3', 's4']")
    assert nb.kernel_json("len(w.spans)") == 1
    # s3 is selected now: its chip offers accept (✓) and reject buttons; click ✓.
    chip(nb, cell, "suggestion", "s3").locator('[data-action="accept"]').click()
    assert nb.wait_kernel("[s['id'] for s in w.suggestions] == ['s4']")
    # Undo puts s3 back as a suggestion; "Accept all" takes every remaining one.
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("sorted(s['id'] for s in w.suggestions) == ['s3', 's4']")
    assert nb.kernel_json("sorted(s['id'] for s in w.spans)") == ["s1"]
    nb.output(cell, ".nba-accept-all").click()
    assert nb.wait_kernel("w.suggestions == []")
    final = nb.kernel_json("sorted((s['id'], s['text'], s['label'], s['source']) "
                           "for s in w.spans)")
    assert final == [["s1", "Ada Lovelace", "PER", "human"], ["s3", "London", "LOC", "human"],
                     ["s4", "1833", "ORG", "human"]]
    assert nb.output(cell, ".nba-chip-suggestion").count() == 0
    assert nb.kernel_json("seen")[:3] == [["suggestions", "remove", "s1"],
                                          ["spans", "add", "s1"],
                                          ["suggestions", "remove", "s2"]]


XSS = "Before <script>alert(1)</script> and <img src=x onerror=alert(1)> after."


def test_xss_document_snap_none_and_malformed_state(notebook: Notebook) -> None:
    nb = notebook
    labels = ["<img src=x onerror=alert(2)>", "ORG"]
    cell = nb.run("from nbannotate import TextAnnotator\n"
                  f"text = {XSS!r}\n"
                  f"w = TextAnnotator(text, labels={labels!r}, "
                  "spans=[{'start': 7, 'end': 15, 'label': 'ORG'}])\nw")
    nb.output(cell, ".nba-text .nba-seg").first.wait_for(state="visible")
    # The document and label names show as characters; nothing was injected or run.
    shown = nb.page.evaluate(
        """(cell) => [...document.querySelectorAll(
             `[data-e2e-cell="${cell}"] .nba-text-inner .nba-seg`)].map(s => s.textContent)
             .join('')""", cell)
    assert shown == XSS
    widget = f'[data-e2e-cell="{cell}"] .jp-OutputArea .nba-text'
    assert nb.page.locator(f"{widget} script, {widget} img").count() == 0
    assert labels[0] in nb.output(cell, ".nba-text-toolbar").inner_text()
    # A span over "<img" with the HTML-looking label.
    img = XSS.index("<img")
    drag(nb, cell, XSS, img, img + 4)
    got = nb.wait_kernel("[s for s in w.spans if s['label'] != 'ORG']")
    assert (got[0]["text"], got[0]["label"]) == ("<img", labels[0])
    assert nb.output(cell, f'.nba-chip[data-id="{got[0]["id"]}"]').inner_text() == labels[0]
    nb.page.wait_for_timeout(300)
    assert nb.dialogs == []
    assert nb.page.locator(f"{widget} script, {widget} img").count() == 0

    # snap=None keeps exactly the selected characters.
    nb.kernel_exec("w.snap = None")
    script = XSS.index("script")
    nb.page.keyboard.press("Escape")
    drag(nb, cell, XSS, script + 1, script + 4)
    assert nb.wait_kernel("[s['text'] for s in w.spans if s['text'] == 'cri']")

    # A custom tokenizer (its tokens cross as a binary buffer): tags are single tokens.
    nb.kernel_exec("import re\nw.snap = lambda t: [m.span() for m in "
                   "re.finditer(r'<[^>]*>|\\w+|[^\\s\\w]', t)]")
    nb.page.keyboard.press("Escape")
    drag(nb, cell, XSS, script + 1, script + 4)
    assert nb.wait_kernel("[s['text'] for s in w.spans if s['text'] == '<script>']")

    # A malformed state (here sent around the Python validation) shows an inline message.
    nb.kernel_exec("w.comm.send({'method': 'update', 'buffer_paths': [], 'state': {'spans': ["
                   "{'id': 'bad', 'start': 3, 'end': 999, 'label': 'ORG', 'source': 'human'}]}})")
    message = nb.output(cell, ".nba-message")
    message.wait_for(state="visible")
    assert "beyond the text" in message.inner_text() and "bad" in message.inner_text()
    assert nb.dialogs == []


LONG_DOCUMENT = """
import random
from nbannotate import TextAnnotator
from nbannotate.formats.tokens import tokenize
rng = random.Random(7)
words = ["river", "Köln", "Anna", "😀", "東京", "lives", "the", "of", "and", "city", "north",
         "بالعالم", "e\\u0301cole", "<b>", "Bonn"]
paragraphs, size = [], 0
while size < 200_000:
    words_here = [rng.choice(words) for _ in range(rng.randint(20, 120))]
    if size < 100_000 <= size + 800:
        words_here[5] = "Zanzibar"
    paragraph = " ".join(words_here) + "."
    paragraphs.append(paragraph)
    size += len(paragraph) + 1
text = "\\n".join(paragraphs)
target = text.index("Zanzibar")
tokens = [t for t in tokenize(text) if t[0] != target]
step = len(tokens) // 5000
spans = [{"start": s, "end": tokens[i * step + (i % 10 == 0)][1], "label": ["PER", "LOC"][i % 2]}
         for i, (s, _) in enumerate(tokens[::step][:5000])]
w = TextAnnotator(text, labels=["PER", "LOC", "ORG"], spans=spans, label="ORG")
w
"""

_SCROLL_TO = """
async ({cell, target, total}) => {
  const root = document.querySelector(`[data-e2e-cell="${cell}"] .jp-OutputArea .nba-text`);
  const scroll = root.querySelector('.nba-text-scroll');
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const find = () => [...root.querySelectorAll('.nba-seg')].find(s =>
      Number(s.dataset.o) <= target && target < Number(s.dataset.o) + s.textContent.length);
  scroll.scrollTop = target / total * scroll.scrollHeight;
  for (let i = 0; i < 40; i++) {
    await frame();
    const seg = find();
    if (seg) { seg.scrollIntoView({block: 'center'}); await frame(); return true; }
    const starts = [...root.querySelectorAll('.nba-text-block')].map(b => Number(b.dataset.start));
    const lo = Math.min(...starts), hi = Math.max(...starts);
    scroll.scrollTop += (target < lo ? -1 : 1) * Math.max(scroll.clientHeight / 2,
        Math.abs(target - (target < lo ? lo : hi)) / total * scroll.scrollHeight);
  }
  return false;
}
"""


def test_long_document_virtualized_and_works_while_kernel_busy(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(LONG_DOCUMENT)
    nb.output(cell, ".nba-text .nba-seg").first.wait_for(state="visible")
    paragraphs, total16 = nb.kernel_json("[len(paragraphs), len(text.encode('utf-16-le')) // 2]")
    assert nb.kernel_json("len(w.spans)") == 5000 and paragraphs > 500
    # Only the blocks near the visible area are in the DOM.
    assert 0 < nb.output(cell, ".nba-text-block").count() < 60

    text_target = nb.kernel_json("target")
    target16 = nb.kernel_json("len(text[:target].encode('utf-16-le')) // 2")
    assert nb.page.evaluate(_SCROLL_TO, {"cell": cell, "target": target16, "total": total16})
    assert 0 < nb.output(cell, ".nba-text-block").count() < 60

    # Keep the kernel busy: the span is drawn at once all the same, and reaches the kernel.
    nb.run_async("import time; time.sleep(4)")
    nb.page.wait_for_timeout(300)
    box = nb.page.evaluate(
        """({cell, target}) => {
             const root = document.querySelector(`[data-e2e-cell="${cell}"] .nba-text`);
             const seg = [...root.querySelectorAll('.nba-seg')].find(s => {
               const o = Number(s.dataset.o);
               return o <= target && target < o + s.textContent.length; });
             const range = document.createRange();
             range.setStart(seg.firstChild, target - Number(seg.dataset.o));
             range.setEnd(seg.firstChild, target - Number(seg.dataset.o) + 8);
             const r = range.getBoundingClientRect();
             return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }""",
        {"cell": cell, "target": target16})
    nb.page.mouse.dblclick(box["x"], box["y"])
    chip_locator = nb.output(cell, f'.nba-chip[data-kind="span"][data-at="{target16}"]')
    chip_locator.wait_for(state="visible", timeout=1000)
    assert chip_locator.inner_text() == "ORG"
    found = nb.wait_kernel("[s for s in w.spans if s['text'] == 'Zanzibar']", timeout_s=20)
    assert (found[0]["start"], found[0]["end"], found[0]["label"]) == (
        text_target, text_target + 8, "ORG")
    assert nb.kernel_json("len(w.spans)") == 5001
