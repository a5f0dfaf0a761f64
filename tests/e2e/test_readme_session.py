"""The README's live-loop block, exactly as written, in a real JupyterLab: the session over
scikit-learn's raw ``digits.images`` (floats 0..16) shows its first digit, and a key press
labels it. The result is read back in the kernel."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PIL import Image

from .harness import Notebook

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
LIVE_LOOP = next(code for code in re.findall(r"^```python\n(.*?)^```", README, flags=re.S | re.M)
                 if "load_digits" in code)


def test_readme_digits_session_shows_a_digit_and_takes_a_key(notebook: Notebook,
                                                             tmp_path: Path) -> None:
    nb = notebook
    cell = nb.run(LIVE_LOOP)
    view = nb.output(cell, ".nba-classify")
    view.wait_for(state="visible")
    assert nb.kernel_json("session.current is not None and not session.finished")
    assert nb.kernel_json("len(session.skipped)") == 0
    # The digit is drawn: a screenshot of the item has dark and light pixels.
    image = nb.output(cell, ".nba-classify img").first
    image.wait_for(state="visible")
    nb.page.wait_for_timeout(300)
    shot = tmp_path / "digit.png"
    image.screenshot(path=str(shot))
    with Image.open(shot) as picture:
        gray = np.asarray(picture.convert("L"), dtype=float)
    assert gray.max() - gray.min() > 100, "the digit shows no contrast"
    shown = nb.kernel_json("int(session.current)")
    answer = nb.kernel_json("int(digits.target[session.current])")
    image.hover()
    nb.page.keyboard.press(str(answer))
    nb.wait_kernel("session.learner.n_human == 1")
    labels = nb.kernel_json("[[int(i), str(v)] for i, v in "
                            "zip(session.labels['id'], session.labels['label'])]")
    assert labels == [[shown, str(answer)]]
