"""What a whole-item (``task="classify"``) session tells about itself: the item shown and why,
the model's guess, counts, spot-check mode and every label.

A mixin of :class:`~nbannotate.session._classify.ClassifySession` (its state lives there).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from ._tasks import Suggestion

__all__ = ["ClassifyStateMixin"]


class ClassifyStateMixin:
    """Public state of a classify session."""

    _lock: threading.RLock
    _reason: str
    _suggestion: Suggestion | None
    _ids: list[Hashable]
    _ids_given: bool
    _skipped: set[int]
    _pool: Any
    _queue: Any
    _task: Any
    learner: Any
    dashboard: Any

    @property
    def reason(self) -> str:
        """Why the current item is shown: ``"cold"`` (no model yet: a diverse pick),
        ``"model"`` (most uncertain), ``"spot"`` (a spot-check of an auto-label) or
        ``"again"`` (after an undo)."""
        return self._reason

    @property
    def suggestion(self) -> Suggestion | None:
        """The model's guess for the current item (label and probability), if any."""
        return self._suggestion

    @property
    def counts(self) -> dict[str, int]:
        """Items labeled by a person (``human``), auto-labeled (``auto``), neither
        (``remaining``), and skipped."""
        human = self.learner.n_human
        auto = len(self.learner.auto_labels()) if self.learner.threshold is not None else 0
        return {"human": human, "auto": auto, "remaining": len(self._pool) - human - auto,
                "skipped": len(self._skipped)}

    @property
    def spot_check(self) -> bool:
        """Spot-check mode: every other item is a random auto-labeled item to verify; the
        answers measure the real precision of auto-labels (the dashboard's switch)."""
        return self._queue.spot_mode

    @spot_check.setter
    def spot_check(self, on: bool) -> None:
        if not isinstance(on, bool):
            raise TypeError(f"spot_check must be True or False, got {on!r}")
        self.dashboard.spot_check.value = on  # the observer switches the mode

    def _spot_toggled(self, change: dict[str, Any]) -> None:
        with self._lock:
            self._queue.set_spot_mode(bool(change["new"]))

    @property
    def labels(self) -> pd.DataFrame:
        """Every label: human labels from the store, auto-labels from the learner.

        Columns ``id`` (the item's position or id), ``label``, ``source`` (``"human"`` or
        ``"auto"``) and ``score`` (the model's probability for auto-labels, NaN for human
        labels), ordered by item position.
        """
        answers, _ = self._stored_answers()
        human_pos = {pos for pos, _ in answers}
        rows = [(pos, self._task.learner_label(a), "human", np.nan) for pos, a in answers]
        auto = self.learner.auto_labels() if self.learner.threshold is not None else None
        if auto is not None:
            rows += [(int(i), lab, "auto", float(s))
                     for i, lab, s in zip(auto["id"], auto["label"], auto["score"], strict=True)
                     if int(i) not in human_pos]
        rows.sort(key=lambda row: row[0])
        return pd.DataFrame({
            "id": pd.Series([self._ids[r[0]] for r in rows],
                            dtype=object if self._ids_given else "int64"),
            "label": pd.Series([r[1] for r in rows], dtype=object),
            "source": pd.Series([r[2] for r in rows], dtype=object),
            "score": pd.Series([r[3] for r in rows], dtype="float64"),
        })
