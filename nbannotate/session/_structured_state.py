"""What a structured session tells about itself: its task, the item shown and why, the
latest model, and the suggestions and records on screen (the item shown and the items
skipped: :mod:`nbannotate.session._common`).

A mixin of :class:`~nbannotate.session._structured.StructuredSession` (its state lives
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

from typing import Any

__all__ = ["StructuredStateMixin"]


class StructuredStateMixin:
    """Public state of a structured session (read-only properties)."""

    _factory: Any
    _reason: str
    _runner: Any
    _task: Any

    @property
    def task(self) -> str:
        """The task's name (``"spans"``, ``"regions"``, ``"boxes"``, ``"keypoints"``)."""
        return str(self._factory.name)

    @property
    def reason(self) -> str:
        """Why the current item is shown: ``"cold"`` (no model yet: pool order),
        ``"model"`` (the model is least sure of it), ``"again"`` (after Back) or
        ``"review"`` (asked for with :meth:`show`)."""
        return self._reason

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
