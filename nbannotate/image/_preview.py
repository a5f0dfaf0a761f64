"""Display-sized previews of large images, and the full resolution encoded on demand.

A 4000×3000 photo is 2–20 MB once encoded; a notebook shows it ~1000 px wide. So the widget
sends a preview first (long side ≤ :data:`PREVIEW_MAX_SIDE`, an integer reduction of the
image) and the full resolution only when the browser asks for it, after its first paint.

* Arrays (and PIL images) are reduced with numpy (block means over ``f × f`` pixels, edges
  replicated), so the preview covers exactly ``f`` image pixels per preview pixel. The full
  resolution is PNG-encoded only when it is asked for.
* Encoded bytes (JPEG, PNG, WebP, GIF) are sent as they are. Their preview needs decoding,
  which uses Pillow when it is installed (JPEG decodes at 1/2, 1/4 or 1/8 scale directly);
  without Pillow there is no preview and the original is sent at once.
* Previews are JPEG (quality 85) when Pillow is there and the image has no alpha channel,
  else PNG.

Examples
--------
>>> import numpy as np
>>> source = prepare_image(np.zeros((3000, 4000, 3), dtype=np.uint8))
>>> source.size, source.preview_scale, source.preview_size
((4000, 3000), 4, (1000, 750))
>>> source.full_bytes()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from ..media.display import DisplayWindow, auto_window, select_channels, to_display
from ..media.images import (
    encode_image,
    image_size_from_bytes,
    needs_decoding,
    pil_values,
    png_bytes,
    read_image,
)
from ._levels import LEVELS_MIME, Levels, is_scalar, levels_bytes, levels_of

__all__ = ["PREVIEW_MAX_SIDE", "ImageSource", "block_mean", "prepare_image", "preview_factor"]

#: Previews are at most this many pixels on their long side: the widget is 480 px high, so
#: a 4:3 photo shows at 640×480 CSS pixels; 1024 covers that at 1.5× device pixel ratio and
#: keeps the preview small enough to decode in a few milliseconds (a 1000×750 JPEG ~0.1 MB).
#: Zooming in past it shows the full resolution.
PREVIEW_MAX_SIDE = 1024
JPEG_QUALITY = 85


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError:  # Pillow is optional
        return None
    return Image


def preview_factor(width: int, height: int, max_side: int = PREVIEW_MAX_SIDE) -> int:
    """The integer reduction that brings the long side to at most ``max_side`` (1: none).

    Examples
    --------
    >>> preview_factor(4000, 3000), preview_factor(1024, 700), preview_factor(6000, 4000)
    (4, 1, 6)
    """
    return max(1, -(-max(width, height) // max_side))


def _sum_rows(arr: np.ndarray, factor: int, dtype: Any) -> np.ndarray:
    """Sums of ``factor`` consecutive rows; the last block repeats the last row."""
    count = -(-arr.shape[0] // factor)
    out = arr[0::factor].astype(dtype)
    for offset in range(1, factor):
        part = arr[offset::factor]
        out[: part.shape[0]] += part
        if part.shape[0] < count:
            out[part.shape[0]:] += arr[-1]
    return out


def _sum_columns(arr: np.ndarray, factor: int, dtype: Any) -> np.ndarray:
    """Sums of ``factor`` consecutive columns; the last block repeats the last column."""
    count = -(-arr.shape[1] // factor)
    out = arr[:, 0::factor].astype(dtype)
    for offset in range(1, factor):
        part = arr[:, offset::factor]
        out[:, : part.shape[1]] += part
        if part.shape[1] < count:
            out[:, part.shape[1]:] += arr[:, -1:]
    return out


def block_mean(image: np.ndarray, factor: int) -> np.ndarray:
    """Reduce a uint8 image by ``factor`` in both directions (mean of each block).

    The result has ``ceil(h / factor) × ceil(w / factor)`` pixels; a partial block at the
    right or bottom edge is filled by repeating the last row or column, so preview pixel
    ``(i, j)`` always covers image pixels ``[i*f, (i+1)*f) × [j*f, (j+1)*f)``.

    Examples
    --------
    >>> block_mean(np.array([[0, 2, 4], [2, 4, 6]], dtype=np.uint8), 2).tolist()
    [[2, 5]]
    """
    if factor <= 1:
        return image
    dtype = np.uint16 if factor * factor * 255 < 2**16 else np.uint32
    sums = _sum_columns(_sum_rows(image, factor, dtype), factor, dtype)
    sums += (factor * factor) // 2
    sums //= factor * factor
    return sums.astype(np.uint8)


def _encode_preview(image: Any) -> tuple[bytes, str]:
    """Encode a preview (a uint8 array or a PIL image): JPEG when possible, else PNG."""
    pil = _pillow()
    if isinstance(image, np.ndarray):
        has_alpha = image.ndim == 3 and image.shape[2] == 4
        if pil is None or has_alpha:
            return png_bytes(image), "image/png"
        image = pil.fromarray(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        out = io.BytesIO()
        image.convert("RGBA").save(out, "PNG", compress_level=1)
        return out.getvalue(), "image/png"
    out = io.BytesIO()
    image.convert("L" if image.mode in ("L", "1", "I", "I;16", "F") else "RGB").save(
        out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue(), "image/jpeg"


def _preview_of_encoded(data: bytes, mime: str, size: tuple[int, int],
                        factor: int) -> tuple[bytes, str, int] | None:
    """Decode ``data`` with Pillow at reduced size; ``None`` without Pillow or on failure."""
    pil = _pillow()
    if pil is None:
        return None
    try:
        image = pil.open(io.BytesIO(data))
        scale = 1
        if mime == "image/jpeg":
            # libjpeg decodes at 1/2, 1/4, 1/8 directly: far cheaper than a full decode.
            draft = 1
            while draft * 2 <= min(factor, 8):
                draft *= 2
            wanted = (-(-size[0] // draft), -(-size[1] // draft))
            image.draft(image.mode if image.mode in ("RGB", "L") else "RGB", wanted)
            if image.size == wanted:
                scale = draft
        image.load()
        rest = -(-factor // scale)
        if rest > 1:
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            image = image.reduce(rest)
            scale *= rest
        if image.size != (-(-size[0] // scale), -(-size[1] // scale)):
            return None  # an unexpected size: better no preview than a misaligned one
        encoded, preview_mime = _encode_preview(image)
    except Exception:  # a broken file: the browser reports it when it cannot decode it
        return None
    return encoded, preview_mime, scale


@dataclass
class ImageSource:
    """An image ready to send: its preview now, its full resolution when asked for.

    Attributes
    ----------
    size : (width, height)
        Of the original image, in pixels.
    mime : str
        MIME type of the full-resolution bytes.
    preview, preview_mime : bytes, str
        The preview (empty when the image is small enough to send whole at once).
    preview_scale : int
        Image pixels per preview pixel (1 when there is no preview).
    window : DisplayWindow or None
        The contrast window and colormap an array was shown with.
    levels : Levels or None
        For a single-channel image sent as 16-bit levels (:mod:`nbannotate.image._levels`):
        the quantisation (the codes themselves are dropped once encoded).
    auto_window : (float, float) or None
        The window the data gives by itself (for levels; the browser's "Auto" button).
    preview_pending : bool
        True while a deferred preview is still to be made (see :meth:`finish_preview`).
    """

    size: tuple[int, int]
    mime: str
    preview: bytes = b""
    preview_mime: str = "image/png"
    preview_scale: int = 1
    window: DisplayWindow | None = None
    levels: Levels | None = None
    auto_window: tuple[float, float] | None = None
    _data: bytes | None = None
    _encode: Callable[[np.ndarray], bytes] = png_bytes
    _array: np.ndarray | None = None
    _pending: Callable[[], tuple[bytes, str, int] | None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def preview_pending(self) -> bool:
        return self._pending is not None

    def finish_preview(self) -> ImageSource:
        """Make a deferred preview now (nothing to do when it is made already).

        When no preview can be made (an encoded image Pillow cannot read), ``preview``
        stays empty and the original bytes are what is sent.
        """
        if self._pending is not None:
            made = self._pending()
            self._pending = None
            if made is not None:
                self.preview, self.preview_mime, self.preview_scale = made
        return self

    @property
    def preview_size(self) -> tuple[int, int]:
        """(width, height) of the preview in pixels."""
        f = self.preview_scale
        return (-(-self.size[0] // f), -(-self.size[1] // f))

    @property
    def full_ready(self) -> bool:
        """True when the full-resolution bytes exist (no encoding left to do)."""
        return self._data is not None

    def full_bytes(self) -> bytes:
        """The full-resolution encoded image (PNG-encoded on first call for arrays)."""
        with self._lock:
            if self._data is None:
                assert self._array is not None
                self._data = self._encode(self._array)
                self._array = None
            return self._data


def _levels_source(values: np.ndarray, vmin: float | None, vmax: float | None,
                   colormap: str, max_side: int, defer_preview: bool) -> ImageSource:
    _, window = to_display(values[:1, :1], vmin=0.0, vmax=1.0, colormap=colormap)  # checks
    low, high = auto_window(values)
    window = DisplayWindow(low if vmin is None else float(vmin),
                           high if vmax is None else float(vmax), colormap,
                           vmin is None or vmax is None)
    if window.vmax <= window.vmin:
        raise ValueError(f"vmax must be greater than vmin, got vmin={window.vmin:g}, "
                         f"vmax={window.vmax:g}")
    levels = levels_of(values)
    codes = levels.codes
    size = (int(codes.shape[1]), int(codes.shape[0]))
    factor = preview_factor(*size, max_side)
    info = Levels(np.empty((0, 0), np.uint16), levels.offset, levels.step, levels.low,
                  levels.high)
    if factor == 1:
        return ImageSource(size=size, mime=LEVELS_MIME, _data=levels_bytes(codes),
                           window=window, levels=info, auto_window=(low, high))
    source = ImageSource(size=size, mime=LEVELS_MIME, _array=codes, window=window,
                         levels=info, auto_window=(low, high), _encode=levels_bytes)
    # Every f-th level (not a mean: the readout shows values that exist).
    source._pending = lambda: (levels_bytes(codes[::factor, ::factor]), LEVELS_MIME, factor)
    return source if defer_preview else source.finish_preview()


def prepare_image(image: Any, *, name: str = "image", max_side: int = PREVIEW_MAX_SIDE,
                  defer_preview: bool = False, vmin: float | None = None,
                  vmax: float | None = None, colormap: str = "gray",
                  channels: Any = None, levels: bool = False) -> ImageSource:
    """Turn any accepted image form into an :class:`ImageSource` (preview made if needed).

    Parameters
    ----------
    image : ndarray, PIL.Image, str, PathLike or bytes
        What :func:`nbannotate.media.images.encode_image` accepts.
    name : str
        The argument's name, for error messages.
    max_side : int
        Long side above which a preview is made.
    defer_preview : bool
        Only check the image and read its size now; make the preview when
        :meth:`ImageSource.finish_preview` is called (the widget opens in the browser
        meanwhile, so its setup there overlaps the decoding here).
    vmin, vmax, colormap, channels
        How an array is shown (:func:`nbannotate.media.display.to_display`); the window
        used is :attr:`ImageSource.window` (``None`` for 8-bit files sent as they are).
    levels : bool
        Send a single-channel image that is not uint8 as 16-bit levels that the browser
        windows itself (:mod:`nbannotate.image._levels`), instead of an 8-bit picture.

    Examples
    --------
    >>> prepare_image(np.zeros((10, 20), dtype=np.uint8)).preview
    b''
    """
    if isinstance(image, (str, PathLike)):
        path = Path(image)
        if not path.is_file():
            raise FileNotFoundError(f"{name}: no image file at {str(path)!r}")
        image = path.read_bytes()
        try:
            image_size_from_bytes(image)
        except ValueError as error:
            raise ValueError(f"{name}: {path.name}: {error}") from None
    if isinstance(image, (bytes, bytearray, memoryview)) and needs_decoding(bytes(image)):
        image = read_image(bytes(image), name=name)  # 16-bit, TIFF, BMP, rotated JPEG
    if isinstance(image, (bytes, bytearray, memoryview)):
        data, mime, size = encode_image(bytes(image), name=name)
        factor = preview_factor(*size, max_side)
        source = ImageSource(size=size, mime=mime, _data=data)
        if factor > 1:
            source._pending = lambda: _preview_of_encoded(data, mime, size, factor)
        return source if defer_preview else source.finish_preview()
    if type(image).__module__.startswith("PIL."):
        image = pil_values(image)
    if isinstance(image, np.ndarray) or hasattr(image, "__array__"):
        values = select_channels(image, channels, name=name)
        if levels and is_scalar(values):
            return _levels_source(values, vmin, vmax, colormap, max_side, defer_preview)
        array, window = to_display(image, name=name, vmin=vmin, vmax=vmax, colormap=colormap,
                                   channels=channels)
        size = (int(array.shape[1]), int(array.shape[0]))
        factor = preview_factor(*size, max_side)
        if factor == 1:
            return ImageSource(size=size, mime="image/png", _data=png_bytes(array),
                               window=window)
        source = ImageSource(size=size, mime="image/png", _array=array, window=window)
        source._pending = lambda: (*_encode_preview(block_mean(array, factor)), factor)
        return source if defer_preview else source.finish_preview()
    raise TypeError(f"{name} must be a numpy array, a PIL image, a path or PNG/JPEG bytes, "
                    f"got {type(image).__name__}")
