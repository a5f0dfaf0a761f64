import pytest

from nbannotate.records.tracks import boxes_at, validate_track


def _track(**kw):
    kfs = [{"frame": 0, "x": 0, "y": 0, "w": 10, "h": 20},
           {"frame": 30, "x": 60, "y": 30, "w": 20, "h": 20, **kw}]
    return validate_track({"id": "t", "label": "car", "keyframes": kfs})


def test_midpoint_is_interpolated():
    (b,) = boxes_at([_track()], 15)
    assert (b["x"], b["y"], b["w"], b["h"], b["track_id"]) == (30, 15, 15, 20, "t")
    assert not b["keyframe"]


def test_outside_hides_from_that_keyframe_and_holds_before():
    t = _track(outside=True)
    assert boxes_at([t], 30) == [] and boxes_at([t], 40) == []
    assert boxes_at([t], 15)[0]["x"] == 0.0
    assert boxes_at([t], 45) == []


def test_after_last_keyframe_holds_and_before_first_absent():
    t = validate_track({"label": "a", "keyframes": [{"frame": 5, "x": 1, "y": 2, "w": 3, "h": 4}]})
    assert boxes_at([t], 4) == [] and boxes_at([t], 99)[0]["x"] == 1.0


@pytest.mark.parametrize("bad", [{"frame": -1}, {"frame": 1.5}, {"frame": 0, "x": "a"},
                                 {"frame": 0, "w": -1}])
def test_bad_keyframe_names_field(bad):
    kf = {"frame": 0, "x": 0, "y": 0, "w": 1, "h": 1, **bad}
    with pytest.raises((TypeError, ValueError), match="keyframes\\[0\\]"):
        validate_track({"id": "t", "label": "a", "keyframes": [kf]})
