"""A segment Session in a real JupyterLab: the person paints a stroke of each of two labels
with the brush on image 1 (the live refit draws its segmentation in meanwhile) and presses
Ctrl+Enter; image 2 appears, and once the model has refit on image 1 it is drawn in
pre-segmented; the person presses Enter to accept the masks, then Ctrl+Enter. Read back in
the kernel: image 2's masks are stored with origin "accepted", and their pixels are the
suggestion's."""

from __future__ import annotations

from .harness import Notebook
from .test_image_boxes import drag, to_page
from .test_span_session import execution_count

# Grass (dark, green) and sky (light, blue), split at a different column in each image.
SETUP = """
import numpy as np
from nbannotate import label
from nbannotate.formats import rle_to_mask

def scene(split, seed):
    rng = np.random.default_rng(seed)
    image = np.empty((300, 400, 3))
    image[:, :split] = (40, 90, 40)
    image[:, split:] = (190, 210, 240)
    return np.clip(image + rng.normal(0, 14, image.shape), 0, 255).astype(np.uint8)

images = [scene(200, 0), scene(140, 1), scene(260, 2)]
session = label(images, task="segment", labels=["grass", "sky"], store="e2e-segment.db",
                annotator_options={"brush_radius": 6})
session
"""

SUGGESTED_PIXELS = """() => Number(document.querySelector('[data-e2e-cell="CELL"] .nba-image')
                          ?.dataset.suggestedPixels) > 100000"""


def test_segment_session_pre_segments_the_next_image_and_enter_accepts_it(
        notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    prompt = execution_count(nb, cell)

    def page(x: float, y: float) -> tuple[float, float]:
        return to_page(nb, cell, x, y)

    # Image 1: the brush (R), label 1 (grass) on the left, label 2 (sky) on the right.
    nb.page.mouse.move(*page(200, 150))
    nb.page.keyboard.press("r")
    nb.page.keyboard.press("1")
    assert nb.wait_kernel("session.annotator.tool == 'brush' and "
                          "session.annotator.label == 'grass'")
    drag(nb, page(60, 60), page(60, 240), steps=8)
    nb.page.keyboard.press("2")
    drag(nb, page(340, 60), page(340, 240), steps=8)
    assert nb.wait_kernel("sorted(r['label'] for r in session.records) == ['grass', 'sky']")
    # The live refit on the strokes draws a segmentation of image 1 in.
    assert nb.wait_kernel("len(session.annotator.mask_suggestions) == 2", timeout_s=60)
    nb.page.wait_for_function(SUGGESTED_PIXELS.replace("CELL", str(cell)), timeout=30_000)

    # Ctrl+Enter submits image 1 (and never reaches JupyterLab); image 2 comes up.
    nb.page.mouse.move(*page(200, 150))
    nb.page.keyboard.press("Control+Enter")
    assert nb.wait_kernel("session.current == 1")
    assert execution_count(nb, cell) == prompt
    assert nb.kernel_json("[(r['label'], r['source']) for r in session.store.get(0)]") == [
        ["grass", "human"], ["sky", "human"]]

    # The refit on image 1 lands: image 2 is drawn in pre-segmented.
    assert nb.wait_kernel("len(session.suggestions) == 2 and not session._runner.busy",
                          timeout_s=60)
    nb.page.wait_for_function(SUGGESTED_PIXELS.replace("CELL", str(cell)), timeout=30_000)
    nb.kernel_exec("shown = {s['label']: dict(s) for s in session.suggestions}")
    right = nb.kernel_json("[float(rle_to_mask(shown['grass']['mask'])[:, :130].mean()), "
                           "float(rle_to_mask(shown['sky']['mask'])[:, 150:].mean())]")
    assert right[0] > 0.95 and right[1] > 0.95, right
    assert nb.output(cell, ".nba-image-accept-masks").is_visible()

    # Enter accepts the masks; Ctrl+Enter submits image 2.
    nb.page.mouse.move(*page(200, 150))
    nb.page.keyboard.press("Enter")
    assert nb.wait_kernel("len(session.records) == 2 and session.suggestions == []")
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                 ?.dataset.suggestedPixels === '0'""")
    nb.page.keyboard.press("Control+Enter")
    assert nb.wait_kernel("session.current == 2")
    assert execution_count(nb, cell) == prompt

    # Read back in the kernel: accepted masks with the suggestion's ids and pixels.
    rows = nb.kernel_json("session.labels.query('item_id == 1')[['id', 'label', 'origin', "
                          "'edited']].to_dict('records')")
    assert sorted((r["label"], r["origin"], r["edited"]) for r in rows) == [
        ("grass", "accepted", False), ("sky", "accepted", False)]
    assert nb.kernel_json("sorted(r['id'] for r in session.store.get(1)) == "
                          "sorted(s['id'] for s in shown.values())")
    assert nb.kernel_json("all(bool((rle_to_mask(r['mask']) == "
                          "rle_to_mask(shown[r['label']]['mask'])).all()) "
                          "for r in session.store.get(1))")
    assert nb.kernel_json("sorted(session.labels.query('item_id == 0')['origin'])") == [
        "human", "human"]
    assert nb.dialogs == []
