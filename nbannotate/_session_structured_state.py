"""What a structured session tells about itself: its task, the item shown and why, the
latest model, the suggestions and records on screen, and the items skipped.

A mixin of :class:`~nbannotate._session_structured.StructuredSession` (its state lives
there).

Examples
--------
>>> session = label(docs, task="spans", labels=["PER", "LOC"])  # doctest: +SKIP
>>> session.task, session.current, session.reason                # doctest: +SKIP
('spans', 0, 'cold')
>>> [s["label"] for s in session.suggestions]                    # doctest: +SKIP
['PER']
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

__all__ = ["StructuredStateMixin"]


class StructuredStateMixin:
    """Public state of a structured session (read-only properties)."""

    _lock: threading.RLock
    _factory: Any
    _current: int | None
    _reason: str
    _ids: list[Hashable]
    _skipped: set[int]
    _runner: Any
    _task: Any

    @property
    def task(self) -> str:
        """The task's name (``"spans"``, ``"regions"``, ``"boxes"``, ``"keypoints"``)."""
        return str(self._factory.name)

    @property
    def current(self) -> Hashable | None:
        """Id of the item shown (its position, or its id from ``ids=``); None when finished."""
        with self._lock:
            return None if self._current is None else self._ids[self._current]

    @property
    def reason(self) -> str:
        """Why the current item is shown: ``"cold"`` (no model yet: pool order),
        ``"model"`` (the model is least sure of it), ``"again"`` (after Back) or
        ``"review"`` (asked for with :meth:`show`)."""
        return self._reason

    @property
    def finished(self) -> bool:
        """True when no item is left to show."""
        return self._current is None

    @property
    def model(self) -> Any:
        """The latest fitted model (None before the first refit finishes)."""
        return self._runner.model

    @property
    def suggestions(self) -> list[dict[str, Any]]:
        """The suggestions on the item shown that await review (model records with scores)."""
        return self._task.suggestions()

    @property
    def records(self) -> list[dict[str, Any]]:
        """The person's records on the item shown, as the annotator has them now."""
        return self._task.records()

    @property
    def skipped(self) -> list[Hashable]:
        """Ids of the items skipped (they are not shown again)."""
        with self._lock:
            return [self._ids[p] for p in sorted(self._skipped)]
