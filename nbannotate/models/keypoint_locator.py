"""KeypointLocator: learns where each kind of keypoint lies, from examples.

Each keypoint label gets a patch classifier: a point is described by the image around it
(:mod:`._patches`: smoothed intensity and gradients sampled on a 5×5 grid spanning
``patch_size`` pixels, plus fine detail at the point), and one multinomial logistic
regression tells the keypoint labels from "elsewhere". Positives are the person's keypoints
(and their 8 neighbouring pixels); negatives are random points of the same image (or of the
keypoint's instance box, when the keypoint has a ``box_id``) away from every keypoint, plus
one round of the most confusing such points. Prediction computes each label's probability
map over the image (or over each given box), takes its maximum (on a 2-pixel grid, then
refined to the pixel) as the keypoint and its probability as the score. A keypoint's doubt
is ``1 - score`` plus the probability of the best rival peak more than half a patch away (a
second place that looks just as right); an image's uncertainty is the mean doubt of its less
sure half of keypoints.

Coordinates follow the records: ``x, y`` in image pixels, the pixel at row ``r``, column
``c`` spanning ``[c, c + 1) × [r, r + 1)``, so a predicted keypoint is a pixel centre.

Examples
--------
>>> from nbannotate.models._synthetic import make_keypoint_images
>>> images, points = make_keypoint_images(6, seed=0)
>>> locator = KeypointLocator().fit(images[:5], points[:5])
>>> found = {p["label"]: (p["x"], p["y"]) for p in locator.predict(images[5:])[0]}
>>> truth = {p["label"]: (p["x"], p["y"]) for p in points[5]}
>>> all(abs(found[k][0] - truth[k][0]) <= 2 and abs(found[k][1] - truth[k][1]) <= 2
...     for k in truth)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._base import ModelBase, check_number, model_record
from ._inputs import as_image, check_fit_args, standard_gray
from ._keypoint_groups import checked_box, keypoint_groups, search_region
from ._patches import PatchMaps

__all__ = ["KeypointLocator"]


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=0, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=0, keepdims=True)
    return scores


class KeypointLocator(ModelBase):
    """Learn where labelled keypoints lie; predict keypoint records with scores.

    Parameters
    ----------
    labels : sequence of str, optional
        Keypoint labels; by default those seen in training (sorted).
    patch_size : int, optional
        Side (pixels) of the neighbourhood that describes a point. By default a quarter of
        the median short side of the instance boxes (8–64), or 16 without boxes.
    negatives_per_instance : int, default 150
        Random background points per image (or per instance box).
    min_score : float, default 0.0
        Keypoints scoring below this are left out of predictions.
    C : float, default 1.0
        Inverse regularisation of the logistic regression.
    n_threads : int or None, default 1
        Cap on BLAS/OpenMP threads while fitting and predicting.
    random_state : int or None, default 0
        Seed of the background sampling.

    Attributes
    ----------
    labels_ : list of str
    patch_size_ : int
    uses_boxes_ : bool
        Whether training keypoints were tied to instance boxes (``box_id``); then the
        position inside the box is a feature too, and :meth:`predict` takes boxes.

    Examples
    --------
    >>> from nbannotate.models._synthetic import make_keypoint_images
    >>> images, records = make_keypoint_images(5, seed=1, with_boxes=True)
    >>> locator = KeypointLocator().fit(images[:4], records[:4])
    >>> boxes = [r for r in records[4] if "w" in r]
    >>> found = locator.predict(images[4:], boxes=[boxes])[0]
    >>> sorted((p["label"], p["box_id"]) for p in found)
    [('cross', 'b4'), ('ring', 'b4')]
    """

    def __init__(self, labels: Sequence[str] | None = None, *, patch_size: int | None = None,
                 negatives_per_instance: int = 150, min_score: float = 0.0,
                 C: float = 1.0,  # noqa: N803 (scikit-learn's name)
                 n_threads: int | None = 1, random_state: int | None = 0) -> None:
        self.labels = labels
        self.patch_size = patch_size
        self.negatives_per_instance = negatives_per_instance
        self.min_score = min_score
        self.C = C
        self.n_threads = n_threads
        self.random_state = random_state

    def _check_params(self) -> None:
        check_number("patch_size", self.patch_size, low=4, high=512, integer=True,
                     allow_none=True)
        check_number("negatives_per_instance", self.negatives_per_instance, low=1, integer=True)
        check_number("min_score", self.min_score, low=0, high=1)
        check_number("C", self.C, low=0, low_open=True)
        if self.labels is not None and (isinstance(self.labels, str) or not all(
                isinstance(x, str) and x for x in self.labels)):
            raise ValueError(f"labels must be a list of non-empty strings, got {self.labels!r}")

    # ------------------------------------------------------------------ training data
    def fit(self, items: Sequence[Any], annotations: Sequence[Sequence[dict[str, Any]]],
            ) -> KeypointLocator:
        """Learn from images and their keypoint records (one list per image).

        Parameters
        ----------
        items : list
            Images: any numeric arrays (uint8, uint16, floats of any range, NaN as missing;
            gray, RGB, RGBA or more channels; see :func:`nbannotate.features.image_values`)
            or paths, of any size from 1×1.
        annotations : list of list of dict
            Keypoint records ``{x, y, label, visible?, box_id?}``; box records in the same
            list give the instance boxes that ``box_id`` refers to. Keypoints with
            ``visible=0`` are skipped.

        Returns
        -------
        KeypointLocator
            ``self``, fitted.
        """
        from sklearn.linear_model import LogisticRegression

        self._check_params()
        items, annotations = check_fit_args(items, annotations)
        images = [as_image(item, index) for index, item in enumerate(items)]
        grays = [standard_gray(image) for image in images]
        groups = keypoint_groups(annotations, [g.shape for g in grays])
        labels = (list(self.labels) if self.labels is not None
                  else sorted({p["label"] for _, _, points in groups for p in points}))
        if not labels:
            raise ValueError("annotations hold no keypoint (records with x, y and no w, h): "
                             "nothing to learn")
        for index, _, points in groups:
            for point in points:
                if point["label"] not in labels:
                    raise ValueError(f"annotations[{index}]: keypoint label {point['label']!r} "
                                     f"is not one of labels={labels!r}")
        boxes = [box for _, box, _ in groups if box is not None]
        self.uses_boxes_ = bool(boxes)
        if self.patch_size is not None:
            size = int(self.patch_size)
        elif boxes:
            size = int(np.clip(np.median([min(b["w"], b["h"]) for b in boxes]) / 4, 8, 64))
        else:
            size = 16
        self.patch_size_ = size
        self.labels_ = labels
        rng = np.random.default_rng(self.random_state)
        with self._thread_limit():
            prepared = [self._prepare(grays[index], box) for index, box, _ in groups]
            samples = [self._samples(region, maps, box, points, rng)
                       for (region, maps), (_, box, points) in zip(prepared, groups, strict=True)]
            features = np.concatenate([f for f, _ in samples])
            target = np.concatenate([t for _, t in samples])
            if np.unique(target).size < 2:
                raise ValueError(
                    "no background point to learn from: every pixel of the training images "
                    f"lies within {max(3.0, size / 4):g} px of a keypoint (images of "
                    f"{sorted({g.shape for g in grays})}); give larger images or more than one "
                    "keypoint label")
            model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=1000)
            model.fit(features, target)
            self._store(model)
            hard = [self._confusions(region, maps, box, points)
                    for (region, maps), (_, box, points) in zip(prepared, groups, strict=True)]
            hard = [h for h in hard if h.shape[0]]
            if hard:
                extra = np.concatenate(hard)
                model.fit(np.concatenate([features, extra]),
                          np.concatenate([target, np.zeros(extra.shape[0], dtype=int)]))
                self._store(model)
        self.is_fitted_ = True
        return self

    def _store(self, model: Any) -> None:
        n_classes = len(self.labels_) + 1
        coef = np.zeros((n_classes, model.coef_.shape[1]), dtype=np.float32)
        intercept = np.full(n_classes, -30.0, dtype=np.float32)  # classes never seen
        classes = model.classes_
        if len(classes) == 2:  # binary: scikit-learn keeps one row, for the second class
            coef[classes[1]] = model.coef_[0] / 2
            coef[classes[0]] = -model.coef_[0] / 2
            intercept[classes[1]] = model.intercept_[0] / 2
            intercept[classes[0]] = -model.intercept_[0] / 2
        else:
            coef[classes] = model.coef_
            intercept[classes] = model.intercept_
        self.coef_, self.intercept_ = coef, intercept

    def _prepare(self, gray: np.ndarray, box: dict[str, Any] | None,
                 ) -> tuple[tuple[int, int, int, int], PatchMaps]:
        region = search_region(box, gray.shape, self.patch_size_ // 2)
        r0, r1, c0, c1 = region
        return region, PatchMaps(gray[r0:r1, c0:c1], spacing=max(1, self.patch_size_ // 4))

    def _position(self, region: tuple[int, int, int, int], box: dict[str, Any] | None,
                  rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Position-in-box features ``(u, v, u², v², uv)`` of region pixels (boxes only)."""
        if not self.uses_boxes_:
            return np.zeros((rows.size, 0), dtype=np.float32)
        r0, r1, c0, c1 = region
        x0, y0, w, h = ((box["x"], box["y"], box["w"], box["h"]) if box is not None
                        else (c0, r0, c1 - c0, r1 - r0))
        u = (cols + c0 + 0.5 - x0) / max(w, 1.0) - 0.5
        v = (rows + r0 + 0.5 - y0) / max(h, 1.0) - 0.5
        return np.stack([u, v, u * u, v * v, u * v], axis=1).astype(np.float32)

    def _describe(self, region: tuple[int, int, int, int], maps: PatchMaps,
                  box: dict[str, Any] | None, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.concatenate([maps.describe(rows, cols),
                               self._position(region, box, rows, cols)], axis=1)

    def _samples(self, region: tuple[int, int, int, int], maps: PatchMaps,
                 box: dict[str, Any] | None, points: list[dict[str, Any]],
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        r0, r1, c0, c1 = region
        height, width = r1 - r0, c1 - c0
        rows: list[int] = []
        cols: list[int] = []
        classes: list[int] = []
        centres = []
        for point in points:
            r = int(np.clip(np.floor(point["y"]) - r0, 0, height - 1))
            c = int(np.clip(np.floor(point["x"]) - c0, 0, width - 1))
            centres.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rows.append(int(np.clip(r + dr, 0, height - 1)))
                    cols.append(int(np.clip(c + dc, 0, width - 1)))
                    classes.append(self.labels_.index(point["label"]) + 1)
        far = max(3.0, self.patch_size_ / 4)
        count = self.negatives_per_instance
        cand_r = rng.integers(0, height, 3 * count)
        cand_c = rng.integers(0, width, 3 * count)
        ok = np.ones(cand_r.size, dtype=bool)
        for r, c in centres:
            ok &= np.hypot(cand_r - r, cand_c - c) > far
        cand_r, cand_c = cand_r[ok][:count], cand_c[ok][:count]
        all_rows = np.concatenate([np.asarray(rows, dtype=np.int64), cand_r])
        all_cols = np.concatenate([np.asarray(cols, dtype=np.int64), cand_c])
        target = np.concatenate([np.asarray(classes), np.zeros(cand_r.size, dtype=int)])
        return self._describe(region, maps, box, all_rows, all_cols), target

    def _proba_maps(self, region: tuple[int, int, int, int], maps: PatchMaps,
                    box: dict[str, Any] | None, stride: int,
                    window: tuple[int, int, int, int] | None = None) -> np.ndarray:
        n_patch = maps.n_features
        scores = maps.score_maps(self.coef_[:, :n_patch], self.intercept_, stride=stride,
                                 window=window)
        if self.uses_boxes_:
            wr0, wr1, wc0, wc1 = window if window is not None else (0, maps.height, 0,
                                                                    maps.width)
            rr, cc = np.meshgrid(np.arange(wr0, wr1, stride), np.arange(wc0, wc1, stride),
                                 indexing="ij")
            position = self._position(region, box, rr.ravel(), cc.ravel())
            scores += (self.coef_[:, n_patch:] @ position.T).reshape(scores.shape)
        return _softmax(scores)

    def _confusions(self, region: tuple[int, int, int, int], maps: PatchMaps,
                    box: dict[str, Any] | None, points: list[dict[str, Any]],
                    per_label: int = 5) -> np.ndarray:
        r0, _, c0, _ = region
        proba = self._proba_maps(region, maps, box, stride=2)
        far = max(3.0, self.patch_size_ / 4)
        rr, cc = np.meshgrid(np.arange(proba.shape[1]) * 2, np.arange(proba.shape[2]) * 2,
                             indexing="ij")
        away = np.ones(rr.shape, dtype=bool)
        for point in points:
            away &= np.hypot(rr - (point["y"] - r0), cc - (point["x"] - c0)) > far
        picked_r, picked_c = [], []
        for k in range(1, proba.shape[0]):
            values = np.where(away, proba[k], -1.0).ravel()
            top = np.argsort(-values)[:per_label]
            top = top[values[top] > 0.05]
            picked_r.extend(rr.ravel()[top].tolist())
            picked_c.extend(cc.ravel()[top].tolist())
        if not picked_r:
            return np.zeros((0, self.coef_.shape[1]), dtype=np.float32)
        return self._describe(region, maps, box, np.asarray(picked_r), np.asarray(picked_c))

    # ------------------------------------------------------------------ predict
    def _locate(self, gray: np.ndarray, box: dict[str, Any] | None,
                ) -> list[tuple[str, float, float, float, float]]:
        """Per label: ``(label, probability, x, y, doubt)``; doubt is ``1 - p`` plus the
        probability of the best rival peak farther than half a patch away (capped at 1)."""
        region, maps = self._prepare(gray, box)
        r0, _, c0, _ = region
        coarse = self._proba_maps(region, maps, box, stride=2)
        rows, cols = np.meshgrid(np.arange(coarse.shape[1]), np.arange(coarse.shape[2]),
                                 indexing="ij")
        reach = max(1.5, self.patch_size_ / 4)  # half a patch, in grid steps of 2 pixels
        found: list[tuple[str, float, float, float, float]] = []
        for k, label in enumerate(self.labels_, start=1):
            i, j = (int(v) for v in np.unravel_index(int(coarse[k].argmax()), coarse[k].shape))
            rival = np.where(np.hypot(rows - i, cols - j) > reach, coarse[k], 0.0).max()
            window = (max(0, 2 * i - 2), min(maps.height, 2 * i + 3),
                      max(0, 2 * j - 2), min(maps.width, 2 * j + 3))
            fine = self._proba_maps(region, maps, box, stride=1, window=window)[k]
            a, b = (int(v) for v in np.unravel_index(int(fine.argmax()), fine.shape))
            probability = float(fine[a, b])
            found.append((str(label), probability, c0 + window[2] + b + 0.5,
                          r0 + window[0] + a + 0.5, min(1.0, 1.0 - probability + float(rival))))
        return found

    def _suggest_one(self, item: Any, index: int, boxes: Any = None,
                     ) -> tuple[list[dict[str, Any]], float]:
        gray = standard_gray(as_image(item, index))
        instances: list[dict[str, Any] | None] = [None]
        if boxes is not None:
            instances = [checked_box(b, f"boxes[{index}][{n}]") for n, b in enumerate(boxes)]
        records, doubts = [], []
        for box in instances:
            for label, score, x, y, doubt in self._locate(gray, box):
                doubts.append(doubt)
                if score < self.min_score:
                    continue
                extra = {"box_id": box["id"]} if box is not None and box.get("id") else {}
                records.append(model_record(label, score, x=x, y=y, visible=2, **extra))
        if not doubts:
            return records, 0.0
        worst = np.sort(doubts)[::-1][:max(1, len(doubts) // 2)]
        return records, float(worst.mean())

    def suggest(self, items: Sequence[Any], boxes: Sequence[Any] | None = None,
                ) -> tuple[list[list[dict[str, Any]]], np.ndarray]:
        """Predicted keypoints and uncertainty per image (see :meth:`predict`)."""
        from ._inputs import as_item_list

        self._check_fitted()
        items = as_item_list(items)
        if boxes is not None:
            boxes = as_item_list(boxes, "boxes")
            if len(boxes) != len(items):
                raise ValueError(f"boxes has {len(boxes)} entries but items has {len(items)}: "
                                 "give one list of box records per image (or None)")
        records, uncertainty = [], np.zeros(len(items))
        with self._thread_limit():
            for index, item in enumerate(items):
                found, uncertainty[index] = self._suggest_one(
                    item, index, None if boxes is None else boxes[index])
                records.append(found)
        return records, uncertainty

    def predict(self, items: Sequence[Any], boxes: Sequence[Any] | None = None,
                ) -> list[list[dict[str, Any]]]:
        """One keypoint per label per image, or per label per box when ``boxes`` are given.

        Parameters
        ----------
        items : list
            Images.
        boxes : list of list of dict, optional
            Per image, the instance boxes (records with ``id``) to search in; predicted
            keypoints carry the box's ``box_id``.

        Returns
        -------
        list of list of dict
            Keypoint records ``{id, x, y, label, visible=2, box_id?, source="model", score}``.
        """
        return self.suggest(items, boxes)[0]

    def uncertainty(self, items: Sequence[Any], boxes: Sequence[Any] | None = None,
                    ) -> np.ndarray:
        """Per image, how unsure the located keypoints are (from their probabilities)."""
        return self.suggest(items, boxes)[1]
