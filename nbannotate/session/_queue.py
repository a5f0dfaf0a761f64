"""Which item a Session shows next, and why: the learner's pick, spot-checks, the note.

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from nbannotate.active import ActiveLearner
>>> learner = ActiveLearner(LogisticRegression(), np.eye(4), labels=["a", "b"], cv=0)
>>> queue = Queue(learner)
>>> queue.pick(skipped=set(), labeled=set())[1]
'cold'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..widget.labels import LabelSet
from ._tasks import Suggestion

__all__ = ["Queue", "explain"]

SPOT_BATCH = 10


class Queue:
    """The next item: the learner's most informative one, or with spot-checks on, every other
    item a random auto-labeled one (``learner.spot_check``)."""

    def __init__(self, learner: Any) -> None:
        self.learner = learner
        self.spot_mode = False
        self._spot_turn = False
        self._spot_queue: list[int] = []

    def set_spot_mode(self, on: bool) -> None:
        """Switch spot-checks on or off; the next pick is a spot-check when switched on."""
        self.spot_mode = bool(on)
        self._spot_turn = False
        self._spot_queue = []

    def _next_spot(self, skipped: set[int], labeled: set[int]) -> int | None:
        while self._spot_queue:
            pos = self._spot_queue.pop(0)
            if pos not in skipped and pos not in labeled:
                return pos
        fresh = [p for p in self.learner.spot_check(SPOT_BATCH) if p not in skipped]
        if not fresh:
            return None
        self._spot_queue = fresh[1:]
        return fresh[0]

    def pick(self, *, skipped: set[int], labeled: set[int]) -> tuple[int, str] | None:
        """(position, reason) of the next item, or None when the pool is exhausted. Reasons:
        ``"spot"``, ``"model"`` (most uncertain) or ``"cold"`` (no model yet)."""
        if self.spot_mode:
            self._spot_turn = not self._spot_turn
            if self._spot_turn:
                pos = self._next_spot(skipped, labeled)
                if pos is not None:
                    return pos, "spot"
        exclude = sorted(skipped)
        ids = self.learner.next(1, exclude=exclude or None)
        if not ids:
            return None
        return ids[0], "model" if self.learner.model is not None else "cold"


def explain(learner: Any, labels: LabelSet, pos: int, reason: str,
            where: str) -> tuple[Suggestion | None, str]:
    """The model's guess for item ``pos`` and the note that says why it is shown.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from nbannotate.active import ActiveLearner
    >>> learner = ActiveLearner(LogisticRegression(), np.eye(4), labels=["a", "b"], cv=0)
    >>> explain(learner, LabelSet(["a", "b"]), 2, "cold", "item 2")
    (None, 'why this item: no model yet, a diverse pick to start · item 2')
    """
    proba = learner.predict_proba()
    suggestion = None
    if proba is not None:
        row = proba[pos]
        best = int(np.argmax(row))
        if row[best] > 0:
            suggestion = Suggestion(learner.classes_[best], float(row[best]))
    guess = ("" if suggestion is None else
             f"model guess: {labels.name_of(suggestion.label)} (p={suggestion.score:.2f})")
    if reason == "spot" and suggestion is not None:
        note = (f"spot-check of an auto-label: {guess}. Enter confirms it, or choose the "
                f"right label ({where})")
    elif reason == "again":
        note = f"undone: label {where} again" + (f" · {guess}" if guess else "")
    elif reason == "model":
        score = float(learner.uncertainty()[pos])
        threshold = learner.threshold
        confident = (suggestion is not None and threshold is not None
                     and suggestion.score >= threshold)
        note = (f"why this item: most uncertain left (uncertainty {score:.2f}) · {guess}"
                + (" · only auto-labeled items are left" if confident else "")
                + f" · {where}")
    else:
        note = f"why this item: no model yet, a diverse pick to start · {where}"
    return suggestion, note
