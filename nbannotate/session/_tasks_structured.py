"""Structured task adapters: spans (TextAnnotator), regions (AudioAnnotator), boxes and
keypoints (ImageAnnotator), each with its built-in model.

:class:`StructuredTask` implements the :class:`~nbannotate.session._tasks.StructuredTaskAdapter`
interface over an annotator whose records live in list traits (``record_fields``) and whose
suggestions live in ``suggestions``. A new task subclasses it and sets the class attributes,
then implements :meth:`~StructuredTask.make_widget`, :meth:`~StructuredTask.load` and
:meth:`~StructuredTask.default_model` (and :meth:`~StructuredTask.store_context` when its
records need more than the labels to be checked).

Examples
--------
>>> task = SpanTask(["PER", "LOC"], {}, "Anna lives in Oslo.")
>>> task.show("Boris met Anna.", records=[], suggestions=[
...     {"id": "s1", "start": 0, "end": 5, "label": "PER", "score": 0.8}])
>>> task.accept(["s1"])
['s1']
>>> [(r["text"], r["source"]) for r in task.records()]
[('Boris', 'human')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from ..records import kind_of, new_id
from ..widget.labels import label_names

__all__ = ["BUILTIN_TASKS", "BoxTask", "KeypointTask", "RegionTask", "SpanTask",
           "StructuredTask"]


class StructuredTask:
    """Base of the structured task adapters (see the module docstring).

    Parameters
    ----------
    labels : list of str
        The labels of the task's records.
    options : dict
        Extra keyword arguments of the annotator (the session's ``annotator_options``).
    item : object
        The first item to show (the annotator is built with it).

    Attributes
    ----------
    widget : AnnotatorWidget
        The annotator.
    """

    structured: ClassVar[bool] = True
    name: ClassVar[str] = ""
    item_kinds: ClassVar[tuple[str, ...]] = ()
    record_kinds: ClassVar[tuple[str, ...]] = ()
    columns: ClassVar[tuple[str, ...]] = ()
    #: The annotator's list traits holding the person's records.
    record_fields: ClassVar[tuple[str, ...]] = ()
    #: annotator_options the task sets itself (passing them is an error).
    reserved_options: ClassVar[tuple[str, ...]] = ()

    def __init__(self, labels: Sequence[str], options: dict[str, Any], item: Any) -> None:
        self.labels = label_names(labels)
        if not isinstance(options, dict):
            raise TypeError(f"annotator_options must be a dict, got {type(options).__name__}")
        taken = sorted(set(options) & set(self.reserved_options))
        if taken:
            raise TypeError(f"annotator_options may not set {taken}: the session sets them "
                            f"(pass labels=... to the session)")
        self.options = dict(options)
        self.widget: Any = self.make_widget(item)

    # -- what a task defines -----------------------------------------------------------------
    def make_widget(self, item: Any) -> Any:
        """The annotator, showing ``item``."""
        raise NotImplementedError

    def load(self, item: Any, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        """Show ``item`` with its records and suggestions, in one update."""
        raise NotImplementedError

    def default_model(self) -> Any:
        """A new built-in model for the task."""
        raise NotImplementedError

    def field_of(self, record: dict[str, Any]) -> str:
        """The record trait a record belongs to (the first one by default)."""
        return self.record_fields[0]

    def store_context(self) -> dict[str, Any]:
        """``Store.replace`` keywords for the item shown."""
        return {"kind": self.record_kinds[0], "labels": self.labels}

    def item_context(self, item: Any) -> dict[str, Any]:
        """``Store.replace`` keywords for an item that is not shown."""
        return {"kind": self.record_kinds[0], "labels": self.labels}

    # -- the interface, implemented over the traits -------------------------------------------
    def show(self, item: Any, *, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        self.widget.item_shown = True
        self.load(item, list(records), list(suggestions))

    def hide(self) -> None:
        """Hide the item (nothing left to show); the session's panel stays."""
        self.widget.item_shown = False

    def records(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for field in self.record_fields:
            out.extend(dict(r) for r in getattr(self.widget, field))
        return out

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        if isinstance(records, (str, bytes, dict)) or not isinstance(records, Iterable):
            raise TypeError(f"records must be a list of dicts, got {type(records).__name__}")
        split: dict[str, list[dict[str, Any]]] = {f: [] for f in self.record_fields}
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                raise TypeError(f"records[{index}] must be a dict, got {type(record).__name__}")
            split[self.field_of(record)].append(record)
        before = {f: getattr(self.widget, f) for f in self.record_fields}
        try:
            with self.widget.hold_sync():
                for field, values in split.items():
                    setattr(self.widget, field, values)
        except (TypeError, ValueError):
            for field, values in before.items():  # all or nothing
                setattr(self.widget, field, values)
            raise

    def suggestions(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.widget.suggestions]

    def set_suggestions(self, records: Sequence[dict[str, Any]]) -> None:
        self.widget.suggestions = list(records)

    #: How errors name the suggestions :meth:`accept` and :meth:`reject` choose from.
    suggestion_noun: ClassVar[str] = "suggestion"

    def _chosen(self, ids: Sequence[str] | str | None) -> list[dict[str, Any]]:
        """The suggestions awaiting review with these ids (all of them for None)."""
        current = self.suggestions()
        if ids is None:
            return current
        wanted = [ids] if isinstance(ids, str) else list(ids)
        known = {s["id"] for s in current}
        missing = [i for i in wanted if i not in known]
        if missing:
            raise ValueError(f"ids: no {self.suggestion_noun} awaiting review with id(s) "
                             f"{missing}; those awaiting review have ids {sorted(known)}")
        return [s for s in current if s["id"] in set(wanted)]

    def accept(self, ids: Sequence[str] | str | None = None) -> list[str]:
        chosen = self._chosen(ids)
        taken = {r["id"] for r in self.records()}
        lists = {f: list(getattr(self.widget, f)) for f in self.record_fields}
        made = []
        for suggestion in chosen:
            record = {k: v for k, v in suggestion.items() if k != "score"}
            record["source"] = "human"
            if record["id"] in taken:
                record["id"] = new_id()
            taken.add(record["id"])
            lists[self.field_of(record)].append(record)
            made.append(record["id"])
        gone = {s["id"] for s in chosen}
        with self.widget.hold_sync():
            self.widget.suggestions = [s for s in self.widget.suggestions if s["id"] not in gone]
            for field, values in lists.items():
                setattr(self.widget, field, values)
        return made

    def reject(self, ids: Sequence[str] | str | None = None) -> list[str]:
        gone = [s["id"] for s in self._chosen(ids)]
        self.widget.suggestions = [s for s in self.widget.suggestions if s["id"] not in gone]
        return gone

    def on_edit(self, callback: Callable[[], Any]) -> None:
        self.widget.on_change(lambda _change: callback())


class SpanTask(StructuredTask):
    """Text spans in a :class:`~nbannotate.TextAnnotator`; model: SpanTagger.

    ``annotator_options``: ``snap`` (``"token"``, a tokenizer or None).
    """

    name = "spans"
    item_kinds = ("text",)
    record_kinds = ("span",)
    columns = ("start", "end", "text")
    record_fields = ("spans",)
    reserved_options = ("text", "labels", "spans", "suggestions")

    def make_widget(self, item: Any) -> Any:
        from ..text.annotator import TextAnnotator

        return TextAnnotator(self._text(item), self.labels, **self.options)

    @staticmethod
    def _text(item: Any) -> str:
        if not isinstance(item, str):
            raise TypeError(f"task='spans' shows texts (str), got {type(item).__name__}")
        return item

    def load(self, item: Any, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        self.widget.load(self._text(item), spans=records, suggestions=suggestions)

    def default_model(self) -> Any:
        from ..models import SpanTagger

        return SpanTagger(labels=self.labels)

    def store_context(self) -> dict[str, Any]:
        return {"kind": "span", "labels": self.labels, "text": self.widget.text}

    def item_context(self, item: Any) -> dict[str, Any]:
        return {"kind": "span", "labels": self.labels, "text": self._text(item)}

    def accept(self, ids: Sequence[str] | str | None = None) -> list[str]:
        # The annotator's own accept: the same rules as Enter in the browser.
        chosen = [s["id"] for s in self._chosen(ids)]
        return [r["id"] for r in self.widget.accept_suggestions(chosen)]


class RegionTask(StructuredTask):
    """Time regions of audio in an :class:`~nbannotate.AudioAnnotator`; model: FrameTagger.

    Items are ``(samples, sample_rate)`` pairs, WAV paths or WAV bytes.
    ``annotator_options``: ``spectrogram`` (bool).
    """

    name = "regions"
    item_kinds = ("audio",)
    record_kinds = ("region",)
    columns = ("start", "end")
    record_fields = ("regions",)
    reserved_options = ("audio", "sample_rate", "labels", "regions", "suggestions")

    @staticmethod
    def _audio(item: Any) -> tuple[Any, float | None]:
        if isinstance(item, tuple) and len(item) == 2:
            return item[0], item[1]
        return item, None

    def make_widget(self, item: Any) -> Any:
        from ..audio.annotator import AudioAnnotator

        audio, rate = self._audio(item)
        return AudioAnnotator(audio, rate, self.labels, **self.options)

    def load(self, item: Any, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        audio, rate = self._audio(item)
        self.widget.set_audio(audio, rate, regions=records, suggestions=suggestions)

    def default_model(self) -> Any:
        from ..models import FrameTagger

        return FrameTagger(labels=self.labels)

    def store_context(self) -> dict[str, Any]:
        return {"kind": "region", "labels": self.labels, "duration": self.widget.duration}


class _ImageTask(StructuredTask):
    record_fields = ("boxes", "keypoints")
    reserved_options = ("image", "boxes", "keypoints", "suggestions", "tool")
    item_kinds = ("image",)
    record_kinds = ("box", "keypoint")

    def field_of(self, record: dict[str, Any]) -> str:
        return "boxes" if "w" in record else "keypoints"

    def load(self, item: Any, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        boxes = [r for r in records if "w" in r]
        points = [r for r in records if "w" not in r]
        self.widget.set_image(item, boxes=boxes, keypoints=points, suggestions=suggestions)

    def store_context(self) -> dict[str, Any]:
        # Box and keypoint labels differ: the annotator checked them; the store checks the
        # geometry against the image.
        return {"kind": None, "image_size": self.widget.image_size}

    def item_context(self, item: Any) -> dict[str, Any]:
        return {"kind": None}

    def accept(self, ids: Sequence[str] | str | None = None) -> list[str]:
        # A suggested box and its keypoints are one instance: the annotator's own accept.
        chosen = [s["id"] for s in self._chosen(ids)]
        return list(self.widget.accept_suggestions(chosen))

    def reject(self, ids: Sequence[str] | str | None = None) -> list[str]:
        chosen = [s["id"] for s in self._chosen(ids)]
        return list(self.widget.reject_suggestions(chosen))


class BoxTask(_ImageTask):
    """Bounding boxes in an :class:`~nbannotate.ImageAnnotator`; model: WindowDetector.

    ``annotator_options``: ``keypoint_labels``, ``skeleton`` (keypoints are then stored too),
    ``label``.
    """

    name = "boxes"
    columns = ("x", "y", "w", "h")
    reserved_options = (*_ImageTask.reserved_options, "labels")

    def make_widget(self, item: Any) -> Any:
        from ..image.annotator import ImageAnnotator

        return ImageAnnotator(item, self.labels, tool="box", **self.options)

    def default_model(self) -> Any:
        from ..models import WindowDetector

        return WindowDetector(labels=self.labels)


class KeypointTask(_ImageTask):
    """Keypoints in an :class:`~nbannotate.ImageAnnotator`; model: KeypointLocator.

    ``labels`` are the keypoint labels. ``annotator_options``: ``skeleton`` (pairs of
    keypoint labels joined by a line) and ``labels``, the labels of instance boxes a person
    may draw around an object's keypoints (default ``["object"]``; keypoints placed in a box
    carry its ``box_id``, and the model learns from them).
    """

    name = "keypoints"
    record_kinds = ("keypoint", "box")
    columns = ("x", "y", "visible", "box_id")
    reserved_options = (*_ImageTask.reserved_options, "keypoint_labels")

    def make_widget(self, item: Any) -> Any:
        from ..image.annotator import ImageAnnotator

        options = dict(self.options)
        boxes = label_names(options.pop("labels", ["object"]), "annotator_options['labels']")
        return ImageAnnotator(item, boxes, keypoint_labels=self.labels, tool="keypoint",
                              **options)

    def default_model(self) -> Any:
        from ..models import KeypointLocator

        return KeypointLocator(labels=self.labels)


def record_kind(record: dict[str, Any], task: StructuredTask) -> str:
    """The kind of a record of ``task`` (its only kind, or inferred from its fields).

    Examples
    --------
    >>> record_kind({"x": 1, "y": 2, "label": "nose"}, KeypointTask.__new__(KeypointTask))
    'keypoint'
    """
    if len(task.record_kinds) == 1:
        return task.record_kinds[0]
    return kind_of(record)


BUILTIN_TASKS: tuple[type[StructuredTask], ...] = (SpanTask, RegionTask, BoxTask, KeypointTask)
