"""Image files through Pillow: JPEG, PNG (8/16-bit), TIFF (16-bit, float), WebP and BMP from
paths and bytes; 16-bit and float values kept; EXIF orientation applied (upright)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from nbannotate import ImageAnnotator
from nbannotate.media.images import encode_image, needs_decoding, read_image


def saved(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


RGB = np.zeros((30, 40, 3), dtype=np.uint8)
RGB[:, :20, 0] = 200
RGB[:, 20:, 2] = 180


@pytest.mark.parametrize(("fmt", "lossless"), [("JPEG", False), ("PNG", True), ("WEBP", False),
                                               ("BMP", True), ("TIFF", True)])
def test_eight_bit_formats_load_from_bytes_and_paths(tmp_path, fmt, lossless):
    options = {"WEBP": {"lossless": True}, "JPEG": {"quality": 95, "subsampling": 0}}
    data = saved(Image.fromarray(RGB), fmt, **options.get(fmt, {}))
    path = tmp_path / f"picture.{fmt.lower()}"
    path.write_bytes(data)
    for source in (data, path):
        values = read_image(source)
        assert values.shape == (30, 40, 3) and values.dtype == np.uint8
        tolerance = 0 if lossless or fmt == "WEBP" else 12
        assert np.abs(values.astype(int) - RGB).max() <= tolerance
        encoded, mime, size = encode_image(source)
        assert mime.startswith("image/")
        assert size == (40, 30)
        assert np.abs(decode(encoded).astype(int)[..., :3] - RGB).max() <= max(tolerance, 12)
    w = ImageAnnotator(path, labels=["a"])
    assert w.image_size == (40, 30)


def test_sixteen_bit_png_and_tiff_keep_their_values_and_show_with_contrast(tmp_path):
    values = np.arange(0, 4096 * 16, 16, dtype=np.uint16)[:4000].reshape(40, 100) % 4096
    for fmt in ("PNG", "TIFF"):
        data = saved(Image.fromarray(values), fmt)
        assert needs_decoding(data)
        got = read_image(data)
        assert got.dtype == np.uint16 and np.array_equal(got, values)
        shown = decode(encode_image(data)[0])
        assert shown.max() == 255 and shown.min() == 0  # windowed, not 8 bits of 16
        w = ImageAnnotator(data, labels=["a"])
        assert w.image_size == (100, 40) and w.value_max == 4080.0
        assert w.image_mime == "application/x-nbannotate-levels"


def test_float_tiff_keeps_its_values(tmp_path):
    values = np.linspace(-2.5, 7.25, 600, dtype=np.float32).reshape(20, 30)
    path = tmp_path / "map.tif"
    Image.fromarray(values, mode="F").save(path)
    got = read_image(path)
    assert got.dtype == np.float32 and np.array_equal(got, values)
    w = ImageAnnotator(path, labels=["a"], colormap="magma")
    assert (w.value_min, w.value_max) == (-2.5, 7.25)


@pytest.mark.parametrize(("orientation", "upright_shape"), [(1, (30, 40)), (3, (30, 40)),
                                                            (6, (40, 30)), (8, (40, 30))])
def test_exif_orientation_is_applied_and_coordinates_are_upright(orientation, upright_shape):
    stored = np.zeros((30, 40, 3), dtype=np.uint8)
    stored[:10, :10] = 255  # a white corner at the stored top-left
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = saved(Image.fromarray(stored), "JPEG", exif=exif.tobytes(), quality=95)
    assert needs_decoding(data) == (orientation != 1)
    upright = read_image(data)
    assert upright.shape[:2] == upright_shape
    corner = {1: (0, 0), 3: (-1, -1), 6: (0, -1), 8: (-1, 0)}[orientation]
    assert upright[corner[0], corner[1]].mean() > 200
    w = ImageAnnotator(data, labels=["a"])
    assert w.image_size == (upright_shape[1], upright_shape[0])
    w.boxes = [{"x": 1, "y": 1, "w": upright_shape[1] - 2, "h": upright_shape[0] - 2,
                "label": "a"}]  # fits only the upright size
    shown = decode(w.image_data)
    assert shown.shape[:2] == upright_shape


def test_eight_bit_png_and_upright_jpeg_are_sent_as_they_are():
    png = saved(Image.fromarray(RGB), "PNG")
    jpeg = saved(Image.fromarray(RGB), "JPEG")
    assert encode_image(png)[0] is not None and encode_image(png)[0] == png
    assert encode_image(jpeg)[0] == jpeg
    assert not needs_decoding(png) and not needs_decoding(jpeg)


def test_unreadable_files_name_the_file_and_the_formats(tmp_path):
    path = tmp_path / "broken.tif"
    path.write_bytes(b"II*\x00" + bytes(20))
    with pytest.raises(ValueError, match=r"broken.tif.*(not a readable image|TIFF)"):
        read_image(path)
