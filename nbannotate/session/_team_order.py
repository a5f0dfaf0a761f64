"""The candidates a team-mode session offers the shared queue, most wanted first: the model's
order, read lazily (the queue usually needs only its head).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["learner_order", "ordered", "uncertainty_order"]


def ordered(first: Iterable[int], rest: Iterator[int], exclude: set[int]) -> Iterator[int]:
    """``first`` then ``rest``, without repeats or excluded positions (lazily).

    Examples
    --------
    >>> list(ordered([3, 1], iter([1, 2, 0, 4]), exclude={0}))
    [3, 1, 2, 4]
    """
    seen = set(exclude)
    for source in (first, rest):
        for pos in source:
            if pos not in seen:
                seen.add(pos)
                yield pos


def learner_order(learner: Any, exclude: set[int], chunk: int = 64) -> Iterator[int]:
    """The learner's order of the items not in ``exclude``, read lazily as the queue asks
    for more candidates: by the latest model's uncertainty (most informative first), or
    before a model, the learner's diverse cold-start picks."""
    if learner.model is not None:
        scores = np.asarray(learner.uncertainty(), dtype=float)
        ranked = np.argsort(-np.nan_to_num(scores, nan=-np.inf), kind="stable")
        yield from (int(pos) for pos in ranked if int(pos) not in exclude)
        return
    given: set[int] = set()
    while True:
        batch = learner.next(chunk, exclude=sorted(exclude | given) or None)
        if not batch:
            return
        given.update(batch)
        yield from batch


def uncertainty_order(left: list[int], uncertainty: Mapping[int, float]) -> list[int]:
    """``left`` with the scored items first, most uncertain first, then the others in pool
    order.

    Examples
    --------
    >>> uncertainty_order([0, 1, 2, 3], {2: 0.1, 3: 0.9})
    [3, 2, 0, 1]
    """
    scored = sorted((p for p in left if p in uncertainty),
                    key=lambda p: (-uncertainty[p], p))
    return scored + [p for p in left if p not in uncertainty]
