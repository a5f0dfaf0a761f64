"""The README's pictures: real widgets in JupyterLab, captured by these tests.

Set ``NBANNOTATE_SCREENSHOT_DIR`` (e.g. to ``docs``) to write the pictures there; otherwise
they stay in each test's tmp folder. Each test checks that its picture is not blank and reads
the widget's records back in the kernel."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .harness import Notebook

IMAGE = """
from sklearn.datasets import load_sample_images
from nbannotate import ImageAnnotator
photo = load_sample_images().images[0]
w = ImageAnnotator(photo, labels=["building", "tree", "roof"],
                   boxes=[{"x": 64, "y": 68, "w": 306, "h": 359, "label": "building"},
                          {"x": 0, "y": 218, "w": 150, "h": 209, "label": "tree"},
                          {"x": 92, "y": 70, "w": 240, "h": 92, "label": "roof"}],
                   suggestions=[{"x": 466, "y": 180, "w": 174, "h": 247, "label": "tree",
                                 "source": "model", "score": 0.83}])
w
"""

TEXT = """
from nbannotate import TextAnnotator
doc = ("Ada Lovelace met Charles Babbage in London in 1833. Babbage's Analytical Engine, "
       "designed in London, was never built; Lovelace wrote its first program.")
def at(word, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = doc.index(word, start + 1)
    return {"start": start, "end": start + len(word), "label": label}
w = TextAnnotator(doc, labels=["PER", "LOC", "DATE", "WORK"],
                  spans=[at("Ada Lovelace", "PER"), at("Lovelace", "PER", 1),
                         at("Charles Babbage", "PER"), at("London", "LOC"),
                         at("1833", "DATE"), at("Babbage's Analytical Engine", "WORK"),
                         at("Babbage", "PER", 1)],
                  suggestions=[{**at("London", "LOC", 1), "source": "model", "score": 0.91}])
w
"""

AUDIO = """
import numpy as np
from nbannotate import AudioAnnotator
rate = 16000
t = np.arange(rate * 6) / rate
rng = np.random.default_rng(0)
clip = 0.02 * rng.standard_normal(t.size)
for start, freq in ((0.6, 440), (2.4, 660), (4.1, 330)):
    part = (t >= start) & (t < start + 1.0)
    clip[part] += 0.6 * np.sin(2 * np.pi * freq * t[part]) * np.hanning(part.sum())
w = AudioAnnotator(clip, sample_rate=rate, labels=["beep", "noise"],
                   regions=[{"start": 0.55, "end": 1.65, "label": "beep"},
                            {"start": 2.35, "end": 3.45, "label": "beep"}],
                   suggestions=[{"start": 4.05, "end": 5.15, "label": "beep",
                                 "source": "model", "score": 0.77}])
w
"""

SESSION = """
from sklearn.datasets import load_digits
from nbannotate import label
digits = load_digits()
session = label(digits.images, labels=[str(d) for d in range(10)], features=digits.data,
                store="screenshot-digits.db")
for _ in range(24):
    session.submit(str(digits.target[session.current]))
session.wait()
session
"""


def _capture(nb: Notebook, cell: int, selector: str, name: str, tmp_path: Path,
             *, min_colors: int) -> Path:
    widget = nb.output(cell, selector).first
    widget.wait_for(state="visible")
    nb.page.wait_for_timeout(700)  # let media decode and the first frames paint
    shot = tmp_path / name
    widget.screenshot(path=str(shot))
    with Image.open(shot) as picture:
        width, height = picture.size
        small = np.asarray(picture.convert("RGB").resize((64, 48)))
        colors = len(np.unique(small.reshape(-1, 3), axis=0))
    assert width > 300 and height > 100
    assert colors > min_colors, f"the screenshot {name} looks blank"
    target = os.environ.get("NBANNOTATE_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)
    return shot


def test_picture_of_the_image_annotator(notebook: Notebook, tmp_path: Path) -> None:
    cell = notebook.run(IMAGE)
    _capture(notebook, cell, ".nba-image", "image-annotator.png", tmp_path, min_colors=100)
    assert notebook.kernel_json("len(w.boxes)") == 3


def test_picture_of_the_text_annotator(notebook: Notebook, tmp_path: Path) -> None:
    cell = notebook.run(TEXT)
    _capture(notebook, cell, ".nba-text", "text-annotator.png", tmp_path, min_colors=8)
    spans: Any = notebook.kernel_json("[s['text'] for s in w.spans]")
    assert "Charles Babbage" in spans and len(spans) == 7


def test_picture_of_the_audio_annotator(notebook: Notebook, tmp_path: Path) -> None:
    cell = notebook.run(AUDIO)
    _capture(notebook, cell, ".nba-audio", "audio-annotator.png", tmp_path, min_colors=8)
    assert notebook.kernel_json("len(w.regions)") == 2


def test_picture_of_a_session_with_its_dashboard(notebook: Notebook, tmp_path: Path) -> None:
    cell = notebook.run(SESSION)
    _capture(notebook, cell, ".jp-OutputArea-output", "session.png", tmp_path, min_colors=8)
    assert notebook.kernel_json("session.learner.n_human") == 24
