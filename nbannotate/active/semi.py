"""Learning from the unlabeled pool: label spreading on a k-nearest-neighbour graph.

The learner uses this to turn a handful of human labels into soft labels for the whole pool
("spread labels"), then fits the user's estimator on the human labels plus the spread labels,
weighted by how confident the spreading is. The user's estimator is what gets fitted and what
predicts; spreading only adds training data.
"""

# ruff: noqa: N803, N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.neighbors import NearestNeighbors

__all__ = ["KNNGraph", "pseudo_labels", "spread_labels"]


class KNNGraph:
    """Symmetrically normalised k-nearest-neighbour graph of a pool of items.

    Parameters
    ----------
    X : array-like of shape (n_items, n_features)
        Dense or sparse feature matrix of the pool.
    n_neighbors : int, default 10
        Neighbours per item (the item itself excluded).

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of shape (n_items, n_items)
        ``D^-1/2 W D^-1/2`` where ``W`` is the symmetrised 0/1 neighbour matrix.

    Examples
    --------
    >>> import numpy as np
    >>> g = KNNGraph(np.random.default_rng(0).normal(size=(50, 3)), n_neighbors=5)
    >>> g.matrix.shape
    (50, 50)
    """

    def __init__(self, X: Any, n_neighbors: int = 10) -> None:
        n = X.shape[0]
        if n < 2:
            raise ValueError(f"X must have at least 2 items to build a graph, got {n}")
        k = int(min(n_neighbors, n - 1))
        nn = NearestNeighbors(n_neighbors=k + 1).fit(X)
        _, idx = nn.kneighbors(X)
        rows = np.repeat(np.arange(n), k)
        # Drop each item's own position (usually column 0, but duplicates may reorder).
        cols = np.empty((n, k), dtype=np.int64)
        for i in range(n):
            own = idx[i] != i
            picked = idx[i][own][:k]
            if picked.size < k:  # i was not among its own neighbours
                picked = idx[i][:k]
            cols[i] = picked
        W = sp.csr_matrix((np.ones(n * k), (rows, cols.ravel())), shape=(n, n))
        W = W.maximum(W.T).tocsr()
        deg = np.asarray(W.sum(axis=1)).ravel()
        inv = 1.0 / np.sqrt(np.maximum(deg, 1e-12))
        self.matrix: sp.csr_matrix = sp.diags(inv) @ W @ sp.diags(inv)
        self.n_items = n


def spread_labels(
    graph: KNNGraph,
    ids: np.ndarray,
    codes: np.ndarray,
    n_classes: int,
    *,
    alpha: float = 0.99,
    n_iter: int = 30,
) -> np.ndarray:
    """Spread labels over the graph, class-balanced; return soft labels per item.

    Each class starts with a total mass of one, split over its labeled items, so a class with
    few labels is not drowned by a class with many.

    Parameters
    ----------
    graph : KNNGraph
    ids : ndarray of int
        Positions of labeled items.
    codes : ndarray of int
        Class index (0..n_classes-1) of each labeled item.
    n_classes : int
    alpha : float, default 0.99
        Weight of the neighbours against the item's own seed label.
    n_iter : int, default 30

    Returns
    -------
    ndarray of shape (n_items, n_classes)
        Rows sum to one; items the labels never reached get a uniform row.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.zeros((5, 2)), np.ones((5, 2)) * 10] + np.arange(10)[:, None] * 0.01
    >>> F = spread_labels(KNNGraph(X, 3), np.array([0, 9]), np.array([0, 1]), 2)
    >>> F.argmax(axis=1).tolist()
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    """
    n = graph.n_items
    Y = np.zeros((n, n_classes))
    counts = np.bincount(codes, minlength=n_classes).astype(float)
    Y[ids, codes] = 1.0 / np.maximum(counts[codes], 1.0)
    F = Y.copy()
    S = graph.matrix
    for _ in range(n_iter):
        F = alpha * (S @ F) + (1.0 - alpha) * Y
    total = F.sum(axis=1, keepdims=True)
    out = np.full((n, n_classes), 1.0 / n_classes)
    reached = total[:, 0] > 0
    out[reached] = F[reached] / total[reached]
    return out


def pseudo_labels(
    spread: np.ndarray, labeled: np.ndarray, *, min_confidence: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn soft labels into (ids, class codes, weights) for the unlabeled items.

    The weight rescales confidence so that a uniform row weighs 0 and a certain row weighs 1.

    Parameters
    ----------
    spread : ndarray of shape (n_items, n_classes)
        Output of :func:`spread_labels`.
    labeled : ndarray of bool of shape (n_items,)
        Items that already carry a human label (excluded).
    min_confidence : float, default 0.0
        Drop items whose top soft label is below this.

    Returns
    -------
    ids, codes, weights : ndarray

    Examples
    --------
    >>> import numpy as np
    >>> ids, codes, w = pseudo_labels(np.array([[0.9, 0.1], [0.5, 0.5]]), np.array([False, False]))
    >>> ids.tolist(), codes.tolist(), w.round(2).tolist()
    ([0, 1], [0, 0], [0.8, 0.0])
    """
    n_classes = spread.shape[1]
    conf = spread.max(axis=1)
    keep = ~labeled & (conf >= min_confidence)
    ids = np.flatnonzero(keep)
    codes = spread[ids].argmax(axis=1)
    floor = 1.0 / n_classes
    weights = np.clip((conf[ids] - floor) / max(1.0 - floor, 1e-12), 0.0, 1.0)
    return ids, codes, weights
