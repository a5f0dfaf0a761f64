"""WindowDetector on generated scenes: bright squares and discs on textured noise."""

from __future__ import annotations

import numpy as np
import pytest

from nbannotate.models import WindowDetector
from nbannotate.models._boxes import iou, nms
from nbannotate.models._metrics import average_precision
from nbannotate.models._synthetic import make_shape_scenes
from nbannotate.records import validate_box


@pytest.fixture(scope="module")
def scenes() -> tuple[list[np.ndarray], list[list[dict]]]:
    return make_shape_scenes(16, seed=11, size=(160, 200), sizes=(24, 44))


@pytest.fixture(scope="module")
def detector(scenes) -> WindowDetector:
    images, boxes = scenes
    return WindowDetector(min_score=0.05).fit(images[:8], boxes[:8])


def test_average_precision_after_a_few_images(scenes, detector) -> None:
    images, boxes = scenes
    few = WindowDetector(min_score=0.05).fit(images[:1], boxes[:1])
    assert average_precision(detector.predict(images[8:]), boxes[8:]) > 0.8
    assert average_precision(detector.predict(images[8:]), boxes[8:]) > \
        average_precision(few.predict(images[8:]), boxes[8:])


def test_boxes_are_valid_records_inside_the_image_without_duplicates(scenes, detector) -> None:
    images, _ = scenes
    for image, found in zip(images[8:], detector.predict(images[8:]), strict=True):
        height, width = image.shape[:2]
        assert 0 < len(found) <= detector.max_boxes
        for box in found:
            assert validate_box(box, image_size=(width, height),
                                labels=["disc", "square"]) == box
            assert box["source"] == "model" and 0.05 <= box["score"] <= 1
        xywh = np.array([[b["x"], b["y"], b["w"], b["h"]] for b in found])
        overlap = iou(xywh, xywh)
        np.fill_diagonal(overlap, 0)
        assert overlap.max() <= detector.nms_iou
        scores = [b["score"] for b in found]
        assert scores == sorted(scores, reverse=True)


def test_non_maximum_suppression_removes_duplicates() -> None:
    boxes = np.array([[10, 10, 20, 20], [11, 10, 20, 20], [10, 12, 20, 19], [60, 60, 20, 20],
                      [14, 14, 6, 6]], dtype=float)
    scores = np.array([0.6, 0.9, 0.7, 0.5, 0.95])
    assert nms(boxes, scores, 0.3).tolist() == [4, 1, 3]
    assert nms(boxes, scores, 0.3, contained=0.8).tolist() == [4, 3]
    assert nms(boxes, scores, 0.3, limit=1).tolist() == [4]


def test_crop_classifier_labels_drawn_boxes(scenes, detector) -> None:
    images, boxes = scenes
    right = total = 0
    for image, truth in zip(images[8:], boxes[8:], strict=True):
        labelled = detector.classify_boxes(image, truth)
        assert all(0 <= score <= 1 for _, score in labelled)
        right += sum(label == b["label"] for (label, _), b in zip(labelled, truth, strict=True))
        total += len(truth)
    assert right / total > 0.9
    tuples = [(b["x"], b["y"], b["w"], b["h"]) for b in boxes[8]]
    assert detector.classify_boxes(images[8], tuples) == detector.classify_boxes(images[8],
                                                                                 boxes[8])
    with pytest.raises(ValueError, match=r"boxes\[0\] must be a box record or \(x, y, w, h\)"):
        detector.classify_boxes(images[8], [(1, 2, 3)])


def test_uncertainty_is_higher_where_objects_are_faint(scenes, detector) -> None:
    images, _ = scenes
    familiar = detector.uncertainty(images[8:])
    assert familiar.shape == (8,) and np.all((familiar >= 0) & (familiar <= 1))
    faint, _ = make_shape_scenes(8, seed=12, size=(160, 200), sizes=(24, 44),
                                 brightness=(0.1, 0.2))  # the detector hesitates
    assert detector.uncertainty(faint).mean() > familiar.mean() + 0.1


def test_image_paths_and_gray_float_images(tmp_path, scenes, detector) -> None:
    from PIL import Image

    images, _ = scenes
    path = tmp_path / "scene.png"
    Image.fromarray(images[9]).save(path)
    from_path = detector.predict([str(path)])[0]
    from_array = detector.predict([images[9]])[0]
    assert [(b["label"], b["x"], b["y"]) for b in from_path] == \
        [(b["label"], b["x"], b["y"]) for b in from_array]
    gray = images[9][:, :, 0].astype(np.float32) / 255
    assert detector.predict([gray])[0]
    stacked = detector.predict(np.stack(images[8:10]))  # a 4-D array is a list of images
    assert [[b["x"] for b in found] for found in stacked] == \
        [[b["x"] for b in found] for found in detector.predict(images[8:10])]


def test_bad_boxes_and_images_name_the_item(scenes) -> None:
    images, boxes = scenes
    with pytest.raises(ValueError, match=r"annotations\[1\]\[0\].*less than 2×2 pixels"):
        WindowDetector().fit(images[:2], [boxes[0], [{"x": 500, "y": 0, "w": 9, "h": 9,
                                                      "label": "disc"}]])
    with pytest.raises(ValueError, match=r"annotations\[0\]\[0\] must be a box record"):
        WindowDetector().fit(images[:1], [[{"x": "1", "y": 0, "w": 9, "h": 9, "label": "a"}]])
    with pytest.raises(ValueError, match=r"items\[1\] must be an H×W or H×W×3"):
        WindowDetector().fit([images[0], np.zeros((4, 4, 2))], [boxes[0], []])
    with pytest.raises(ValueError, match="label 'disc' is not one of"):
        WindowDetector(labels=["square"]).fit(images[:4], boxes[:4])
    only_background = WindowDetector().fit(images[:1], [[]])
    assert only_background.predict(images[:1]) == [[]]
