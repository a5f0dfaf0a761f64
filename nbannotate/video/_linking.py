"""Per-frame boxes linked into tracks: what a detector proposes becomes tracks to correct.

A detector (any model with the structured ``predict`` protocol) gives boxes frame by frame
with no identity. :func:`link_detections` chains them greedily: frame after frame, each open
track takes the unclaimed box of its label that overlaps its last box most (IoU at least
``min_iou``, within ``max_gap`` frames); boxes left over start new tracks. Every linked box is a
keyframe (the detector saw it there); a track's ``score`` is the mean of its boxes' scores.

Examples
--------
>>> per_frame = {0: [{"x": 0, "y": 0, "w": 10, "h": 10, "label": "car", "score": 0.9}],
...              1: [{"x": 2, "y": 0, "w": 10, "h": 10, "label": "car", "score": 0.7}]}
>>> [t["keyframes"][-1]["x"] for t in link_detections(per_frame)]
[2.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..records import new_id

__all__ = ["iou", "link_detections"]


def iou(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Intersection over union of two ``x, y, w, h`` boxes.

    Examples
    --------
    >>> iou({"x": 0, "y": 0, "w": 2, "h": 2}, {"x": 1, "y": 0, "w": 2, "h": 2})
    0.3333333333333333
    """
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return float(inter / (a["w"] * a["h"] + b["w"] * b["h"] - inter))


def link_detections(per_frame: Mapping[int, Sequence[Mapping[str, Any]]], *,
                    min_iou: float = 0.3, max_gap: int = 1) -> list[dict[str, Any]]:
    """Chain per-frame boxes into tracks (``source="model"``, with a ``score``).

    Parameters
    ----------
    per_frame : mapping of int to list of dict
        Boxes ``{x, y, w, h, label, score?}`` by frame index.
    min_iou : float
        Least overlap with a track's last box to continue it.
    max_gap : int
        A track continues over at most this many frames (1: consecutive frames only).
    """
    open_tracks: list[dict[str, Any]] = []
    done: list[dict[str, Any]] = []
    for frame in sorted(per_frame):
        still = []
        for track in open_tracks:
            (still if frame - track["keyframes"][-1]["frame"] <= max_gap else done).append(track)
        open_tracks = still
        boxes = list(per_frame[frame])
        pairs = sorted(((iou(t["keyframes"][-1], b), ti, bi)
                        for ti, t in enumerate(open_tracks) for bi, b in enumerate(boxes)
                        if t["label"] == b.get("label")), reverse=True)
        used_t: set[int] = set()
        used_b: set[int] = set()
        for overlap, ti, bi in pairs:
            if overlap < min_iou or ti in used_t or bi in used_b:
                continue
            used_t.add(ti)
            used_b.add(bi)
            _append(open_tracks[ti], frame, boxes[bi])
        for bi, box in enumerate(boxes):
            if bi not in used_b:
                track = {"id": new_id(), "label": box.get("label"), "source": "model",
                         "keyframes": [], "_scores": []}
                _append(track, frame, box)
                open_tracks.append(track)
    out = []
    for track in done + open_tracks:
        scores = track.pop("_scores")
        if scores:
            track["score"] = float(sum(scores) / len(scores))
        out.append(track)
    return out


def _append(track: dict[str, Any], frame: int, box: Mapping[str, Any]) -> None:
    track["keyframes"].append({"frame": int(frame), **{k: float(box[k]) for k in "xywh"},
                               "outside": False, "occluded": False})
    if box.get("score") is not None:
        track["_scores"].append(float(box["score"]))
