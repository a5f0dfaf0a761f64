"""Segmentation in a real JupyterLab: polygons (five clicks, close, drag a vertex, undo, delete
and insert vertices, double-click), brush and eraser strokes read back in the kernel as
masks, and the live pixel classifier's overlay accepted as masks."""

from __future__ import annotations

from typing import Any

from .harness import Notebook
from .test_image_boxes import click, drag, to_page, view_of

SETUP = """
import numpy as np
from nbannotate import ImageAnnotator
image = np.zeros((600, 1000, 3), dtype=np.uint8)
image[:, :, 2] = np.linspace(40, 220, 1000, dtype=np.uint8)[None, :]
w = ImageAnnotator(image, labels=["sky", "tree"])
w
"""

# Distance of every pixel centre to the segment (ax, ay)-(bx, by), in the kernel.
DISTANCE = """
import numpy as np
def _distance(ax, ay, bx, by, shape=(600, 1000)):
    py, px = np.mgrid[0:shape[0], 0:shape[1]] + 0.5
    dx, dy = bx - ax, by - ay
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0, 1)
    return np.hypot(ax + t * dx - px, ay + t * dy - py)
"""


def close_points(got: list[list[float]], want: list[tuple[float, float]],
                 tolerance: float = 1.0) -> bool:
    return len(got) == len(want) and all(
        abs(g[0] - w[0]) <= tolerance and abs(g[1] - w[1]) <= tolerance
        for g, w in zip(got, want, strict=True))


def root_data(nb: Notebook, cell: int, name: str) -> Any:
    return nb.output(cell, ".nba-image").get_attribute(f"data-{name}")


