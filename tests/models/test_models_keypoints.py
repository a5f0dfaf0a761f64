"""KeypointLocator on generated images: "cross" and "ring" markers at known pixels, plus bars
that look a little like both."""

from __future__ import annotations

import numpy as np
import pytest

from nbannotate.models import KeypointLocator
from nbannotate.models._synthetic import make_keypoint_images
from nbannotate.records import validate_keypoint


def _errors(predicted: list[list[dict]], truth: list[list[dict]]) -> np.ndarray:
    out = []
    for found, true in zip(predicted, truth, strict=True):
        where = {(p["label"], p.get("box_id")): (p["x"], p["y"]) for p in true if "w" not in p}
        assert len(found) == len(where)
        for point in found:
            x, y = where[(point["label"], point.get("box_id"))]
            out.append(np.hypot(point["x"] - x, point["y"] - y))
    return np.asarray(out)


def test_keypoints_are_found_within_a_few_pixels() -> None:
    images, points = make_keypoint_images(10, seed=21)
    locator = KeypointLocator().fit(images[:4], points[:4])
    found = locator.predict(images[4:])
    assert _errors(found, points[4:]).max() <= 3.0
    for image, image_points in zip(images[4:], found, strict=True):
        height, width = image.shape[:2]
        for point in image_points:
            assert validate_keypoint(point, image_size=(width, height),
                                     labels=["cross", "ring"]) == point
            assert point["source"] == "model" and 0 <= point["score"] <= 1
            assert point["visible"] == 2 and "box_id" not in point
            assert point["x"] % 1 == 0.5  # a pixel centre


def test_keypoints_inside_instance_boxes() -> None:
    images, records = make_keypoint_images(8, seed=22, with_boxes=True)
    locator = KeypointLocator().fit(images[:4], records[:4])
    assert locator.uses_boxes_ and 8 <= locator.patch_size_ <= 64
    boxes = [[r for r in image_records if "w" in r] for image_records in records[4:]]
    found = locator.predict(images[4:], boxes=boxes)
    assert _errors(found, records[4:]).max() <= 3.0
    assert {p["box_id"] for p in found[0]} == {boxes[0][0]["id"]}
    _, uncertainty = locator.suggest(images[4:], boxes)
    assert uncertainty.shape == (4,) and np.all((uncertainty >= 0) & (uncertainty <= 1))
    with pytest.raises(ValueError, match="boxes has 1 entries but items has 4"):
        locator.predict(images[4:], boxes=boxes[:1])


def test_uncertainty_is_higher_without_the_markers() -> None:
    images, points = make_keypoint_images(8, seed=23)
    locator = KeypointLocator().fit(images[:4], points[:4])
    rng = np.random.default_rng(0)
    noise = [np.clip(rng.normal(100, 20, images[0].shape), 0, 255).astype(np.uint8)
             for _ in range(3)]  # no marker anywhere: several places look equally right
    assert locator.uncertainty(noise).min() > locator.uncertainty(images[4:]).max()


def test_invisible_keypoints_are_skipped_and_bad_records_are_named() -> None:
    images, points = make_keypoint_images(4, seed=25)
    hidden = [[*p, {"x": 5.0, "y": 5.0, "label": "cross", "visible": 0}] for p in points]
    a = KeypointLocator().fit(images[:3], hidden[:3]).predict(images[3:])
    b = KeypointLocator().fit(images[:3], points[:3]).predict(images[3:])
    assert [(p["x"], p["y"]) for p in a[0]] == [(p["x"], p["y"]) for p in b[0]]
    with pytest.raises(ValueError, match=r"annotations\[1\]\[0\]: box_id 'nope' names no box"):
        KeypointLocator().fit(images[:2], [points[0], [{**points[1][0], "box_id": "nope"}]])
    with pytest.raises(ValueError, match=r"annotations\[0\]\[0\]: a keypoint needs x, y inside"):
        KeypointLocator().fit(images[:1], [[{"x": -4, "y": 2, "label": "cross"}]])
    with pytest.raises(ValueError, match="hold no keypoint"):
        KeypointLocator().fit(images[:1], [[]])
