"""The training pixels of :class:`~nbannotate.models.PixelClassifier`: every image's scribbles
turned into feature rows and label indices, in one label order for all images.

Scribbles are an int array (``-1`` unpainted, ``k`` label ``k``) or mask / polygon records
(:mod:`._scribbles`). Each image's painted pixels are subsampled (class-balanced, at most
``max_samples``) before their rows are gathered, and the rows are kept in the model's row
cache (:mod:`._pixel_rows`), so a refit on the same images and scribbles computes no
features. Without fixed ``labels``, label names are sorted and the indices renumbered to
match.

A mixin of :class:`~nbannotate.models.PixelClassifier` (its parameters live there).

Examples
--------
>>> from nbannotate.models import PixelClassifier
>>> image = np.zeros((20, 20)); image[:, 10:] = 1
>>> scribbles = np.full((20, 20), -1); scribbles[5, 2] = 0; scribbles[5, 17] = 1
>>> rows, target, names = PixelClassifier()._training_pixels([image], [scribbles])
>>> rows.shape[0], target.tolist(), names
(2, [0, 1], ['0', '1'])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._pixel_features import content_key
from ._pixel_rows import RowCache, scribbles_key
from ._scribbles import scribble_array

__all__ = ["TrainingPixelsMixin"]


class TrainingPixelsMixin:
    """``_training_pixels``, ``_image_rows`` and ``_subsample`` of a pixel classifier."""

    labels: Sequence[str] | None
    sigmas: tuple[float, ...]
    max_pixels: int
    max_samples: int
    random_state: int | None
    _features: Callable[[Any, int], tuple[np.ndarray, tuple[int, int], int]]

    def _training_pixels(self, items: list[Any], scribbles: list[Any],
                         ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        names = list(self.labels) if self.labels is not None else []
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
            values = found[1]
            if local is not None:
                values = np.array([names.index(n) for n in local], dtype=np.int64)[values]
            rows.append(found[0])
            target.append(values)
        if not rows:
            raise ValueError("no painted pixel: scribbles need at least one pixel >= 0 (or a "
                             "non-empty mask record)")
        target_all = np.concatenate(target)
        if not records_given and self.labels is None:
            names = [str(k) for k in range(int(target_all.max()) + 1)]
        elif self.labels is None:
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

        Kept in the row cache (:mod:`._pixel_rows`): a refit on the same images and
        scribbles computes no features.
        """
        fixed = self.labels is not None
        cache: RowCache = self.__dict__.setdefault("_rows", RowCache())
        marks_key = scribbles_key(marks)
        key = None
        if marks_key is not None:
            key = (content_key(item), tuple(float(s) for s in self.sigmas),
                   int(self.max_pixels), marks_key, tuple(names) if fixed else None,
                   int(self.max_samples), self.random_state)
            hit = cache.get(key)
            if hit is not None:
                return hit
        features, shape, factor = self._features(item, index)
        local = list(names) if fixed else []
        array = scribble_array(marks, shape, where, local, fixed=fixed)
        r, c = np.nonzero(array >= 0)
        keep = self._subsample(array[r, c])
        r, c = r[keep], c[keep]
        found = None
        if r.size:
            found = (features[np.minimum(r // factor, features.shape[0] - 1),
                              np.minimum(c // factor, features.shape[1] - 1)], array[r, c])
        result = (found, None if fixed or isinstance(marks, np.ndarray) else local)
        if key is not None:
            cache.put(key, result, found[0].nbytes + found[1].nbytes if found else 0)
        return result

    def _subsample(self, target: np.ndarray) -> np.ndarray:
        if target.size <= self.max_samples:
            return np.arange(target.size)
        rng = np.random.default_rng(self.random_state)
        classes, counts = np.unique(target, return_counts=True)
        share = self.max_samples // classes.size
        picked = []
        for cls, count in zip(classes, counts, strict=True):
            members = np.flatnonzero(target == cls)
            picked.append(members if count <= share else rng.choice(members, share,
                                                                    replace=False))
        return np.sort(np.concatenate(picked))
