"""Image formats: COCO, YOLO, Pascal VOC, Label Studio images, COCO RLE."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import numpy as np
import pytest

from nbannotate.formats import (
    from_coco,
    from_labelstudio_images,
    from_voc,
    from_yolo,
    mask_to_rle,
    read_yolo_dir,
    rle_area,
    rle_bbox,
    rle_from_string,
    rle_to_mask,
    rle_to_string,
    to_coco,
    to_labelstudio_images,
    to_voc,
    to_yolo,
    write_yolo_dir,
)
from nbannotate.records import validate_records

LABELS = ["person", "sign", "road"]
KEYPOINTS = ["nose", "left_eye", "right_eye", "neck"]
SKELETON = [("nose", "left_eye"), ("nose", "right_eye"), ("nose", "neck")]


def assert_same(a: Any, b: Any, path: str = "") -> None:
    """Equal structures, floats within 1e-6."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, (int, float)) and isinstance(b, (int, float)), path
        assert math.isclose(a, b, rel_tol=0, abs_tol=1e-6), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{path}: {a} != {b}"
        for key in a:
            assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), f"{path}: {a} != {b}"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{index}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def by_id(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: r["id"])


def normalized(item: dict[str, Any]) -> dict[str, Any]:
    """The item as readers return it: every list, validated records."""
    out = {"image": item["image"], "width": item["width"], "height": item["height"]}
    for key, kind in (("boxes", "box"), ("keypoints", "keypoint"), ("polygons", "polygon"),
                      ("masks", "mask")):
        out[key] = validate_records(item.get(key), kind=kind)
    return out


def assert_items(expected: list[dict[str, Any]], got: list[dict[str, Any]], *,
                 keys: tuple[str, ...] = ("boxes", "keypoints", "polygons", "masks")) -> None:
    assert len(expected) == len(got)
    for want, have in zip(expected, got, strict=True):
        want = normalized(want)
        for field in ("image", "width", "height"):
            assert want[field] == have[field]
        for key in keys:
            assert_same(by_id(want[key]), by_id(have[key]), key)


def mask_record() -> dict[str, Any]:
    mask = np.zeros((48, 64), dtype=bool)
    mask[10:20, 5:15] = True
    mask[30, 40:50] = True
    return {"id": "m1", "label": "road", "mask": mask_to_rle(mask), "source": "model",
            "score": 0.5}


def person_item() -> dict[str, Any]:
    return {
        "image": "photos/street 1.jpg", "width": 64, "height": 48,
        "boxes": [
            {"id": "p1", "label": "person", "x": 10.25, "y": 5.5, "w": 20.0, "h": 30.125,
             "source": "human"},
            {"id": "s1", "label": "sign", "x": 40.0, "y": 2.0, "w": 12.5, "h": 6.0,
             "text": "STOP — Ärger 停", "source": "model", "score": 0.875},
            {"id": "p2", "label": "person", "x": 0.0, "y": 0.0, "w": 5.0, "h": 5.0,
             "source": "auto", "score": 0.99},
        ],
        "keypoints": [
            {"id": "k1", "label": "nose", "x": 20.5, "y": 10.25, "visible": 2, "box_id": "p1"},
            {"id": "k2", "label": "left_eye", "x": 18.0, "y": 9.0, "visible": 1,
             "box_id": "p1", "source": "model", "score": 0.25},
            {"id": "k3", "label": "neck", "x": 21.0, "y": 16.0, "visible": 0, "box_id": "p1"},
            {"id": "k4", "label": "nose", "x": 50.0, "y": 40.0, "visible": 2},
            {"id": "k5", "label": "right_eye", "x": 52.0, "y": 38.0, "visible": 2},
            {"id": "k6", "label": "neck", "x": 45.0, "y": 3.0, "box_id": "s1"},
        ],
        "polygons": [
            {"id": "g1", "label": "road", "points": [[0.0, 47.0], [63.5, 47.0], [32.0, 30.0]]},
            {"id": "g2", "label": "sign", "points": [[1.0, 1.0], [2.0, 1.0], [2.0, 2.0]],
             "source": "model"},
        ],
        "masks": [mask_record()],
    }


