"""Set operations on COCO run-length masks, and brush strokes rasterized to runs.

A mask is handled here as its **toggles**: the sorted pixel positions (column-major, as COCO
reads the image) where the mask switches between outside and inside, starting outside at
position 0. ``counts`` ``[3, 2, 95]`` of a 10×10 image are the toggles ``[3, 5]``. Union,
difference and intersection of two masks cost O(runs), never O(pixels), so an edit of a
4000×3000 mask by a small brush stroke costs what the stroke's runs cost.

A brush stroke covers the pixels whose centre ``(col + 0.5, row + 0.5)`` lies within
``radius`` of the stroke's path (a polyline; a single point is a disc). The browser's brush
(``js/image/brush.ts``) uses the same rule and the same arithmetic, so a stroke painted from
Python covers exactly the pixels the same stroke covers in the browser.

Examples
--------
>>> a = toggles_of({"size": [10, 10], "counts": [3, 2, 95]})
>>> b = toggles_of({"size": [10, 10], "counts": [4, 4, 92]})
>>> rle_of(10, 10, union(a, b))
{'size': [10, 10], 'counts': [3, 5, 92]}
>>> rle_of(10, 10, difference(a, b))
{'size': [10, 10], 'counts': [3, 1, 96]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from ..formats.rle import _size_counts

__all__ = ["combine", "difference", "intersection", "record_toggles", "rle_of", "stroke_toggles",
           "toggles_of", "union"]

EMPTY = np.zeros(0, dtype=np.int64)


def toggles_of(rle: Mapping[str, Any], name: str = "rle") -> np.ndarray:
    """The toggles of a COCO RLE (uncompressed or compressed counts), checked.

    Examples
    --------
    >>> toggles_of({"size": [2, 2], "counts": [0, 2, 1, 1]}).tolist()
    [0, 2, 3]
    """
    height, width, counts = _size_counts(rle, name)
    positions = np.cumsum(np.asarray(counts, dtype=np.int64))[:-1]
    return canonical(positions, height * width)


def canonical(toggles: np.ndarray, total: int) -> np.ndarray:
    """Toggles without empty runs (pairs at one position cancel) and without ``total``."""
    toggles = np.asarray(toggles, dtype=np.int64)
    if toggles.size == 0:
        return EMPTY
    return combine(toggles, EMPTY, "or", total)


def record_toggles(record: Mapping[str, Any]) -> np.ndarray:
    """Toggles of a validated mask record (no re-validation: records in a trait are clean).

    Examples
    --------
    >>> record_toggles({"mask": {"size": [10, 10], "counts": [3, 2, 95]}}).tolist()
    [3, 5]
    """
    counts = np.asarray(record["mask"]["counts"], dtype=np.int64)
    height, width = record["mask"]["size"]
    return canonical(np.cumsum(counts)[:-1], height * width)


def rle_of(height: int, width: int, toggles: np.ndarray) -> dict[str, Any]:
    """COCO uncompressed RLE ``{"size": [h, w], "counts": [...]}`` from toggles.

    Examples
    --------
    >>> rle_of(2, 2, np.array([0, 2, 3]))
    {'size': [2, 2], 'counts': [0, 2, 1, 1]}
    """
    total = height * width
    bounds = np.concatenate(([0], np.asarray(toggles, dtype=np.int64), [total]))
    return {"size": [int(height), int(width)], "counts": np.diff(bounds).tolist()}


def _inside(toggles: np.ndarray, points: np.ndarray) -> np.ndarray:
    # A point is inside when an odd number of toggles lie at or before it.
    return np.searchsorted(toggles, points, side="right") % 2 == 1


def combine(a: np.ndarray, b: np.ndarray, op: str, total: int) -> np.ndarray:
    """Toggles of ``a op b`` for ``op`` in ``"or"``, ``"and"``, ``"minus"``.

    Examples
    --------
    >>> combine(np.array([2, 6]), np.array([4, 8]), "and", 10).tolist()
    [4, 6]
    """
    points = np.union1d(a, b)
    points = points[points < total]
    if points.size == 0:
        return EMPTY
    in_a, in_b = _inside(a, points), _inside(b, points)
    if op == "or":
        result = in_a | in_b
    elif op == "and":
        result = in_a & in_b
    elif op == "minus":
        result = in_a & ~in_b
    else:
        raise ValueError(f"op must be 'or', 'and' or 'minus', got {op!r}")
    before = np.concatenate(([False], result[:-1]))
    return points[result != before].astype(np.int64)


def union(a: np.ndarray, b: np.ndarray, total: int = 2**62) -> np.ndarray:
    """Pixels in ``a`` or ``b`` (toggles)."""
    return combine(a, b, "or", total)


def difference(a: np.ndarray, b: np.ndarray, total: int = 2**62) -> np.ndarray:
    """Pixels in ``a`` and not in ``b`` (toggles)."""
    return combine(a, b, "minus", total)


def intersection(a: np.ndarray, b: np.ndarray, total: int = 2**62) -> np.ndarray:
    """Pixels in both ``a`` and ``b`` (toggles)."""
    return combine(a, b, "and", total)


def area(toggles: np.ndarray, total: int) -> int:
    """Number of pixels inside."""
    bounds = np.concatenate((np.asarray(toggles, dtype=np.int64), [total]))
    if bounds.size % 2:
        bounds = bounds[:-1]
    return int((bounds[1::2] - bounds[0::2]).sum())


def _check_points(points: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a list of [x, y] pairs, got {points!r}") from None
    if array.ndim == 1 and array.size == 2:
        array = array.reshape(1, 2)
    if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty list of [x, y] pairs, got shape "
                         f"{array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold finite numbers, got {points!r}")
    return array


def stroke_toggles(points: Sequence[Sequence[float]] | np.ndarray, radius: float,
                   height: int, width: int) -> np.ndarray:
    """Toggles of the pixels a brush stroke of ``radius`` along ``points`` covers.

    Parameters
    ----------
    points : list of [x, y]
        The stroke's path in image pixels (one point: a disc).
    radius : float
        In image pixels.
    height, width : int
        The image's size.

    Examples
    --------
    >>> rle_of(4, 4, stroke_toggles([[1.5, 1.5]], 0.5, 4, 4))
    {'size': [4, 4], 'counts': [5, 1, 10]}
    """
    path = _check_points(points, "points")
    if isinstance(radius, bool) or not isinstance(radius, (int, float, np.number)) \
            or not np.isfinite(radius) or radius <= 0:
        raise ValueError(f"radius must be a positive number (image pixels), got {radius!r}")
    r = float(radius)
    r2 = r * r
    # Pixels whose centre can be within r of the path.
    c0 = max(0, int(np.ceil(path[:, 0].min() - r - 0.5)))
    c1 = min(width - 1, int(np.floor(path[:, 0].max() + r - 0.5)))
    r0 = max(0, int(np.ceil(path[:, 1].min() - r - 0.5)))
    r1 = min(height - 1, int(np.floor(path[:, 1].max() + r - 0.5)))
    if c0 > c1 or r0 > r1:
        return EMPTY
    covered = np.zeros((r1 - r0 + 1, c1 - c0 + 1), dtype=bool)
    segments = list(pairwise(path)) or [(path[0], path[0])]
    for a, b in segments:
        ax, ay, bx, by = float(a[0]), float(a[1]), float(b[0]), float(b[1])
        sc0 = max(c0, int(np.ceil(min(ax, bx) - r - 0.5)))
        sc1 = min(c1, int(np.floor(max(ax, bx) + r - 0.5)))
        sr0 = max(r0, int(np.ceil(min(ay, by) - r - 0.5)))
        sr1 = min(r1, int(np.floor(max(ay, by) + r - 0.5)))
        if sc0 > sc1 or sr0 > sr1:
            continue
        px = np.arange(sc0, sc1 + 1, dtype=np.float64)[None, :] + 0.5
        py = np.arange(sr0, sr1 + 1, dtype=np.float64)[:, None] + 0.5
        covered[sr0 - r0:sr1 - r0 + 1, sc0 - c0:sc1 - c0 + 1] |= _within(px, py, ax, ay, bx,
                                                                        by, r2)
    return _block_toggles(covered, r0, c0, height, width)


def _within(px: np.ndarray, py: np.ndarray, ax: float, ay: float, bx: float, by: float,
            r2: float) -> np.ndarray:
    """Pixel centres within sqrt(r2) of segment a-b (the arithmetic of js/image/brush.ts)."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 > 0:
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0.0, 1.0)
    else:
        t = np.zeros(np.broadcast_shapes(px.shape, py.shape))
    ex = ax + t * dx - px
    ey = ay + t * dy - py
    return ex * ex + ey * ey <= r2


def _block_toggles(block: np.ndarray, row0: int, col0: int, height: int, width: int
                   ) -> np.ndarray:
    """Global column-major toggles of a boolean block placed at (row0, col0)."""
    if not block.any():
        return EMPTY
    padded = np.zeros((block.shape[0] + 2, block.shape[1]), dtype=np.int8)
    padded[1:-1] = block
    steps = np.diff(padded, axis=0)  # +1 where a run starts, -1 after it ends
    cols, rows = np.nonzero(steps.T)  # column by column, rows in order
    positions = (cols.astype(np.int64) + col0) * height + row0 + rows
    return canonical(positions, height * width)
