"""The labeling session's dashboard: counts, learning curve, confidence, precision, balance.

:func:`compute_stats` reads a learner (headless, tested without widgets) into a
:class:`DashboardStats`; :class:`Dashboard` shows them in the session's panel, where the
browser draws the charts from the numbers (``js/session/charts.ts``). Charts change only on
:meth:`Dashboard.update` (called when the model refits); the counts change after every answer
(:meth:`Dashboard.show_counts`).

Examples
--------
>>> from nbannotate import ClassLabeler
>>> from nbannotate.session._panel import SessionPanel
>>> dash = Dashboard(["cat", "dog"], SessionPanel(ClassLabeler("x", labels=["cat", "dog"])))
>>> dash.show_counts(human=3, auto=10, remaining=87, skipped=1)
>>> dash.counts
{'human': 3, 'auto': 10, 'remaining': 87, 'skipped': 1}
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..widget.labels import LabelSet
from ..widget.panel import charts_from_stats
from ._panel import SessionPanel

__all__ = ["Dashboard", "DashboardStats", "PredictionChanges", "compute_stats", "curve_flattened"]


@dataclass(frozen=True)
class DashboardStats:
    """Everything the dashboard shows, read from a learner at one moment.

    Attributes
    ----------
    n_items, n_human, n_auto, n_remaining, n_skipped : int
        Pool size; items labeled by a person, auto-labeled, neither; skipped this session.
    curve_n, curve_accuracy : tuple of float
        The learning curve: cross-validated accuracy after each full refit, by human labels.
    flattened : bool
        The learning curve has flattened: its accuracy gained less than a point over the last
        labels (:func:`curve_flattened`) **and** the model's predictions
        over the pool have stopped changing (under 1% of the items at each of the last two
        refits). The second test matters because the curve is measured on the labeled items,
        which active learning picks among the hardest, so it can sag while the model improves.
    confidence : ndarray
        The model's top-class probability for every unlabeled item (empty before a model).
    threshold : float or None
        Auto-label threshold in force.
    precision, precision_lower, precision_upper : float
        Estimated precision of the auto-labels at the threshold and its interval (NaN when
        auto-labeling is off).
    precision_n : int
        Held-out predictions behind the estimate.
    spot_n, spot_correct : int
        Spot-checks done and how many confirmed the auto-label.
    spot_lower, spot_upper : float
        Interval of the precision measured by spot-checks (NaN when none).
    auto_status : str
        The learner's sentence on auto-labeling (why it is off, or at which threshold).
    human_per_class, auto_per_class : tuple of int
        Labels per class, in label order.
    changed : float
        Fraction of the pool whose predicted class changed at the last refit the dashboard saw
        (NaN before two models).
    training : bool
        A refit is running.
    n_refits : int
    last_error : str
        The last refit's error ("" when it succeeded).
    annotators : tuple of (str, int, float)
        Team mode: ``(annotator, items labeled, labels per minute over the last ten
        minutes)`` of each annotator, most items first (empty outside team mode).
    """

    n_items: int
    n_human: int
    n_auto: int
    n_remaining: int
    n_skipped: int
    curve_n: tuple[float, ...]
    curve_accuracy: tuple[float, ...]
    flattened: bool
    confidence: np.ndarray = field(repr=False)
    threshold: float | None
    precision: float
    precision_lower: float
    precision_upper: float
    precision_n: int
    spot_n: int
    spot_correct: int
    spot_lower: float
    spot_upper: float
    auto_status: str
    human_per_class: tuple[int, ...]
    auto_per_class: tuple[int, ...]
    changed: float
    training: bool
    n_refits: int
    last_error: str
    annotators: tuple[tuple[str, int, float], ...] = ()


def _per_class(frame: Any, labels: LabelSet) -> tuple[int, ...]:
    counts = frame["label"].map(lambda v: labels.names[labels.index(v)]).value_counts()
    return tuple(int(counts.get(name, 0)) for name in labels.names)


STABLE_CHANGE = 0.01


class PredictionChanges:
    """Tracks how much of the pool changes its predicted class from one model to the next.

    Examples
    --------
    >>> changes = PredictionChanges()
    >>> changes.fractions
    []
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._refits = -1
        self._predicted: np.ndarray | None = None
        self.fractions: list[float] = []

    def update(self, learner: Any) -> list[float]:
        """Compare the learner's current model with the last one seen; return the fractions."""
        with self._lock:
            n_refits = len(learner.history)
            proba = learner.predict_proba()
            if n_refits != self._refits and proba is not None:
                predicted = np.asarray(proba).argmax(axis=1)
                if self._predicted is not None and self._predicted.shape == predicted.shape:
                    self.fractions.append(float(np.mean(predicted != self._predicted)))
                self._predicted = predicted
                self._refits = n_refits
            return list(self.fractions)