def plain_item() -> dict[str, Any]:
    return {"image": "b.png", "width": 100, "height": 50, "boxes": [
        {"id": "x", "label": "road", "x": 1.0, "y": 2.0, "w": 3.0, "h": 4.0}]}


# ---------------------------------------------------------------- COCO


def test_coco_round_trip_keeps_every_record_through_json() -> None:
    items = [person_item(), plain_item()]
    data = json.loads(json.dumps(to_coco(items, LABELS, KEYPOINTS, SKELETON)))
    result = from_coco(data)
    assert_items(items, result.items)
    assert result.labels == LABELS
    assert result.keypoint_labels == KEYPOINTS
    assert result.skeleton == SKELETON
    got, labels, keypoint_labels, skeleton = result  # unpacks like a tuple
    assert got is result.items and labels == LABELS
    assert (keypoint_labels, skeleton) == (KEYPOINTS, SKELETON)


def test_coco_writes_keypoints_per_instance_with_a_real_skeleton() -> None:
    data = to_coco([person_item()], LABELS, KEYPOINTS, SKELETON)
    for category in data["categories"]:
        assert category["keypoints"] == KEYPOINTS
        assert category["skeleton"] == [[1, 2], [1, 3], [1, 4]]
    person = next(a for a in data["annotations"] if a.get("nbannotate_id") == "p1")
    assert person["bbox"] == [10.25, 5.5, 20.0, 30.125]
    assert person["area"] == pytest.approx(20.0 * 30.125)
    assert person["category_id"] == 1 and person["iscrowd"] == 0
    assert person["keypoints"] == [20.5, 10.25, 2, 18.0, 9.0, 1, 0.0, 0.0, 0, 21.0, 16.0, 0]
    assert person["num_keypoints"] == 2
    assert [m and m["id"] for m in person["nbannotate_keypoints"]] == ["k1", "k2", None, "k3"]
    sign = next(a for a in data["annotations"] if a.get("nbannotate_id") == "s1")
    assert sign["score"] == 0.875 and sign["utf8_string"] == "STOP — Ärger 停"
    assert sign["num_keypoints"] == 1 and sign["keypoints"] == [0.0] * 9 + [45.0, 3.0, 2]
    # the keypoint keeps its own source and no score, though its box has one
    assert sign["nbannotate_keypoints"][3] == {"id": "k6", "source": "human"}


def test_coco_keypoints_without_box_form_one_enclosing_instance() -> None:
    data = to_coco([person_item()], LABELS, KEYPOINTS, SKELETON, keypoint_category="person")
    boxless = [a for a in data["annotations"] if a.get("nbannotate_boxless")]
    assert len(boxless) == 1
    assert boxless[0]["bbox"] == [50.0, 38.0, 2.0, 2.0]
    assert boxless[0]["category_id"] == 1
    assert boxless[0]["keypoints"][:3] == [50.0, 40.0, 2]
    read = from_coco(data).items[0]
    assert {p["id"]: p.get("box_id") for p in read["keypoints"]} == {
        "k1": "p1", "k2": "p1", "k3": "p1", "k4": None, "k5": None, "k6": "s1"}
    assert [b["id"] for b in read["boxes"]] == ["p1", "s1", "p2"]


def test_coco_polygons_and_masks_have_segmentation_area_and_bbox() -> None:
    data = to_coco([person_item()], LABELS, KEYPOINTS)
    polygon = next(a for a in data["annotations"] if a.get("nbannotate_id") == "g1")
    assert polygon["segmentation"] == [[0.0, 47.0, 63.5, 47.0, 32.0, 30.0]]
    assert polygon["area"] == pytest.approx(0.5 * 63.5 * 17.0)
    assert polygon["bbox"] == [0.0, 30.0, 63.5, 17.0]
    mask = next(a for a in data["annotations"] if a.get("nbannotate_id") == "m1")
    assert mask["iscrowd"] == 0
    assert mask["segmentation"]["size"] == [48, 64]
    assert isinstance(mask["segmentation"]["counts"], list)
    assert mask["area"] == 110.0
    assert mask["bbox"] == [5.0, 10.0, 45.0, 21.0]


