"""ImageAnnotator in a real JupyterLab: gestures with the mouse, results read in the kernel."""

from __future__ import annotations

from .harness import Notebook

SETUP = """
import numpy as np
from nbannotate import ImageAnnotator
image = np.zeros((300, 400, 3), dtype=np.uint8)
image[:, :, 1] = np.linspace(0, 255, 400, dtype=np.uint8)[None, :]
w = ImageAnnotator(image, labels=["cat", "dog"])
w
"""


def stage_box(nb: Notebook, cell: int) -> dict[str, float]:
    canvas = nb.output(cell, ".nba-overlay-layer")
    canvas.wait_for(state="visible")
    box = canvas.bounding_box()
    assert box is not None
    return box


def image_to_page(nb: Notebook, cell: int, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of image pixel (x, y) under the widget's fitted view."""
    stage = stage_box(nb, cell)
    scale = min(stage["width"] / 400, stage["height"] / 300)
    left = stage["x"] + (stage["width"] - 400 * scale) / 2
    top = stage["y"] + (stage["height"] - 300 * scale) / 2
    return left + x * scale, top + y * scale


def drag(nb: Notebook, start: tuple[float, float], end: tuple[float, float]) -> None:
    nb.page.mouse.move(*start)
    nb.page.mouse.down()
    nb.page.mouse.move(*end, steps=12)
    nb.page.mouse.up()


def test_draw_box_then_move_relabel_delete_undo(notebook: Notebook) -> None:
    cell = notebook.run(SETUP)
    stage_box(notebook, cell)
    drag(notebook, image_to_page(notebook, cell, 50, 40), image_to_page(notebook, cell, 150, 120))
    boxes = notebook.wait_kernel("w.boxes")
    assert len(boxes) == 1
    box = boxes[0]
    assert box["label"] == "cat" and box["source"] == "human"
    # Geometry in original-image pixels, within one pixel at 1x.
    for key, expected in (("x", 50), ("y", 40), ("w", 100), ("h", 80)):
        assert abs(box[key] - expected) <= 1.0, (key, box)

    # Move it by dragging its inside.
    drag(notebook, image_to_page(notebook, cell, 100, 80), image_to_page(notebook, cell, 130, 90))
    moved = notebook.wait_kernel("w.boxes if abs(w.boxes[0]['x'] - 80) <= 1 else None")
    assert abs(moved[0]["y"] - 50) <= 1.0 and abs(moved[0]["w"] - 100) <= 1.0

    # Relabel with key 2 while hovering; the key must not reach JupyterLab.
    cells_before = notebook.page.evaluate(
        "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length")
    notebook.page.keyboard.press("2")
    notebook.page.keyboard.press("b")  # JupyterLab's "insert cell below": must be swallowed
    assert notebook.wait_kernel("w.boxes[0]['label'] == 'dog'")
    cells_after = notebook.page.evaluate(
        "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length")
    assert cells_after == cells_before

    notebook.page.keyboard.press("Delete")
    assert notebook.wait_kernel("len(w.boxes) == 0")
    notebook.page.keyboard.press("Control+z")
    restored = notebook.wait_kernel("w.boxes")
    assert restored[0]["label"] == "dog" and abs(restored[0]["x"] - 80) <= 1.0
    # Python-side replacement redraws; the widget keeps working after it.
    notebook.kernel_exec("w.boxes = []")
    drag(notebook, image_to_page(notebook, cell, 200, 150), image_to_page(notebook, cell, 260, 200))
    again = notebook.wait_kernel("w.boxes")
    assert len(again) == 1 and abs(again[0]["x"] - 200) <= 1.0
