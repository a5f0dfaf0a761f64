"""What a session shows under its annotator: the state of the widget's session panel.

A session is one anywidget, the task's annotator (a :class:`~nbannotate.ClassLabeler`, a
:class:`~nbannotate.TextAnnotator`, ...). :class:`SessionView` holds, as plain text and
numbers, what the panel under it shows (status line, why this item, notices, counts,
progress, buttons, charts) and assigns ``widget.panel`` (:func:`~nbannotate.widget.panel.
panel_state`) after each change, on the kernel's thread. The front end draws it and handles
the buttons' keys itself; presses come back, with the token of the item that was on screen,
to the callback given to :meth:`SessionView.on_action` (a press meant for an item no longer
shown is ignored, with a notice).

Examples
--------
>>> from nbannotate import TextAnnotator
>>> w = TextAnnotator("Anna met Boris.", labels=["PER"])
>>> view = SessionView(w, buttons=["done", "skip", "back"])
>>> seen = []
>>> view.on_action(lambda press: seen.append(press["action"]))
>>> token = view.next_item()
>>> view.update(note="why this item: pool order", status="labels are saved to s.db",
...             counts={"human": 0, "remaining": 2})
>>> w.panel["message"], w.panel["lines"], w.panel["item"] == token
('why this item: pool order', ['labels are saved to s.db'], True)
>>> w._receive_panel_action({"action": "done", "item": token})
>>> w._receive_panel_action({"action": "done", "item": token - 1})
>>> seen, view.notice
(['done'], 'a press meant for the previous item was ignored')
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from ..widget.panel import panel_state

__all__ = ["SessionView"]

_FIELDS = frozenset({"status", "note", "notice", "error", "lines", "counts", "progress",
                     "charts", "disabled", "pressed", "finished", "threshold"})


class SessionView:
    """The session panel's state, kept and drawn under ``widget``.

    Parameters
    ----------
    widget : AnnotatorWidget
        The annotator the panel is drawn under (it has ``panel`` and ``on_panel_action``).
    buttons : iterable of str
        The panel's buttons (see :data:`nbannotate.widget.panel.BUTTONS`).

    Attributes
    ----------
    item : int
        Token of the item on screen (:meth:`next_item` makes a new one).
    status : str
        The first line: where labels are saved, items that could not be shown.
    note : str
        Why the item on screen is shown.
    notice : str
        The outcome of the last press (an error, an ignored press); cleared by the next one.
    lines : list of str
        More lines (model state, precision, edits saved, ...).
    """

    def __init__(self, widget: Any, *, buttons: Iterable[str]) -> None:
        self.widget = widget
        self._buttons = list(buttons)
        self._lock = threading.RLock()
        self._callbacks: list[Callable[[dict[str, Any]], Any]] = []
        self.item = 0
        self.status = ""
        self.note = ""
        self.notice = ""
        self.error = False
        self.lines: list[str] = []
        self.counts: dict[str, int] | None = None
        self.progress: tuple[int, int] | None = None
        self.charts: dict[str, Any] | None = None
        self.disabled: list[str] = []
        self.pressed: list[str] = []
        self.finished = False
        self.threshold: float | None = None
        self.drawing = True
        widget.on_panel_action(self._pressed)

    def on_action(self, callback: Callable[[dict[str, Any]], Any]) -> None:
        """Call ``callback(press)`` for each press meant for the item on screen."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        self._callbacks.append(callback)

    def next_item(self) -> int:
        """A new item is on screen: presses sent for earlier ones are ignored from now on (the
        notice of the last press goes too)."""
        with self._lock:
            self.item += 1
            self.notice = ""
            return self.item

    def update(self, **fields: Any) -> None:
        """Set some of the attributes (``status``, ``note``, ``notice``, ``error``, ``lines``,
        ``counts``, ``progress``, ``charts``, ``disabled``, ``pressed``, ``finished``,
        ``threshold``) and redraw."""
        wrong = sorted(set(fields) - _FIELDS)
        if wrong:
            raise TypeError(f"update() got unknown fields {wrong}; expected among "
                            f"{sorted(_FIELDS)}")
        with self._lock:
            for name, value in fields.items():
                setattr(self, name, value)
            self.draw()

    def state(self) -> dict[str, Any]:
        """The panel state (:func:`~nbannotate.widget.panel.panel_state`) of the attributes."""
        message = self.notice or self.note
        lines = [line for line in (self.status, *self.lines) if line]
        if self.notice and self.note:
            lines.insert(0, self.note)
        done, total = self.progress if self.progress is not None else (None, None)
        state = panel_state(item=self.item, done=done, total=total, message=message,
                            buttons=self._buttons, error=self.error and bool(self.notice),
                            disabled=[b for b in self.disabled if b in self._buttons],
                            pressed=[b for b in self.pressed if b in self._buttons],
                            charts=self.charts, counts=self.counts, lines=lines,
                            threshold=self.threshold)
        if self.finished:
            state["finished"] = True
        return state

    def draw(self) -> None:
        """Assign the state to the widget's ``panel`` (only when it changed)."""
        with self._lock:
            if not self.drawing:
                return
            state = self.state()
            if state != self.widget.panel:
                self.widget.panel = state

    def _pressed(self, press: dict[str, Any]) -> None:
        with self._lock:
            if press.get("item") != self.item:
                self.update(notice="a press meant for the previous item was ignored",
                            error=False)
                return
        for callback in list(self._callbacks):
            callback(press)