def curve_flattened(n_labels: Sequence[float], accuracy: Sequence[float], *,
                    window: int | None = None, tolerance: float = 0.01,
                    min_points: int = 6) -> bool:
    """True when the learning curve has flattened: the mean accuracy of the last three points
    gained less than ``tolerance`` over the three points ending ``window`` labels earlier.

    Parameters
    ----------
    n_labels, accuracy : sequences of float
        The curve (one point per refit with a cross-validated accuracy).
    window : int, optional
        Labels looked back over (default: a quarter of the labels so far, at least 20).
    tolerance : float
        Gain in accuracy below which the curve counts as flat (default one point).
    min_points : int
        Fewer points than this never count as flat.

    Examples
    --------
    >>> curve_flattened([10, 20, 30, 40, 50, 60], [.3, .4, .5, .6, .7, .8])
    False
    """
    n = np.asarray(n_labels, dtype=float)
    acc = np.asarray(accuracy, dtype=float)
    keep = ~(np.isnan(n) | np.isnan(acc))
    n, acc = n[keep], acc[keep]
    if n.size < min_points:
        return False
    order = np.argsort(n, kind="stable")
    n, acc = n[order], acc[order]
    last = n[-1]
    look_back = window if window is not None else max(20, round(0.25 * float(last)))
    earlier = np.flatnonzero(n <= last - look_back)
    if earlier.size == 0:
        return False
    end = earlier[-1]
    before = acc[max(0, end - 2):end + 1].mean()
    recent = acc[-3:].mean()
    return bool(recent - before < tolerance)


def compute_stats(learner: Any, labels: LabelSet, *, n_skipped: int = 0,
                  changes: Sequence[float] = (),
                  annotators: Sequence[tuple[str, int, float]] = ()) -> DashboardStats:
    """Read the dashboard's figures from an :class:`~nbannotate.active.ActiveLearner`.

    ``changes`` are the fractions of the pool whose prediction changed at successive refits
    (:class:`PredictionChanges`), used by the "flattened" signal. ``annotators`` is team
    mode's per-annotator progress, kept as it is.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from nbannotate.active import ActiveLearner
    >>> learner = ActiveLearner(LogisticRegression(), np.eye(4), labels=["a", "b"], cv=0)
    >>> compute_stats(learner, LabelSet(["a", "b"])).n_remaining
    4
    """
    table = learner.labels
    human = table[table["source"] == "human"]
    auto = table[table["source"] == "auto"]
    history = learner.history
    full = history[(history["kind"] == "full") & history["cv_accuracy"].notna()]
    curve_n = tuple(float(v) for v in full["n_labels"])
    curve_acc = tuple(float(v) for v in full["cv_accuracy"])
    proba = learner.predict_proba()
    if proba is None:
        confidence = np.empty(0)
    else:
        free = np.ones(proba.shape[0], dtype=bool)
        free[human["id"].to_numpy(dtype=np.int64)] = False
        confidence = np.asarray(proba[free].max(axis=1) if free.any() else np.empty(0))
    threshold = learner.threshold
    precision = lower = upper = math.nan
    precision_n = 0
    if threshold is not None:
        estimate = learner.estimated_precision(threshold)
        precision, lower, upper = estimate.precision, estimate.lower, estimate.upper
        precision_n = int(estimate.n)
    measured = learner.measured_precision(0.0)
    error = learner.last_error
    return DashboardStats(
        n_items=int(learner.n_items), n_human=len(human), n_auto=len(auto),
        n_remaining=int(learner.n_items) - len(human) - len(auto), n_skipped=int(n_skipped),
        curve_n=curve_n, curve_accuracy=curve_acc,
        flattened=(curve_flattened(curve_n, curve_acc) and len(changes) >= 2
                   and max(changes[-2:]) < STABLE_CHANGE),
        confidence=confidence, threshold=threshold, precision=float(precision),
        precision_lower=float(lower), precision_upper=float(upper), precision_n=precision_n,
        spot_n=int(measured.measured_n), spot_correct=int(measured.measured_correct),
        spot_lower=float(measured.measured_lower), spot_upper=float(measured.measured_upper),
        auto_status=learner.auto_label_status,
        human_per_class=_per_class(human, labels), auto_per_class=_per_class(auto, labels),
        changed=float(changes[-1]) if len(changes) else math.nan,
        training=bool(learner.is_training), n_refits=len(history),
        last_error="" if error is None else f"{type(error).__name__}: {error}",
        annotators=tuple((str(a), int(n), float(r)) for a, n, r in annotators),
    )


