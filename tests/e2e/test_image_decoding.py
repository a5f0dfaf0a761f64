"""How the browser decodes the image: WebCodecs' ImageDecoder where there is one, a Blob and
createImageBitmap where there is not (the page's ImageDecoder removed before JupyterLab loads).
Either way the preview and then the full resolution show the right pixels, read back from the
image canvas."""

from __future__ import annotations

from typing import Any

from .harness import _FIND_PANEL, LabServer, Notebook
from .test_image_boxes import to_page, view_of

# A 4000×3000 JPEG in four flat quadrants: red, green / blue, white.
SETUP = """
import io
import numpy as np
from PIL import Image
from nbannotate import ImageAnnotator
pixels = np.zeros((3000, 4000, 3), dtype=np.uint8)
pixels[:1500, :2000] = (220, 30, 30)
pixels[:1500, 2000:] = (30, 200, 40)
pixels[1500:, :2000] = (40, 40, 210)
pixels[1500:, 2000:] = (245, 245, 245)
buffer = io.BytesIO()
Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
w = ImageAnnotator(buffer.getvalue(), labels=["a"])
w
"""

QUADRANTS = {(1000, 750): (220, 30, 30), (3000, 750): (30, 200, 40),
             (1000, 2250): (40, 40, 210), (3000, 2250): (245, 245, 245)}

PIXEL = """([cell, x, y]) => {
  const canvas = document.querySelector(`[data-e2e-cell="${cell}"] .nba-image-layer`);
  const dpr = window.devicePixelRatio || 1;
  return Array.from(canvas.getContext('2d').getImageData(Math.round(x * dpr),
                                                          Math.round(y * dpr), 1, 1).data);
}"""


def root_data(nb: Notebook, cell: int, name: str) -> Any:
    return nb.output(cell, ".nba-image").get_attribute(f"data-{name}")


def wait_data(nb: Notebook, cell: int, name: str) -> None:
    nb.page.wait_for_function(
        f"""() => {{ const r = document.querySelector('[data-e2e-cell="{cell}"] .nba-image');
            return r && r.dataset['{name}'] !== undefined; }}""", timeout=30_000)


def assert_quadrants(nb: Notebook, cell: int) -> None:
    scale, ox, oy = view_of(nb, cell)
    for (x, y), expected in QUADRANTS.items():
        rgba = nb.page.evaluate(PIXEL, [cell, (x - ox) * scale, (y - oy) * scale])
        assert all(abs(a - b) <= 12 for a, b in zip(rgba[:3], expected, strict=True)), \
            ((x, y), rgba, expected)


def check_preview_then_full(nb: Notebook, expected_decoder: str) -> None:
    cell = nb.run(SETUP)
    wait_data(nb, cell, "firstPaint")
    assert root_data(nb, cell, "decoder") == expected_decoder
    assert root_data(nb, cell, "source") == "preview"
    assert nb.kernel_json("w.preview_scale") == 4
    assert_quadrants(nb, cell)
    # The browser asked for the full resolution after its first paint; zoomed in, it shows.
    wait_data(nb, cell, "fullReady")
    assert nb.kernel_json("len(w.image_data)") > 0
    # Zoom in with the wheel around a point inside the blue quadrant, past the preview's
    # resolution: the full resolution is drawn, and that point is still blue.
    point = to_page(nb, cell, 1000, 2250)
    nb.page.mouse.move(*point)
    for _ in range(10):
        nb.page.mouse.wheel(0, -240)
        nb.page.wait_for_timeout(30)
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
            .dataset.source === 'full'""")
    assert root_data(nb, cell, "decoder") == expected_decoder
    assert view_of(nb, cell)[0] > 0.25, view_of(nb, cell)  # past the preview's 1/4
    stage = nb.output(cell, ".nba-image-stage").bounding_box()
    rgba = nb.page.evaluate(PIXEL, [cell, point[0] - stage["x"], point[1] - stage["y"]])
    assert all(abs(a - b) <= 12 for a, b in zip(rgba[:3], QUADRANTS[(1000, 2250)],
                                                strict=True)), rgba


def test_preview_and_full_resolution_decode_with_webcodecs(notebook: Notebook) -> None:
    assert notebook.page.evaluate("() => typeof ImageDecoder") == "function"
    check_preview_then_full(notebook, "webcodecs")


def test_without_image_decoder_the_blob_path_shows_the_same_pixels(lab_server: LabServer,
                                                                  browser: Any) -> None:
    # A page of its own, with ImageDecoder removed before JupyterLab's scripts run.
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_init_script("delete window.ImageDecoder;")
    path = lab_server.create_notebook("image_decoding_without_webcodecs.ipynb")
    nb = Notebook(context.new_page(), lab_server, path).open()
    try:
        assert nb.page.evaluate("() => typeof ImageDecoder") == "undefined"
        check_preview_then_full(nb, "blob")
    finally:
        nb.page.evaluate(f"() => ({_FIND_PANEL})({path!r}).sessionContext.shutdown()")
        context.close()
