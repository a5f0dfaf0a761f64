"""Scores for structured predictions, used by the models' tests and benchmarks.

Examples
--------
>>> gold = [[{"start": 0, "end": 4, "label": "PER"}]]
>>> span_f1([[{"start": 0, "end": 4, "label": "PER"}]], gold)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._boxes import iou

__all__ = ["average_precision", "event_f1", "span_f1"]

Records = Sequence[Sequence[dict[str, Any]]]


def span_f1(predicted: Records, gold: Records) -> float:
    """Exact-match F1 over ``(start, end, label)`` of all documents' spans.

    Examples
    --------
    >>> span_f1([[{"start": 0, "end": 3, "label": "A"}]], [[{"start": 0, "end": 4, "label": "A"}]])
    0.0
    """
    tp = fp = fn = 0
    for mine, theirs in zip(predicted, gold, strict=True):
        a = {(s["start"], s["end"], s["label"]) for s in mine}
        b = {(s["start"], s["end"], s["label"]) for s in theirs}
        tp += len(a & b)
        fp += len(a - b)
        fn += len(b - a)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def event_f1(predicted: Records, gold: Records, tolerance: float = 0.1) -> float:
    """Event-based F1: a predicted region matches an unmatched true region of its label whose
    onset is within ``tolerance`` seconds (greedy, in order of predicted onset).

    Examples
    --------
    >>> event_f1([[{"start": 1.05, "end": 2, "label": "a"}]], [[{"start": 1.0, "end": 3,
    ...                                                           "label": "a"}]])
    1.0
    """
    tp = fp = fn = 0
    for mine, theirs in zip(predicted, gold, strict=True):
        used: set[int] = set()
        for region in sorted(mine, key=lambda r: r["start"]):
            match = [i for i, g in enumerate(theirs) if i not in used
                     and g["label"] == region["label"]
                     and abs(g["start"] - region["start"]) <= tolerance]
            if match:
                used.add(min(match, key=lambda i: abs(theirs[i]["start"] - region["start"])))
                tp += 1
            else:
                fp += 1
        fn += len(theirs) - len(used)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def average_precision(predicted: Records, gold: Records, threshold: float = 0.5) -> float:
    """Mean over labels of the average precision of boxes at IoU >= ``threshold``.

    Detections are ranked by score; each matches the best-overlapping unmatched true box of
    its label and image. AP is the area under the precision envelope (all points, as in
    PASCAL VOC 2010+).

    Examples
    --------
    >>> box = {"x": 0, "y": 0, "w": 10, "h": 10, "label": "a"}
    >>> average_precision([[{**box, "score": 0.9}, {**box, "x": 50, "score": 0.8}]], [[box]])
    1.0
    """
    labels = sorted({b["label"] for boxes in gold for b in boxes})
    scores = []
    for label in labels:
        truth = [np.array([[b["x"], b["y"], b["w"], b["h"]] for b in boxes
                           if b["label"] == label], dtype=float).reshape(-1, 4) for boxes in gold]
        used = [np.zeros(len(t), dtype=bool) for t in truth]
        found = sorted(((b["score"], i, (b["x"], b["y"], b["w"], b["h"]))
                        for i, boxes in enumerate(predicted) for b in boxes
                        if b["label"] == label), key=lambda d: -d[0])
        hits = []
        for _, i, box in found:
            hit = 0
            if len(truth[i]):
                overlap = iou(np.array([box], dtype=float), truth[i])[0]
                overlap[used[i]] = -1.0
                k = int(overlap.argmax())
                if overlap[k] >= threshold:
                    used[i][k] = True
                    hit = 1
            hits.append(hit)
        total = sum(len(t) for t in truth)
        if not hits:
            scores.append(0.0)
            continue
        tp = np.cumsum(hits)
        recall = np.concatenate(([0.0], tp / total, [1.0]))
        precision = np.concatenate(([0.0], tp / np.arange(1, len(hits) + 1), [0.0]))
        precision = np.maximum.accumulate(precision[::-1])[::-1]
        steps = np.flatnonzero(recall[1:] != recall[:-1])
        scores.append(float(np.sum((recall[steps + 1] - recall[steps]) * precision[steps + 1])))
    return float(np.mean(scores)) if scores else 0.0