def test_coco_reads_foreign_person_keypoints_and_compressed_rle() -> None:
    rle = rle_to_string(mask_record()["mask"])
    data = {
        "images": [{"id": 42, "file_name": "x.jpg", "width": 64, "height": 48}],
        "categories": [{"id": 1, "name": "person", "keypoints": ["nose", "neck"],
                        "skeleton": [[1, 2]]}, {"id": 5, "name": "road"}],
        "annotations": [
            {"id": 7, "image_id": 42, "category_id": 1, "bbox": [1, 2, 30, 40],
             "segmentation": [[1, 2, 31, 2, 31, 42]], "keypoints": [5, 6, 2, 0, 0, 0],
             "num_keypoints": 1, "iscrowd": 0, "area": 600},
            {"id": 8, "image_id": 42, "category_id": 5, "bbox": [5, 10, 45, 21],
             "segmentation": rle, "iscrowd": 1, "area": 110, "score": 0.5},
        ],
    }
    item = from_coco(data).items[0]
    assert [(b["id"], b["x"], b["h"]) for b in item["boxes"]] == [("7", 1.0, 40.0)]
    assert [(p["id"], p["points"][1]) for p in item["polygons"]] == [("7-1", [31.0, 2.0])]
    assert [(k["id"], k["label"], k["box_id"]) for k in item["keypoints"]] == [
        ("7-kp0", "nose", "7")]
    assert item["masks"][0]["mask"] == mask_record()["mask"]
    assert item["masks"][0]["source"] == "model" and item["masks"][0]["score"] == 0.5
    boxes = from_coco(data, boxes_from_segmentation=True).items[0]["boxes"]
    assert [b["id"] for b in boxes] == ["7", "8"]


@pytest.mark.parametrize(("change", "message"), [
    ({"bbox": [1, 2, 3]}, r"COCO annotation 0 \(id=17\): field 'bbox' must be \[x, y, w, h\] "
                          r"numbers with w, h >= 0, got \[1, 2, 3\]"),
    ({"bbox": [1, 2, -3, 4]}, r"annotation 0 \(id=17\): field 'bbox'"),
    ({"category_id": 99}, r"annotation 0 \(id=17\): field 'category_id' must be the id of one "
                          r"of the categories, got 99"),
    ({"image_id": 3}, r"field 'image_id' must be the id of one of the images, got 3"),
    ({"keypoints": [1, 2]}, r"annotation 0 \(id=17\): field 'keypoints' must be 3 numbers"),
    ({"keypoints": [1, 2, 7]}, r"annotation 0 \(id=17\) keypoint 0 \('nose'\): record "
                               r"\(id='17-kp0'\): field 'visible' must be 0, 1 or 2"),
    ({"segmentation": [[1, 2, 3, 4]]}, r"annotation 0 \(id=17\): field 'segmentation' "
                                       r"polygons must be flat lists"),
    ({"segmentation": {"size": [2, 2], "counts": [4]}},
     r"field 'segmentation' must have 'size' \[height, width\] = \[48, 64\], got \[2, 2\]"),
])
def test_coco_read_errors_say_which_annotation_and_field(change: dict[str, Any],
                                                         message: str) -> None:
    ann = {"id": 17, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], **change}
    data = {"images": [{"id": 1, "file_name": "a.jpg", "width": 64, "height": 48}],
            "categories": [{"id": 1, "name": "person", "keypoints": ["nose"]}],
            "annotations": [ann]}
    with pytest.raises(ValueError, match=message):
        from_coco(data)


