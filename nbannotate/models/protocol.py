"""The contract every structured model meets, and item uncertainty from its output.

A structured model learns from annotation records (spans, regions, boxes, keypoints, masks)
and predicts records of the same kind. Anything with these two methods is one:

.. code-block:: python

    class StructuredModel(Protocol):
        def fit(self, items, annotations) -> "StructuredModel": ...   # one record list per item
        def predict(self, items) -> list[list[dict]]: ...              # source="model", score

An active-learning queue needs one number per item: how unsure the model is about it.
:func:`item_uncertainty` asks the model's own ``uncertainty(items)`` when it has one (the
built-ins do, from their token / frame / window / pixel probabilities), and otherwise derives
it from the scores of the predicted records (``1 - min`` or ``1 - mean``), so any object with
``fit``/``predict`` works in the same queue.

Examples
--------
>>> class Echo:
...     def fit(self, items, annotations):
...         return self
...     def predict(self, items):
...         return [[{"id": "a", "label": "X", "start": 0, "end": 1, "text": t[:1],
...                   "source": "model", "score": 0.75}] for t in items]
>>> isinstance(Echo(), StructuredModel)
True
>>> item_uncertainty(Echo(), ["abc", "de"]).tolist()
[0.25, 0.25]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = [
    "DroppedAnnotationsWarning",
    "StructuredModel",
    "item_uncertainty",
    "proba_uncertainty",
    "records_uncertainty",
]


@runtime_checkable
class StructuredModel(Protocol):
    """Anything that learns annotation records from items and predicts them.

    ``fit(items, annotations)`` takes one list of records per item (the person's spans,
    regions, boxes, keypoints or masks) and returns the model; ``predict(items)`` returns one
    list of records per item, each with ``source="model"`` and a ``score`` in [0, 1].
    ``isinstance(obj, StructuredModel)`` checks that both methods exist.

    Examples
    --------
    >>> class Nothing:
    ...     def fit(self, items, annotations):
    ...         return self
    ...     def predict(self, items):
    ...         return [[] for _ in items]
    >>> isinstance(Nothing(), StructuredModel), isinstance(object(), StructuredModel)
    (True, False)
    """

    def fit(self, items: Sequence[Any],
            annotations: Sequence[Sequence[dict[str, Any]]]) -> Any: ...

    def predict(self, items: Sequence[Any]) -> list[list[dict[str, Any]]]: ...


class DroppedAnnotationsWarning(UserWarning):
    """Training records left out (e.g. overlapping spans); ``dropped`` holds
    ``(item index, record)`` pairs.

    Examples
    --------
    >>> w = DroppedAnnotationsWarning("1 span left out", [(0, {"label": "A"})])
    >>> w.dropped[0][0]
    0
    """

    def __init__(self, message: str, dropped: list[tuple[int, dict[str, Any]]]) -> None:
        super().__init__(message)
        self.dropped = dropped


_REDUCERS: dict[str, Callable[[np.ndarray], float]] = {
    "min": lambda s: float(s.min()),
    "mean": lambda s: float(s.mean()),
}


def records_uncertainty(records: Sequence[Mapping[str, Any]], *, reduce: str = "min",
                        empty: float = 1.0) -> float:
    """One item's uncertainty from its predicted records: ``1 - min`` (or ``mean``) score.

    Parameters
    ----------
    records : list of dict
        Predicted records; a record without ``score`` counts as sure (score 1).
    reduce : {"min", "mean"}, default "min"
        How the scores are combined: the least sure record decides, or their mean.
    empty : float, default 1.0
        The uncertainty of an item with no predicted record (nothing found is not evidence
        that nothing is there, so by default such items come first).

    Examples
    --------
    >>> records_uncertainty([{"score": 0.9}, {"score": 0.6}])
    0.4
    >>> records_uncertainty([{"score": 0.9}, {"score": 0.6}], reduce="mean")
    0.25
    >>> records_uncertainty([])
    1.0
    """
    if reduce not in _REDUCERS:
        raise ValueError(f"reduce must be one of {sorted(_REDUCERS)}, got {reduce!r}")
    if not 0.0 <= float(empty) <= 1.0:
        raise ValueError(f"empty must be a number in [0, 1], got {empty!r}")
    if not records:
        return float(empty)
    scores = []
    for number, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"record {number} must be a dict, got {type(record).__name__}")
        score = record.get("score")
        score = 1.0 if score is None else float(score)
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"record {number} (id={record.get('id')!r}): score must be in "
                             f"[0, 1], got {score!r}")
        scores.append(score)
    return round(1.0 - _REDUCERS[reduce](np.asarray(scores)), 12)


def item_uncertainty(model: Any, items: Sequence[Any], *, reduce: str = "min",
                     empty: float = 1.0) -> np.ndarray:
    """How unsure ``model`` is about each item, in [0, 1] (higher: ask the person first).

    Uses ``model.uncertainty(items)`` when the model has it (every built-in model does);
    otherwise predicts and applies :func:`records_uncertainty` to each item's records.

    Parameters
    ----------
    model : StructuredModel
        A fitted model: a built-in or any object with ``fit`` / ``predict``.
    items : list
        The items to score.
    reduce, empty
        See :func:`records_uncertainty` (used only for models without ``uncertainty``).

    Returns
    -------
    ndarray of shape (n_items,), float64

    Examples
    --------
    >>> class Fixed:
    ...     def fit(self, items, annotations):
    ...         return self
    ...     def predict(self, items):
    ...         return [[{"label": "A", "score": s}] if s else [] for s in items]
    >>> item_uncertainty(Fixed(), [0.9, 0.5, None]).tolist()
    [0.1, 0.5, 1.0]
    """
    items = list(items)
    method = getattr(model, "uncertainty", None)
    if callable(method):
        values = np.asarray(method(items), dtype=np.float64).reshape(-1)
        if values.shape != (len(items),):
            raise ValueError(f"{type(model).__name__}.uncertainty returned {values.size} values "
                             f"for {len(items)} items")
        return np.clip(values, 0.0, 1.0)
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"model must have a predict(items) method (a StructuredModel), got "
                        f"{type(model).__name__}")
    predicted = model.predict(items)
    if not isinstance(predicted, Sequence) or len(predicted) != len(items):
        raise ValueError(f"{type(model).__name__}.predict must return one list of records per "
                         f"item ({len(items)}), got {type(predicted).__name__}"
                         + (f" of length {len(predicted)}" if isinstance(predicted, Sequence)
                            else ""))
    out = np.empty(len(items))
    for index, records in enumerate(predicted):
        try:
            out[index] = records_uncertainty(records, reduce=reduce, empty=empty)
        except (TypeError, ValueError) as error:
            raise type(error)(f"predictions for items[{index}]: {error}") from None
    return out


def proba_uncertainty(proba: np.ndarray, *, top: float = 0.1, min_units: int = 3) -> float:
    """One item's uncertainty from per-unit class probabilities (tokens, frames, windows, pixels).

    Each unit's uncertainty is ``1 - max proba``, scaled by ``1 / (1 - 1/n_classes)`` to span
    [0, 1] whatever the number of classes; the item's is the mean over its least sure
    ``top`` fraction of units (at least ``min_units``), so a long document with one doubtful
    entity still ranks high, and an item whose every unit is sure ranks low.

    Parameters
    ----------
    proba : ndarray of shape (n_units, n_classes)
        Rows sum to 1.
    top : float, default 0.1
        Fraction of the least sure units that are averaged.
    min_units : int, default 3
        Average at least this many units (all of them when there are fewer).

    Examples
    --------
    >>> p = np.array([[1.0, 0.0]] * 9 + [[0.75, 0.25]])
    >>> proba_uncertainty(p, top=0.1, min_units=1)
    0.5
    >>> proba_uncertainty(np.zeros((0, 2)))
    0.0
    """
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim != 2:
        raise ValueError(f"proba must be 2-D (n_units, n_classes), got shape {proba.shape}")
    if proba.shape[0] == 0:
        return 0.0
    units = 1.0 - proba.max(axis=1)
    if proba.shape[1] > 1:
        units = units / (1.0 - 1.0 / proba.shape[1])
    count = min(units.size, max(int(min_units), int(np.ceil(top * units.size))))
    worst = np.partition(units, units.size - count)[units.size - count:]
    return float(np.clip(worst.mean(), 0.0, 1.0))
