"""Shared pieces of the video converters: the video item, per-frame boxes, keyframes back.

A video item is ``{"video": str, "width": int, "height": int, "num_frames": int, "fps":
float, "tracks": [...]}``, tracks as :func:`nbannotate.records.tracks.validate_track` makes
them, in original-frame pixels and 0-based frames.

Formats that store one box per frame (MOT, COCO video, a per-frame table) are written from
:func:`dense_boxes` (the interpolation of :func:`nbannotate.records.tracks.box_at`) and read
back by :func:`track_from_boxes`, which puts an ``outside`` keyframe where the boxes stop and
keeps only the keyframes the interpolation cannot give (:func:`simplify_keyframes`), so a
round trip returns the keyframes that were drawn.

Examples
--------
>>> track = {"id": "t", "label": "car", "source": "human", "keyframes": [
...     {"frame": 0, "x": 0.0, "y": 0.0, "w": 4.0, "h": 4.0, "outside": False,
...      "occluded": False},
...     {"frame": 4, "x": 8.0, "y": 0.0, "w": 4.0, "h": 4.0, "outside": True,
...      "occluded": False}]}
>>> [b["x"] for b in dense_boxes(track)]
[0.0, 0.0, 0.0, 0.0]
>>> boxes = [{"frame": f, "x": 2.0 * f, "y": 0.0, "w": 4.0, "h": 4.0} for f in range(5)]
>>> [(k["frame"], k["x"], k["outside"]) for k in track_from_boxes("t", "car", boxes)["keyframes"]]
[(0, 0.0, False), (4, 8.0, False), (5, 8.0, True)]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypedDict

from ..records.tracks import validate_track
from ._common import check_list

__all__ = ["GEOMETRY", "VideoItem", "check_tracks", "check_video_item", "dense_boxes",
           "simplify_keyframes", "track_from_boxes"]

GEOMETRY = ("x", "y", "w", "h")
#: Two coordinates closer than this (pixels, relative above 1) are the same.
TOLERANCE = 1e-6


class _VideoBase(TypedDict):
    video: str
    width: int
    height: int
    num_frames: int
    tracks: list[dict[str, Any]]


class VideoItem(_VideoBase, total=False):
    """A video (or image stack) with its tracks, in original-frame pixels, 0-based frames;
    ``fps`` is optional (formats that count time in seconds need it)."""

    fps: float


def _positive(value: Any, field: str, where: str, kind: type) -> Any:
    if kind is int and isinstance(value, float) and value.is_integer():
        value = int(value)
    ok = (not isinstance(value, bool) and isinstance(value, (int, float) if kind is float
                                                         else int)
          and math.isfinite(value) and value > 0)
    if not ok:
        what = "a positive integer" if kind is int else "a positive number"
        raise ValueError(f"{where}: field {field!r} must be {what}, got {value!r}")
    return kind(value)


def check_tracks(tracks: Any, name: str = "tracks",
                 num_frames: int | None = None) -> list[dict[str, Any]]:
    """Validate a list of tracks (normalized copies), ids unique, frames in range.

    Examples
    --------
    >>> check_tracks([{"id": "a", "label": "x", "keyframes": [
    ...     {"frame": 9, "x": 0, "y": 0, "w": 1, "h": 1}]}], num_frames=5)
    Traceback (most recent call last):
    ...
    ValueError: tracks[0] (id='a'): keyframe at frame 9 is past the video's 5 frames
    """
    out = []
    seen: set[str] = set()
    for index, raw in enumerate(check_list(tracks, name)):
        try:
            track = validate_track(raw)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}[{index}]: {error}") from None
        where = f"{name}[{index}] (id={track['id']!r})"
        if track["id"] in seen:
            raise ValueError(f"{where}: the id repeats an earlier track's")
        seen.add(track["id"])
        last = track["keyframes"][-1]["frame"]
        if num_frames is not None and last >= num_frames:
            raise ValueError(f"{where}: keyframe at frame {last} is past the video's "
                             f"{num_frames} frames")
        out.append(track)
    return out


def check_video_item(item: Any, index: int | None = None) -> VideoItem:
    """Validate a video item and return a normalized copy.

    Examples
    --------
    >>> check_video_item({"video": "a.mp4", "width": 64, "height": 48, "num_frames": 10,
    ...                   "fps": 25})["fps"]
    25.0
    """
    place = "video item" if index is None else f"video item {index}"
    if not isinstance(item, Mapping):
        raise TypeError(f"{place} must be a dict, got {type(item).__name__}")
    known = {"video", "width", "height", "num_frames", "fps", "tracks"}
    unknown = set(item) - known
    if unknown:
        raise ValueError(f"{place}: unknown key(s) {sorted(unknown)}; expected {sorted(known)}")
    video = item.get("video")
    if not isinstance(video, str) or not video:
        raise ValueError(f"{place}: field 'video' must be a non-empty string (a file name or "
                         f"path), got {video!r}")
    where = f"{place} ({video!r})"
    width = _positive(item.get("width"), "width", where, int)
    height = _positive(item.get("height"), "height", where, int)
    num_frames = _positive(item.get("num_frames"), "num_frames", where, int)
    tracks = check_tracks(item.get("tracks"), f"{where} tracks", num_frames)
    out: dict[str, Any] = {"video": video, "width": width, "height": height,
                           "num_frames": num_frames, "tracks": tracks}
    if item.get("fps") is not None:
        out["fps"] = _positive(item.get("fps"), "fps", where, float)
    return out  # type: ignore[return-value]


def _box(prev: Mapping[str, Any], nxt: Mapping[str, Any] | None, frame: int) -> list[float]:
    """The geometry at ``frame`` between two keyframes, as ``box_at`` interpolates it."""
    if nxt is None or nxt["outside"] or frame == prev["frame"]:
        return [float(prev[key]) for key in GEOMETRY]
    t = (frame - prev["frame"]) / (nxt["frame"] - prev["frame"])
    return [prev[key] + (nxt[key] - prev[key]) * t for key in GEOMETRY]


def dense_boxes(track: Mapping[str, Any], num_frames: int | None = None
                ) -> Iterator[dict[str, Any]]:
    """The track's box on every frame it is present, in frame order.

    After its last keyframe a track that is not ``outside`` there lasts to the video's end:
    to frame ``num_frames - 1`` when given, else it ends at that keyframe. Each box has
    ``frame``, ``x``, ``y``, ``w``, ``h``, ``occluded`` and ``keyframe`` (a drawn frame).

    Examples
    --------
    >>> track = {"keyframes": [{"frame": 2, "x": 0, "y": 0, "w": 2, "h": 2,
    ...                         "outside": False, "occluded": True}]}
    >>> [(b["frame"], b["occluded"]) for b in dense_boxes(track, num_frames=4)]
    [(2, True), (3, True)]
    """
    kfs = track["keyframes"]
    for i, prev in enumerate(kfs):
        if prev["outside"]:
            continue
        nxt = kfs[i + 1] if i + 1 < len(kfs) else None
        if nxt is not None:
            stop = nxt["frame"]
        else:
            stop = max(num_frames, prev["frame"] + 1) if num_frames else prev["frame"] + 1
        for frame in range(prev["frame"], stop):
            x, y, w, h = _box(prev, nxt, frame)
            yield {"frame": frame, "x": x, "y": y, "w": w, "h": h,
                   "occluded": bool(prev["occluded"]), "keyframe": frame == prev["frame"]}


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def _removable(prev: Mapping[str, Any], first: Mapping[str, Any] | None,
               cur: Mapping[str, Any], nxt: Mapping[str, Any], tolerance: float) -> bool:
    """Whether ``cur`` (and ``first``, the first keyframe dropped since ``prev``) come out of
    interpolating ``prev`` to ``nxt``."""
    if prev["outside"]:
        return bool(cur["outside"])  # absent stays absent
    if cur["outside"] or bool(cur["occluded"]) != bool(prev["occluded"]):
        return False
    start = first or cur  # the dropped keyframes lie on the line from prev through start
    span = start["frame"] - prev["frame"]
    speed = [(start[key] - prev[key]) / span for key in GEOMETRY]

    def on_line(kf: Mapping[str, Any]) -> bool:
        return all(_close(prev[key] + v * (kf["frame"] - prev["frame"]), kf[key], tolerance)
                   for key, v in zip(GEOMETRY, speed, strict=True))

    if nxt["outside"]:  # prev's box holds until nxt: no motion allowed
        return all(_close(v, 0.0, tolerance) for v in speed) and on_line(cur)
    return on_line(cur) and on_line(nxt)


def simplify_keyframes(keyframes: Sequence[Mapping[str, Any]], *,
                       tolerance: float = TOLERANCE) -> list[dict[str, Any]]:
    """Drop the keyframes that interpolating their neighbours gives back (within
    ``tolerance`` pixels), and repeated ``outside`` ones. The track's boxes do not change.

    Examples
    --------
    >>> kfs = [{"frame": f, "x": 3.0 * f, "y": 1.0, "w": 2.0, "h": 2.0, "outside": False,
    ...         "occluded": False} for f in range(6)]
    >>> [k["frame"] for k in simplify_keyframes(kfs)]
    [0, 5]
    """
    kfs = [dict(k) for k in keyframes]
    if len(kfs) <= 2:
        return kfs
    out = [kfs[0]]
    first: dict[str, Any] | None = None
    for i in range(1, len(kfs) - 1):
        cur, nxt = kfs[i], kfs[i + 1]
        if _removable(out[-1], first, cur, nxt, tolerance):
            first = first or cur
            continue
        out.append(cur)
        first = None
    last = kfs[-1]
    # after the last keyframe its box holds: as if an outside keyframe came at the very end
    holds = {**last, "frame": last["frame"] + 1, "outside": True}
    if not _removable(out[-1], first, last, holds, tolerance):
        out.append(last)
    return out


def track_from_boxes(track_id: str, label: Any, boxes: Sequence[Mapping[str, Any]], *,
                     num_frames: int | None = None, simplify: bool = True,
                     source: str = "human", extra: Mapping[str, Any] | None = None
                     ) -> dict[str, Any]:
    """A track from its per-frame boxes (``frame``, ``x``, ``y``, ``w``, ``h``, optional
    ``occluded``): every box a keyframe, an ``outside`` keyframe after each run of frames
    (unless the run reaches frame ``num_frames - 1``), then :func:`simplify_keyframes`.

    Raises ``ValueError`` when two boxes are on one frame.

    Examples
    --------
    >>> boxes = [{"frame": f, "x": 0, "y": 0, "w": 1, "h": 1} for f in (0, 1, 5)]
    >>> kfs = track_from_boxes("t", "a", boxes, num_frames=6)["keyframes"]
    >>> [(k["frame"], k["outside"]) for k in kfs]
    [(0, False), (2, True), (5, False)]
    """
    ordered = sorted(boxes, key=lambda b: b["frame"])
    keyframes: list[dict[str, Any]] = []
    for i, box in enumerate(ordered):
        frame = int(box["frame"])
        if i and int(ordered[i - 1]["frame"]) == frame:
            raise ValueError(f"track {track_id!r} has two boxes on frame {frame}")
        keyframes.append({"frame": frame, **{key: float(box[key]) for key in GEOMETRY},
                          "outside": False, "occluded": bool(box.get("occluded", False))})
        following = int(ordered[i + 1]["frame"]) if i + 1 < len(ordered) else None
        ends = following is None and (num_frames is None or frame < num_frames - 1)
        if ends or (following is not None and following > frame + 1):
            keyframes.append({**keyframes[-1], "frame": frame + 1, "outside": True,
                              "occluded": False})
    if simplify:
        keyframes = simplify_keyframes(keyframes)
    track = {**(extra or {}), "id": track_id, "label": label, "source": source,
             "keyframes": keyframes}
    return validate_track(track)
