"""What an ActiveLearner tells about itself: classes, labels, model, probabilities, history.

The read side of :class:`~nbannotate.active.ActiveLearner`: every property and output here
reads the latest finished refit (a :class:`~nbannotate.active._state.Snapshot`) and the
labels under the learner's lock, and never waits for a refit.

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

from ._refit import RefitConfig
from ._state import Snapshot

__all__ = ["OutputsMixin"]

_HISTORY_COLUMNS = [
    "refit", "n_labels", "n_classes", "kind", "cv_accuracy", "fit_seconds", "cv_seconds",
    "score_seconds", "refit_seconds", "threshold", "n_auto", "error", "finished_at",
]


class OutputsMixin:
    """The read side of :class:`~nbannotate.active.ActiveLearner` (state lives there)."""

    _lock: Any
    _n: int
    _classes: list[Any]
    _human: dict[int, int]
    _labeled: np.ndarray
    _semi: bool
    _cfg: RefitConfig
    _snap: Snapshot | None
    _history: list[dict[str, Any]]
    _last_error: BaseException | None

    # ------------------------------------------------------------------ properties
    @property
    def classes_(self) -> list[Any]:
        """Classes declared with ``labels=`` or seen so far, in that order."""
        with self._lock:
            return list(self._classes)

    @property
    def n_items(self) -> int:
        """Size of the pool."""
        return self._n

    @property
    def n_human(self) -> int:
        """Number of human labels (spot-checks included)."""
        with self._lock:
            return len(self._human)

    @property
    def is_training(self) -> bool:
        """True while a background refit is running or pending."""
        with self._lock:
            return self._running  # type: ignore[attr-defined]  # declared by RefitMixin

    @property
    def last_error(self) -> BaseException | None:
        """Exception of the last refit if it failed, else None (cleared by a successful one)."""
        with self._lock:
            return self._last_error

    @property
    def model(self) -> Any | None:
        """The fitted estimator in service (None before the first successful refit)."""
        with self._lock:
            return None if self._snap is None else self._snap.model

    @property
    def semi_supervised(self) -> bool:
        """Whether refits learn from the unlabeled pool (see the class docstring)."""
        return self._semi

    @property
    def threshold(self) -> float | None:
        """Auto-label threshold in force (None when auto-labeling is off or not possible yet)."""
        with self._lock:
            return None if self._snap is None else self._snap.threshold

    @property
    def auto_label_status(self) -> str:
        """One sentence: is the learner auto-labeling, at which threshold, and if not, why."""
        with self._lock:
            snap = self._snap
            n_classes = len({*self._human.values()})
        if snap is None:
            return (f"no model yet: teach labels of at least two classes ({n_classes} so far)"
                    if self._cfg.auto_label_precision or self._cfg.auto_label_threshold
                    else "auto-labeling is off (set auto_label_precision or auto_label_threshold)")
        return snap.threshold_status

    @property
    def history(self) -> pd.DataFrame:
        """One row per finished refit: n_labels, kind (full/partial/failed), cv_accuracy,
        fit/cv/score/refit seconds, threshold, n_auto, error, finished_at (Unix time)."""
        with self._lock:
            rows = list(self._history)
        return pd.DataFrame(rows, columns=_HISTORY_COLUMNS)

    @property
    def labels(self) -> pd.DataFrame:
        """All labels: columns id, label, source ("human"/"auto"), score.

        Human rows have score NaN; auto rows exist only when auto-labeling is on (they are
        recomputed at every refit and never cover a human-labeled item). Sorted by id.
        """
        with self._lock:
            human = [(i, self._classes[c]) for i, c in self._human.items()]
            snap, labeled = self._snap, self._labeled.copy()
        frames = [pd.DataFrame({
            "id": np.array([i for i, _ in human], dtype=np.int64),
            "label": pd.Series([lab for _, lab in human], dtype=object),
            "source": "human", "score": np.nan,
        })]
        if snap is not None and snap.threshold is not None:
            auto = self._auto_frame(  # type: ignore[attr-defined]
                snap, labeled, snap.threshold)
            auto["source"] = "auto"
            frames.append(auto[["id", "label", "source", "score"]])
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return out.sort_values("id", kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ model outputs
    def predict_proba(self) -> np.ndarray | None:
        """Latest pool probabilities, shape (n_items, len(classes_)), read-only; None before
        the first model. Classes the model has not seen yet get a column of zeros."""
        with self._lock:
            snap, n_classes = self._snap, len(self._classes)
        if snap is None:
            return None
        if snap.proba.shape[1] == n_classes:
            return snap.proba
        out = np.zeros((self._n, n_classes))
        out[:, : snap.proba.shape[1]] = snap.proba
        return out

    def uncertainty(self) -> np.ndarray:
        """Per-item score of the active strategy from the latest model (higher = more
        informative, why an item was chosen); NaN everywhere before the first model."""
        with self._lock:
            snap = self._snap
        return np.full(self._n, np.nan) if snap is None else snap.scores
