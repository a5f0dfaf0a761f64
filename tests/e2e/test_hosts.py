"""The core scenarios in Jupyter Notebook 7, marimo and Voilà (JupyterLab has its own files):
a box drawn and relabelled by key, a word double-clicked and a phrase drag-selected, an audio
region dragged, a classify session labelled by key with its charts drawn, a spans-session
item submitted with Ctrl+Enter. Every result is read back from the kernel as each front end
allows (see ``hosts.py``); in marimo, that is the output of a cell that depends on the
widget, so each check also shows marimo re-ran the cell after the edit (the sessions write
their answers to a file instead: see below).

A new scenario is a :class:`Scene` (setup code and a read-back expression) plus the gestures.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from .hosts import Host, MarimoHost, Scene

HOSTS = ["notebook7", "marimo", "voila"]

IMAGE = Scene(setup="""
import numpy as np
from nbannotate import ImageAnnotator
image = np.zeros((300, 400, 3), dtype=np.uint8)
image[:, :, 1] = np.linspace(0, 255, 400, dtype=np.uint8)[None, :]
annotator = ImageAnnotator(image, labels=["cat", "dog"])
""", readback="annotator.boxes")

TEXT_BODY = "Anna met Bob in New York City yesterday."
TEXT = Scene(setup=f"""
from nbannotate import TextAnnotator
annotator = TextAnnotator({TEXT_BODY!r}, labels=["PER", "LOC"])
""", readback="sorted(annotator.spans, key=lambda s: s['start'])")

AUDIO = Scene(setup="""
import numpy as np
from nbannotate import AudioAnnotator
rate = 8000
t = np.arange(10 * rate) / rate
audio = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
annotator = AudioAnnotator(audio, sample_rate=rate, labels=["speech", "bird"])
""", readback="annotator.regions")


def drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def box_of(page: Any, selector: str) -> dict[str, float]:
    # Playwright's CSS locators pierce open shadow roots (marimo's), so one selector serves all.
    locator = page.locator(selector).first
    locator.wait_for(state="visible", timeout=60_000)
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None, selector
    return dict(box)


def no_error_shown(page: Any, root: str) -> None:
    bars = page.locator(f"{root} .nba-message")
    for i in range(bars.count()):
        bar = bars.nth(i)
        assert bar.is_hidden() or not bar.inner_text().strip(), bar.inner_text()


# -- image ---------------------------------------------------------------------------------------
def image_to_page(page: Any, x: float, y: float, size: tuple[int, int] = (400, 300)
                  ) -> tuple[float, float]:
    """Page position of image pixel (x, y) when the image is fitted to the stage."""
    page.locator(".nba-overlay-layer").first.wait_for(state="visible", timeout=60_000)
    stage = box_of(page, ".nba-image-stage")
    width, height = size
    scale = min(stage["width"] / width, stage["height"] / height)
    left = stage["x"] + (stage["width"] - width * scale) / 2
    top = stage["y"] + (stage["height"] - height * scale) / 2
    return left + x * scale, top + y * scale


@pytest.mark.parametrize("kind", HOSTS)
def test_image_box_drawn_and_relabelled_by_key(kind: str, show: Any) -> None:
    host: Host = show(kind, IMAGE)
    page = host.page
    drag(page, image_to_page(page, 50, 40), image_to_page(page, 150, 120))
    boxes = host.wait(lambda v: len(v) == 1)
    box = boxes[0]
    assert box["label"] == "cat" and box["source"] == "human"
    for key, expected in (("x", 50), ("y", 40), ("w", 100), ("h", 80)):
        assert abs(box[key] - expected) <= 1.5, box
    page.keyboard.press("2")  # the pointer is over the widget: the selected box becomes "dog"
    relabelled = host.wait(lambda v: len(v) == 1 and v[0]["label"] == "dog")
    assert relabelled[0]["id"] == box["id"]
    # The pointer leaves the widget: keys still reach it while focus is inside (in marimo,
    # inside a shadow root, where the page sees only the host focused).
    page.mouse.move(2, 2)
    page.keyboard.press("1")
    host.wait(lambda v: len(v) == 1 and v[0]["label"] == "cat")
    no_error_shown(page, ".nba-image")
    if isinstance(host, MarimoHost):
        assert host.in_shadow_root(".nba-image")
        # The dependent cell re-ran once per finished edit: draw, relabel, relabel.
        assert host.output()["revision"] == 3


# -- text ----------------------------------------------------------------------------------------
_TEXT_RECT = """
({start, end}) => {
  const find = (root) => {
    const hit = root.querySelector('.nba-text');
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) return inner; }
    }
    return null;
  };
  const root = find(document);
  if (!root) throw new Error('no .nba-text on the page');
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


