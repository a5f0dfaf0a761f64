"""ImageAnnotator's contrast window on the kernel side: levels for single-channel images (exact
for integers, within half a step for floats, NaN kept apart), the window traits, colormaps,
and RGB images mapped again when the window moves. Records never change."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from PIL import Image

from nbannotate import ImageAnnotator
from nbannotate.image._levels import LEVELS_MIME, NOT_FINITE, levels_of
from nbannotate.media.display import colormap_lut


def unpack(data: bytes, shape: tuple[int, int]) -> np.ndarray:
    """Levels on the wire, read independently: low-byte plane, then high-byte plane."""
    planes = np.frombuffer(zlib.decompress(data), dtype=np.uint8)
    low, high = planes[: planes.size // 2], planes[planes.size // 2:]
    return (low.astype(np.uint16) + 256 * high.astype(np.uint16)).reshape(shape)


def test_uint16_levels_are_the_values_and_the_window_is_automatic():
    rng = np.random.default_rng(0)
    image = rng.integers(100, 4096, size=(30, 40)).astype(np.uint16)
    w = ImageAnnotator(image, labels=["a"])
    assert w.image_mime == LEVELS_MIME and w.preview_data == b""
    codes = unpack(w.image_data, (30, 40))
    assert np.array_equal(w.levels_offset + codes * w.levels_step, image)
    assert (w.value_min, w.value_max) == (float(image.min()), float(image.max()))
    assert image.min() <= w.vmin < w.vmax <= image.max()
    assert (w.auto_vmin, w.auto_vmax) == (w.vmin, w.vmax)
    assert w.colormap == "gray" and w.colormap_lut == colormap_lut("gray").tobytes()


def test_float_levels_hold_the_values_within_half_a_step_and_nan_apart():
    image = np.linspace(-1.0, 1.0, 600).reshape(20, 30)
    image[0, 0] = np.nan
    levels = levels_of(image)
    assert levels.codes[0, 0] == NOT_FINITE
    back = levels.offset + levels.codes[1:] * levels.step
    assert np.abs(back - image[1:]).max() <= levels.step / 2 + 1e-12


def test_large_images_send_every_nth_level_first_and_the_full_levels_on_demand():
    image = (np.arange(2100 * 1500) % 5000).reshape(1500, 2100).astype(np.int32)
    w = ImageAnnotator(image, labels=["a"], vmin=10, vmax=900, colormap="viridis")
    assert w.preview_mime == LEVELS_MIME and w.preview_scale == 3
    preview = unpack(w.preview_data, (500, 700))
    assert np.array_equal(preview + w.levels_offset, image[::3, ::3])
    assert (w.vmin, w.vmax) == (10.0, 900.0) and w.auto_vmax > 900
    w.load_full_image(wait=True)
    assert np.array_equal(unpack(w.image_data, (1500, 2100)) + w.levels_offset, image)


def test_moving_the_window_changes_no_record_and_sends_no_image_for_levels():
    w = ImageAnnotator(np.arange(1200, dtype=np.uint16).reshape(30, 40), labels=["a"],
                       boxes=[{"x": 2, "y": 3, "w": 10, "h": 5, "label": "a"}])
    boxes, data = w.boxes, w.image_data
    w.vmin, w.vmax = 100.0, 200.0
    assert w.boxes == boxes and w.image_data is data
    w.colormap = "magma"
    assert w.colormap_lut == colormap_lut("magma").tobytes() and w.image_data is data
    with pytest.raises(Exception, match="vmin must be a finite number"):
        w.vmin = float("nan")


def test_rgb_images_are_mapped_again_when_the_window_moves():
    rgb = np.zeros((10, 12, 3), dtype=np.float32)
    rgb[:, :6] = 50.0
    w = ImageAnnotator(rgb, labels=["a"])
    assert w.image_mime == "image/png"
    before = w.image_data
    w.vmax = 100.0
    assert w.image_data != before and w.vmax == 100.0


def test_set_image_takes_the_new_image_window():
    w = ImageAnnotator(np.full((10, 10), 7, np.uint16), labels=["a"])
    w.set_image(np.linspace(0, 1000, 400).reshape(20, 20))
    assert w.image_size == (20, 20) and w.vmax > 900 and w.value_max == 1000.0


def test_uint8_and_rgb_uint8_images_stay_pngs_and_channels_choose():
    assert ImageAnnotator(np.zeros((5, 6), np.uint8), labels=["a"]).image_mime == "image/png"
    stack = np.zeros((5, 6, 7), dtype=np.uint16)
    stack[..., 4] = np.arange(30).reshape(5, 6)
    one = ImageAnnotator(stack, labels=["a"], channels=4)
    assert one.image_mime == LEVELS_MIME and one.value_max == 29.0
    three = ImageAnnotator(stack, labels=["a"])
    assert three.image_mime == "image/png"
    with pytest.raises(ValueError, match="colormap must be one of"):
        ImageAnnotator(np.zeros((5, 6)), labels=["a"], colormap="rainbow")
    with pytest.raises(ValueError, match="vmax must be greater than vmin"):
        ImageAnnotator(np.zeros((5, 6)), labels=["a"], vmin=3, vmax=2)


def test_image_array_gives_the_original_values_not_the_display() -> None:
    """Models read ``image_array()``: it is the data as given, never the contrast window."""
    raw = np.arange(12 * 10, dtype=np.uint16).reshape(12, 10) * 30 + 1000
    w = ImageAnnotator(raw, labels=["cell"], vmin=1000, vmax=1100)
    assert w.image_array().dtype == np.uint16
    assert (w.image_array() == raw).all()
    signed = np.linspace(-1, 1, 20, dtype=np.float32).reshape(4, 5)
    assert (ImageAnnotator(signed, labels=["a"]).image_array() == signed).all()
    out = io.BytesIO()
    Image.fromarray(raw).save(out, "PNG")
    decoded = ImageAnnotator(out.getvalue(), labels=["a"]).image_array()
    assert decoded.dtype == np.uint16 and (decoded == raw).all()
