"""How alike two records are: IoU of boxes, polygons, masks, spans and regions; OKS of keypoints.

Every function takes two records of one kind (the fields of :mod:`nbannotate.records`) and
returns a number in ``[0, 1]``.

Examples
--------
>>> box_iou({"x": 0, "y": 0, "w": 2, "h": 2}, {"x": 1, "y": 0, "w": 2, "h": 2})
0.3333333333333333
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

Record = Mapping[str, Any]

POLYGON_GRID = 512
"""Polygons are compared on a grid of at most this many cells a side over their joint extent."""

DEFAULT_SIGMA = 0.05
"""Per-keypoint OKS constant used when no ``sigmas`` are given."""

COCO_PERSON_SIGMAS: dict[str, float] = {
    "nose": 0.026, "left_eye": 0.025, "right_eye": 0.025, "left_ear": 0.035,
    "right_ear": 0.035, "left_shoulder": 0.079, "right_shoulder": 0.079,
    "left_elbow": 0.072, "right_elbow": 0.072, "left_wrist": 0.062, "right_wrist": 0.062,
    "left_hip": 0.107, "right_hip": 0.107, "left_knee": 0.087, "right_knee": 0.087,
    "left_ankle": 0.089, "right_ankle": 0.089,
}
"""COCO's published per-keypoint sigmas for its 17 person keypoints (pass as ``sigmas=``)."""


def interval_iou(a: Record, b: Record) -> float:
    """IoU of two ``[start, end)`` intervals (spans in characters, regions in seconds).

    Examples
    --------
    >>> interval_iou({"start": 0, "end": 4}, {"start": 2, "end": 6})
    0.3333333333333333
    """
    inter = min(a["end"], b["end"]) - max(a["start"], b["start"])
    if inter <= 0:
        return 0.0
    union = max(a["end"], b["end"]) - min(a["start"], b["start"])
    return float(inter / union)


def box_iou(a: Record, b: Record) -> float:
    """IoU of two ``x, y, w, h`` boxes (0 for empty boxes).

    Examples
    --------
    >>> box_iou({"x": 0, "y": 0, "w": 2, "h": 2}, {"x": 0, "y": 0, "w": 2, "h": 2})
    1.0
    """
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return float(inter / (a["w"] * a["h"] + b["w"] * b["h"] - inter))


