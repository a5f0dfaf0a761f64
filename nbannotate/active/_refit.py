"""One refit, start to finish, as a pure function of the job and the previous snapshot.

Runs in the learner's background thread, under one BLAS/OpenMP thread, holding no lock.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._data import take_rows
from ._fitting import cv_predict, fit_on_labels, limit_threads, pool_proba
from ._state import RefitJob, Snapshot
from .precision import choose_threshold
from .selection import top_k
from .semi import KNNGraph

__all__ = ["LazyGraph", "RefitConfig", "run_refit", "threshold_for"]

RANKED = 4096  # best-scored items kept per refit, so next() never scans the whole pool


class LazyGraph:
    """The pool's 10-nearest-neighbour graph, built at the first refit that needs it.

    Called (in the refit thread) with no argument; returns None when semi-supervised
    learning is off or the pool has no numeric geometry.
    """

    def __init__(self, geometry: Any | None, enabled: bool) -> None:
        self._geometry = geometry if enabled else None
        self._graph: KNNGraph | None = None

    def __call__(self) -> KNNGraph | None:
        if self._geometry is None:
            return None
        if self._graph is None:
            self._graph = KNNGraph(self._geometry, n_neighbors=10)
        return self._graph


@dataclass(frozen=True)
class RefitConfig:
    """The learner's fixed settings that a refit needs."""

    estimator: Any
    X: Any
    strategy: Callable[[np.ndarray], np.ndarray]
    graph: Callable[[], KNNGraph | None]
    cv: int
    confidence: float
    auto_label_precision: float | None
    auto_label_threshold: float | None
    seed: int


def score_pool(strategy: Callable[[np.ndarray], np.ndarray], proba: np.ndarray) -> np.ndarray:
    """Apply a strategy and check that it returned one finite-or-NaN float per item."""
    scores = np.asarray(strategy(proba), dtype=float)
    if scores.shape != (proba.shape[0],):
        raise ValueError(
            f"strategy {getattr(strategy, '__name__', strategy)!r} returned shape {scores.shape}; "
            f"expected one score per item, shape ({proba.shape[0]},)"
        )
    return scores


def threshold_for(
    cfg: RefitConfig,
    cv_conf: np.ndarray,
    cv_correct: np.ndarray,
    spot_scores: np.ndarray,
    spot_correct: np.ndarray,
) -> tuple[float | None, str]:
    """The auto-label threshold in force after a refit, and a sentence saying why."""
    if cfg.auto_label_threshold is not None:
        t = cfg.auto_label_threshold
        return t, f"auto-labeling items with confidence >= {t:.3f} (fixed threshold)"
    target = cfg.auto_label_precision
    if target is None:
        return None, "auto-labeling is off (set auto_label_precision or auto_label_threshold)"
    valid = ~np.isnan(cv_conf)
    if not valid.any() and spot_scores.size == 0:
        return None, (
            f"no auto-labels: target precision {target:.3f} needs cross-validated predictions "
            "of the human labels (at least 10 labels and cv >= 2) or spot-checks"
        )
    t, est = choose_threshold(
        cv_conf[valid], cv_correct[valid], target, confidence=cfg.confidence,
        checked=(spot_scores, spot_correct),
    )
    n_spot = int(spot_scores.size)
    spot_txt = f"; {int(spot_correct.sum())}/{n_spot} spot-checks right" if n_spot else ""
    if t is None:
        if est is None:
            why = "no held-out prediction is confident enough yet"
        else:
            why = (
                f"best lower bound {est.lower:.3f} at threshold {est.threshold:.3f}, "
                f"{est.n_correct}/{est.n} held-out predictions right"
            )
        return None, (
            f"no auto-labels: target precision {target:.3f} not met yet ({why}{spot_txt}); "
            "label more items or verify auto-labels with spot_check()"
        )
    assert est is not None
    return t, (
        f"auto-labeling items with confidence >= {t:.3f}: precision lower bound >= target "
        f"{target:.3f} ({est.n_correct}/{est.n} held-out predictions right at this "
        f"threshold{spot_txt})"
    )


