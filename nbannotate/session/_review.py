"""Where each annotation of a structured session came from: drawn, accepted, or auto.

A suggestion accepted in an annotator keeps its ``id`` (edited or not), so when the person
submits an item, the session compares the item's records with the suggestions shown on it
and saves a **review** in the store's meta (key ``review:<item id>``)::

    {"suggested": {record id: suggestion record (with its score)}, "left": [ids],
     "reason": "model", "at": "2025-01-01T12:00:00+00:00"}

``left`` are the suggestions still awaiting review when the item was submitted (counted as
not accepted, like the ones the person rejected). An auto-accepted item's review is
``{"auto": true, "threshold": 0.9, "at": ...}`` and its records have ``source="auto"`` and
their ``score``. From the records and reviews:

* ``origin="human"``: drawn from scratch (its id is no suggestion's);
* ``origin="accepted"``: a suggestion accepted as it was or edited (``edited`` says which);
* ``origin="auto"``: stored by :meth:`~nbannotate.session.Session.auto_accept`.

Examples
--------
>>> review = {"suggested": {"s1": {"id": "s1", "start": 0, "end": 4, "label": "PER",
...                                "score": 0.8}}, "left": []}
>>> origin_of({"id": "s1", "start": 0, "end": 4, "label": "PER", "source": "human"}, review)
('accepted', 0.8, False)
>>> origin_of({"id": "x9", "start": 5, "end": 9, "label": "PER", "source": "human"}, review)
('human', nan, False)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

__all__ = [
    "DONE_KEY",
    "ORIGINS",
    "REVIEW_PREFIX",
    "Visit",
    "edit_counts",
    "labels_frame",
    "origin_of",
    "rejected_frame",
    "review_entry",
]

REVIEW_PREFIX = "review:"
DONE_KEY = "done"
ORIGINS = ("human", "accepted", "auto")
#: Fields compared to tell an accepted suggestion from an edited one.
EDIT_FIELDS = ("label", "start", "end", "x", "y", "w", "h", "visible", "box_id", "channel",
               "text", "points", "mask")


@dataclass
class Visit:
    """One showing of an item: the suggestions drawn in (by id), and whether the person has
    touched the item yet (then newer suggestions are not swapped in)."""

    shown: dict[str, dict[str, Any]] = field(default_factory=dict)
    round: int = -1
    touched: bool = False

    def remember(self, suggestions: Iterable[dict[str, Any]]) -> None:
        """Add suggestions drawn in on this visit."""
        for record in suggestions:
            self.shown[str(record["id"])] = dict(record)


def now_text() -> str:
    """The current UTC time as ISO text (stored in reviews)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def review_entry(visit: Visit, final: list[dict[str, Any]], pending: list[dict[str, Any]],
                 reason: str) -> dict[str, Any]:
    """The review saved when an item is submitted.

    Examples
    --------
    >>> visit = Visit()
    >>> visit.remember([{"id": "s1", "label": "A", "score": 0.9},
    ...                 {"id": "s2", "label": "A", "score": 0.3}])
    >>> entry = review_entry(visit, [{"id": "s1", "label": "A", "source": "human"}],
    ...                      [{"id": "s2", "label": "A"}], "model")
    >>> sorted(entry["suggested"]), entry["left"]
    (['s1', 's2'], ['s2'])
    """
    left = [str(r["id"]) for r in pending if str(r["id"]) in visit.shown]
    return {"suggested": {k: dict(v) for k, v in visit.shown.items()}, "left": left,
            "reason": reason, "at": now_text()}


def _differs(record: dict[str, Any], suggestion: dict[str, Any]) -> bool:
    for name in EDIT_FIELDS:
        a, b = record.get(name), suggestion.get(name)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
                and not isinstance(a, bool) and not isinstance(b, bool):
            if abs(float(a) - float(b)) > 1e-6:
                return True
        elif a != b:
            return True
    return False


def origin_of(record: dict[str, Any], review: dict[str, Any] | None,
              ) -> tuple[str, float, bool]:
    """``(origin, score, edited)`` of a stored record given its item's review."""
    if record.get("source") == "auto":
        score = record.get("score")
        return "auto", float(score) if score is not None else math.nan, False
    suggested = (review or {}).get("suggested") or {}
    suggestion = suggested.get(str(record.get("id")))
    if suggestion is None:
        return "human", math.nan, False
    score = suggestion.get("score")
    return ("accepted", float(score) if score is not None else math.nan,
            _differs(record, suggestion))


def _column_values(records: list[dict[str, Any]], name: str) -> pd.Series:
    values = [r.get(name) for r in records]
    if name in ("text", "box_id"):
        return pd.Series(values, dtype=object)
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    if whole and name in ("start", "end", "visible", "channel"):  # span offsets stay ints
        return pd.Series(values, dtype="int64")
    return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")


def _id_series(values: list[Hashable], ids_given: bool) -> pd.Series:
    return pd.Series(values, dtype=object if ids_given else "int64")


