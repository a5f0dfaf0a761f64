"""One-to-one matching of two annotators' records on one item, counted per label.

Examples
--------
>>> a = [{"label": "x", "start": 0, "end": 4}]
>>> b = [{"label": "x", "start": 1, "end": 4}, {"label": "y", "start": 0, "end": 4}]
>>> from nbannotate.agreement._similarity import interval_iou
>>> [(i, j, s) for i, j, s in match(a, b, interval_iou, 0.5)]
[(0, 0, 0.75)]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

Similarity = Callable[[Any, Any], float]


def match(first: Sequence[Any], second: Sequence[Any], similarity: Similarity,
          threshold: float, *, label: Callable[[Any], Any] | None = None,
          strict: bool = False) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, similarity)`` matching ``first[i]`` to ``second[j]`` one to one.

    Only records of one label pair up (``label(record)``, default ``record["label"]``), and
    only when their similarity is at least ``threshold`` (above it when ``strict``). The
    assignment (Hungarian, :func:`scipy.optimize.linear_sum_assignment`) makes as many pairs
    as possible, and among those the most similar ones.

    Examples
    --------
    >>> same = lambda a, b: float(a["v"] == b["v"])
    >>> match([{"label": 1, "v": 1}], [{"label": 1, "v": 2}, {"label": 1, "v": 1}], same, 1.0)
    [(0, 1, 1.0)]
    """
    from scipy.optimize import linear_sum_assignment

    if not first or not second:
        return []
    name = label if label is not None else (lambda record: record["label"])
    sims = np.zeros((len(first), len(second)))
    ok = np.zeros_like(sims, dtype=bool)
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            if name(a) != name(b):
                continue
            value = similarity(a, b)
            sims[i, j] = value
            ok[i, j] = value > threshold if strict else value >= threshold
    if not ok.any():
        return []
    # every accepted pair weighs more than any number of extra similarity can make up
    big = min(len(first), len(second)) + 1.0
    weights = np.where(ok, big + sims, 0.0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(int(i), int(j), float(sims[i, j])) for i, j in zip(rows, cols, strict=True)
            if ok[i, j]]


def labels_of(records: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The distinct labels of records, in order of appearance.

    Examples
    --------
    >>> labels_of([{"label": "b"}, {"label": "a"}, {"label": "b"}])
    ['b', 'a']
    """
    seen: list[Any] = []
    for record in records:
        if record["label"] not in seen:
            seen.append(record["label"])
    return seen
