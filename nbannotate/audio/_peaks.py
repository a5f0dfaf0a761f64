"""Waveform peaks: min/max per pixel column, answered from a multi-resolution pyramid.

The pyramid is built once in O(n): level 1 holds the min and max of every block of
``2**BASE_SHIFT`` samples, and each next level halves the previous one (blocks of 512, 1024,
... samples) until one block is left. It stores about ``4 n / 2**BASE_SHIFT`` values in the
samples' own dtype (3 % of the samples for int16), so memory stays close to the samples'.

A window ``[start, end)`` of ``columns`` columns is answered from the coarsest level whose
block is at most one column wide, so the work is proportional to the number of columns, not
to the window's length. Finer than one block a column, the samples themselves are reduced.

Column edges are ``start + floor(i * (end - start) / columns)``. Read from the samples, every
column is exact; read from a level of block ``b``, each edge is rounded down to a multiple of
``b`` (the last one up, so the window's end is always covered): the column is then off by less
than one block, which is less than one column.

Examples
--------
>>> import numpy as np
>>> pyramid = PeakPyramid(np.arange(10_000, dtype=np.float32)[None, :])
>>> out = pyramid.peaks(0, 10_000, 4)
>>> out.shape, float(out[0, 0, 0]), float(out[0, 3, 1])
((1, 4, 2), 0.0, 9999.0)
"""

from __future__ import annotations

import numpy as np

__all__ = ["BASE_SHIFT", "PeakPyramid", "column_edges"]

BASE_SHIFT = 8


def column_edges(start: int, end: int, columns: int) -> np.ndarray:
    """Sample index of each column edge: ``columns + 1`` increasing integers from start to end.

    Examples
    --------
    >>> column_edges(0, 10, 3).tolist()
    [0, 3, 6, 10]
    """
    span = end - start
    return start + (np.arange(columns + 1, dtype=np.int64) * span) // columns


class PeakPyramid:
    """Min/max levels of ``samples`` (``channels × n``) for fast peaks at any resolution.

    Parameters
    ----------
    samples : ndarray
        ``channels × n`` samples (any real dtype; levels keep it).
    scale : float
        Factor applied to the answers (e.g. ``1 / 32768`` for int16 samples).
    base_shift : int
        log2 of the block size of the first level.

    Examples
    --------
    >>> p = PeakPyramid(np.zeros((2, 1000), dtype=np.int16), scale=1 / 32768)
    >>> p.peaks(0, 1000, 10).shape
    (2, 10, 2)
    """

    def __init__(self, samples: np.ndarray, *, scale: float = 1.0,
                 base_shift: int = BASE_SHIFT) -> None:
        if samples.ndim != 2 or samples.shape[1] == 0:
            raise ValueError(f"samples must be a non-empty channels × n array, got shape "
                             f"{samples.shape}")
        self.samples = samples
        self.scale = float(scale)
        self.base = 1 << base_shift
        #: (block size, mins, maxs), mins/maxs shaped channels × blocks, finest first.
        self.levels: list[tuple[int, np.ndarray, np.ndarray]] = []
        self._build()

    @property
    def num_samples(self) -> int:
        return int(self.samples.shape[1])

    @property
    def nbytes(self) -> int:
        """Memory held by the levels (not counting the samples)."""
        return sum(lo.nbytes + hi.nbytes for _, lo, hi in self.levels)

    def _build(self) -> None:
        samples, block = self.samples, self.base
        n = self.num_samples
        if n <= block:
            return
        full = n // block
        body = samples[:, :full * block].reshape(samples.shape[0], full, block)
        mins, maxs = body.min(axis=2), body.max(axis=2)
        if full * block < n:
            tail = samples[:, full * block:]
            mins = np.concatenate([mins, tail.min(axis=1, keepdims=True)], axis=1)
            maxs = np.concatenate([maxs, tail.max(axis=1, keepdims=True)], axis=1)
        self.levels.append((block, mins, maxs))
        while mins.shape[1] > 1:
            count = mins.shape[1]
            pairs = count // 2
            new_min = np.minimum(mins[:, 0:2 * pairs:2], mins[:, 1:2 * pairs:2])
            new_max = np.maximum(maxs[:, 0:2 * pairs:2], maxs[:, 1:2 * pairs:2])
            if count % 2:
                new_min = np.concatenate([new_min, mins[:, -1:]], axis=1)
                new_max = np.concatenate([new_max, maxs[:, -1:]], axis=1)
            block *= 2
            mins, maxs = new_min, new_max
            self.levels.append((block, mins, maxs))

    def clamp(self, start: float, end: float, columns: int) -> tuple[int, int, int]:
        """Clamp a request to the samples: integer ``start < end`` and ``1 <= columns``.

        Columns are capped at the window's length (a column is at least one sample).

        Examples
        --------
        >>> PeakPyramid(np.zeros((1, 100))).clamp(-5, 1e9, 500)
        (0, 100, 100)
        """
        n = self.num_samples
        first = min(max(int(np.floor(start)), 0), n - 1)
        last = min(max(int(np.ceil(end)), first + 1), n)
        return first, last, max(1, min(int(columns), last - first))

    def level_for(self, samples_per_column: float) -> int:
        """Block size used for a resolution: the largest level block ``<= samples_per_column``
        (1 means the samples themselves).

        Examples
        --------
        >>> PeakPyramid(np.zeros((1, 100_000))).level_for(1000.0)
        512
        """
        chosen = 1
        for block, _, _ in self.levels:
            if block <= samples_per_column:
                chosen = block
            else:
                break
        return chosen

    def peaks(self, start: float, end: float, columns: int) -> np.ndarray:
        """Min and max of each column of the window ``[start, end)`` (in samples).

        Returns
        -------
        ndarray
            float32, shape ``channels × columns × 2`` (min, max), multiplied by ``scale``.
            The window is clamped first (see :meth:`clamp`).

        Examples
        --------
        >>> p = PeakPyramid(np.array([[0, 5, -3, 2, 7]], dtype=np.float32))
        >>> p.peaks(1, 5, 2)[0].tolist()
        [[-3.0, 5.0], [2.0, 7.0]]
        """
        first, last, columns = self.clamp(start, end, columns)
        edges = column_edges(first, last, columns)
        block = self.level_for((last - first) / columns)
        if block == 1:
            source_lo = source_hi = self.samples[:, first:last]
            starts = edges[:-1] - first
        else:
            _, lo, hi = next(level for level in self.levels if level[0] == block)
            index = edges // block
            index[-1] = -(-last // block)  # round the window's end up: its tail is covered
            source_lo, source_hi = lo[:, index[0]:index[-1]], hi[:, index[0]:index[-1]]
            starts = index[:-1] - index[0]
        out = np.empty((self.samples.shape[0], columns, 2), dtype=np.float32)
        out[:, :, 0] = np.minimum.reduceat(source_lo, starts, axis=1)
        out[:, :, 1] = np.maximum.reduceat(source_hi, starts, axis=1)
        if self.scale != 1.0:
            out *= np.float32(self.scale)
        return out
