"""Background refits: one worker thread, coalesced requests, the model snapshot swapped whole.

:class:`RefitScheduler` owns everything about refits: the snapshot in service, the worker
thread and its running/pending flags, the history rows, the last error and the ``on_refit``
callbacks. It reads the labels from the :class:`~nbannotate.active._labels.LabelBook` it is
given, under the lock it is given (the learner's, shared with the label book), and fits
through :func:`~nbannotate.active._refit.run_refit` holding no lock.

Examples
--------
>>> import threading
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from nbannotate.active._labels import LabelBook
>>> from nbannotate.active._refit import RefitConfig
>>> from nbannotate.active.strategies import margin
>>> X = np.array([[0.0], [0.1], [1.0], [1.1]])
>>> lock, book = threading.RLock(), LabelBook(4, declared=None)
>>> cfg = RefitConfig(estimator=LogisticRegression(), X=X, strategy=margin,
...                   graph=lambda: None, cv=0, confidence=0.9, auto_label_precision=None,
...                   auto_label_threshold=None, seed=0)
>>> scheduler = RefitScheduler(lock, book, cfg, partial=False, refit_every=10)
>>> with lock:
...     book.teach(np.array([0, 3]), ["a", "b"], snapshot=None, source="human")
...     scheduler.request()
>>> scheduler.refit(wait=True)
>>> scheduler.snapshot.n_labels, len(scheduler.history_rows())
(2, 1)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from ._labels import LabelBook
from ._refit import RefitConfig, run_refit
from ._state import Snapshot

__all__ = ["RefitScheduler"]

log = logging.getLogger("nbannotate.active.learner")


class RefitScheduler:
    """Runs refits of the labels in ``labels`` in a background thread (module docstring).

    Parameters
    ----------
    lock : threading.RLock
        Guards ``labels`` and this scheduler's state together.
    labels : LabelBook
    cfg : RefitConfig
        The fixed settings of every refit.
    partial : bool
        Update the previous model with ``partial_fit`` between full refits.
    refit_every : int
        Labels between full refits when ``partial``.
    owner : object, optional
        What ``on_refit`` callbacks are called with (the learner).
    """

    def __init__(self, lock: Any, labels: LabelBook, cfg: RefitConfig, *, partial: bool,
                 refit_every: int, owner: Any = None) -> None:
        self._lock = lock
        self._idle = threading.Condition(lock)
        self._labels = labels
        self._cfg = cfg
        self._partial = partial
        self._refit_every = refit_every
        self._owner = owner
        self._snap: Snapshot | None = None
        self._history: list[dict[str, Any]] = []
        self._callbacks: list[Callable[[Any], Any]] = []
        self._last_error: BaseException | None = None
        self._running = False
        self._pending = False
        self._running_version = -1
        self._worker: threading.Thread | None = None
        self._refits = 0

    # ------------------------------------------------------------------ reading
    @property
    def snapshot(self) -> Snapshot | None:
        """The model in service and what it gave over the pool (None before the first)."""
        with self._lock:
            return self._snap

    @property
    def running(self) -> bool:
        """True while a refit runs or is pending."""
        with self._lock:
            return self._running

    @property
    def last_error(self) -> BaseException | None:
        with self._lock:
            return self._last_error

    def history_rows(self) -> list[dict[str, Any]]:
        """One dict per finished refit (a copy)."""
        with self._lock:
            return list(self._history)

    # ------------------------------------------------------------------ asking
    def request(self, explicit: bool = False) -> None:
        """Start the worker, or mark one pending refit if it is busy with older labels.

        An explicit request while the running refit already has the current labels adds
        nothing.
        """
        with self._lock:
            if self._running:
                if self._running_version != self._labels.version:
                    self._pending = True
                return
            self._running = True
            self._worker = threading.Thread(
                target=self._work, name="nbannotate-refit", daemon=True)
            self._worker.start()

    def refit(self, wait: bool = True) -> None:
        """Ask for a refit now; with ``wait``, block until the worker is idle (never from the
        worker itself, e.g. an ``on_refit`` callback)."""
        with self._lock:
            self.request(explicit=True)
            if wait and threading.current_thread() is not self._worker:
                while self._running:
                    self._idle.wait()

    def add_callback(self, callback: Callable[[Any], Any]) -> None:
        """Call ``callback(owner)`` in the worker after each finished refit."""
        with self._lock:
            self._callbacks.append(callback)

    # ------------------------------------------------------------------ the worker
    def _work(self) -> None:
        while True:
            with self._lock:
                self._pending = False
                prev = self._snap
                job = self._labels.job(snapshot=prev, partial=self._partial,
                                       refit_every=self._refit_every)
                if job is None:
                    self._running = False
                    self._idle.notify_all()
                    return
                self._running_version = job.label_version
                self._refits += 1
                refit_no = self._refits
                self._labels.started(job)
            try:
                snap, row = run_refit(self._cfg, job, prev, refit_no)
                error: BaseException | None = None
            except Exception as exc:  # recorded, previous model stays in service
                snap, error = None, exc
                row = {"refit": refit_no, "n_labels": int(job.ids.size),
                       "n_classes": len(job.classes), "kind": "failed",
                       "error": f"{type(exc).__name__}: {exc}"}
                log.warning("refit %d failed: %r", refit_no, exc)
            with self._lock:
                if snap is not None:
                    self._snap = snap
                    row["n_auto"] = snap.n_auto(self._labels.labeled())
                else:
                    self._labels.failed(job)
                self._last_error = error
                row["finished_at"] = time.time()
                self._history.append(row)
                callbacks = list(self._callbacks)
            for cb in callbacks:
                try:
                    cb(self._owner)
                except Exception:
                    log.exception("on_refit callback %r failed", cb)
            with self._lock:
                if not self._pending:
                    self._running = False
                    self._idle.notify_all()
                    return
