"""The state of a structured session, and how it is read back from its store.

A structured session keeps, besides the records themselves (one store item per pool item):

* meta ``"done"``: the keys of the items a person submitted, oldest first (an item may be
  done with no record: "nothing to annotate here");
* meta ``"skipped"``: the keys of the items skipped;
* meta ``"review:<key>"``: each item's review (:mod:`._session_review`).

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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._review import DONE_KEY, REVIEW_PREFIX, Visit

__all__ = ["SKIPPED_KEY", "SessionState", "Submitted", "read_state"]

SKIPPED_KEY = "skipped"


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
