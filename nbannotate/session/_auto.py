"""Auto-accept for structured sessions: store the model's sure records, only when asked.

A mixin of :class:`~nbannotate.session._structured.StructuredSession`.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from numbers import Real
from typing import Any

from ._review import REVIEW_PREFIX, now_text

__all__ = ["AutoAcceptMixin"]


class AutoAcceptMixin:
    """:meth:`auto_accept` and :meth:`remove_auto`."""

    _lock: threading.RLock
    _current: int | None
    _pool: Any
    _keys: list[str]
    _who: str | None
    _auto: set[int]
    _skipped: set[int]
    _answers: dict[int, list[dict[str, Any]]]
    _reviews: dict[int, dict[str, Any]]
    _runner: Any
    _task: Any
    store: Any

    def auto_accept(self, threshold: float = 0.9, *,
                    max_uncertainty: float | None = None) -> dict[str, Any]:
        """Store the model's records on items nobody has labeled, as ``source="auto"``.

        Only when asked (this method, or the panel's button). An item is auto-accepted when
        the latest model predicts at least one record on it and **every** predicted record
        scores at least ``threshold`` (so no item is left half-annotated), and, when given,
        its uncertainty is at most ``max_uncertainty``. Its records keep their ``score``;
        the item leaves the queue. :attr:`labels` shows them with ``origin="auto"``;
        :meth:`show` brings one back for review; :meth:`remove_auto` removes them.

        Returns
        -------
        dict
            ``{"items": ..., "records": ..., "threshold": ...}``.

        Examples
        --------
        >>> session.wait_for_model(); session.auto_accept(0.95)  # doctest: +SKIP
        {'items': 12, 'records': 31, 'threshold': 0.95}
        """
        threshold = _fraction(threshold, "threshold")
        if max_uncertainty is not None:
            max_uncertainty = _fraction(max_uncertainty, "max_uncertainty")
        items = records = 0
        with self._lock:
            for pos, prediction in sorted(self._runner.predictions().items()):
                if self._blocked(pos) or pos == self._current or not prediction.records:
                    continue
                if any(float(r.get("score", 0.0)) < threshold for r in prediction.records):
                    continue
                if max_uncertainty is not None and prediction.uncertainty > max_uncertainty:
                    continue
                found = [{**r, "source": "auto"} for r in prediction.records]
                context = self._task.item_context(self._pool.get(pos))
                kind = context.pop("kind")
                try:
                    stored = self.store.replace(self._keys[pos], found, annotator=self._who,
                                                kind=kind, **context)
                except (TypeError, ValueError):
                    continue  # a prediction that does not fit its item is left for a person
                review = {"auto": True, "threshold": threshold, "at": now_text()}
                self.store.set_meta(REVIEW_PREFIX + self._keys[pos], review)
                self._answers[pos], self._reviews[pos] = stored, review
                self._auto.add(pos)
                items, records = items + 1, records + len(stored)
            self._runner.set_skip(self._auto | self._skipped)
            self._refresh_panel()
        return {"items": items, "records": records, "threshold": threshold}

    def remove_auto(self, item_ids: Sequence[Hashable] | None = None) -> dict[str, Any]:
        """Remove auto-accepted annotations (of every item, or of ``item_ids``); those items
        go back to the queue. Returns ``{"items": ...}``."""
        with self._lock:
            positions = (sorted(self._auto) if item_ids is None
                         else [self._position(i) for i in item_ids])
            removed = 0
            for pos in positions:
                if pos not in self._auto:
                    continue
                self.store.replace(self._keys[pos], [], annotator=self._who)
                self.store.set_meta(REVIEW_PREFIX + self._keys[pos], None)
                self._answers.pop(pos, None)
                self._reviews.pop(pos, None)
                self._auto.discard(pos)
                removed += 1
            self._runner.set_skip(self._auto | self._skipped)
            if self._current is None:
                self._advance()
            self._refresh_panel()
        return {"items": removed}

    def _auto_from_ui(self, threshold: float) -> str:
        result = self.auto_accept(threshold)
        if not self._runner.rounds:
            return "no model yet: submit an item first"
        return (f"auto-accepted {result['records']} annotations on {result['items']} items "
                f"(every suggestion scoring ≥ {threshold:.2f})")


def _fraction(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)
