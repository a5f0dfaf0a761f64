"""The annotator side of a Session: a small adapter interface, one adapter per task.

A :class:`~nbannotate.session.Session` knows nothing about the widget that shows an item; it
talks to a :class:`TaskAdapter`. The adapter shows an item with the model's suggestion, turns
the person's answer into store records and into the label the learner is taught, and reads a
stored answer back when a session resumes. ``task="classify"`` uses :class:`ClassifyTask`
(a :class:`~nbannotate.ClassLabeler`); spans, regions, boxes and keypoints plug in the same way
with :func:`register_task`.

Examples
--------
>>> sorted(TASKS)
['classify']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol

import ipywidgets as widgets

from ._labelset import LabelSet
from .classify import ClassLabeler

__all__ = ["TASKS", "ClassifyTask", "Suggestion", "TaskAdapter", "register_task"]


@dataclass(frozen=True)
class Suggestion:
    """The model's guess for the item shown: a label value and its probability."""

    label: Hashable
    score: float


class TaskAdapter(Protocol):
    """What a Session needs from an annotator.

    Attributes
    ----------
    name : str
        The task's name, stored in the store's meta (``"classify"``).
    record_kind : str
        The kind of the records it stores (``"class"``).
    widget : ipywidgets.DOMWidget
        The annotator shown in the session.
    """

    name: str
    record_kind: str
    widget: widgets.DOMWidget

    def bind(self, *, submit: Callable[[Any], Any], skip: Callable[[], Any],
             undo: Callable[[], Any]) -> None:
        """Call the session's ``submit(answer)``, ``skip()`` and ``undo()`` from the UI."""

    def show(self, item: Any, *, suggestion: Suggestion | None, note: str) -> None:
        """Show ``item`` with the model's suggestion drawn in and a note saying why."""

    def clear(self, message: str) -> None:
        """Show no item (finished queue), with a message."""

    def message(self, text: str) -> None:
        """Show an inline message (an error the person should see)."""

    def records(self, answer: Any) -> list[dict[str, Any]]:
        """The store records for an answer (validated by the store with :meth:`context`)."""

    def context(self) -> dict[str, Any]:
        """Validator context passed to the store (e.g. ``labels=``)."""

    def learner_label(self, answer: Any) -> Hashable:
        """The class the learner is taught for an answer."""

    def answer_from_records(self, records: list[dict[str, Any]]) -> Any | None:
        """The answer stored for an item (None when there is none), for resuming."""

    def listen_keys_on(self, widget: widgets.DOMWidget) -> None:
        """Take keyboard shortcuts from ``widget`` (the session's shell)."""


class ClassifyTask:
    """Whole-item class labels with a :class:`~nbannotate.ClassLabeler` (single-label).

    Examples
    --------
    >>> task = ClassifyTask(LabelSet(["cat", "dog"]))
    >>> task.records("dog")
    [{'id': 'class', 'label': 'dog', 'source': 'human'}]
    >>> task.answer_from_records([{"id": "class", "label": "dog", "source": "human"}])
    'dog'
    """

    name = "classify"
    record_kind = "class"
    RECORD_ID = "class"

    def __init__(self, labels: LabelSet) -> None:
        self.labels = labels
        self.labeler = ClassLabeler(None, labels=list(labels.values))
        self.widget: widgets.DOMWidget = self.labeler

    def bind(self, *, submit: Callable[[Any], Any], skip: Callable[[], Any],
             undo: Callable[[], Any]) -> None:
        self.labeler.on_submit(submit)
        self.labeler.on_skip(skip)
        self.labeler.on_undo(undo)

    def show(self, item: Any, *, suggestion: Suggestion | None, note: str) -> None:
        self.labeler.show(item, value=None if suggestion is None else suggestion.label,
                          note=note)

    def clear(self, message: str) -> None:
        self.labeler.clear(message)

    def message(self, text: str) -> None:
        self.labeler.message = text

    def records(self, answer: Any) -> list[dict[str, Any]]:
        return [{"id": self.RECORD_ID, "label": self.labels.name_of(answer), "source": "human"}]

    def context(self) -> dict[str, Any]:
        return {"labels": list(self.labels.names)}

    def learner_label(self, answer: Any) -> Hashable:
        return self.labels.parse(answer)

    def answer_from_records(self, records: list[dict[str, Any]]) -> Any | None:
        for record in records:
            if record.get("id") == self.RECORD_ID and record.get("source") == "human":
                return self.labels.parse(record["label"], name="stored label")
        return None

    def listen_keys_on(self, widget: widgets.DOMWidget) -> None:
        self.labeler._listen_keys_on(widget)


TaskFactory = Callable[[LabelSet], TaskAdapter]
TASKS: dict[str, TaskFactory] = {"classify": ClassifyTask}


def register_task(name: str, factory: TaskFactory) -> None:
    """Make ``Session(task=name)`` use ``factory(labels) -> TaskAdapter``.

    Examples
    --------
    >>> register_task("classify", ClassifyTask)  # already there; re-registering is harmless
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str, got {name!r}")
    if not callable(factory):
        raise TypeError(f"factory must be callable, got {type(factory).__name__}")
    TASKS[name] = factory
