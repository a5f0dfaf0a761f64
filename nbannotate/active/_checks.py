"""Argument validation for the learner: errors name the argument, the value, what was expected."""

# ruff: noqa: N803  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ._data import is_dataframe

__all__ = [
    "check_auto",
    "check_declared_labels",
    "check_estimator",
    "check_ids",
    "check_int",
    "check_labels",
    "check_partial",
    "check_semi",
    "check_strategy_output",
    "check_threshold",
]


def check_estimator(estimator: Any) -> None:
    """A scikit-learn style classifier: ``fit`` and ``predict_proba``."""
    if isinstance(estimator, type):
        raise TypeError(
            f"estimator must be an estimator instance, got the class {estimator.__name__}; "
            f"write {estimator.__name__}()"
        )
    missing = [m for m in ("fit", "predict_proba") if not hasattr(estimator, m)]
    if missing:
        raise TypeError(
            f"estimator {estimator!r} has no {' or '.join(missing)}: expected a scikit-learn "
            "classifier or pipeline with predict_proba (e.g. LogisticRegression(), "
            "SVC(probability=True))"
        )


def check_strategy_output(strategy: Callable[[np.ndarray], np.ndarray]) -> None:
    """Call the strategy on a tiny probability matrix and check it gives one score per row."""
    probe = np.array([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]])
    try:
        out = np.asarray(strategy(probe), dtype=float)
    except Exception as exc:
        raise TypeError(
            f"strategy {strategy!r} failed on a (3, 2) probability matrix: {exc!r}; expected "
            "strategy(proba) -> one score per row"
        ) from exc
    if out.shape != (3,):
        raise TypeError(
            f"strategy {strategy!r} returned shape {out.shape} for a (3, 2) probability "
            "matrix; expected one score per row, shape (3,)"
        )


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars, so np.int64(3) and 3 are the same class."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _check_label(value: Any, name: str) -> Hashable:
    value = _plain(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError(f"{name} contains {value!r}; expected a class label")
    try:
        hash(value)
    except TypeError:
        raise TypeError(
            f"{name} contains {value!r} ({type(value).__name__}); expected hashable class labels "
            "(str, int, ...)"
        ) from None
    return value


def check_declared_labels(labels: Sequence[Hashable]) -> list[Hashable]:
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
        raise TypeError(f"labels must be a sequence of class labels, got {labels!r}")
    out = [_check_label(v, "labels") for v in labels]
    if not out:
        raise ValueError("labels is empty: expected the list of all classes")
    dupes = sorted({repr(v) for v in out if out.count(v) > 1})
    if dupes:
        raise ValueError(f"labels lists {', '.join(dupes)} more than once")
    return out


def check_auto(precision: float | None, threshold: float | None) -> None:
    if precision is not None and threshold is not None:
        raise ValueError(
            "give auto_label_precision or auto_label_threshold, not both "
            f"(got {precision!r} and {threshold!r})"
        )
    if precision is not None and not (isinstance(precision, (int, float)) and 0 < precision < 1):
        raise ValueError(
            f"auto_label_precision must be a number between 0 and 1 (e.g. 0.98), got {precision!r}"
        )
    if threshold is not None:
        check_threshold(threshold, "auto_label_threshold")


def check_semi(value: bool | str, X: Any, geometry: Any, max_items: int) -> bool:
    if value == "auto":
        dense = not sp.issparse(X) and geometry is not None and not sp.issparse(geometry)
        return bool(dense and X.shape[0] <= max_items and X.shape[0] >= 20)
    if isinstance(value, (bool, np.bool_)):
        if value and geometry is None:
            raise ValueError(
                "semi_supervised=True needs numeric features to build a neighbour graph, but X "
                "has no numeric column"
            )
        return bool(value)
    raise ValueError(f"semi_supervised must be True, False or 'auto', got {value!r}")


def check_partial(value: bool | str, estimator: Any) -> bool:
    has = hasattr(estimator, "partial_fit")
    if value == "auto":
        return has
    if isinstance(value, (bool, np.bool_)):
        if value and not has:
            raise TypeError(
                f"partial_fit=True but estimator {estimator!r} has no partial_fit method"
            )
        return bool(value)
    raise ValueError(f"partial_fit must be True, False or 'auto', got {value!r}")


def check_int(name: str, value: Any, *, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_ids(name: str, ids: Any, n: int, *, allow_dupes: bool = False) -> np.ndarray:
    """Item positions: a sequence of ints in [0, n)."""
    if isinstance(ids, (str, bytes)) or np.ndim(ids) != 1:
        raise TypeError(
            f"{name} must be a sequence of item positions (ints), got {ids!r}; "
            f"for one item write [{ids!r}]" if np.ndim(ids) == 0 else
            f"{name} must be a 1-D sequence of item positions, got shape {np.shape(ids)}"
        )
    if is_dataframe(ids):
        raise TypeError(f"{name} must be a sequence of item positions, got a DataFrame")
    arr = np.asarray(ids)
    if arr.size == 0:
        return np.empty(0, dtype=np.int64)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        if arr.dtype == object and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in arr
        ):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name} must contain integer item positions, got {ids!r}")
    bad = arr[(arr < 0) | (arr >= n)]
    if bad.size:
        raise ValueError(
            f"{name} contains {bad[:10].tolist()}, out of range: the pool has {n} items "
            f"(valid positions 0..{n - 1})"
        )
    if not allow_dupes:
        uniq, counts = np.unique(arr, return_counts=True)
        if (counts > 1).any():
            raise ValueError(f"{name} contains {uniq[counts > 1][:10].tolist()} more than once")
    return arr.astype(np.int64)


def check_labels(labels: Any, n: int) -> list[Hashable]:
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__"):
        raise TypeError(f"labels must be a sequence with one label per id, got {labels!r}")
    if len(labels) != n:
        raise ValueError(f"len(labels) is {len(labels)} but len(ids) is {n}; expected one "
                         "label per id")
    if hasattr(labels, "tolist"):
        labels = labels.tolist()
    return [_check_label(v, "labels") for v in labels]


def check_threshold(value: Any, name: str = "threshold") -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"{name} must be a number in (0, 1], got {value!r}")
    if not 0.0 < float(value) <= 1.0:
        raise ValueError(f"{name} must be in (0, 1], got {value!r}")
    return float(value)