def text_rect(page: Any, start: int, end: int) -> dict[str, float]:
    page.locator(".nba-text .nba-seg").first.wait_for(state="visible", timeout=60_000)
    rect: dict[str, float] = page.evaluate(_TEXT_RECT, {"start": start, "end": end})
    return rect


@pytest.mark.parametrize("kind", HOSTS)
def test_text_word_double_clicked_and_phrase_drag_selected(kind: str, show: Any) -> None:
    host: Host = show(kind, TEXT)
    page = host.page
    bob = TEXT_BODY.index("Bob")
    r = text_rect(page, bob, bob + 3)
    page.mouse.dblclick(r["cx"], r["y1"])
    spans = host.wait(lambda v: len(v) == 1)
    assert (spans[0]["start"], spans[0]["end"], spans[0]["text"]) == (bob, bob + 3, "Bob")
    assert spans[0]["label"] == "PER"
    page.keyboard.press("2")  # the new span is selected: key 2 relabels it
    spans = host.wait(lambda v: len(v) == 1 and v[0]["label"] == "LOC")
    page.keyboard.press("Escape")
    place = TEXT_BODY.index("New York City")
    r = text_rect(page, place, place + len("New York City"))
    drag(page, (r["x1"], r["y1"]), (r["x2"], r["y2"]))
    spans = host.wait(lambda v: len(v) == 2)
    assert spans[1]["text"] == "New York City"
    assert (spans[1]["start"], spans[1]["end"]) == (place, place + len("New York City"))
    no_error_shown(page, ".nba-text")
    if isinstance(host, MarimoHost):
        assert host.in_shadow_root(".nba-text")


# -- audio ---------------------------------------------------------------------------------------
def time_to_page(page: Any, seconds: float) -> tuple[float, float]:
    stage = box_of(page, ".nba-audio-overlay")
    root = page.locator(".nba-audio").first
    start = float(root.get_attribute("data-view-start") or "nan")
    end = float(root.get_attribute("data-view-end") or "nan")
    x = stage["x"] + (seconds - start) / (end - start) * stage["width"]
    return x, stage["y"] + stage["height"] / 2


@pytest.mark.parametrize("kind", HOSTS)
def test_audio_region_dragged(kind: str, show: Any) -> None:
    host: Host = show(kind, AUDIO)
    page = host.page
    drag(page, time_to_page(page, 2.0), time_to_page(page, 4.0))
    regions = host.wait(lambda v: len(v) == 1)
    assert regions[0]["label"] == "speech"
    assert abs(regions[0]["start"] - 2.0) < 0.1 and abs(regions[0]["end"] - 4.0) < 0.1
    # Voilà renders progressively: the view may exist before every trait is set, and must
    # still show no error (it once asked for peaks of an empty recording).
    no_error_shown(page, ".nba-audio")



# -- sessions ------------------------------------------------------------------------------------
# A session is one anywidget (its annotator with the session panel), so marimo wraps it as
# ``mo.ui.anywidget(session.widget)``. Its answers cross as messages, not state, so the scene
# writes what the session holds to a JSON file after each answer and the test reads that file
# in every front end alike.
SESSION_WRITER = """
import json as _json
from pathlib import Path as _Path

def _write_session(*_args):
    _Path({path!r}).write_text(_json.dumps({{
        "current": None if session.current is None else int(session.current),
        "truth": None if session.current is None else {truth},
        "answers": {answers}}}, default=str))

{hook}
_write_session()
"""

CLASSIFY_SESSION = """
from sklearn.datasets import load_digits
from nbannotate import label
digits = load_digits()
session = label(digits.images[:80] / 16, labels=range(10), features=digits.data[:80],
                learner_options={"cv": 2})
for _ in range(12):  # a model, so the charts have a curve, a histogram and a balance
    session.submit(int(digits.target[session.current]))
session.wait()
"""

