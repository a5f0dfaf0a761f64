"""Query strategies: pure numpy functions from a probability matrix to one score per item.

Every strategy takes ``proba`` of shape ``(n_items, n_classes)`` (rows sum to one) and returns a
float array of shape ``(n_items,)`` where a **higher score means more informative**. They do
not look at which items are labeled; the selectors in :mod:`nbannotate.active.selection` do.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "STRATEGIES",
    "Strategy",
    "entropy",
    "get_strategy",
    "least_confidence",
    "margin",
    "random",
]

Strategy = Callable[[np.ndarray], np.ndarray]


def _check_proba(proba: np.ndarray) -> np.ndarray:
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2:
        raise ValueError(
            f"proba must be a 2-D array (n_items, n_classes), got shape {proba.shape}"
        )
    return proba


def least_confidence(proba: np.ndarray) -> np.ndarray:
    """One minus the probability of the most likely class.

    Examples
    --------
    >>> least_confidence(np.array([[0.9, 0.1], [0.6, 0.4]])).round(2).tolist()
    [0.1, 0.4]
    """
    proba = _check_proba(proba)
    if proba.shape[1] == 0:
        return np.zeros(proba.shape[0])
    return 1.0 - proba.max(axis=1)


def margin(proba: np.ndarray) -> np.ndarray:
    """One minus the gap between the two most likely classes (1 = a tie, 0 = certain).

    Examples
    --------
    >>> margin(np.array([[0.9, 0.1, 0.0], [0.45, 0.4, 0.15]])).round(2).tolist()
    [0.2, 0.95]
    """
    proba = _check_proba(proba)
    if proba.shape[1] < 2:
        return np.zeros(proba.shape[0])
    top2 = np.partition(proba, proba.shape[1] - 2, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def entropy(proba: np.ndarray) -> np.ndarray:
    """Shannon entropy of each row, in nats.

    Examples
    --------
    >>> entropy(np.array([[1.0, 0.0], [0.5, 0.5]])).round(3).tolist()
    [0.0, 0.693]
    """
    proba = _check_proba(proba)
    safe = np.where(proba > 0, proba, 1.0)
    return np.abs((proba * np.log(safe)).sum(axis=1))


def random(proba: np.ndarray, random_state: int | np.random.Generator | None = None) -> np.ndarray:
    """Uniform random scores: the baseline every other strategy should beat.

    Examples
    --------
    >>> random(np.full((3, 2), 0.5), random_state=0).shape
    (3,)
    """
    proba = _check_proba(proba)
    return np.random.default_rng(random_state).random(proba.shape[0])


STRATEGIES: dict[str, Strategy] = {
    "least_confidence": least_confidence,
    "margin": margin,
    "entropy": entropy,
    "random": random,
}


def get_strategy(strategy: str | Strategy) -> Strategy:
    """Resolve a strategy name or check a user callable.

    Parameters
    ----------
    strategy : str or callable
        One of ``"least_confidence"``, ``"margin"``, ``"entropy"``, ``"random"``, or a callable
        ``strategy(proba) -> scores`` (higher = more informative).

    Raises
    ------
    ValueError
        Unknown name; the message lists the valid names.
    TypeError
        Neither a string nor a callable.

    Examples
    --------
    >>> get_strategy("margin") is margin
    True
    """
    if isinstance(strategy, str):
        try:
            return STRATEGIES[strategy]
        except KeyError:
            valid = ", ".join(repr(name) for name in STRATEGIES)
            raise ValueError(
                f"strategy={strategy!r} is not a known strategy; expected one of {valid} "
                "or a callable strategy(proba) -> scores"
            ) from None
    if callable(strategy):
        return strategy
    raise TypeError(
        f"strategy must be a strategy name or a callable strategy(proba) -> scores, "
        f"got {type(strategy).__name__}: {strategy!r}"
    )
