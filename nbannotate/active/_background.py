"""Background refits for ActiveLearner: one worker thread, coalesced requests, atomic swaps."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._refit import run_refit
from ._state import RefitJob
from .semi import KNNGraph

if TYPE_CHECKING:
    from .learner import ActiveLearner

__all__ = ["RefitMixin"]

log = logging.getLogger("nbannotate.active.learner")


class RefitMixin:
    """The refit half of :class:`~nbannotate.active.ActiveLearner` (state lives there)."""

    _lock: Any
    _idle: threading.Condition

    def refit(self, wait: bool = True) -> None:
        """Refit now (in the background thread); with ``wait=True`` block until it is done.

        Check :attr:`last_error` afterwards: a failed refit does not raise here.
        """
        with self._lock:
            self._request_refit(explicit=True)
            if wait and threading.current_thread() is not self._worker_thread:
                while self._running:
                    self._idle.wait()

    def on_refit(
        self, callback: Callable[[ActiveLearner], Any]
    ) -> Callable[[ActiveLearner], Any]:
        """Call ``callback(learner)`` after each finished refit, successful or failed.

        The callback runs **in the background refit thread** (not the caller's); widget code
        should hand work over to its own thread or event loop, and must not call
        ``refit(wait=True)`` from it. Exceptions it raises are logged and ignored. Returns the
        callback, so it can be used as a decorator.
        """
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        with self._lock:
            self._callbacks.append(callback)
        return callback

    def _get_graph(self) -> KNNGraph | None:
        if not self._semi or self._geometry is None:
            return None
        if self._graph is None:
            self._graph = KNNGraph(self._geometry, n_neighbors=10)
        return self._graph

    def _request_refit(self, explicit: bool = False) -> None:
        """Start the worker, or mark one pending refit if it is busy with older labels.

        The caller holds the lock. An explicit request while the running refit already has the
        current labels adds nothing.
        """
        if self._running:
            if self._running_version != self._label_version:
                self._pending = True
            return
        self._running = True
        self._worker_thread = threading.Thread(
            target=self._work, name="nbannotate-refit", daemon=True)
        self._worker_thread.start()

    def _make_job(self) -> RefitJob | None:
        ids = np.fromiter(self._human.keys(), dtype=np.int64, count=len(self._human))
        codes = np.fromiter(self._human.values(), dtype=np.int64, count=len(self._human))
        if np.unique(codes).size < 2:
            return None
        snap = self._snap
        full = (self._need_full or snap is None or not self._partial
                or len(snap.classes) != len(self._classes)
                or ids.size - snap.last_full_n >= self._refit_every)
        new_ids = np.empty(0, np.int64) if full else np.setdiff1d(ids, snap.trained_ids)
        if not full and new_ids.size == 0:
            full = True
        spots = list(self._spot.values())
        return RefitJob(
            self._label_version, ids, codes, tuple(self._classes), full, new_ids,
            spot_scores=np.array([score for _, score in spots], dtype=float),
            spot_correct=np.array([ok for ok, _ in spots], dtype=bool),
        )

    def _work(self) -> None:
        while True:
            with self._lock:
                self._pending = False
                job = self._make_job()
                prev = self._snap
                if job is None:
                    self._running = False
                    self._idle.notify_all()
                    return
                self._running_version = job.label_version
                self._refits += 1
                refit_no = self._refits
                if job.full:
                    self._need_full = False
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
                    row["n_auto"] = int(self._n_auto(snap, self._labeled))
                elif job.full:
                    self._need_full = True
                self._last_error = error
                row["finished_at"] = time.time()
                self._history.append(row)
                callbacks = list(self._callbacks)
            for cb in callbacks:
                try:
                    cb(self)
                except Exception:
                    log.exception("on_refit callback %r failed", cb)
            with self._lock:
                if not self._pending:
                    self._running = False
                    self._idle.notify_all()
                    return
