"""Frames as compressed images for the browser, with the contrast rules images have.

The video's frames keep their original values in the kernel (:class:`VideoFrames`); what
crosses to the browser is each frame put on screen by :func:`nbannotate.media.display.to_display`
and compressed (JPEG, or PNG where the frame has transparency: NaN values). One contrast
window serves the whole video, so a 16-bit or float stack does not flicker from frame to frame:
it is the window of a few frames spread over the video (or the one given). Encoded frames are
kept in a small LRU bounded in bytes, so stepping back and forth costs no new encoding.

Examples
--------
>>> import numpy as np
>>> class Stack:  # anything with num_frames and frame(k), as VideoFrames has
...     num_frames, width = 3, 6
...     def frame(self, k):
...         return np.full((4, 6), 1000 * k, dtype=np.uint16)
>>> images = FrameImages(Stack())
>>> data, mime = images.encoded(2)
>>> mime, data[:2] == b"\\xff\\xd8"
('image/jpeg', True)
>>> from PIL import Image
>>> import io
>>> Image.open(io.BytesIO(images.encoded(2, width=3)[0])).size  # shrunk by 2
(3, 2)
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from ..media.display import DisplayWindow, auto_window, select_channels, to_display
from ..media.images import png_bytes

__all__ = ["FrameImages"]

#: Frames read to find the video's contrast window when it is not uint8.
WINDOW_SAMPLES = 5


class FrameImages:
    """Encode frames of a video for the browser, with one contrast window for all of them.

    Parameters
    ----------
    video : VideoFrames
        Anything with ``num_frames`` and ``frame(k)`` (original values).
    vmin, vmax : float, optional
        The contrast window (default: from a few frames, by the image rules).
    colormap : str
        For single-channel video.
    quality : int
        JPEG quality (1–95).
    cache_bytes : int
        Bound of the LRU of encoded frames.
    """

    def __init__(self, video: Any, *, vmin: float | None = None, vmax: float | None = None,
                 colormap: str = "gray", quality: int = 85,
                 cache_bytes: int = 64 * 2**20) -> None:
        if isinstance(quality, bool) or not isinstance(quality, int) or not 1 <= quality <= 95:
            raise ValueError(f"quality must be an int in [1, 95], got {quality!r}")
        self._video = video
        self._quality = quality
        self._colormap = colormap
        self._limit = int(cache_bytes)
        self._cache: OrderedDict[tuple[int, int], tuple[bytes, str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.window = self._window(vmin, vmax)

    def _window(self, vmin: float | None, vmax: float | None) -> DisplayWindow | None:
        """The contrast window for every frame (None: frames are uint8, shown as they are)."""
        dtype = np.dtype(getattr(self._video, "dtype", np.uint8))
        if vmin is not None and vmax is not None:
            return DisplayWindow(float(vmin), float(vmax), self._colormap, False)
        if dtype == np.uint8 and vmin is None and vmax is None:
            return None
        count = int(self._video.num_frames)
        picks = sorted({int(i) for i in np.linspace(0, count - 1, min(WINDOW_SAMPLES, count))})
        samples = []
        for k in picks:
            try:
                arr = select_channels(self._video.frame(k), name="frame")
            except Exception:  # a bad frame: the others decide the window
                continue
            samples.append((arr if arr.ndim == 2 else arr[:, :, :3]).reshape(-1))
        if not samples:
            return None
        low, high = auto_window(np.concatenate(samples))
        low = low if vmin is None else float(vmin)
        high = high if vmax is None else float(vmax)
        return DisplayWindow(low, high, self._colormap, True)

    def shown(self, k: int) -> np.ndarray:
        """Frame ``k`` as uint8 on screen (H×W, H×W×3 or H×W×4)."""
        frame = self._video.frame(k)
        if self.window is None:
            return to_display(frame, colormap=self._colormap, name="frame")[0]
        return to_display(frame, vmin=self.window.vmin, vmax=self.window.vmax,
                          colormap=self._colormap, name="frame")[0]

    def encoded(self, k: int, width: int | None = None) -> tuple[bytes, str]:
        """Frame ``k`` compressed: ``(bytes, mime)``; cached.

        ``width``: the view shows the frame at most that many pixels across; the frame is then
        shrunk by the largest whole factor that keeps it at least that wide (a box filter, fast;
        a factor below 2 sends the frame as it is, which costs less than resampling it).
        """
        factor = self.shrink_factor(k, width)
        key = (k, factor)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        image = self.shown(k)
        if factor > 1:
            from PIL import Image

            image = np.asarray(Image.fromarray(image).reduce(factor))
        if image.ndim == 3 and image.shape[2] == 4:
            item = (png_bytes(image), "image/png")
        else:
            from PIL import Image

            buffer = io.BytesIO()
            Image.fromarray(image).save(buffer, format="JPEG", quality=self._quality)
            item = (buffer.getvalue(), "image/jpeg")
        with self._lock:
            if key not in self._cache:
                self._cache[key] = item
                self._bytes += len(item[0])
            while self._bytes > self._limit and len(self._cache) > 1:
                _, (old, _mime) = self._cache.popitem(last=False)
                self._bytes -= len(old)
        return item

    def shrink_factor(self, k: int, width: int | None) -> int:
        """The whole factor frame ``k`` is shrunk by for a view ``width`` pixels across."""
        full = int(getattr(self._video, "width", 0) or 0)
        if width is None or width <= 0 or full <= 0:
            return 1
        return max(1, full // width)

    @property
    def cached_bytes(self) -> int:
        """Bytes of encoded frames held now."""
        return self._bytes
