"""Decoding BIO tags: the most probable valid tag sequence from per-token probabilities."""

from __future__ import annotations

import numpy as np

__all__ = ["viterbi_bio"]


def viterbi_bio(proba: np.ndarray) -> np.ndarray:
    """The most probable valid BIO tag sequence given independent token tag probabilities.

    Tags are numbered ``0 = O``, ``2k + 1 = B-k``, ``2k + 2 = I-k``; ``I-k`` may only follow
    ``B-k`` or ``I-k``.

    Examples
    --------
    >>> p = np.array([[0.1, 0.5, 0.0, 0.4, 0.0],   # B-0 slightly ahead of B-1
    ...               [0.1, 0.0, 0.3, 0.0, 0.6]])  # but I-1 clearly ahead of I-0
    >>> viterbi_bio(p).tolist()
    [3, 4]
    """
    n, states = proba.shape
    best = proba.argmax(axis=1)
    inside = (best > 0) & (best % 2 == 0)
    previous = np.concatenate(([0], best[:-1]))
    if not np.any(inside & (previous != best) & (previous != best - 1)):
        return best  # the unconstrained best sequence is valid, hence the best valid one
    labels = (states - 1) // 2
    rows = np.log(np.clip(proba, 1e-12, 1.0)).tolist()
    score = list(rows[0])
    for k in range(labels):
        score[2 * k + 2] = -np.inf
    back: list[list[int]] = []
    for t in range(1, n):
        row = rows[t]
        top = max(score)
        arg = score.index(top)
        new = [top + row[0]]
        ptr = [arg]
        for k in range(labels):
            b_score, i_score = score[2 * k + 1], score[2 * k + 2]
            new.append(top + row[2 * k + 1])
            ptr.append(arg)
            if b_score >= i_score:
                new.append(b_score + row[2 * k + 2])
                ptr.append(2 * k + 1)
            else:
                new.append(i_score + row[2 * k + 2])
                ptr.append(2 * k + 2)
        score = new
        back.append(ptr)
    tags = np.zeros(n, dtype=np.int64)
    tags[-1] = score.index(max(score))
    for t in range(n - 1, 0, -1):
        tags[t - 1] = back[t - 1][tags[t]]
    return tags