def test_coco_read_errors_for_categories_images_and_shape() -> None:
    with pytest.raises(ValueError, match=r"COCO data: field 'annotations' must be a list"):
        from_coco({"images": [], "categories": []})
    with pytest.raises(ValueError, match=r"COCO category 1 \(id=2\): field 'skeleton' must "
                                         r"hold 1-based pairs .* in \[1, 1\], got \[0, 1\]"):
        from_coco({"images": [], "annotations": [], "categories": [
            {"id": 1, "name": "a"}, {"id": 2, "name": "b", "keypoints": ["x"],
                                     "skeleton": [[0, 1]]}]})
    with pytest.raises(ValueError, match=r"COCO image 0 \(id=1\): field 'width' must be a "
                                         r"positive integer"):
        from_coco({"images": [{"id": 1, "file_name": "a", "width": 0, "height": 2}],
                   "annotations": [], "categories": []})


def test_coco_write_errors_name_the_item_and_record() -> None:
    item = person_item()
    with pytest.raises(ValueError, match=r"image item 0 \('photos/street 1.jpg'\) boxes: "
                                         r"record 0 \(id='p1'\): field 'label' must be one of"):
        to_coco([item], ["sign", "road"], KEYPOINTS)
    with pytest.raises(ValueError, match=r"keypoints: record 2 \(id='k3'\): field 'label' "
                                         r"must be one of keypoint_labels"):
        to_coco([item], LABELS, ["nose", "left_eye", "right_eye"])
    with pytest.raises(ValueError, match=r"skeleton\[0\] must be a pair of keypoint labels"):
        to_coco([item], LABELS, KEYPOINTS, [("nose", "tail")])
    item["keypoints"].append({"id": "k7", "label": "nose", "x": 1.0, "y": 1.0, "box_id": "p1"})
    with pytest.raises(ValueError, match=r"box 'p1': keypoints 'k1' and 'k7' are both 'nose'"):
        to_coco([item], LABELS, KEYPOINTS)
    item["keypoints"][-1]["box_id"] = "nope"
    with pytest.raises(ValueError, match=r"record 6 \(id='k7'\): field 'box_id' must be the id "
                                         r"of a box of this item, got 'nope'"):
        to_coco([item], LABELS, KEYPOINTS)
    bad_mask = {"image": "a.jpg", "width": 10, "height": 10, "masks": [
        {"id": "m", "label": "road", "mask": {"size": [2, 2], "counts": [4]}}]}
    with pytest.raises(ValueError, match=r"masks: record 0 \(id='m'\): field 'mask' must be "
                                         r"a size matching the image"):
        to_coco([bad_mask], LABELS)


def test_coco_derives_keypoint_labels_when_not_given() -> None:
    data = to_coco([person_item()], LABELS)
    assert data["categories"][0]["keypoints"] == ["nose", "left_eye", "neck", "right_eye"]
    assert data["categories"][0]["skeleton"] == []
    assert "keypoints" not in to_coco([plain_item()], LABELS)["categories"][0]


# ---------------------------------------------------------------- YOLO


def test_yolo_round_trip_keeps_geometry_and_labels() -> None:
    item = person_item()
    with pytest.warns(UserWarning, match=r"holds boxes only: 6 keypoints, 2 polygons, 1 masks"):
        text = to_yolo(item, LABELS)
    assert text.splitlines()[0] == "0 0.31640625 0.428385416667 0.3125 0.627604166667"
    boxes = from_yolo(text, LABELS, 64, 48)
    assert [b["label"] for b in boxes] == ["person", "sign", "person"]
    for want, got in zip(item["boxes"], boxes, strict=True):
        for key in ("x", "y", "w", "h"):
            assert got[key] == pytest.approx(want[key], abs=1e-6)
        assert got["source"] == "human" and "score" not in got


def test_yolo_round_trip_holds_at_large_image_sizes() -> None:
    item = {"image": "big.tif", "width": 20000, "height": 15000, "boxes": [
        {"id": "a", "label": "road", "x": 12345.678901, "y": 0.000123, "w": 0.5, "h": 14999.9}]}
    box = from_yolo(to_yolo(item, LABELS), LABELS, 20000, 15000)[0]
    for key in ("x", "y", "w", "h"):
        assert box[key] == pytest.approx(item["boxes"][0][key], abs=1e-6)


