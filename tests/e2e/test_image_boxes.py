"""ImageAnnotator in a real JupyterLab: box gestures with the mouse and keys, zoom, and a
label that looks like HTML. After each step the records are read back in the kernel."""

from __future__ import annotations

from typing import Any

from .harness import Notebook

XSS = "<img src=x onerror=alert(1)>"

SETUP = f"""
import numpy as np
from nbannotate import ImageAnnotator
image = np.zeros((300, 400, 3), dtype=np.uint8)
image[:, :, 1] = np.linspace(0, 255, 400, dtype=np.uint8)[None, :]
w = ImageAnnotator(image, labels=["cat", {XSS!r}])
w
"""


# -- helpers shared by the image e2e tests -------------------------------------------------------
def stage_box(nb: Notebook, cell: int) -> dict[str, float]:
    nb.output(cell, ".nba-overlay-layer").wait_for(state="visible")
    # The stage, not a canvas: canvases are moved by a CSS transform while a zoom settles.
    stage = nb.output(cell, ".nba-image-stage")
    stage.scroll_into_view_if_needed()  # the whole stage on screen, for the mouse
    box = stage.bounding_box()
    assert box is not None
    return box


def fitted_to_page(nb: Notebook, cell: int, size: tuple[int, int], x: float,
                   y: float) -> tuple[float, float]:
    """Page position of image pixel (x, y) when the image is fitted (computed independently)."""
    stage = stage_box(nb, cell)
    width, height = size
    scale = min(stage["width"] / width, stage["height"] / height)
    left = stage["x"] + (stage["width"] - width * scale) / 2
    top = stage["y"] + (stage["height"] - height * scale) / 2
    return left + x * scale, top + y * scale


def view_of(nb: Notebook, cell: int) -> tuple[float, float, float]:
    """The widget's view (scale, offsetX, offsetY), as it reports it on its root element."""
    text = nb.output(cell, ".nba-image").get_attribute("data-view")
    scale, ox, oy = (float(v) for v in text.split(","))
    return scale, ox, oy


def to_page(nb: Notebook, cell: int, x: float, y: float) -> tuple[float, float]:
    """Page position of image pixel (x, y) under the widget's current view."""
    stage = stage_box(nb, cell)
    scale, ox, oy = view_of(nb, cell)
    return stage["x"] + (x - ox) * scale, stage["y"] + (y - oy) * scale


def drag(nb: Notebook, start: tuple[float, float], end: tuple[float, float],
         steps: int = 12) -> None:
    nb.page.mouse.move(*start)
    nb.page.mouse.down()
    nb.page.mouse.move(*end, steps=steps)
    nb.page.mouse.up()


def click(nb: Notebook, at: tuple[float, float]) -> None:
    nb.page.mouse.move(*at)
    nb.page.mouse.down()
    nb.page.mouse.up()


def close(record: dict[str, Any], tolerance: float = 1.0, **expected: float) -> bool:
    return all(abs(record[key] - value) <= tolerance for key, value in expected.items())


