"""The model of a structured session: refits in one background thread, then scores the pool.

:class:`ModelRunner` keeps the items the person has done and their records. Each change
(:meth:`ModelRunner.teach`, :meth:`ModelRunner.forget`) asks for a refit; requests made
while a refit runs are coalesced into one more refit with the newest records. A refit fits a
fresh copy of the model (``sklearn.base.clone`` for scikit-learn-style models, else
``copy.deepcopy``, else the model itself) with BLAS/OpenMP capped at one thread, swaps it in,
then predicts every item not done yet: first the items the session shows (``priority``),
then the rest in small chunks, stopping early when newer records wait for a refit. The
callback runs in the worker thread after the priority items are scored and again at the end
of the round; it must hand widget work to the kernel's thread.

Examples
--------
>>> from nbannotate.models import SpanTagger
>>> docs = ["Anna met Boris.", "Boris met Anna.", "Anna sang."]
>>> runner = ModelRunner(SpanTagger(), docs.__getitem__, len(docs))
>>> runner.teach(0, [{"start": 0, "end": 4, "label": "PER", "text": "Anna"},
...                  {"start": 9, "end": 14, "label": "PER", "text": "Boris"}])
>>> runner.wait(30)
True
>>> sorted(runner.predictions())
[1, 2]
>>> runner.close()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._structured_calls import check_structured_model, fresh_copy, suggest

__all__ = ["ModelRunner", "Prediction", "check_structured_model", "suggest"]

log = logging.getLogger(__name__)

CHUNK = 8


@dataclass(frozen=True)
class Prediction:
    """The model's records and uncertainty for one item, and the refit that made them."""

    records: list[dict[str, Any]]
    uncertainty: float
    round: int


@dataclass
class RoundInfo:
    """One refit and scoring round (a row of :attr:`ModelRunner.history`)."""

    round: int
    n_items: int
    fit_seconds: float = float("nan")
    scored: int = 0
    score_seconds: float = 0.0
    error: str = ""
    finished_at: float = field(default_factory=time.time)


