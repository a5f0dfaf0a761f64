"""Crop classifier: labels a box from the image inside it (for boxes the person draws).

A crop is resized to a fixed grid of cells and described by their gradient histograms and
mean intensity (:mod:`._hog`), plus its colour mean and spread and its aspect ratio; a
logistic regression learns the labels from the training boxes, each with three small random
shifts and scale changes and (optionally) mirrored.

Examples
--------
>>> from nbannotate.models._synthetic import make_shape_scenes
>>> images, boxes = make_shape_scenes(4, seed=3)
>>> crops = CropClassifier(cell_size=4, flip=True).fit(images, boxes, ["disc", "square"],
...                                                    np.random.default_rng(0))
>>> crops.classify(images[0], [boxes[0][0]["x"], boxes[0][0]["y"], boxes[0][0]["w"],
...                            boxes[0][0]["h"]])[0] == boxes[0][0]["label"]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._hog import cell_features, resize
from ._inputs import standard_gray

__all__ = ["CropClassifier"]

#: Crops are described on a fixed grid of this many cells (side).
CROP_CELLS = 6


def crop_features(image: np.ndarray, box: Sequence[float], cell_size: int) -> np.ndarray:
    """Features of the crop ``box = (x, y, w, h)`` of an H×W×3 float image.

    A crop is at least 2×2 pixels (an image smaller than that is repeated at its edges).
    """
    if image.shape[0] < 2 or image.shape[1] < 2:
        grow = ((0, max(0, 2 - image.shape[0])), (0, max(0, 2 - image.shape[1])), (0, 0))
        image = np.pad(image, grow, mode="edge")
    height, width = image.shape[:2]
    x, y, w, h = (float(v) for v in box)
    x0, y0 = int(np.clip(np.floor(x), 0, width - 2)), int(np.clip(np.floor(y), 0, height - 2))
    x1 = int(np.clip(np.ceil(x + w), x0 + 2, width))
    y1 = int(np.clip(np.ceil(y + h), y0 + 2, height))
    crop = image[y0:y1, x0:x1]
    gray = standard_gray(crop)
    side = CROP_CELLS * cell_size
    small = resize(gray, side / gray.shape[0], side / gray.shape[1])
    cells = cell_features(small[:side, :side], cell_size)
    pixels = crop.reshape(-1, 3)
    colour = np.concatenate([pixels.mean(axis=0), pixels.std(axis=0),
                             [np.log(max(w, 1.0) / max(h, 1.0))]])
    return np.concatenate([cells.ravel(), colour]).astype(np.float32)


class CropClassifier:
    """Label boxes from their crops (see the module docstring)."""

    def __init__(self, cell_size: int, flip: bool) -> None:
        self.cell_size = cell_size
        self.flip = flip
        self.labels: list[str] = []
        self.model: Any = None
        self.constant = 0

    def fit(self, images: list[np.ndarray], boxes: list[list[dict[str, Any]]],
            labels: list[str], rng: np.random.Generator) -> CropClassifier:
        from sklearn.linear_model import LogisticRegression

        self.labels = list(labels)
        rows, target = [], []
        for image, image_boxes in zip(images, boxes, strict=True):
            for box in image_boxes:
                x, y, w, h = box["x"], box["y"], box["w"], box["h"]
                k = labels.index(box["label"])
                variants = [(x, y, w, h)]
                for _ in range(3):  # small shifts and scale changes
                    dx, dy = rng.uniform(-0.08, 0.08, 2) * (w, h)
                    s = rng.uniform(0.9, 1.1)
                    variants.append((x + dx, y + dy, w * s, h * s))
                for vx, vy, vw, vh in variants:
                    rows.append(crop_features(image, (vx, vy, vw, vh), self.cell_size))
                    target.append(k)
                    if self.flip:
                        x0 = int(np.clip(np.floor(vx), 0, image.shape[1] - 2))
                        x1 = int(np.clip(np.ceil(vx + vw), x0 + 2, image.shape[1]))
                        mirrored = image[:, x0:x1][:, ::-1]
                        rows.append(crop_features(mirrored, (0, vy, x1 - x0, vh),
                                                  self.cell_size))
                        target.append(k)
        present = sorted(set(target))
        if len(present) < 2:
            self.model, self.constant = None, (present[0] if present else 0)
            return self
        self.model = LogisticRegression(C=1.0, max_iter=1000)
        self.model.fit(np.stack(rows), np.asarray(target))
        return self

    def classify(self, image: np.ndarray, box: Sequence[float]) -> tuple[str, float]:
        """The most likely label of the crop ``box = (x, y, w, h)`` and its probability."""
        if self.model is None:
            return self.labels[self.constant], 1.0
        proba = self.model.predict_proba(crop_features(image, box, self.cell_size)[None])[0]
        k = int(proba.argmax())
        return self.labels[int(self.model.classes_[k])], round(float(proba[k]), 6)
