"""Keypoints on tracks: each keyframe may carry ``points``, one ``[x, y, visible]`` per
keypoint label (in the order of the widget's ``keypoint_labels``; ``visible`` is COCO's 0/1/2:
not placed, placed but hidden, visible). Between two keyframes a point placed on both moves
linearly, as the box does; otherwise it keeps its value from the earlier keyframe.

Examples
--------
>>> track = {"keyframes": [
...     {"frame": 0, "outside": False, "points": [[0, 0, 2], [5, 5, 0]]},
...     {"frame": 10, "outside": False, "points": [[10, 20, 2], [7, 7, 2]]}]}
>>> points_at(track, 5)
[[5.0, 10.0, 2], [5.0, 5.0, 0]]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["check_points", "points_at"]


def check_points(points: Any, count: int, where: str) -> list[list[float | int]]:
    """``points`` as ``count`` ``[x, y, visible]`` triples, or a ``ValueError``/``TypeError``.

    Examples
    --------
    >>> check_points([[1, 2, 2]], 1, "keyframe")
    [[1.0, 2.0, 2]]
    """
    if count == 0:
        raise ValueError(f"{where} points: the widget has no keypoint_labels, got {points!r}")
    if isinstance(points, (str, bytes)) or not isinstance(points, Sequence):
        raise TypeError(f"{where} points: expected a list of [x, y, visible], got {points!r}")
    if len(points) != count:
        raise ValueError(f"{where} points: expected {count} [x, y, visible] (one per keypoint "
                         f"label), got {len(points)}")
    out: list[list[float | int]] = []
    for i, point in enumerate(points):
        if isinstance(point, (str, bytes)) or not isinstance(point, Sequence) or len(point) != 3:
            raise TypeError(f"{where} points[{i}]: expected [x, y, visible], got {point!r}")
        x, y, visible = point
        for value in (x, y):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                    math.isfinite(value)):
                raise TypeError(f"{where} points[{i}]: x and y must be finite numbers, "
                                f"got {point!r}")
        if visible not in (0, 1, 2) or isinstance(visible, bool):
            raise ValueError(f"{where} points[{i}]: visible must be 0, 1 or 2, got {visible!r}")
        out.append([float(x), float(y), int(visible)])
    return out


def points_at(track: Mapping[str, Any], frame: int) -> list[list[float | int]] | None:
    """The track's keypoints on ``frame`` (interpolated), or None when it has none there."""
    keyframes = [k for k in track["keyframes"] if k.get("points")]
    prev = next_ = None
    for kf in keyframes:
        if kf["frame"] <= frame:
            prev = kf
        else:
            next_ = kf
            break
    if prev is None:
        return None
    if next_ is None or prev["frame"] == frame:
        return [[float(x), float(y), int(v)] for x, y, v in prev["points"]]
    t = (frame - prev["frame"]) / (next_["frame"] - prev["frame"])
    out: list[list[float | int]] = []
    for (x0, y0, v0), (x1, y1, v1) in zip(prev["points"], next_["points"], strict=True):
        if v0 and v1:
            out.append([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, int(v0)])
        else:
            out.append([float(x0), float(y0), int(v0)])
    return out
