"""Reviewing the items where annotators disagree: ``label(..., review="disagreements")``.

The session shows only the items of the store's dataset whose annotators disagree and that
no reviewer decided yet (:func:`nbannotate.agreement.best_answers` says ``"tie"``). On each
item every annotator's version is there to take: drawn records come as suggestions whose ids
start with the annotator's name (``"ana:b1"``; Enter accepts the selected one, and it can be
edited or ignored in favour of a new drawing), and the panel has a toggle button per
annotator that shows or hides their versions (``session.show_annotator(name, visible)``);
whole-item labels are listed in the message line. Submitting stores the reviewer's answer
in the dataset as ``source="gold"``, with ``decided_by`` (the reviewer) and ``from`` (the
annotators' records it was taken from), where :func:`~nbannotate.agreement.best_answers`
takes it first. The session itself keeps its working state in a dataset of its own
(``<dataset>.review``), so it resumes where the reviewer stopped.

Examples
--------
>>> session = label(images, task="boxes", labels=["car"], store="team.db", ids=ids,
...                 annotator="rev", review="disagreements")  # doctest: +SKIP
>>> session.accept(["ana:b1"]); session.submit()                # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from ..agreement import best_answers
from ..store import Store
from ._setup import ItemPool

__all__ = ["REVIEW_MODES", "Disagreements", "review_session"]

REVIEW_MODES = ("disagreements",)
_REVIEW_SUFFIX = ".review"
_DROP = ("score", "decided_by", "from")


class Disagreements:
    """Each disputed item's versions (annotator -> records), and how a decision is stored.

    Parameters
    ----------
    store : Store
        The dataset the annotators labeled (where gold answers are written).
    reviewer : str
        Who decides.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.db"
    >>> for who, name in (("ana", "cat"), ("bo", "dog")):
    ...     with Store(path, annotator=who) as s:
    ...         _ = s.replace("x", [{"id": "class", "label": name}], kind="class", own=True)
    >>> with Store(path, annotator="rev") as store:
    ...     disputes = Disagreements(store, "rev")
    ...     disputes.items, disputes.note("x")
    (['x'], 'annotators disagree: ana: cat · bo: dog')
    """

    def __init__(self, store: Store, reviewer: str) -> None:
        self.store = store
        self.reviewer = reviewer
        #: Annotators whose versions are hidden (their suggestions kept aside).
        self.hidden: set[str] = set()
        frame = store.annotations()
        best = best_answers(frame)
        self.items: list[str] = [str(i) for i in best.loc[best["resolution"] == "tie",
                                                          "item_id"]]
        disputed = set(self.items)
        self._versions: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self._kinds: dict[str, str] = {}
        for item, who, source, kind, record in zip(
                frame["item_id"], frame["annotator"], frame["source"], frame["kind"],
                frame["record"], strict=True):
            if str(item) not in disputed or source in ("model", "gold"):
                continue
            self._versions.setdefault(str(item), {}).setdefault(str(who), []).append(
                dict(record))
            self._kinds[str(item)] = str(kind)

    def versions(self, item: str) -> dict[str, list[dict[str, Any]]]:
        """Annotator -> their records on ``item``."""
        return self._versions.get(item, {})

    def annotators(self, item: str) -> list[str]:
        """Who labeled ``item``, by name."""
        return sorted(self.versions(item))

    def suggestions(self, item: str, who: str | None = None) -> list[dict[str, Any]]:
        """Every annotator's drawn records (or ``who``'s), as suggestions with ids
        ``"<annotator>:<id>"``."""
        out = []
        for name, records in sorted(self.versions(item).items()):
            if who is not None and name != who:
                continue
            for record in records:
                clean = {k: v for k, v in record.items() if k not in _DROP}
                out.append({**clean, "id": f"{name}:{record['id']}", "source": "model"})
        return out

    def note(self, item: str) -> str:
        """What each annotator answered, for the message line."""
        parts = []
        for who, records in sorted(self.versions(item).items()):
            if self._kinds.get(item) in ("class", "classes"):
                parts.append(f"{who}: {records[0].get('label')}")
            else:
                parts.append(f"{who}: {len(records)} record{'s' if len(records) != 1 else ''}")
        return "annotators disagree: " + " · ".join(parts)

    def decide(self, item: str, records: Sequence[dict[str, Any]], kind: str | None) -> None:
        """Store the reviewer's answer on ``item`` as gold, with where each record came from.

        A record whose id is ``"<annotator>:<id>"`` (a version accepted as it was, or edited)
        comes from that record; a whole-item label comes from every annotator who gave it.
        """
        versions = self.versions(item)
        gold = []
        for record in records:
            clean = {k: v for k, v in record.items() if k not in _DROP}
            who, _, original = str(record.get("id", "")).partition(":")
            if original and who in versions:
                origins = [{"annotator": who, "id": original}]
            else:
                origins = [{"annotator": name, "id": r["id"]}
                           for name, rs in sorted(versions.items()) for r in rs
                           if kind in ("class", "classes") and r.get("label") == clean.get("label")]
            gold.append({**clean, "source": "gold", "decided_by": self.reviewer,
                         "from": origins})
        self.store.replace(item, gold, annotator=self.reviewer, kind=kind, own=True)


def review_session(make: Callable[..., Any], items: Any, *, review: str,
                   task: str = "classify", store: Any = None, annotator: str | None = None,
                   ids: Sequence[str | int] | None = None, dataset: str | None = None,
                   **options: Any) -> Any:
    """A session over the items whose annotators disagree (see the module), made with
    ``make(items, **options)`` (:class:`~nbannotate.session.Session`).

    Raises
    ------
    ValueError
        ``review`` is not ``"disagreements"``, or no item is left to review.
    TypeError
        ``annotator`` (who decides), ``ids`` or ``store`` (an SQLite path or a PostgreSQL URL)
        is missing or of the wrong type.
    """
    if review not in REVIEW_MODES:
        raise ValueError(f"review must be one of {list(REVIEW_MODES)}, got {review!r}")
    if not isinstance(annotator, str) or not annotator:
        raise TypeError("review='disagreements' needs annotator=, the name of who decides "
                        f"(stored as decided_by), got {annotator!r}")
    if ids is None:
        raise TypeError("review='disagreements' needs ids=, the item ids the annotators' "
                        "records are stored under")
    if isinstance(store, bytes) or not isinstance(store, (str, os.PathLike)):
        raise TypeError("review='disagreements' needs store= as an SQLite path or a "
                        f"PostgreSQL URL (the team's store), got {type(store).__name__}")
    pool = ItemPool(items)
    keys = [str(i) for i in ids]
    if len(keys) != len(pool):
        raise ValueError(f"ids must have one id per item: {len(keys)} ids for {len(pool)} "
                         "items")
    main = Store(store, annotator=annotator, dataset=dataset)
    try:
        disputes = Disagreements(main, annotator)
        wanted = set(disputes.items)
        positions = [p for p, key in enumerate(keys) if key in wanted]
        if not positions:
            raise ValueError(f"nothing to review: no item of dataset {main.dataset!r} in "
                             f"{main.location!r} has annotators who disagree without a "
                             "decision")
        features = options.get("features")
        if features is not None:  # the rows of the items reviewed
            options["features"] = (features.iloc[positions] if hasattr(features, "iloc")
                                   else features[positions])
        session = make([pool.get(p) for p in positions], task=task, store=store,
                       annotator=annotator, ids=[ids[p] for p in positions],
                       dataset=main.dataset + _REVIEW_SUFFIX, team=False, **options)
    except BaseException:
        main.close()
        raise
    session._attach_review(disputes)
    return session