def test_yolo_scores_in_a_sixth_column() -> None:
    item = {"image": "a.jpg", "width": 10, "height": 10, "boxes": [
        {"label": "sign", "x": 0, "y": 0, "w": 10, "h": 10, "source": "model", "score": 0.75}]}
    text = to_yolo(item, LABELS, include_scores=True)
    assert text == "1 0.5 0.5 1 1 0.75\n"
    box = from_yolo(text, LABELS, 10, 10)[0]
    assert (box["source"], box["score"]) == ("model", 0.75)


@pytest.mark.parametrize(("text", "message"), [
    ("0 0.5 0.5 0.1 0.1\n\n1 0.5 0.5 0.1\n",
     r"YOLO line 3: expected 'class cx cy w h' \(5 fields, or 6 with a confidence\), "
     r"got '1 0.5 0.5 0.1'"),
    ("3 0.5 0.5 0.1 0.1", r"YOLO line 1: class must be an index in \[0, 3\)"),
    ("-1 0.5 0.5 0.1 0.1", r"YOLO line 1: class must be an index"),
    ("0 0.5 abc 0.1 0.1", r"YOLO line 1: cx, cy, w, h must be numbers"),
    ("0 0.5 0.5 -0.1 0.1", r"YOLO line 1: cx, cy, w, h must be finite with w, h >= 0"),
    ("0 0.1 0.1 0.2 0.1 0.3 0.2 0.4", r"YOLO line 1: .* \(a polygon line\?"),
    ("0 0.5 0.5 0.1 0.1 1.5", r"YOLO line 1: record .*field 'score' must be a number in"),
])
def test_yolo_read_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_yolo(text, LABELS, 64, 48)


def test_yolo_directory_round_trip(tmp_path: Any) -> None:
    items = [plain_item(), {"image": "dir/c d.jpg", "width": 30, "height": 20, "boxes": []}]
    labels = ["road", 'say "hi": yes', "ünï"]
    root = write_yolo_dir(items, labels, tmp_path / "ds")
    assert (root / "classes.txt").read_text(encoding="utf-8") == "road\nsay \"hi\": yes\nünï\n"
    yaml = (root / "data.yaml").read_text(encoding="utf-8")
    assert "nc: 3\n" in yaml and '  1: "say \\"hi\\": yes"\n' in yaml
    assert (root / "labels" / "c d.txt").read_text() == ""
    read, got_labels = read_yolo_dir(root, {"b.png": (100, 50), "dir/c d.jpg": (30, 20)})
    assert got_labels == labels
    assert [i["image"] for i in read] == ["b.png", "dir/c d.jpg"]
    assert_same([{k: b[k] for k in ("label", "x", "y", "w", "h")} for b in read[0]["boxes"]],
                [{k: b[k] for k in ("label", "x", "y", "w", "h")} for b in items[0]["boxes"]])
    (root / "classes.txt").unlink()
    assert read_yolo_dir(root, {"b.png": (100, 50), "c d.png": (1, 1)})[1] == labels


def test_yolo_directory_reads_other_data_yaml_styles_and_reports_problems(tmp_path: Any) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "a.txt").write_text("1 0.5 0.5 1 1\n")
    (tmp_path / "data.yaml").write_text("path: ../x\nnames:\n  - cat\n  - 'dog''s'\nnc: 2\n")
    items, labels = read_yolo_dir(tmp_path, {"a.jpg": (8, 8)})
    assert labels == ["cat", "dog's"] and items[0]["boxes"][0]["label"] == "dog's"
    (tmp_path / "data.yaml").write_text("names: [cat, dog]  # inline\n")
    assert read_yolo_dir(tmp_path, {"a.jpg": (8, 8)})[1] == ["cat", "dog"]
    with pytest.raises(ValueError, match=r"label files \['a.txt'\] match no image in sizes"):
        read_yolo_dir(tmp_path, {"b.jpg": (8, 8)})
    (tmp_path / "labels" / "a.txt").write_text("1 0.5 0.5\n")
    with pytest.raises(ValueError, match=r"a.txt: YOLO line 1: expected 'class cx cy w h'"):
        read_yolo_dir(tmp_path, {"a.jpg": (8, 8)})
    with pytest.raises(ValueError, match=r"images 'x/a.jpg' and 'y/a.png' would share the "
                                         r"label file labels/a.txt"):
        write_yolo_dir([{"image": "x/a.jpg", "width": 1, "height": 1},
                        {"image": "y/a.png", "width": 1, "height": 1}], ["a"], tmp_path)


