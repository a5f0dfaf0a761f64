"""What an ActiveLearner tells about itself: classes, labels, probabilities, history, status.

:class:`LearnerOutputs` is a read-only view over a
:class:`~nbannotate.active._labels.LabelBook` and the snapshot of a
:class:`~nbannotate.active._scheduler.RefitScheduler`, read together under the learner's
lock; it never waits for a refit. The learner's properties and ``predict_proba`` /
``uncertainty`` are answered here.

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from nbannotate.active import ActiveLearner
>>> learner = ActiveLearner(LogisticRegression(), np.eye(4), cv=0)
>>> learner.n_items, learner.model is None, learner.predict_proba() is None
(4, True, True)
>>> learner.teach([0, 3], ["a", "b"])
>>> learner.labels["label"].tolist()
['a', 'b']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._labels import LabelBook
from ._scheduler import RefitScheduler

__all__ = ["HISTORY_COLUMNS", "LearnerOutputs"]

HISTORY_COLUMNS = [
    "refit", "n_labels", "n_classes", "kind", "cv_accuracy", "fit_seconds", "cv_seconds",
    "score_seconds", "refit_seconds", "threshold", "n_auto", "error", "finished_at",
]


class LearnerOutputs:
    """The read side of a learner (see the module docstring).

    Parameters
    ----------
    lock : threading.RLock
        The lock guarding ``labels`` and ``scheduler``.
    labels : LabelBook
    scheduler : RefitScheduler
    n_items : int
        Pool size.
    auto_configured : bool
        Whether auto-labeling was asked for (a target precision or a fixed threshold).
    """

    def __init__(self, lock: Any, labels: LabelBook, scheduler: RefitScheduler, *,
                 n_items: int, auto_configured: bool) -> None:
        self._lock = lock
        self._labels = labels
        self._scheduler = scheduler
        self._n = n_items
        self._auto_configured = auto_configured

    def classes(self) -> list[Any]:
        with self._lock:
            return list(self._labels.classes)

    def n_human(self) -> int:
        with self._lock:
            return self._labels.n_human

    def model(self) -> Any | None:
        snap = self._scheduler.snapshot
        return None if snap is None else snap.model

    def threshold(self) -> float | None:
        snap = self._scheduler.snapshot
        return None if snap is None else snap.threshold

    def auto_label_status(self) -> str:
        with self._lock:
            snap = self._scheduler.snapshot
            n_classes = int(np.count_nonzero(self._labels.counts()))
        if snap is None:
            return (f"no model yet: teach labels of at least two classes ({n_classes} so far)"
                    if self._auto_configured
                    else "auto-labeling is off (set auto_label_precision or auto_label_threshold)")
        return snap.threshold_status

    def history(self) -> pd.DataFrame:
        return pd.DataFrame(self._scheduler.history_rows(), columns=HISTORY_COLUMNS)

    def labels(self) -> pd.DataFrame:
        """Human rows (score NaN) and, with a threshold in force, auto rows; by id."""
        with self._lock:
            human = self._labels.human_rows()
            snap, labeled = self._scheduler.snapshot, self._labels.labeled()
        frames = [pd.DataFrame({
            "id": np.array([i for i, _ in human], dtype=np.int64),
            "label": pd.Series([lab for _, lab in human], dtype=object),
            "source": "human", "score": np.nan,
        })]
        if snap is not None and snap.threshold is not None:
            auto = snap.auto_frame(labeled, snap.threshold)
            auto["source"] = "auto"
            frames.append(auto[["id", "label", "source", "score"]])
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return out.sort_values("id", kind="stable").reset_index(drop=True)

    def predict_proba(self) -> np.ndarray | None:
        """Pool probabilities, one column per class (zeros for classes the model has not
        seen yet); None before the first model."""
        with self._lock:
            snap, n_classes = self._scheduler.snapshot, self._labels.n_classes
        if snap is None:
            return None
        if snap.proba.shape[1] == n_classes:
            return snap.proba
        out = np.zeros((self._n, n_classes))
        out[:, : snap.proba.shape[1]] = snap.proba
        return out

    def uncertainty(self) -> np.ndarray:
        """The strategy's score per item; NaN everywhere before the first model."""
        snap = self._scheduler.snapshot
        return np.full(self._n, np.nan) if snap is None else snap.scores
