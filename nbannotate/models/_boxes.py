"""Box geometry for the detectors: IoU and greedy non-maximum suppression.

Boxes are ``(x, y, w, h)`` rows in pixels, like box records.

Examples
--------
>>> boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [30, 30, 5, 5]], dtype=float)
>>> iou(boxes[:1], boxes).round(2).tolist()
[[1.0, 0.68, 0.0]]
>>> nms(boxes, np.array([0.9, 0.8, 0.7]), 0.5).tolist()
[0, 2]
"""

from __future__ import annotations

import numpy as np

__all__ = ["iou", "nms"]


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every box in ``a`` with every box in ``b``, shape ``(len(a), len(b))``."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    ax1, ay1 = a[:, 0:1], a[:, 1:2]
    ax2, ay2 = ax1 + a[:, 2:3], ay1 + a[:, 3:4]
    bx1, by1 = b[:, 0], b[:, 1]
    bx2, by2 = bx1 + b[:, 2], by1 + b[:, 3]
    iw = np.clip(np.minimum(ax2, bx2) - np.maximum(ax1, bx1), 0, None)
    ih = np.clip(np.minimum(ay2, by2) - np.maximum(ay1, by1), 0, None)
    inter = iw * ih
    union = a[:, 2:3] * a[:, 3:4] + b[:, 2] * b[:, 3] - inter
    return _fraction(inter, union)


def _fraction(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole`` in [0, 1]; 0 where ``whole`` is 0 (boxes without area). Exact for
    tiny boxes too (no floor on the divisor), clipped against rounding above 1."""
    out = np.zeros(np.broadcast_shapes(part.shape, whole.shape))
    np.divide(part, whole, out=out, where=whole > 0)
    return np.clip(out, 0.0, 1.0, out=out)


def _inside(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over the smaller area, for every pair."""
    ix = np.clip(np.minimum(a[:, 0:1] + a[:, 2:3], b[:, 0] + b[:, 2])
                 - np.maximum(a[:, 0:1], b[:, 0]), 0, None)
    iy = np.clip(np.minimum(a[:, 1:2] + a[:, 3:4], b[:, 1] + b[:, 3])
                 - np.maximum(a[:, 1:2], b[:, 1]), 0, None)
    smaller = np.minimum(a[:, 2:3] * a[:, 3:4], b[:, 2] * b[:, 3])
    return _fraction(ix * iy, smaller)


def nms(boxes: np.ndarray, scores: np.ndarray, threshold: float,
        limit: int | None = None, contained: float | None = None) -> np.ndarray:
    """Indices of the boxes kept by greedy non-maximum suppression, best score first.

    A box is dropped when its IoU with a better kept box exceeds ``threshold``, or, with
    ``contained``, when more than that fraction of the smaller of the two lies inside the other
    (a part of an object found at a smaller scale).
    """
    order = np.argsort(-np.asarray(scores), kind="stable")
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)[order]
    keep: list[int] = []
    alive = np.ones(order.size, dtype=bool)
    block = 1024  # IoU rows computed a block at a time (bounded memory, few numpy calls)
    for begin in range(0, order.size, block):
        rows = None
        if alive[begin:].any():
            part = boxes[begin:begin + block]
            rows = iou(part, boxes)
            if contained is not None:
                rows = np.where(_inside(part, boxes) > contained, 1.0, rows)
        for i in range(begin, min(begin + block, order.size)):
            if not alive[i]:
                continue
            keep.append(int(order[i]))
            if limit is not None and len(keep) >= limit:
                return np.asarray(keep, dtype=np.int64)
            assert rows is not None
            alive[i + 1:] &= rows[i - begin, i + 1:] <= threshold
    return np.asarray(keep, dtype=np.int64)