def cell_count(nb: Notebook) -> int:
    return int(nb.page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"))


# -- the test ------------------------------------------------------------------------------------
def test_boxes_draw_move_resize_relabel_delete_undo_redo_zoom_and_html_label(
        notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    size = (400, 300)

    def page(x: float, y: float) -> tuple[float, float]:
        return fitted_to_page(nb, cell, size, x, y)

    # Draw: geometry in original-image pixels, within one pixel at 1x.
    drag(nb, page(50, 40), page(150, 120))
    box = nb.wait_kernel("w.boxes")[0]
    assert box["label"] == "cat" and box["source"] == "human"
    assert close(box, x=50, y=40, w=100, h=80), box

    # Move by dragging inside.
    drag(nb, page(100, 80), page(130, 90))
    moved = nb.wait_kernel("w.boxes if abs(w.boxes[0]['x'] - 80) <= 1 else None")[0]
    assert close(moved, x=80, y=50, w=100, h=80), moved

    # Resize from the bottom-right corner handle of the (selected) box.
    drag(nb, page(180, 130), page(200, 150))
    resized = nb.wait_kernel("w.boxes if abs(w.boxes[0]['w'] - 120) <= 1 else None")[0]
    assert close(resized, x=80, y=50, w=120, h=100), resized

    # Relabel with key 2 while hovering; JupyterLab never sees the widget's keys.
    before = cell_count(nb)
    nb.page.keyboard.press("2")
    nb.page.keyboard.press("a")  # JupyterLab's "insert cell above": must not act
    assert nb.wait_kernel(f"w.boxes[0]['label'] == {XSS!r}")
    assert cell_count(nb) == before

    # The label is text, never HTML: shown verbatim, no element injected, no dialog.
    chip = nb.output(cell, f'.nba-label-chip[data-label="{XSS}"]')
    assert chip.inner_text().endswith(XSS)
    assert nb.page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert nb.output(cell, ".nba-image img").count() == 0

    # Tools by key (kept in sync with the kernel), then back to the box tool.
    nb.page.keyboard.press("s")
    assert nb.wait_kernel("w.tool == 'select'")
    nb.page.keyboard.press("b")
    assert nb.wait_kernel("w.tool == 'box' and w.label in w.labels")

    # Delete, undo twice (the delete, then the relabel), redo once (the relabel).
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel("len(w.boxes) == 0")
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel(f"len(w.boxes) == 1 and w.boxes[0]['label'] == {XSS!r}")
    nb.page.keyboard.press("Control+z")
    restored = nb.wait_kernel("w.boxes if w.boxes[0]['label'] == 'cat' else None")[0]
    assert close(restored, x=80, y=50, w=120, h=100), restored
    nb.page.keyboard.press("Control+Shift+z")
    assert nb.wait_kernel(f"w.boxes[0]['label'] == {XSS!r}")
    assert nb.kernel_json("len(w.boxes)") == 1

    # Zoom in with the wheel around image point (300, 200): that point stays under the pointer.
    fitted_scale = view_of(nb, cell)[0]
    anchor = page(300, 200)
    nb.page.mouse.move(*anchor)
    nb.page.mouse.wheel(0, -240)
    nb.page.wait_for_function(
        f"""() => {{ const r = document.querySelector('[data-e2e-cell="{cell}"] .nba-image');
            return r && parseFloat(r.dataset.view) > {fitted_scale} * 1.2; }}""")
    scale, ox, oy = view_of(nb, cell)
    stage = stage_box(nb, cell)
    assert abs((anchor[0] - stage["x"]) / scale + ox - 300) < 0.5
    assert abs((anchor[1] - stage["y"]) / scale + oy - 200) < 0.5
    # Then at once elsewhere (while the layers may still be moved by the first step's
    # transform): zoom out around that point, and back in around the anchor.
    other = (anchor[0] - 120, anchor[1] + 60)
    under = ((other[0] - stage["x"]) / scale + ox, (other[1] - stage["y"]) / scale + oy)
    nb.page.mouse.move(*other)
    nb.page.mouse.wheel(0, 240)
    after, ox2, oy2 = view_of(nb, cell)
    assert after < scale
    assert abs((other[0] - stage["x"]) / after + ox2 - under[0]) < 0.5
    assert abs((other[1] - stage["y"]) / after + oy2 - under[1]) < 0.5
    target = ((anchor[0] - stage["x"]) / after + ox2, (anchor[1] - stage["y"]) / after + oy2)
    nb.page.mouse.move(*anchor)
    nb.page.mouse.wheel(0, -240)
    scale, ox, oy = view_of(nb, cell)
    assert abs((anchor[0] - stage["x"]) / scale + ox - target[0]) < 0.5
    assert abs((anchor[1] - stage["y"]) / scale + oy - target[1]) < 0.5
    point = target  # the image point under the pointer: the next box starts there

    # Draw 60x40 screen pixels from there: the box is in image pixels, not screen pixels.
    nb.page.keyboard.press("Escape")  # clear the selection: the next drag draws
    drag(nb, anchor, (anchor[0] + 60, anchor[1] + 40))
    zoomed = nb.wait_kernel("w.boxes[1:]")[0]
    assert close(zoomed, tolerance=1 / scale + 0.01, x=point[0], y=point[1], w=60 / scale,
                 h=40 / scale)
    assert nb.dialogs == []

    # Setting boxes from Python replaces the list and redraws; the widget keeps working.
    nb.kernel_exec("w.boxes = []")
    nb.page.keyboard.press("0")  # fit
    drag(nb, page(20, 20), page(60, 50))
    again = nb.wait_kernel("w.boxes")
    assert len(again) == 1 and close(again[0], x=20, y=20, w=40, h=30)
