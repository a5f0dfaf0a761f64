"""Scientific images in a real JupyterLab: a 12-bit uint16 image shows with contrast, the
window control re-colours it in the browser without touching the records, a box drawn on it
is in original pixels, the pointer reads original values, and a float −1..1 image shows
with viridis. Canvas pixels are read back from the image layer."""

from __future__ import annotations

from typing import Any

from .harness import Notebook
from .test_image_boxes import close, drag, fitted_to_page, stage_box

MICROSCOPY = """
import numpy as np
from nbannotate import ImageAnnotator
rng = np.random.default_rng(0)
yy, xx = np.mgrid[0:1800, 0:2400]
image = 300 + rng.normal(0, 40, (1800, 2400))
for cy, cx in [(400, 500), (900, 1600), (1300, 700)]:
    image += 3000 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * 120.0 ** 2))
image = np.clip(image, 0, 4095).astype(np.uint16)
image[1500:1700, 1800:2200] = 3001  # a flat patch, for the readout
w = ImageAnnotator(image, labels=["cell"])
w
"""

RAMP = """
import numpy as np
from nbannotate import ImageAnnotator
ramp = np.tile(np.linspace(-1.0, 1.0, 400), (300, 1))
v = ImageAnnotator(ramp, labels=["a"], colormap="viridis")
v
"""

# Mean brightness, share of bright pixels, and the RGB at given page points of the image layer.
_CANVAS = """([points]) => {
  const canvas = document.querySelector(`[data-e2e-cell="${points.cell}"] .nba-image-layer`);
  const ctx = canvas.getContext("2d");
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0, bright = 0, n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    const v = (data[i] + data[i + 1] + data[i + 2]) / 3;
    sum += v; n += 1; if (v > 64) bright += 1;
  }
  const rect = canvas.getBoundingClientRect();
  const ratio = canvas.width / rect.width;
  const at = points.at.map(([x, y]) => {
    const px = Math.floor((x - rect.left) * ratio), py = Math.floor((y - rect.top) * ratio);
    return Array.from(ctx.getImageData(px, py, 1, 1).data.slice(0, 3));
  });
  return { mean: n ? sum / n : 0, bright: n ? bright / n : 0, at };
}"""


def canvas(nb: Notebook, cell: int, at: list[tuple[float, float]] | None = None) -> Any:
    return nb.page.evaluate(_CANVAS, [{"cell": cell, "at": at or []}])


def painted(nb: Notebook, cell: int) -> None:
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                ?.dataset.firstPaint !== undefined""")


def test_uint16_contrast_window_readout_and_boxes_in_original_pixels(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(MICROSCOPY)
    size = (2400, 1800)
    painted(nb, cell)
    auto = nb.kernel_json("[w.vmin, w.vmax, w.image_mime]")
    assert auto[2] == "application/x-nbannotate-levels" and 200 < auto[0] < auto[1] <= 4095

    # Auto-contrast: the 12-bit image is not near black (as 8 bits of 16 it would be < 16).
    first = canvas(nb, cell)
    assert first["bright"] > 0.05 and first["mean"] > 15, first

    # A box drawn with the mouse is in original pixels (the view shows a 1/3 preview first).
    def page(x: float, y: float) -> tuple[float, float]:
        return fitted_to_page(nb, cell, size, x, y)

    drag(nb, page(300, 240), page(900, 720))
    box = nb.wait_kernel("w.boxes")[0]
    assert close(box, tolerance=8, x=300, y=240, w=600, h=480), box

    # The pointer reads the original value (uint16 levels are exact).
    nb.page.mouse.move(*page(2000, 1600))
    readout = nb.output(cell, ".nba-image-readout")
    readout.wait_for(state="visible")
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image-readout')
                .textContent.endsWith(': 3001')""")

    # Move the high end of the window down with the mouse: brighter canvas, records unchanged.
    boxes_before = nb.kernel_json("w.boxes")
    high = nb.output(cell, ".nba-image-window-slider").nth(1)
    bounds = high.bounding_box()
    assert bounds is not None
    nb.page.mouse.click(bounds["x"] + bounds["width"] * 0.15, bounds["y"] + bounds["height"] / 2)
    vmax = nb.wait_kernel(f"w.vmax if w.vmax < {auto[1]} - 100 else None")
    assert vmax < 1500
    nb.page.wait_for_function(  # the browser re-coloured every slot with the new window
        f"""() => (document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                .dataset.window || '').endsWith(',' + {vmax!r})""")
    after = canvas(nb, cell)
    assert after["mean"] > first["mean"] + 20, (first, after)
    assert nb.kernel_json("w.boxes") == boxes_before

    # Python moves it back: the browser follows (no image is sent again).
    sent = nb.kernel_json("len(w.image_data) + len(w.preview_data)")
    nb.kernel_exec(f"w.vmin, w.vmax = {auto[0]}, {auto[1]}")
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                .dataset.window === {auto[0]!r} + ',' + {auto[1]!r}""")
    back = canvas(nb, cell)
    assert abs(back["mean"] - first["mean"]) < 3, (first, back)
    assert nb.kernel_json("len(w.image_data) + len(w.preview_data)") == sent
    assert nb.kernel_json("w.boxes") == boxes_before
    stage_box(nb, cell)


def test_float_minus_one_to_one_shows_with_viridis(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(RAMP)
    painted(nb, cell)
    left = fitted_to_page(nb, cell, (400, 300), 2, 150)
    right = fitted_to_page(nb, cell, (400, 300), 397, 150)
    middle = fitted_to_page(nb, cell, (400, 300), 200, 150)
    got = canvas(nb, cell, [left, middle, right])["at"]
    viridis_start, viridis_end = (68, 1, 84), (253, 231, 37)
    assert all(abs(a - b) <= 8 for a, b in zip(got[0], viridis_start, strict=True)), got
    assert all(abs(a - b) <= 8 for a, b in zip(got[2], viridis_end, strict=True)), got
    assert got[1][1] > got[1][0] and got[1][2] > got[1][0], got  # teal in the middle


RGB_FLOAT = """
import numpy as np
from nbannotate import ImageAnnotator
rgb = np.zeros((300, 400, 3), dtype=np.float32)
rgb[:, :200] = [12.5, 0.0, 40.0]
rgb[:, 200:] = [3.0, 30.0, 7.25]
c = ImageAnnotator(rgb, labels=["a"])
c
"""


def test_rgb_float_image_reads_original_values_under_the_pointer(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(RGB_FLOAT)
    painted(nb, cell)
    nb.page.mouse.move(*fitted_to_page(nb, cell, (400, 300), 100.5, 150.5))
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image-readout')
                .textContent === '100, 150: 12.5, 0, 40'""")
    nb.page.mouse.move(*fitted_to_page(nb, cell, (400, 300), 300.5, 20.5))
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image-readout')
                .textContent === '300, 20: 3, 30, 7.25'""")
    assert nb.output(cell, ".nba-image-window").is_hidden()  # RGB: windowed in the kernel
