"""The training rows of :class:`~nbannotate.models.PixelClassifier`: every image's scribbles
turned into feature rows and label indices, in one label order for all images, and kept.

Scribbles are an int array (``-1`` unpainted, ``k`` label ``k``) or mask / polygon records
(:mod:`._scribbles`). Fitting on several images costs, per image, its pixel features (about
0.6 s at 1024×768) and the rows of the painted pixels. A fully painted image has hundreds of
thousands of them, of which the classifier needs a few thousand: so each image's painted
pixels are first subsampled (class-balanced, at most ``max_samples``), and only those rows are
gathered. The rows are kept in a :class:`RowCache` keyed by the image's content and its
scribbles, which the model shares with its clones (``sklearn.base.clone``): a refit that only
adds an image computes features for that image alone. Without fixed ``labels``, label names
are sorted and the indices renumbered to match.

:class:`TrainingPixels` does the gathering; the classifier builds one per ``fit`` from its
parameters, its feature function and its row cache.

Examples
--------
>>> from nbannotate.models._pixel_features import pixel_features
>>> image = np.zeros((20, 20, 3), dtype=np.float32); image[:, 10:] = 1
>>> scribbles = np.full((20, 20), -1); scribbles[5, 2] = 0; scribbles[5, 17] = 1
>>> features = lambda item, index: (pixel_features(item), item.shape[:2], 1)
>>> gather = TrainingPixels(features, RowCache(), labels=None, settings=("demo",),
...                         max_samples=100, random_state=0)
>>> rows, target, names = gather([image], [scribbles])
>>> rows.shape[0], target.tolist(), names
(2, [0, 1], ['0', '1'])
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
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from ._pixel_features import content_key
from ._scribbles import scribble_array

__all__ = ["ROW_BUDGET_BYTES", "RowCache", "TrainingPixels", "balanced_subsample",
           "scribbles_key"]

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


def balanced_subsample(target: np.ndarray, max_samples: int,
                       random_state: int | None) -> np.ndarray:
    """Sorted positions of at most ``max_samples`` of ``target``, class-balanced: each class
    keeps all of its members or an equal share.

    Examples
    --------
    >>> balanced_subsample(np.array([0] * 8 + [1] * 2), 6, 0).size
    5
    """
    if target.size <= max_samples:
        return np.arange(target.size)
    rng = np.random.default_rng(random_state)
    classes, counts = np.unique(target, return_counts=True)
    share = max_samples // classes.size
    picked = []
    for cls, count in zip(classes, counts, strict=True):
        members = np.flatnonzero(target == cls)
        picked.append(members if count <= share else rng.choice(members, share,
                                                                replace=False))
    return np.sort(np.concatenate(picked))


#: ``features(item, index) -> (working-grid features, (height, width), factor)``
FeatureFunction = Callable[[Any, int], tuple[np.ndarray, tuple[int, int], int]]


class TrainingPixels:
    """Feature rows and label indices of the painted pixels of images (module docstring).

    Parameters
    ----------
    features : callable
        ``features(item, index) -> (features (h, w, n), (H, W), factor)``: the image's
        working-grid features, its full size and the working grid's reduction factor.
    rows : RowCache
        Where each image's rows are kept between fits.
    labels : sequence of str, optional
        Fixed label names (index ``k`` is ``labels[k]``); else taken from the records.
    settings : tuple
        The feature settings, part of every cache key (rows of other settings differ).
    max_samples : int
        Painted pixels kept per image (class-balanced).
    random_state : int or None
        Seed of the subsampling.
    """

    def __init__(self, features: FeatureFunction, rows: RowCache, *,
                 labels: Sequence[str] | None, settings: tuple[Hashable, ...],
                 max_samples: int, random_state: int | None) -> None:
        self._features = features
        self._rows = rows
        self._labels = list(labels) if labels is not None else None
        self._settings = settings
        self._max_samples = int(max_samples)
        self._random_state = random_state

    def __call__(self, items: list[Any], scribbles: list[Any],
                 ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """``(rows, label index per row, label names)`` of all images.

        Raises
        ------
        ValueError
            No painted pixel at all, or an index past the fixed labels.
        """
        names = list(self._labels) if self._labels is not None else []
        records_given = any(not isinstance(s, np.ndarray) for s in scribbles)
        rows, target = [], []
        for index, (item, marks) in enumerate(zip(items, scribbles, strict=True)):
            where = ("scribbles" if len(items) == 1 and isinstance(marks, np.ndarray)
                     else f"annotations[{index}]")
            found, local = self._image_rows(item, marks, index, where, names)
            if local is not None:  # the image's own label order: renumber into ``names``
                names.extend(n for n in dict.fromkeys(local) if n not in names)
            if found is None:
                continue
            if rows and found[0].shape[1] != rows[0].shape[1]:
                raise ValueError(f"items[{index}] gives {found[0].shape[1]} features per pixel "
                                 f"where the first painted image gives {rows[0].shape[1]}: the "
                                 "images must have the same number of channels")
            values = found[1]
            if local is not None:
                values = np.array([names.index(n) for n in local], dtype=np.int64)[values]
            rows.append(found[0])
            target.append(values)
        if not rows:
            raise ValueError("no painted pixel: scribbles need at least one pixel >= 0 (or a "
                             "non-empty mask record)")
        target_all = np.concatenate(target)
        if not records_given and self._labels is None:
            names = [str(k) for k in range(int(target_all.max()) + 1)]
        elif self._labels is None:
            # sort the names, and renumber the targets to match
            order = sorted(names)
            remap = np.array([order.index(n) for n in names])
            target_all = remap[target_all]
            names = order
        if int(target_all.max()) >= len(names):
            raise ValueError(f"scribbles use label index {int(target_all.max())} but labels has "
                             f"{len(names)} names: {names!r}")
        return np.concatenate(rows), target_all, names

    def _image_rows(self, item: Any, marks: Any, index: int, where: str, names: list[str],
                    ) -> tuple[tuple[np.ndarray, np.ndarray] | None, list[str] | None]:
        """One image's training rows and their label indices (at most ``max_samples``,
        class-balanced, sampled before the rows are gathered), and the label names the
        indices refer to when they are the image's own (records without fixed ``labels``).
        """
        fixed = self._labels is not None
        marks_key = scribbles_key(marks)
        key = None
        if marks_key is not None:
            key = (content_key(item), self._settings, marks_key,
                   tuple(names) if fixed else None, self._max_samples, self._random_state)
            hit = self._rows.get(key)
            if hit is not None:
                return hit
        features, shape, factor = self._features(item, index)
        local = list(names) if fixed else []
        array = scribble_array(marks, shape, where, local, fixed=fixed)
        r, c = np.nonzero(array >= 0)
        keep = balanced_subsample(array[r, c], self._max_samples, self._random_state)
        r, c = r[keep], c[keep]
        found = None
        if r.size:
            found = (features[np.minimum(r // factor, features.shape[0] - 1),
                              np.minimum(c // factor, features.shape[1] - 1)], array[r, c])
        result = (found, None if fixed or isinstance(marks, np.ndarray) else local)
        if key is not None:
            self._rows.put(key, result, found[0].nbytes + found[1].nbytes if found else 0)
        return result
