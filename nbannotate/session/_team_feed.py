"""Other annotators' labels, as a team-mode session uses them: taught to its model as they
arrive (:class:`ClassesFromTeam` for whole-item classes, :class:`RecordsFromTeam` for spans,
boxes and the other structured records), and read with their annotator for
``session.labels`` (:func:`team_answers`, :func:`team_table`).

Examples
--------
>>> annotator_name("ana"), annotator_name(float("nan"))
('ana', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["ClassesFromTeam", "RecordsFromTeam", "annotator_name", "team_answers", "team_table"]


class ClassesFromTeam:
    """Other annotators' whole-item labels, taught to this kernel's learner as they arrive.

    An item this annotator labeled keeps their own label; an item labeled by several others
    (overlap) teaches the first label that arrived, until that annotator changes it.

    Parameters
    ----------
    learner : ActiveLearner
    task : ClassifyTask
        Reads an answer from an item's records.
    lock : threading.RLock
        The session's lock (labels are taught under it).
    mine : set of int
        The items this annotator labeled (the session's own set, read live).
    """

    def __init__(self, learner: Any, task: Any, lock: Any, *, mine: set[int]) -> None:
        self._learner = learner
        self._task = task
        self._lock = lock
        self._mine = mine
        self.taught: dict[int, str] = {}  # item -> the annotator whose label was taught
        self.unknown: set[str] = set()  # labels from others that are not the session's

    def teach(self, batch: list[tuple[int, str, list[dict[str, Any]]]]) -> None:
        """Teach ``[(position, annotator, records), ...]`` (records ``[]``: removed)."""
        with self._lock:
            for pos, owner, records in batch:
                if pos in self._mine:
                    continue
                try:
                    answer = self._task.answer_from_records(records)
                except ValueError:
                    self.unknown.update(str(r.get("label")) for r in records)
                    continue
                teacher = self.taught.get(pos)
                if teacher is not None and teacher != owner:
                    continue  # the first label that arrived stays
                if teacher is not None:
                    self._learner.forget([pos])
                    del self.taught[pos]
                if answer is not None:
                    self._learner.teach([pos], [self._task.learner_label(answer)])
                    self.taught[pos] = owner

    def make_room(self, pos: int) -> None:
        """This annotator labels ``pos``: another annotator's label of it is forgotten."""
        with self._lock:
            if self.taught.pop(pos, None) is not None:
                self._learner.forget([pos])


class RecordsFromTeam:
    """Other annotators' records of items (spans, boxes, ...), taught to this kernel's
    structured model as they arrive (:class:`~nbannotate.session._model_runner.ModelRunner`
    refits on them). An item this annotator did keeps their own records.

    Parameters
    ----------
    runner : ModelRunner
    mine : set of int
        The items this annotator did (the session's own set, read live).
    """

    def __init__(self, runner: Any, *, mine: set[int]) -> None:
        self._runner = runner
        self._mine = mine
        self.taught: dict[int, str] = {}

    def teach(self, batch: list[tuple[int, str, list[dict[str, Any]]]]) -> None:
        """Teach ``[(position, annotator, records), ...]`` (records ``[]``: removed)."""
        for pos, owner, records in batch:
            if pos in self._mine or self.taught.get(pos, owner) != owner:
                continue
            if records:
                self._runner.teach(pos, records)
                self.taught[pos] = owner
            elif self.taught.pop(pos, None) is not None:
                self._runner.forget(pos)


def annotator_name(value: Any) -> str | None:
    """An annotator name from a table cell (None for a missing one)."""
    return value if isinstance(value, str) and value else None


def team_table(store: Any) -> pd.DataFrame:
    """Every annotator's records (:meth:`TeamStore.team_annotations`), or a store's."""
    reader = getattr(store, "team_annotations", None)
    return reader() if callable(reader) else store.annotations()


def team_answers(store: Any, task: Any, pos_of: Mapping[str, int],
                 ) -> list[tuple[int, Any, str | None]]:
    """``(position, answer, annotator)`` of every whole-item answer stored (every
    annotator's in team mode), skipping labels that are not the task's."""
    table = team_table(store)
    table = table[table["kind"] == task.record_kind]
    out = []
    for key, record, who, owner in zip(table["item_id"], table["record"], table["annotator"],
                                       table["owner"], strict=True):
        pos = pos_of.get(str(key))
        if pos is None:
            continue
        try:
            answer = task.answer_from_records([record])
        except ValueError:
            continue
        if answer is not None:
            out.append((pos, answer, annotator_name(owner) or annotator_name(who)))
    return out
