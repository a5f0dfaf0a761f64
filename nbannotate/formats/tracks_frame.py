"""Video tracks as a pandas DataFrame and back.

``tracks_frame(tracks, interpolate=True)`` gives one row per frame on which each track is
present (the interpolated boxes between keyframes, ``keyframe`` telling the drawn ones)
plus a row per ``outside`` keyframe; ``interpolate=False`` gives one row per keyframe.
Columns: ``track_id``, ``label``, ``source``, ``score``, ``frame``, ``time`` (with ``fps``),
``x``, ``y``, ``w``, ``h``, ``occluded``, ``outside``, ``keyframe``.

``tracks_from_frame`` reads such a table back: from its keyframe rows when it has a
``keyframe`` column (exact), else every row is a box on its frame (the ``outside`` keyframes
and the keyframes to keep are worked out as for MOT files).

Examples
--------
>>> tracks = [{"id": "t", "label": "car", "keyframes": [
...     {"frame": 0, "x": 0, "y": 0, "w": 4, "h": 4},
...     {"frame": 2, "x": 8, "y": 0, "w": 4, "h": 4, "outside": True}]}]
>>> df = tracks_frame(tracks)
>>> df[["frame", "x", "outside", "keyframe"]].values.tolist()
[[0, 0.0, False, True], [1, 0.0, False, False], [2, 8.0, True, True]]
>>> [k["frame"] for k in tracks_from_frame(df)[0]["keyframes"]]
[0, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..records.tracks import validate_track
from ._tracks import check_tracks, dense_boxes, track_from_boxes

__all__ = ["TRACK_COLUMNS", "tracks_frame", "tracks_from_frame"]

TRACK_COLUMNS = ("track_id", "label", "source", "score", "frame", "time", "x", "y", "w", "h",
                 "occluded", "outside", "keyframe")


def tracks_frame(tracks: Sequence[Any], *, interpolate: bool = True,
                 num_frames: int | None = None, fps: float | None = None) -> pd.DataFrame:
    """One row per track and frame (``interpolate=True``) or per keyframe.

    Parameters
    ----------
    tracks : list of dict
        Tracks ``{id, label, source, keyframes}``.
    interpolate : bool
        A row for every frame a track is present on (and its ``outside`` keyframes), else
        the keyframes only.
    num_frames : int, optional
        The video's length: a track not ``outside`` after its last keyframe lasts to its
        end (with ``interpolate``); without it, it ends at that keyframe.
    fps : float, optional
        Adds the ``time`` column (``frame / fps`` seconds); else ``time`` is missing.

    Returns
    -------
    pandas.DataFrame
        The columns of ``TRACK_COLUMNS``, rows by track then frame.

    Examples
    --------
    >>> tracks_frame([], fps=25).columns.tolist()[:5]
    ['track_id', 'label', 'source', 'score', 'frame']
    """
    rows = []
    for track in check_tracks(tracks, "tracks", num_frames):
        base = {"track_id": track["id"], "label": track["label"], "source": track["source"],
                "score": track.get("score")}
        found = []
        if interpolate:
            found = [{**box, "outside": False} for box in dense_boxes(track, num_frames)]
            found += [{**kf, "keyframe": True} for kf in track["keyframes"] if kf["outside"]]
            found.sort(key=lambda row: row["frame"])
        else:
            found = [{**kf, "keyframe": True} for kf in track["keyframes"]]
        for row in found:
            rows.append({**base, "frame": row["frame"],
                         "time": row["frame"] / fps if fps else None,
                         **{key: float(row[key]) for key in ("x", "y", "w", "h")},
                         "occluded": bool(row["occluded"]), "outside": bool(row["outside"]),
                         "keyframe": bool(row["keyframe"])})
    frame = pd.DataFrame(rows, columns=list(TRACK_COLUMNS))
    return frame.astype({"frame": "int64", "x": "float64", "y": "float64", "w": "float64",
                         "h": "float64", "occluded": "bool", "outside": "bool",
                         "keyframe": "bool", "time": "float64", "score": "float64"})


def _value(row: Any, key: str, default: Any = None) -> Any:
    value = row.get(key, default)
    try:
        return default if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def tracks_from_frame(frame: pd.DataFrame, *, num_frames: int | None = None,
                      simplify: bool = True) -> list[dict[str, Any]]:
    """Tracks from a table with (at least) ``track_id``, ``frame``, ``x``, ``y``, ``w``, ``h``.

    Parameters
    ----------
    frame : pandas.DataFrame
        As :func:`tracks_frame` makes it, or any table of per-frame boxes; ``label``,
        ``source``, ``score``, ``occluded``, ``outside`` and ``keyframe`` are optional.
    num_frames : int, optional
        For tables of per-frame boxes: a track whose boxes reach the last frame gets no
        ``outside`` keyframe at the end.
    simplify : bool
        For tables of per-frame boxes: drop the boxes the interpolation gives back.

    Returns
    -------
    list of dict
        Tracks in order of first appearance of their ``track_id``.

    Examples
    --------
    >>> table = pd.DataFrame({"track_id": [1, 1, 1], "frame": [0, 1, 2], "x": [0, 1, 2],
    ...                       "y": 0, "w": 5, "h": 5, "label": "ant"})
    >>> [(k["frame"], k["outside"]) for k in tracks_from_frame(table)[0]["keyframes"]]
    [(0, False), (2, False), (3, True)]
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    required = ["track_id", "frame", "x", "y", "w", "h"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"frame: missing column(s) {missing}; expected at least {required}")
    marked = "keyframe" in frame.columns
    groups: dict[str, list[dict[str, Any]]] = {}
    for index, row in enumerate(frame.to_dict("records")):
        tid = row["track_id"]
        if _value(row, "track_id") is None:
            raise ValueError(f"frame row {index}: 'track_id' is missing")
        groups.setdefault(str(tid), []).append(row)
    tracks = []
    for tid, rows in groups.items():
        first = rows[0]
        extra = {}
        if _value(first, "score") is not None:
            extra["score"] = float(first["score"])
        label = _value(first, "label")
        source = _value(first, "source", "human")
        boxes = [{"frame": int(r["frame"]), **{k: float(r[k]) for k in ("x", "y", "w", "h")},
                  "occluded": bool(_value(r, "occluded", False)),
                  "outside": bool(_value(r, "outside", False))} for r in rows
                 if not marked or bool(_value(r, "keyframe", False))]
        try:
            if marked:
                tracks.append(validate_track({**extra, "id": tid, "label": label,
                                              "source": source, "keyframes": boxes}))
            else:
                present = [b for b in boxes if not b["outside"]]
                tracks.append(track_from_boxes(tid, label, present, num_frames=num_frames,
                                               simplify=simplify, source=source, extra=extra))
        except (TypeError, ValueError) as error:
            raise ValueError(f"frame, track {tid!r}: {error}") from None
    return tracks
