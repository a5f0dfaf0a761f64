"""Dense patch descriptors for keypoints: smoothed maps sampled on a grid of offsets.

A region of a gray image gives a few feature maps (Gaussian-smoothed intensity, its x and y
derivatives and gradient magnitude at scale ``spacing / 2``, plus intensity and magnitude at a
fine scale). The descriptor of a point is the coarse maps sampled at a ``(2r+1)²`` grid of
offsets ``spacing`` pixels apart around it, plus the fine maps at the point. Because the
descriptor is a fixed set of shifted map values, a linear model's score at every point is a
sum of shifted, weighted maps (:func:`score_maps`), computed without building descriptors.

Examples
--------
>>> gray = np.zeros((40, 40), dtype=np.float32)
>>> maps = PatchMaps(gray, spacing=4, radius=2)
>>> maps.describe(np.array([20]), np.array([20])).shape
(1, 102)
"""

from __future__ import annotations

import numpy as np

__all__ = ["PatchMaps"]


class PatchMaps:
    """Feature maps of a gray region, padded so every offset of every pixel can be read."""

    COARSE = 4
    FINE = 2

    def __init__(self, gray: np.ndarray, spacing: int, radius: int = 2) -> None:
        from scipy import ndimage

        self.spacing = int(spacing)
        self.radius = int(radius)
        self.pad = self.spacing * self.radius
        g = np.asarray(gray, dtype=np.float32)
        self.height, self.width = g.shape
        padded = np.pad(g, self.pad, mode="reflect") if min(g.shape) > self.pad \
            else np.pad(g, self.pad, mode="edge")
        sigma = max(1.0, self.spacing / 2.0)
        smooth = ndimage.gaussian_filter(padded, sigma, truncate=3.0)
        dy, dx = np.gradient(smooth)
        dx = dx * sigma
        dy = dy * sigma
        fine = ndimage.gaussian_filter(padded, 1.0, truncate=3.0)
        fy, fx = np.gradient(fine)
        self.coarse = np.stack([smooth, dx, dy, np.sqrt(dx * dx + dy * dy)]).astype(np.float32)
        self.fine = np.stack([fine, np.sqrt(fx * fx + fy * fy)]).astype(np.float32)
        steps = np.arange(-self.radius, self.radius + 1) * self.spacing
        oy, ox = np.meshgrid(steps, steps, indexing="ij")
        self.offsets = np.stack([oy.ravel(), ox.ravel()], axis=1)

    @property
    def n_features(self) -> int:
        return self.COARSE * len(self.offsets) + self.FINE

    def describe(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Descriptors of the points ``(rows, cols)`` (region pixels): ``(n, n_features)``."""
        r = np.asarray(rows, dtype=np.int64) + self.pad
        c = np.asarray(cols, dtype=np.int64) + self.pad
        parts = [self.coarse[:, r + oy, c + ox].T for oy, ox in self.offsets]
        parts.append(self.fine[:, r, c].T)
        return np.concatenate(parts, axis=1)

    def score_maps(self, coef: np.ndarray, intercept: np.ndarray, stride: int = 1,
                   window: tuple[int, int, int, int] | None = None) -> np.ndarray:
        """Linear scores ``coef @ describe(p) + intercept`` at every ``stride``-th pixel.

        ``coef`` is ``(n_classes, n_features)`` in :meth:`describe`'s order; ``window`` is
        ``(row0, row1, col0, col1)`` in region pixels (default: the whole region). Returns
        ``(n_classes, rows, cols)``.
        """
        r0, r1, c0, c1 = window if window is not None else (0, self.height, 0, self.width)
        rows = len(range(r0, r1, stride))
        cols = len(range(c0, c1, stride))
        out = np.empty((coef.shape[0], rows, cols), dtype=np.float32)
        out[:] = np.asarray(intercept, dtype=np.float32)[:, None, None]
        span = ((rows - 1) * stride + 1, (cols - 1) * stride + 1)
        k = 0
        for oy, ox in self.offsets:
            y, x = r0 + self.pad + oy, c0 + self.pad + ox
            block = self.coarse[:, y:y + span[0]:stride, x:x + span[1]:stride]
            out += np.tensordot(coef[:, k:k + self.COARSE], block, axes=(1, 0))
            k += self.COARSE
        y, x = r0 + self.pad, c0 + self.pad
        block = self.fine[:, y:y + span[0]:stride, x:x + span[1]:stride]
        out += np.tensordot(coef[:, k:k + self.FINE], block, axes=(1, 0))
        return out