def run_refit(
    cfg: RefitConfig, job: RefitJob, prev: Snapshot | None, refit_no: int
) -> tuple[Snapshot, dict[str, Any]]:
    """Fit (fully or incrementally), cross-validate, rescore the pool; return the new snapshot.

    The history row holds timings in seconds and the cross-validated accuracy.
    """
    rng = np.random.default_rng([cfg.seed, refit_no])
    classes = job.classes
    code_of = {c: i for i, c in enumerate(classes)}
    t0 = time.perf_counter()
    with limit_threads():
        if job.full or prev is None:
            graph = cfg.graph()
            model = fit_on_labels(
                cfg.estimator, cfg.X, job.ids, job.codes, classes, graph=graph, rng=rng
            )
            kind = "full"
        else:
            model = copy.deepcopy(prev.model)
            y_new = np.asarray([classes[code] for code in job.codes[np.isin(job.ids, job.new_ids)]])
            new_ids = job.ids[np.isin(job.ids, job.new_ids)]
            model.partial_fit(take_rows(cfg.X, new_ids), y_new)
            kind = "partial"
        t1 = time.perf_counter()
        if kind == "full" and cfg.cv >= 2 and job.ids.size >= 10:
            cv_ids, cv_codes = job.ids, job.codes
            cv_proba = cv_predict(
                cfg.estimator, cfg.X, job.ids, job.codes, classes, code_of,
                n_folds=min(cfg.cv, job.ids.size), graph=cfg.graph(), rng=rng,
            )
        elif kind == "partial" and prev is not None:
            cv_ids, cv_codes, cv_proba = prev.cv_ids, prev.cv_codes, prev.cv_proba
        else:
            cv_ids, cv_codes = np.empty(0, np.int64), np.empty(0, np.int64)
            cv_proba = np.empty((0, len(classes)))
        t2 = time.perf_counter()
        proba = pool_proba(model, cfg.X, code_of, len(classes))
        scores = score_pool(cfg.strategy, proba)
        ranked = top_k(scores, min(RANKED, scores.shape[0]))
        t3 = time.perf_counter()
    confidence = proba.max(axis=1)
    predicted = proba.argmax(axis=1)
    for arr in (proba, scores, confidence, predicted):
        arr.flags.writeable = False
    valid = ~np.isnan(cv_proba).any(axis=1)
    cv_conf = np.full(cv_ids.size, np.nan)
    cv_conf[valid] = cv_proba[valid].max(axis=1) if valid.any() else cv_conf[valid]
    cv_correct = np.nan_to_num(cv_proba, nan=-1.0).argmax(axis=1) == cv_codes
    threshold, status = threshold_for(
        cfg, cv_conf, cv_correct, job.spot_scores, job.spot_correct
    )
    snap = Snapshot(
        refit=refit_no,
        label_version=job.label_version,
        model=model,
        classes=classes,
        proba=proba,
        scores=scores,
        confidence=confidence,
        predicted=predicted,
        n_labels=int(job.ids.size),
        last_full_n=int(job.ids.size) if kind == "full" or prev is None else prev.last_full_n,
        cv_ids=cv_ids,
        cv_codes=cv_codes,
        cv_proba=cv_proba,
        threshold=threshold,
        threshold_status=status,
        trained_ids=job.ids,
        ranked=ranked,
    )
    row = {
        "refit": refit_no,
        "n_labels": int(job.ids.size),
        "n_classes": len(classes),
        "kind": kind,
        "cv_accuracy": float(cv_correct[valid].mean()) if kind == "full" and valid.any()
        else float("nan"),
        "fit_seconds": t1 - t0,
        "cv_seconds": t2 - t1,
        "score_seconds": t3 - t2,
        "refit_seconds": t3 - t0,
        "threshold": float("nan") if threshold is None else threshold,
        "error": None,
    }
    return snap, row
