"""Segments, video tracks and proposals are checked with errors that name the field and value."""

from __future__ import annotations

import pytest

from nbannotate.video._records import validate_proposal, validate_segment, validate_video_track


def test_segment_is_normalized_and_checked() -> None:
    seg = validate_segment({"start": 120.0, "end": 340, "label": "walking", "score": 1},
                           num_frames=400, labels=["walking"])
    assert seg == {"id": seg["id"], "label": "walking", "source": "human", "start": 120,
                   "end": 340, "score": 1.0}
    cases = [
        ({"start": -1, "end": 3, "label": "a"}, ValueError, r"start must be a frame in \[0, 10\)"),
        ({"start": 2, "end": 11, "label": "a"}, ValueError, "end must be at most num_frames"),
        ({"start": 2, "end": 1, "label": "a"}, ValueError, "greater than start"),
        ({"start": 1.5, "end": 3, "label": "a"}, TypeError, "frame index"),
        ({"start": 1, "end": 3, "label": "b"}, ValueError, r"one of \['a'\], got 'b'"),
        ({"start": 1, "end": 3, "label": "a", "colour": 1}, ValueError, "unknown field"),
        ({"start": 1, "end": 3, "label": "a", "source": "x"}, ValueError, "source"),
        ({"start": 1, "end": 3, "label": "a", "score": 2}, ValueError, "score"),
    ]
    for record, error, message in cases:
        with pytest.raises(error, match=message):
            validate_segment(record, num_frames=10, labels=["a"])


def test_video_track_checks_label_and_frames() -> None:
    track = {"id": "t", "label": "car", "keyframes": [{"frame": 3, "x": 1, "y": 2, "w": 3,
                                                       "h": 4}]}
    assert validate_video_track(track, num_frames=4, labels=["car"])["keyframes"][0]["frame"] == 3
    with pytest.raises(ValueError, match=r"expected a frame in \[0, 3\), got 3"):
        validate_video_track(track, num_frames=3, labels=["car"])
    with pytest.raises(ValueError, match="label: expected one of"):
        validate_video_track(track, num_frames=4, labels=["bus"])


def test_proposal_defaults_to_model_and_checks_geometry() -> None:
    p = validate_proposal({"track_id": "t", "frame": 2, "x": 1, "y": 1, "w": 2, "h": 2,
                           "label": "a"}, num_frames=3)
    assert p["source"] == "model" and p["id"]
    with pytest.raises(ValueError, match=r"frame in \[0, 3\)"):
        validate_proposal({**p, "frame": 3}, num_frames=3)
    with pytest.raises(TypeError, match="x: expected a finite number"):
        validate_proposal({**p, "x": float("nan")}, num_frames=3)
    with pytest.raises(TypeError, match="track_id"):
        validate_proposal({**p, "track_id": 5}, num_frames=3)