def _inside(points: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Even-odd rule: which grid centres ``(xs, ys)`` lie inside the polygon."""
    inside = np.zeros(xs.shape, dtype=bool)
    x0, y0 = points[:, 0], points[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    for ax, ay, bx, by in zip(x0, y0, x1, y1, strict=True):
        if ay == by:
            continue
        crosses = (ay > ys) != (by > ys)
        at = ax + (ys - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (xs < at)
    return inside


def polygon_iou(a: Record, b: Record, grid: int = POLYGON_GRID) -> float:
    """IoU of two polygons, measured on a grid over their joint bounding box.

    The grid has one cell per pixel up to ``grid`` cells a side (finer cells for smaller
    extents would change nothing an annotator can draw), so the value is exact to about a
    pixel's share of the outline.

    Examples
    --------
    >>> square = {"points": [[0, 0], [4, 0], [4, 4], [0, 4]]}
    >>> half = {"points": [[0, 0], [2, 0], [2, 4], [0, 4]]}
    >>> polygon_iou(square, half)
    0.5
    """
    pa = np.asarray(a["points"], dtype=float)
    pb = np.asarray(b["points"], dtype=float)
    both = np.vstack([pa, pb])
    low, high = both.min(axis=0), both.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    cells = np.clip(np.ceil(span), 1, grid).astype(int)
    xs = low[0] + (np.arange(cells[0]) + 0.5) * span[0] / cells[0]
    ys = low[1] + (np.arange(cells[1]) + 0.5) * span[1] / cells[1]
    gx, gy = np.meshgrid(xs, ys)
    ina, inb = _inside(pa, gx, gy), _inside(pb, gx, gy)
    union = np.count_nonzero(ina | inb)
    return float(np.count_nonzero(ina & inb) / union) if union else 0.0


def rle_pixels(mask: Mapping[str, Any]) -> np.ndarray:
    """The flat (column-major) boolean pixels of an uncompressed COCO RLE mask.

    Examples
    --------
    >>> rle_pixels({"size": [2, 2], "counts": [1, 2, 1]}).tolist()
    [False, True, True, False]
    """
    height, width = mask["size"]
    counts = mask["counts"]
    if isinstance(counts, (str, bytes)):
        raise ValueError("mask counts must be an uncompressed RLE list (as nbannotate "
                         f"records hold), got a compressed string {counts[:20]!r}")
    values = np.zeros(len(counts), dtype=bool)
    values[1::2] = True
    pixels = np.repeat(values, np.asarray(counts, dtype=np.int64))
    if pixels.size != height * width:
        raise ValueError(f"mask counts sum to {pixels.size}, expected height * width = "
                         f"{height * width}")
    return pixels


def mask_iou(a: Record, b: Record) -> float:
    """IoU of two masks of one image size.

    Examples
    --------
    >>> mask_iou({"mask": {"size": [1, 4], "counts": [0, 2, 2]}},
    ...          {"mask": {"size": [1, 4], "counts": [1, 3]}})
    0.25
    """
    if list(a["mask"]["size"]) != list(b["mask"]["size"]):
        raise ValueError(f"masks of one item must have one size, got {a['mask']['size']} and "
                         f"{b['mask']['size']}")
    pa, pb = rle_pixels(a["mask"]), rle_pixels(b["mask"])
    union = np.count_nonzero(pa | pb)
    return float(np.count_nonzero(pa & pb) / union) if union else 0.0


def sigma_of(label: str, sigmas: float | Mapping[str, float] | None) -> float:
    """The OKS constant of a keypoint name.

    Examples
    --------
    >>> sigma_of("nose", COCO_PERSON_SIGMAS), sigma_of("tail", None)
    (0.026, 0.05)
    """
    if sigmas is None:
        return DEFAULT_SIGMA
    if isinstance(sigmas, (int, float)):
        return float(sigmas)
    return float(sigmas.get(label, DEFAULT_SIGMA))


def oks_terms(a: Sequence[Record], b: Sequence[Record],
              sigmas: float | Mapping[str, float] | None = None) -> dict[str, float]:
    """Each keypoint name's term of :func:`oks`: ``exp(-d**2 / (2 * s**2 * k**2))``.

    Only the names that both instances mark visible (``visible`` > 0, default 2) appear.

    Examples
    --------
    >>> oks_terms([{"label": "a", "x": 0, "y": 0}], [{"label": "a", "x": 0, "y": 0}])
    {'a': 1.0}
    """
    first = {p["label"]: p for p in a if p.get("visible", 2) > 0}
    second = {p["label"]: p for p in b if p.get("visible", 2) > 0}
    shared = [name for name in first if name in second]
    if not shared:
        return {}
    points = [(p["x"], p["y"]) for p in (*first.values(), *second.values())]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    area = max((max(xs) - min(xs)) * (max(ys) - min(ys)), 1.0)
    terms = {}
    for name in shared:
        d2 = (first[name]["x"] - second[name]["x"]) ** 2 + (first[name]["y"]
                                                             - second[name]["y"]) ** 2
        k = 2.0 * sigma_of(name, sigmas)
        terms[name] = math.exp(-d2 / (2.0 * area * k * k))
    return terms


def oks(a: Sequence[Record], b: Sequence[Record],
        sigmas: float | Mapping[str, float] | None = None) -> float:
    """Object keypoint similarity of two instances (lists of keypoints named by ``label``).

    COCO's formula: ``OKS = mean_i exp(-d_i**2 / (2 * s**2 * k_i**2))`` over the keypoint
    names that both mark visible (``visible`` > 0), where ``d_i`` is the distance between
    the two points, ``k_i = 2 * sigma_i`` (``sigmas``: one number for every name, or a
    name -> sigma mapping, :data:`DEFAULT_SIGMA` for names it lacks) and ``s**2`` the
    object's area, taken as the area of the box enclosing both instances' visible keypoints
    (at least 1 square pixel). 0 when no name is visible in both.

    Examples
    --------
    >>> one = [{"label": "a", "x": 0, "y": 0}, {"label": "b", "x": 10, "y": 10}]
    >>> oks(one, one)
    1.0
    >>> round(oks(one, [{"label": "a", "x": 1, "y": 0}, {"label": "b", "x": 10, "y": 10}]), 4)
    0.8033
    """
    terms = oks_terms(a, b, sigmas)
    return sum(terms.values()) / len(terms) if terms else 0.0