def precision_text(stats: DashboardStats) -> str:
    """The precision paragraph as plain text (escaped before it is shown).

    Examples
    --------
    >>> precision_text(_empty_stats(2)).startswith("auto-labeling is off")
    True
    """
    lines = []
    if stats.threshold is None:
        lines.append(stats.auto_status)
    elif stats.precision_n == 0:
        lines.append(f"auto-labels at confidence ≥ {stats.threshold:.2f}: no held-out "
                     "prediction that confident yet, precision not estimated")
    else:
        lines.append(f"auto-labels at confidence ≥ {stats.threshold:.2f}: estimated precision "
                     f"{stats.precision:.3f} (interval {stats.precision_lower:.3f}–"
                     f"{stats.precision_upper:.3f}, {stats.precision_n} held-out predictions)")
    if stats.spot_n:
        lines.append(f"spot-checks: {stats.spot_correct}/{stats.spot_n} auto-labels right "
                     f"(interval {stats.spot_lower:.3f}–{stats.spot_upper:.3f})")
    return "\n".join(lines)


def _empty_stats(n_classes: int, n_items: int = 0) -> DashboardStats:
    return DashboardStats(
        n_items=n_items, n_human=0, n_auto=0, n_remaining=n_items, n_skipped=0, curve_n=(),
        curve_accuracy=(), flattened=False, confidence=np.empty(0), threshold=None,
        precision=math.nan, precision_lower=math.nan, precision_upper=math.nan, precision_n=0,
        spot_n=0, spot_correct=0, spot_lower=math.nan, spot_upper=math.nan,
        auto_status="auto-labeling is off (no model yet)", human_per_class=(0,) * n_classes,
        auto_per_class=(0,) * n_classes, changed=math.nan, training=False, n_refits=0,
        last_error="")


class Dashboard:
    """Counts, a learning curve, pool confidence, auto-label precision and class balance,
    shown in a session's panel (the charts are drawn by the browser from the numbers).

    Parameters
    ----------
    labels : list of str
        The class names, in order (rows of the class-balance chart).
    panel : SessionPanel
        Where the figures are shown.

    Attributes
    ----------
    stats : DashboardStats
        The figures shown by the last :meth:`update`.
    counts : dict of str to int
        The item counts shown.

    Examples
    --------
    >>> from nbannotate import ClassLabeler
    >>> from nbannotate.session._panel import SessionPanel
    >>> labeler = ClassLabeler("x", labels=["cat", "dog"])
    >>> dash = Dashboard(["cat", "dog"], SessionPanel(labeler, buttons=("spot_check",)))
    >>> dash.set_training(True); dash.training_text
    'training…'
    >>> labeler.panel["charts"]["balance"]["labels"]
    ['cat', 'dog']
    """

    def __init__(self, labels: Sequence[str], panel: SessionPanel) -> None:
        self._names = [str(n) for n in labels]
        self._panel = panel
        self._lock = threading.RLock()
        self.training_text = ""
        self.stats = _empty_stats(len(self._names))
        self.update(self.stats)

    @property
    def counts(self) -> dict[str, int]:
        """The item counts shown."""
        return dict(self._panel.counts)

    def show_counts(self, *, human: int, auto: int, remaining: int, skipped: int) -> None:
        """Show the item counts (cheap: called after every answer)."""
        self._panel.show_counts(human=human, auto=auto, remaining=remaining, skipped=skipped)

    def set_training(self, on: bool) -> None:
        """Show or hide the "training…" line."""
        with self._lock:
            self.training_text = "training…" if on else ""
            self._panel.set_line("training", self.training_text)

    @property
    def precision_text(self) -> str:
        """The auto-label precision line(s) shown."""
        return self._panel.line("precision")

    def update(self, stats: DashboardStats) -> None:
        """Show everything from ``stats`` (called when the model has refit)."""
        with self._lock, self._panel.batch():
            self.stats = stats
            self.show_counts(human=stats.n_human, auto=stats.n_auto,
                             remaining=stats.n_remaining, skipped=stats.n_skipped)
            self.set_training(stats.training)
            self._panel.set_charts(charts_from_stats(stats, self._names))
            self._panel.set_line("flat", "the learning curve has flattened: more labels add "
                                 "little accuracy" if stats.flattened else "")
            self._panel.set_line("changed", "" if math.isnan(stats.changed) else
                                 f"predictions changed on {stats.changed:.1%} of the pool at "
                                 "the last refit")
            self._panel.set_line("precision", precision_text(stats).replace("\n", " · "))
            self._panel.set_line("error", f"last refit failed: {stats.last_error}"
                                 if stats.last_error else "")

    def __repr__(self) -> str:
        return f"Dashboard({self.counts})"
