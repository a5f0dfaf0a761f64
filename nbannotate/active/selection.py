"""Selectors: turn per-item scores into a batch of item positions.

- :func:`top_k` -- the k highest scores among the allowed items.
- :func:`diverse_top_k` -- a batch that is informative *and* spread out: greedy picks that
  trade a candidate's score against its distance to the items already in the batch, so a batch
  of 10 is not 10 near-duplicates.
- :func:`kmeans_pp_seeds` -- cold start: k-means++ seeding on the features (conditioned on the
  items already labeled), so the first items shown cover the space.
"""

# ruff: noqa: N803, N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["diverse_top_k", "kmeans_pp_seeds", "spread_out", "sq_distances", "top_k"]


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k <= 0:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return int(k)


def _allowed_mask(n: int, exclude: np.ndarray | None) -> np.ndarray:
    allowed = np.ones(n, dtype=bool)
    if exclude is not None:
        exclude = np.asarray(exclude)
        if exclude.dtype == bool:
            allowed &= ~exclude
        elif exclude.size:
            allowed[exclude.astype(np.int64)] = False
    return allowed


def top_k(scores: np.ndarray, k: int, *, exclude: np.ndarray | None = None) -> np.ndarray:
    """Positions of the k highest scores, highest first, skipping excluded items.

    Ties are broken by position (lower first); NaN scores rank last.

    Parameters
    ----------
    scores : ndarray of shape (n_items,)
    k : int
        Batch size (> 0). Fewer are returned when fewer items are allowed.
    exclude : ndarray of bool (mask) or of int (positions), optional

    Examples
    --------
    >>> top_k(np.array([0.1, 0.9, 0.5, 0.7]), 2, exclude=np.array([1])).tolist()
    [3, 2]
    """
    k = _check_k(k)
    s = np.array(scores, dtype=float)  # a copy: excluded and NaN scores are overwritten
    np.nan_to_num(s, copy=False, nan=-np.inf)
    allowed = _allowed_mask(s.shape[0], exclude) if exclude is not None else None
    floor = -np.finfo(float).max  # NaN ranks below every real score, excluded below NaN
    np.maximum(s, floor, out=s)
    if allowed is not None:
        s[~allowed] = -np.inf
    n_allowed = s.shape[0] if allowed is None else int(allowed.sum())
    k = min(k, n_allowed)
    if k == 0:
        return np.empty(0, dtype=np.int64)
    if k < s.shape[0]:
        kth = s[np.argpartition(s, s.shape[0] - k)[s.shape[0] - k]]
        part = np.flatnonzero(s >= kth)  # with ties at the k-th score, broken by position below
    else:
        part = np.arange(s.shape[0])
    part = part[s[part] > -np.inf]  # drop excluded items
    order = part[np.lexsort((part, -s[part]))][:k]
    return order.astype(np.int64)


def sq_distances(X: Any, centers: Any) -> np.ndarray:
    """Squared Euclidean distances, shape (n_items, n_centers); X and centers dense or sparse.

    Examples
    --------
    >>> sq_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0]])).ravel().tolist()
    [0.0, 25.0]
    """
    if sp.issparse(X):
        xx = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    else:
        X = np.asarray(X, dtype=float)
        xx = np.einsum("ij,ij->i", X, X)
    if sp.issparse(centers):
        cc = np.asarray(centers.multiply(centers).sum(axis=1)).ravel()
        cross = X @ centers.T
        cross = cross.toarray() if sp.issparse(cross) else np.asarray(cross)
    else:
        centers = np.asarray(centers, dtype=float)
        cc = np.einsum("ij,ij->i", centers, centers)
        cross = np.asarray(X @ centers.T)
    d = xx[:, None] - 2.0 * cross + cc[None, :]
    return np.maximum(d, 0.0)


def diverse_top_k(
    scores: np.ndarray,
    X: Any,
    k: int,
    *,
    exclude: np.ndarray | None = None,
    n_candidates: int | None = None,
) -> np.ndarray:
    """An informative batch that is spread over the feature space.

    The ``n_candidates`` best-scored allowed items (default ``max(10 k, 100)``) are candidates.
    The best one is picked first; each next pick maximises ``rank_weight * distance`` where
    ``distance`` is the candidate's distance to the nearest item already picked (divided by the
    median candidate distance) and ``rank_weight`` falls from 1 to 0.5 down the candidate list.

    Parameters
    ----------
    scores : ndarray of shape (n_items,)
        Higher = more informative.
    X : array-like or sparse matrix of shape (n_items, n_features)
        Numeric features used for distances.
    k : int
    exclude : ndarray of bool or int, optional
    n_candidates : int, optional

    Returns
    -------
    ndarray of int
        Positions, in pick order (the first is the top-scored item).

    Examples
    --------
    >>> X = np.array([[0.0], [0.01], [0.02], [5.0]])
    >>> diverse_top_k(np.array([0.9, 0.89, 0.88, 0.5]), X, 2).tolist()
    [0, 3]
    """
    k = _check_k(k)
    m = n_candidates if n_candidates is not None else max(10 * k, 100)
    return spread_out(top_k(scores, m, exclude=exclude), X, k)


