"""Training windows for :class:`~nbannotate.models.WindowDetector`: positives around the
person's boxes, random and mined (hard) background windows, on a cell pyramid.

Examples
--------
>>> grid_boxes((4, 5), 2, 2, 4, 1.0, 1.0)[2][:2].tolist()
[[0.0, 0.0, 8.0, 8.0], [4.0, 0.0, 8.0, 8.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._boxes import iou
from ._hog import ORIENTATIONS, Pyramid, score_windows, window_features

__all__ = ["FLIP", "HARD_ROUNDS", "grid_boxes", "hard_negatives", "training_windows"]

#: Channel order of a horizontally mirrored cell: orientation bins reversed, intensity kept.
FLIP = np.array([*range(ORIENTATIONS - 1, -1, -1), ORIENTATIONS])
#: Windows at least this close (IoU) to a person's box are positives.
POSITIVE_IOU = 0.6
#: Random negatives overlap every box less than this; mined (hard) ones less than HARD_IOU.
NEGATIVE_IOU = 0.3
HARD_IOU = 0.5
HARD_ROUNDS = 1


def grid_boxes(shape: tuple[int, int], gh: int, gw: int, cell: int, sy: float,
               sx: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and image-pixel boxes of every window position on a cell grid."""
    ny, nx = shape[0] - gh + 1, shape[1] - gw + 1
    if ny < 1 or nx < 1:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros((0, 4))
    rows, cols = np.divmod(np.arange(ny * nx), nx)
    boxes = np.stack([cols * cell * sx, rows * cell * sy, np.full(rows.size, gw * cell * sx),
                      np.full(rows.size, gh * cell * sy)], axis=1)
    return rows, cols, boxes


def training_windows(pyramids: list[Pyramid], arrays: list[np.ndarray],
                     template: dict[str, Any], rng: np.random.Generator, *, cell_size: int,
                     negatives_per_image: int, flip: bool,
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Features and 0/1 targets of positive windows (IoU >= 0.6 with a box, at most 8 per
    box, plus mirrored copies) and random background windows (IoU < 0.3 with every box)."""
    gh, gw = template["gh"], template["gw"]
    positives: list[np.ndarray] = []
    negatives: list[np.ndarray] = []
    per_level = max(1, negatives_per_image // len(template["factors"]))
    for pyramid, truth in zip(pyramids, arrays, strict=True):
        best: dict[int, list[tuple[float, np.ndarray]]] = {}
        for factor in template["factors"]:
            cells, sy, sx = pyramid.level(factor)
            rows, cols, grid = grid_boxes(cells.shape[:2], gh, gw, cell_size, sy, sx)
            if rows.size == 0:
                continue
            overlap = iou(grid, truth) if truth.size else np.zeros((rows.size, 0))
            top = overlap.max(axis=1) if truth.size else np.zeros(rows.size)
            background = np.flatnonzero(top < NEGATIVE_IOU)
            if background.size:
                pick = rng.choice(background, min(per_level, background.size),
                                  replace=False)
                negatives.append(window_features(cells, rows[pick], cols[pick], gh, gw))
            for k in range(truth.shape[0]):
                near = np.flatnonzero(overlap[:, k] >= POSITIVE_IOU)
                if near.size == 0:
                    near = np.array([int(overlap[:, k].argmax())])
                    if overlap[near[0], k] < 0.4:
                        continue
                feats = window_features(cells, rows[near], cols[near], gh, gw)
                best.setdefault(k, []).extend(zip(overlap[near, k].tolist(), feats,
                                                  strict=True))
        for found in best.values():
            found.sort(key=lambda pair: -pair[0])
            positives.extend(f for _, f in found[:8])
    if not positives:
        raise ValueError("no training box fits a detection window: boxes must span a window "
                         f"of {template['gh']}×{template['gw']} cells of {cell_size} px at "
                         "the largest zoom (2×)")
    pos = np.stack(positives)
    if flip:
        channels = ORIENTATIONS + 1
        mirrored = pos.reshape(-1, gh, gw, channels)[:, :, ::-1][..., FLIP]
        pos = np.concatenate([pos, mirrored.reshape(pos.shape[0], -1)])
    neg = np.concatenate(negatives) if negatives else np.zeros((0, pos.shape[1]))
    if neg.shape[0] == 0:
        raise ValueError("no background window found in the training images: the boxes "
                         "cover the images; add images with more background")
    features = np.concatenate([pos, neg]).astype(np.float32)
    target = np.concatenate([np.ones(pos.shape[0], dtype=int),
                             np.zeros(neg.shape[0], dtype=int)])
    return features, target

def hard_negatives(pyramids: list[Pyramid], arrays: list[np.ndarray], template: dict[str, Any],
                   *, cell_size: int, per_image: int = 40) -> np.ndarray:
    """Features of the highest-scoring windows that overlap no box at IoU >= 0.5."""
    gh, gw = template["gh"], template["gw"]
    out: list[np.ndarray] = []
    for pyramid, truth in zip(pyramids, arrays, strict=True):
        scored: list[tuple[float, np.ndarray]] = []
        for factor in template["factors"]:
            cells, sy, sx = pyramid.level(factor)
            scores = score_windows(cells, template["weights"], template["bias"]).ravel()
            if scores.size == 0:
                continue
            rows, cols, grid = grid_boxes(cells.shape[:2], gh, gw, cell_size, sy, sx)
            top = iou(grid, truth).max(axis=1) if truth.size else np.zeros(rows.size)
            candidates = np.flatnonzero((top < HARD_IOU) & (scores > -1.0))
            if candidates.size == 0:
                continue
            candidates = candidates[np.argsort(-scores[candidates])[:per_image]]
            feats = window_features(cells, rows[candidates], cols[candidates], gh, gw)
            scored.extend(zip(scores[candidates].tolist(), feats, strict=True))
        scored.sort(key=lambda pair: -pair[0])
        out.extend(f for _, f in scored[:per_image])
    width = gh * gw * (ORIENTATIONS + 1)
    return np.stack(out).astype(np.float32) if out else np.zeros((0, width), np.float32)
