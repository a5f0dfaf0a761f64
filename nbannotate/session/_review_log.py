"""The review log of a structured session: which items are done or auto-accepted, their
records and reviews, the undo history, and the reports made from them; how it is written to
the store and read back.

A structured session keeps, besides the records themselves (one store item per pool item):

* meta ``"done"``: the keys of the items a person submitted, oldest first (an item may be
  done with no record: "nothing to annotate here");
* meta ``"skipped"``: the keys of the items skipped (by the person, or because they could
  not be shown: meta ``"errors"`` says why);
* meta ``"review:<key>"``: each item's review (:mod:`._review`).

Items with records that are all ``source="auto"`` and not done are auto-accepted; items with
other records that are not in ``"done"`` (saved by other means) count as done.

Examples
--------
>>> import tempfile, pathlib
>>> from nbannotate.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
>>> _ = store.replace("1", [{"start": 0, "end": 2, "text": "hi", "label": "X"}], kind="span")
>>> state = read_state(store, {"0": 0, "1": 1}, ["0", "1"], ["X"], "span")
>>> sorted(state.labeled), state.order, state.orphans
([1], [1], 0)
>>> log = ReviewLog(store, ["0", "1"], state)
>>> log.state_of(1), log.counts(2, skipped=set())
('done', {'human': 1, 'auto': 0, 'remaining': 1, 'skipped': 0})
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from ._review import DONE_KEY, REVIEW_PREFIX, Visit, origin_of
from ._setup import SKIPPED_KEY

__all__ = ["ReviewLog", "SessionState", "Submitted", "read_state"]


@dataclass
class Submitted:
    """One step Back can undo: a submitted item (the records before and after it, the visit
    and the suggestions left) or a skip."""

    pos: int
    prior: list[dict[str, Any]] = field(default_factory=list)
    prior_review: dict[str, Any] | None = None
    prior_state: str = "new"  # "new", "done" or "auto"
    visit: Visit = field(default_factory=Visit)
    pending: list[dict[str, Any]] = field(default_factory=list)
    final: list[dict[str, Any]] = field(default_factory=list)
    skip: bool = False


@dataclass
class SessionState:
    """What a structured session knows about its items (positions in the pool)."""

    labeled: set[int] = field(default_factory=set)
    auto: set[int] = field(default_factory=set)
    skipped: set[int] = field(default_factory=set)
    order: list[int] = field(default_factory=list)
    answers: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    reviews: dict[int, dict[str, Any]] = field(default_factory=dict)
    history: list[Submitted] = field(default_factory=list)
    orphans: int = 0


def read_state(store: Any, pos_of: dict[str, int], keys: list[str], labels: list[str],
               primary_kind: str, *, resumed: bool = True) -> SessionState:
    """Read a session's state back from ``store``.

    Raises ValueError when a stored record of ``primary_kind`` has a label not in ``labels``.
    """
    state = SessionState()
    table = store.annotations()
    by_item: dict[int, list[dict[str, Any]]] = {}
    orphans: set[str] = set()
    unknown: set[str] = set()
    for key, kind, record in zip(table["item_id"], table["kind"], table["record"],
                                 strict=True):
        pos = pos_of.get(str(key))
        if pos is None:
            orphans.add(str(key))
            continue
        if kind == primary_kind and record.get("label") not in labels:
            unknown.add(str(record.get("label")))
        by_item.setdefault(pos, []).append(record)
    if unknown:
        raise ValueError(f"labels must include every label used in the store "
                         f"{str(store.path)!r}: {sorted(unknown)} missing from {labels!r}")
    done = [pos_of[k] for k in store.get_meta(DONE_KEY, []) or [] if k in pos_of]
    for pos in dict.fromkeys(done):
        state.labeled.add(pos)
        state.order.append(pos)
    for pos, records in by_item.items():
        state.answers[pos] = records
        if pos in state.labeled:
            continue
        if all(r.get("source") == "auto" for r in records):
            state.auto.add(pos)
        else:  # records saved by other means: a person's
            state.labeled.add(pos)
            state.order.append(pos)
    for pos in state.labeled | state.auto:
        review = store.get_meta(REVIEW_PREFIX + keys[pos])
        if review:
            state.reviews[pos] = review
    for pos in state.order:
        review = state.reviews.get(pos) or {}
        suggested = review.get("suggested") or {}
        left = [suggested[i] for i in review.get("left", []) if i in suggested]
        state.history.append(Submitted(pos, visit=Visit(shown=dict(suggested)), pending=left,
                                       final=state.answers.get(pos, [])))
    if resumed:
        skipped = {pos_of[k] for k in store.get_meta(SKIPPED_KEY, []) or [] if k in pos_of}
        state.skipped = skipped - state.labeled - state.auto
    state.orphans = len(orphans)
    return state


class ReviewLog:
    """What a structured session knows about its items, kept in memory and in the store.

    Owns the items done by a person (``labeled``, in the order of ``order``), auto-accepted
    (``auto``), each item's stored records (``answers``) and review (``reviews``), and the
    undo history (``history``). Writes the store's ``"done"`` and ``"review:<key>"`` meta;
    the records themselves are written by the session (the store validates them with the
    task's context).

    Parameters
    ----------
    store : Store
    keys : list of str
        The store key of each item, by position.
    state : SessionState
        What :func:`read_state` read back (an empty state for a new session).
    """

    def __init__(self, store: Any, keys: list[str], state: SessionState) -> None:
        self.store = store
        self.keys = keys
        self.labeled = state.labeled
        self.auto = state.auto
        self.order = state.order  # done items, oldest first
        self.answers = state.answers
        self.reviews = state.reviews
        self.history: list[Submitted] = state.history

    # -- state of an item --------------------------------------------------------------------
    def settled(self, pos: int) -> bool:
        """True when the item is done or auto-accepted (it leaves the queue)."""
        return pos in self.labeled or pos in self.auto

    def state_of(self, pos: int) -> str:
        """``"done"``, ``"auto"`` or ``"new"``."""
        return "done" if pos in self.labeled else "auto" if pos in self.auto else "new"

    def set_state(self, pos: int, state: str) -> None:
        """Make item ``pos`` done, auto-accepted or new (and save the done list)."""
        self.labeled.discard(pos)
        self.auto.discard(pos)
        if pos in self.order:
            self.order.remove(pos)
        if state == "done":
            self.labeled.add(pos)
            self.order.append(pos)
        elif state == "auto":
            self.auto.add(pos)
        self.store.set_meta(DONE_KEY, [self.keys[p] for p in self.order])

    def set_answer(self, pos: int, records: list[dict[str, Any]],
                   review: dict[str, Any] | None) -> None:
        """The item's stored records and its review (None removes the review)."""
        self.store.set_meta(REVIEW_PREFIX + self.keys[pos], review)
        self.answers[pos] = records
        if review is None:
            self.reviews.pop(pos, None)
        else:
            self.reviews[pos] = review

    def add_auto(self, pos: int, records: list[dict[str, Any]],
                 review: dict[str, Any]) -> None:
        """An item auto-accepted with ``records``."""
        self.set_answer(pos, records, review)
        self.auto.add(pos)

    def remove_auto(self, pos: int) -> bool:
        """Forget an auto-accepted item's records (False when it was not auto-accepted)."""
        if pos not in self.auto:
            return False
        self.store.set_meta(REVIEW_PREFIX + self.keys[pos], None)
        self.answers.pop(pos, None)
        self.reviews.pop(pos, None)
        self.auto.discard(pos)
        return True

    # -- reports -------------------------------------------------------------------------------
    def counts(self, n_items: int, *, skipped: set[int]) -> dict[str, int]:
        """Items done by a person, auto-accepted, neither, and skipped."""
        left = n_items - len(self.labeled | self.auto | skipped)
        return {"human": len(self.labeled), "auto": len(self.auto), "remaining": left,
                "skipped": len(skipped)}

    def annotations(self, ids: list[Hashable], *, auto: bool = True,
                    ) -> dict[Any, list[dict[str, Any]]]:
        """The records of every item done (and auto-accepted), by item id in pool order."""
        chosen = self.labeled | (self.auto if auto else set())
        return {ids[pos]: [dict(r) for r in self.answers.get(pos, [])]
                for pos in sorted(chosen)}

    def rejected_rows(self, ids: list[Hashable],
                      ) -> list[tuple[Hashable, dict[str, Any], set[str]]]:
        """``(item id, review, ids of its stored records)`` of every item with suggestions."""
        return [(ids[pos], review, {str(r["id"]) for r in self.answers.get(pos, [])})
                for pos, review in sorted(self.reviews.items()) if "suggested" in review]

    def edit_counts(self) -> dict[str, Any]:
        """Annotations by origin and suggestions not taken, from memory (no store read):
        cheap enough for every answer (the same figures as ``Session.edits``)."""
        counts = {"human": 0, "accepted": 0, "edited": 0, "auto": 0, "rejected": 0,
                  "ignored": 0}
        for pos, records in self.answers.items():
            review = self.reviews.get(pos)
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
