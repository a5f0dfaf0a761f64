"""Fitting the user's estimator: thread caps, semi-supervised training sets, CV, pool scoring.

Everything here runs in the learner's background thread and touches no learner state.
"""

# ruff: noqa: N803  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import has_fit_parameter

from ._data import n_rows, take_rows
from .semi import KNNGraph, pseudo_labels, spread_labels

__all__ = [
    "align_proba",
    "cv_predict",
    "fit_on_labels",
    "limit_threads",
    "pool_proba",
    "sample_weight_key",
]

_limit_lock = threading.Lock()
_limit_depth = 0
_limit_ctx: Any = None


@contextmanager
def limit_threads() -> Iterator[None]:
    """Cap BLAS/OpenMP pools at one thread while any learner fits or scores.

    threadpoolctl's limits are process-wide, so overlapping refits (several learners) share one
    reference-counted limit: the first entrant sets it, the last one out restores it.
    """
    global _limit_depth, _limit_ctx
    from threadpoolctl import threadpool_limits

    with _limit_lock:
        if _limit_depth == 0:
            _limit_ctx = threadpool_limits(limits=1)
        _limit_depth += 1
    try:
        yield
    finally:
        with _limit_lock:
            _limit_depth -= 1
            if _limit_depth == 0 and _limit_ctx is not None:
                _limit_ctx.restore_original_limits()
                _limit_ctx = None


def sample_weight_key(estimator: Any) -> str | None:
    """Name of the fit parameter that takes sample weights, or None when unsupported.

    Pipelines route it to their last step as ``"<step>__sample_weight"``.
    """
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps:
        name, last = steps[-1]
        if last is None or last == "passthrough":
            return None
        return f"{name}__sample_weight" if has_fit_parameter(last, "sample_weight") else None
    try:
        return "sample_weight" if has_fit_parameter(estimator, "sample_weight") else None
    except (TypeError, ValueError):
        return None


def fit_on_labels(
    estimator: Any,
    X: Any,
    ids: np.ndarray,
    codes: np.ndarray,
    classes: Sequence[Any],
    *,
    graph: KNNGraph | None,
    rng: np.random.Generator,
    max_pseudo: int = 5000,
) -> Any:
    """Clone ``estimator`` and fit it on the human labels (plus spread labels when graphed).

    With a graph, labels are spread over the pool and every unlabeled item with a usable
    spread label joins the training set, weighted by the spreading's confidence (human labels
    weigh 1). Estimators without ``sample_weight`` get only spread labels of weight >= 0.8,
    unweighted. At most ``max_pseudo`` spread labels are used (sampled by weight).
    """
    model = clone(estimator)
    y_values = np.asarray([classes[c] for c in codes])
    if graph is None:
        model.fit(take_rows(X, ids), y_values)
        return model
    spread = spread_labels(graph, ids, codes, len(classes))
    labeled = np.zeros(n_rows(X), dtype=bool)
    labeled[ids] = True
    key = sample_weight_key(model)
    p_ids, p_codes, p_w = pseudo_labels(spread, labeled)
    keep = p_w >= (0.8 if key is None else 0.05)
    p_ids, p_codes, p_w = p_ids[keep], p_codes[keep], p_w[keep]
    if p_ids.size > max_pseudo:
        pick = rng.choice(p_ids.size, size=max_pseudo, replace=False, p=p_w / p_w.sum())
        pick.sort()
        p_ids, p_codes, p_w = p_ids[pick], p_codes[pick], p_w[pick]
    all_ids = np.concatenate([ids, p_ids])
    y_all = np.asarray([classes[c] for c in np.concatenate([codes, p_codes])])
    if p_ids.size == 0:
        model.fit(take_rows(X, ids), y_values)
    elif key is None:
        model.fit(take_rows(X, all_ids), y_all)
    else:
        weights = np.concatenate([np.ones(ids.size), p_w])
        model.fit(take_rows(X, all_ids), y_all, **{key: weights})
    return model


def align_proba(
    model: Any, proba: np.ndarray, code_of: dict[Any, int], n_classes: int
) -> np.ndarray:
    """Reorder ``model.predict_proba`` columns into the learner's class order (missing = 0)."""
    model_classes = list(getattr(model, "classes_", []))
    if len(model_classes) != proba.shape[1]:
        raise ValueError(
            f"the estimator's predict_proba returned {proba.shape[1]} columns but its classes_ "
            f"lists {len(model_classes)} classes"
        )
    try:
        cols = [code_of[c.item() if hasattr(c, "item") else c] for c in model_classes]
    except KeyError as exc:
        raise ValueError(
            f"the estimator predicts class {exc.args[0]!r}, which is not among the taught labels"
        ) from None
    out = np.zeros((proba.shape[0], n_classes))
    out[:, cols] = proba
    return out


def pool_proba(
    model: Any, X: Any, code_of: dict[Any, int], n_classes: int, chunk: int = 65_536
) -> np.ndarray:
    """Class probabilities for every pool item, computed in chunks, in learner class order."""
    n = n_rows(X)
    out = np.empty((n, n_classes))
    for start in range(0, n, chunk):
        rows = np.arange(start, min(n, start + chunk))
        block = X[start : start + chunk] if not hasattr(X, "iloc") else X.iloc[rows]
        out[rows] = align_proba(model, np.asarray(model.predict_proba(block)), code_of, n_classes)
    return out


def fold_ids(codes: np.ndarray, n_folds: int, rng: np.random.Generator) -> np.ndarray:
    """Stratified fold number for each labeled item."""
    folds = np.empty(codes.size, dtype=np.int64)
    for c in np.unique(codes):
        members = np.flatnonzero(codes == c)
        members = members[rng.permutation(members.size)]
        folds[members] = (np.arange(members.size) + rng.integers(n_folds)) % n_folds
    return folds


def cv_predict(
    estimator: Any,
    X: Any,
    ids: np.ndarray,
    codes: np.ndarray,
    classes: Sequence[Any],
    code_of: dict[Any, int],
    *,
    n_folds: int,
    graph: KNNGraph | None,
    rng: np.random.Generator,
) -> np.ndarray:
    """Held-out probabilities for each human-labeled item (the same procedure as a refit).

    Returns an array of shape (len(ids), n_classes); rows of folds that could not be fitted
    (a training fold with a single class) are NaN.
    """
    folds = fold_ids(codes, n_folds, rng)
    out = np.full((ids.size, len(classes)), np.nan)
    for f in range(n_folds):
        test = folds == f
        train = ~test
        if not test.any() or np.unique(codes[train]).size < 2:
            continue
        model = fit_on_labels(
            estimator, X, ids[train], codes[train], classes, graph=graph, rng=rng
        )
        proba = np.asarray(model.predict_proba(take_rows(X, ids[test])))
        out[test] = align_proba(model, proba, code_of, len(classes))
    return out
