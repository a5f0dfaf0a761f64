"""A pixel classifier's probabilities as mask records (one per label) and an uncertainty map.

Shared by :class:`~nbannotate.LiveSegmentation` and the segment session's live refit.

Examples
--------
>>> import numpy as np
>>> proba = np.array([[[0.9, 0.1], [0.2, 0.8]]])          # 1 × 2 pixels, 2 labels
>>> records, doubt = masks_from_proba(proba, ["sky", "tree"], ["sky", "tree"])
>>> [(r["label"], r["mask"]["counts"], r["score"]) for r in records]
[('sky', [0, 1, 1], 0.9), ('tree', [1, 1], 0.8)]
>>> doubt.round(2).tolist()
[[0.2, 0.4]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["masks_from_proba"]


def masks_from_proba(proba: np.ndarray, names: Sequence[str], allowed: Sequence[str],
                     ) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Mask records of the most likely label per pixel, and the per-pixel uncertainty.

    Parameters
    ----------
    proba : ndarray, shape (height, width, n_labels)
        Per-pixel probabilities, in the order of ``names``.
    names : list of str
        The label of each probability plane.
    allowed : list of str
        Labels that may become records (others are left out, e.g. labels the widget lacks).

    Returns
    -------
    records : list of dict
        ``{"label", "mask" (COCO RLE), "source": "model", "score"}`` per label that wins at
        least one pixel; ``score`` is its mean winning probability.
    uncertainty : ndarray, shape (height, width)
        ``1 - max probability``, scaled to [0, 1] (1: all labels equally likely).
    """
    from ..formats.rle import mask_to_rle

    best = np.zeros(proba.shape[:2], dtype=np.int64)
    top = proba[:, :, 0].copy()
    for k in range(1, proba.shape[2]):
        plane = proba[:, :, k]
        better = plane > top
        best[better] = k
        np.maximum(top, plane, out=top)
    records = []
    for k, name in enumerate(names):
        inside = best == k
        if name not in allowed or not inside.any():
            continue
        records.append({"label": name, "mask": mask_to_rle(inside), "source": "model",
                        "score": round(float(np.clip(top[inside].mean(), 0, 1)), 6)})
    count = proba.shape[2]
    uncertainty = (np.clip((1.0 - top) / (1.0 - 1.0 / count), 0, 1) if count > 1
                   else np.zeros_like(top))
    return records, uncertainty
