"""Per-pixel features for segmentation from scribbles (numpy + ``scipy.ndimage``).

The image is first reduced by an integer ``factor`` (block means) to a working grid; then, at
each scale ``sigma`` (in working pixels), every pixel gets: the Gaussian-smoothed colour
channels, the gradient magnitude of the smoothed gray image, a difference of Gaussians
(``G_sigma - G_2sigma``: blobs and lines), and the local standard deviation
(``sqrt(G_sigma(g²) - G_sigma(g)²)``: texture). Scales above 1 are computed on a copy
reduced by a power of two (so every Gaussian has sigma <= 1 there, a short kernel) and
interpolated back.

Examples
--------
>>> image = np.random.default_rng(0).random((32, 48, 3)).astype(np.float32)
>>> features = pixel_features(image, factor=2)
>>> features.shape
(16, 24, 27)
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["DEFAULT_SIGMAS", "FeatureCache", "block_reduce", "content_key", "pixel_features",
           "upsample"]

DEFAULT_SIGMAS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)


def block_reduce(image: np.ndarray, factor: int) -> np.ndarray:
    """Means over ``factor × factor`` blocks (edges replicated to whole blocks).

    Examples
    --------
    >>> block_reduce(np.arange(16, dtype=np.float32).reshape(4, 4), 2).tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    if factor == 1:
        return image
    height, width = image.shape[:2]
    pad_h, pad_w = (-height) % factor, (-width) % factor
    if pad_h or pad_w:
        pad = ((0, pad_h), (0, pad_w)) + ((0, 0),) * (image.ndim - 2)
        image = np.pad(image, pad, mode="edge")
    total = np.zeros((image.shape[0] // factor, image.shape[1] // factor, *image.shape[2:]),
                     dtype=np.float32)
    for dy in range(factor):
        for dx in range(factor):
            total += image[dy::factor, dx::factor]
    total *= np.float32(1.0 / (factor * factor))
    return total


@lru_cache(maxsize=32)
def _interpolation(n_out: int, n_in: int, factor: int) -> Any:
    """Sparse ``(n_out, n_in)`` linear interpolation from block centres to pixels."""
    import scipy.sparse as sp

    position = np.clip((np.arange(n_out) + 0.5) / factor - 0.5, 0, n_in - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n_in - 1)
    frac = (position - low).astype(np.float32)
    rows = np.concatenate([np.arange(n_out), np.arange(n_out)])
    matrix = sp.csr_matrix((np.concatenate([1 - frac, frac]), (rows, np.concatenate([low, high]))),
                           shape=(n_out, n_in))
    matrix.sum_duplicates()
    return matrix


def upsample(values: np.ndarray, shape: tuple[int, int], factor: int) -> np.ndarray:
    """Bilinear interpolation of a coarse ``(h, w, ...)`` grid (block centres) to ``shape``.

    Examples
    --------
    >>> upsample(np.array([[0.0, 1.0]], dtype=np.float32), (2, 4), 2).tolist()
    [[0.0, 0.25, 0.75, 1.0], [0.0, 0.25, 0.75, 1.0]]
    """
    if factor == 1 and values.shape[:2] == shape:
        return values
    height, width = shape
    h, w = values.shape[:2]
    rest = values.shape[2:]
    channels = int(np.prod(rest)) if rest else 1
    tall = _interpolation(height, h, factor) @ values.reshape(h, w * channels)
    tall = np.ascontiguousarray(tall.reshape(height, w, channels).transpose(1, 0, 2))
    wide = _interpolation(width, w, factor) @ tall.reshape(w, height * channels)
    out = wide.reshape(width, height, channels).transpose(1, 0, 2)
    return np.ascontiguousarray(out.reshape((height, width, *rest)), dtype=np.float32)


def _gray(colour: np.ndarray) -> np.ndarray:
    gray = colour[:, :, 0].copy()
    for c in range(1, colour.shape[2]):
        gray += colour[:, :, c]
    gray *= np.float32(1.0 / colour.shape[2])
    return gray


def _gradient(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.gradient`` along rows and columns; zero along an axis one pixel long.

    Examples
    --------
    >>> [g.tolist() for g in _gradient(np.array([[0.0, 2.0, 4.0]], dtype=np.float32))]
    [[[0.0, 0.0, 0.0]], [[2.0, 2.0, 2.0]]]
    """
    rows = np.gradient(values, axis=0) if values.shape[0] > 1 else np.zeros_like(values)
    cols = np.gradient(values, axis=1) if values.shape[1] > 1 else np.zeros_like(values)
    return rows, cols


def _scale_features(colour: np.ndarray, gray: np.ndarray, sigma: float) -> list[np.ndarray]:
    from scipy import ndimage

    def smooth(x: np.ndarray, s: float) -> np.ndarray:
        return ndimage.gaussian_filter(x, s, truncate=3.0, mode="reflect")

    out = [smooth(colour[:, :, c], sigma) for c in range(colour.shape[2])]
    g1 = smooth(gray, sigma)
    gy, gx = _gradient(g1)
    out.append(np.sqrt(gx * gx + gy * gy) * sigma)
    out.append(g1 - smooth(gray, 2 * sigma))
    out.append(np.sqrt(np.maximum(smooth(gray * gray, sigma) - g1 * g1, 0.0)))
    return out


def pixel_features(image: np.ndarray, *, factor: int = 1,
                   sigmas: tuple[float, ...] = DEFAULT_SIGMAS) -> np.ndarray:
    """Features of every pixel of the working grid: ``(h, w, C + (C + 3) * len(sigmas))``
    float32 (27 columns for a 3-channel image and the 4 default scales).

    Parameters
    ----------
    image : ndarray (H, W, C) float32
        Any number of channels C (3 for gray or colour images); any size from 1×1.
    factor : int
        The working grid is the image reduced by block means over ``factor × factor``.
    sigmas : tuple of float
        Scales in working-grid pixels.
    """
    work = block_reduce(np.asarray(image, dtype=np.float32), factor)
    height, width, n_colour = work.shape
    out = np.empty((height, width, n_colour + (n_colour + 3) * len(sigmas)), dtype=np.float32)
    out[:, :, :n_colour] = work
    gray = _gray(work)
    cache: dict[int, tuple[np.ndarray, np.ndarray]] = {1: (work, gray)}
    column = n_colour
    for sigma in sigmas:
        reduce = 1
        while sigma / reduce > 1.0 and min(height, width) // (reduce * 2) >= 8:
            reduce *= 2
        if reduce not in cache:
            colour_r = block_reduce(work, reduce)
            cache[reduce] = (colour_r, _gray(colour_r))
        colour_r, gray_r = cache[reduce]
        parts = _scale_features(colour_r, gray_r, sigma / reduce)
        if reduce == 1:
            for part in parts:
                out[:, :, column] = part
                column += 1
        else:
            small = np.stack(parts, axis=2)
            out[:, :, column:column + len(parts)] = upsample(small, (height, width), reduce)
            column += len(parts)
    return out


def content_key(item: Any) -> tuple[Any, ...]:
    """A key that changes when the image does: its bytes' hash (arrays) or path and mtime."""
    if isinstance(item, (str, PathLike)):
        path = Path(item)
        stat = path.stat() if path.is_file() else None
        return ("path", str(path.resolve()), stat.st_mtime_ns if stat else None)
    array = np.ascontiguousarray(np.asarray(item))
    digest = hashlib.blake2b(array.tobytes(), digest_size=16).hexdigest()
    return ("array", array.shape, str(array.dtype), digest)


class FeatureCache:
    """A small least-recently-used cache of computed features, safe across threads."""

    def __init__(self) -> None:
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Any, value: Any, size: int) -> None:
        if size <= 0:
            return
        with self._lock:
            self._items[key] = value
            while len(self._items) > size:
                self._items.popitem(last=False)