def spread_out(candidates: np.ndarray, X: Any, k: int) -> np.ndarray:
    """Greedy diverse pick of k among candidates ordered best first (see :func:`diverse_top_k`).

    Examples
    --------
    >>> spread_out(np.array([0, 1, 2, 3]), np.array([[0.0], [0.01], [0.02], [5.0]]), 2).tolist()
    [0, 3]
    """
    k = _check_k(k)
    cand = np.asarray(candidates, dtype=np.int64)
    if k == 1 or cand.size <= k:
        return cand[:k]
    Xc = X[cand]
    n = cand.size
    rank_weight = 1.0 - 0.5 * np.arange(n) / max(n - 1, 1)
    picked = [0]
    chosen = np.zeros(n, dtype=bool)
    chosen[0] = True
    d_min = sq_distances(Xc, Xc[[0]]).ravel()
    scale = float(np.median(d_min[d_min > 0])) if np.any(d_min > 0) else 1.0
    while len(picked) < k:
        gain = rank_weight * np.sqrt(d_min / scale)
        gain[chosen] = -np.inf
        j = int(np.argmax(gain))
        picked.append(j)
        chosen[j] = True
        d_min = np.minimum(d_min, sq_distances(Xc, Xc[[j]]).ravel())
    return cand[np.array(picked)]


def kmeans_pp_seeds(
    X: Any,
    k: int,
    *,
    labeled: np.ndarray | None = None,
    exclude: np.ndarray | None = None,
    random_state: int | np.random.Generator | None = None,
    max_candidates: int = 20_000,
) -> np.ndarray:
    """Diverse items by greedy k-means++ seeding, for cold start.

    Already labeled items count as existing centres, so new picks go where nothing is labeled
    yet. Each step draws a few candidates with probability proportional to their squared
    distance to the nearest centre, and keeps the one that lowers the total squared distance
    most (greedy k-means++). Pools larger than ``max_candidates`` are subsampled first.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_items, n_features)
    k : int
    labeled : ndarray of int, optional
        Positions already labeled (used as centres, never returned).
    exclude : ndarray of int or bool, optional
        Positions never returned (in addition to ``labeled``).
    random_state : int or Generator, optional
    max_candidates : int, default 20000

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, y = make_blobs(300, centers=3, cluster_std=0.5, random_state=0)
    >>> sorted(y[kmeans_pp_seeds(X, 3, random_state=0)].tolist())
    [0, 1, 2]
    """
    k = _check_k(k)
    rng = np.random.default_rng(random_state)
    n = X.shape[0]
    allowed = _allowed_mask(n, exclude)
    labeled = np.asarray(labeled if labeled is not None else [], dtype=np.int64)
    allowed[labeled] = False
    pool = np.flatnonzero(allowed)
    if pool.size == 0:
        return np.empty(0, dtype=np.int64)
    if pool.size > max_candidates:
        pool = np.sort(rng.choice(pool, size=max_candidates, replace=False))
    Xp = X[pool]
    if labeled.size:
        d = np.full(pool.size, np.inf)
        for start in range(0, labeled.size, 256):
            block = sq_distances(Xp, X[labeled[start : start + 256]]).min(axis=1)
            d = np.minimum(d, block)
    else:
        d = np.full(pool.size, np.inf)
    picked: list[int] = []
    n_trials = 2 + int(np.log(k + 1))
    taken = np.zeros(pool.size, dtype=bool)
    for _ in range(min(k, pool.size)):
        free = np.flatnonzero(~taken)
        if np.isinf(d).all():
            trials = rng.choice(free, size=1)
        else:
            w = d[free]
            total = w.sum()
            if not np.isfinite(total) or total <= 0:
                trials = rng.choice(free, size=min(n_trials, free.size), replace=False)
            else:
                trials = rng.choice(free, size=n_trials, p=w / total)
        best_j, best_pot, best_d = -1, np.inf, d
        for j in np.unique(trials):
            nd = np.minimum(d, sq_distances(Xp, Xp[[j]]).ravel())
            pot = float(nd[np.isfinite(nd)].sum())
            if pot < best_pot:
                best_j, best_pot, best_d = int(j), pot, nd
        picked.append(best_j)
        taken[best_j] = True
        d = best_d
        d[taken] = 0.0
    return pool[np.array(picked, dtype=np.int64)]
