"""Headless active learning: query strategies, batch selectors and :class:`ActiveLearner`.

Examples
--------
>>> from nbannotate.active import ActiveLearner, margin
>>> import numpy as np
>>> margin(np.array([[0.5, 0.5]])).tolist()
[1.0]
"""

from .learner import ActiveLearner
from .precision import PrecisionEstimate, binomial_interval, choose_threshold, precision_at
from .selection import diverse_top_k, kmeans_pp_seeds, spread_out, top_k
from .semi import KNNGraph, pseudo_labels, spread_labels
from .strategies import STRATEGIES, entropy, get_strategy, least_confidence, margin, random

__all__ = [
    "STRATEGIES",
    "ActiveLearner",
    "KNNGraph",
    "PrecisionEstimate",
    "binomial_interval",
    "choose_threshold",
    "diverse_top_k",
    "entropy",
    "get_strategy",
    "kmeans_pp_seeds",
    "least_confidence",
    "margin",
    "precision_at",
    "pseudo_labels",
    "random",
    "spread_labels",
    "spread_out",
    "top_k",
]
