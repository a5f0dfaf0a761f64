"""Spans, boxes, polygons, masks, regions and keypoints on hand-made cases with known answers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from nbannotate.agreement import COCO_PERSON_SIGMAS, agreement, oks
from nbannotate.formats import mask_to_rle


def tagged(who: str, item: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"item": item, "annotator": who, **record} for record in records]


def span(label: str, start: int, end: int) -> dict[str, Any]:
    return {"label": label, "start": start, "end": end}


def test_span_exact_and_overlap_f1() -> None:
    # exact: PER only -> F1 = 2 * 1 / 6; overlap: PER and ORG (IoU 4/5) -> 2 * 2 / 6,
    # mean IoU (1 + 0.8) / 2; LOC against PER never matches (labels differ)
    data = (tagged("ana", "d", [span("PER", 0, 4), span("ORG", 10, 15), span("LOC", 20, 25)])
            + tagged("bo", "d", [span("PER", 0, 4), span("ORG", 11, 15), span("PER", 20, 25)]))
    result = agreement(data, kind="span")
    pair = result.pairs.iloc[0]
    assert (pair["spans_a"], pair["spans_b"], pair["exact_matches"]) == (3, 3, 1)
    assert pair["exact_f1"] == pytest.approx(1 / 3)
    assert pair["overlap_f1"] == pytest.approx(2 / 3)
    assert pair["mean_overlap_iou"] == pytest.approx(0.9)
    labels = result.labels.set_index("label")
    assert labels.loc["PER", "spans"] == 3
    assert labels.loc["PER", "exact_f1"] == pytest.approx(2 / 3)
    assert labels.loc["ORG", "exact_f1"] == 0.0
    assert labels.loc["ORG", "overlap_f1"] == 1.0
    assert labels.loc["LOC", "overlap_f1"] == 0.0
    assert result.overall["overlap_f1"] == pytest.approx(2 / 3)


def test_overlap_matching_is_one_to_one_and_as_large_as_possible() -> None:
    # ana [0, 10) [10, 20); bo [5, 15) [0, 3). Taking the best IoU first pairs [0, 10) with
    # [5, 15) and leaves [10, 20) alone; the largest matching pairs both.
    data = (tagged("ana", "d", [span("X", 0, 10), span("X", 10, 20)])
            + tagged("bo", "d", [span("X", 5, 15), span("X", 0, 3)]))
    assert agreement(data, kind="span").pairs.iloc[0]["overlap_f1"] == 1.0
    one = tagged("ana", "d", [span("X", 0, 10)]) + tagged("bo", "d", [span("X", 2, 4),
                                                                      span("X", 5, 9)])
    pair = agreement(one, kind="span").pairs.iloc[0]
    assert pair["overlap_matches"] == 1 and pair["overlap_f1"] == pytest.approx(2 / 3)


def box(label: str, x: float, y: float, w: float, h: float) -> dict[str, Any]:
    return {"label": label, "x": x, "y": y, "w": w, "h": h}


def test_box_iou_matched_f1_and_mean_iou_for_three_annotators() -> None:
    # ana/bo: cats IoU 90/110, dogs IoU 50/150 < 0.5, bo's extra cat unmatched:
    # F1 = 2 * 1 / (2 + 3), mean IoU 9/11
    ana = [box("cat", 0, 0, 10, 10), box("dog", 50, 50, 10, 10)]
    bo = [box("cat", 1, 0, 10, 10), box("dog", 55, 50, 10, 10), box("cat", 100, 100, 5, 5)]
    cy = [box("dog", 50, 50, 10, 10), box("cat", 0, 0, 10, 10)]
    data = tagged("ana", "img", ana) + tagged("bo", "img", bo) + tagged("cy", "img", cy)
    result = agreement(data)
    assert result.kind == "box"
    pairs = result.pairs.set_index(["annotator_a", "annotator_b"])
    assert pairs.loc[("ana", "bo"), "f1"] == pytest.approx(0.4)
    assert pairs.loc[("ana", "bo"), "mean_iou"] == pytest.approx(9 / 11)
    assert pairs.loc[("ana", "cy"), "f1"] == 1.0
    assert pairs.loc[("ana", "cy"), "mean_iou"] == 1.0
    assert pairs.loc[("bo", "cy"), "matched"] == 1
    cats = result.labels.set_index("label").loc["cat"]
    # cat records over the three pairs: (1 + 2) + (1 + 1) + (2 + 1) = 8, matched 1 + 1 + 1
    assert cats["records"] == 8 and cats["matched"] == 3
    assert cats["f1"] == pytest.approx(6 / 8)
    # a threshold above the bo/ana cat IoU leaves that pair unmatched
    strict = agreement(data, threshold=0.9).pairs.set_index(["annotator_a", "annotator_b"])
    assert strict.loc[("ana", "bo"), "matched"] == 0


def test_items_only_one_annotator_labeled_are_not_compared() -> None:
    data = (tagged("ana", "a", [box("cat", 0, 0, 5, 5)]) + tagged("bo", "a", [box("cat", 0, 0,
                                                                                   5, 5)])
            + tagged("ana", "b", [box("cat", 0, 0, 5, 5)]))
    pair = agreement(data).pairs.iloc[0]
    assert pair["items"] == 1 and pair["f1"] == 1.0


def test_polygon_iou_is_area_based() -> None:
    square = {"label": "road", "points": [[0, 0], [100, 0], [100, 100], [0, 100]]}
    triangle = {"label": "road", "points": [[0, 0], [100, 0], [0, 100]]}
    inner = {"label": "road", "points": [[0, 0], [100, 0], [100, 60], [0, 60]]}
    data = tagged("ana", "i", [square]) + tagged("bo", "i", [inner]) + tagged("cy", "i",
                                                                              [triangle])
    # threshold 0.4: the triangle's IoU with the square sits at the usual 0.5
    pairs = agreement(data, threshold=0.4).pairs.set_index(["annotator_a", "annotator_b"])
    assert pairs.loc[("ana", "bo"), "mean_iou"] == pytest.approx(0.6, abs=1e-9)
    # triangle / square = 0.5 exactly; measured on a 100 x 100 grid, within one diagonal row
    assert pairs.loc[("ana", "cy"), "mean_iou"] == pytest.approx(0.5, abs=0.01)
    # inner / triangle: intersection = triangle under y = 60 = 5000 - 0.5 * 40 * 40 = 4200,
    #   union = 6000 + 5000 - 4200 = 6800
    assert pairs.loc[("bo", "cy"), "mean_iou"] == pytest.approx(4200 / 6800, abs=0.01)


def test_mask_iou() -> None:
    first = np.zeros((20, 30), dtype=bool)
    first[0:10, 0:10] = True
    second = np.zeros((20, 30), dtype=bool)
    second[0:10, 5:15] = True  # IoU 50 / 150
    third = np.zeros((20, 30), dtype=bool)
    third[0:10, 0:8] = True  # IoU with first 80 / 100
    data = [{"item": "m", "annotator": who, "label": "cell", "mask": mask_to_rle(mask)}
            for who, mask in (("ana", first), ("bo", second), ("cy", third))]
    pairs = agreement(data).pairs.set_index(["annotator_a", "annotator_b"])
    assert pairs.loc[("ana", "bo"), "matched"] == 0
    assert pairs.loc[("ana", "cy"), "mean_iou"] == pytest.approx(0.8)
    assert pairs.loc[("bo", "cy"), "matched"] == 0  # 30 / 150


def test_region_time_iou() -> None:
    region = lambda label, s, e: {"label": label, "start": float(s), "end": float(e)}  # noqa: E731
    data = (tagged("ana", "clip", [region("speech", 0, 1), region("music", 2, 3)])
            + tagged("bo", "clip", [region("speech", 0.1, 1.0), region("music", 2.6, 3.5)]))
    result = agreement(data)
    assert result.kind == "region"
    pair = result.pairs.iloc[0]
    # speech IoU 0.9 matches; music IoU 0.4 / 1.5 does not: F1 = 2 * 1 / 4
    assert pair["f1"] == pytest.approx(0.5)
    assert pair["mean_iou"] == pytest.approx(0.9)
    assert agreement(data, threshold=0.25).pairs.iloc[0]["matched"] == 2


def point(label: str, x: float, y: float, **extra: Any) -> dict[str, Any]:
    return {"label": label, "x": x, "y": y, "visible": 2, **extra}


def test_oks_follows_cocos_formula() -> None:
    a = [point("nose", 0, 0), point("tail", 10, 10)]
    b = [point("nose", 1, 0), point("tail", 10, 10)]
    # s^2 = area of the box around both = 10 * 10; k = 2 * sigma
    # default sigma 0.05: nose exp(-1 / (2 * 100 * 0.01)) = exp(-0.5), tail 1
    assert oks(a, b) == pytest.approx((math.exp(-0.5) + 1) / 2)
    # sigma 0.1: exp(-1 / (2 * 100 * 0.04)) = exp(-0.125)
    assert oks(a, b, 0.1) == pytest.approx((math.exp(-0.125) + 1) / 2)
    # a name not visible in one of them does not count
    hidden = [point("nose", 50, 50, visible=0), point("tail", 10, 10)]
    assert oks(a, hidden) == 1.0
    assert COCO_PERSON_SIGMAS["left_hip"] == 0.107


def test_keypoint_instances_are_matched_by_oks() -> None:
    # two instances each; bo lists them in the other order; one nose is 1 px off
    ana = [point("nose", 0, 0, box_id="p"), point("tail", 10, 10, box_id="p"),
           point("nose", 100, 100, box_id="q"), point("tail", 110, 110, box_id="q")]
    bo = [point("nose", 100, 100, box_id="B"), point("tail", 110, 110, box_id="B"),
          point("nose", 1, 0, box_id="A"), point("tail", 10, 10, box_id="A")]
    result = agreement(tagged("ana", "img", ana) + tagged("bo", "img", bo), kind="keypoint")
    pair = result.pairs.iloc[0]
    assert (pair["instances_a"], pair["instances_b"], pair["matched"]) == (2, 2, 2)
    assert pair["f1"] == 1.0
    assert pair["mean_oks"] == pytest.approx((1 + (math.exp(-0.5) + 1) / 2) / 2)
    names = result.labels.set_index("label")
    assert names.loc["nose", "compared"] == 2
    assert names.loc["nose", "mean_similarity"] == pytest.approx((1 + math.exp(-0.5)) / 2)
    assert names.loc["tail", "mean_similarity"] == 1.0
    # far apart: OKS below the threshold, no match
    far = [point("nose", 40, 0, box_id="A"), point("tail", 50, 10, box_id="A")]
    apart = agreement(tagged("ana", "img", ana[:2]) + tagged("bo", "img", far), kind="keypoint")
    assert apart.pairs.iloc[0]["matched"] == 0


def test_sigmas_must_be_positive() -> None:
    with pytest.raises(ValueError, match="sigmas must be"):
        agreement([], kind="keypoint", sigmas={"nose": 0})


def test_a_store_with_several_kinds_needs_kind(tmp_path: Any) -> None:
    from nbannotate import Store

    with Store(tmp_path / "s.db") as store:
        store.add("img", box("cat", 0, 0, 10, 10), annotator="ana")
        store.add("img", box("cat", 0, 0, 10, 5), annotator="bo")
        store.add("img", {"label": "indoor"}, annotator="ana")
        store.add("img", {"label": "indoor"}, annotator="bo")
        with pytest.raises(ValueError, match="several kinds"):
            agreement(store)
        boxes = agreement(store, kind="box").pairs.iloc[0]
        assert (boxes["matched"], boxes["mean_iou"]) == (1, 0.5)
        assert agreement(store, kind="class").pairs.iloc[0]["observed"] == 1.0
