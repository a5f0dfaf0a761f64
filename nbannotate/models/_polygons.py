"""Polygons rasterized to pixels, so that polygon records train pixel models like masks do.

A pixel belongs to a polygon when its centre ``(col + 0.5, row + 0.5)`` lies inside it
(even-odd rule: a self-intersecting polygon's doubly covered parts are outside). A centre
exactly on a left edge is inside, on a right edge outside, so two polygons sharing an edge
never share a pixel.

Examples
--------
>>> polygon_mask([[0, 0], [4, 0], [4, 2], [0, 2]], (3, 5)).astype(int).tolist()
[[1, 1, 1, 1, 0], [1, 1, 1, 1, 0], [0, 0, 0, 0, 0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["polygon_mask"]


def polygon_mask(points: Any, shape: tuple[int, int]) -> np.ndarray:
    """The pixels of a polygon as a boolean array of ``shape`` (height, width).

    Parameters
    ----------
    points : list of [x, y]
        The polygon's vertices in image pixels (at least 3).
    shape : (int, int)
        (height, width) of the image.

    Returns
    -------
    ndarray of bool, shape (height, width)

    Examples
    --------
    >>> mask = polygon_mask([[1, 1], [9, 1], [5, 9]], (10, 10))
    >>> bool(mask[2, 5]), bool(mask[8, 1]), int(mask.sum())
    (True, False, 32)
    """
    height, width = int(shape[0]), int(shape[1])
    vertices = np.asarray(points, dtype=np.float64)
    if vertices.ndim != 2 or vertices.shape[1] != 2 or vertices.shape[0] < 3:
        raise ValueError(f"points must be at least 3 [x, y] pairs, got shape {vertices.shape}")
    out = np.zeros((height, width), dtype=bool)
    x0, y0 = vertices[:, 0], vertices[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    first = max(0, int(np.floor(y0.min() - 0.5)))
    last = min(height, int(np.ceil(y0.max() + 0.5)))
    if first >= last:
        return out
    centres = (np.arange(first, last) + 0.5)[:, None]
    # Edges that cross each row's line of pixel centres (half-open in y: no double counts).
    crossing = ((y0 <= centres) & (centres < y1)) | ((y1 <= centres) & (centres < y0))
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = x0 + (centres - y0) * (x1 - x0) / (y1 - y0)
    xs = np.sort(np.where(crossing, xs, np.inf), axis=1)
    counts = crossing.sum(axis=1)
    rows, pairs = [], []
    for k in range(0, int(counts.max(initial=0)), 2):
        has = counts > k + 1
        rows.append(np.flatnonzero(has))
        pairs.append(xs[has, k:k + 2])
    if not rows:
        return out
    row = np.concatenate(rows)
    span = np.concatenate(pairs)
    # Pixel c is inside a pair (a, b) when a <= c + 0.5 < b.
    start = np.clip(np.ceil(span[:, 0] - 0.5), 0, width).astype(np.int64)
    stop = np.clip(np.ceil(span[:, 1] - 0.5), 0, width).astype(np.int64)
    steps = np.zeros((last - first, width + 1), dtype=np.int32)
    np.add.at(steps, (row, start), 1)
    np.add.at(steps, (row, stop), -1)
    out[first:last] = np.cumsum(steps[:, :width], axis=1) % 2 == 1
    return out
