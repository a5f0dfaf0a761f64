"""The interpolation rule on the JSON fixture the front end's tests read too
(js/tests/video-tracks.test.ts): Python's ``box_at``/``points_at`` and the browser's ``boxAt``
agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nbannotate.records.tracks import box_at, validate_track
from nbannotate.video._points import points_at

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "video" / "interpolation.json")
                     .read_text(encoding="utf-8"))
TRACKS = {t["id"]: t for t in FIXTURE["tracks"]}


@pytest.mark.parametrize("query", FIXTURE["queries"],
                         ids=lambda q: f"{q['track']}@{q['frame']}")
def test_box_at_matches_the_fixture(query: dict) -> None:
    box = box_at(validate_track(TRACKS[query["track"]]), query["frame"])
    expected = query["box"]
    if expected is None:
        assert box is None
        return
    assert box is not None
    for key in ("x", "y", "w", "h"):
        assert box[key] == pytest.approx(expected[key])
    assert box["occluded"] is expected["occluded"]
    assert box["keyframe"] is expected["keyframe"]
    assert box["track_id"] == query["track"]
    points = points_at(TRACKS[query["track"]], query["frame"])
    assert points == expected.get("points")
