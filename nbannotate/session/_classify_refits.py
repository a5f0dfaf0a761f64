"""How a whole-item (``task="classify"``) session follows the learner's background refits:
the dashboard is redrawn on the kernel's thread when a refit finishes, never on the refit's.

The learner calls :meth:`RefitWatcher.refit_finished` in its refit thread; the redraw is
handed to the kernel's event loop, and looked at again every :data:`POLL_SECONDS` while the
learner still reports "training". :meth:`RefitWatcher.wait` is for scripts.

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from nbannotate.active import ActiveLearner
>>> from nbannotate.widget.labels import LabelSet
>>> from nbannotate.widget.mainloop import MainThread
>>> from nbannotate import ClassLabeler
>>> from nbannotate.session.dashboard import Dashboard
>>> from nbannotate.session._panel import SessionPanel
>>> labels = LabelSet(["a", "b"])
>>> dashboard = Dashboard(["a", "b"], SessionPanel(ClassLabeler("x", labels=["a", "b"])))
>>> learner = ActiveLearner(LogisticRegression(), np.eye(4), labels=["a", "b"], cv=0)
>>> watcher = RefitWatcher(learner, labels, dashboard, MainThread())
>>> _ = learner.on_refit(watcher.refit_finished)
>>> learner.teach([0, 1], ["a", "b"])
>>> watcher.wait(30)
True
>>> watcher.dashboard.stats.n_human
2
>>> POLL_SECONDS
0.25
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ..widget.labels import LabelSet
from .dashboard import Dashboard, PredictionChanges, compute_stats

__all__ = ["POLL_SECONDS", "RefitWatcher"]

#: How often (seconds) the dashboard looks again while the learner still reports "training".
POLL_SECONDS = 0.25


class RefitWatcher:
    """Redraw a classify session's dashboard after the learner's refits.

    Parameters
    ----------
    learner : ActiveLearner
    labels : LabelSet
        The session's classes.
    dashboard : Dashboard
        What is redrawn.
    main : MainThread
        The kernel's thread, where redraws run.
    n_skipped : callable, optional
        ``n_skipped() -> int``, the number of items skipped (shown in the dashboard).
    on_redraw : callable, optional
        Called after each redraw, on the same thread.
    annotators : callable, optional
        ``annotators() -> ((name, items, per_minute), ...)``: team mode's per-annotator
        progress, put in the dashboard stats.
    """

    def __init__(self, learner: Any, labels: LabelSet, dashboard: Dashboard, main: Any, *,
                 n_skipped: Callable[[], int] = lambda: 0,
                 on_redraw: Callable[[], Any] | None = None,
                 annotators: Callable[[], tuple[Any, ...]] = tuple) -> None:
        self.learner = learner
        self.labels = labels
        self.dashboard = dashboard
        self._main = main
        self._n_skipped = n_skipped
        self._on_redraw = on_redraw
        self._annotators = annotators
        self._changes = PredictionChanges()
        self._draw_lock = threading.Lock()
        self._poll_pending = False
        self.closed = False

    def refit_finished(self, _learner: Any = None) -> None:
        """Called by the learner in its refit thread: hand the redraw to the main thread."""
        if not self.closed:
            self._main.call(self._after_refit)

    def _after_refit(self) -> None:
        self._poll_pending = False
        if self.closed:
            return
        self.refresh()
        if self.learner.is_training and not self._poll_pending:
            # The learner reports "training" until its callbacks return: look again shortly.
            self._poll_pending = True
            self._main.call_later(POLL_SECONDS, self._after_refit)

    def refresh(self) -> None:
        """Redraw the dashboard from the learner now (on the calling thread)."""
        with self._draw_lock:
            if self.closed:
                return
            stats = compute_stats(self.learner, self.labels, n_skipped=self._n_skipped(),
                                  changes=self._changes.update(self.learner),
                                  annotators=self._annotators())
            self.dashboard.update(stats)
            if self._on_redraw is not None:
                self._on_redraw()

    def wait(self, timeout: float = 120.0) -> bool:
        """Wait until the background refits are done, then redraw; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.learner.is_training:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        self.refresh()
        return True

    def close(self) -> None:
        """No more redraws; a redraw under way ends first."""
        with self._draw_lock:
            self.closed = True
