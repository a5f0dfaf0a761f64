"""The record lists of the video annotator: tracks, temporal segments and tracker proposals.

* A **track** is :func:`nbannotate.records.tracks.validate_track`'s shape; here its label
  must be one of the widget's labels and its keyframes inside the video.
* A **segment** is a labelled interval of frames ``{id, label, source, start, end}``
  (``end`` exclusive, ``0 <= start < end <= num_frames``).
* A **proposal** is one box the tracker (or a model) suggests for one frame of one track:
  ``{id, track_id, frame, x, y, w, h, label, source, score}``; it becomes a keyframe of the
  track once the person accepts it.

Examples
--------
>>> validate_segment({"start": 120, "end": 340, "label": "walking"}, num_frames=400,
...                  labels=["walking"])["end"]
340
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..records import SOURCES, new_id
from ..records.tracks import validate_track
from ._points import check_points

__all__ = ["validate_proposal", "validate_segment", "validate_video_track"]

_SEGMENT_FIELDS = {"id", "label", "source", "score", "start", "end"}
_PROPOSAL_FIELDS = {"id", "track_id", "frame", "x", "y", "w", "h", "label", "source", "score"}


def _name(record: Mapping[str, Any], kind: str) -> str:
    rid = record.get("id")
    return f"{kind} {rid!r}" if rid is not None else kind


def _label(record: Mapping[str, Any], kind: str, labels: Sequence[str] | None) -> str:
    label = record.get("label")
    if not isinstance(label, str):
        raise TypeError(f"{_name(record, kind)} label: expected a string, got {label!r}")
    if labels and label not in labels:
        raise ValueError(f"{_name(record, kind)} label: expected one of {list(labels)}, "
                         f"got {label!r}")
    return label


def _frame_number(record: Mapping[str, Any], key: str, kind: str) -> int:
    value = record.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{_name(record, kind)} {key}: expected a frame index (int), "
                        f"got {value!r}")
    return value


def _source(record: Mapping[str, Any], kind: str, default: str) -> str:
    source = record.get("source", default)
    if source not in SOURCES:
        raise ValueError(f"{_name(record, kind)} source: expected one of {list(SOURCES)}, "
                         f"got {source!r}")
    return str(source)


def _score(record: Mapping[str, Any], kind: str) -> float | None:
    score = record.get("score")
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not (
            math.isfinite(score) and 0 <= score <= 1):
        raise ValueError(f"{_name(record, kind)} score: expected a number in [0, 1], "
                         f"got {score!r}")
    return float(score)


def validate_segment(record: Any, *, num_frames: int,
                     labels: Sequence[str] | None = None) -> dict[str, Any]:
    """A normalized copy of a temporal segment, or a ``ValueError``/``TypeError``.

    Examples
    --------
    >>> validate_segment({"start": 5, "end": 5, "label": "a"}, num_frames=10)
    Traceback (most recent call last):
    ...
    ValueError: segment: end must be greater than start (5), got 5
    """
    if not isinstance(record, Mapping):
        raise TypeError(f"segment: expected a dict, got {type(record).__name__}")
    unknown = set(record) - _SEGMENT_FIELDS
    if unknown:
        raise ValueError(f"{_name(record, 'segment')}: unknown field(s) {sorted(unknown)}; "
                         f"expected only {sorted(_SEGMENT_FIELDS)}")
    start = _frame_number(record, "start", "segment")
    end = _frame_number(record, "end", "segment")
    where = _name(record, "segment")
    if not 0 <= start < num_frames:
        raise ValueError(f"{where}: start must be a frame in [0, {num_frames}), got {start}")
    if end <= start:
        raise ValueError(f"{where}: end must be greater than start ({start}), got {end}")
    if end > num_frames:
        raise ValueError(f"{where}: end must be at most num_frames ({num_frames}), got {end}")
    rid = record.get("id") or new_id()
    if not isinstance(rid, str):
        raise TypeError(f"segment id: expected a string, got {rid!r}")
    out: dict[str, Any] = {"id": rid, "label": _label(record, "segment", labels),
                           "source": _source(record, "segment", "human"),
                           "start": start, "end": end}
    score = _score(record, "segment")
    if score is not None:
        out["score"] = score
    return out


def validate_video_track(record: Any, *, num_frames: int, labels: Sequence[str] | None = None,
                         keypoints: int = 0) -> dict[str, Any]:
    """A normalized track whose label is known and whose keyframes lie inside the video.

    Keyframes may carry ``points``: ``keypoints`` ``[x, y, visible]`` triples (one per keypoint
    label of the widget).

    Examples
    --------
    >>> validate_video_track({"label": "car", "keyframes": [{"frame": 12, "x": 0, "y": 0,
    ...     "w": 1, "h": 1}]}, num_frames=10, labels=["car"])
    Traceback (most recent call last):
    ...
    ValueError: track ... keyframe frame: expected a frame in [0, 10), got 12
    """
    track = validate_track(record)
    _label(track, "track", labels)
    raw = {kf.get("frame"): kf for kf in record["keyframes"] if isinstance(kf, Mapping)}
    for kf in track["keyframes"]:
        if kf["frame"] >= num_frames:
            raise ValueError(f"track {track['id']!r} keyframe frame: expected a frame in "
                             f"[0, {num_frames}), got {kf['frame']}")
        points = raw.get(kf["frame"], {}).get("points")
        if points is not None:
            kf["points"] = check_points(points, keypoints,
                                        f"track {track['id']!r} keyframe {kf['frame']}")
    score = _score(track, "track")
    if score is not None:
        track["score"] = score
    return track


def validate_proposal(record: Any, *, num_frames: int,
                      labels: Sequence[str] | None = None) -> dict[str, Any]:
    """A normalized proposal (``source`` defaults to ``"model"``).

    Examples
    --------
    >>> validate_proposal({"track_id": "t", "frame": 3, "x": 1, "y": 2, "w": 3, "h": 4,
    ...                    "label": "car", "score": 0.9}, num_frames=10)["source"]
    'model'
    """
    if not isinstance(record, Mapping):
        raise TypeError(f"proposal: expected a dict, got {type(record).__name__}")
    unknown = set(record) - _PROPOSAL_FIELDS
    if unknown:
        raise ValueError(f"{_name(record, 'proposal')}: unknown field(s) {sorted(unknown)}; "
                         f"expected only {sorted(_PROPOSAL_FIELDS)}")
    frame = _frame_number(record, "frame", "proposal")
    if not 0 <= frame < num_frames:
        raise ValueError(f"{_name(record, 'proposal')} frame: expected a frame in "
                         f"[0, {num_frames}), got {frame}")
    track_id = record.get("track_id")
    if not isinstance(track_id, str) or not track_id:
        raise TypeError(f"{_name(record, 'proposal')} track_id: expected a string, "
                        f"got {track_id!r}")
    out: dict[str, Any] = {"id": str(record.get("id") or new_id()), "track_id": track_id,
                           "frame": frame, "label": _label(record, "proposal", labels),
                           "source": _source(record, "proposal", "model")}
    for key in ("x", "y", "w", "h"):
        value = record.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
                value):
            raise TypeError(f"{_name(record, 'proposal')} {key}: expected a finite number, "
                            f"got {value!r}")
        out[key] = float(value)
    if out["w"] < 0 or out["h"] < 0:
        raise ValueError(f"{_name(record, 'proposal')}: expected w, h >= 0, got "
                         f"{out['w']}, {out['h']}")
    score = _score(record, "proposal")
    if score is not None:
        out["score"] = score
    return out
