"""What the panel of a structured session says, as plain data: counts, edits saved, the
model's state and the outcome of the last auto-accept (:class:`StructuredDashboard`).

Examples
--------
>>> dash = StructuredDashboard()
>>> dash.show_counts(human=3, auto=2, remaining=10, skipped=1)
>>> dash.counts
{'human': 3, 'auto': 2, 'remaining': 10, 'skipped': 1}
>>> dash.show_edits({"human": 2, "accepted": 6, "edited": 1, "auto": 4, "rejected": 1,
...                  "ignored": 0, "accepted_fraction": 0.75})
>>> dash.edits_text.split(" · ")
['edits saved: 75% of annotations accepted from suggestions (6 of 8, 1 edited)', \
'1 suggestion not taken']
"""

from __future__ import annotations

import math
from typing import Any

from .dashboard import item_counts

__all__ = ["StructuredDashboard", "edits_text", "model_text"]


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


class StructuredDashboard:
    """Counts, edits saved, the model's state and the last auto-accept's outcome.

    Attributes
    ----------
    counts : dict
    edits_text, model_text, auto_text : str
    model_error : bool
        The model line is an error.
    """

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.edits_text = ""
        self.model_text = ""
        self.model_error = False
        self.auto_text = ""
        self.show_counts(human=0, auto=0, remaining=0, skipped=0)

    def show_counts(self, *, human: int, auto: int, remaining: int, skipped: int) -> None:
        """Items done by a person, auto-accepted, left, skipped."""
        self.counts, _ = item_counts(human, auto, remaining, skipped)

    def show_edits(self, counts: dict[str, Any]) -> None:
        """The edits-saved line, from :func:`~nbannotate.session._review.edit_counts`."""
        self.edits_text = edits_text(counts)

    def show_model(self, text: str, *, error: bool = False) -> None:
        """The model's state (fitting, fitted on n items, failed)."""
        self.model_text, self.model_error = text, error

    def show_auto(self, text: str) -> None:
        """The outcome of the last auto-accept."""
        self.auto_text = text

    def lines(self) -> list[str]:
        """The lines the panel shows (empty ones left out)."""
        return [t for t in (self.edits_text, self.model_text, self.auto_text) if t]


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
