"""Pool handling for the learner: validation, row access, and a numeric view for distances."""

# ruff: noqa: N803, N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["check_pool", "geometry_of", "is_dataframe", "n_rows", "take_rows"]


def is_dataframe(X: Any) -> bool:
    """True for a pandas DataFrame (without importing pandas when it is not loaded)."""
    return type(X).__name__ == "DataFrame" and hasattr(X, "iloc")


def n_rows(X: Any) -> int:
    """Number of items in the pool."""
    return int(X.shape[0])


def check_pool(X: Any) -> Any:
    """Validate ``X``: a 2-D numpy array, a scipy sparse matrix or a pandas DataFrame.

    Lists and other array-likes are converted with ``numpy.asarray``. Sparse input becomes CSR.

    Raises
    ------
    ValueError
        Empty pool, wrong number of dimensions.
    """
    if is_dataframe(X):
        if X.shape[0] == 0:
            raise ValueError("X is empty: expected at least one item (row), got 0 rows")
        return X
    if sp.issparse(X):
        if X.shape[0] == 0:
            raise ValueError("X is empty: expected at least one item (row), got 0 rows")
        return sp.csr_matrix(X)
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise ValueError(
            f"X must be 2-D (n_items, n_features): a numpy array, a scipy sparse matrix or a "
            f"pandas DataFrame; got an array of shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError("X is empty: expected at least one item (row), got 0 rows")
    return arr


def take_rows(X: Any, ids: np.ndarray) -> Any:
    """Rows ``ids`` of the pool, in the pool's own type (DataFrame rows keep their columns)."""
    if is_dataframe(X):
        return X.iloc[ids]
    return X[ids]


def geometry_of(X: Any) -> Any | None:
    """A numeric matrix for distances (cold-start seeding, diverse batches, the k-NN graph).

    Dense arrays are used as float; DataFrames contribute their numeric columns; sparse
    matrices stay sparse. Dense columns are standardised only when one column's spread is
    more than 10 times the median column's (raw units such as "area" next to "smoothness"
    would otherwise decide every distance); features on one scale, such as pixels, are left
    alone. Returns None when there is nothing numeric to measure.
    """
    if sp.issparse(X):
        return X.astype(np.float64)
    if is_dataframe(X):
        numeric = X.select_dtypes(include=["number", "bool"])
        if numeric.shape[1] == 0:
            return None
        G = numeric.to_numpy(dtype=np.float64)
    else:
        if not np.issubdtype(X.dtype, np.number) and X.dtype != bool:
            try:
                G = X.astype(np.float64)
            except (TypeError, ValueError):
                return None
        else:
            G = X.astype(np.float64, copy=False)
    if not np.isfinite(G).all():
        G = np.nan_to_num(G, nan=0.0, posinf=0.0, neginf=0.0)
    sample = G if G.shape[0] <= 10_000 else G[:: max(1, G.shape[0] // 10_000)]
    std = sample.std(axis=0)
    live = std[std > 0]
    if live.size and live.max() > 10.0 * np.median(live):
        mean = sample.mean(axis=0)
        G = (G - mean) / np.where(std > 0, std, 1.0)
    return G
