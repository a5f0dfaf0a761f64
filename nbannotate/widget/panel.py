"""The session panel's state: what every widget's front end draws under itself when its
``panel`` trait is set (``js/session/panel.ts``): progress, a message line, the session's
buttons (with their keys: Ctrl+Enter "done", Ctrl+Shift+S "skip", Ctrl+Backspace "back") and
the dashboard's charts (learning curve, confidence histogram with its threshold, class
balance, and in team mode each annotator's items and labels per minute), drawn on canvases in
the browser from these numbers alone.

Pure Python, JSON in and out: a session builds the state with :func:`panel_state` (and the
charts with :func:`chart_state` or :func:`charts_from_stats`) and assigns it to
``widget.panel``; presses come back through ``widget.on_panel_action(callback)`` as
``{"action": ..., "item": token}``.

Examples
--------
>>> state = panel_state(item=3, done=5, total=20, message="model refitted",
...                     charts=chart_state(curve_n=[10, 20], curve_accuracy=[0.5, 0.7],
...                                        confidence=[0.2, 0.97], threshold=0.9,
...                                        labels=["cat", "dog"], human=[3, 2], auto=[1, 0]))
>>> state["progress"], [b["action"] for b in state["buttons"]]
({'done': 5, 'total': 20}, ['done', 'skip', 'back'])
>>> state["charts"]["confidence"]["counts"][-1], state["charts"]["confidence"]["threshold"]
(1, 0.9)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["BUTTONS", "HISTOGRAM_BINS", "chart_state", "charts_from_stats", "panel_state"]

HISTOGRAM_BINS = 20

#: The session's buttons: action, text, tooltip (the keys are the front end's). ``auto``
#: sends the panel's threshold field as ``value``; ``spot_check`` is a toggle (``pressed``).
BUTTONS: tuple[tuple[str, str, str], ...] = (
    ("done", "Done ⌃↵", "Save this item and show the next (Ctrl+Enter)"),
    ("skip", "Skip", "Skip this item; it is not shown again (Ctrl+Shift+S)"),
    ("back", "Back ⌃⌫", "Bring the previous item back (Ctrl+Backspace)"),
    ("auto", "Auto-accept", "Store the suggestions scoring at least the threshold on items "
     "nobody has labeled, as source='auto'"),
    ("remove_auto", "Remove auto", "Remove every auto-accepted annotation"),
    ("spot_check", "Spot-check auto-labels", "Show auto-labeled items to confirm or correct"),
)


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


def _floats(values: Iterable[Any], name: str) -> list[float]:
    out = [float(v) for v in values]
    if not all(math.isfinite(v) for v in out):
        raise ValueError(f"{name} must be finite numbers, got {out!r}")
    return out


def chart_state(*, curve_n: Sequence[float] = (), curve_accuracy: Sequence[float] = (),
                confidence: Any = (), threshold: float | None = None,
                labels: Sequence[Any] = (), human: Sequence[int] = (),
                auto: Sequence[int] = (),
                annotators: Sequence[tuple[str, int, float]] = ()) -> dict[str, Any]:
    """The charts of the panel as JSON numbers.

    Parameters
    ----------
    curve_n, curve_accuracy : sequence of float
        The learning curve: accuracy after each refit, by number of human labels.
    confidence : array-like of float
        The model's top-class probability per unlabeled item; sent as a 20-bin histogram over
        [0, 1] (the cost does not grow with the pool).
    threshold : float or None
        The auto-label threshold drawn on the histogram.
    labels, human, auto : sequences
        Class balance: label names and human / auto label counts per class.
    annotators : sequence of (str, int, float)
        Team mode: ``(annotator, items labeled, labels per minute)`` of each annotator, drawn
        as one bar per annotator (the chart is left out when empty).

    Examples
    --------
    >>> chart_state(confidence=[0.0, 0.04, 1.0])["confidence"]["counts"][:2]
    [2, 0]
    >>> chart_state(annotators=[("ana", 12, 3.5), ("bo", 7, 2.0)])["annotators"]["items"]
    [12, 7]
    """
    n = _floats(curve_n, "curve_n")
    accuracy = _floats(curve_accuracy, "curve_accuracy")
    if len(n) != len(accuracy):
        raise ValueError(f"curve_n and curve_accuracy must have the same length, got {len(n)} "
                         f"and {len(accuracy)}")
    scores = np.asarray(confidence, dtype=float).ravel()
    scores = scores[np.isfinite(scores)]
    counts, _ = np.histogram(np.clip(scores, 0.0, 1.0), bins=HISTOGRAM_BINS, range=(0.0, 1.0))
    if threshold is not None and not (isinstance(threshold, (int, float))
                                      and 0.0 <= float(threshold) <= 1.0):
        raise ValueError(f"threshold must be a number in [0, 1] or None, got {threshold!r}")
    names = [str(label) for label in labels]
    humans = [_count(v, "human") for v in human] or [0] * len(names)
    autos = [_count(v, "auto") for v in auto] or [0] * len(names)
    if not len(humans) == len(autos) == len(names):
        raise ValueError(f"labels, human and auto must have the same length, got "
                         f"{len(names)}, {len(humans)} and {len(autos)}")
    state: dict[str, Any] = {
        "curve": {"n": n, "accuracy": accuracy},
        "confidence": {"counts": counts.astype(int).tolist(),
                       "threshold": None if threshold is None else float(threshold)},
        "balance": {"labels": names, "human": humans, "auto": autos},
    }
    rows = list(annotators)
    if rows:
        if not all(isinstance(row, (tuple, list)) and len(row) == 3 for row in rows):
            raise ValueError(f"annotators must be (name, items, per_minute) triples, got "
                             f"{rows!r}")
        state["annotators"] = {
            "names": [str(row[0]) for row in rows],
            "items": [_count(row[1], "annotators items") for row in rows],
            "per_minute": _floats((row[2] for row in rows), "annotators per_minute"),
        }
    return state


def charts_from_stats(stats: Any, labels: Sequence[Any]) -> dict[str, Any]:
    """:func:`chart_state` from a session dashboard's stats (any object with the attributes
    ``curve_n``, ``curve_accuracy``, ``confidence``, ``threshold``, ``human_per_class`` and
    ``auto_per_class``, and optionally ``annotators``, as ``DashboardStats`` has).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> stats = SimpleNamespace(curve_n=(10.0,), curve_accuracy=(0.8,), confidence=[0.99],
    ...                         threshold=None, human_per_class=(4, 6), auto_per_class=(0, 0))
    >>> charts_from_stats(stats, ["a", "b"])["balance"]["human"]
    [4, 6]
    """
    return chart_state(curve_n=stats.curve_n, curve_accuracy=stats.curve_accuracy,
                       confidence=stats.confidence, threshold=stats.threshold, labels=labels,
                       human=stats.human_per_class, auto=stats.auto_per_class,
                       annotators=getattr(stats, "annotators", ()))


def panel_state(*, item: int, done: int | None = None, total: int | None = None,
                message: str = "", buttons: Iterable[str] = ("done", "skip", "back"),
                disabled: Iterable[str] = (), pressed: Iterable[str] = (),
                charts: dict[str, Any] | None = None, counts: dict[str, int] | None = None,
                lines: Iterable[str] = (), error: bool = False,
                threshold: float | None = None,
                toggles: Iterable[tuple[str, str, bool]] = ()) -> dict[str, Any]:
    """The whole panel state, for ``widget.panel``.

    Parameters
    ----------
    item : int
        Token of the item on screen; sent back with each press.
    done, total : int or None
        Progress (items answered of all items); None hides the bar.
    message : str
        A line of text (shown as text; empty hides it).
    buttons : iterable of str
        Which of :data:`BUTTONS` to show, in order (``"done"``, ``"skip"``, ``"back"``,
        ``"auto"``, ``"remove_auto"``, ``"spot_check"``; a ClassLabeler session needs none of
        the first three: its label keys answer).
    disabled : iterable of str
        Buttons shown greyed out (their keys do nothing either).
    pressed : iterable of str
        Toggle buttons shown pressed (e.g. ``"spot_check"`` while spot-checking).
    lines : iterable of str
        More lines of text under the message (e.g. edits saved, the model's state).
    error : bool
        Show the message as an error rather than a notice.
    threshold : float or None
        Shows an "auto-accept ≥" field with this value; the ``auto`` button sends it.
    charts : dict or None
        From :func:`chart_state`.
    counts : dict of str to int or None
        Named counts shown in a line (e.g. ``{"human": 3, "auto": 10}``).
    toggles : iterable of (name, text, on)
        More toggle buttons after the others (e.g. one per annotator in a review, pressed
        while their records are shown); a press comes back as ``"toggle:<name>"``.

    Examples
    --------
    >>> panel_state(item=1, buttons=["done"], disabled=["done"])["buttons"][0]["disabled"]
    True
    """
    if isinstance(item, bool) or not isinstance(item, int):
        raise TypeError(f"item must be an int token, got {item!r}")
    if not isinstance(message, str):
        raise TypeError(f"message must be a str, got {type(message).__name__}")
    known = {action: (text, title) for action, text, title in BUTTONS}
    shown = list(buttons)
    off = set(disabled)
    down = set(pressed)
    for action in [*shown, *off, *down]:
        if action not in known:
            raise ValueError(f"buttons must be among {list(known)}, got {action!r}")
    texts = list(lines)
    if not all(isinstance(t, str) for t in texts):
        raise TypeError(f"lines must be strings, got {texts!r}")
    state: dict[str, Any] = {
        "item": item,
        "message": message,
        "error": bool(error),
        "lines": texts,
        "buttons": [{"action": a, "text": known[a][0], "title": known[a][1],
                     "disabled": a in off, "pressed": a in down} for a in shown],
    }
    for name, text, on in toggles:
        if not isinstance(name, str) or not isinstance(text, str):
            raise TypeError(f"toggles must be (name, text, on) with str name and text, got "
                            f"{(name, text, on)!r}")
        state["buttons"].append({"action": f"toggle:{name}", "text": text,
                                 "title": f"show or hide {text}", "disabled": False,
                                 "pressed": bool(on)})
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
                or not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"threshold must be a number in [0, 1] or None, got {threshold!r}")
        state["threshold"] = float(threshold)
    if done is not None or total is not None:
        if done is None or total is None:
            raise ValueError("done and total go together (both or neither)")
        state["progress"] = {"done": _count(done, "done"), "total": _count(total, "total")}
    if counts is not None:
        state["counts"] = {str(k): _count(v, str(k)) for k, v in counts.items()}
    if charts is not None:
        state["charts"] = charts
    return state
