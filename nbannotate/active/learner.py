"""ActiveLearner: labels in, a model refitted in the background, the next items out."""

# ruff: noqa: N803  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _checks
from ._data import check_pool, geometry_of, is_dataframe, n_rows
from ._labels import LabelBook
from ._outputs import LearnerOutputs
from ._quality import QualityEstimator
from ._refit import LazyGraph, RefitConfig
from ._scheduler import RefitScheduler
from ._state import Snapshot
from .precision import PrecisionEstimate
from .selection import kmeans_pp_seeds, spread_out, top_k
from .strategies import get_strategy

__all__ = ["ActiveLearner"]

SEMI_AUTO_MAX_ITEMS = 20_000


class ActiveLearner:
    """Pick the most informative items to label, learn from each label in the background.

    Parameters
    ----------
    estimator : scikit-learn classifier or pipeline with ``predict_proba``
        Never fitted itself: every full refit fits a ``sklearn.base.clone`` of it.
    X : ndarray, scipy sparse matrix or pandas DataFrame of shape (n_items, n_features)
        The pool. Item ids are row positions ``0..n_items-1``.
    strategy : {"margin", "least_confidence", "entropy", "random"} or callable, default "margin"
        Uncertainty measure; a callable gets ``proba`` (n_items x n_classes) and returns one
        score per item, higher = more informative.
    labels : sequence, optional
        Every class, declared up front. Teaching another label is then a ValueError.
    auto_label_precision : float, optional
        Target precision for auto-labels: the threshold is the lowest one whose estimated
        precision *lower bound* (Clopper-Pearson at ``confidence``, from cross-validated
        predictions of the human labels) meets it; when none does, nothing is auto-labeled and
        :attr:`auto_label_status` says why. Verified spot-checks (:meth:`spot_check`, then
        ``teach(..., source="spot_check")``) can also qualify a threshold on their own. The
        human labels an active learner asks for are its hardest items, so the held-out estimate
        is pessimistic (digits, 200 labels: 89-97% estimated, 99.9% true), and certifying 98%
        at this bound takes about 150 right answers at or above the threshold.
    auto_label_threshold : float, optional
        Fixed confidence threshold for auto-labels instead (not both).
    semi_supervised : bool or "auto", default "auto"
        Learn from the unlabeled pool: spread the human labels over a 10-nearest-neighbour graph
        of the pool (class-balanced), then fit the estimator on the human labels plus the spread
        labels weighted by the spreading's confidence (``sample_weight`` when the estimator takes
        it, else only spread labels of weight >= 0.8). ``"auto"`` turns it on for dense numeric
        pools of at most 20,000 items. Spread labels are training data only: they never appear
        in :attr:`labels`.
    diversity : bool, default True
        ``next(k)`` with k > 1 returns a spread-out batch rather than the k top scores.
    cold_start : int, default 2
        Until every class seen has this many human labels (or before the first model), ``next``
        returns diverse items (k-means++ seeding on X). It stops anyway once the human labels
        reach ``2 * cold_start * n_classes``, so a rare class cannot keep it on.
    cv : int, default 5
        Folds for the cross-validated predictions behind :meth:`estimated_precision`,
        :meth:`suspects` and ``history.cv_accuracy`` (0 turns them off, which makes refits
        several times cheaper).
    confidence : float, default 0.9
        Two-sided level of precision intervals; their lower end is a one-sided 95% bound.
    partial_fit : bool or "auto", default "auto"
        For estimators with ``partial_fit``: update a copy of the model incrementally with new
        labels and refit fully every ``refit_every`` labels (or when classes change or a label
        is forgotten).
    refit_every : int, default 10
    random_state : int, optional

    Notes
    -----
    Refits run in a background thread, capped at one BLAS/OpenMP thread; ``next`` and ``teach``
    never wait for them. A refit asked for while one runs is coalesced (at most one pending).
    The new model is swapped in together with its pool probabilities; a failed refit keeps the
    previous model, adds a history row with the error and sets :attr:`last_error`. All public
    methods are thread-safe.

    The learner is wired from four parts, each owning its state: a
    :class:`~nbannotate.active._labels.LabelBook` (the human labels), a
    :class:`~nbannotate.active._scheduler.RefitScheduler` (the background refits and the model
    in service), a :class:`~nbannotate.active._outputs.LearnerOutputs` (what it tells) and a
    :class:`~nbannotate.active._quality.QualityEstimator` (how good its labels are); they share
    the learner's lock, so labels and model are always read together.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_digits(return_X_y=True)
    >>> learner = ActiveLearner(LogisticRegression(max_iter=500), X, random_state=0)
    >>> ids = learner.next(k=10)
    >>> learner.teach(ids, y[ids])
    >>> learner.refit(wait=True)
    >>> learner.predict_proba().shape[0] == len(X)
    True
    """

    def __init__(
        self,
        estimator: Any,
        X: Any,
        *,
        strategy: str | Callable[[np.ndarray], np.ndarray] = "margin",
        labels: Sequence[Hashable] | None = None,
        auto_label_precision: float | None = None,
        auto_label_threshold: float | None = None,
        semi_supervised: bool | str = "auto",
        diversity: bool = True,
        cold_start: int = 2,
        cv: int = 5,
        confidence: float = 0.9,
        partial_fit: bool | str = "auto",
        refit_every: int = 10,
        random_state: int | None = None,
    ) -> None:
        _checks.check_estimator(estimator)
        self._X = check_pool(X)
        self._n = n_rows(self._X)
        self._strategy = get_strategy(strategy)
        _checks.check_strategy_output(self._strategy)
        self._strategy_name = strategy if isinstance(strategy, str) else getattr(
            strategy, "__name__", "custom")
        declared = _checks.check_declared_labels(labels) if labels is not None else None
        _checks.check_auto(auto_label_precision, auto_label_threshold)
        self._geometry = geometry_of(self._X)
        self._semi = _checks.check_semi(semi_supervised, self._X, self._geometry,
                                         SEMI_AUTO_MAX_ITEMS)
        partial = _checks.check_partial(partial_fit, estimator)
        self._diversity = bool(diversity)
        self._cold_start = _checks.check_int("cold_start", cold_start, minimum=0)
        cv = _checks.check_int("cv", cv, minimum=0)
        if cv == 1:
            raise ValueError("cv must be 0 (off) or at least 2 folds, got 1")
        refit_every = _checks.check_int("refit_every", refit_every, minimum=1)
        if not 0.0 < confidence < 1.0:
            raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
        self.estimator = estimator
        self.random_state = random_state
        self._rng = np.random.default_rng(random_state)
        cfg = RefitConfig(
            estimator=estimator, X=self._X, strategy=self._strategy,
            graph=LazyGraph(self._geometry, self._semi), cv=cv, confidence=float(confidence),
            auto_label_precision=auto_label_precision,
            auto_label_threshold=auto_label_threshold,
            seed=int(np.random.default_rng(random_state).integers(2**31)),
        )
        auto = auto_label_precision is not None or auto_label_threshold is not None
        self._lock = threading.RLock()
        self._labels = LabelBook(self._n, declared)
        self._scheduler = RefitScheduler(self._lock, self._labels, cfg, partial=partial,
                                      refit_every=refit_every, owner=self)
        self._outputs = LearnerOutputs(self._lock, self._labels, self._scheduler,
                                       n_items=self._n, auto_configured=auto)
        self._quality = QualityEstimator(self._lock, self._labels, self._scheduler,
                                         confidence=float(confidence), auto_configured=auto)

    # ------------------------------------------------------------------ what it tells
    @property
    def classes_(self) -> list[Any]:
        """Classes declared with ``labels=`` or seen so far, in that order."""
        return self._outputs.classes()

    @property
    def n_items(self) -> int:
        """Size of the pool."""
        return self._n

    @property
    def n_human(self) -> int:
        """Number of human labels (spot-checks included)."""
        return self._outputs.n_human()

    @property
    def is_training(self) -> bool:
        """True while a background refit is running or pending."""
        return self._scheduler.running

    @property
    def last_error(self) -> BaseException | None:
        """Exception of the last refit if it failed, else None (cleared by a successful one)."""
        return self._scheduler.last_error

    @property
    def model(self) -> Any | None:
        """The fitted estimator in service (None before the first successful refit)."""
        return self._outputs.model()

    @property
    def semi_supervised(self) -> bool:
        """Whether refits learn from the unlabeled pool (see the class docstring)."""
        return self._semi

    @property
    def threshold(self) -> float | None:
        """Auto-label threshold in force (None when auto-labeling is off or not possible yet)."""
        return self._outputs.threshold()

    @property
    def auto_label_status(self) -> str:
        """One sentence: is the learner auto-labeling, at which threshold, and if not, why."""
        return self._outputs.auto_label_status()

    @property
    def history(self) -> pd.DataFrame:
        """One row per finished refit: n_labels, kind (full/partial/failed), cv_accuracy,
        fit/cv/score/refit seconds, threshold, n_auto, error, finished_at (Unix time)."""
        return self._outputs.history()

    @property
    def labels(self) -> pd.DataFrame:
        """All labels: columns id, label, source ("human"/"auto"), score.

        Human rows have score NaN; auto rows exist only when auto-labeling is on (they are
        recomputed at every refit and never cover a human-labeled item). Sorted by id.
        """
        return self._outputs.labels()

    def predict_proba(self) -> np.ndarray | None:
        """Latest pool probabilities, shape (n_items, len(classes_)), read-only; None before
        the first model. Classes the model has not seen yet get a column of zeros."""
        return self._outputs.predict_proba()

    def uncertainty(self) -> np.ndarray:
        """Per-item score of the active strategy from the latest model (higher = more
        informative, why an item was chosen); NaN everywhere before the first model."""
        return self._outputs.uncertainty()

    # ------------------------------------------------------------------ label quality
    def auto_labels(self, threshold: float | None = None) -> pd.DataFrame:
        """Model labels for unlabeled items whose confidence >= threshold: columns id, label,
        score. Human-labeled items are never included.

        ``threshold=None`` uses the threshold in force (:attr:`threshold`; empty when a target
        precision is not met yet), or 0.95 when auto-labeling is off.
        """
        return self._quality.auto_labels(threshold)

    def estimated_precision(
        self, threshold: float | None = None, *, confidence: float | None = None
    ) -> PrecisionEstimate:
        """Estimated precision of auto-labels at ``threshold`` (default: the one in force).

        From the cross-validated predictions of the human labels at or above the threshold,
        with a Clopper-Pearson interval; also the pool coverage and the precision measured on
        spot-checks. See :class:`~nbannotate.active.precision.PrecisionEstimate`.
        """
        return self._quality.estimated_precision(threshold, confidence=confidence)

    def measured_precision(self, threshold: float = 0.0) -> PrecisionEstimate:
        """Precision of auto-labels measured on spot-checks (``teach(..., source="spot_check")``)
        whose model score was >= threshold; fields ``n``, ``precision``, ``lower``, ``upper``."""
        return self._quality.measured_precision(threshold)

    def spot_check(self, k: int = 10, *, threshold: float | None = None) -> list[int]:
        """A random sample of k items the model auto-labels, for a person to verify.

        ``threshold=None`` samples the auto-labels in force, or, when auto-labeling is off or
        its target precision is not met yet, the items at confidence >= 0.95. Label them with
        ``teach(ids, labels, source="spot_check")``: that measures the real precision
        (:meth:`measured_precision`) and, with ``auto_label_precision``, lets verified
        spot-checks qualify a threshold on their own.
        """
        k = _checks.check_int("k", k, minimum=1)
        if threshold is not None:
            threshold = _checks.check_threshold(threshold)
        with self._lock:
            seed = int(self._rng.integers(2**63))
        return self._quality.spot_check(k, threshold, seed)

    def suspects(self, min_score: float = 0.8) -> pd.DataFrame:
        """Human labels the model confidently contradicts (possible label errors).

        Uses the held-out (cross-validated) predictions, so a label cannot vouch for itself;
        with ``cv=0``, the current model's predictions. Columns id, label, predicted, score,
        most confident first.
        """
        return self._quality.suspects(min_score)

    # ------------------------------------------------------------------ refits
    def refit(self, wait: bool = True) -> None:
        """Refit now (in the background thread); with ``wait=True`` block until it is done.

        Check :attr:`last_error` afterwards: a failed refit does not raise here.
        """
        self._scheduler.refit(wait)

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
        self._scheduler.add_callback(callback)
        return callback

    # ------------------------------------------------------------------ labeling
    def teach(
        self, ids: Sequence[int], labels: Sequence[Hashable], *, source: str = "human"
    ) -> None:
        """Record human labels for items and schedule a background refit.

        Parameters
        ----------
        ids : sequence of int
            Row positions in X, not yet human-labeled.
        labels : sequence
            One label per id.
        source : {"human", "spot_check"}, default "human"
            ``"spot_check"`` marks labels given while verifying auto-labels (see
            :meth:`spot_check`): they count as human labels and also measure the real precision
            of auto-labels (:meth:`measured_precision`).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.linear_model import LogisticRegression
        >>> learner = ActiveLearner(LogisticRegression(), np.eye(4), cv=0)
        >>> learner.teach([0, 3], ["a", "b"])
        >>> learner.n_human
        2
        """
        if source not in ("human", "spot_check"):
            raise ValueError(f"source must be 'human' or 'spot_check', got {source!r}")
        ids_arr = _checks.check_ids("ids", ids, self._n)
        values = _checks.check_labels(labels, len(ids_arr))
        with self._lock:
            self._labels.teach(ids_arr, values, snapshot=self._scheduler.snapshot, source=source)
            self._scheduler.request()

    def forget(self, ids: Sequence[int]) -> None:
        """Undo human labels (e.g. a mislabel); the items return to the pool.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.linear_model import LogisticRegression
        >>> learner = ActiveLearner(LogisticRegression(), np.eye(4), cv=0)
        >>> learner.teach([0, 3], ["a", "b"]); learner.forget([3])
        >>> learner.n_human
        1
        """
        ids_arr = _checks.check_ids("ids", ids, self._n)
        with self._lock:
            self._labels.forget(ids_arr)
            self._scheduler.request()

    def next(self, k: int = 10, *, exclude: Sequence[int] | None = None) -> list[int]:
        """Positions of the k most informative unlabeled items, most informative first.

        Never waits for a refit: it uses the latest finished model (or cold-start seeding).
        Returns fewer than k, or ``[]``, when the pool runs out.

        Parameters
        ----------
        k : int, default 10
        exclude : sequence of int, optional
            Items not to return (e.g. already queued in a session).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.linear_model import LogisticRegression
        >>> learner = ActiveLearner(LogisticRegression(), np.eye(3), random_state=0)
        >>> len(learner.next(k=5))
        3
        """
        k = _checks.check_int("k", k, minimum=1)
        extra = _checks.check_ids("exclude", exclude, self._n, allow_dupes=True) \
            if exclude is not None else None
        with self._lock:
            snap = self._scheduler.snapshot
            blocked = self._labels.labeled()
            human_ids = self._labels.human_ids()
            counts = self._labels.counts()
            seed = int(self._rng.integers(2**63))
            cold = self._is_cold(snap, counts)
        if extra is not None:
            blocked[extra] = True
        if blocked.all():
            return []
        rng = np.random.default_rng(seed)
        if cold or snap is None:
            if self._geometry is None:
                free = np.flatnonzero(~blocked)
                picks = rng.choice(free, size=min(k, free.size), replace=False)
            else:
                picks = kmeans_pp_seeds(self._geometry, k, labeled=human_ids,
                                        exclude=blocked, random_state=rng)
        else:
            diverse = self._diversity and k > 1 and self._geometry is not None
            need = max(10 * k, 100) if diverse else k
            ranked = snap.ranked[~blocked[snap.ranked]]
            if ranked.size < need and np.count_nonzero(~blocked) > ranked.size:
                ranked = top_k(snap.scores, need, exclude=blocked)  # ranked list used up
            ranked = ranked[:need]
            picks = spread_out(ranked, self._geometry, k) if diverse else ranked
        return [int(i) for i in picks]

    def _is_cold(self, snap: Snapshot | None, counts: np.ndarray) -> bool:
        """Whether ``next`` still seeds diverse items rather than ranking by the model."""
        seen = counts[counts > 0]
        if snap is None or seen.size < 2:
            return True
        if self._cold_start == 0 or seen.min() >= self._cold_start:
            return False
        return int(counts.sum()) < 2 * self._cold_start * max(counts.size, 2)

    def __repr__(self) -> str:
        kind = "DataFrame" if is_dataframe(self._X) else type(self._X).__name__
        return (f"ActiveLearner({type(self.estimator).__name__}, {self._n} items ({kind}), "
                f"strategy={self._strategy_name!r}, {self.n_human} human labels)")
