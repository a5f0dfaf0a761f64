"""ImageAnnotator in Python: arguments, validation errors, suggestions, tools and labels, and
the change messages a browser sends (through ipywidgets' real comm handling)."""

from __future__ import annotations

import numpy as np
import pytest

from nbannotate import ImageAnnotator

IMAGE = np.zeros((100, 200, 3), dtype=np.uint8)
KP = ["nose", "left_eye", "right_eye"]


def make(**kwargs):
    kwargs.setdefault("labels", ["cat", "dog"])
    return ImageAnnotator(IMAGE, **kwargs)


def box(id_, x=10, y=10, w=20, h=20, label="cat", **extra):
    return {"id": id_, "x": x, "y": y, "w": w, "h": h, "label": label, **extra}


def test_contract_attributes_and_defaults():
    w = make(keypoint_labels=KP, skeleton=[("left_eye", "nose"), ("nose", "right_eye")])
    assert w.image_size == (200, 100)
    assert (w.boxes, w.keypoints, w.suggestions) == ([], [], [])
    assert (w.tool, w.label) == ("box", "cat")
    assert w.skeleton == [["left_eye", "nose"], ["nose", "right_eye"]]


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"labels": None}, TypeError, "labels must be a list"),
    ({"labels": []}, ValueError, "at least one label"),
    ({"labels": "cat"}, TypeError, "labels must be a list of strings"),
    ({"labels": ["a", "a"]}, ValueError, "duplicates"),
    ({"keypoint_labels": ["nose"], "skeleton": [("nose", "tail")]}, ValueError,
     "'tail' is not one of keypoint_labels"),
    ({"skeleton": ["ab"]}, ValueError, "pairs"),
    ({"tool": "lasso"}, ValueError,
     r"tool must be one of \['box', 'keypoint', 'select', 'polygon', 'brush', 'eraser'\]"),
    ({"tool": "keypoint"}, ValueError, "needs keypoint_labels"),
    ({"label": "bird"}, ValueError, "label must be one of"),
    ({"boxes": {"x": 1}}, TypeError, "boxes must be a list of records"),
])
def test_bad_arguments_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        make(**kwargs)


def test_record_validation_names_record_and_field():
    w = make(keypoint_labels=KP)
    with pytest.raises(ValueError, match=r"boxes: record 1 \(id='b'\): field 'x' must be inside"):
        w.boxes = [box("a"), box("b", x=190, w=20)]
    with pytest.raises(ValueError, match=r"record 0 \(id='n'\): field 'w' must be a non-negative"):
        w.boxes = [box("n", w=-5)]
    with pytest.raises(ValueError, match=r"field 'label' must be one of \['cat', 'dog'\]"):
        w.boxes = [box("c", label="bird")]
    with pytest.raises(ValueError, match=r"keypoints: record 0.*'label' must be one of"):
        w.keypoints = [{"x": 1, "y": 1, "label": "tail"}]
    with pytest.raises(ValueError, match=r"'visible' must be 0, 1 or 2"):
        w.keypoints = [{"x": 1, "y": 1, "label": "nose", "visible": 3}]
    with pytest.raises(ValueError, match=r"suggestions\[0\].*'score' must be a number in"):
        w.suggestions = [box("s", score=1.5)]
    with pytest.raises(ValueError, match="two records have the id 's'"):
        w.suggestions = [box("s"), box("s")]
    assert w.boxes == [] and w.suggestions == []
    with pytest.raises(ValueError, match=r"keypoints: record 0 \(id='k'\): field 'x' must be"):
        make(keypoint_labels=KP, keypoints=[{"id": "k", "x": 201, "y": 1, "label": "nose"}])


def test_lists_are_replaced_not_mutated():
    w = make()
    given = [box("a")]
    w.boxes = given
    assert w.boxes is not given and w.boxes[0] is not given[0]
    before = w.boxes
    w.apply_change("boxes", "add", box("b"))
    assert before == [w.boxes[0]] and len(w.boxes) == 2  # the old list is untouched


def test_suggestions_become_model_records():
    w = make(suggestions=[box("s1", score=0.8, source="human")])
    assert w.suggestions[0]["source"] == "model"


