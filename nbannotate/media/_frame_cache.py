"""A least-recently-used cache of decoded frames, bounded in bytes.

The bound holds whatever the video's length: a frame is evicted (oldest use first) as soon
as the frames kept would exceed it, and a frame larger than the whole bound is not kept.

Examples
--------
>>> import numpy as np
>>> cache = FrameCache(max_bytes=200)
>>> cache.put(0, np.zeros(100, dtype=np.uint8)); cache.put(1, np.zeros(100, dtype=np.uint8))
>>> cache.get(0) is not None        # frame 0 is now the most recently used
True
>>> cache.put(2, np.zeros(100, dtype=np.uint8))  # evicts frame 1
>>> sorted(cache), cache.nbytes
([0, 2], 200)
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator

import numpy as np

__all__ = ["FrameCache"]

#: Evicted frames kept for reuse (beyond the bound only while a frame is being replaced).
_SPARES = 2


class FrameCache:
    """Frames by index, at most ``max_bytes`` of array data; thread-safe.

    Parameters
    ----------
    max_bytes : int
        The bound on the summed ``nbytes`` of the frames kept; 0 keeps nothing.

    Examples
    --------
    >>> FrameCache(0).max_bytes
    0
    """

    def __init__(self, max_bytes: int) -> None:
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, np.integer)):
            raise TypeError(f"cache_bytes: expected an int >= 0, got {max_bytes!r}")
        if max_bytes < 0:
            raise ValueError(f"cache_bytes: expected an int >= 0, got {max_bytes!r}")
        self.max_bytes = int(max_bytes)
        self._frames: OrderedDict[int, np.ndarray] = OrderedDict()
        self._nbytes = 0
        self._lock = threading.Lock()
        self._spare: list[np.ndarray] = []  # evicted frames, to reuse when no one holds them

    @property
    def nbytes(self) -> int:
        """The bytes of array data held now (never more than ``max_bytes``)."""
        return self._nbytes

    def __len__(self) -> int:
        return len(self._frames)

    def __iter__(self) -> Iterator[int]:
        with self._lock:
            return iter(list(self._frames))

    def __contains__(self, index: object) -> bool:
        return index in self._frames

    def get(self, index: int) -> np.ndarray | None:
        """The cached frame (marked as just used), or ``None``."""
        with self._lock:
            frame = self._frames.get(index)
            if frame is not None:
                self._frames.move_to_end(index)
            return frame

    def put(self, index: int, frame: np.ndarray) -> None:
        """Keep ``frame`` as the most recently used, evicting the oldest over the bound."""
        size = int(frame.nbytes)
        with self._lock:
            old = self._frames.pop(index, None)
            if old is not None:
                self._nbytes -= int(old.nbytes)
            if size > self.max_bytes:
                return
            while self._frames and self._nbytes + size > self.max_bytes:
                _, evicted = self._frames.popitem(last=False)
                self._nbytes -= int(evicted.nbytes)
                if evicted.base is None and len(self._spare) < _SPARES:
                    self._spare.append(evicted)
            self._frames[index] = frame
            self._nbytes += size

    def spare(self, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray | None:
        """A writable array of ``shape`` and ``dtype`` to decode the next frame into: an
        evicted frame that nothing else references any more, or ``None``.

        Reusing evicted frames keeps a long read from allocating (and the C allocator from
        keeping) a new frame-sized block per frame.

        Examples
        --------
        >>> cache = FrameCache(10)
        >>> cache.put(0, np.zeros(10, np.uint8)); cache.put(1, np.zeros(10, np.uint8))
        >>> cache.spare((10,), np.dtype(np.uint8)).shape   # frame 0, evicted, unreferenced
        (10,)
        """
        with self._lock:
            while self._spare:
                candidate = self._spare.pop()
                # referenced by: the local name and getrefcount's argument only
                if (sys.getrefcount(candidate) == 2 and candidate.shape == shape
                        and candidate.dtype == dtype):
                    candidate.flags.writeable = True
                    return candidate
            return None

    def clear(self) -> None:
        """Drop every frame."""
        with self._lock:
            self._frames.clear()
            self._spare.clear()
            self._nbytes = 0
