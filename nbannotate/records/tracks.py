"""Video tracks: keyframed boxes across frames, interpolated linearly between keyframes.

A track is ``{id, label, source, keyframes: [{frame, x, y, w, h, outside, occluded}]}`` in
original-frame pixels. The geometry between two keyframes is interpolated, never stored.
``outside`` on a keyframe means the object is absent from that keyframe until the next one.

Examples
--------
>>> t = validate_track({"id": "t1", "label": "car", "keyframes": [
...     {"frame": 0, "x": 0, "y": 0, "w": 10, "h": 10},
...     {"frame": 10, "x": 100, "y": 0, "w": 10, "h": 10}]})
>>> boxes_at([t], 5)[0]["x"]
50.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ._base import SOURCES, new_id, provenance

_GEOMETRY = ("x", "y", "w", "h")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{where}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{where}: expected a finite number, got {value!r}")
    return float(value)


def validate_track(track: Mapping[str, Any]) -> dict[str, Any]:
    """Return a normalized copy of ``track``, keyframes sorted by frame.

    Raises ``TypeError``/``ValueError`` naming the field, the value and what was expected.

    Examples
    --------
    >>> validate_track({"label": "a", "keyframes": [{"frame": 3, "x": 1, "y": 2, "w": 3,
    ...                 "h": 4}]})["keyframes"][0]["outside"]
    False
    """
    if not isinstance(track, Mapping):
        raise TypeError(f"track: expected a mapping, got {track!r}")
    tid = str(track.get("id") or new_id())
    source = track.get("source", "human")
    if source not in SOURCES:
        raise ValueError(f"track {tid!r} source: expected one of {sorted(SOURCES)}, got {source!r}")
    raw = track.get("keyframes")
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ValueError(f"track {tid!r} keyframes: expected a non-empty list, got {raw!r}")
    keyframes: dict[int, dict[str, Any]] = {}
    for i, kf in enumerate(raw):
        where = f"track {tid!r} keyframes[{i}]"
        if not isinstance(kf, Mapping):
            raise TypeError(f"{where}: expected a mapping, got {kf!r}")
        frame = kf.get("frame")
        if isinstance(frame, bool) or not isinstance(frame, int) or frame < 0:
            raise ValueError(f"{where} frame: expected an int >= 0, got {frame!r}")
        out = {"frame": frame}
        for key in _GEOMETRY:
            out[key] = _number(kf.get(key), f"{where} {key}")
        if out["w"] < 0 or out["h"] < 0:
            raise ValueError(f"{where}: expected w, h >= 0, got {out['w']!r}, {out['h']!r}")
        out["outside"] = bool(kf.get("outside", False))
        out["occluded"] = bool(kf.get("occluded", False))
        keyframes[frame] = out
    result = {k: v for k, v in track.items() if k != "keyframes"}
    result.update(id=tid, label=track.get("label"), source=source,
                  keyframes=[keyframes[f] for f in sorted(keyframes)])
    result.update(provenance(track))  # a reviewer's gold track: who decided, from which
    return result


def box_at(track: Mapping[str, Any], frame: int) -> dict[str, Any] | None:
    """The track's box at ``frame`` (interpolated), or ``None`` when absent there.

    Examples
    --------
    >>> box_at({"id": "a", "label": "x", "keyframes": [
    ...     {"frame": 0, "x": 0, "y": 0, "w": 2, "h": 2, "outside": True}]}, 4) is None
    True
    """
    kfs = track["keyframes"]
    prev = None
    nxt = None
    for kf in kfs:
        if kf["frame"] <= frame:
            prev = kf
        else:
            nxt = kf
            break
    if prev is None or prev.get("outside", False):
        return None
    box = {key: float(prev[key]) for key in _GEOMETRY}
    keyframe = prev["frame"] == frame
    if nxt is not None and not keyframe and not nxt.get("outside", False):
        t = (frame - prev["frame"]) / (nxt["frame"] - prev["frame"])
        box = {key: prev[key] + (nxt[key] - prev[key]) * t for key in _GEOMETRY}
    return {"track_id": track["id"], "label": track.get("label"), "frame": frame, **box,
            "occluded": bool(prev.get("occluded", False)), "keyframe": keyframe}


def boxes_at(tracks: Iterable[Mapping[str, Any]], frame: int) -> list[dict[str, Any]]:
    """The boxes of every track present at ``frame``, each with its ``track_id``."""
    return [b for b in (box_at(t, frame) for t in tracks) if b is not None]
