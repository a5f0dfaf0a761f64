"""What the built-in models share: scikit-learn-style parameters, thread caps, checks."""

from __future__ import annotations

import contextlib
import numbers
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from .protocol import DroppedAnnotationsWarning, proba_uncertainty

__all__ = [
    "ModelBase",
    "check_choice",
    "check_number",
    "drop_overlaps",
    "model_record",
]


def check_number(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                 integer: bool = False, low_open: bool = False, allow_none: bool = False) -> Any:
    """Validate a numeric parameter and return it (as ``int`` when ``integer``)."""
    if value is None and allow_none:
        return None
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not np.isfinite(float(value)):
        raise ValueError(f"{name} must be {'an integer' if integer else 'a number'}"
                         f"{' or None' if allow_none else ''}, got {value!r}")
    number = float(value)
    if low is not None and (number <= low if low_open else number < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}")
    if high is not None and number > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
    return int(number) if integer else number


def check_choice(name: str, value: Any, choices: Sequence[Any]) -> Any:
    """Validate that ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def model_record(label: str, score: float, **fields: Any) -> dict[str, Any]:
    """A predicted record: fresh id, ``source="model"``, score clipped to [0, 1]."""
    from ..records import new_id

    record: dict[str, Any] = {"id": new_id(), **fields, "label": label, "source": "model",
                              "score": min(1.0, max(0.0, round(float(score), 6)))}
    return record


def drop_overlaps(records: list[dict[str, Any]], index: int,
                  dropped: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Keep a non-overlapping subset of ``start``/``end`` records: in order of start (the longer
    first on ties), a record that overlaps a kept one is left out and added to ``dropped``."""
    kept: list[dict[str, Any]] = []
    for record in sorted(records, key=lambda r: (r["start"], -r["end"])):
        if kept and record["start"] < kept[-1]["end"]:
            dropped.append((index, record))
        else:
            kept.append(record)
    return kept


def warn_dropped(dropped: list[tuple[int, dict[str, Any]]], what: str, model: str) -> None:
    """One warning naming the overlapping records left out of training."""
    if not dropped:
        return
    shown = "; ".join(f"items[{i}] {r.get('label')!r} [{r['start']}:{r['end']}]"
                      for i, r in dropped[:5])
    more = f" and {len(dropped) - 5} more" if len(dropped) > 5 else ""
    warnings.warn(DroppedAnnotationsWarning(
        f"{model} trains on non-overlapping {what} only: left out {len(dropped)} that overlap "
        f"an earlier (or longer) one: {shown}{more}", dropped), stacklevel=3)


class ModelBase(BaseEstimator):
    """Base of the built-in models: ``get_params``/``set_params``, fitted checks, thread caps.

    Subclasses implement ``_suggest_one(item, index) -> (records, uncertainty)``;
    ``predict``, ``uncertainty`` and ``suggest`` are built on it.
    """

    n_threads: int | None

    #: Attributes that are caches, rebuilt on demand: not pickled (nor copied by ``clone``).
    _transient: tuple[str, ...] = ("_cache", "_hasher")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        for name in self._transient:
            state.pop(name, None)
        return state

    @contextlib.contextmanager
    def _thread_limit(self) -> Iterator[None]:
        limit = check_number("n_threads", self.n_threads, low=1, integer=True, allow_none=True)
        if limit is None:
            yield
            return
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=limit):
            yield

    def _check_fitted(self) -> None:
        if not getattr(self, "is_fitted_", False):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call "
                                 "fit(items, annotations) first")

    def _suggest_one(self, item: Any, index: int) -> tuple[list[dict[str, Any]], float]:
        raise NotImplementedError

    def suggest(self, items: Sequence[Any]) -> tuple[list[list[dict[str, Any]]], np.ndarray]:
        """Predicted records and uncertainty for each item, in one pass.

        Returns
        -------
        (list of list of dict, ndarray of shape (n_items,))
            What :meth:`predict` and :meth:`uncertainty` return, computed together.
        """
        from ._inputs import as_item_list

        self._check_fitted()
        items = as_item_list(items)
        records, scores = [], np.zeros(len(items))
        with self._thread_limit():
            for index, item in enumerate(items):
                found, scores[index] = self._suggest_one(item, index)
                records.append(found)
        return records, scores

    def predict(self, items: Sequence[Any]) -> list[list[dict[str, Any]]]:
        """Predicted records (``source="model"``, ``score`` in [0, 1]), one list per item."""
        return self.suggest(items)[0]

    def uncertainty(self, items: Sequence[Any]) -> np.ndarray:
        """How unsure the model is about each item, in [0, 1], from its unit probabilities."""
        return self.suggest(items)[1]


def unit_uncertainty(proba: np.ndarray, top: float) -> float:
    """:func:`proba_uncertainty` with the models' shared settings."""
    return proba_uncertainty(proba, top=top, min_units=3)
