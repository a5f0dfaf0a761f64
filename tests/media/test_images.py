"""Image inputs: every accepted form encodes once to bytes with the right size."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from nbannotate.media.images import encode_image, image_size_from_bytes, png_bytes, to_uint8_image


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


@pytest.mark.parametrize("shape", [(30, 40), (30, 40, 3), (30, 40, 4)])
def test_uint8_arrays_round_trip_through_png(shape):
    rng = np.random.default_rng(0)
    array = rng.integers(0, 256, size=shape, dtype=np.uint8)
    data, mime, size = encode_image(array)
    assert mime == "image/png" and size == (40, 30)
    np.testing.assert_array_equal(decode(data), array)


def test_float_images_scale_to_uint8_and_any_range_shows():
    data, _, _ = encode_image(np.full((2, 3), 0.5))
    assert decode(data)[0, 0] == 128
    ramp = np.linspace(-3.0, 40.0, 600).reshape(20, 30)  # out of [0, 1]: auto-contrasted
    shown = decode(encode_image(ramp)[0])
    assert shown.min() == 0 and shown.max() == 255
    nan = to_uint8_image(np.array([[np.nan, 0.25]]))
    assert nan.shape == (1, 2, 4) and nan[0, 0, 3] == 0 and nan[0, 1, 3] == 255


def test_encoded_bytes_paths_and_pil_images(tmp_path):
    array = np.zeros((12, 34, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "JPEG")
    jpeg = buffer.getvalue()
    assert encode_image(jpeg) == (jpeg, "image/jpeg", (34, 12))
    path = tmp_path / "x.jpg"
    path.write_bytes(jpeg)
    assert encode_image(path)[2] == (34, 12)
    assert encode_image(str(path))[1] == "image/jpeg"
    assert encode_image(Image.fromarray(array))[2] == (34, 12)
    assert encode_image(Image.fromarray(array).convert("P"))[2] == (34, 12)


def test_bad_inputs_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match=r"H×W or H×W×C array, got shape \(2, 2, 5, 1\)"):
        encode_image(np.zeros((2, 2, 5, 1)))
    with pytest.raises(ValueError, match="empty"):
        encode_image(np.zeros((0, 3)))
    with pytest.raises(FileNotFoundError, match="no image file"):
        encode_image(tmp_path / "missing.png")
    with pytest.raises(ValueError, match="not a PNG, JPEG"):
        encode_image(b"hello world, not an image")
    with pytest.raises(TypeError, match="got int"):
        encode_image(42)
    with pytest.raises(ValueError, match="real numbers"):
        encode_image(np.full((2, 2), 1j))
    with pytest.raises(ValueError, match="vmax must be greater than vmin"):
        to_uint8_image(np.zeros((2, 2)), vmin=3, vmax=1)


def test_png_header_size_reader():
    assert image_size_from_bytes(png_bytes(np.zeros((7, 9), dtype=np.uint8))) == (
        "image/png", (9, 7))
