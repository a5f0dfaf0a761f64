"""``label(clips, task="tracks")``: video clips in a VideoAnnotator one at a time, tracks
committed before the next clip, the default model's tracks drawn in on the next clip,
resuming from the store, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nbannotate import VideoAnnotator, label
from nbannotate.records.tracks import box_at
from nbannotate.store import Store

IDS = ["c0", "c1", "c2"]


def clip(offset: int) -> np.ndarray:
    """20 frames of a bright square moving right by 2 px a frame."""
    video = np.zeros((20, 60, 80, 3), dtype=np.uint8)
    for t in range(20):
        video[t, 20:36, 5 + 2 * t + offset:21 + 2 * t + offset] = 230
    return video


CLIPS = [clip(0), clip(3), clip(6)]
TRACK = {"label": "car", "keyframes": [{"frame": 0, "x": 5, "y": 20, "w": 16, "h": 16},
                                       {"frame": 19, "x": 43, "y": 20, "w": 16, "h": 16}]}


def test_tracks_are_committed_and_the_model_proposes_on_the_next_clip(tmp_path: Path):
    session = label(CLIPS, task="tracks", labels=["car"], store=tmp_path / "t.db", ids=IDS)
    try:
        assert isinstance(session.widget, VideoAnnotator) and session.current == "c0"
        assert session.widget.num_frames == 20
        session.submit([TRACK])
        with Store(tmp_path / "t.db") as store:  # committed before the next clip
            (stored,) = store.get("c0")
        assert stored["label"] == "car" and len(stored["keyframes"]) == 2
        assert box_at(stored, 15)["x"] == pytest.approx(35.0)
        assert session.current == "c1"
        assert session.wait_for_model()
        (proposal,) = session.suggestions  # the model follows the square on the next clip
        assert proposal["source"] == "model" and 0.0 <= proposal["score"] <= 1.0
        first = proposal["keyframes"][0]
        assert first["frame"] == 0 and abs(first["x"] - 8) <= 4 and abs(first["y"] - 20) <= 4
        session.accept()
        session.submit()
        labels = session.labels
        assert labels["item_id"].tolist() == ["c0", "c1"]
        assert labels["origin"].tolist() == ["human", "accepted"]
    finally:
        session.close()
    again = label(CLIPS, task="tracks", labels=["car"], store=tmp_path / "t.db", ids=IDS)
    try:
        assert again.counts["human"] == 2 and again.current == "c2"
    finally:
        again.close()


def test_bad_tracks_and_items_are_named(tmp_path: Path):
    session = label(CLIPS, task="tracks", labels=["car"], store=tmp_path / "t.db")
    try:
        with pytest.raises(ValueError, match="label: expected one of"):
            session.submit([{**TRACK, "label": "bus"}])
        with pytest.raises(ValueError, match="keyframes"):
            session.submit([{"label": "car", "keyframes": []}])
    finally:
        session.close()
    with pytest.raises(TypeError, match="task='tracks' labels video items"):
        label(["just a text"], task="tracks", labels=["car"], store=tmp_path / "u.db")