# ---------------------------------------------------------------- Pascal VOC


def test_voc_round_trip_keeps_ids_sources_scores_and_text() -> None:
    item = person_item()
    item["boxes"][0]["text"] = 'a <b> & "c"\r\nd'
    with pytest.warns(UserWarning, match="Pascal VOC XML holds boxes only"):
        xml = to_voc(item)
    got = from_voc(xml)
    assert_items([{**item, "keypoints": [], "polygons": [], "masks": []}], [got])
    assert from_voc(xml.encode("utf-8"))["boxes"][1]["text"] == "STOP — Ärger 停"


def test_voc_writes_one_based_devkit_coordinates_by_default() -> None:
    xml = to_voc(plain_item())
    assert "<filename>b.png</filename>" in xml
    assert "<width>100</width>" in xml and "<depth>3</depth>" in xml
    assert "<xmin>2</xmin>" in xml and "<ymin>3</ymin>" in xml
    assert "<xmax>4</xmax>" in xml and "<ymax>6</ymax>" in xml
    zero = to_voc(plain_item(), one_based=False)
    assert "<xmin>1</xmin>" in zero and "<xmax>4</xmax>" in zero
    assert from_voc(zero, one_based=False)["boxes"][0]["x"] == 1.0
    assert from_voc(zero)["boxes"][0]["x"] == 0.0  # read as devkit coordinates


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<annotation><filename>&lol3;</filename></annotation>
"""


def test_voc_rejects_doctype_and_entity_declarations() -> None:
    with pytest.raises(ValueError, match=r"VOC XML line 2: DOCTYPE declarations are not "
                                         r"allowed \(<!DOCTYPE lolz \.\.\.>\)"):
        from_voc(BILLION_LAUGHS)
    with pytest.raises(ValueError, match="DOCTYPE declarations are not allowed"):
        from_voc(BILLION_LAUGHS.encode("utf-16"))


@pytest.mark.parametrize(("xml", "message"), [
    ("<annotation><filename>a", r"VOC XML line 1: not well-formed XML"),
    ("<voc/>", r"the root element must be <annotation>, got <voc>"),
    ("<annotation><size><width>4</width><height>4</height></size></annotation>",
     r"missing <filename>"),
    ("<annotation><filename>a</filename><size><width>4</width></size></annotation>",
     r"VOC XML <size>: missing <height>"),
    ("<annotation><filename>a</filename><size><width>4</width><height>4</height></size>"
     "<object><name>cat</name></object></annotation>",
     r"VOC object 0 \('cat'\): missing <bndbox>"),
    ("<annotation><filename>a</filename><size><width>4</width><height>4</height></size>"
     "<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>x</xmax>"
     "<ymax>2</ymax></bndbox></object></annotation>",
     r"VOC object 0 \('cat'\) <bndbox>: <xmax> must be a number, got 'x'"),
    ("<annotation><filename>a</filename><size><width>4</width><height>4</height></size>"
     "<object><name>cat</name><bndbox><xmin>3</xmin><ymin>1</ymin><xmax>1</xmax>"
     "<ymax>2</ymax></bndbox></object></annotation>",
     r"VOC object 0 \('cat'\): record .*field 'w' must be a non-negative size"),
])
def test_voc_read_errors_say_where(xml: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_voc(xml)


def test_voc_write_rejects_characters_xml_cannot_hold() -> None:
    item = plain_item()
    item["boxes"][0]["text"] = "bell\x07"
    with pytest.raises(ValueError, match=r"box 0 \(id='x'\): field 'text' contains '\\x07'"):
        to_voc(item)


# ---------------------------------------------------------------- Label Studio images


def test_labelstudio_images_round_trip() -> None:
    item = person_item()
    tasks = to_labelstudio_images([item, plain_item()])
    items = from_labelstudio_images(json.loads(json.dumps(tasks)))
    assert_items([item, plain_item()], items)


def test_labelstudio_images_result_layout() -> None:
    task = to_labelstudio_images([person_item()], to_name="img", data_key="url")[0]
    assert task["data"] == {"url": "photos/street 1.jpg", "nbannotate_width": 64,
                            "nbannotate_height": 48}
    human = task["annotations"][0]["result"]
    box = next(r for r in human if r["id"] == "p1")
    assert box["type"] == "rectanglelabels" and box["to_name"] == "img"
    assert box["original_width"] == 64 and box["value"]["rotation"] == 0
    assert box["value"]["x"] == pytest.approx(100 * 10.25 / 64)
    assert box["value"]["height"] == pytest.approx(100 * 30.125 / 48)
    point = next(r for r in human if r["id"] == "k1")
    assert point["parentID"] == "p1" and point["value"]["keypointlabels"] == ["nose"]
    assert "width" in point["value"]
    model = task["predictions"][0]["result"]
    sign = [r for r in model if r["id"] == "s1"]
    assert [r["type"] for r in sign] == ["rectanglelabels", "textarea"]
    assert sign[1]["value"]["text"] == ["STOP — Ärger 停"]
    assert sign[1]["from_name"] == "transcription" and sign[0]["score"] == 0.875
    auto = next(r for r in model if r["id"] == "p2")
    assert auto["origin"] == "prediction" and auto["nbannotate_source"] == "auto"
    assert {r["id"] for r in human} == {"p1", "k1", "k3", "k4", "k5", "k6", "g1"}
    assert {r["id"] for r in model} == {"s1", "p2", "k2", "g2", "m1"}
    brush = next(r for r in model if r["id"] == "m1")
    assert brush["type"] == "brushlabels" and brush["from_name"] == "brush"
    assert brush["value"]["format"] == "rle" and brush["value"]["brushlabels"] == ["road"]
    assert "score" not in next(r for r in model if r["id"] == "g2")


def test_labelstudio_images_reads_an_export_with_accepted_predictions() -> None:
    result = {"id": "r1", "type": "rectanglelabels", "from_name": "label", "to_name": "image",
              "original_width": 200, "original_height": 100,
              "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0,
                        "rectanglelabels": ["sign"]}}
    ocr = {**result, "type": "textarea", "from_name": "transcription",
           "value": {**result["value"], "text": ["line 1", "line 2"]}}
    other = {**result, "id": "r2", "score": 0.4}
    task = {"id": 5, "data": {"image": "s3://b/a.jpg"},
            "annotations": [{"was_cancelled": True, "result": []},
                            {"result": [result, ocr, {"id": "c", "type": "choices",
                                                      "value": {"choices": ["ok"]}}]}],
            "predictions": [{"score": 0.9, "result": [result, other]}]}
    with pytest.warns(UserWarning, match=r"1 'choices'"):
        item = from_labelstudio_images(json.dumps([task]))[0]
    assert [(b["id"], b["source"], b.get("score")) for b in item["boxes"]] == [
        ("r1", "human", None), ("r2", "model", 0.4)]
    assert item["boxes"][0]["text"] == "line 1\nline 2"
    assert (item["boxes"][0]["x"], item["boxes"][0]["h"]) == (20.0, 40.0)
    with pytest.warns(UserWarning, match="choices"):
        only_human = from_labelstudio_images([task], predictions=False)[0]
    assert [b["id"] for b in only_human["boxes"]] == ["r1"]


@pytest.mark.parametrize(("value", "message"), [
    ({"x": 1, "y": 1, "width": 5, "height": 5, "rotation": 30, "rectanglelabels": ["sign"]},
     r"Label Studio task 0 \(id=3\), annotation result 0 \(id='r'\): rotation 30 is not "
     r"supported"),
    ({"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["sign", "road"]},
     r"annotation result 0 \(id='r'\): field 'value.rectanglelabels' must be a list of "
     r"exactly one label"),
    ({"x": "1", "y": 1, "width": 5, "height": 5, "rectanglelabels": ["sign"]},
     r"annotation result 0 \(id='r'\): field 'value.x' must be a number, got '1'"),
])
def test_labelstudio_images_read_errors_name_task_and_result(value: dict[str, Any],
                                                             message: str) -> None:
    task = {"id": 3, "data": {"image": "a.jpg"}, "annotations": [{"result": [
        {"id": "r", "type": "rectanglelabels", "original_width": 10, "original_height": 10,
         "value": value}]}]}
    with pytest.raises(ValueError, match=message):
        from_labelstudio_images([task])


def test_labelstudio_images_needs_the_image_size() -> None:
    with pytest.raises(ValueError, match=r"Label Studio task 0: cannot tell the image size"):
        from_labelstudio_images([{"data": {"image": "a.jpg"}}])
    with pytest.raises(ValueError, match=r"task 0: field 'data.image' must be the image"):
        from_labelstudio_images([{"data": {"img": "a.jpg", "nbannotate_width": 2,
                                           "nbannotate_height": 2}}])


# ---------------------------------------------------------------- RLE


def test_rle_round_trips_random_masks_and_compressed_strings() -> None:
    rng = np.random.default_rng(7)
    for _ in range(50):
        height, width = (int(v) for v in rng.integers(1, 40, size=2))
        mask = rng.random((height, width)) < rng.random()
        rle = mask_to_rle(mask)
        assert rle["size"] == [height, width] and sum(rle["counts"]) == height * width
        assert (rle_to_mask(rle) == mask).all()
        assert rle_from_string(rle_to_string(rle)) == rle
        assert (rle_to_mask(rle_to_string(rle)) == mask).all()
        assert rle_area(rle) == int(mask.sum())
        rows, cols = np.nonzero(mask)
        expected = ([float(cols.min()), float(rows.min()), float(np.ptp(cols) + 1),
                     float(np.ptp(rows) + 1)] if rows.size else [0.0] * 4)
        assert rle_bbox(rle) == expected


def test_rle_is_column_major_and_starts_with_zeros() -> None:
    assert mask_to_rle([[1, 1], [0, 0]]) == {"size": [2, 2], "counts": [0, 1, 1, 1, 1]}
    assert mask_to_rle(np.ones((2, 3)))["counts"] == [0, 6]
    assert rle_to_string({"size": [1, 100], "counts": [100]})["counts"] == "T3"
    with pytest.raises(ValueError, match=r"'counts' must sum to height \* width = 4, got 5"):
        rle_to_mask({"size": [2, 2], "counts": [5]})
    with pytest.raises(ValueError, match="compressed 'counts' ends inside a number"):
        rle_from_string({"size": [1, 1], "counts": "T"})


def test_formats_warn_nothing_for_a_clean_round_trip() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_coco(to_coco([plain_item()], LABELS))
        from_labelstudio_images(to_labelstudio_images([plain_item()]))
        from_voc(to_voc(plain_item()))


def test_warnings_point_at_the_calling_line() -> None:
    item = person_item()
    task = {"data": {"image": "a.jpg", "nbannotate_width": 2, "nbannotate_height": 2},
            "annotations": [{"result": [{"id": "c", "type": "choices", "value": {}}]}]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        to_yolo(item, LABELS)
        to_voc(item)
        to_labelstudio_images([item])
        from_labelstudio_images([task])
    assert [str(w.message).split(":")[0] for w in caught] == [
        "YOLO detection labels holds boxes only", "Pascal VOC XML holds boxes only",
        "Label Studio results not read (image tasks read rectanglelabels, "
        "keypointlabels, polygonlabels, brushlabels and textarea)"]
    assert {w.filename for w in caught} == {__file__}
