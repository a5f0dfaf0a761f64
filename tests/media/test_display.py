"""The display mapping: every dtype and range shows as a finite 8-bit image, with the stated
default window, the given window, colormaps, NaN transparent and any channel count."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbannotate.media.display import COLORMAPS, auto_window, colormap_lut, to_display


def test_uint8_bool_and_unit_floats_show_as_they_are():
    gray = np.array([[0, 17, 255]], dtype=np.uint8)
    assert to_display(gray)[0].tolist() == [[0, 17, 255]]
    assert to_display(np.array([[True, False]]))[0].tolist() == [[255, 0]]
    assert to_display(np.array([[0.0, 0.5, 1.0]]))[0].tolist() == [[0, 128, 255]]
    assert to_display(np.array([[0, 200]], dtype=np.int64))[0].tolist() == [[0, 200]]
    window = to_display(gray)[1]
    assert (window.vmin, window.vmax, window.auto) == (0.0, 255.0, True)


@pytest.mark.parametrize("dtype", [np.uint16, np.uint32, np.uint64, np.int8, np.int16, np.int32,
                                   np.int64, np.float16, np.float32, np.float64])
def test_other_dtypes_are_auto_contrasted_to_the_half_percent_tails(dtype):
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    low = -100 if info is None or info.min < 0 else 0
    span = 1000 if info is None else min(1000, int(info.max) - low)
    values = np.linspace(low, low + span, 100_000).reshape(200, 500).astype(dtype)
    shown, window = to_display(values)
    assert shown.dtype == np.uint8 and shown.shape == (200, 500)
    assert window.auto
    assert window.vmin == pytest.approx(low + 0.005 * span, abs=1.5)
    assert window.vmax == pytest.approx(low + 0.995 * span, abs=1.5)
    assert shown.min() == 0 and shown.max() == 255
    # The ramp's middle value sits halfway through the 0.5-99.5 percentile window, so it maps
    # to 127.5; the range allows the integer ramp's step and the rounding to uint8.
    assert 120 <= shown[100, 250] <= 135


def test_twelve_bit_uint16_is_not_black():
    rng = np.random.default_rng(1)
    image = rng.integers(100, 4096, size=(64, 64)).astype(np.uint16)
    shown, _ = to_display(image)
    assert shown.mean() > 100  # 8 bits of 16 would give < 16


def test_vmin_vmax_set_the_window_and_clip():
    image = np.array([[0, 1000, 2000, 3000]], dtype=np.uint16)
    shown, window = to_display(image, vmin=1000, vmax=2000)
    assert shown.tolist() == [[0, 0, 255, 255]]
    assert (window.vmin, window.vmax, window.auto) == (1000.0, 2000.0, False)
    with pytest.raises(ValueError, match="vmax must be greater than vmin"):
        to_display(image, vmin=5, vmax=5)
    with pytest.raises(TypeError, match="vmin must be a number"):
        to_display(image, vmin="low")
    with pytest.raises(ValueError, match="vmax must be a finite number"):
        to_display(image, vmax=float("inf"))


def test_constant_images_show_without_error():
    for value in (0.0, 7.5, -3.0):
        shown, window = to_display(np.full((4, 4), value))
        assert window.vmax > window.vmin and shown.dtype == np.uint8


def test_nan_and_inf_are_transparent():
    image = np.array([[np.nan, 0.5, np.inf], [-np.inf, 0.25, 1.0]])
    shown, _ = to_display(image)
    assert shown.shape == (2, 3, 4)
    assert shown[:, :, 3].tolist() == [[0, 255, 0], [0, 255, 255]]
    all_nan = to_display(np.full((2, 2), np.nan))[0]
    assert (all_nan[:, :, 3] == 0).all()


def test_colormaps_map_the_window_ends_to_their_ends():
    ramp = np.linspace(-1, 1, 256).reshape(16, 16)
    shown, _ = to_display(ramp, vmin=-1, vmax=1, colormap="viridis")
    assert shown.shape == (16, 16, 3)
    assert shown[0, 0].tolist() == [68, 1, 84] and shown[-1, -1].tolist() == [253, 231, 37]
    for name in COLORMAPS:
        lut = colormap_lut(name)
        assert lut.shape == (256, 3) and lut.dtype == np.uint8
    assert colormap_lut("gray")[128].tolist() == [128, 128, 128]
    with pytest.raises(ValueError, match="colormap must be one of"):
        to_display(ramp, colormap="jet")


def test_channels_h_w_1_rgb_rgba_and_more_than_four():
    assert to_display(np.zeros((3, 4, 1), np.uint16))[0].shape == (3, 4)
    rgb = np.zeros((3, 4, 3), np.float32)
    rgb[..., 0] = 30.0
    assert to_display(rgb)[0].shape == (3, 4, 3)
    rgba = np.full((3, 4, 4), 255, np.uint8)
    assert to_display(rgba)[0].shape == (3, 4, 4)
    stack = np.stack([np.full((3, 4), i * 10, np.uint16) for i in range(7)], axis=2)
    assert to_display(stack)[0].shape == (3, 4, 3)
    one = to_display(stack, channels=5, colormap="magma")[0]
    assert one.shape == (3, 4, 3)
    picked = to_display(stack, channels=[6, 2, 0], vmin=0, vmax=60)[0]
    assert picked[0, 0].tolist() == [255, 85, 0]
    with pytest.raises(ValueError, match="channels must be 1, 3 or 4 channel indices"):
        to_display(stack, channels=[9])
    with pytest.raises(ValueError, match="H×W or H×W×C"):
        to_display(np.zeros((2, 2, 2, 2)))


def test_auto_window_reads_a_subsample_of_large_images():
    big = np.arange(4000 * 3000, dtype=np.uint32).reshape(3000, 4000)
    low, high = auto_window(big)
    assert low == pytest.approx(0.005 * big.size, rel=0.01)
    assert high == pytest.approx(0.995 * big.size, rel=0.01)


_DTYPES = st.sampled_from([np.uint8, np.uint16, np.uint32, np.int8, np.int16, np.int32,
                           np.int64, np.float16, np.float32, np.float64, np.bool_])


@st.composite
def images(draw: st.DrawFn) -> np.ndarray:
    dtype = np.dtype(draw(_DTYPES))
    channels = draw(st.sampled_from([None, 1, 3, 4, 6]))
    shape = (draw(st.integers(1, 12)), draw(st.integers(1, 12)))
    if channels is not None:
        shape = (*shape, channels)
    if dtype.kind == "f":
        elements = st.floats(allow_nan=True, allow_infinity=True, width=dtype.itemsize * 8)
    else:
        elements = None
    return draw(hnp.arrays(dtype, shape, elements=elements))


@settings(max_examples=300, deadline=None)
@given(images(), st.sampled_from(COLORMAPS))
def test_every_dtype_and_range_gives_a_finite_8_bit_image(image, colormap):
    shown, window = to_display(image, colormap=colormap)
    assert shown.dtype == np.uint8
    assert shown.shape[:2] == image.shape[:2]
    assert shown.ndim == 2 or shown.shape[2] in (3, 4)
    assert np.isfinite(window.vmin) and np.isfinite(window.vmax) and window.vmax > window.vmin


@pytest.mark.parametrize("values", [[[1.79769134e308]], [[1.79769313e308, -9.97920155e291]],
                                    [[-1.7976931348623157e308, 1.7976931348623157e308]]])
def test_windows_at_the_ends_of_the_float_range(values):
    """Found by the property above: the window's width overflowed to inf."""
    image = np.array(values)
    shown, window = to_display(image)
    assert np.isfinite(window.vmin) and np.isfinite(window.vmax) and window.vmax > window.vmin
    assert shown.dtype == np.uint8
    if image.size == 2:
        assert shown[0, 0] != shown[0, 1] or image[0, 0] == image[0, 1]
