"""ActiveLearner: labels in, a model refitted in the background, the next items out."""

# ruff: noqa: N803  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from . import _checks
from ._background import RefitMixin
from ._data import check_pool, geometry_of, is_dataframe, n_rows
from ._outputs import OutputsMixin
from ._quality import QualityMixin
from ._refit import RefitConfig
from ._state import Snapshot
from .selection import kmeans_pp_seeds, spread_out, top_k
from .semi import KNNGraph
from .strategies import get_strategy

__all__ = ["ActiveLearner"]

log = logging.getLogger(__name__)

SEMI_AUTO_MAX_ITEMS = 20_000


class ActiveLearner(OutputsMixin, QualityMixin, RefitMixin):
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
        self._classes: list[Any] = []
        self._code_of: dict[Any, int] = {}
        self._declared = labels is not None
        if labels is not None:
            for c in _checks.check_declared_labels(labels):
                self._add_class(c)
        _checks.check_auto(auto_label_precision, auto_label_threshold)
        self._geometry = geometry_of(self._X)
        self._semi = _checks.check_semi(semi_supervised, self._X, self._geometry,
                                         SEMI_AUTO_MAX_ITEMS)
        self._partial = _checks.check_partial(partial_fit, estimator)
        self._diversity = bool(diversity)
        self._cold_start = _checks.check_int("cold_start", cold_start, minimum=0)
        self._cv = _checks.check_int("cv", cv, minimum=0)
        if self._cv == 1:
            raise ValueError("cv must be 0 (off) or at least 2 folds, got 1")
        self._refit_every = _checks.check_int("refit_every", refit_every, minimum=1)
        if not 0.0 < confidence < 1.0:
            raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
        self._confidence = float(confidence)
        self.estimator = estimator
        self.random_state = random_state
        self._rng = np.random.default_rng(random_state)
        self._graph: KNNGraph | None = None
        self._cfg = RefitConfig(
            estimator=estimator, X=self._X, strategy=self._strategy, graph=self._get_graph,
            cv=self._cv, confidence=self._confidence,
            auto_label_precision=auto_label_precision,
            auto_label_threshold=auto_label_threshold,
            seed=int(np.random.default_rng(random_state).integers(2**31)),
        )
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._human: dict[int, int] = {}
        self._spot: dict[int, tuple[Any, float]] = {}
        self._labeled = np.zeros(self._n, dtype=bool)
        self._label_version = 0
        self._need_full = True
        self._snap: Snapshot | None = None
        self._history: list[dict[str, Any]] = []
        self._callbacks: list[Callable[[ActiveLearner], Any]] = []
        self._last_error: BaseException | None = None
        self._running = False
        self._pending = False
        self._running_version = -1
        self._worker_thread: threading.Thread | None = None
        self._refits = 0

    # ------------------------------------------------------------------ properties and outputs
    # classes_, n_items, n_human, is_training, last_error, model, semi_supervised, threshold,
    # auto_label_status, history, labels, predict_proba(), uncertainty(): OutputsMixin.

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
            already = [int(i) for i in ids_arr if self._labeled[i]]
            if already:
                raise ValueError(
                    f"ids {already[:10]} are already labeled; call forget() first to relabel them"
                )
            if self._declared:
                unknown = [v for v in values if v not in self._code_of]
                if unknown:
                    raise ValueError(
                        f"labels {unknown[:10]!r} are not among the declared labels "
                        f"{self._classes!r}"
                    )
            snap = self._snap
            if source == "spot_check" and snap is None:
                raise ValueError("source='spot_check' needs a model's auto-labels to check; "
                                 "there is no model yet")
            for i, v in zip(ids_arr.tolist(), values, strict=True):
                if v not in self._code_of:
                    self._add_class(v)
                    self._need_full = True
                self._human[i] = self._code_of[v]
                self._labeled[i] = True
                if source == "spot_check" and snap is not None:
                    pred = snap.classes[int(snap.predicted[i])]
                    self._spot[i] = (pred == v, float(snap.confidence[i]))
            self._label_version += 1
            self._request_refit()

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
            missing = [int(i) for i in ids_arr if not self._labeled[i]]
            if missing:
                raise ValueError(f"ids {missing[:10]} have no human label to forget")
            for i in ids_arr.tolist():
                del self._human[i]
                self._spot.pop(i, None)
                self._labeled[i] = False
            self._label_version += 1
            self._need_full = True
            self._request_refit()

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
            snap = self._snap
            blocked = self._labeled.copy()
            human_ids = np.fromiter(self._human.keys(), dtype=np.int64, count=len(self._human))
            counts = np.bincount(list(self._human.values()), minlength=len(self._classes))
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
        seen = counts[counts > 0]
        if snap is None or seen.size < 2:
            return True
        if self._cold_start == 0 or seen.min() >= self._cold_start:
            return False
        return int(counts.sum()) < 2 * self._cold_start * max(len(self._classes), 2)

    # ------------------------------------------------------------------ classes
    def _add_class(self, value: Any) -> None:
        self._code_of[value] = len(self._classes)
        self._classes.append(value)

    def __repr__(self) -> str:
        kind = "DataFrame" if is_dataframe(self._X) else type(self._X).__name__
        return (f"ActiveLearner({type(self.estimator).__name__}, {self._n} items ({kind}), "
                f"strategy={self._strategy_name!r}, {self.n_human} human labels)")