def test_accepting_keeps_id_and_geometry_drops_score_and_never_replaces_people():
    w = make(keypoint_labels=KP, boxes=[box("s1", label="dog")], suggestions=[
        box("s1", x=50, score=0.9),
        {"id": "k1", "x": 55, "y": 15, "label": "nose", "box_id": "s1", "score": 0.7},
        box("s2", x=100, score=0.3),
        {"id": "k2", "x": 105, "y": 15, "label": "nose", "box_id": "s2", "score": 0.6}])
    accepted = w.accept_suggestions(["k1"])  # a keypoint brings its box
    assert len(accepted) == 2
    new_box = accepted[0]
    assert new_box != "s1"  # the person's box s1 keeps its id, the accepted one gets a new one
    assert [b["id"] for b in w.boxes] == ["s1", new_box]
    assert w.boxes[0]["label"] == "dog"  # what the person drew is untouched
    assert w.boxes[1] == {"id": new_box, "x": 50.0, "y": 10.0, "w": 20.0, "h": 20.0,
                          "label": "cat", "source": "human"}
    assert w.keypoints[0]["box_id"] == new_box and w.keypoints[0]["source"] == "human"
    assert "score" not in w.keypoints[0]
    # An instance is judged by its box's score: s2 (0.3) keeps its keypoint k2 (0.6) with it.
    assert w.accept_suggestions(min_score=0.5) == []
    assert [s["id"] for s in w.suggestions] == ["s2", "k2"]
    assert w.reject_suggestions("k2") == ["k2"]  # rejecting a keypoint leaves its box
    assert w.reject_suggestions() == ["s2"]
    with pytest.raises(ValueError, match="no suggestion with id 'zz'"):
        w.accept_suggestions(["zz"])


def test_tool_and_label_follow_each_other():
    w = make(keypoint_labels=KP)
    w.tool = "keypoint"
    assert w.label == "nose"
    w.label = "right_eye"
    w.tool = "select"
    assert w.label == "cat"
    with pytest.raises(ValueError, match="label must be one of"):
        w.label = "bird"
    v = make()
    with pytest.raises(ValueError, match="needs keypoint_labels"):
        v.tool = "keypoint"


def test_browser_accepts_a_suggestion_in_one_batch_and_undo_restores_it(comm_recorder):
    w = make(suggestions=[box("s1", score=0.9)])
    rec = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    human = {k: v for k, v in w.suggestions[0].items() if k != "score"} | {"source": "human"}
    rec.from_browser({"type": "changes", "seq": 1, "changes": [
        {"field": "suggestions", "op": "remove", "record": {"id": "s1"}},
        {"field": "boxes", "op": "add", "record": human}]})
    assert w.suggestions == [] and w.boxes == [human]
    assert [(c["field"], c["op"]) for c in seen] == [("suggestions", "remove"), ("boxes", "add")]
    assert seen[-1]["value"] == [human]  # the new state comes with the callback
    # Undo in the browser sends the inverse batch.
    rec.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "boxes", "op": "remove", "record": {"id": "s1"}},
        {"field": "suggestions", "op": "add", "record": {**human, "source": "model",
                                                         "score": 0.9}}]})
    assert w.boxes == [] and w.suggestions[0]["score"] == 0.9
    assert rec.custom() == [{"type": "ack", "seq": n, "revision": n} for n in (1, 2)]
    assert not any(k in s for s in rec.state_updates() for k in ("boxes", "suggestions"))


def test_browser_keypoints_and_deleting_a_box_with_its_keypoints(comm_recorder):
    w = make(keypoint_labels=KP, boxes=[box("b")])
    rec = comm_recorder(w)
    point = {"id": "k", "x": 12, "y": 13, "label": "nose", "visible": 2, "source": "human",
             "box_id": "b"}
    rec.from_browser({"type": "changes", "seq": 1,
                      "changes": [{"field": "keypoints", "op": "add", "record": point}]})
    rec.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "keypoints", "op": "update", "record": {**point, "visible": 1}}]})
    assert w.keypoints == [{**point, "x": 12.0, "y": 13.0, "visible": 1}]
    rec.from_browser({"type": "changes", "seq": 3, "changes": [
        {"field": "boxes", "op": "remove", "record": {"id": "b"}},
        {"field": "keypoints", "op": "remove", "record": {"id": "k"}}]})
    assert w.boxes == [] and w.keypoints == []
    assert [m["type"] for m in rec.custom()] == ["ack", "ack", "ack"]


def test_browser_keypoint_outside_the_image_is_rejected(comm_recorder):
    w = make(keypoint_labels=KP)
    rec = comm_recorder(w)
    rec.from_browser({"type": "changes", "seq": 4, "changes": [{"field": "keypoints", "op": "add",
                      "record": {"id": "k", "x": 500, "y": 1, "label": "nose"}}]})
    reply = rec.custom()[0]
    assert reply["type"] == "error" and "inside the image" in reply["message"]
    assert w.keypoints == []


def test_browser_label_and_tool_state_updates_are_validated(comm_recorder):
    w = make(keypoint_labels=KP)
    rec = comm_recorder(w)
    # The browser switches tool and label together (one state message).
    w.comm.handle_msg({"content": {"data": {"method": "update", "state": {
        "tool": "keypoint", "label": "left_eye"}, "buffer_paths": []}}, "buffers": []})
    assert (w.tool, w.label) == ("keypoint", "left_eye")
    assert rec is not None


def test_repr_counts_suggestions():
    assert repr(make(suggestions=[box("s")])) == (
        "ImageAnnotator(200x100, 0 boxes, 0 keypoints, 1 suggestions)")
