"""What a structured session reports: counts, every annotation with its origin, the
suggestions not taken, the edits saved, and the side panel that shows them.

A mixin of :class:`~nbannotate.session._structured.StructuredSession` (its state lives
there: ``_answers``, ``_reviews``, ``_labeled``, ``_auto``, ``_skipped``, ``_runner``).
"""

from __future__ import annotations

import math
import threading
from typing import Any

import pandas as pd

from ._panel import StructuredPanel, model_text
from ._review import edit_counts, labels_frame, origin_of, rejected_frame

__all__ = ["ReportsMixin"]


class ReportsMixin:
    """Counts, :attr:`labels`, :attr:`rejected`, :attr:`edits` and the panel."""

    _lock: threading.RLock
    _closed: bool
    _pool: Any
    _ids: list[Any]
    _ids_given: bool
    _pos_of: dict[str, int]
    _labeled: set[int]
    _auto: set[int]
    _skipped: set[int]
    _answers: dict[int, list[dict[str, Any]]]
    _reviews: dict[int, dict[str, Any]]
    _runner: Any
    _task: Any
    store: Any
    dashboard: StructuredPanel

    @property
    def counts(self) -> dict[str, int]:
        """Items done by a person (``human``), auto-accepted (``auto``), neither
        (``remaining``), and skipped."""
        with self._lock:
            left = len(self._pool) - len(self._labeled | self._auto | self._skipped)
            return {"human": len(self._labeled), "auto": len(self._auto), "remaining": left,
                    "skipped": len(self._skipped)}

    @property
    def labels(self) -> pd.DataFrame:
        """Every stored annotation, one row each, in pool order.

        Columns ``item_id`` (the item's position, or its id from ``ids=``), ``id`` (the
        record's id), ``kind`` (``"span"``, ``"region"``, ``"box"``, ``"keypoint"``),
        ``label``, ``origin`` (``"human"``: drawn from scratch; ``"accepted"``: a suggestion
        accepted as it was or edited; ``"auto"``: auto-accepted), ``score`` (the
        suggestion's score for accepted and auto annotations, NaN for drawn ones),
        ``edited`` (an accepted suggestion that was changed), then the task's fields
        (``start, end, text`` for spans; ``start, end`` for regions; ``x, y, w, h`` for boxes;
        ``x, y, visible, box_id`` for keypoints).
        """
        table = self.store.annotations()
        rows = []
        for key, kind, record in zip(table["item_id"], table["kind"], table["record"],
                                     strict=True):
            pos = self._pos_of.get(str(key))
            if pos is not None:
                rows.append((pos, kind, record))
        rows.sort(key=lambda row: row[0])  # stable: records keep their order in the item
        return labels_frame([(self._ids[p], k, r) for p, k, r in rows],
                            lambda item: self._reviews.get(self._pos_of[str(item)]),
                            self._task.columns, ids_given=self._ids_given)

    def annotations(self, *, auto: bool = True) -> dict[Any, list[dict[str, Any]]]:
        """The records of every item done (and auto-accepted, with ``auto=True``), by item
        id in pool order: what exporters take. An item done with nothing to annotate has an
        empty list.

        Examples
        --------
        >>> from nbannotate.formats import to_conll
        >>> done = session.annotations()  # doctest: +SKIP
        >>> to_conll([{"text": docs[i], "spans": spans} for i, spans in done.items()])
        ... # doctest: +SKIP
        """
        with self._lock:
            chosen = self._labeled | (self._auto if auto else set())
            return {self._ids[pos]: [dict(r) for r in self._answers.get(pos, [])]
                    for pos in sorted(chosen)}

    @property
    def rejected(self) -> pd.DataFrame:
        """Suggestions shown and not accepted: ``item_id, id, label, score, how``
        (``"rejected"``, or ``"ignored"``: still awaiting review at Done) and the task's
        fields."""
        with self._lock:
            rows = [(self._ids[pos], review, {str(r["id"]) for r in self._answers.get(pos, [])})
                    for pos, review in sorted(self._reviews.items()) if "suggested" in review]
        return rejected_frame(rows, self._task.columns, ids_given=self._ids_given)

    @property
    def edits(self) -> dict[str, Any]:
        """Annotations by origin (``human``, ``accepted``, of which ``edited``, ``auto``),
        suggestions ``rejected`` and ``ignored``, and ``accepted_fraction`` = accepted /
        (accepted + human): the share of the person's annotations taken from a suggestion
        instead of drawn from scratch."""
        return edit_counts(self.labels, self.rejected)

    def _refresh_panel(self) -> None:
        if self._closed:
            return
        self.dashboard.show_counts(**self.counts)
        self.dashboard.show_edits(self._edit_counts())
        history = self._runner.history
        seconds = history[-1].fit_seconds if history else math.nan
        error = self._runner.last_error
        self.dashboard.show_model(model_text(busy=self._runner.busy,
                                             n_trained=self._runner.n_trained,
                                             rounds=self._runner.rounds, error=error,
                                             fit_seconds=seconds), error=bool(error))

    def _edit_counts(self) -> dict[str, Any]:
        """:attr:`edits` from memory (no store read): cheap enough for every answer."""
        counts = {"human": 0, "accepted": 0, "edited": 0, "auto": 0, "rejected": 0,
                  "ignored": 0}
        for pos, records in self._answers.items():
            review = self._reviews.get(pos)
            kept = set()
            for record in records:
                origin, _, edited = origin_of(record, review)
                counts[origin] += 1
                counts["edited"] += int(edited)
                kept.add(str(record["id"]))
            if review and "suggested" in review:
                left = set(review.get("left") or ())
                for rid in review["suggested"]:
                    if rid not in kept:
                        counts["ignored" if rid in left else "rejected"] += 1
        settled = counts["human"] + counts["accepted"]
        return {**counts, "accepted_fraction": counts["accepted"] / settled if settled
                else math.nan}
