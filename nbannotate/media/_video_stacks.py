"""Frame sources held or stored as images: an array, a list of images, a multi-page TIFF.

* an array ``(T, H, W)`` or ``(T, H, W, C)`` of any dtype: frames are views of it (no copy);
* a list of images, each an array or a path read with
  :func:`nbannotate.media.images.read_image`; every image must have the first one's shape
  and dtype (arrays are checked at once, files when they are read: a file that cannot be
  read, or does not match, is a bad frame);
* a multi-page TIFF (a z-stack or a time series), one page a frame, read with Pillow.

Examples
--------
>>> import numpy as np
>>> video = ArrayFrames(np.zeros((5, 4, 3), dtype=np.int16), name="array", fps=1.0,
...                     cache_bytes=0)
>>> video.num_frames, video.shape, video.dtype.name
(5, (4, 3), 'int16')
"""

from __future__ import annotations

import threading
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from ._frames import VideoFrames
from .images import pil_values, read_image

__all__ = ["ArrayFrames", "ImageListFrames", "TiffFrames", "is_tiff"]

_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


def _frame_shape(shape: tuple[int, ...], where: str) -> tuple[int, ...]:
    if len(shape) not in (2, 3) or 0 in shape:
        raise ValueError(f"{where}: expected a non-empty H×W or H×W×C image, got shape {shape}")
    return shape


def _check_dtype(dtype: np.dtype, where: str) -> None:
    if dtype.kind not in "biuf":
        raise TypeError(f"{where}: expected a numeric or bool dtype, got {dtype}")


class ArrayFrames(VideoFrames):
    """Frames of an in-memory array ``(T, H, W)`` or ``(T, H, W, C)``; values kept as they are.

    Examples
    --------
    >>> ArrayFrames(np.ones((2, 3, 4, 3)), name="array", fps=2.0, cache_bytes=0).channels
    3
    """

    def __init__(self, array: Any, *, name: str, fps: float, cache_bytes: int) -> None:
        values = np.asarray(array)
        if values.ndim not in (3, 4) or 0 in values.shape:
            raise ValueError(f"{name}: expected a non-empty (T, H, W) or (T, H, W, C) array, "
                             f"got shape {values.shape}")
        _check_dtype(values.dtype, name)
        super().__init__(name=name, num_frames=values.shape[0], fps=fps,
                         shape=values.shape[1:], dtype=values.dtype, cache_bytes=cache_bytes)
        self._values = values

    def _read(self, k: int) -> np.ndarray:
        return self._values[k].view()

    def _cached(self, k: int) -> np.ndarray:  # a view costs nothing: no cache
        frame = self._values[k].view()
        frame.flags.writeable = False
        return frame

    def _release(self) -> None:
        del self._values


