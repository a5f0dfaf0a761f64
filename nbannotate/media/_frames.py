"""The read-only frame source every video and image stack is read through.

:class:`VideoFrames` fixes the interface (sizes, ``frame(k)``, ``frames(start, stop)``,
times, bad frames, closing) and checks every argument once; each source (in-memory array,
list of images, multi-page TIFF, video file) only says how to read frame ``k``.

Frames are returned read-only: they may be shared with the frame cache, so a caller who
wants to draw on one takes a copy (``frame.copy()``).

Examples
--------
>>> import numpy as np
>>> from nbannotate.media.video import open_video
>>> with open_video(np.zeros((4, 2, 3), dtype=np.uint16), fps=2.0) as video:
...     video.time_of(3), video.frame_at(1.2), video.frame(0).flags.writeable
(1.5, 2, False)
"""

from __future__ import annotations

import bisect
import math
import threading
import warnings
from typing import Any

import numpy as np

from ._frame_cache import FrameCache

__all__ = ["BadFrameWarning", "VideoFrames", "check_fps"]


class BadFrameWarning(UserWarning):
    """A frame could not be decoded: it is shown blank and listed in ``bad_frames()``."""


def check_fps(fps: Any, name: str = "fps") -> float:
    """``fps`` as a float > 0, or a ``TypeError``/``ValueError`` naming it.

    Examples
    --------
    >>> check_fps(25)
    25.0
    """
    if isinstance(fps, bool) or not isinstance(fps, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a number > 0, got {fps!r}")
    value = float(fps)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a finite number > 0, got {fps!r}")
    return value


def _ranges(indices: list[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1-3, 7"``."""
    parts: list[str] = []
    start = prev = indices[0]
    for k in [*indices[1:], None]:
        if k is not None and k == prev + 1:
            prev = k
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if k is not None:
            start = prev = k
    return ", ".join(parts)


class VideoFrames:
    """A read-only source of frames: a video file, an array, a list of images or a TIFF stack.

    Made by :func:`nbannotate.media.video.open_video`. Frame ``k`` keeps the source's
    values (``dtype`` as stored: uint8 RGB for decoded video, any dtype for arrays and
    stacks); a frame is ``(height, width)`` when ``channels == 1`` and the source has no
    channel axis, else ``(height, width, channels)``.

    Attributes
    ----------
    num_frames : int
        The number of frames (> 0).
    fps : float
        Frames per second: the video's rate, the ``fps`` given, or 1.0 for stacks.
    height, width : int
        The frame size in pixels.
    channels : int
        1 for gray frames, 3 for RGB (decoded video), else the stack's last axis.
    dtype : numpy.dtype
        The dtype of the frames' values.
    name : str
        The source as shown in messages (a path, or ``"array"``).

    Examples
    --------
    >>> from nbannotate.media.video import open_video
    >>> video = open_video(np.zeros((3, 4, 5), dtype=np.float32))
    >>> video.num_frames, video.height, video.width, video.channels, video.dtype.name
    (3, 4, 5, 1, 'float32')
    >>> video.frame(3)
    Traceback (most recent call last):
    ...
    IndexError: array: frame 3 is out of range: expected 0 <= k < 3
    """

    num_frames: int
    fps: float
    height: int
    width: int
    channels: int
    dtype: np.dtype
    name: str

    def __init__(self, *, name: str, num_frames: int, fps: float, shape: tuple[int, ...],
                 dtype: Any, cache_bytes: int) -> None:
        self.name = name
        self.num_frames = int(num_frames)
        self.fps = float(fps)
        self._shape = tuple(int(n) for n in shape)
        self.height, self.width = self._shape[:2]
        self.channels = self._shape[2] if len(self._shape) == 3 else 1
        self.dtype = np.dtype(dtype)
        self._cache = FrameCache(cache_bytes)
        self._bad: dict[int, str] = {}  # frame -> why it could not be decoded
        self._new_bad: list[int] = []  # found during the current read, not yet warned of
        self._closed = False
        self._lock = threading.RLock()
        #: Per-frame start times in seconds, for sources whose frames are not evenly spaced.
        self._times: list[float] | None = None

    # -- what a source provides ----------------------------------------------------------
    def _read(self, k: int) -> np.ndarray:
        """Decode frame ``k`` (already checked); mark it bad and return a stand-in on failure."""
        raise NotImplementedError

    def _read_range(self, start: int, stop: int) -> list[np.ndarray]:
        """Frames ``start`` to ``stop - 1``; sources with a faster sequential read override."""
        return [self._cached(k) for k in range(start, stop)]

    def _release(self) -> None:
        """Close files and decoders."""

    def _stand_in(self, k: int, cause: str) -> np.ndarray:
        """Mark frame ``k`` bad (the read warns once, naming the cause); return a blank frame."""
        if k not in self._bad:
            self._bad[k] = cause
            self._new_bad.append(k)
        return np.zeros(self._shape, dtype=self.dtype)

    def _warn_bad(self) -> None:
        if not self._new_bad:
            return
        found = sorted(self._new_bad)
        self._new_bad.clear()
        what = f"frame {found[0]}" if len(found) == 1 else f"frames {_ranges(found)}"
        warnings.warn(f"{self.name}: {what} could not be decoded ({self._bad[found[0]]}); "
                      "shown blank and listed in bad_frames()", BadFrameWarning, stacklevel=3)

    # -- the interface -------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of one frame.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> open_video(np.zeros((2, 3, 4, 3))).shape
        (3, 4, 3)
        """
        return self._shape

    @property
    def duration(self) -> float:
        """Seconds from the first frame's start to the last frame's end.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> open_video(np.zeros((50, 2, 2)), fps=25).duration
        2.0
        """
        return self.time_of(self.num_frames - 1) + 1.0 / self.fps

    @property
    def cached_bytes(self) -> int:
        """The bytes of decoded frames held in the cache now (at most ``cache_bytes``).

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> open_video(np.zeros((2, 2, 2))).cached_bytes  # arrays are not copied
        0
        """
        return self._cache.nbytes

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> with open_video(np.zeros((1, 2, 2))) as video:
        ...     pass
        >>> video.closed
        True
        """
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"{self.name}: the video is closed")

    def _check_index(self, k: Any, what: str = "frame") -> int:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise TypeError(f"{self.name}: {what} index must be an int, got {k!r}")
        k = int(k)
        if not 0 <= k < self.num_frames:
            raise IndexError(f"{self.name}: {what} {k} is out of range: expected "
                             f"0 <= k < {self.num_frames}")
        return k

    def _cached(self, k: int) -> np.ndarray:
        frame = self._cache.get(k)
        if frame is None:
            frame = self._read(k)
            frame.flags.writeable = False
            self._cache.put(k, frame)
        return frame

    def frame(self, k: int) -> np.ndarray:
        """Frame ``k`` (0-based) with its original values, read-only.

        Raises ``IndexError`` naming ``k`` and the range when it is outside
        ``0 <= k < num_frames``, ``TypeError`` when it is not an int.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> open_video(np.arange(8).reshape(2, 2, 2)).frame(1).tolist()
        [[4, 5], [6, 7]]
        """
        k = self._check_index(k)
        with self._lock:
            self._check_open()
            try:
                return self._cached(k)
            finally:
                self._warn_bad()

    def frames(self, start: int, stop: int) -> list[np.ndarray]:
        """Frames ``start`` to ``stop - 1``, read sequentially (one seek at most).

        ``stop`` may be ``num_frames``; an empty range gives an empty list. The list holds
        every frame of the range at once: read long ranges in pieces.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> [f.item() for f in open_video(np.arange(5).reshape(5, 1, 1)).frames(1, 4)]
        [1, 2, 3]
        """
        start = self._check_index(start, "start frame")
        if isinstance(stop, bool) or not isinstance(stop, (int, np.integer)):
            raise TypeError(f"{self.name}: stop frame index must be an int, got {stop!r}")
        stop = int(stop)
        if not start <= stop <= self.num_frames:
            raise IndexError(f"{self.name}: stop frame {stop} is out of range: expected "
                             f"{start} <= stop <= {self.num_frames}")
        with self._lock:
            self._check_open()
            try:
                return self._read_range(start, stop)
            finally:
                self._warn_bad()

    def time_of(self, k: int) -> float:
        """The time in seconds at which frame ``k`` starts (frame 0 at 0.0).

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> open_video(np.zeros((10, 1, 1)), fps=4).time_of(2)
        0.5
        """
        k = self._check_index(k)
        if self._times is not None:
            return self._times[k]
        return k / self.fps

    def frame_at(self, seconds: float) -> int:
        """The frame shown at ``seconds``: the last frame starting at or before it.

        Times past the end give the last frame; negative or non-finite times raise
        ``ValueError``.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> video = open_video(np.zeros((10, 1, 1)), fps=4)
        >>> video.frame_at(0.49), video.frame_at(0.5), video.frame_at(99.0)
        (1, 2, 9)
        """
        if isinstance(seconds, bool) or not isinstance(
                seconds, (int, float, np.integer, np.floating)):
            raise TypeError(f"{self.name}: seconds must be a number, got {seconds!r}")
        value = float(seconds)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{self.name}: seconds must be a finite number >= 0, "
                             f"got {seconds!r}")
        if self._times is not None:
            k = bisect.bisect_right(self._times, value + 1e-9) - 1
        else:
            # a tolerance of a microsecond keeps time_of(k) -> k exact in floating point
            k = math.floor(value * self.fps + 1e-6)
        return min(max(k, 0), self.num_frames - 1)

    def bad_frames(self) -> frozenset[int]:
        """The frames that failed to decode so far (each was returned as a stand-in).

        A bad frame is found when it is read (a :class:`BadFrameWarning` names the cause);
        it is returned as a blank frame (zeros) and its index stays here.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> open_video(np.zeros((2, 1, 1))).bad_frames()
        frozenset()
        """
        return frozenset(self._bad)

    def bad_frame_causes(self) -> dict[int, str]:
        """Why each bad frame found so far could not be decoded.

        Examples
        --------
        >>> from nbannotate.media.video import open_video
        >>> open_video(np.zeros((2, 1, 1))).bad_frame_causes()
        {}
        """
        return dict(sorted(self._bad.items()))

    def close(self) -> None:
        """Release the file and the decoded frames; reading afterwards raises ``ValueError``."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._cache.clear()
                self._release()

    def __enter__(self) -> VideoFrames:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.num_frames

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} {self.name}: {self.num_frames} frames, "
                f"{self.width}x{self.height}x{self.channels} {self.dtype.name}, "
                f"{self.fps:g} fps>")