def test_polygon_five_clicks_close_drag_undo_delete_insert_and_double_click(
        notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    scale = view_of(nb, cell)[0]
    assert 0.8 < scale < 1.4, scale  # about 1x: coordinates are checked to one pixel

    def page(x: float, y: float) -> tuple[float, float]:
        return to_page(nb, cell, x, y)

    nb.page.mouse.move(*page(500, 500))
    nb.page.keyboard.press("p")
    assert nb.wait_kernel("w.tool == 'polygon'")

    # Five clicks, then Enter: one polygon, in original-image pixels.
    points = [(100, 100), (300, 80), (380, 250), (220, 380), (80, 260)]
    for point in points:
        click(nb, page(*point))
    nb.page.keyboard.press("Enter")
    polygon = nb.wait_kernel("w.polygons")[0]
    assert polygon["label"] == "sky" and polygon["source"] == "human"
    assert close_points(polygon["points"], points), polygon["points"]

    # Drag a vertex; undo puts it back.
    drag(nb, page(380, 250), page(420, 300))
    moved = nb.wait_kernel(
        "w.polygons[0]['points'] if abs(w.polygons[0]['points'][2][0] - 420) <= 1 else None")
    assert close_points(moved, [*points[:2], (420, 300), *points[3:]]), moved
    nb.page.keyboard.press("Control+z")
    back = nb.wait_kernel(
        "w.polygons[0]['points'] if abs(w.polygons[0]['points'][2][0] - 380) <= 1 else None")
    assert close_points(back, points), back

    # Select a vertex and delete it; click an edge of the selected polygon to insert one.
    click(nb, page(80, 260))
    assert root_data(nb, cell, "polygon").endswith(":4")
    nb.page.keyboard.press("Delete")
    assert close_points(nb.wait_kernel(
        "w.polygons[0]['points'] if len(w.polygons[0]['points']) == 4 else None"), points[:4])
    click(nb, page(200, 90))  # on the edge (100, 100)-(300, 80)
    inserted = nb.wait_kernel(
        "w.polygons[0]['points'] if len(w.polygons[0]['points']) == 5 else None")
    assert close_points(inserted, [points[0], (200, 90), *points[1:4]]), inserted

    # A second polygon with label 2, closed by a double-click on its last point.
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("2")
    for point in ((600, 100), (800, 120), (700, 300)):
        click(nb, page(*point))
    nb.page.mouse.dblclick(*page(640, 320))
    second = nb.wait_kernel("w.polygons[1] if len(w.polygons) == 2 else None")
    assert second["label"] == "tree"
    assert close_points(second["points"], [(600, 100), (800, 120), (700, 300), (640, 320)])
    assert nb.kernel_json("len(w.polygons[0]['points'])") == 5
    # Tab and Shift+Tab go through the polygons; Delete removes the one selected.
    first_id, second_id = nb.kernel_json("[p['id'] for p in w.polygons]")
    assert root_data(nb, cell, "polygon") == second_id  # closing selects the new one
    nb.page.keyboard.press("Tab")
    assert root_data(nb, cell, "polygon") == first_id
    nb.page.keyboard.press("Shift+Tab")
    assert root_data(nb, cell, "polygon") == second_id
    nb.page.keyboard.press("Shift+Tab")
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel(f"[p['id'] for p in w.polygons] == [{second_id!r}]")
    assert nb.dialogs == []


def test_brush_and_eraser_strokes_set_mask_pixels_in_the_kernel_with_undo(
        notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    nb.kernel_exec(DISTANCE)

    def page(x: float, y: float) -> tuple[float, float]:
        return to_page(nb, cell, x, y)

    nb.page.mouse.move(*page(500, 500))
    nb.page.keyboard.press("r")
    assert nb.wait_kernel("w.tool == 'brush'")
    nb.kernel_exec("w.brush_radius = 8")
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image-radius')
                 ?.textContent === '8.0 px'""")
    nb.page.keyboard.press("]")  # 8 * 1.25
    assert nb.wait_kernel("w.brush_radius == 10")

    # A brush stroke: the pixels within the radius of the path are set, no others.
    drag(nb, page(100, 200), page(500, 200), steps=25)
    assert nb.wait_kernel("len(w.masks) == 1")
    inside, stray, total = nb.kernel_json(
        "(lambda m, d: [bool(m[d <= 8.5].all()), int(m[d > 11.5].sum()), int(m.sum())])"
        "(w.mask_array('sky'), _distance(100, 200, 500, 200))")
    assert inside and stray == 0, (inside, stray)
    assert 400 * 20 * 0.9 < total < 420 * 22
    assert not nb.kernel_json("bool(w.mask_array('tree').any())")

    # An eraser stroke across it clears those pixels and only those.
    nb.page.keyboard.press("e")
    assert nb.wait_kernel("w.tool == 'eraser'")
    drag(nb, page(300, 150), page(300, 250), steps=10)
    erased = ("(lambda m, d: bool(m[d <= 8.5].any()))"
              "(w.mask_array('sky'), _distance(300, 150, 300, 250))")
    assert nb.wait_kernel(f"not {erased}")
    kept = nb.kernel_json(
        "(lambda m, d, e: bool(m[(d <= 8.5) & (e > 11.5)].all()))(w.mask_array('sky'), "
        "_distance(100, 200, 500, 200), _distance(300, 150, 300, 250))")
    assert kept

    # Undo brings the erased pixels back, redo erases them again; the brush stroke's undo
    # leaves no mask at all.
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel(erased)
    nb.page.keyboard.press("Control+Shift+z")
    assert nb.wait_kernel(f"not {erased}")
    nb.page.keyboard.press("Control+z")
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("w.masks == []")
    assert root_data(nb, cell, "mask-pending") == "0"

    # Masks set from Python are drawn, and the brush paints over another label.
    nb.page.keyboard.press("r")
    nb.page.keyboard.press("2")
    assert nb.wait_kernel("w.tool == 'brush' and w.label == 'tree'")
    nb.kernel_exec("w.paint('sky', [[600, 400], [900, 400]], radius=20)")
    drag(nb, page(750, 300), page(750, 500), steps=10)
    over = "(lambda s, t: bool(t[400, 750] and not s[400, 750] and s[400, 650]))" \
           "(w.mask_array('sky'), w.mask_array('tree'))"
    assert nb.wait_kernel(over)
    assert nb.dialogs == []


LIVE = """
import numpy as np
from nbannotate import ImageAnnotator, LiveSegmentation
rng = np.random.default_rng(0)
image = np.zeros((300, 400, 3), dtype=np.uint8)
image[:, :200] = (40, 60, 40)
image[:, 200:] = (200, 210, 230)
image = np.clip(image + rng.normal(0, 12, image.shape), 0, 255).astype(np.uint8)
w = ImageAnnotator(image, labels=["ground", "sky"], tool="brush", brush_radius=6)
live = LiveSegmentation(w)
w
"""


def test_live_segmentation_overlay_appears_and_enter_accepts_it(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(LIVE)

    def page(x: float, y: float) -> tuple[float, float]:
        return to_page(nb, cell, x, y)

    nb.page.mouse.move(*page(200, 150))
    drag(nb, page(60, 60), page(60, 240), steps=8)  # label 1: ground, on the left
    nb.page.keyboard.press("2")
    drag(nb, page(340, 60), page(340, 240), steps=8)  # sky, on the right
    assert nb.wait_kernel("len(w.mask_suggestions) == 2 and not live.running", timeout_s=60)
    # The browser shows the model's masks where nothing is painted.
    nb.page.wait_for_function(
        f"""() => Number(document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                 ?.dataset.suggestedPixels) > 100000""", timeout=30_000)
    accept = nb.output(cell, ".nba-image-accept-masks")
    assert accept.is_visible()

    # U shows the uncertainty overlay (and the kernel knows).
    nb.page.keyboard.press("u")
    assert nb.wait_kernel("w.show_uncertainty")
    assert root_data(nb, cell, "uncertainty") == "shown"

    # Enter accepts the overlay as masks: nearly every pixel gets the right label.
    nb.page.keyboard.press("Enter")
    right = ("(lambda g, s: [float(g[:, :190].mean()), float(s[:, 210:].mean()), "
             "int((g & s).sum())])(w.mask_array('ground'), w.mask_array('sky'))")
    ground, sky, both = nb.wait_kernel(f"{right} if len(w.masks) == 2 and "
                                       "w.mask_array('ground').mean() > 0.3 else None")
    assert ground > 0.97 and sky > 0.97 and both == 0, (ground, sky, both)
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                 ?.dataset.suggestedPixels === '0'""")
    # One undoable step: undo leaves the two strokes.
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("w.mask_array('ground').mean() < 0.1")
    nb.kernel_exec("live.close()")
