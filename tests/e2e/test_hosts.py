"""The core scenarios in Jupyter Notebook 7, marimo and Voilà (JupyterLab has its own files):
a box drawn and relabelled by key, a word double-clicked and a phrase drag-selected, an audio
region dragged, a video track started by drawing a box. Every result is read back from the
kernel as each front end allows (see ``hosts.py``); in marimo, that is the output of a cell
that depends on the widget, so each check also shows marimo re-ran the cell after the edit.

A new scenario is a :class:`Scene` (setup code and a read-back expression) plus the gestures.
"""

from __future__ import annotations

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



# -- video ---------------------------------------------------------------------------------------
VIDEO = Scene(setup="""
import numpy as np
from nbannotate import VideoAnnotator
clip = np.zeros((20, 120, 160, 3), dtype=np.uint8)
for t in range(20):
    clip[t, 30:60, 20 + 3 * t:50 + 3 * t] = 220
annotator = VideoAnnotator(clip, ["car", "person"], fps=10)
""", readback="annotator.tracks")


def frame_to_page(page: Any, x: float, y: float) -> tuple[float, float]:
    """Page position of frame pixel (x, y) under the video widget's view."""
    stage = box_of(page, ".nba-video-canvas")
    root = page.locator(".nba-video").first
    page.wait_for_function("(el) => el.dataset.shownFrame === '0'",
                           arg=root.element_handle(), timeout=60_000)
    scale = float(root.get_attribute("data-view-scale") or "nan")
    ox = float(root.get_attribute("data-view-x") or "nan")
    oy = float(root.get_attribute("data-view-y") or "nan")
    return stage["x"] + (x - ox) * scale, stage["y"] + (y - oy) * scale


@pytest.mark.parametrize("kind", HOSTS)
def test_video_box_drawn_starts_a_track(kind: str, show: Any) -> None:
    host: Host = show(kind, VIDEO)
    page = host.page
    drag(page, frame_to_page(page, 20, 30), frame_to_page(page, 50, 60))
    tracks = host.wait(lambda v: len(v) == 1)
    keyframe = tracks[0]["keyframes"][0]
    assert tracks[0]["label"] == "car" and keyframe["frame"] == 0
    for key, expected in (("x", 20), ("y", 30), ("w", 30), ("h", 30)):
        assert abs(keyframe[key] - expected) <= 1.5, keyframe
    page.keyboard.press("2")  # the new track is selected: key 2 relabels it
    host.wait(lambda v: len(v) == 1 and v[0]["label"] == "person")
    no_error_shown(page, ".nba-video")
    if isinstance(host, MarimoHost):
        assert host.in_shadow_root(".nba-video")


# -- sessions ------------------------------------------------------------------------------------
CLASSIFY_SESSION = Scene(setup="""
import tempfile
from pathlib import Path
from sklearn.datasets import load_digits
from nbannotate import label
digits = load_digits()
session = label(digits.images[:60], labels=range(10), features=digits.data[:60] / 16,
                store=Path(tempfile.mkdtemp()) / "digits.db")
annotator = session.widget
""", readback="{'labels': [[int(i), int(v)] for i, v in session.labels[['id', 'label']].values],"
              " 'current': session.current, 'truth': int(digits.target[session.current])}",
    polled=True)

SPANS_SESSION = Scene(setup=f"""
import tempfile
from pathlib import Path
from nbannotate import label
session = label([{TEXT_BODY!r}, "Oslo is cold."], task="spans", labels=["PER", "LOC"],
                store=Path(tempfile.mkdtemp()) / "spans.db")
annotator = session.widget
""", readback="{'labels': session.labels[['item_id', 'label', 'start', 'end']].values.tolist(),"
              " 'current': session.current}", polled=True)

_INKED = """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - 250) + Math.abs(d[i + 1] - 251) + Math.abs(d[i + 2] - 252) > 30) n++; }
  return n; }"""


def inked(page: Any, name: str) -> int:
    """Pixels of a panel chart that differ from its background (drawn, not blank)."""
    chart = page.locator(f"canvas.nba-chart-{name}").first
    chart.wait_for(state="visible", timeout=60_000)
    return int(chart.evaluate(_INKED))


@pytest.mark.parametrize("kind", HOSTS)
def test_classify_session_item_labelled_by_key_with_its_charts_drawn(kind: str, show: Any
                                                                      ) -> None:
    host: Host = show(kind, CLASSIFY_SESSION)
    page = host.page
    first = host.wait(lambda v: v["current"] is not None, timeout_s=60)
    # The dashboard's charts come with the widget's state: drawn at load, before any refit.
    assert inked(page, "balance") > 50 and inked(page, "confidence") > 50
    image = page.locator(".nba-classify img").first
    image.wait_for(state="visible", timeout=60_000)
    image.hover()
    page.keyboard.press(str(first["truth"]))
    after = host.wait(lambda v: len(v["labels"]) == 1)
    assert after["labels"] == [[first["current"], first["truth"]]]
    assert after["current"] != first["current"]  # the next item is on screen
    human = page.locator('[data-count="human"] b').first  # the panel's count, updated
    human.wait_for(state="visible", timeout=30_000)
    page.wait_for_function("(b) => b.textContent === '1'", arg=human.element_handle(),
                           timeout=30_000)
    no_error_shown(page, ".nba-classify")
    if isinstance(host, MarimoHost):
        assert host.in_shadow_root(".nba-panel")


@pytest.mark.parametrize("kind", HOSTS)
def test_spans_session_item_submitted_with_ctrl_enter(kind: str, show: Any) -> None:
    host: Host = show(kind, SPANS_SESSION)
    page = host.page
    host.wait(lambda v: v["current"] == 0, timeout_s=60)
    bob = TEXT_BODY.index("Bob")
    r = text_rect(page, bob, bob + 3)
    page.mouse.dblclick(r["cx"], r["y1"])
    page.keyboard.press("Control+Enter")  # Done: the item is stored, the next one shown
    after = host.wait(lambda v: v["current"] == 1 and len(v["labels"]) == 1)
    assert after["labels"] == [[0, "PER", bob, bob + 3]]
    no_error_shown(page, ".nba-text")
