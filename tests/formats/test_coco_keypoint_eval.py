"""A COCO export mixing keypoints with polygons and masks, evaluated by pycocotools itself."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pycocotools.coco as coco_module
import pycocotools.cocoeval as cocoeval_module
import pytest

from nbannotate.formats import mask_to_rle, to_coco

NAMES = ["nose", "neck", "tail"]


def mixed_item() -> dict[str, Any]:
    mask = np.zeros((60, 80), dtype=bool)
    mask[30:50, 40:70] = True
    return {
        "image": "a.png", "width": 80, "height": 60,
        "boxes": [{"id": "b", "label": "animal", "x": 5.0, "y": 5.0, "w": 30.0, "h": 40.0}],
        "keypoints": [
            {"id": "k1", "label": "nose", "x": 10.0, "y": 10.0, "visible": 2, "box_id": "b"},
            {"id": "k2", "label": "neck", "x": 15.0, "y": 20.0, "visible": 2, "box_id": "b"},
            {"id": "k3", "label": "tail", "x": 30.0, "y": 40.0, "visible": 1, "box_id": "b"},
        ],
        "polygons": [{"id": "g", "label": "ground", "points": [[0, 50], [79, 50], [40, 59]]}],
        "masks": [{"id": "m", "label": "ground", "mask": mask_to_rle(mask)}],
    }


def test_every_annotation_has_keypoints_when_categories_do() -> None:
    data = to_coco([mixed_item()], ["animal", "ground"], NAMES)
    for ann in data["annotations"]:
        assert len(ann["keypoints"]) == 3 * len(NAMES)
        assert ann["num_keypoints"] == sum(1 for v in ann["keypoints"][2::3] if v > 0)
    shapes = [a for a in data["annotations"] if "segmentation" in a]
    assert len(shapes) == 2
    assert all(a["keypoints"] == [0.0] * 9 and a["num_keypoints"] == 0 for a in shapes)


def test_without_keypoint_labels_no_keypoint_fields_are_written() -> None:
    item = mixed_item()
    item["keypoints"] = []
    data = to_coco([item], ["animal", "ground"])
    assert all("keypoints" not in a and "num_keypoints" not in a for a in data["annotations"])


def test_pycocotools_evaluates_keypoints_of_a_mixed_export(tmp_path: Path) -> None:
    data = to_coco([mixed_item()], ["animal", "ground"], NAMES)
    path = tmp_path / "gt.json"
    path.write_text(json.dumps(data))
    detections = [{"image_id": 1, "category_id": 1, "score": 0.9,
                   "keypoints": [10.0, 10.0, 2, 15.0, 20.0, 2, 30.0, 40.0, 2]},
                  {"image_id": 1, "category_id": 2, "score": 0.8,
                   "keypoints": [40.0, 55.0, 2, 0.0, 0.0, 0, 0.0, 0.0, 0]}]
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        truth = coco_module.COCO(str(path))
        results = truth.loadRes(detections)
        evaluation = cocoeval_module.COCOeval(truth, results, "keypoints")
        evaluation.params.kpt_oks_sigmas = np.full(len(NAMES), 0.05)
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    # the exact animal keypoints give AP 1; the "ground" category has only ignored truths
    # (num_keypoints 0), so its detection is not a false positive for the animal
    assert evaluation.stats[0] == pytest.approx(1.0)
