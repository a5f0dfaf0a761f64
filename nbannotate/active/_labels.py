"""The human labels an ActiveLearner holds: classes, one class per item, spot-checks, versions.

:class:`LabelBook` is the write side of the learner's labels: ``teach`` and ``forget`` edit
it, the refit scheduler copies it into a :class:`~nbannotate.active._state.RefitJob`, and the
outputs and quality views read it. It takes no lock of its own: every call is made under the
learner's lock, which also guards the model snapshot, so labels and model are read together.

Examples
--------
>>> import numpy as np
>>> book = LabelBook(4, declared=None)
>>> book.teach(np.array([0, 3]), ["cat", "dog"], snapshot=None, source="human")
>>> book.classes, book.n_human, book.version
(('cat', 'dog'), 2, 1)
>>> book.job(snapshot=None, partial=False, refit_every=10).codes.tolist()
[0, 1]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from ._state import RefitJob, Snapshot

__all__ = ["LabelBook"]


class LabelBook:
    """Human labels of a pool of ``n`` items (see the module docstring).

    Parameters
    ----------
    n : int
        Pool size; items are positions ``0..n-1``.
    declared : sequence, optional
        Every class, declared up front (checked by the caller): teaching another is an error.
    """

    def __init__(self, n: int, declared: Sequence[Hashable] | None) -> None:
        self._classes: list[Any] = []
        self._code_of: dict[Any, int] = {}
        self._declared = declared is not None
        for value in declared or ():
            self._add_class(value)
        self._human: dict[int, int] = {}
        self._spot: dict[int, tuple[bool, float]] = {}
        self._labeled = np.zeros(n, dtype=bool)
        self._version = 0
        self._need_full = True

    # ------------------------------------------------------------------ reading
    @property
    def classes(self) -> tuple[Any, ...]:
        """Declared classes, then the ones taught, in order of first use."""
        return tuple(self._classes)

    @property
    def n_classes(self) -> int:
        return len(self._classes)

    @property
    def n_human(self) -> int:
        """Items with a human label (spot-checks included)."""
        return len(self._human)

    @property
    def version(self) -> int:
        """Changes with every ``teach`` and ``forget``."""
        return self._version

    def labeled(self) -> np.ndarray:
        """A copy of the per-item "has a human label" mask."""
        return self._labeled.copy()

    def is_labeled(self, ids: np.ndarray) -> np.ndarray:
        """Whether each of ``ids`` has a human label."""
        return self._labeled[ids]

    def human(self) -> dict[int, int]:
        """A copy of item -> class code (an index into :attr:`classes`)."""
        return dict(self._human)

    def human_ids(self) -> np.ndarray:
        return np.fromiter(self._human.keys(), dtype=np.int64, count=len(self._human))

    def counts(self) -> np.ndarray:
        """Human labels per class code."""
        return np.bincount(list(self._human.values()), minlength=len(self._classes))

    def human_rows(self) -> list[tuple[int, Any]]:
        """``(item, class)`` of every human label, in teaching order."""
        return [(i, self._classes[c]) for i, c in self._human.items()]

    def spot_checks(self) -> list[tuple[bool, float]]:
        """``(the model was right, its score)`` of every verified auto-label."""
        return list(self._spot.values())

    # ------------------------------------------------------------------ editing
    def _add_class(self, value: Any) -> None:
        self._code_of[value] = len(self._classes)
        self._classes.append(value)

    def teach(self, ids: np.ndarray, values: list[Hashable], *, snapshot: Snapshot | None,
              source: str) -> None:
        """Record labels of unlabeled items (``ids`` and ``values`` already checked).

        ``source="spot_check"`` also records whether ``snapshot``'s prediction was right.

        Raises
        ------
        ValueError
            An item already labeled, a label outside the declared ones, a spot-check
            without a model.
        """
        already = [int(i) for i in ids if self._labeled[i]]
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
        if source == "spot_check" and snapshot is None:
            raise ValueError("source='spot_check' needs a model's auto-labels to check; "
                             "there is no model yet")
        for i, v in zip(ids.tolist(), values, strict=True):
            if v not in self._code_of:
                self._add_class(v)
                self._need_full = True
            self._human[i] = self._code_of[v]
            self._labeled[i] = True
            if source == "spot_check" and snapshot is not None:
                predicted = snapshot.classes[int(snapshot.predicted[i])]
                self._spot[i] = (predicted == v, float(snapshot.confidence[i]))
        self._version += 1

    def forget(self, ids: np.ndarray) -> None:
        """Undo the labels of ``ids`` (ValueError when one has none)."""
        missing = [int(i) for i in ids if not self._labeled[i]]
        if missing:
            raise ValueError(f"ids {missing[:10]} have no human label to forget")
        for i in ids.tolist():
            del self._human[i]
            self._spot.pop(i, None)
            self._labeled[i] = False
        self._version += 1
        self._need_full = True

    # ------------------------------------------------------------------ refits
    def job(self, *, snapshot: Snapshot | None, partial: bool,
            refit_every: int) -> RefitJob | None:
        """What the next refit fits (None while fewer than two classes have labels).

        Full unless ``partial`` and the previous ``snapshot`` can be updated: same classes,
        nothing forgotten, fewer than ``refit_every`` labels since its last full fit.
        """
        ids = self.human_ids()
        codes = np.fromiter(self._human.values(), dtype=np.int64, count=len(self._human))
        if np.unique(codes).size < 2:
            return None
        full = (self._need_full or snapshot is None or not partial
                or len(snapshot.classes) != len(self._classes)
                or ids.size - snapshot.last_full_n >= refit_every)
        new_ids = np.empty(0, np.int64)
        if not full:
            assert snapshot is not None
            new_ids = np.setdiff1d(ids, snapshot.trained_ids)
            full = new_ids.size == 0
        spots = self.spot_checks()
        return RefitJob(
            self._version, ids, codes, tuple(self._classes), full, new_ids,
            spot_scores=np.array([score for _, score in spots], dtype=float),
            spot_correct=np.array([ok for ok, _ in spots], dtype=bool),
        )

    def started(self, job: RefitJob) -> None:
        """A refit of ``job`` started: a full one covers every edit so far."""
        if job.full:
            self._need_full = False

    def failed(self, job: RefitJob) -> None:
        """A refit of ``job`` failed: the next one must be full again."""
        if job.full:
            self._need_full = True
