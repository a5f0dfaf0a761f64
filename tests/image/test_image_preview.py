"""Previews of large images: sizes, exact pixel grids, JPEG draft decoding, and the full
resolution sent only when the browser asks."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest
from PIL import Image

from nbannotate import ImageAnnotator
from nbannotate.image._preview import (
    PREVIEW_MAX_SIDE,
    block_mean,
    prepare_image,
    preview_factor,
)


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


def photo(width: int, height: int, channels: int = 3) -> np.ndarray:
    """A smooth test picture (gradients), so JPEG keeps it close."""
    y, x = np.mgrid[0:height, 0:width]
    planes = [(x * 255 // max(width - 1, 1)), (y * 255 // max(height - 1, 1)),
              ((x + y) * 255 // max(width + height - 2, 1)), np.full_like(x, 200)]
    return np.stack(planes[:channels], axis=-1).astype(np.uint8)


def jpeg(array: np.ndarray, quality: int = 92) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_block_mean_averages_blocks_and_repeats_the_edge():
    image = np.arange(5 * 7, dtype=np.uint8).reshape(5, 7)
    reduced = block_mean(image, 3)
    assert reduced.shape == (2, 3)
    assert reduced[0, 0] == round(image[0:3, 0:3].mean())
    # Last column block: column 6 then repeated twice; last row block: rows 3, 4, 4.
    padded = np.pad(image, ((0, 1), (0, 2)), mode="edge")
    expected = padded.reshape(2, 3, 3, 3).mean(axis=(1, 3))
    np.testing.assert_array_equal(reduced, np.floor(expected + 0.5).astype(np.uint8))
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)
    rgba[:, :, 3] = 255
    assert block_mean(rgba, 2).shape == (2, 2, 4)
    assert block_mean(image, 1) is image


def test_preview_factor_brings_the_long_side_under_the_limit():
    assert preview_factor(PREVIEW_MAX_SIDE, 10) == 1
    assert preview_factor(PREVIEW_MAX_SIDE + 1, 10) == 2
    assert preview_factor(10, 4000) == 4  # 1000 px
    assert preview_factor(3 * PREVIEW_MAX_SIDE, 10) == 3


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_large_arrays_get_a_preview_and_a_lazy_lossless_full_image(channels):
    array = photo(2900, 1700, channels) if channels > 1 else photo(2900, 1700, 1)[:, :, 0]
    source = prepare_image(array)
    assert source.size == (2900, 1700)
    assert source.preview_scale == 3
    assert source.preview_size == (967, 567)
    preview = decode(source.preview)
    assert preview.shape[:2] == (567, 967)
    # Alpha needs PNG; otherwise JPEG (Pillow is installed here).
    assert source.preview_mime == ("image/png" if channels == 4 else "image/jpeg")
    expected = block_mean(array, 3).astype(int)
    assert np.abs(preview.astype(int) - expected).mean() < 2.0
    assert not source.full_ready
    np.testing.assert_array_equal(decode(source.full_bytes()), array)
    assert source.full_ready


def test_large_jpeg_bytes_decode_at_reduced_scale_and_are_sent_unchanged():
    array = photo(4000, 3000)
    data = jpeg(array)
    source = prepare_image(data)
    assert source.size == (4000, 3000) and source.mime == "image/jpeg"
    assert source.preview_scale == 4  # libjpeg's 1/4 scale: fast, and <= 1024 px
    preview = decode(source.preview)
    assert preview.shape == (750, 1000, 3)
    assert np.abs(preview.astype(int) - block_mean(array, 4).astype(int)).mean() < 3.0
    assert source.full_ready and source.full_bytes() is data


def test_large_png_bytes_and_paths(tmp_path):
    array = photo(1400, 900)
    out = io.BytesIO()
    Image.fromarray(array).save(out, "PNG")
    path = tmp_path / "big.png"
    path.write_bytes(out.getvalue())
    source = prepare_image(path)
    assert source.preview_scale == 2 and source.preview_size == (700, 450)
    assert decode(source.preview).shape == (450, 700, 3)
    assert source.full_bytes() == out.getvalue()


def test_without_pillow_encoded_images_are_sent_whole_and_arrays_get_png_previews(monkeypatch):
    data = jpeg(photo(1600, 1200))
    monkeypatch.setitem(sys.modules, "PIL", None)  # `import PIL` now fails, as without Pillow
    source = prepare_image(data)
    assert source.preview == b"" and source.preview_scale == 1
    assert source.full_bytes() is data
    array_source = prepare_image(photo(1600, 1200))
    assert array_source.preview_mime == "image/png"
    assert array_source.preview_scale == 2


def test_small_images_have_no_preview_and_are_sent_at_once():
    w = ImageAnnotator(photo(640, 480), labels=["a"])
    assert w.preview_data == b"" and w.preview_scale == 1
    np.testing.assert_array_equal(decode(w.image_data), photo(640, 480))


def test_widget_sends_preview_first_and_full_image_when_the_browser_asks(comm_recorder):
    array = photo(2900, 1700)
    w = ImageAnnotator(array, labels=["a"])
    assert w.image_size == (2900, 1700)
    assert w.image_data == b"" and w.preview_data and w.preview_scale == 3
    rec = comm_recorder(w)
    rec.from_browser({"type": "load_full"})
    assert w._full_image.job is not None
    w._full_image.job.join()
    np.testing.assert_array_equal(decode(w.image_data), array)
    def image_updates():
        return [m for m in rec.sent
                if m["data"] and ["image_data"] in m["data"].get("buffer_paths", [])]

    sent = image_updates()
    assert len(sent) == 1  # as a binary buffer, not base64 text
    assert bytes(sent[0]["buffers"][0]) == w.image_data
    rec.from_browser({"type": "load_full"})  # asking again sends nothing new
    assert len(image_updates()) == 1


def test_jpeg_full_image_is_sent_without_a_thread():
    data = jpeg(photo(4000, 3000))
    w = ImageAnnotator(data, labels=["a"])
    assert w.image_data == b""
    w.load_full_image()
    assert w.image_data == data


def test_set_image_replaces_image_and_records_and_drops_a_stale_full_image():
    w = ImageAnnotator(photo(2900, 1700), labels=["a"],
                       boxes=[{"x": 1, "y": 1, "w": 2800, "h": 5, "label": "a"}])
    w.load_full_image()  # encoding starts in a thread ...
    w.set_image(photo(300, 200), boxes=[{"x": 1, "y": 1, "w": 200, "h": 5, "label": "a"}])
    if w._full_image.job is not None:
        w._full_image.job.join()
    assert w.image_size == (300, 200)
    assert decode(w.image_data).shape == (200, 300, 3)  # ... and never overwrites the new one
    assert w.preview_data == b""
    assert [b["w"] for b in w.boxes] == [200.0]
    with pytest.raises(ValueError, match=r"boxes: record 0.*inside the image"):
        w.set_image(photo(100, 100), boxes=[{"x": 1, "y": 1, "w": 200, "h": 5, "label": "a"}])
    assert w.image_size == (300, 200)  # unchanged after the error

