"""How a whole-item (``task="classify"``) session follows the learner's background refits:
the dashboard is redrawn on the kernel's thread when a refit finishes, never on the refit's.

The learner calls :meth:`ClassifyRefitsMixin._refit_finished` in its refit thread; the redraw
is handed to the kernel's event loop, and looked at again every :data:`POLL_SECONDS` while
the learner still reports "training". :meth:`~ClassifyRefitsMixin.wait` is for scripts.

A mixin of :class:`~nbannotate.session._classify.ClassifySession` (its state lives there).

Examples
--------
>>> POLL_SECONDS
0.25
>>> session.submit(3); session.wait()  # doctest: +SKIP
True
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from .dashboard import compute_stats

if TYPE_CHECKING:
    from ..active import ActiveLearner

__all__ = ["POLL_SECONDS", "ClassifyRefitsMixin"]

#: How often (seconds) the dashboard looks again while the learner still reports "training".
POLL_SECONDS = 0.25


class ClassifyRefitsMixin:
    """Redraw after refits (``refresh``) and wait for them (``wait``)."""

    _closed: bool
    _main: Any
    _draw_lock: threading.Lock
    _poll_pending: bool
    _labels: Any
    _skipped: set[int]
    _changes: Any
    _scoring: Any
    learner: Any
    dashboard: Any

    def _refit_finished(self, _learner: ActiveLearner) -> None:
        """Called by the learner in its refit thread: hand the redraw to the main thread."""
        if not self._closed:
            self._main.call(self._after_refit)

    def _after_refit(self) -> None:
        self._poll_pending = False
        if self._closed:
            return
        self.refresh()
        if self.learner.is_training and not self._poll_pending:
            # The learner reports "training" until its callbacks return: look again shortly.
            self._poll_pending = True
            self._main.call_later(POLL_SECONDS, self._after_refit)

    def refresh(self) -> None:
        """Redraw the dashboard from the learner now (on the calling thread)."""
        with self._draw_lock:
            if self._closed:
                return
            stats = compute_stats(self.learner, self._labels, n_skipped=len(self._skipped),
                                  changes=self._changes.update(self.learner))
            self.dashboard.update(stats)
            if self.learner.model is not None or not self.learner.n_human:
                self._scoring.layout.display = "none"

    def wait(self, timeout: float = 120.0) -> bool:
        """Wait until the background refits are done, then redraw the dashboard.

        For scripts and tutorials (a person never needs it). Returns False on timeout.

        Examples
        --------
        >>> session.submit("cat"); session.wait()  # doctest: +SKIP
        True
        """
        deadline = time.monotonic() + timeout
        while self.learner.is_training:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        self.refresh()
        return True
