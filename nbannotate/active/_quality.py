"""Auto-labels, precision estimates, spot-checks and suspects for ActiveLearner."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _checks
from ._state import Snapshot
from .precision import PrecisionEstimate, binomial_interval, precision_at

__all__ = ["QualityMixin"]


class QualityMixin:
    """The label-quality half of :class:`~nbannotate.active.ActiveLearner`."""

    _lock: Any

    def _n_auto(self, snap: Snapshot, labeled: np.ndarray) -> int:
        if snap.threshold is None:
            return 0
        return int(np.count_nonzero((snap.confidence >= snap.threshold) & ~labeled))

    def _auto_frame(self, snap: Snapshot, labeled: np.ndarray, threshold: float) -> pd.DataFrame:
        ids = np.flatnonzero((snap.confidence >= threshold) & ~labeled)
        classes = np.empty(len(snap.classes), dtype=object)
        classes[:] = list(snap.classes)
        return pd.DataFrame({"id": ids.astype(np.int64),
                             "label": pd.Series(classes[snap.predicted[ids]], dtype=object),
                             "score": snap.confidence[ids].astype(float)})

    def auto_labels(self, threshold: float | None = None) -> pd.DataFrame:
        """Model labels for unlabeled items whose confidence >= threshold: columns id, label,
        score. Human-labeled items are never included.

        ``threshold=None`` uses the threshold in force (:attr:`threshold`; empty when a target
        precision is not met yet), or 0.95 when auto-labeling is off.
        """
        with self._lock:
            snap, labeled = self._snap, self._labeled.copy()
        if threshold is None:
            configured = self._cfg.auto_label_precision or self._cfg.auto_label_threshold
            threshold = (snap.threshold if snap is not None else None) if configured else 0.95
        else:
            threshold = _checks.check_threshold(threshold)
        if snap is None or threshold is None:
            return pd.DataFrame({"id": np.empty(0, np.int64),
                                 "label": pd.Series([], dtype=object), "score": np.empty(0)})
        return self._auto_frame(snap, labeled, threshold)

    def estimated_precision(
        self, threshold: float | None = None, *, confidence: float | None = None
    ) -> PrecisionEstimate:
        """Estimated precision of auto-labels at ``threshold`` (default: the one in force).

        From the cross-validated predictions of the human labels at or above the threshold,
        with a Clopper-Pearson interval; also the pool coverage and the precision measured on
        spot-checks. See :class:`~nbannotate.active.precision.PrecisionEstimate`.
        """
        with self._lock:
            snap, labeled = self._snap, self._labeled.copy()
            spots = list(self._spot.values())
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
        m = self._measured(spots, threshold, conf)
        return PrecisionEstimate(**{**est.as_dict(), "coverage": coverage, **m})

    @staticmethod
    def _measured(spots: list[tuple[Any, float]], threshold: float, conf: float) -> dict:
        hits = [ok for ok, score in spots if score >= threshold]
        n, k = len(hits), int(sum(hits))
        lo, hi = binomial_interval(k, n, conf)
        return {"measured_n": n, "measured_correct": k,
                "measured_precision": k / n if n else float("nan"),
                "measured_lower": lo, "measured_upper": hi}

    def measured_precision(self, threshold: float = 0.0) -> PrecisionEstimate:
        """Precision of auto-labels measured on spot-checks (``teach(..., source="spot_check")``)
        whose model score was >= threshold; fields ``n``, ``precision``, ``lower``, ``upper``."""
        with self._lock:
            spots = list(self._spot.values())
        m = self._measured(spots, float(threshold), self._confidence)
        return PrecisionEstimate(
            threshold=float(threshold), precision=m["measured_precision"],
            lower=m["measured_lower"], upper=m["measured_upper"], n=m["measured_n"],
            n_correct=m["measured_correct"], confidence=self._confidence, **m)

    def spot_check(self, k: int = 10, *, threshold: float | None = None) -> list[int]:
        """A random sample of k items the model auto-labels, for a person to verify.

        ``threshold=None`` samples the auto-labels in force, or, when auto-labeling is off or
        its target precision is not met yet, the items at confidence >= 0.95. Label them with
        ``teach(ids, labels, source="spot_check")``: that measures the real precision
        (:meth:`measured_precision`) and, with ``auto_label_precision``, lets verified
        spot-checks qualify a threshold on their own.
        """
        k = _checks.check_int("k", k, minimum=1)
        if threshold is None:
            threshold = self.threshold if self.threshold is not None else 0.95
        auto = self.auto_labels(threshold)
        with self._lock:
            seed = int(self._rng.integers(2**63))
        ids = auto["id"].to_numpy()
        rng = np.random.default_rng(seed)
        return [int(i) for i in rng.choice(ids, size=min(k, ids.size), replace=False)]

    def suspects(self, min_score: float = 0.8) -> pd.DataFrame:
        """Human labels the model confidently contradicts (possible label errors).

        Uses the held-out (cross-validated) predictions, so a label cannot vouch for itself;
        with ``cv=0``, the current model's predictions. Columns id, label, predicted, score,
        most confident first.
        """
        min_score = _checks.check_threshold(min_score)
        with self._lock:
            snap = self._snap
            human = dict(self._human)
            classes = list(self._classes)
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
