"""The README's picture: a real ImageAnnotator in JupyterLab, captured by this test.

Set ``NBANNOTATE_SCREENSHOT_DIR`` (e.g. to ``docs``) to write the picture there; otherwise it
stays in the test's tmp folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from .harness import Notebook

SETUP = """
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


def test_readme_screenshot_of_a_real_widget(notebook: Notebook, tmp_path: Path) -> None:
    cell = notebook.run(SETUP)
    widget = notebook.output(cell, ".nba-image")
    widget.wait_for(state="visible")
    notebook.page.wait_for_timeout(500)  # let the image decode and the first frame paint
    shot = tmp_path / "image-annotator.png"
    widget.screenshot(path=str(shot))
    with Image.open(shot) as picture:
        width, height = picture.size
        small = np.asarray(picture.convert("RGB").resize((64, 48)))
        colors = len(np.unique(small.reshape(-1, 3), axis=0))
    assert width > 300 and height > 200
    assert colors > 100, "the screenshot looks blank: the image did not render"
    assert notebook.kernel_json("len(w.boxes)") == 3
    target = os.environ.get("NBANNOTATE_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)