SPANS_SESSION = """
from nbannotate import label
session = label(["Anna met Bob in Oslo.", "Bob lives in Lima."], task="spans",
                labels=["PER", "LOC"])
"""

# Pixels of each chart canvas that differ from its background, searched through shadow roots.
CHART_INK = """
() => {
  const found = [];
  const walk = (root) => {
    for (const c of root.querySelectorAll('canvas.nba-chart')) found.push(c);
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  const ink = {};
  for (const c of found) {
    const name = [...c.classList].find((k) => k.startsWith('nba-chart-')).slice(10);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2])
          + Math.abs(d[i + 3] - d[3]) > 30) n++;
    }
    ink[name] = Math.max(ink[name] || 0, n);
  }
  return ink;
}
"""


def session_scene(body: str, path: Path, *, truth: str, answers: str, hook: str,
                  readback: str) -> Scene:
    writer = SESSION_WRITER.format(path=str(path), truth=truth, answers=answers, hook=hook)
    return Scene(setup=body + writer + "annotator = session.widget\n", readback=readback)


def read_session(path: Path, condition: Any, timeout_s: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    value: Any = None
    while time.monotonic() < deadline:
        try:
            value = json.loads(path.read_text())
        except (ValueError, FileNotFoundError):
            value = None
        if value is not None and condition(value):
            return dict(value)
        time.sleep(0.1)
    raise AssertionError(f"the session's file stayed {value!r} for {timeout_s} s")


def chart_ink(page: Any) -> dict[str, int]:
    page.locator("canvas.nba-chart-curve").first.wait_for(state="visible", timeout=60_000)
    ink: dict[str, int] = page.evaluate(CHART_INK)
    return ink


@pytest.mark.parametrize("kind", HOSTS)
def test_classify_session_labels_by_key_and_draws_its_charts(kind: str, show: Any,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "session.json"
    host: Host = show(kind, session_scene(
        CLASSIFY_SESSION, out, truth="int(digits.target[session.current])",
        answers="[[str(i), str(v)] for i, v in zip(session.labels['id'], "
                "session.labels['label'])]",
        hook="session.widget.on_submit(_write_session)", readback="annotator.labels"))
    page = host.page
    # The charts are state: drawn as the page opens (Voilà included), before any new refit.
    ink = chart_ink(page)
    for name in ("curve", "confidence", "balance"):
        assert ink.get(name, 0) > 50, (name, ink)
    shown = read_session(out, lambda v: len(v["answers"]) == 12)
    page.locator(".nba-classify img").first.hover()
    page.keyboard.press(str(shown["truth"]))
    after = read_session(out, lambda v: len(v["answers"]) == 13)
    assert [str(shown["current"]), str(shown["truth"])] in after["answers"]
    assert after["current"] != shown["current"]
    no_error_shown(page, ".nba-classify")
    if isinstance(host, MarimoHost):
        assert host.in_shadow_root(".nba-panel")


@pytest.mark.parametrize("kind", HOSTS)
def test_spans_session_item_submitted_with_ctrl_enter(kind: str, show: Any,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "session.json"
    host: Host = show(kind, session_scene(
        SPANS_SESSION, out, truth="None",
        answers="session.labels[['item_id', 'text', 'label']].values.tolist()",
        hook="session.widget.on_panel_action(_write_session)", readback="annotator.spans"))
    page = host.page
    read_session(out, lambda v: v["current"] == 0)
    page.locator(".nba-panel-done").first.wait_for(state="visible", timeout=60_000)
    body = "Anna met Bob in Oslo."
    r = text_rect(page, 0, 4)
    page.mouse.dblclick(r["cx"], r["y1"])
    host.wait(lambda v: len(v) == 1)  # the span reached the kernel
    page.keyboard.press("Control+Enter")  # the session's Done (not the host's run-cell)
    done = read_session(out, lambda v: v["current"] == 1)
    assert done["answers"] == [[0, body[:4], "PER"]]
    no_error_shown(page, ".nba-text")
    if isinstance(host, MarimoHost):
        assert host.in_shadow_root(".nba-panel")
