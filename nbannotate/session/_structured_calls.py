"""Calling any structured model: check it, copy it for a refit, read its suggestions.

A structured model is anything with ``fit(items, annotations)`` and ``predict(items)``
(:class:`~nbannotate.models.protocol.StructuredModel`); ``suggest`` and ``uncertainty`` are
used when it has them. The session's background refits (:mod:`._model_runner`) and the live
refits on the image shown (:mod:`._segment_live`) call models only through these functions.

Examples
--------
>>> class Fixed:
...     def fit(self, items, annotations):
...         return self
...     def predict(self, items):
...         return [[{"label": "A", "score": 0.9}] for _ in items]
>>> model = check_structured_model(Fixed())
>>> records, doubt = suggest(fresh_copy(model).fit([], []), ["a"])
>>> records, doubt.round(2).tolist()
([[{'label': 'A', 'score': 0.9}]], [0.1])
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..models.protocol import records_uncertainty

__all__ = ["check_structured_model", "fresh_copy", "suggest"]


def check_structured_model(model: Any) -> Any:
    """Check that ``model`` is a structured model instance (``fit`` and ``predict``).

    Examples
    --------
    >>> check_structured_model(object())
    Traceback (most recent call last):
    ...
    TypeError: model must have fit(items, annotations) and predict(items) (a StructuredModel \
such as SpanTagger()), got object, which has no fit, predict
    """
    if isinstance(model, type):
        raise TypeError(f"model must be a model instance, got the class {model.__name__}; "
                        f"write {model.__name__}()")
    missing = [name for name in ("fit", "predict") if not callable(getattr(model, name, None))]
    if missing:
        raise TypeError(f"model must have fit(items, annotations) and predict(items) (a "
                        f"StructuredModel such as SpanTagger()), got {type(model).__name__}, "
                        f"which has no {', '.join(missing)}")
    return model


def suggest(model: Any, items: list[Any]) -> tuple[list[list[dict[str, Any]]], np.ndarray]:
    """Predicted records and uncertainty per item, from any structured model.

    Uses ``model.suggest(items)`` when there is one (one pass), else ``predict`` and
    ``uncertainty(items)`` when the model has it, else the records' scores
    (:func:`~nbannotate.models.records_uncertainty`).

    Examples
    --------
    >>> class Fixed:
    ...     def fit(self, items, annotations):
    ...         return self
    ...     def predict(self, items):
    ...         return [[{"label": "A", "score": 0.7}] for _ in items]
    >>> records, doubt = suggest(Fixed(), ["a", "b"])
    >>> doubt.tolist()
    [0.3, 0.3]
    """
    name = type(model).__name__
    method = getattr(model, "suggest", None)
    if callable(method):
        records, doubt = method(items)
        doubt = np.asarray(doubt, dtype=np.float64).reshape(-1)
    else:
        records = model.predict(items)
        own = getattr(model, "uncertainty", None)
        if callable(own):
            doubt = np.asarray(own(items), dtype=np.float64).reshape(-1)
        else:
            doubt = np.array([records_uncertainty(r) for r in _checked(records, items, name)],
                             dtype=np.float64)
    records = _checked(records, items, name)
    if doubt.shape != (len(items),):
        raise ValueError(f"{name} gave {doubt.size} uncertainties for {len(items)} items")
    return [[dict(r) for r in rs] for rs in records], np.clip(np.nan_to_num(doubt, nan=1.0),
                                                              0.0, 1.0)


def _checked(records: Any, items: Sequence[Any], name: str) -> list[list[dict[str, Any]]]:
    if isinstance(records, (str, bytes, dict)) or not isinstance(records, Sequence) \
            or len(records) != len(items):
        raise ValueError(f"{name}.predict must return one list of records per item "
                         f"({len(items)}), got {type(records).__name__}")
    for index, found in enumerate(records):
        if isinstance(found, (str, bytes, dict)) or not isinstance(found, Sequence) \
                or not all(isinstance(r, dict) for r in found):
            raise ValueError(f"{name}.predict: the predictions for item {index} must be a list "
                             f"of records (dicts), got {type(found).__name__}")
    return list(records)


def fresh_copy(model: Any) -> Any:
    """An unfitted copy of ``model`` to fit (or the model itself when it cannot be copied).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression(C=0.5)
    >>> copied = fresh_copy(model)
    >>> copied is model, copied.C
    (False, 0.5)
    """
    if hasattr(model, "get_params"):
        with contextlib.suppress(Exception):
            from sklearn.base import clone

            return clone(model)
    try:
        return copy.deepcopy(model)
    except Exception:  # not copyable: fit in place (predictions wait for the fit anyway)
        return model
