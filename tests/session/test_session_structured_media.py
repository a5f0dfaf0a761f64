"""Structured sessions on audio (regions, FrameTagger) and images (boxes, WindowDetector;
keypoints, KeypointLocator): the annotator, the record kinds in the store, suggestions after
a refit, their origins, and the annotator options that pass through."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from nbannotate import AudioAnnotator, ImageAnnotator, Store, label
from nbannotate.models._synthetic import make_keypoint_images, make_shape_scenes, make_tone_clips


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def iou(a, b):
    x0, y0 = max(a["x"], b["x"]), max(a["y"], b["y"])
    x1 = min(a["x"] + a["w"], b["x"] + b["w"])
    y1 = min(a["y"] + a["h"], b["y"] + b["h"])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return inter / (a["w"] * a["h"] + b["w"] * b["h"] - inter)


def overlap(a, b):
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def test_regions_session_on_clips_and_wav_files(tmp_path):
    clips, truth = make_tone_clips(7, duration=4.0, sample_rate=8000, events=(2, 3), seed=2,
                                   snr_db=6.0)
    path = tmp_path / "clip6.wav"
    path.write_bytes(wav_bytes(*clips[6]))
    items = [*clips[:6], str(path)]  # (samples, rate) pairs and a WAV path
    session = label(items, task="regions", labels=["beep", "chirp"], store=tmp_path / "a.db",
                    annotator_options={"spectrogram": True})
    assert isinstance(session.annotator, AudioAnnotator) and session.annotator.spectrogram
    for _ in range(3):
        session.submit([dict(r) for r in truth[session.current]])
    assert session.wait_for_model(60)
    pos = session.current
    suggestions = session.suggestions
    assert suggestions, "FrameTagger should find events after three clips"
    match = {s["id"]: t for s in suggestions for t in truth[pos]
             if overlap(s, t) > 0 and s["label"] == t["label"]}
    assert match, (suggestions, truth[pos])
    session.accept(list(match))
    assert {r["id"] for r in session.records} == set(match)
    assert all(r["source"] == "human" and "score" not in r for r in session.records)
    # The person drags the edges to the true times: accepted, then edited.
    session.submit([{**r, "start": match[r["id"]]["start"], "end": match[r["id"]]["end"]}
                    for r in session.records])
    table = session.labels
    mine = table[table["item_id"] == pos]
    assert set(mine["kind"]) == {"region"} and set(mine["origin"]) == {"accepted"}
    moved = [abs(s["start"] - match[s["id"]]["start"]) > 1e-6
             or abs(s["end"] - match[s["id"]]["end"]) > 1e-6 for s in suggestions
             if s["id"] in match]
    assert mine.set_index("id").loc[list(match), "edited"].tolist() == moved
    assert list(table.columns[-2:]) == ["start", "end"]
    with Store(tmp_path / "a.db") as store:
        assert all(r["end"] <= 4.0 for r in store.get(pos))
    while not session.finished:  # the WAV path item is shown and saved like the others
        session.submit([])
    assert session.counts["human"] == 7
    session.close()


def test_boxes_session_with_the_window_detector(tmp_path):
    images, truth = make_shape_scenes(8, seed=4, size=(120, 160), sizes=(18, 30),
                                      objects=(2, 3))
    session = label(images, task="boxes", labels=["square", "disc"], store=tmp_path / "b.db",
                    annotator_options={"keypoint_labels": ["corner"]})
    widget = session.annotator
    assert isinstance(widget, ImageAnnotator) and widget.tool == "box"
    assert widget.keypoint_labels == ["corner"]
    for _ in range(3):
        session.submit([dict(b) for b in truth[session.current]])
    assert session.wait_for_model(120)
    pos = session.current
    good = [s["id"] for s in session.suggestions
            if any(iou(s, t) > 0.5 and s["label"] == t["label"] for t in truth[pos])]
    assert good, "WindowDetector should find shapes after three images"
    session.accept(good)
    session.reject()
    session.submit()
    table = session.labels
    mine = table[table["item_id"] == pos]
    assert set(mine["kind"]) == {"box"} and set(mine["origin"]) == {"accepted"}
    assert list(table.columns[-4:]) == ["x", "y", "w", "h"]
    assert (table["w"] > 0).all()
    session.close()


def test_keypoints_session_with_the_keypoint_locator(tmp_path):
    images, truth = make_keypoint_images(6, seed=5)
    session = label(images, task="keypoints", labels=["cross", "ring"],
                    store=tmp_path / "k.db",
                    annotator_options={"skeleton": [("cross", "ring")]})
    widget = session.annotator
    assert widget.tool == "keypoint" and widget.keypoint_labels == ["cross", "ring"]
    assert widget.labels == ["object"] and widget.skeleton == [["cross", "ring"]]
    for _ in range(3):
        session.submit([dict(k) for k in truth[session.current]])
    assert session.wait_for_model(60)
    pos = session.current
    suggestions = session.suggestions
    assert sorted(s["label"] for s in suggestions) == ["cross", "ring"]
    close = [s["id"] for s in suggestions
             if any(t["label"] == s["label"] and abs(t["x"] - s["x"]) <= 2
                    and abs(t["y"] - s["y"]) <= 2 for t in truth[pos])]
    assert close
    session.accept(close)
    session.submit()
    table = session.labels
    mine = table[table["item_id"] == pos]
    assert set(mine["kind"]) == {"keypoint"} and set(mine["origin"]) == {"accepted"}
    assert list(table.columns[-4:]) == ["x", "y", "visible", "box_id"]
    with pytest.raises(TypeError, match="annotator_options may not set \\['keypoint_labels'\\]"):
        label(images, task="keypoints", labels=["cross"], store=tmp_path / "x.db",
              annotator_options={"keypoint_labels": ["a"]})
    session.close()
