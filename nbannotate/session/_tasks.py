"""The annotator side of a Session: small adapter interfaces, one adapter per task.

A :class:`~nbannotate.session.Session` knows nothing about the widget that shows an item; it
talks to a task adapter. There are two kinds:

* **whole-item tasks** (:class:`TaskAdapter`, e.g. ``task="classify"`` with
  :class:`ClassifyTask`): the answer is one class, the learner is an
  :class:`~nbannotate.active.ActiveLearner` over features;
* **structured tasks** (:class:`StructuredTaskAdapter`, ``task="spans"``, ``"regions"``,
  ``"boxes"``, ``"keypoints"``): the answer is a list of annotation records drawn in an
  annotator, the learner is a :class:`~nbannotate.models.StructuredModel` that predicts
  records of the same kind (drawn in as suggestions).

:func:`register_task` adds a task of either kind: a whole-item factory is called as
``factory(labels: LabelSet)``; a structured one is a class (or callable) with the attribute
``structured = True``, called as ``factory(labels: list[str], options: dict, item)``. A new
structured task (masks on images, say) subclasses
:class:`~nbannotate.session._tasks_structured.StructuredTask`, which implements everything from
a few class attributes and three methods (see its docstring).

Examples
--------
>>> sorted(TASKS)
['boxes', 'classify', 'keypoints', 'regions', 'segment', 'spans', 'tracks']
>>> TASKS["spans"].structured
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from ..classify.labeler import ClassLabeler
from ..widget.base import AnnotatorWidget
from ..widget.labels import LabelSet

__all__ = [
    "TASKS",
    "ClassifyTask",
    "StructuredTaskAdapter",
    "Suggestion",
    "TaskAdapter",
    "is_structured",
    "register_task",
]


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
    widget : AnnotatorWidget
        The annotator shown in the session, and the session's whole UI: an anywidget with
        a ``panel`` trait and ``on_panel_action``, under which the session panel is drawn.
    """

    name: str
    record_kind: str
    widget: AnnotatorWidget

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
        self.widget: AnnotatorWidget = self.labeler

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


class StructuredTaskAdapter(Protocol):
    """What a structured Session needs from an annotator (spans, regions, boxes, ...).

    The session shows one item at a time with the model's records drawn in as suggestions;
    the person accepts, edits, rejects them and draws more; "Done" submits the item's
    records. An accepted suggestion keeps the suggestion's ``id`` (the annotators do that),
    which is how the session tells accepted records from records drawn from scratch.

    Factory: ``factory(labels, options, item) -> adapter``, where ``labels`` are the task's
    label names (list of str), ``options`` the session's ``annotator_options`` (extra keyword
    arguments of the annotator; unknown ones must raise ``TypeError``) and ``item`` the first
    item to show. The factory has the attribute ``structured = True``.

    Attributes
    ----------
    name : str
        The task's name, stored in the store's meta (``"spans"``).
    structured : bool
        Always True (tells :func:`register_task` and the session which kind of task it is).
    item_kinds : tuple of str
        The kinds of item it shows (``"text"``, ``"audio"``, ``"image"``, as told by
        ``nbannotate.classify.item_view.item_kind``); the session checks the pool against them.
    record_kinds : tuple of str
        The kinds of record it stores (``("span",)``; ``("box", "keypoint")``).
    columns : tuple of str
        Record fields that :attr:`Session.labels` shows as columns (``("start", "end",
        "text")``).
    widget : AnnotatorWidget
        The annotator shown in the session, and the session's whole UI: an anywidget with
        a ``panel`` trait and ``on_panel_action``, under which the session panel is drawn.
    """

    name: str
    structured: ClassVar[bool]
    item_kinds: tuple[str, ...]
    record_kinds: tuple[str, ...]
    columns: tuple[str, ...]
    widget: AnnotatorWidget

    def default_model(self) -> Any:
        """A new, unfitted built-in model for this task (used when ``model=None``)."""

    def show(self, item: Any, *, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        """Show ``item`` with the person's ``records`` and the model's ``suggestions``.

        Raises TypeError/ValueError/OSError when the item cannot be shown, or when a record
        or suggestion does not fit it (nothing is shown then)."""

    def records(self) -> list[dict[str, Any]]:
        """The person's records on the item shown, as the annotator has them now."""

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        """Replace the person's records on the item shown (validated by the annotator)."""

    def suggestions(self) -> list[dict[str, Any]]:
        """The suggestions still awaiting review on the item shown."""

    def set_suggestions(self, records: Sequence[dict[str, Any]]) -> None:
        """Replace the suggestions (never the person's records)."""

    def accept(self, ids: Sequence[str] | None) -> list[str]:
        """Accept suggestions (all when ``ids`` is None) as the person's records, keeping
        their ids; returns the ids of the records made."""

    def reject(self, ids: Sequence[str] | None) -> list[str]:
        """Drop suggestions (all when ``ids`` is None); returns their ids."""

    def store_context(self) -> dict[str, Any]:
        """Keyword arguments of ``Store.replace`` for the item shown (``kind=``, ``text=``,
        ``duration=``, ``image_size=``, ``labels=``): the store validates with them."""

    def item_context(self, item: Any) -> dict[str, Any]:
        """The same for an item that is not shown (auto-accepted records); may be less
        strict."""

    def on_edit(self, callback: Callable[[], Any]) -> None:
        """Call ``callback()`` after every edit the person makes in the browser."""


def is_structured(factory: Any) -> bool:
    """True when ``factory`` makes a :class:`StructuredTaskAdapter`.

    Examples
    --------
    >>> is_structured(ClassifyTask), is_structured(TASKS["boxes"])
    (False, True)
    """
    return bool(getattr(factory, "structured", False))


TaskFactory = Callable[..., Any]
TASKS: dict[str, TaskFactory] = {"classify": ClassifyTask}


def register_task(name: str, factory: TaskFactory) -> None:
    """Make ``Session(task=name)`` use ``factory``.

    A whole-item factory is called as ``factory(labels: LabelSet) -> TaskAdapter``; a
    structured one (with ``factory.structured = True``, e.g. a subclass of
    :class:`~nbannotate.session._tasks_structured.StructuredTask`) as ``factory(labels, options,
    item) -> StructuredTaskAdapter``.

    Examples
    --------
    >>> register_task("classify", ClassifyTask)  # already there; re-registering is harmless
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str, got {name!r}")
    if not callable(factory):
        raise TypeError(f"factory must be callable, got {type(factory).__name__}")
    TASKS[name] = factory


def _register_builtin_structured() -> None:
    from ._tasks_segment import SegmentTask
    from ._tasks_structured import BUILTIN_TASKS
    from ._tasks_tracks import TrackTask

    for task_class in (*BUILTIN_TASKS, SegmentTask, TrackTask):
        register_task(task_class.name, task_class)


_register_builtin_structured()