class ImageListFrames(VideoFrames):
    """Frames from a list of images: arrays, or paths to image files read when needed.

    Examples
    --------
    >>> frames = ImageListFrames([np.zeros((2, 2)), np.ones((2, 2))], name="images",
    ...                          fps=1.0, cache_bytes=1 << 20)
    >>> frames.frame(1).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """

    def __init__(self, images: list[Any], *, name: str, fps: float, cache_bytes: int) -> None:
        if not images:
            raise ValueError(f"{name}: expected a non-empty list of images, got an empty list")
        items: list[np.ndarray | Path] = []
        for i, image in enumerate(images):
            where = f"{name}[{i}]"
            if isinstance(image, (str, PathLike)):
                path = Path(image)
                if not path.is_file():
                    raise FileNotFoundError(f"{where}: no image file at {str(path)!r}")
                items.append(path)
            elif isinstance(image, np.ndarray) or hasattr(image, "__array__"):
                items.append(np.asarray(image))
            else:
                raise TypeError(f"{where}: expected an array or a path to an image file, "
                                f"got {type(image).__name__}")
        first = items[0] if isinstance(items[0], np.ndarray) else read_image(
            items[0], name=f"{name}[0]")
        shape = _frame_shape(first.shape, f"{name}[0]")
        _check_dtype(first.dtype, f"{name}[0]")
        for i, item in enumerate(items):
            if isinstance(item, np.ndarray) and (item.shape != shape or item.dtype != first.dtype):
                raise ValueError(f"{name}[{i}]: every image must match the first one "
                                 f"({shape} {first.dtype}), got {item.shape} {item.dtype}")
        super().__init__(name=name, num_frames=len(items), fps=fps, shape=shape,
                         dtype=first.dtype, cache_bytes=cache_bytes)
        self._items = items

    def _cached(self, k: int) -> np.ndarray:
        item = self._items[k]
        if isinstance(item, np.ndarray):  # in memory already: a read-only view, not cached
            frame = item.view()
            frame.flags.writeable = False
            return frame
        return super()._cached(k)

    def _read(self, k: int) -> np.ndarray:
        item = self._items[k]
        if isinstance(item, np.ndarray):
            return item.view()
        try:
            values = read_image(item, name=f"{self.name}[{k}]")
        except (OSError, ValueError) as error:
            return self._stand_in(k, str(error))
        if values.shape != self.shape or values.dtype != self.dtype:
            return self._stand_in(k, f"{item.name} is {values.shape} {values.dtype}, expected "
                                     f"{self.shape} {self.dtype} like the first image")
        return values


def is_tiff(path: Path) -> bool:
    """True when the file starts with a TIFF (or BigTIFF) header.

    Examples
    --------
    >>> is_tiff(Path(__file__))
    False
    """
    with open(path, "rb") as handle:
        return handle.read(4) in _TIFF_MAGIC


class TiffFrames(VideoFrames):
    """The pages of a multi-page TIFF (a z-stack or a time series) as frames, via Pillow.

    Every page must have the first page's size and mode; a page that differs or cannot be
    decoded is a bad frame.

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> path = Path(tempfile.mkdtemp()) / "stack.tif"
    >>> pages = [Image.fromarray(np.full((2, 3), v, dtype=np.uint16)) for v in (1, 2)]
    >>> pages[0].save(path, save_all=True, append_images=pages[1:])
    >>> with TiffFrames(path, name=str(path), fps=1.0, cache_bytes=1 << 20) as stack:
    ...     stack.num_frames, stack.frame(1).max(), stack.dtype.name
    (2, np.uint16(2), 'uint16')
    """

    def __init__(self, path: Path, *, name: str, fps: float, cache_bytes: int) -> None:
        from PIL import Image, UnidentifiedImageError

        try:
            image = Image.open(path)
            count = int(getattr(image, "n_frames", 1))
            image.seek(0)
            first = pil_values(image)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValueError(f"{name}: not a readable TIFF stack ({error})") from None
        _frame_shape(first.shape, f"{name} page 0")
        _check_dtype(first.dtype, f"{name} page 0")
        super().__init__(name=name, num_frames=count, fps=fps, shape=first.shape,
                         dtype=first.dtype, cache_bytes=cache_bytes)
        self._image = image
        self._mode = image.mode
        self._file_lock = threading.Lock()

    def _read(self, k: int) -> np.ndarray:
        with self._file_lock:
            try:
                self._image.seek(k)
                if self._image.mode != self._mode:
                    return self._stand_in(k, f"page {k} is mode {self._image.mode}, expected "
                                             f"{self._mode} like page 0")
                values = pil_values(self._image)
            except (OSError, SyntaxError, ValueError, EOFError) as error:
                return self._stand_in(k, f"page {k}: {error}")
        if values.shape != self.shape or values.dtype != self.dtype:
            return self._stand_in(k, f"page {k} is {values.shape} {values.dtype}, expected "
                                     f"{self.shape} {self.dtype} like page 0")
        return values

    def _release(self) -> None:
        self._image.close()
