"""Annotation records: normalized copies and errors that name record, field and value."""

from __future__ import annotations

import pytest

from nbannotate.records import (
    kind_of,
    new_id,
    validate_box,
    validate_class_label,
    validate_keypoint,
    validate_mask,
    validate_polygon,
    validate_record,
    validate_records,
    validate_region,
    validate_span,
)


def test_box_normalizes_and_checks_bounds_and_labels():
    box = validate_box({"x": 1, "y": 2, "w": 3, "h": 4, "label": "cat"}, image_size=(10, 10))
    assert box == {"id": box["id"], "x": 1.0, "y": 2.0, "w": 3.0, "h": 4.0, "label": "cat",
                   "source": "human"}
    assert len(box["id"]) == 12
    with pytest.raises(ValueError, match=r"field 'x' must be inside the image"):
        validate_box({"x": 8, "y": 0, "w": 3, "h": 1, "label": "a"}, image_size=(10, 10))
    with pytest.raises(ValueError, match=r"'label' must be one of \['cat'\], got 'dog'"):
        validate_box({"x": 0, "y": 0, "w": 1, "h": 1, "label": "dog"}, labels=["cat"])
    with pytest.raises(ValueError, match="missing field 'h'"):
        validate_box({"x": 0, "y": 0, "w": 1, "label": "a"})
    with pytest.raises(ValueError, match=r"'y' must be a number, got 'top'"):
        validate_box({"x": 0, "y": "top", "w": 1, "h": 1, "label": "a"})
    with pytest.raises(ValueError, match="a finite number"):
        validate_box({"x": float("nan"), "y": 0, "w": 1, "h": 1, "label": "a"})


def test_common_fields_source_score_id_and_unknown_fields():
    with pytest.raises(ValueError, match=r"'source' must be one of"):
        validate_record({"label": "a", "source": "robot"})
    with pytest.raises(ValueError, match=r"'score' must be a number in \[0, 1\]"):
        validate_record({"label": "a", "source": "model", "score": 1.5})
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['colour'\]"):
        validate_box({"x": 0, "y": 0, "w": 1, "h": 1, "label": "a", "colour": "red"})
    with pytest.raises(ValueError, match="'id' must be a non-empty string"):
        validate_record({"label": "a", "id": 5})
    with pytest.raises(TypeError, match="must be a dict"):
        validate_box(["x", 1])
    assert validate_record({"id": "k", "label": "a", "source": "model", "score": 0.25}) == {
        "id": "k", "label": "a", "source": "model", "score": 0.25}


def test_keypoint_visibility_and_box_id():
    kp = validate_keypoint({"x": 1, "y": 1, "label": "nose", "visible": 1, "box_id": "b"})
    assert (kp["visible"], kp["box_id"]) == (1, "b")
    with pytest.raises(ValueError, match="0, 1 or 2"):
        validate_keypoint({"x": 1, "y": 1, "label": "nose", "visible": 3})
    with pytest.raises(ValueError, match="inside the image"):
        validate_keypoint({"x": 11, "y": 1, "label": "nose"}, image_size=(10, 10))


def test_span_offsets_are_code_points_and_text_must_match():
    doc = "😀 Anna lives in Köln"
    span = validate_span({"start": 2, "end": 6, "label": "PER"}, text=doc)
    assert span["text"] == "Anna" == doc[span["start"]:span["end"]]
    assert validate_span({"start": 16, "end": 20, "label": "LOC"}, text=doc)["text"] == "Köln"
    with pytest.raises(ValueError, match=r"'text' must be the document's text\[2:6\] = 'Anna'"):
        validate_span({"start": 2, "end": 6, "label": "PER", "text": "Ann"}, text=doc)
    with pytest.raises(ValueError, match="at most the document length"):
        validate_span({"start": 2, "end": 60, "label": "PER"}, text=doc)
    with pytest.raises(ValueError, match="greater than start"):
        validate_span({"start": 5, "end": 5, "label": "PER"}, text=doc)


def test_region_times_channel_and_duration():
    region = validate_region({"start": 0.5, "end": 1, "label": "bird", "channel": 1,
                              "text": "tweet"}, duration=2.0, channels=2)
    assert region["end"] == 1.0 and region["channel"] == 1 and region["text"] == "tweet"
    with pytest.raises(ValueError, match="at most the duration"):
        validate_region({"start": 0.5, "end": 3, "label": "bird"}, duration=2.0)
    with pytest.raises(ValueError, match=r"channel index in \[0, 2\)"):
        validate_region({"start": 0, "end": 1, "label": "b", "channel": 2}, channels=2)


def test_polygon_mask_and_class_labels():
    poly = validate_polygon({"points": [[0, 0], [2, 0], [1, 1]], "label": "a"}, image_size=(3, 3))
    assert poly["points"] == [[0.0, 0.0], [2.0, 0.0], [1.0, 1.0]]
    with pytest.raises(ValueError, match="at least 3"):
        validate_polygon({"points": [[0, 0], [1, 1]], "label": "a"})
    with pytest.raises(ValueError, match="summing to h\\*w = 6"):
        validate_mask({"mask": {"size": [2, 3], "counts": [1, 2]}, "label": "a"})
    assert validate_class_label({"label": ["a", "b"]}, multi=True, labels=["a", "b"])["label"] == [
        "a", "b"]
    with pytest.raises(ValueError, match="a string"):
        validate_class_label({"label": ["a"]})


def test_record_lists_report_the_index_and_reject_duplicate_ids():
    with pytest.raises(ValueError, match=r"boxes: record 1 \(id='b'\): field 'w'"):
        validate_records([{"id": "a", "x": 0, "y": 0, "w": 1, "h": 1, "label": "x"},
                          {"id": "b", "x": 0, "y": 0, "w": -1, "h": 1, "label": "x"}],
                         kind="box", name="boxes")
    with pytest.raises(ValueError, match="duplicate id 'a'"):
        validate_records([{"id": "a", "label": "x"}, {"id": "a", "label": "y"}], kind="class")
    with pytest.raises(TypeError, match="must be a list of dicts"):
        validate_records({"label": "x"}, kind="class")
    assert validate_records(None, kind="box") == []


def test_kind_inference_and_ids():
    assert kind_of({"x": 0, "y": 0, "w": 1, "h": 1}) == "box"
    assert kind_of({"x": 0, "y": 0}) == "keypoint"
    assert kind_of({"start": 0, "end": 3}) == "span"
    assert kind_of({"start": 0.0, "end": 3.5}) == "region"
    assert kind_of({"label": "a"}) == "class"
    with pytest.raises(ValueError, match="cannot tell the kind"):
        kind_of({"foo": 1})
    assert new_id() != new_id()
