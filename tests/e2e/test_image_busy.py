"""ImageAnnotator while the kernel is busy, with a large image (preview first, full resolution
on request), an undecodable image and malformed state: all in a real JupyterLab."""

from __future__ import annotations

import json

from .harness import _FIND_PANEL, Notebook
from .test_image_boxes import close, drag, to_page, view_of

SETUP = """
import numpy as np
from nbannotate import ImageAnnotator
y, x = np.mgrid[0:3000, 0:4000]
big = np.stack([x * 255 // 3999, y * 255 // 2999, (x + y) % 256], axis=-1).astype(np.uint8)
w = ImageAnnotator(big, labels=["car", "tree"])
w
"""


def test_large_image_and_busy_kernel_gestures_reach_the_kernel_later(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    root = nb.output(cell, ".nba-image")
    # The preview is painted first; the browser then asks for the full resolution.
    nb.page.wait_for_function(
        f"""() => {{ const r = document.querySelector('[data-e2e-cell="{cell}"] .nba-image');
            return r && r.dataset.firstPaint !== undefined; }}""")
    assert nb.kernel_json("w.preview_scale") == 4  # a 1000×750 preview
    assert nb.wait_kernel("len(w.image_data) > 0", timeout_s=30)
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
            .dataset.fullReady !== undefined""", timeout=30_000)

    # Keep the kernel busy; draw, move and undo meanwhile.
    nb.run_async("import time; time.sleep(6)")
    nb.page.wait_for_function(  # the kernel is busy running it
        f"""() => ({_FIND_PANEL})({json.dumps(nb.path)}).sessionContext.session.kernel.status
            === 'busy'""")
    scale = view_of(nb, cell)[0]
    tolerance = 1 / scale + 0.01  # one screen pixel, in image pixels
    drag(nb, to_page(nb, cell, 1000, 800), to_page(nb, cell, 2000, 1600))
    # The new box is there and selected at once, without the kernel.
    assert root.get_attribute("data-selection").startswith("boxes:")
    drag(nb, to_page(nb, cell, 1500, 1200), to_page(nb, cell, 2500, 1400))
    nb.page.keyboard.press("Control+z")  # undo the move
    assert nb.page.evaluate(
        f"() => ({_FIND_PANEL})({json.dumps(nb.path)}).sessionContext.session.kernel.status"
    ) == "busy"  # all of it happened while the cell was still running
    box = nb.wait_kernel("w.boxes and not w.boxes[0]['x'] > 1100 and w.boxes", timeout_s=20)[0]
    assert close(box, tolerance=tolerance, x=1000, y=800, w=1000, h=800), box
    assert nb.wait_kernel("len(w.boxes) == 1")
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
            .dataset.pending === '0'""")


def test_undecodable_image_and_malformed_state_show_inline_messages(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run("""
import io
from PIL import Image
from nbannotate import ImageAnnotator
buffer = io.BytesIO()
Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
data = buffer.getvalue()
start = data.index(b"\\xff\\xc0")  # keep the header up to the frame size, then garbage
broken = data[:start + 19] + b"\\x00" * 64
bad = ImageAnnotator(broken, labels=["a"])
bad
""")
    message = nb.output(cell, ".nba-message")
    message.wait_for(state="visible")
    assert "could not be decoded" in message.inner_text()
    assert "image/jpeg" in message.inner_text()

    good = nb.run("""
import numpy as np
ok = ImageAnnotator(np.zeros((40, 60), dtype=np.uint8), labels=["a"])
ok
""")
    nb.output(good, ".nba-overlay-layer").wait_for(state="visible")
    # State that skipped validation (e.g. restored from an old notebook) is reported, not drawn.
    nb.kernel_exec("""
ok._trait_values["boxes"] = [{"id": "b1", "x": 1, "y": 1, "w": 5, "h": 5, "label": "a"},
                             {"id": "b2", "x": "one", "y": 1, "w": 5, "h": 5, "label": "a"}]
ok.send_state("boxes")
""")
    problem = nb.output(good, ".nba-message")
    problem.wait_for(state="visible")
    assert "boxes[1] is not shown: its x is not a number" in problem.inner_text()
    # The good record is still there to work with: select it with Tab and delete it.
    nb.output(good, ".nba-overlay-layer").hover()
    nb.page.keyboard.press("Tab")
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel("[b['id'] for b in ok.boxes] == ['b2']")
