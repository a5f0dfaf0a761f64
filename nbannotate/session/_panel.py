"""The session panel: what a session shows under its annotator, as the annotator's own
``panel`` state (drawn by ``js/session/panel.ts``), so that one anywidget is the whole labeling
UI in every front end (JupyterLab, Notebook 7, Voilà, marimo, VS Code, Colab).

A :class:`SessionPanel` owns that state: the item token (a press for an item no longer shown
is ignored, with a notice), the message line (why this item is shown, a notice, or the
finished text), text lines (the store, the model's state, edits saved, auto-accept), item
counts and progress, the buttons (which are shown, enabled, pressed) and the dashboard charts.
Each change is sent as one ``panel`` state update; :meth:`SessionPanel.batch` groups several
into one. Text is shown as text by the browser, never parsed as HTML.

Examples
--------
>>> from nbannotate import ClassLabeler
>>> labeler = ClassLabeler("a text", labels=["a", "b"])
>>> panel = SessionPanel(labeler, buttons=("back",))
>>> panel.show_counts(human=3, auto=2, remaining=10, skipped=1)
>>> labeler.panel["counts"], labeler.panel["progress"]
({'human': 3, 'auto': 2, 'remaining': 10, 'skipped': 1}, {'done': 5, 'total': 16})
>>> presses = []
>>> panel.on_action(lambda action, value: presses.append(action))
>>> labeler._receive_panel_action({"action": "back", "item": panel.item})
>>> labeler._receive_panel_action({"action": "back", "item": panel.item - 1})
>>> presses, panel.message
(['back'], 'a press meant for the previous item was ignored')
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..widget.panel import panel_state

__all__ = ["SessionPanel", "edits_text", "model_text"]

#: The text lines under the message, in the order they are shown.
LINES = ("status", "team", "agreement", "training", "model", "edits", "flat", "changed",
         "precision", "auto", "error")

ActionCallback = Callable[[str, "float | None"], Any]


def edits_text(counts: dict[str, Any]) -> str:
    """One line on the share of annotations taken from suggestions.

    Examples
    --------
    >>> edits_text({"human": 2, "accepted": 6, "edited": 1, "rejected": 1, "ignored": 0,
    ...             "accepted_fraction": 0.75}).split(" · ")
    ['edits saved: 75% of annotations accepted from suggestions (6 of 8, 1 edited)', \
'1 suggestion not taken']
    """
    settled = counts["human"] + counts["accepted"]
    if not settled:
        return "edits saved: nothing submitted yet"
    not_taken = counts["rejected"] + counts["ignored"]
    fraction = counts["accepted_fraction"]
    text = (f"edits saved: {fraction:.0%} of annotations accepted from suggestions "
            f"({counts['accepted']} of {settled}, {counts['edited']} edited)")
    if not_taken:
        text += f" · {not_taken} suggestion{'s' if not_taken != 1 else ''} not taken"
    return text


def model_text(*, busy: bool, n_trained: int, rounds: int, error: str,
               fit_seconds: float) -> str:
    """The model line of a structured session's panel.

    Examples
    --------
    >>> model_text(busy=False, n_trained=4, rounds=2, error="", fit_seconds=0.25)
    'model: fitted on 4 items (0.25 s)'
    """
    if error:
        return f"model: {error}"
    if busy:
        return "model: refitting…" if rounds else "model: fitting…"
    if not rounds:
        return "model: none yet (it learns from the first item you submit)"
    seconds = "" if math.isnan(fit_seconds) else f" ({fit_seconds:.2f} s)"
    return f"model: fitted on {n_trained} items{seconds}"


class SessionPanel:
    """The panel state of one annotator widget, kept by its session.

    Parameters
    ----------
    widget : AnnotatorWidget
        The annotator the panel is drawn under (any nbannotate widget: its ``panel`` trait
        and :meth:`~nbannotate.widget.base.AnnotatorWidget.on_panel_action`).
    buttons : sequence of str
        The buttons shown, in order (see :data:`nbannotate.widget.panel.BUTTONS`).
    threshold : float, optional
        Shows the auto-accept threshold field with this value.
    status : str
        The first text line (where labels are stored).

    Attributes
    ----------
    item : int
        Token of the item on screen; :meth:`next_item` changes it.
    counts : dict of str to int
        The item counts shown (``human``, ``auto``, ``remaining``, ``skipped``).
    message : str
        The notice shown (empty: none).

    Examples
    --------
    >>> from nbannotate import ClassLabeler
    >>> panel = SessionPanel(ClassLabeler("x", labels=["a"]), buttons=("done", "skip"))
    >>> panel.set_enabled(False)
    >>> [b["disabled"] for b in panel.state["buttons"]]
    [True, True]
    """

    def __init__(self, widget: Any, *, buttons: Sequence[str] = ("done", "skip", "back"),
                 threshold: float | None = None, status: str = "") -> None:
        self._widget = widget
        self._lock = threading.RLock()
        self._batching = 0
        self._dirty = False
        self._buttons = tuple(buttons)
        self._threshold = threshold
        self._callbacks: list[ActionCallback] = []
        self._lines: dict[str, str] = {name: "" for name in LINES}
        self._lines["status"] = status
        self._disabled: set[str] = set()
        self._pressed: set[str] = set()
        self._note = ""
        self._finished = ""
        self._error = False
        self._charts: dict[str, Any] | None = None
        self._toggles: list[tuple[str, str, bool]] = []
        self.item = 1
        self.counts: dict[str, int] = {}
        self.message = ""
        widget.on_panel_action(self._receive)
        self.render()

    # -- presses ---------------------------------------------------------------------------------
    def on_action(self, callback: ActionCallback) -> None:
        """Call ``callback(action, value)`` for each press of a button (or its key) meant for
        the item on screen; ``value`` is the threshold typed with ``auto``, else None."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        self._callbacks.append(callback)

    def _receive(self, press: dict[str, Any]) -> None:
        action = press["action"]
        toggles = {f"toggle:{name}" for name, _, _ in self._toggles}
        if action not in self._buttons and action not in toggles:
            return
        if press["item"] != self.item:
            self.tell("a press meant for the previous item was ignored")
            return
        if action in self._disabled:
            return
        if self.message:
            self.tell("")
        for callback in list(self._callbacks):
            callback(action, press.get("value"))

    # -- what is shown ---------------------------------------------------------------------------
    @property
    def state(self) -> dict[str, Any]:
        """The panel state as sent to the browser."""
        with self._lock:
            if self._finished:
                message, error = self._finished, False
            elif self.message:
                message, error = self.message, self._error
            else:
                message, error = self._note, False
            counts = self.counts or None
            done = total = None
            if counts is not None:
                done = counts.get("human", 0) + counts.get("auto", 0)
                total = done + counts.get("remaining", 0) + counts.get("skipped", 0)
            return panel_state(item=self.item, done=done, total=total, message=message,
                               error=error, buttons=self._buttons,
                               disabled=sorted(self._disabled & set(self._buttons)),
                               pressed=sorted(self._pressed & set(self._buttons)),
                               charts=self._charts, counts=counts,
                               lines=[t for t in self._lines.values() if t],
                               threshold=self._threshold, toggles=self._toggles)

    def render(self) -> None:
        """Send the panel state to the browser now (or at the end of :meth:`batch`)."""
        with self._lock:
            if self._batching:
                self._dirty = True
                return
            self._dirty = False
            self._widget.panel = self.state

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group changes into one state update.

        Examples
        --------
        >>> from nbannotate import ClassLabeler
        >>> panel = SessionPanel(ClassLabeler("x", labels=["a"]))
        >>> with panel.batch():
        ...     panel.set_note("why this item"); panel.next_item()
        2
        >>> panel.state["message"]
        'why this item'
        """
        with self._lock:
            self._batching += 1
        try:
            yield
        finally:
            with self._lock:
                self._batching -= 1
                if not self._batching and self._dirty:
                    self.render()

    def next_item(self) -> int:
        """A new item is on screen: presses sent for earlier ones are ignored from now on."""
        with self._lock:
            self.item += 1
            self.message = ""
            self.render()
            return self.item

    def set_note(self, text: str) -> None:
        """Why the item on screen is shown (the message line when there is no notice)."""
        with self._lock:
            self._note = text
            self.render()

    def tell(self, text: str, *, error: bool = False) -> None:
        """A notice in the message line (empty: back to the note)."""
        with self._lock:
            self.message, self._error = text, error
            self.render()

    def set_finished(self, text: str) -> None:
        """The text shown when no item is left (empty: an item is shown)."""
        with self._lock:
            self._finished = text
            self.render()

    @property
    def finished_text(self) -> str:
        """The finished text shown (empty while an item is shown)."""
        return self._finished

    def set_line(self, name: str, text: str) -> None:
        """Set one of the text lines (:data:`LINES`; empty hides it)."""
        if name not in self._lines:
            raise ValueError(f"name must be one of {list(LINES)}, got {name!r}")
        with self._lock:
            self._lines[name] = text
            self.render()

    def line(self, name: str) -> str:
        """The text of one line (:data:`LINES`)."""
        return self._lines[name]

    def show_counts(self, *, human: int, auto: int, remaining: int, skipped: int) -> None:
        """Items done by a person, auto-labeled, left and skipped (and the progress bar)."""
        with self._lock:
            self.counts = {"human": int(human), "auto": int(auto),
                           "remaining": int(remaining), "skipped": int(skipped)}
            self.render()

    def set_charts(self, charts: dict[str, Any] | None) -> None:
        """The dashboard charts (:func:`nbannotate.widget.panel.chart_state`)."""
        with self._lock:
            self._charts = charts
            self.render()

    def set_enabled(self, enabled: bool, *, can_back: bool | None = None) -> None:
        """Enable or grey out Done and Skip (and Back, when ``can_back`` is given)."""
        with self._lock:
            for action in ("done", "skip"):
                (self._disabled.discard if enabled else self._disabled.add)(action)
            if can_back is not None:
                (self._disabled.discard if can_back else self._disabled.add)("back")
            self.render()

    def set_toggles(self, toggles: list[tuple[str, str, bool]]) -> None:
        """Toggle buttons after the others: ``(name, text, on)``; presses come back as
        ``"toggle:<name>"``."""
        with self._lock:
            self._toggles = list(toggles)
            self.render()

    def set_pressed(self, action: str, pressed: bool) -> None:
        """Show a toggle button (``spot_check``) pressed or not."""
        with self._lock:
            (self._pressed.add if pressed else self._pressed.discard)(action)
            self.render()

    def is_pressed(self, action: str) -> bool:
        """Whether a toggle button is shown pressed."""
        return action in self._pressed
