"""ImageAnnotator segmentation in Python: strokes on the shared fixtures, run-based mask
operations, polygons and masks validation, suggestions and the uncertainty overlay."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import numpy as np
import pytest

from nbannotate import ImageAnnotator
from nbannotate.formats.rle import mask_to_rle, rle_from_string, rle_to_mask, rle_to_string
from nbannotate.image import mask_ops as ops

FIXTURES = Path(__file__).parents[1] / "fixtures"
CASES = json.loads((FIXTURES / "masks.json").read_text(encoding="utf-8"))


def make(height: int = 30, width: int = 40, **kwargs) -> ImageAnnotator:
    kwargs.setdefault("labels", ["a", "b", "c"])
    return ImageAnnotator(np.zeros((height, width, 3), dtype=np.uint8), **kwargs)


def test_fixture_file_is_current():
    spec = importlib.util.spec_from_file_location("make_masks", FIXTURES / "make_masks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == CASES


@pytest.mark.parametrize("case", CASES["strokes"], ids=lambda c: f"{c['size']}-r{c['radius']}")
def test_stroke_covers_exactly_the_fixture_pixels(case):
    height, width = case["size"]
    toggles = ops.stroke_toggles(case["points"], case["radius"], height, width)
    assert ops.rle_of(height, width, toggles)["counts"] == case["counts"]


@pytest.mark.parametrize("case", CASES["strings"], ids=lambda c: c["string"][:12])
def test_compressed_counts_match_the_fixture(case):
    rle = {"size": [1, sum(case["counts"])], "counts": case["counts"]}
    assert rle_to_string(rle)["counts"] == case["string"]
    assert rle_from_string({"size": rle["size"], "counts": case["string"]})["counts"] == \
        case["counts"]


def label_map_masks(case) -> list[dict]:
    height, width = case["size"]
    flat = np.array(case["before"]).reshape((height, width), order="F")
    return [{"id": f"m{k}", "label": name, "mask": mask_to_rle(flat == k + 1)}
            for k, name in enumerate(case["labels"]) if (flat == k + 1).any()]


@pytest.mark.parametrize("case", CASES["edits"], ids=lambda c: str(c["label"]))
def test_paint_and_erase_make_the_fixture_edits_and_label_map(case):
    height, width = case["size"]
    w = ImageAnnotator(np.zeros((height, width)), labels=case["labels"],
                       masks=label_map_masks(case))
    edits = w._mask_editor.stroke_edits(case["label"], case["points"], case["radius"])
    got = sorted((label, op, ops.rle_of(height, width, t)["counts"]) for label, op, t in edits)
    want = sorted((e["label"], e["op"], e["counts"]) for e in case["edits"])
    assert got == want
    if case["label"] is None:
        w.erase(case["points"], radius=case["radius"])
    else:
        w.paint(case["label"], case["points"], radius=case["radius"])
    after = np.array(case["after"]).reshape((height, width), order="F")
    for k, name in enumerate(case["labels"]):
        assert (w.mask_array(name) == (after == k + 1)).all(), name
    assert all(m["source"] == "human" and "score" not in m for m in w.masks)


def test_set_operations_on_runs_match_pixel_sets():
    rng = np.random.default_rng(0)
    for _ in range(100):
        height, width = (int(v) for v in rng.integers(1, 9, 2))
        a = rng.random((height, width)) < 0.4
        b = rng.random((height, width)) < 0.5
        ta, tb = ops.toggles_of(mask_to_rle(a)), ops.toggles_of(mask_to_rle(b))
        total = height * width
        for op, expected in (("or", a | b), ("and", a & b), ("minus", a & ~b)):
            rle = ops.rle_of(height, width, ops.combine(ta, tb, op, total))
            assert (rle_to_mask(rle) == expected).all()
            assert sum(rle["counts"]) == total and all(c > 0 for c in rle["counts"][1:])
        assert ops.area(ta, total) == int(a.sum())


def test_a_stroke_delta_does_not_grow_with_the_image():
    path = [[100.0, 100.0], [160.0, 130.0]]
    small = ops.rle_of(300, 400, ops.stroke_toggles(path, 8, 300, 400))
    big = ops.rle_of(3000, 4000, ops.stroke_toggles(path, 8, 3000, 4000))
    assert len(big["counts"]) == len(small["counts"])
    assert len(rle_to_string(big)["counts"]) <= len(rle_to_string(small)["counts"]) + 4
    assert len(rle_to_string(big)["counts"]) < 400


def test_mask_array_paint_erase_and_records():
    w = make()
    assert not w.mask_array("a").any() and w.mask_array("a").shape == (30, 40)
    assert w.paint("a", [[5, 5], [30, 5]], radius=2) == ["a"]
    assert [(m["label"], m["source"]) for m in w.masks] == [("a", "human")]
    first_id = w.masks[0]["id"]
    # Painting b over a takes those pixels from a: one label per painted pixel.
    assert w.paint("b", [[20, 0], [20, 10]], radius=3) == ["b", "a"]
    a, b = w.mask_array("a"), w.mask_array("b")
    assert b[5, 20] and not a[5, 20] and a[5, 8] and not (a & b).any()
    assert w.masks[0]["id"] == first_id  # the same record, edited
    # Erasing removes whatever label is there; a mask left empty is removed.
    w.erase([[20, 0], [20, 10]], radius=3)
    assert [m["label"] for m in w.masks] == ["a"]
    w.erase([[0, 5], [39, 5]], radius=4)
    assert w.masks == []


def test_strokes_edit_model_masks_into_person_masks():
    left = np.zeros((30, 40), dtype=bool)
    left[:, :20] = True
    w = make(masks=[{"id": "auto1", "label": "a", "mask": mask_to_rle(left),
                     "source": "auto", "score": 0.9}])
    w.paint("a", [[30, 15]], radius=2)  # added to a new person's record
    assert (w.masks[0]["id"], w.masks[0]["source"]) == ("auto1", "auto")
    assert [m["source"] for m in w.masks] == ["auto", "human"]
    w.erase([[10, 15]], radius=2)  # editing the auto record makes it the person's
    auto = next(m for m in w.masks if m["id"] == "auto1")
    assert auto["source"] == "human" and "score" not in auto
    assert not w.mask_array("a")[15, 10] and w.mask_array("a")[15, 30]


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"polygons": [{"points": [[0, 0], [1, 1]], "label": "a"}]}, ValueError,
     r"polygons: record 0: field 'points' must be a list of at least 3"),
    ({"polygons": [{"points": [[0, 0], [50, 1], [3, 3]], "label": "a"}]}, ValueError,
     r"points inside the image"),
    ({"polygons": [{"points": [[0, 0], [5, 1], [3, 3]], "label": "zebra"}]}, ValueError,
     r"field 'label' must be one of \['a', 'b', 'c'\]"),
    ({"masks": [{"label": "a", "mask": {"size": [3, 3], "counts": [9]}}]}, ValueError,
     r"masks: record 0: field 'mask' must be a size matching the image \(40, 30\)"),
    ({"masks": [{"label": "a", "mask": {"size": [30, 40], "counts": [5]}}]}, ValueError,
     r"'counts' summing to h\*w = 1200"),
    ({"mask_suggestions": {"label": "a"}}, TypeError, "mask_suggestions must be a list"),
    ({"brush_radius": 0}, ValueError, r"brush_radius must be a number of image pixels"),
    ({"tool": "lasso"}, ValueError, r"'polygon', 'brush', 'eraser'"),
    ({"suggestions": [{"label": "a", "mask": {"size": [30, 40], "counts": [1200]}}]},
     ValueError, "put masks in mask_suggestions"),
])
def test_bad_arguments_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        make(**kwargs)


def test_bad_calls_name_the_argument():
    w = make()
    with pytest.raises(ValueError, match=r"label must be one of \['a', 'b', 'c'\], got 'z'"):
        w.mask_array("z")
    with pytest.raises(ValueError, match="label must be one of"):
        w.paint("z", [[1, 1]])
    with pytest.raises(ValueError, match="radius must be a positive number"):
        w.paint("a", [[1, 1]], radius=-2)
    with pytest.raises(ValueError, match=r"points must be a non-empty list of \[x, y\] pairs"):
        w.paint("a", [[1, 2, 3]])
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        make(brush=3)
    with pytest.raises(ValueError, match="labels must be one of"):
        w.accept_mask_suggestions(["nope"])


def test_tools_and_label_follow():
    w = make(keypoint_labels=["nose"], tool="keypoint")
    assert w.label == "nose"
    for tool in ("polygon", "brush", "eraser"):
        w.tool = tool
        assert w.label in w.labels
    w = make(tool="brush", brush_radius=4.5)
    assert (w.tool, w.brush_radius) == ("brush", 4.5)
    assert make(4000 // 10, 4000).brush_radius == 50.0  # 1/80 of the long side by default


def test_accept_and_reject_mask_suggestions():
    top = np.zeros((30, 40), dtype=bool)
    top[:15] = True
    w = make(mask_suggestions=[
        {"id": "s1", "label": "a", "mask": mask_to_rle(top), "score": 0.7},
        {"id": "s2", "label": "c", "mask": mask_to_rle(~top), "score": 0.6}])
    assert [s["source"] for s in w.mask_suggestions] == ["model", "model"]
    w.paint("b", [[20, 10]], radius=3)  # a person's correction inside the "a" suggestion
    painted_b = w.mask_array("b")
    changed = w.accept_mask_suggestions()
    assert len(changed) == 2
    a, b, c = (w.mask_array(n) for n in "abc")
    assert (b == painted_b).all()  # the person's pixels win
    assert (a == (top & ~painted_b)).all() and (c == ~top).all()
    assert all(m["source"] == "human" and "score" not in m for m in w.masks)
    assert len(w.mask_suggestions) == 2  # kept: they now match the masks
    assert w.reject_mask_suggestions() == ["s1", "s2"] and w.mask_suggestions == []
    # Accepting only some labels.
    w = make(mask_suggestions=[{"label": "a", "mask": mask_to_rle(top)},
                               {"label": "c", "mask": mask_to_rle(~top)}])
    w.accept_mask_suggestions("c")
    assert not w.mask_array("a").any() and w.mask_array("c").sum() == (~top).sum()


def test_uncertainty_overlay_png_and_errors():
    from PIL import Image

    w = make()
    values = np.tile(np.linspace(0, 1, 2048, dtype=np.float32), (600, 1))
    w.set_uncertainty(values)
    picture = Image.open(io.BytesIO(w.uncertainty_png))
    assert picture.mode == "RGBA" and max(picture.size) <= 512
    alpha = np.asarray(picture)[:, :, 3]
    assert alpha[:, 0].max() == 0 and alpha[:, -1].min() > 200  # opaque where unsure
    w.set_uncertainty(None)
    assert w.uncertainty_png == b""
    with pytest.raises(ValueError, match=r"values must be finite numbers in \[0, 1\]"):
        w.set_uncertainty(np.full((3, 3), 1.5))
    with pytest.raises(ValueError, match="non-empty 2-D array"):
        w.set_uncertainty(np.zeros(5))


def test_set_image_replaces_segmentation_records():
    w = make(polygons=[{"points": [[1, 1], [9, 1], [5, 9]], "label": "a"}],
             mask_suggestions=[{"label": "a", "mask": {"size": [30, 40], "counts": [1200]}}])
    w.paint("a", [[3, 3]], radius=2)
    w.set_uncertainty(np.zeros((3, 4)))
    w.set_image(np.zeros((10, 12)), masks=[{"label": "b",
                                            "mask": {"size": [10, 12], "counts": [3, 4, 113]}}])
    assert (w.polygons, w.mask_suggestions, w.uncertainty_png) == ([], [], b"")
    assert [m["label"] for m in w.masks] == ["b"] and w.mask_array("b").sum() == 4
    assert w.image_array().shape == (10, 12)
    with pytest.raises(ValueError, match="masks: record 0"):
        w.set_image(np.zeros((5, 5)), masks=[{"label": "a",
                                              "mask": {"size": [10, 12], "counts": [120]}}])
    assert w.image_size == (12, 10)  # nothing changed


def test_image_array_of_encoded_images(tmp_path):
    from PIL import Image

    pixels = np.random.default_rng(0).integers(0, 255, (9, 11, 3), dtype=np.uint8)
    path = tmp_path / "a.png"
    Image.fromarray(pixels).save(path)
    assert (ImageAnnotator(path, labels=["a"]).image_array() == pixels).all()
    assert (ImageAnnotator(path.read_bytes(), labels=["a"]).image_array() == pixels).all()
