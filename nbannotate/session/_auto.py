"""Auto-accept for structured sessions: store the model's sure records, only when asked.

:class:`AutoAccept` stores the latest model's records on items nobody has labeled, as
``source="auto"``, and removes them again. The session calls it (``Session.auto_accept``,
``Session.remove_auto``, the panel's buttons) and keeps the queue and the panel in step.

Examples
--------
>>> import pathlib, tempfile
>>> from nbannotate.session._model_runner import Prediction
>>> from nbannotate.session._review_log import ReviewLog, SessionState
>>> from nbannotate.session._tasks_structured import SpanTask
>>> from nbannotate.store import Store
>>> docs = ["Anna met Boris.", "Oslo is cold."]
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
>>> log = ReviewLog(store, ["0", "1"], SessionState())
>>> policy = AutoAccept(store, log, SpanTask(["PER", "LOC"], {}, docs[0]), docs.__getitem__,
...                     ["0", "1"], annotator=None)
>>> sure = {1: Prediction([{"id": "s1", "start": 0, "end": 4, "label": "LOC",
...                         "score": 0.97}], 0.03, 1)}
>>> policy.accept(sure, threshold=0.9, skip=lambda pos: False)
(1, 1)
>>> sorted(log.auto), store.get("1")[0]["source"]
([1], 'auto')
>>> policy.remove([1])
1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from numbers import Real
from typing import Any

from ._review import now_text
from ._review_log import ReviewLog

__all__ = ["AutoAccept", "check_fraction"]


class AutoAccept:
    """Store a structured model's sure records as ``source="auto"``, or remove them.

    Parameters
    ----------
    store : Store
    log : ReviewLog
        Where the auto-accepted items, their records and reviews are kept.
    task : StructuredTask
        Gives the store's validation context of an item (``item_context``).
    get_item : callable
        ``get_item(position) -> item``.
    keys : list of str
        The store key of each item, by position.
    annotator : str or None
        Who is labeling (recorded in the store's history).
    """

    def __init__(self, store: Any, log: ReviewLog, task: Any, get_item: Callable[[int], Any],
                 keys: list[str], *, annotator: str | None) -> None:
        self.store = store
        self.log = log
        self.task = task
        self.get_item = get_item
        self.keys = keys
        self.annotator = annotator

    def accept(self, predictions: dict[int, Any], *, threshold: float,
               max_uncertainty: float | None = None,
               skip: Callable[[int], bool]) -> tuple[int, int]:
        """Auto-accept the items whose every predicted record scores at least ``threshold``
        (and whose uncertainty is at most ``max_uncertainty``); ``skip(pos)`` leaves an item
        out. Returns ``(items, records)`` stored."""
        items = records = 0
        for pos, prediction in sorted(predictions.items()):
            if skip(pos) or not prediction.records:
                continue
            if any(float(r.get("score", 0.0)) < threshold for r in prediction.records):
                continue
            if max_uncertainty is not None and prediction.uncertainty > max_uncertainty:
                continue
            found = [{**r, "source": "auto"} for r in prediction.records]
            context = self.task.item_context(self.get_item(pos))
            kind = context.pop("kind")
            try:
                stored = self.store.replace(self.keys[pos], found, annotator=self.annotator,
                                            kind=kind, **context)
            except (TypeError, ValueError):
                continue  # a prediction that does not fit its item is left for a person
            self.log.add_auto(pos, stored, {"auto": True, "threshold": threshold,
                                            "at": now_text()})
            items, records = items + 1, records + len(stored)
        return items, records

    def remove(self, positions: Iterable[int]) -> int:
        """Remove the auto-accepted records of these items; returns how many had some."""
        removed = 0
        for pos in positions:
            if pos not in self.log.auto:
                continue
            self.store.replace(self.keys[pos], [], annotator=self.annotator)
            self.log.remove_auto(pos)
            removed += 1
        return removed


def check_fraction(value: Any, name: str) -> float:
    """``value`` as a float in [0, 1], or a ValueError naming ``name``.

    Examples
    --------
    >>> check_fraction(1.5, "threshold")
    Traceback (most recent call last):
    ...
    ValueError: threshold must be a number in [0, 1], got 1.5
    """
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)