class ModelRunner:
    """Fit a structured model in a background thread and keep its predictions for the pool.

    Parameters
    ----------
    model : StructuredModel
        The prototype; each refit fits a fresh copy of it (see the module docstring).
    get_item : callable
        ``get_item(position) -> item``.
    n_items : int
        Size of the pool.
    on_update : callable, optional
        ``on_update(final: bool)``, called in the worker thread after the priority items are
        scored (``final=False``) and at the end of each round (``final=True``).
    """

    def __init__(self, model: Any, get_item: Callable[[int], Any], n_items: int, *,
                 on_update: Callable[[bool], Any] | None = None) -> None:
        self.prototype = model
        self._get_item = get_item
        self._n = n_items
        self._on_update = on_update
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._train: dict[int, list[dict[str, Any]]] = {}
        self._version = 0
        self._fitted_version = 0
        self._running = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._predictions: dict[int, Prediction] = {}
        self._priority: list[int] = []
        self._skip: set[int] = set()
        self.model: Any = None
        self._n_trained = 0
        self.rounds = 0
        self.last_error: str = ""
        self.history: list[RoundInfo] = []

    # -- what the model learns from ------------------------------------------------------------
    def teach(self, position: int, records: list[dict[str, Any]]) -> None:
        """Record the person's records of one item (replacing earlier ones) and refit."""
        with self._lock:
            self._train[int(position)] = [dict(r) for r in records]
            self._predictions.pop(int(position), None)
            self._version += 1
            self._start()

    def forget(self, position: int) -> None:
        """Drop an item from the training records (undo) and refit."""
        with self._lock:
            if self._train.pop(int(position), None) is None:
                return
            self._version += 1
            self._start()

    def set_skip(self, positions: set[int]) -> None:
        """Items not worth scoring (auto-labeled, skipped): their predictions are kept."""
        with self._lock:
            self._skip = set(positions)

    def set_priority(self, positions: Sequence[int]) -> None:
        """Items scored first in the next round (the item on screen)."""
        with self._lock:
            self._priority = [int(p) for p in positions]

    def training(self) -> tuple[list[Any], list[list[dict[str, Any]]]]:
        """The items the next refit learns from and their records (a snapshot, pool order)."""
        with self._lock:
            positions = sorted(self._train)
            annotations = [[dict(r) for r in self._train[p]] for p in positions]
        return [self._get_item(p) for p in positions], annotations

    def score_prefitted(self) -> None:
        """Score the pool with the prototype as it is, when it was fitted beforehand."""
        with self._lock:
            if self._train or self._running:
                return
            self._running = True
            self._thread = threading.Thread(target=self._work, args=(True,),
                                            name="nbannotate-structured-refit", daemon=True)
            self._thread.start()

    # -- reading --------------------------------------------------------------------------------
    @property
    def n_trained(self) -> int:
        """Items the current model was fitted on."""
        return self._n_trained

    @property
    def busy(self) -> bool:
        """True while a refit or its scoring runs (or one is pending)."""
        with self._lock:
            return self._running

    def prediction(self, position: int) -> Prediction | None:
        """The latest prediction for an item (None before it is scored)."""
        with self._lock:
            return self._predictions.get(int(position))

    def predictions(self) -> dict[int, Prediction]:
        """The latest prediction of every scored item that is not done."""
        with self._lock:
            return {p: v for p, v in self._predictions.items() if p not in self._train}

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no refit runs or waits; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._running:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def close(self) -> None:
        """Stop after the current step; no more refits."""
        with self._lock:
            self._closed = True

    # -- the worker ---------------------------------------------------------------------------
    def _start(self) -> None:
        if self._closed or self._running:
            return
        self._running = True
        self._thread = threading.Thread(target=self._work, name="nbannotate-structured-refit",
                                        daemon=True)
        self._thread.start()

    def _work(self, prefitted: bool = False) -> None:
        try:
            if prefitted:
                self._score(self.prototype, 0, prefitted=True)
            while True:
                with self._lock:
                    if (self._closed or not self._train
                            or self._version == self._fitted_version):
                        break
                    version = self._version
                    positions = sorted(self._train)
                    annotations = [self._train[p] for p in positions]
                self._round(version, positions, annotations)
        finally:
            with self._lock:
                self._running = False
                self._idle.notify_all()

    def _round(self, version: int, positions: list[int],
               annotations: list[list[dict[str, Any]]]) -> None:
        from ..active._fitting import limit_threads

        info = RoundInfo(round=self.rounds + 1, n_items=len(positions))
        start = time.perf_counter()
        try:
            items = [self._get_item(p) for p in positions]
            model = fresh_copy(self.prototype)
            with limit_threads():
                fitted = model.fit(items, annotations)
            model = fitted if fitted is not None else model
        except Exception as error:  # the previous model stays in service
            info.error = f"fit failed: {type(error).__name__}: {error}"
            log.warning("structured refit failed: %r", error)
            with self._lock:
                self._fitted_version = version
                self.last_error = info.error
                self.history.append(info)
            self._notify(True)
            return
        info.fit_seconds = time.perf_counter() - start
        with self._lock:
            self.model = model
            self._n_trained = len(positions)
            self._fitted_version = version
            self.rounds += 1
            self.last_error = ""
            number = self.rounds
        self._score(model, number, info=info)

    def _score(self, model: Any, number: int, *, prefitted: bool = False,
               info: RoundInfo | None = None) -> None:
        with self._lock:
            done = set(self._train) | self._skip
            first = [p for p in self._priority if p not in done]
            rest = [p for p in range(self._n) if p not in done and p not in set(first)]
        chunks = ([first] if first else []) + [rest[i:i + CHUNK]
                                                for i in range(0, len(rest), CHUNK)]
        start = time.perf_counter()
        scored = 0
        failure: Exception | None = None
        for index, chunk in enumerate(chunks):
            with self._lock:
                stop = self._closed or (not prefitted and self._version != self._fitted_version)
                stop = stop or (prefitted and bool(self._train))
            if stop:
                break
            results, error = self._predict(model, chunk)
            if error is not None:
                failure = error
                if prefitted and not results:
                    break  # the prototype was not fitted after all
            with self._lock:
                for p, (found, value) in results.items():
                    self._predictions[p] = Prediction(found, value, number)
            scored += len(results)
            if index == 0 and first:
                self._notify(False)
        if failure is not None and not scored and not prefitted:
            text = f"predict failed: {type(failure).__name__}: {failure}"
            if info is not None:
                info.error = text
            with self._lock:
                self.last_error = text
            log.warning("structured predict failed: %r", failure)
        if prefitted and scored:
            with self._lock:
                self.model = model
        if info is not None:
            info.scored = scored
            info.score_seconds = time.perf_counter() - start
            info.finished_at = time.time()
            with self._lock:
                self.history.append(info)
        if scored or info is not None:
            self._notify(True)

    def _predict(self, model: Any, chunk: list[int],
                 ) -> tuple[dict[int, tuple[list[dict[str, Any]], float]], Exception | None]:
        """Predictions for a chunk of items and the last error; when the chunk fails, item by
        item, leaving out the items that fail (a file that cannot be read, say)."""
        from ..active._fitting import limit_threads

        out: dict[int, tuple[list[dict[str, Any]], float]] = {}
        failure: Exception | None = None
        with limit_threads():
            try:
                records, doubt = suggest(model, [self._get_item(p) for p in chunk])
                return ({p: (r, float(d)) for p, r, d in zip(chunk, records, doubt,
                                                               strict=True)}, None)
            except Exception as error:
                failure = error
                if len(chunk) == 1:
                    return out, failure
            for p in chunk:
                try:
                    records, doubt = suggest(model, [self._get_item(p)])
                except Exception as error:
                    failure = error
                    continue
                out[p] = (records[0], float(doubt[0]))
        return out, failure

    def _notify(self, final: bool) -> None:
        if self._on_update is None:
            return
        try:
            self._on_update(final)
        except Exception:
            log.exception("on_update callback failed")
