"""Keypoints and model suggestions in a real JupyterLab, read back in the kernel."""

from __future__ import annotations

from .harness import Notebook
from .test_image_boxes import click, close, drag, fitted_to_page

SETUP = """
import numpy as np
from nbannotate import ImageAnnotator
image = np.full((300, 400, 3), 90, dtype=np.uint8)
w = ImageAnnotator(image, labels=["person", "dog"],
                   keypoint_labels=["nose", "left_eye", "right_eye"],
                   skeleton=[("left_eye", "nose"), ("nose", "right_eye")],
                   boxes=[{"id": "p1", "x": 100, "y": 50, "w": 150, "h": 150, "label": "person"}],
                   suggestions=[
                       {"id": "s1", "x": 20, "y": 220, "w": 60, "h": 60, "label": "dog",
                        "score": 0.91},
                       {"id": "s2", "x": 300, "y": 20, "w": 60, "h": 60, "label": "person",
                        "score": 0.35}])
w
"""


def test_keypoints_place_advance_drag_visibility_and_undo(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)

    def page(x: float, y: float) -> tuple[float, float]:
        return fitted_to_page(nb, cell, (400, 300), x, y)

    nb.page.mouse.move(*page(10, 10))
    nb.page.keyboard.press("k")
    assert nb.wait_kernel("w.tool == 'keypoint' and w.label == 'nose'")

    # Three clicks inside the person box: nose, left eye, right eye (the label advances).
    for x, y in ((170, 110), (150, 90), (190, 90)):
        click(nb, page(x, y))
    points = nb.wait_kernel("w.keypoints if len(w.keypoints) == 3 else None")
    assert [p["label"] for p in points] == ["nose", "left_eye", "right_eye"]
    assert all(p["box_id"] == "p1" and p["visible"] == 2 and p["source"] == "human"
               for p in points)
    for p, (x, y) in zip(points, ((170, 110), (150, 90), (190, 90)), strict=True):
        assert close(p, x=x, y=y), p

    # Drag the nose; then toggle its visibility with V, and undo that.
    drag(nb, page(170, 110), page(180, 125))
    nose = nb.wait_kernel("[p for p in w.keypoints if p['label'] == 'nose' and p['x'] > 175]")[0]
    assert close(nose, x=180, y=125)
    nb.page.keyboard.press("v")
    assert nb.wait_kernel("[p['visible'] for p in w.keypoints if p['label'] == 'nose'] == [1]")
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("[p['visible'] for p in w.keypoints if p['label'] == 'nose'] == [2]")
    assert nb.kernel_json("len(w.keypoints)") == 3

    # A click outside any box, with nothing selected, starts a box-less instance at its first
    # unplaced label.
    nb.page.keyboard.press("Escape")
    click(nb, page(30, 30))
    lone = nb.wait_kernel("[p for p in w.keypoints if 'box_id' not in p]")[0]
    assert lone["label"] == "nose" and close(lone, x=30, y=30)

    # Deleting the person box removes its keypoints (one undoable step).
    nb.page.keyboard.press("b")
    click(nb, page(120, 180))
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel("len(w.boxes) == 0 and len(w.keypoints) == 1")
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("len(w.boxes) == 1 and len(w.keypoints) == 4")


def test_suggestions_accept_reject_edit_and_accept_all(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)

    def page(x: float, y: float) -> tuple[float, float]:
        return fitted_to_page(nb, cell, (400, 300), x, y)

    # Click a suggestion and press Enter: it becomes a person's box with the same geometry.
    click(nb, page(50, 250))
    nb.page.keyboard.press("Enter")
    accepted = nb.wait_kernel("[b for b in w.boxes if b['id'] == 's1']")[0]
    assert accepted == {"id": "s1", "x": 20.0, "y": 220.0, "w": 60.0, "h": 60.0,
                        "label": "dog", "source": "human"}
    assert nb.kernel_json("[s['id'] for s in w.suggestions]") == ["s2"]

    # Reject the other with X.
    click(nb, page(330, 50))
    nb.page.keyboard.press("x")
    assert nb.wait_kernel("w.suggestions == []")
    assert nb.kernel_json("sorted(b['id'] for b in w.boxes)") == ["p1", "s1"]

    # Undo the rejection, then edit the suggestion (drag it): that accepts it, moved.
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("[s['id'] for s in w.suggestions] == ['s2']")
    drag(nb, page(330, 50), page(340, 60))
    edited = nb.wait_kernel("[b for b in w.boxes if b['id'] == 's2']")[0]
    assert close(edited, x=310, y=30, w=60, h=60) and edited["source"] == "human"
    assert "score" not in edited and nb.kernel_json("w.suggestions") == []

    # Suggestions set from Python never replace what a person drew; "Accept all" takes them.
    nb.kernel_exec(
        "w.suggestions = [{'id': 's1', 'x': 200, 'y': 200, 'w': 30, 'h': 30, 'label': 'dog',"
        " 'score': 0.8}, {'id': 's9', 'x': 5, 'y': 5, 'w': 20, 'h': 20, 'label': 'dog',"
        " 'score': 0.7}]")
    button = nb.output(cell, "button.nba-image-accept-all")
    button.wait_for(state="visible")
    button.click()
    assert nb.wait_kernel("len(w.boxes) == 5 and w.suggestions == []")
    boxes = nb.kernel_json("w.boxes")
    person_s1 = [b for b in boxes if b["id"] == "s1"]
    assert len(person_s1) == 1 and person_s1[0]["x"] == 20.0  # untouched
    assert {b["source"] for b in boxes} == {"human"}
    assert len({b["id"] for b in boxes}) == 5
