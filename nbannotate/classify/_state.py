"""What a ClassLabeler holds: its labels, the item shown, the note under it, the inline
message and the current selection (``value``), each checked when assigned.

A mixin of :class:`nbannotate.ClassLabeler` (its state lives there). Text is shown escaped,
never parsed as HTML.

Examples
--------
>>> from nbannotate import ClassLabeler
>>> w = ClassLabeler("a purring animal", labels=["cat", "dog"], multi=True)
>>> w.value = ["dog", "cat"]
>>> w.value, w.labels, w.multi
(['cat', 'dog'], ['cat', 'dog'], True)
>>> w.note = "<b>why</b>"
>>> w.note
'<b>why</b>'
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import ipywidgets as widgets

from ..widget.labels import LabelSet

__all__ = ["LabelerStateMixin"]


class LabelerStateMixin:
    """``labels``, ``multi``, ``item``, ``note``, ``message`` and ``value`` of a labeler."""

    _labels: LabelSet
    _multi: bool
    _lock: threading.RLock
    _item: Any
    _value: Any
    _note: widgets.HTML
    _note_text: str
    _message_text: str
    _buttons: list[widgets.Button]
    show: Callable[..., None]
    _set_message: Callable[..., None]

    @property
    def labels(self) -> list[Hashable]:
        """The classes, in button order."""
        return list(self._labels.values)

    @property
    def multi(self) -> bool:
        """Whether several labels may be given to one item."""
        return self._multi

    @property
    def item(self) -> Any:
        """The item shown (None when there is none); assigning shows another item."""
        return self._item

    @item.setter
    def item(self, item: Any) -> None:
        self.show(item)

    @property
    def note(self) -> str:
        """The line of text under the item."""
        return self._note_text

    @note.setter
    def note(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"note must be a str, got {type(text).__name__}")
        self._note_text = text
        self._note.value = html.escape(text)

    @property
    def message(self) -> str:
        """The inline message (an error or a notice; empty when none); shown as text."""
        return self._message_text

    @message.setter
    def message(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"message must be a str, got {type(text).__name__}")
        self._set_message(text)

    @property
    def value(self) -> Any:
        """The current selection: a label (or None), or a list of labels with ``multi``."""
        return list(self._value) if self._multi else self._value

    @value.setter
    def value(self, value: Any) -> None:
        checked = self._check_value(value)
        with self._lock:
            self._value = checked
            chosen = set(checked) if self._multi else {checked}
            for button, label in zip(self._buttons, self._labels.values, strict=True):
                button.button_style = "info" if label in chosen else ""

    def _check_value(self, value: Any) -> Any:
        if self._multi:
            if value is None:
                return []
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                raise TypeError(f"value must be a list of labels (multi=True), got {value!r}")
            chosen = {self._labels.index(v, name="value") for v in value}
            return [self._labels.values[i] for i in sorted(chosen)]
        if value is None:
            return None
        return self._labels.parse(value, name="value")
