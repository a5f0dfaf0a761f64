"""Immutable results of one refit, swapped into the learner atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RefitJob", "Snapshot"]


@dataclass(frozen=True)
class RefitJob:
    """What the background thread fits: a copy of the labels at the time it started."""

    label_version: int
    ids: np.ndarray
    codes: np.ndarray
    classes: tuple[Any, ...]
    full: bool
    new_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    spot_scores: np.ndarray = field(default_factory=lambda: np.empty(0))
    spot_correct: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))


@dataclass(frozen=True)
class Snapshot:
    """A fitted model together with everything derived from it over the pool.

    ``proba`` columns follow ``classes`` (the learner's classes when the refit started).
    ``cv_*`` arrays are aligned with ``cv_ids`` (the human labels at the last full refit).
    """

    refit: int
    label_version: int
    model: Any
    classes: tuple[Any, ...]
    proba: np.ndarray
    scores: np.ndarray
    confidence: np.ndarray
    predicted: np.ndarray
    n_labels: int
    last_full_n: int
    cv_ids: np.ndarray
    cv_codes: np.ndarray
    cv_proba: np.ndarray
    threshold: float | None
    threshold_status: str
    trained_ids: np.ndarray
    ranked: np.ndarray  # the best-scored items, best first (next() walks this, not the pool)

    @property
    def cv_confidence(self) -> np.ndarray:
        """Held-out top-class probability per CV item (NaN when not predicted)."""
        valid = ~np.isnan(self.cv_proba).any(axis=1)
        out = np.full(self.cv_ids.size, np.nan)
        if valid.any():
            out[valid] = self.cv_proba[valid].max(axis=1)
        return out

    @property
    def cv_correct(self) -> np.ndarray:
        """Whether each held-out prediction matched the human label."""
        if self.cv_proba.size == 0:
            return np.empty(0, dtype=bool)
        return np.nan_to_num(self.cv_proba, nan=-1.0).argmax(axis=1) == self.cv_codes

    def n_auto(self, labeled: np.ndarray) -> int:
        """How many unlabeled items the threshold in force auto-labels (0 without one)."""
        if self.threshold is None:
            return 0
        return int(np.count_nonzero((self.confidence >= self.threshold) & ~labeled))

    def auto_frame(self, labeled: np.ndarray, threshold: float) -> pd.DataFrame:
        """The model's label for every unlabeled item at confidence >= ``threshold``:
        columns id, label, score, by id."""
        ids = np.flatnonzero((self.confidence >= threshold) & ~labeled)
        classes = np.empty(len(self.classes), dtype=object)
        classes[:] = list(self.classes)
        return pd.DataFrame({"id": ids.astype(np.int64),
                             "label": pd.Series(classes[self.predicted[ids]], dtype=object),
                             "score": self.confidence[ids].astype(float)})
