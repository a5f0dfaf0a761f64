"""The side panel of a structured session: counts, edits saved, the model's state, and the
auto-accept controls. Text only (set with ``html.escape``); redrawn after each answer and
when a refit finishes.

Examples
--------
>>> panel = StructuredPanel()
>>> panel.show_counts(human=3, auto=2, remaining=10, skipped=1)
>>> panel.counts
{'human': 3, 'auto': 2, 'remaining': 10, 'skipped': 1}
>>> panel.show_edits({"human": 2, "accepted": 6, "edited": 1, "auto": 4, "rejected": 1,
...                   "ignored": 0, "accepted_fraction": 0.75})
>>> panel.edits_text.split(" · ")
['edits saved: 75% of annotations accepted from suggestions (6 of 8, 1 edited)', \
'1 suggestion not taken']
"""

from __future__ import annotations

import html
import math
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..widget.style import style_widget
from .dashboard import item_counts

__all__ = ["StructuredPanel", "edits_text"]


def edits_text(counts: dict[str, Any]) -> str:
    """One line on the share of annotations taken from suggestions."""
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


class StructuredPanel(widgets.VBox):
    """Counts, edits saved, model state and auto-accept (a threshold and two buttons).

    Attributes
    ----------
    threshold : ipywidgets.BoundedFloatText
        The auto-accept threshold the button uses.
    auto_button, remove_auto_button : ipywidgets.Button
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._counts = widgets.HTML("")
        self._counts.add_class("nba-dash-counts")
        self._edits = widgets.HTML("")
        self._edits.add_class("nba-dash-text")
        self._edits.add_class("nba-edits-saved")
        self._model = widgets.HTML("")
        self._model.add_class("nba-training")
        self._model.add_class("nba-model-state")
        self._auto = widgets.HTML("")
        self._auto.add_class("nba-dash-text")
        self.threshold = widgets.BoundedFloatText(
            value=0.9, min=0.0, max=1.0, step=0.01, description="auto-accept ≥",
            style={"description_width": "initial"}, layout=widgets.Layout(width="150px"))
        self.auto_button = widgets.Button(
            description="Auto-accept", tooltip="store the suggestions scoring at least the "
            "threshold on items nobody has labeled, as source='auto'",
            layout=widgets.Layout(width="auto"))
        self.remove_auto_button = widgets.Button(
            description="Remove auto", tooltip="remove every auto-accepted annotation",
            layout=widgets.Layout(width="auto"))
        row = widgets.HBox([self.threshold, self.auto_button, self.remove_auto_button],
                           layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([style_widget(), self._counts, self._edits, self._model, row,
                          self._auto], layout=widgets.Layout(width="300px"))
        self.add_class("nba-dashboard")
        self.counts: dict[str, int] = {}
        self.edits_text = ""
        self.model_text = ""
        self.show_counts(human=0, auto=0, remaining=0, skipped=0)

    def on_auto(self, accept: Callable[[float], Any], remove: Callable[[], Any]) -> None:
        """Wire the buttons: ``accept(threshold)`` and ``remove()``; errors are shown."""
        def run(action: Callable[[], Any]) -> None:
            try:
                result = action()
            except Exception as error:  # shown to the person
                self.show_auto(f"auto-accept failed: {error}")
                return
            self.show_auto(str(result))

        self.auto_button.on_click(lambda _b: run(lambda: accept(float(self.threshold.value))))
        self.remove_auto_button.on_click(lambda _b: run(remove))

    def show_counts(self, *, human: int, auto: int, remaining: int, skipped: int) -> None:
        """Items done by a person, auto-accepted, left, skipped."""
        with self._lock:
            self.counts, self._counts.value = item_counts(human, auto, remaining, skipped)

    def show_edits(self, counts: dict[str, Any]) -> None:
        """The edits-saved line, from :func:`~nbannotate.session._review.edit_counts`."""
        with self._lock:
            self.edits_text = edits_text(counts)
            self._edits.value = html.escape(self.edits_text)

    def show_model(self, text: str, *, error: bool = False) -> None:
        """The model's state (fitting, fitted on n items, failed)."""
        with self._lock:
            self.model_text = text
            self._model.value = html.escape(text)
            if error:
                self._model.add_class("nba-message")
            else:
                self._model.remove_class("nba-message")

    def show_auto(self, text: str) -> None:
        """The outcome of the last auto-accept."""
        with self._lock:
            self._auto.value = html.escape(text)


def model_text(*, busy: bool, n_trained: int, rounds: int, error: str,
               fit_seconds: float) -> str:
    """The model line of the panel.

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