def labels_frame(rows: list[tuple[Hashable, str, dict[str, Any]]],
                 reviews: Callable[[Hashable], dict[str, Any] | None],
                 columns: tuple[str, ...], *, ids_given: bool,
                 annotators: list[str | None] | None = None,
                 reviewed: list[bool] | None = None) -> pd.DataFrame:
    """One row per stored record: ``item_id, id, kind, label, origin, score, edited``,
    ``annotator`` and the task's geometry ``columns``.

    ``rows`` are ``(item id, record kind, record)``; ``reviews(item id)`` gives the item's
    review, used for the rows whose ``reviewed`` is True (all by default: team mode's
    other annotators' records are not this session's to review); ``annotators`` is who
    made each row (None: unknown).

    Examples
    --------
    >>> frame = labels_frame([(0, "span", {"id": "a", "start": 0, "end": 2, "text": "hi",
    ...                                    "label": "X", "source": "human"})],
    ...                      lambda item: None, ("start", "end", "text"), ids_given=False)
    >>> frame[["item_id", "label", "origin", "start", "text"]].values.tolist()
    [[0, 'X', 'human', 0, 'hi']]
    """
    records = [record for _, _, record in rows]
    mine = reviewed if reviewed is not None else [True] * len(rows)
    origins = [origin_of(record, reviews(item) if own else None)
               for (item, _, record), own in zip(rows, mine, strict=True)]
    data: dict[str, pd.Series] = {
        "item_id": _id_series([item for item, _, _ in rows], ids_given),
        "id": pd.Series([str(r["id"]) for r in records], dtype=object),
        "kind": pd.Series([kind for _, kind, _ in rows], dtype=object),
        "label": pd.Series([r.get("label") for r in records], dtype=object),
        "origin": pd.Series([o[0] for o in origins], dtype=object),
        "score": pd.Series([o[1] for o in origins], dtype="float64"),
        "edited": pd.Series([o[2] for o in origins], dtype=bool),
        "annotator": pd.Series(annotators if annotators is not None else [None] * len(rows),
                               dtype=object),
    }
    for name in columns:
        data[name] = _column_values(records, name)
    return pd.DataFrame(data)


def rejected_frame(rows: list[tuple[Hashable, dict[str, Any], set[str]]],
                   columns: tuple[str, ...], *, ids_given: bool) -> pd.DataFrame:
    """Suggestions shown but not accepted: ``item_id, id, label, score, how`` (``"rejected"``
    by the person, or ``"ignored"``: still awaiting review when the item was submitted) and
    the geometry ``columns``.

    ``rows`` are ``(item id, review, ids of the item's stored records)``.
    """
    out: list[tuple[Hashable, dict[str, Any], str]] = []
    for item, review, kept in rows:
        left = set(review.get("left") or ())
        for rid, suggestion in (review.get("suggested") or {}).items():
            if rid in kept:
                continue
            out.append((item, suggestion, "ignored" if rid in left else "rejected"))
    records = [s for _, s, _ in out]
    data: dict[str, pd.Series] = {
        "item_id": _id_series([item for item, _, _ in out], ids_given),
        "id": pd.Series([str(s.get("id")) for s in records], dtype=object),
        "label": pd.Series([s.get("label") for s in records], dtype=object),
        "score": pd.Series([math.nan if s.get("score") is None else float(s["score"])
                            for s in records], dtype="float64"),
        "how": pd.Series([how for _, _, how in out], dtype=object),
    }
    for name in columns:
        data[name] = _column_values(records, name)
    return pd.DataFrame(data)


def edit_counts(labels: pd.DataFrame, rejected: pd.DataFrame) -> dict[str, Any]:
    """Counts of the session's annotations by origin, and the fraction accepted.

    ``accepted_fraction`` is accepted / (accepted + human): of the annotations a person
    settled, the share taken from a suggestion instead of drawn from scratch (NaN before
    any).

    Examples
    --------
    >>> labels = pd.DataFrame({"origin": ["human", "accepted", "accepted", "auto"],
    ...                        "edited": [False, True, False, False]})
    >>> edit_counts(labels, pd.DataFrame({"how": ["rejected"]}))["accepted_fraction"]
    0.6666666666666666
    """
    origin = labels["origin"] if len(labels) else pd.Series([], dtype=object)
    human = int((origin == "human").sum())
    accepted = int((origin == "accepted").sum())
    how = rejected["how"] if len(rejected) else pd.Series([], dtype=object)
    settled = human + accepted
    return {
        "human": human,
        "accepted": accepted,
        "edited": int((labels["edited"] & (origin == "accepted")).sum()) if len(labels) else 0,
        "auto": int((origin == "auto").sum()),
        "rejected": int((how == "rejected").sum()),
        "ignored": int((how == "ignored").sum()),
        "accepted_fraction": accepted / settled if settled else math.nan,
    }
