"""Chance-corrected agreement on whole-item labels: Cohen, Fleiss, Krippendorff.

The ratings are a table ``{item: {annotator: category}}``; an annotator who did not label an
item is simply absent from it.

Examples
--------
>>> ratings = {"a": {"ana": "cat", "bo": "cat"}, "b": {"ana": "dog", "bo": "cat"},
...            "c": {"ana": "dog", "bo": "dog"}}
>>> round(fleiss_kappa(ratings), 4), round(krippendorff_alpha(ratings), 4)
(0.3333, 0.4444)
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

Ratings = Mapping[str, Mapping[str, Hashable]]


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Cohen's kappa of two annotators' labels of the same items (scikit-learn's).

    NaN when it is undefined: no items, or both annotators always gave one same label
    (expected agreement 1).

    Examples
    --------
    >>> cohen_kappa(["a", "a", "b", "b"], ["a", "a", "b", "a"])
    0.5
    """
    from sklearn.metrics import cohen_kappa_score

    if len(first) == 0:
        return math.nan
    names = {value: str(index) for index, value in enumerate(sorted(set(first) | set(second),
                                                                      key=repr))}
    if len(names) == 1:
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = cohen_kappa_score([names[v] for v in first], [names[v] for v in second])
    return float(value)


def _counts(ratings: Ratings) -> list[Counter[Hashable]]:
    """Per item with at least two ratings: how many annotators chose each category."""
    return [Counter(by.values()) for by in ratings.values() if len(by) >= 2]


def fleiss_kappa(ratings: Ratings) -> float:
    """Fleiss' kappa over items rated by two annotators or more.

    With ``n_ij`` the annotators putting item ``i`` in category ``j`` and ``m_i`` the item's
    annotators: ``P_i = sum_j n_ij (n_ij - 1) / (m_i (m_i - 1))``, ``P = mean_i P_i``,
    ``p_j = sum_i n_ij / sum_i m_i``, ``P_e = sum_j p_j**2`` and
    ``kappa = (P - P_e) / (1 - P_e)``. With the same number of annotators on every item this
    is Fleiss (1971); items with fewer annotators take part with their own ``m_i``. NaN when
    undefined (fewer than one item with two ratings, or one category only).

    Examples
    --------
    >>> fleiss_kappa({"x": {"a": 1, "b": 1}, "y": {"a": 2, "b": 2}})
    1.0
    """
    counts = _counts(ratings)
    if not counts:
        return math.nan
    observed = 0.0
    totals: Counter[Hashable] = Counter()
    for count in counts:
        m = sum(count.values())
        observed += sum(n * (n - 1) for n in count.values()) / (m * (m - 1))
        totals.update(count)
    observed /= len(counts)
    every = sum(totals.values())
    expected = sum((n / every) ** 2 for n in totals.values())
    if expected >= 1.0:
        return math.nan
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(ratings: Ratings) -> float:
    """Krippendorff's alpha for nominal data (missing ratings allowed).

    Items with one rating are not pairable and are left out. From the coincidences
    ``o_ck = sum_u (pairs of ratings c, k in unit u) / (m_u - 1)``, ``n_c = sum_k o_ck`` and
    ``n = sum_c n_c``: ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k``.
    NaN when undefined (no pairable item, or one category only).

    Examples
    --------
    >>> krippendorff_alpha({"x": {"a": 1, "b": 1}, "y": {"a": 2, "b": 2}})
    1.0
    """
    counts = _counts(ratings)
    disagree = 0.0
    totals: Counter[Hashable] = Counter()
    for count in counts:
        m = sum(count.values())
        # ordered pairs of different values inside the unit, each weighted 1 / (m - 1)
        disagree += (m * m - sum(n * n for n in count.values())) / (m - 1)
        totals.update(count)
    n = sum(totals.values())
    chance = n * n - sum(v * v for v in totals.values())
    if n == 0 or chance == 0:
        return math.nan
    return 1.0 - (n - 1) * disagree / chance
