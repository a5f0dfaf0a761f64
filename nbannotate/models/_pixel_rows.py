"""Training rows of :class:`~nbannotate.models.PixelClassifier`, sampled and kept per image.

Fitting on several images costs, per image, its pixel features (about 0.6 s at 1024×768)
and the rows of the painted pixels. A fully painted image has hundreds of thousands of them,
of which the classifier needs a few thousand: so each image's painted pixels are first
subsampled (class-balanced, at most ``max_samples``), and only those rows are gathered. The
rows are kept in a :class:`RowCache` keyed by the image's content and its scribbles, which
the model shares with its clones (``sklearn.base.clone``): a refit that only adds an image
computes features for that image alone.

Examples
--------
>>> cache = RowCache(budget_bytes=100)
>>> cache.put("a", (np.zeros((4, 2), dtype=np.float32), np.zeros(4)), 64)
>>> cache.get("a")[0].shape, cache.get("b")
((4, 2), None)
>>> cache.put("c", "too big for what is left", 80)   # refused: the budget is spent
>>> cache.get("c") is None, len(cache)
(True, 1)
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["ROW_BUDGET_BYTES", "RowCache", "scribbles_key"]

#: Memory kept for training rows per model family (the model and its clones).
ROW_BUDGET_BYTES = 256 * 1024 * 1024


class RowCache:
    """Training rows by key, safe across threads, within a memory budget.

    An entry that does not fit in what is left of the budget is not kept (older entries are
    never evicted: a refit walks every training image in turn, and evicting the oldest would
    make each of them miss in turn).
    """

    def __init__(self, budget_bytes: int = ROW_BUDGET_BYTES) -> None:
        self.budget_bytes = int(budget_bytes)
        self._items: dict[Any, Any] = {}
        self._used = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Any) -> Any:
        """The entry of ``key``, or None."""
        with self._lock:
            return self._items.get(key)

    def put(self, key: Any, value: Any, nbytes: int) -> None:
        """Keep ``value`` (of about ``nbytes``) when the budget allows."""
        with self._lock:
            if key in self._items or self._used + nbytes > self.budget_bytes:
                return
            self._items[key] = value
            self._used += int(nbytes)


def scribbles_key(marks: Any) -> tuple[Any, ...] | None:
    """A key that changes when the scribbles do (an int array, or mask / polygon records);
    None when they cannot be keyed (then nothing is cached).

    Examples
    --------
    >>> a = scribbles_key([{"label": "sky", "mask": {"size": [2, 2], "counts": [1, 2, 1]}}])
    >>> a == scribbles_key([{"label": "sky", "mask": {"size": [2, 2], "counts": [1, 2, 1]}}])
    True
    >>> a == scribbles_key([{"label": "sea", "mask": {"size": [2, 2], "counts": [1, 2, 1]}}])
    False
    """
    digest = hashlib.blake2b(digest_size=16)
    if isinstance(marks, np.ndarray):
        array = np.ascontiguousarray(marks)
        digest.update(array.tobytes())
        return ("array", array.shape, str(array.dtype), digest.hexdigest())
    if isinstance(marks, (str, bytes, Mapping)) or not isinstance(marks, Sequence):
        return None
    try:
        text = json.dumps([[r.get("label"), r.get("mask"), r.get("points")]
                           if isinstance(r, Mapping) else None for r in marks])
    except (TypeError, ValueError):
        return None
    digest.update(text.encode())
    return ("records", digest.hexdigest())
