"""The template tracker follows generated moving shapes; linking chains per-frame boxes."""

from __future__ import annotations

import numpy as np
import pytest

from nbannotate.video._linking import iou, link_detections
from nbannotate.video._tracker import ncc_map, track_box


def moving_square(frames: int = 20, size: tuple[int, int] = (120, 160), dtype: str = "uint8",
                  speed: tuple[float, float] = (4.0, 2.0)) -> np.ndarray:
    """A textured square moving over a noisy textured background."""
    rng = np.random.default_rng(1)
    background = rng.integers(0, 80, size=size).astype(np.float64)
    patch = rng.integers(120, 255, size=(20, 20)).astype(np.float64)
    out = np.empty((frames, *size), dtype=np.float64)
    for t in range(frames):
        frame = background + rng.normal(0, 3, size=size)
        x, y = int(10 + speed[0] * t), int(20 + speed[1] * t)
        frame[y:y + 20, x:x + 20] = patch
        out[t] = frame
    if dtype == "uint16":
        return (out * 200).astype(np.uint16)
    if dtype == "float32":
        return (out / 255.0 - 0.5).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_tracker_follows_a_moving_square_in_any_dtype(dtype: str) -> None:
    video = moving_square(dtype=dtype)
    found = track_box(lambda k: video[k], len(video), {"x": 10, "y": 20, "w": 20, "h": 20}, 0, 15)
    assert [b["frame"] for b in found] == list(range(1, 16))
    for b in found:
        t = b["frame"]
        assert abs(b["x"] - (10 + 4 * t)) <= 1 and abs(b["y"] - (20 + 2 * t)) <= 1
        assert 0.5 <= b["score"] <= 1.0
        assert (b["w"], b["h"]) == (20.0, 20.0)


def test_tracker_follows_rgb_frames_and_starts_mid_video() -> None:
    gray = moving_square()
    rgb = np.stack([gray, gray // 2, 255 - gray], axis=-1)
    start = 5
    found = track_box(lambda k: rgb[k], len(rgb), {"x": 30, "y": 30, "w": 20, "h": 20}, start, 3)
    assert [round(b["x"]) for b in found] == [34, 38, 42]


def test_tracker_stops_when_the_object_is_lost_or_at_the_end() -> None:
    video = moving_square(frames=6)
    video[3:] = np.random.default_rng(5).integers(0, 255, size=video[3:].shape)  # object gone
    found = track_box(lambda k: video[k], len(video), {"x": 10, "y": 20, "w": 20, "h": 20}, 0, 10)
    assert [b["frame"] for b in found] == [1, 2]
    short = track_box(lambda k: video[k], 3, {"x": 10, "y": 20, "w": 20, "h": 20}, 0, 10)
    assert [b["frame"] for b in short] == [1, 2]


def test_tracker_refuses_bad_arguments() -> None:
    video = moving_square(frames=3)
    with pytest.raises(ValueError, match="count must be an int >= 1, got 0"):
        track_box(lambda k: video[k], 3, {"x": 0, "y": 0, "w": 5, "h": 5}, 0, 0)
    with pytest.raises(ValueError, match="at least 2×2"):
        track_box(lambda k: video[k], 3, {"x": 0, "y": 0, "w": 1, "h": 5}, 0, 2)


def test_ncc_is_one_where_the_template_was_cut_and_flat_windows_score_zero() -> None:
    search = np.random.default_rng(0).random((30, 40))
    scores = ncc_map(search, search[7:15, 11:20])
    assert np.unravel_index(int(scores.argmax()), scores.shape) == (7, 11)
    assert scores.max() == pytest.approx(1.0)
    flat = ncc_map(np.ones((10, 10)), search[:3, :3])
    assert np.all(flat == 0)


def test_link_detections_chains_overlapping_boxes_by_label() -> None:
    per_frame = {
        0: [{"x": 0, "y": 0, "w": 10, "h": 10, "label": "car", "score": 0.9},
            {"x": 50, "y": 50, "w": 10, "h": 10, "label": "person", "score": 0.5}],
        1: [{"x": 1, "y": 0, "w": 10, "h": 10, "label": "car", "score": 0.7},
            {"x": 51, "y": 50, "w": 10, "h": 10, "label": "car", "score": 0.8}],
        2: [{"x": 2, "y": 0, "w": 10, "h": 10, "label": "car", "score": 0.8}],
        5: [{"x": 3, "y": 0, "w": 10, "h": 10, "label": "car", "score": 0.8}],
    }
    tracks = link_detections(per_frame)
    frames = sorted([k["frame"] for k in t["keyframes"]] for t in tracks)
    assert frames == [[0], [0, 1, 2], [1], [5]]  # labels are not mixed; a gap of 3 starts anew
    car = next(t for t in tracks if len(t["keyframes"]) == 3)
    assert car["source"] == "model" and car["score"] == pytest.approx(0.8)
    assert iou({"x": 0, "y": 0, "w": 10, "h": 10}, {"x": 20, "y": 0, "w": 5, "h": 5}) == 0.0
