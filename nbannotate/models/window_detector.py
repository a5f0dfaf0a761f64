"""WindowDetector: finds boxes like the ones the person drew (sliding windows over HOG cells).

For each label, a window template is shaped from the training boxes (the median aspect
ratio; ``cells`` cells on its short side) and slid over an image pyramid whose levels match
the training boxes' sizes (the size prior: from the smallest to the largest, widened by
``size_margin``; levels are shared by all labels, ``scales_per_octave`` per doubling).
Every window is described by its cells' gradient-orientation histograms and mean intensity
(:mod:`._hog`) and scored by a logistic regression trained on:

* positives: windows overlapping a person's box at IoU >= 0.6 (the small shifts and scale
  changes of the window grid are the jitter), and their mirror images (``flip``);
* negatives: random windows overlapping no box of the label at IoU > 0.3, then one round of
  the highest-scoring windows overlapping none at IoU >= 0.5 (hard negatives, which also
  teach it to prefer well-aligned windows).

Detections above ``min_score`` go through non-maximum suppression. An image's uncertainty
is ``1 -`` the score of its least sure window at or above 0.5 (after suppression), or 1 when
no window reaches 0.5. (Measured on generated scenes, this ranks images by their number of
detection errors better than measures built from the doubt of sub-threshold windows, which
every image has plenty of.) :meth:`WindowDetector.classify_boxes` labels boxes the person
draws, with a crop classifier trained on the same boxes (:mod:`._crops`).

Examples
--------
>>> from nbannotate.models._synthetic import make_shape_scenes
>>> images, boxes = make_shape_scenes(6, seed=0)
>>> detector = WindowDetector().fit(images, boxes)
>>> found = detector.predict(images[:1])[0]
>>> all(0 <= b["x"] and b["x"] + b["w"] <= 320 for b in found)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._base import ModelBase, check_number, model_record
from ._boxes import nms
from ._crops import CropClassifier
from ._hog import ORIENTATIONS, Pyramid, flat_windows, score_windows
from ._inputs import as_image, box_values, check_fit_args, records_of, standard_gray
from ._windows import HARD_ROUNDS, hard_negatives, training_windows

__all__ = ["WindowDetector"]


def _check_boxes(records: list[dict[str, Any]], index: int, size: tuple[int, int],
                 ) -> list[dict[str, Any]]:
    height, width = size
    out = []
    for number, record in enumerate(records):
        x, y, w, h = box_values(record, f"annotations[{index}][{number}]")
        x0, y0 = max(0.0, x), max(0.0, y)
        x1, y1 = min(float(width), x + w), min(float(height), y + h)
        if x1 - x0 < 2 or y1 - y0 < 2:
            raise ValueError(f"annotations[{index}][{number}]: box (x={x:g}, y={y:g}, w={w:g}, "
                             f"h={h:g}) has less than 2×2 pixels inside the {width}×{height} "
                             f"image items[{index}]")
        out.append({**record, "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0})
    return out


class WindowDetector(ModelBase):
    """Learn to find labelled boxes from examples; predict box records with scores.

    Parameters
    ----------
    labels : sequence of str, optional
        Box labels; by default those seen in training (sorted).
    cells : int, default 5
        Cells on the short side of a window template.
    cell_size : int, default 4
        Pixels per cell at each pyramid level.
    scales_per_octave : int, default 4
        Pyramid levels per doubling of box size.
    size_margin : float, default 1.0
        Boxes are searched from the smallest training box size divided by this to the largest
        multiplied by it (the size prior; each level costs time, the small ones most).
    min_score : float, default 0.25
        Detections scoring below this are dropped.
    nms_iou : float, default 0.3
        Non-maximum suppression drops a box overlapping a better one above this IoU.
    agnostic_nms : bool, default True
        Suppress across labels too (one box per object), not only within a label.
    max_boxes : int, default 100
        At most this many boxes per image.
    negatives_per_image : int, default 200
        Random background windows per training image and label.
    hard_negatives : bool, default True
        Refit once with the training images' highest-scoring background windows.
    flip : bool, default True
        Add mirrored positives (objects that look the same left-right mirrored).
    C : float, default 1.0
        Inverse regularisation of the logistic regressions.
    n_threads : int or None, default 1
        Cap on BLAS/OpenMP threads while fitting and predicting.
    random_state : int or None, default 0
        Seed of the background sampling.

    Attributes
    ----------
    labels_ : list of str
    templates_ : dict
        Per label: window shape in cells, pyramid factors, weights and bias.

    Examples
    --------
    >>> from nbannotate.models._synthetic import make_shape_scenes
    >>> images, boxes = make_shape_scenes(6, seed=1)
    >>> detector = WindowDetector().fit(images, boxes)
    >>> labels = detector.classify_boxes(images[0], boxes[0])
    >>> [label for label, score in labels] == [b["label"] for b in boxes[0]]
    True
    """

    def __init__(self, labels: Sequence[str] | None = None, *, cells: int = 5,
                 cell_size: int = 4, scales_per_octave: int = 4, size_margin: float = 1.0,
                 min_score: float = 0.25,
                 nms_iou: float = 0.3, agnostic_nms: bool = True, max_boxes: int = 100,
                 negatives_per_image: int = 200, hard_negatives: bool = True, flip: bool = True,
                 C: float = 1.0,  # noqa: N803 (scikit-learn's name)
                 n_threads: int | None = 1, random_state: int | None = 0) -> None:
        self.labels = labels
        self.cells = cells
        self.cell_size = cell_size
        self.scales_per_octave = scales_per_octave
        self.size_margin = size_margin
        self.min_score = min_score
        self.nms_iou = nms_iou
        self.agnostic_nms = agnostic_nms
        self.max_boxes = max_boxes
        self.negatives_per_image = negatives_per_image
        self.hard_negatives = hard_negatives
        self.flip = flip
        self.C = C
        self.n_threads = n_threads
        self.random_state = random_state

    def _check_params(self) -> None:
        check_number("cells", self.cells, low=2, high=16, integer=True)
        check_number("cell_size", self.cell_size, low=2, high=32, integer=True)
        check_number("scales_per_octave", self.scales_per_octave, low=1, high=16, integer=True)
        check_number("size_margin", self.size_margin, low=1, high=4)
        check_number("min_score", self.min_score, low=0, high=1)
        check_number("nms_iou", self.nms_iou, low=0, high=1)
        check_number("max_boxes", self.max_boxes, low=1, integer=True)
        check_number("negatives_per_image", self.negatives_per_image, low=1, integer=True)
        check_number("C", self.C, low=0, low_open=True)
        for name in ("agnostic_nms", "hard_negatives", "flip"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.labels is not None and (isinstance(self.labels, str) or not all(
                isinstance(x, str) and x for x in self.labels)):
            raise ValueError(f"labels must be a list of non-empty strings, got {self.labels!r}")

    # ------------------------------------------------------------------ templates
    def _template_shape(self, boxes: np.ndarray) -> tuple[int, int, list[float]]:
        aspect = float(np.median(boxes[:, 3] / boxes[:, 2]))
        long_cap = 3 * self.cells
        if aspect >= 1:
            gh, gw = min(long_cap, max(self.cells, round(self.cells * aspect))), self.cells
        else:
            gh, gw = self.cells, min(long_cap, max(self.cells, round(self.cells / aspect)))
        pixel_per_cell = np.sqrt(boxes[:, 2] / gw * boxes[:, 3] / gh)
        # Pyramid factors come from one lattice, 2 ** (-j / scales_per_octave), so that labels
        # share levels (each level's cells are computed once per image).
        spo = self.scales_per_octave
        low = np.log2(self.cell_size / (pixel_per_cell.max() * self.size_margin))
        high = np.log2(self.cell_size / (pixel_per_cell.min() / self.size_margin))
        first = max(-spo, int(np.round(-spo * high)))
        last = max(first, int(np.round(-spo * low)))
        factors = [round(2.0 ** (-j / spo), 4) for j in range(first, last + 1)]
        return gh, gw, factors

    # ------------------------------------------------------------------ fit
    def fit(self, items: Sequence[Any], annotations: Sequence[Sequence[dict[str, Any]]],
            ) -> WindowDetector:
        """Learn from images and their box records (one list per image).

        Parameters
        ----------
        items : list
            Images: any numeric arrays (uint8, uint16, floats of any range, NaN as missing;
            gray, RGB, RGBA or more channels; see :func:`nbannotate.features.image_values`)
            or paths. Images smaller than a window give background only.
        annotations : list of list of dict
            Box records ``{x, y, w, h, label, ...}`` in image pixels; an image with an empty
            list contributes background only. Records without ``x, y, w, h`` are ignored.

        Returns
        -------
        WindowDetector
            ``self``, fitted.
        """
        from sklearn.linear_model import LogisticRegression

        self._check_params()
        items, annotations = check_fit_args(items, annotations)
        images = [as_image(item, index) for index, item in enumerate(items)]
        boxes = [_check_boxes(records_of(records, ("x", "y", "w", "h")), index,
                              images[index].shape[:2])
                 for index, records in enumerate(annotations)]
        labels = (list(self.labels) if self.labels is not None
                  else sorted({b["label"] for image_boxes in boxes for b in image_boxes}))
        for index, image_boxes in enumerate(boxes):
            for number, box in enumerate(image_boxes):
                if box["label"] not in labels:
                    raise ValueError(f"annotations[{index}][{number}]: label {box['label']!r} "
                                     f"is not one of labels={labels!r}")
        rng = np.random.default_rng(self.random_state)
        with self._thread_limit():
            pyramids = [Pyramid(standard_gray(image), self.cell_size) for image in images]
            self.templates_: dict[str, dict[str, Any]] = {}
            for label in labels:
                arrays = [np.array([[b["x"], b["y"], b["w"], b["h"]] for b in image_boxes
                                    if b["label"] == label]).reshape(-1, 4)
                          for image_boxes in boxes]
                if not any(a.size for a in arrays):
                    continue
                gh, gw, factors = self._template_shape(np.concatenate(arrays))
                template = {"gh": gh, "gw": gw, "factors": factors}
                features, target = training_windows(
                    pyramids, arrays, template, rng, cell_size=self.cell_size,
                    negatives_per_image=self.negatives_per_image, flip=self.flip)
                model = LogisticRegression(C=self.C, max_iter=1000)
                model.fit(features, target)
                self._store(template, model)
                for _ in range(HARD_ROUNDS if self.hard_negatives else 0):
                    hard = hard_negatives(pyramids, arrays, template, cell_size=self.cell_size)
                    if hard.shape[0]:
                        features = np.concatenate([features, hard])
                        target = np.concatenate([target, np.zeros(hard.shape[0], dtype=int)])
                        model.fit(features, target)
                        self._store(template, model)
                self.templates_[label] = template
            self.crops_ = CropClassifier(self.cell_size, self.flip).fit(images, boxes, labels,
                                                                          rng)
        self.labels_ = labels
        self.is_fitted_ = True
        return self

    def _store(self, template: dict[str, Any], model: Any) -> None:
        channels = ORIENTATIONS + 1
        template["weights"] = model.coef_[0].reshape(template["gh"], template["gw"],
                                                     channels).astype(np.float32)
        template["bias"] = float(model.intercept_[0])

    def classify_boxes(self, image: Any, boxes: Sequence[Any]) -> list[tuple[str, float]]:
        """The most likely label (and its probability) of each box drawn on ``image``.

        Parameters
        ----------
        image : ndarray or path
            The image the boxes are on.
        boxes : list of dict or (x, y, w, h)
            Box records (their ``label`` is ignored) or 4-tuples, in image pixels, each with
            ``w > 0`` and ``h > 0`` (a ValueError names a box without area).

        Returns
        -------
        list of (str, float)

        Examples
        --------
        >>> from nbannotate.models._synthetic import make_shape_scenes
        >>> images, boxes = make_shape_scenes(4, seed=2)
        >>> detector = WindowDetector().fit(images, boxes)
        >>> detector.classify_boxes(images[0], [(0, 0, 20, 20)])[0][0] in ("disc", "square")
        True
        """
        self._check_fitted()
        array = as_image(image, 0)
        checked = [box_values(box, f"boxes[{number}]") for number, box in enumerate(boxes)]
        for number, (x, y, w, h) in enumerate(checked):
            if not (w > 0 and h > 0):
                raise ValueError(f"boxes[{number}] (x={x:g}, y={y:g}, w={w:g}, h={h:g}) has no "
                                 "area: a box needs w > 0 and h > 0 to be classified")
        with self._thread_limit():
            return [self.crops_.classify(array, values) for values in checked]

    # ------------------------------------------------------------------ predict
    def _candidates(self, pyramid: Pyramid, template: dict[str, Any], floor: float,
                    per_level: int = 300) -> tuple[np.ndarray, np.ndarray]:
        from scipy.ndimage import maximum_filter

        boxes, scores = [], []
        for factor in template["factors"]:
            cells, sy, sx = pyramid.level(factor)
            raw = score_windows(cells, template["weights"], template["bias"])
            if raw.size == 0:
                continue
            # local maxima only: neighbouring windows of one object would be suppressed anyway;
            # never a flat window (no gradient: no outline), whatever the bias says
            peaks = ((raw == maximum_filter(raw, size=3, mode="nearest"))
                     & ~flat_windows(cells, template["gh"], template["gw"])).ravel()
            raw = raw.ravel().astype(np.float64)
            proba = 1.0 / (1.0 + np.exp(-raw))
            keep = np.flatnonzero(peaks & (proba >= floor))
            if keep.size > per_level:
                keep = keep[np.argpartition(-proba[keep], per_level)[:per_level]]
            if keep.size == 0:
                continue
            nx = cells.shape[1] - template["gw"] + 1
            rows, cols = np.divmod(keep, nx)
            boxes.append(np.stack([cols * self.cell_size * sx, rows * self.cell_size * sy,
                                   np.full(keep.size, template["gw"] * self.cell_size * sx),
                                   np.full(keep.size, template["gh"] * self.cell_size * sy)],
                                  axis=1))
            scores.append(proba[keep])
        if not boxes:
            return np.zeros((0, 4)), np.zeros(0)
        return np.concatenate(boxes), np.concatenate(scores)

    @staticmethod
    def _image_uncertainty(scores: np.ndarray) -> float:
        """``1 -`` the lowest score among windows scoring at least 0.5 (the least sure
        detection); 1 when no window reaches 0.5 (an image where nothing is found is worth a
        look)."""
        detected = scores[scores >= 0.5]
        return float(1.0 - detected.min()) if detected.size else 1.0

    def _suggest_one(self, item: Any, index: int) -> tuple[list[dict[str, Any]], float]:
        image = as_image(item, index)
        height, width = image.shape[:2]
        pyramid = Pyramid(standard_gray(image), self.cell_size)
        floor = min(self.min_score, 0.5)
        all_boxes, all_scores, all_labels = [], [], []
        for label, template in self.templates_.items():
            boxes, scores = self._candidates(pyramid, template, floor)
            if scores.size:
                keep = nms(boxes, scores, self.nms_iou, limit=4 * self.max_boxes,
                           contained=0.8)
                all_boxes.append(boxes[keep])
                all_scores.append(scores[keep])
                all_labels.extend([label] * keep.size)
        if not all_boxes:
            return [], 0.0
        boxes = np.concatenate(all_boxes)
        scores = np.concatenate(all_scores)
        labels = np.array(all_labels)
        if self.agnostic_nms:
            keep = nms(boxes, scores, self.nms_iou, contained=0.8)
            boxes, scores, labels = boxes[keep], scores[keep], labels[keep]
        uncertainty = self._image_uncertainty(scores)
        order = np.argsort(-scores, kind="stable")
        records = []
        for k in order[:self.max_boxes]:
            if scores[k] < self.min_score:
                break
            x, y, w, h = boxes[k]
            x0, y0 = max(0.0, float(x)), max(0.0, float(y))
            x1, y1 = min(float(width), float(x + w)), min(float(height), float(y + h))
            x0, y0, x1, y1 = round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)
            records.append(model_record(str(labels[k]), float(scores[k]), x=x0, y=y0,
                                        w=x1 - x0, h=y1 - y0))
        return records, uncertainty
