"""Label quality for an ActiveLearner: auto-labels, precision estimates, spot-checks, suspects.

:class:`QualityEstimator` reads the human labels (a
:class:`~nbannotate.active._labels.LabelBook`) and the model snapshot of a
:class:`~nbannotate.active._scheduler.RefitScheduler` under the learner's lock, and answers
how good the model's labels are: from the cross-validated predictions of the human labels
(estimated) and from verified spot-checks (measured).

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from nbannotate.active import ActiveLearner
>>> X = np.r_[np.zeros((20, 2)), np.ones((20, 2))] + np.random.default_rng(0).random((40, 2))
>>> learner = ActiveLearner(LogisticRegression(), X, cv=0)
>>> learner.teach([0, 39], ["low", "high"]); learner.refit(wait=True)
>>> len(learner.auto_labels(threshold=0.5)) == 38
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _checks
from ._labels import LabelBook
from ._scheduler import RefitScheduler
from .precision import PrecisionEstimate, binomial_interval, precision_at

__all__ = ["QualityEstimator", "measured"]

#: The threshold used when auto-labeling is off and none is given.
DEFAULT_THRESHOLD = 0.95


def measured(spots: list[tuple[bool, float]], threshold: float, conf: float) -> dict[str, Any]:
    """Precision of the spot-checks whose model score was >= ``threshold``, with its
    Clopper-Pearson interval at ``conf``, as ``measured_*`` fields.

    Examples
    --------
    >>> measured([(True, 0.99), (False, 0.97), (True, 0.5)], 0.9, 0.9)["measured_precision"]
    0.5
    """
    hits = [ok for ok, score in spots if score >= threshold]
    n, k = len(hits), int(sum(hits))
    lo, hi = binomial_interval(k, n, conf)
    return {"measured_n": n, "measured_correct": k,
            "measured_precision": k / n if n else float("nan"),
            "measured_lower": lo, "measured_upper": hi}


class QualityEstimator:
    """How good the model's labels are (see the module docstring).

    Parameters
    ----------
    lock : threading.RLock
        The lock guarding ``labels`` and ``scheduler``.
    labels : LabelBook
    scheduler : RefitScheduler
    confidence : float
        Two-sided level of the precision intervals.
    auto_configured : bool
        Whether auto-labeling was asked for: then ``threshold=None`` means the threshold in
        force (none while the target is not met), else 0.95.
    """

    def __init__(self, lock: Any, labels: LabelBook, scheduler: RefitScheduler, *,
                 confidence: float, auto_configured: bool) -> None:
        self._lock = lock
        self._labels = labels
        self._scheduler = scheduler
        self._confidence = confidence
        self._auto_configured = auto_configured

    def auto_labels(self, threshold: float | None = None) -> pd.DataFrame:
        """Model labels of unlabeled items at confidence >= threshold: id, label, score."""
        with self._lock:
            snap, labeled = self._scheduler.snapshot, self._labels.labeled()
        if threshold is None:
            in_force = None if snap is None else snap.threshold
            threshold = in_force if self._auto_configured else DEFAULT_THRESHOLD
        else:
            threshold = _checks.check_threshold(threshold)
        if snap is None or threshold is None:
            return pd.DataFrame({"id": np.empty(0, np.int64),
                                 "label": pd.Series([], dtype=object), "score": np.empty(0)})
        return snap.auto_frame(labeled, threshold)

    def estimated_precision(self, threshold: float | None = None, *,
                            confidence: float | None = None) -> PrecisionEstimate:
        """Held-out precision at ``threshold`` (default: in force), coverage, spot-checks."""
        with self._lock:
            snap, labeled = self._scheduler.snapshot, self._labels.labeled()
            spots = self._labels.spot_checks()
        if threshold is None:
            threshold = None if snap is None else snap.threshold
            if threshold is None:
                raise ValueError("no threshold in force; pass threshold=, e.g. 0.95")
        threshold = _checks.check_threshold(threshold)
        conf = self._confidence if confidence is None else float(confidence)
        if snap is None:
            est = precision_at(np.empty(0), np.empty(0, bool), threshold, confidence=conf)
            coverage = float("nan")
        else:
            cv_conf = snap.cv_confidence
            valid = ~np.isnan(cv_conf)
            est = precision_at(cv_conf[valid], snap.cv_correct[valid], threshold,
                               confidence=conf)
            free = ~labeled
            coverage = float(np.count_nonzero((snap.confidence >= threshold) & free)
                             / max(1, np.count_nonzero(free)))
        found = measured(spots, threshold, conf)
        return PrecisionEstimate(**{**est.as_dict(), "coverage": coverage, **found})

    def measured_precision(self, threshold: float = 0.0) -> PrecisionEstimate:
        """Precision measured on the spot-checks scored >= ``threshold``."""
        with self._lock:
            spots = self._labels.spot_checks()
        m = measured(spots, float(threshold), self._confidence)
        return PrecisionEstimate(
            threshold=float(threshold), precision=m["measured_precision"],
            lower=m["measured_lower"], upper=m["measured_upper"], n=m["measured_n"],
            n_correct=m["measured_correct"], confidence=self._confidence, **m)

    def spot_check(self, k: int, threshold: float | None, seed: int) -> list[int]:
        """``k`` auto-labeled items drawn at random (with ``seed``) for a person to verify."""
        if threshold is None:
            snap = self._scheduler.snapshot
            in_force = None if snap is None else snap.threshold
            threshold = in_force if in_force is not None else DEFAULT_THRESHOLD
        ids = self.auto_labels(threshold)["id"].to_numpy()
        rng = np.random.default_rng(seed)
        return [int(i) for i in rng.choice(ids, size=min(k, ids.size), replace=False)]

    def suspects(self, min_score: float) -> pd.DataFrame:
        """Human labels the held-out model confidently contradicts, most confident first."""
        min_score = _checks.check_threshold(min_score)
        with self._lock:
            snap = self._scheduler.snapshot
            human = self._labels.human()
            classes = self._labels.classes
        cols = ["id", "label", "predicted", "score"]
        if snap is None:
            return pd.DataFrame(columns=cols)
        if snap.cv_ids.size:
            ids, proba = snap.cv_ids, snap.cv_proba
        else:
            ids = np.fromiter(human.keys(), np.int64, len(human))
            proba = snap.proba[ids]
        rows = []
        for i, p in zip(ids.tolist(), proba, strict=True):
            if i not in human or np.isnan(p).any():
                continue
            pred = int(np.argmax(p))
            if pred != human[i] and p[pred] >= min_score:
                rows.append((i, classes[human[i]], snap.classes[pred], float(p[pred])))
        out = pd.DataFrame(rows, columns=cols)
        return out.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
