"""Auto-label precision: estimate it from held-out predictions and pick a safe threshold.

Raw ``predict_proba`` is not a precision guarantee, so the learner estimates the precision of
"every item with confidence >= t" from **cross-validated** predictions on the human labels:
among the human-labeled items whose held-out confidence is >= t, the fraction predicted right.
Clopper-Pearson (exact binomial) intervals turn that count into a conservative bound.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import beta

__all__ = ["PrecisionEstimate", "binomial_interval", "choose_threshold", "precision_at"]


def binomial_interval(k: int, n: int, confidence: float = 0.9) -> tuple[float, float]:
    """Two-sided Clopper-Pearson interval for a proportion of k successes in n trials.

    Returns ``(nan, nan)`` when ``n == 0``.

    Examples
    --------
    >>> lo, hi = binomial_interval(50, 50, confidence=0.95)
    >>> round(lo, 3), hi
    (0.929, 1.0)
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if n <= 0:
        return float("nan"), float("nan")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n={n}, got {k!r}")
    a = (1.0 - confidence) / 2.0
    lo = 0.0 if k == 0 else float(beta.ppf(a, k, n - k + 1))
    hi = 1.0 if k == n else float(beta.ppf(1.0 - a, k + 1, n - k))
    return lo, hi


@dataclass(frozen=True)
class PrecisionEstimate:
    """Estimated precision of auto-labels at a confidence threshold.

    Attributes
    ----------
    threshold : float
        Items whose model confidence is >= threshold are auto-labeled.
    precision : float
        Fraction right among the ``n`` cross-validated predictions at or above the threshold
        (nan when ``n == 0``).
    lower, upper : float
        Clopper-Pearson interval at ``confidence``.
    n, n_correct : int
        Held-out predictions of human labels at or above the threshold, and how many were right.
    confidence : float
    coverage : float
        Fraction of the unlabeled pool the current model would auto-label at this threshold.
    measured_n, measured_correct : int
        Spot-checks (auto-labels verified by a person) whose score was >= threshold.
    measured_precision, measured_lower, measured_upper : float
        Precision measured on those spot-checks and its interval (nan when none).

    Examples
    --------
    >>> est = precision_at(np.array([0.99, 0.97, 0.6]), np.array([True, True, False]), 0.95)
    >>> est.n, est.n_correct, est.precision
    (2, 2, 1.0)
    """

    threshold: float
    precision: float
    lower: float
    upper: float
    n: int
    n_correct: int
    confidence: float
    coverage: float = float("nan")
    measured_n: int = 0
    measured_correct: int = 0
    measured_precision: float = float("nan")
    measured_lower: float = float("nan")
    measured_upper: float = float("nan")

    def as_dict(self) -> dict[str, float | int]:
        """Plain dict of the fields (for DataFrames and JSON)."""
        return asdict(self)


def precision_at(
    scores: np.ndarray,
    correct: np.ndarray,
    threshold: float,
    *,
    confidence: float = 0.9,
) -> PrecisionEstimate:
    """Precision and interval of held-out predictions whose score is >= threshold.

    Parameters
    ----------
    scores : ndarray of float
        Held-out confidence (top class probability) of each human-labeled item.
    correct : ndarray of bool
        Whether the held-out prediction matched the human label.
    threshold : float
    confidence : float, default 0.9
        Two-sided level of the interval (its lower end is a one-sided 95% bound at 0.9).

    Examples
    --------
    >>> precision_at(np.array([0.9, 0.8]), np.array([True, False]), 0.5).precision
    0.5
    """
    scores = np.asarray(scores, dtype=float)
    correct = np.asarray(correct, dtype=bool)
    above = scores >= threshold
    n = int(above.sum())
    k = int(correct[above].sum())
    lo, hi = binomial_interval(k, n, confidence)
    return PrecisionEstimate(
        threshold=float(threshold),
        precision=k / n if n else float("nan"),
        lower=lo,
        upper=hi,
        n=n,
        n_correct=k,
        confidence=confidence,
    )


def _lower_curve(
    scores: np.ndarray, correct: np.ndarray, thresholds: np.ndarray, confidence: float
) -> np.ndarray:
    """Clopper-Pearson lower bound of the precision at or above each threshold (0 if none)."""
    order = np.argsort(-scores, kind="stable")
    s_desc, c_desc = scores[order], correct[order]
    n = np.searchsorted(-s_desc, -thresholds, side="right")
    k = np.r_[0, np.cumsum(c_desc)][n]
    a = (1.0 - confidence) / 2.0
    with np.errstate(invalid="ignore"):
        lower = beta.ppf(a, np.maximum(k, 1), np.maximum(n - k + 1, 1))
    return np.where((k > 0) & (n > 0), lower, 0.0)


def choose_threshold(
    scores: np.ndarray,
    correct: np.ndarray,
    target: float,
    *,
    confidence: float = 0.9,
    min_threshold: float = 0.5,
    checked: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[float | None, PrecisionEstimate | None]:
    """Lowest threshold whose precision *lower bound* meets ``target``.

    Parameters
    ----------
    scores, correct : ndarray
        Held-out (cross-validated) confidence and correctness of the human-labeled items.
    target : float
    confidence : float, default 0.9
        Two-sided level of the Clopper-Pearson interval (0.9: its lower end is a one-sided 95%
        bound).
    min_threshold : float, default 0.5
    checked : (scores, correct), optional
        Spot-checks: auto-labels a person verified, with the score they had. When given, a
        threshold also qualifies when the spot-checks at or above it bound the precision above
        ``target`` on their own (only thresholds at or above the lowest checked score).

    Returns
    -------
    threshold, estimate
        ``(None, best)`` when no threshold qualifies; ``best`` describes the candidate with the
        highest lower bound from the held-out predictions (None when there are no candidates).

    Examples
    --------
    >>> s = np.linspace(0.6, 1.0, 200)
    >>> t, est = choose_threshold(s, s > 0.62, 0.95)
    >>> round(t, 3), est.lower >= 0.95
    (0.612, True)
    """
    if not 0.0 < target < 1.0:
        raise ValueError(f"target precision must be between 0 and 1, got {target!r}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    scores = np.asarray(scores, dtype=float)
    correct = np.asarray(correct, dtype=bool)
    chk_s = np.asarray(checked[0], dtype=float) if checked is not None else np.empty(0)
    chk_c = np.asarray(checked[1], dtype=bool) if checked is not None else np.empty(0, bool)
    candidates = np.unique(np.r_[scores, chk_s])
    candidates = candidates[candidates >= min_threshold]
    if candidates.size == 0:
        return None, None
    lower = _lower_curve(scores, correct, candidates, confidence)
    if chk_s.size:  # spot-checks say nothing about scores below the lowest one checked
        spot_lower = _lower_curve(chk_s, chk_c, candidates, confidence)
        lower = np.maximum(lower, np.where(candidates >= chk_s.min(), spot_lower, 0.0))
    ok = np.flatnonzero(lower >= target)
    if ok.size:
        t = float(candidates[ok[0]])
        return t, precision_at(scores, correct, t, confidence=confidence)
    best = float(candidates[int(np.argmax(lower))])
    return None, precision_at(scores, correct, best, confidence=confidence)
