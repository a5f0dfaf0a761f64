"""Gradient-orientation histograms per cell (HOG-style, numpy), on an image pyramid.

A gray image is resized by a factor ``f``; its gradients are binned by unsigned orientation
(soft assignment to the two nearest of ``orientations`` bins, weighted by magnitude) into
square cells of ``cell`` pixels; each cell's histogram is divided by the gradient energy of
its 3×3 cell neighbourhood (contrast normalisation) and clipped; one more channel holds the
cell's mean intensity. A window of ``gh × gw`` cells is then described by its cells' values,
and a linear model scores every window position at once (:func:`score_windows`).

Examples
--------
>>> gray = np.zeros((64, 64), dtype=np.float32)
>>> gray[16:48, 16:48] = 1.0
>>> cells = cell_features(gray, cell=8)
>>> cells.shape
(8, 8, 10)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["ORIENTATIONS", "Pyramid", "cell_features", "flat_windows", "resize",
           "score_windows", "window_features"]

ORIENTATIONS = 9


@lru_cache(maxsize=64)
def _resize_matrix(n_in: int, n_out: int) -> Any:
    """Sparse ``(n_out, n_in)`` weights: area averaging when shrinking, linear when growing."""
    import scipy.sparse as sp

    if n_out >= n_in:
        position = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
        low = np.floor(position).astype(np.int64)
        high = np.minimum(low + 1, n_in - 1)
        frac = position - low
        rows = np.concatenate([np.arange(n_out), np.arange(n_out)])
        cols = np.concatenate([low, high])
        weights = np.concatenate([1 - frac, frac])
    else:
        scale = n_in / n_out
        start = np.arange(n_out) * scale
        end = start + scale
        first = np.floor(start).astype(np.int64)
        span = int(np.ceil(scale)) + 1
        offsets = np.arange(span)
        cols = first[:, None] + offsets[None, :]
        cover = np.minimum(cols + 1, end[:, None]) - np.maximum(cols, start[:, None])
        valid = (cover > 0) & (cols < n_in)
        rows = np.repeat(np.arange(n_out), span).reshape(n_out, span)[valid]
        weights = (cover / scale)[valid]
        cols = cols[valid]
    matrix = sp.csr_matrix((weights.astype(np.float32), (rows, cols)), shape=(n_out, n_in))
    matrix.sum_duplicates()
    return matrix


def resize(gray: np.ndarray, factor_y: float, factor_x: float | None = None) -> np.ndarray:
    """Resize a 2-D float image by ``factor`` (area averaging when shrinking, so no aliasing).

    Examples
    --------
    >>> resize(np.ones((10, 20), dtype=np.float32), 0.5).shape
    (5, 10)
    """
    factor_x = factor_y if factor_x is None else factor_x
    height, width = gray.shape
    out_h = max(2, round(height * factor_y))
    out_w = max(2, round(width * factor_x))
    out = np.asarray(gray, dtype=np.float32)
    if out_h != height:
        out = _resize_matrix(height, out_h) @ out
    if out_w != width:
        out = (_resize_matrix(width, out_w) @ out.T).T
    return np.ascontiguousarray(out, dtype=np.float32)


def cell_features(gray: np.ndarray, cell: int, orientations: int = ORIENTATIONS,
                  clip: float = 0.5) -> np.ndarray:
    """Normalised orientation histograms plus mean intensity per cell: ``(Hc, Wc, o + 1)``."""
    from scipy.ndimage import uniform_filter

    g = np.asarray(gray, dtype=np.float32)
    hc, wc = g.shape[0] // cell, g.shape[1] // cell
    if hc < 1 or wc < 1:
        return np.zeros((max(hc, 0), max(wc, 0), orientations + 1), dtype=np.float32)
    g = g[:hc * cell, :wc * cell]
    height, width = g.shape
    gx = np.zeros_like(g)
    gy = np.zeros_like(g)
    gx[:, 1:-1] = g[:, 2:] - g[:, :-2]
    gy[1:-1, :] = g[2:, :] - g[:-2, :]
    mag = np.sqrt(gx * gx + gy * gy)
    # unsigned orientation in bins of pi / orientations, soft-assigned to the two nearest bin
    # centres; atan2 is in [-pi, pi], shifted by whole turns of the bins so it stays >= 0
    position = np.arctan2(gy, gx)
    position *= np.float32(orientations / np.pi)
    position += np.float32(2 * orientations - 0.5)
    low = position.astype(np.int32)
    frac = position - low
    low %= orientations
    high = low + 1
    high[high == orientations] = 0
    cell_id = ((np.arange(height, dtype=np.int32) // cell)[:, None] * wc
               + (np.arange(width, dtype=np.int32) // cell)[None, :]) * orientations
    upper = mag * frac
    size = hc * wc * orientations
    hist = np.bincount((cell_id + low).ravel(), weights=(mag - upper).ravel(), minlength=size)
    hist += np.bincount((cell_id + high).ravel(), weights=upper.ravel(), minlength=size)
    hist = hist.reshape(hc, wc, orientations).astype(np.float32)
    energy = uniform_filter((hist * hist).sum(axis=2), size=3, mode="nearest")
    # the filter's running sums can leave a flat neighbourhood's energy a hair below zero
    # (float rounding), whose square root would be NaN: clamp before the root
    np.maximum(energy, 0.0, out=energy)
    hist = np.minimum(hist / (np.sqrt(energy)[:, :, None] + 1e-3), clip)
    mean = g.reshape(hc, cell, wc, cell).mean(axis=(1, 3))
    return np.concatenate([hist, mean[:, :, None]], axis=2)


def window_features(cells: np.ndarray, rows: np.ndarray, cols: np.ndarray, gh: int,
                    gw: int) -> np.ndarray:
    """Flattened ``gh × gw`` cell windows whose top-left cells are ``(rows, cols)``."""
    view = np.lib.stride_tricks.sliding_window_view(cells, (gh, gw), axis=(0, 1))
    # view: (Hc - gh + 1, Wc - gw + 1, channels, gh, gw) -> (n, gh, gw, channels)
    picked = view[rows, cols]
    return np.ascontiguousarray(picked.transpose(0, 2, 3, 1)).reshape(len(rows), -1)


def score_windows(cells: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    """Linear scores of every ``gh × gw`` window: ``weights`` shaped ``(gh, gw, channels)``."""
    gh, gw, _ = weights.shape
    ny, nx = cells.shape[0] - gh + 1, cells.shape[1] - gw + 1
    if ny < 1 or nx < 1:
        return np.zeros((max(ny, 0), max(nx, 0)), dtype=np.float32)
    out = np.full((ny, nx), bias, dtype=np.float32)
    for a in range(gh):
        for b in range(gw):
            out += cells[a:a + ny, b:b + nx] @ weights[a, b]
    return out


def flat_windows(cells: np.ndarray, gh: int, gw: int) -> np.ndarray:
    """Which ``gh × gw`` windows have no gradient at all (every cell's histogram is zero):
    a flat area, where no object's outline can be. Shaped like :func:`score_windows`.

    Examples
    --------
    >>> cells = np.zeros((4, 4, ORIENTATIONS + 1), dtype=np.float32)
    >>> cells[0, 0, 0] = 0.3
    >>> flat_windows(cells, 2, 2).tolist()
    [[False, True, True], [True, True, True], [True, True, True]]
    """
    ny, nx = cells.shape[0] - gh + 1, cells.shape[1] - gw + 1
    if ny < 1 or nx < 1:
        return np.zeros((max(ny, 0), max(nx, 0)), dtype=bool)
    energy = cells[:, :, :ORIENTATIONS].sum(axis=2, dtype=np.float64)
    total = np.zeros((energy.shape[0] + 1, energy.shape[1] + 1))
    total[1:, 1:] = energy.cumsum(axis=0).cumsum(axis=1)
    window = (total[gh:, gw:] - total[:-gh, gw:] - total[gh:, :-gw] + total[:-gh, :-gw])
    return window <= 1e-6


class Pyramid:
    """An image's cell features at several resize factors, computed once each."""

    def __init__(self, gray: np.ndarray, cell: int) -> None:
        self.gray = gray
        self.cell = cell
        self.height, self.width = gray.shape
        self._levels: dict[float, tuple[np.ndarray, float, float]] = {}

    def level(self, factor: float) -> tuple[np.ndarray, float, float]:
        """Cells at ``factor``, and the image pixels per level pixel along y and x."""
        key = round(float(factor), 4)
        found = self._levels.get(key)
        if found is None:
            small = resize(self.gray, key) if key != 1.0 else self.gray
            found = (cell_features(small, self.cell),
                     self.height / small.shape[0], self.width / small.shape[1])
            self._levels[key] = found
        return found
