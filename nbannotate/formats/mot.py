"""MOT Challenge ground truth (``gt.txt``) to and from tracks.

One line per object per frame, comma-separated, as the MOT Challenge specifies it:
``frame, id, bb_left, bb_top, bb_width, bb_height, conf, class, visibility``, with

* ``frame`` 1-based (frame 0 of a track is written as 1), ``id`` a positive integer;
* the box in pixels of the frame, top-left corner, as the records hold it (written exactly);
* ``conf`` the "consider" flag of ground truth: 1 (0 marks an ignored region);
* ``class`` the 1-based position of the track's label in ``classes`` (default: the sorted
  labels), ``visibility`` 1.0 for a visible box and 0.0 for an ``occluded`` one.

Writing expands every track to one box per frame on which it is present (the interpolated
boxes between keyframes; after the last keyframe to ``num_frames - 1`` when given, else up
to that keyframe). Track ids that are positive integers (``"3"``) are kept; otherwise
tracks are numbered 1, 2, ... in order.

Reading groups the lines by ``id``, puts an ``outside`` keyframe after each run of frames,
and keeps only the keyframes the linear interpolation cannot give (``simplify=True``), so a
round trip gives back the drawn keyframes. A box is ``occluded`` when its visibility is
below ``occlusion_threshold``. Lines with ``conf`` 0 (ignored regions) are skipped unless
``ignored=True``. Files of 6, 7 or 10 columns (detections, tracker results) are read too;
without a class column the label is ``None``.

Examples
--------
>>> tracks = [{"id": "7", "label": "person", "keyframes": [
...     {"frame": 0, "x": 10, "y": 20, "w": 30, "h": 60},
...     {"frame": 2, "x": 14, "y": 20, "w": 30, "h": 60, "outside": True}]}]
>>> print(to_mot(tracks), end="")
1,7,10,20,30,60,1,1,1
2,7,10,20,30,60,1,1,1
>>> back = from_mot(to_mot(tracks), classes=["person"])[0]
>>> back["id"], back["label"], [(k["frame"], k["outside"]) for k in back["keyframes"]]
('7', 'person', [(0, False), (2, True)])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ._common import format_number
from ._tracks import check_tracks, dense_boxes, track_from_boxes

__all__ = ["from_mot", "to_mot"]


def _classes(tracks: list[dict[str, Any]], classes: Sequence[str] | None) -> dict[Any, int]:
    if classes is None:
        names = sorted({t["label"] for t in tracks if t["label"] is not None}, key=str)
        if any(t["label"] is None for t in tracks):
            raise ValueError("MOT: every track needs a label (its class), got a track "
                             "without one")
        return {name: i + 1 for i, name in enumerate(names)}
    if isinstance(classes, str) or not isinstance(classes, Sequence):
        raise TypeError(f"classes must be a list of labels, got {classes!r}")
    mapping = {name: i + 1 for i, name in enumerate(classes)}
    for t in tracks:
        if t["label"] not in mapping:
            raise ValueError(f"MOT: track {t['id']!r} has the label {t['label']!r}, which is "
                             f"not in classes {list(classes)!r}")
    return mapping


def _ids(tracks: list[dict[str, Any]]) -> list[int]:
    numbers = []
    for t in tracks:
        tid = t["id"]
        if not (tid.isdigit() and int(tid) > 0):
            return list(range(1, len(tracks) + 1))
        numbers.append(int(tid))
    return numbers


def to_mot(tracks: Sequence[Mapping[str, Any]], *, classes: Sequence[str] | None = None,
           num_frames: int | None = None) -> str:
    """Write tracks as the lines of a MOT Challenge ``gt.txt``.

    Parameters
    ----------
    tracks : list of dict
        Tracks ``{id, label, keyframes}`` (0-based frames, pixels).
    classes : list of str, optional
        The labels in class order (class 1 first); default: the tracks' labels, sorted.
    num_frames : int, optional
        The video's length: tracks not ``outside`` after their last keyframe last to its
        end. Without it they end at that keyframe.

    Returns
    -------
    str
        The file's text, lines ordered by frame then id, ending with a newline.

    Examples
    --------
    >>> to_mot([{"id": "a", "label": "car", "keyframes": [
    ...     {"frame": 0, "x": 0, "y": 0, "w": 4, "h": 2, "occluded": True}]}], num_frames=2)
    '1,1,0,0,4,2,1,1,0\\n2,1,0,0,4,2,1,1,0\\n'
    """
    checked = check_tracks(tracks, "tracks", num_frames)
    mapping = _classes(checked, classes)
    rows = []
    for track, number in zip(checked, _ids(checked), strict=True):
        category = mapping[track["label"]]
        for box in dense_boxes(track, num_frames):
            rows.append((box["frame"] + 1, number, box["x"], box["y"], box["w"], box["h"], 1,
                         category, 0.0 if box["occluded"] else 1.0))
    rows.sort(key=lambda row: (row[0], row[1]))
    return "".join(",".join(format_number(v) for v in row) + "\n" for row in rows)


def _field(value: str, line: int, name: str, integer: bool = False) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"MOT line {line}: field {name!r} must be a number, got "
                         f"{value.strip()!r}") from None
    if not math.isfinite(number) or (integer and not number.is_integer()):
        what = "an integer" if integer else "a finite number"
        raise ValueError(f"MOT line {line}: field {name!r} must be {what}, got "
                         f"{value.strip()!r}")
    return number


def from_mot(text: str | bytes, *, classes: Sequence[str] | None = None,
             num_frames: int | None = None, simplify: bool = True,
             occlusion_threshold: float = 0.5, ignored: bool = False) -> list[dict[str, Any]]:
    """Read a MOT Challenge ``gt.txt`` (or detections / results) into tracks.

    Parameters
    ----------
    text : str or bytes
        The file's content.
    classes : list of str, optional
        Labels by class number (class 1 is ``classes[0]``); default: the number as text.
    num_frames : int, optional
        The video's length: a track whose boxes reach its last frame gets no ``outside``
        keyframe at the end.
    simplify : bool
        Keep only the keyframes the interpolation cannot give (else one per line).
    occlusion_threshold : float
        A box whose visibility is below this is ``occluded``.
    ignored : bool
        Also read lines with ``conf`` 0 (ignored regions in ground truth).

    Returns
    -------
    list of dict
        Tracks ordered by id, ids as text (``"7"``), source ``"human"``.

    Examples
    --------
    >>> lines = "1,1,0,0,10,10,1,2,1\\n2,1,2,0,10,10,1,2,0.2\\n"
    >>> track = from_mot(lines, classes=["person", "car"])[0]
    >>> track["label"], [(k["frame"], k["occluded"]) for k in track["keyframes"]]
    ('car', [(0, False), (1, True), (2, False)])
    >>> from_mot("1,1,0,0,10\\n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: MOT line 1: expected 6 to 10 comma-separated fields (frame, id, ...), got 5
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not isinstance(text, str):
        raise TypeError(f"text must be the file's content (str or bytes), got "
                        f"{type(text).__name__}")
    by_id: dict[int, list[dict[str, Any]]] = {}
    labels: dict[int, Any] = {}
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.replace(" ", "").split(",") if "," in line else line.split()
        if not 6 <= len(parts) <= 10:
            raise ValueError(f"MOT line {line_number}: expected 6 to 10 comma-separated fields "
                             "(frame, id, bb_left, bb_top, bb_width, bb_height, ...), got "
                             f"{len(parts)}")
        frame = int(_field(parts[0], line_number, "frame", integer=True))
        tid = int(_field(parts[1], line_number, "id", integer=True))
        if frame < 1:
            raise ValueError(f"MOT line {line_number}: field 'frame' is 1-based, got {frame}")
        x, y, w, h = (_field(parts[i], line_number, name)
                      for i, name in enumerate(("bb_left", "bb_top", "bb_width", "bb_height"),
                                               2))
        if w < 0 or h < 0:
            raise ValueError(f"MOT line {line_number}: bb_width and bb_height must be >= 0, "
                             f"got {w}, {h}")
        conf = _field(parts[6], line_number, "conf") if len(parts) > 6 else 1.0
        if conf == 0 and not ignored:
            continue
        gt = len(parts) in (8, 9)  # ground truth: class (and visibility); 10 = results
        category = int(_field(parts[7], line_number, "class", integer=True)) if gt else None
        visibility = _field(parts[8], line_number, "visibility") if len(parts) == 9 else 1.0
        label: Any = None
        if category is not None:
            if classes is None:
                label = str(category)
            elif 1 <= category <= len(classes):
                label = classes[category - 1]
            else:
                raise ValueError(f"MOT line {line_number}: class {category} is not in classes "
                                 f"(1..{len(classes)})")
        if tid in labels and labels[tid] != label:
            raise ValueError(f"MOT line {line_number}: track {tid} changes its class from "
                             f"{labels[tid]!r} to {label!r}")
        labels[tid] = label
        by_id.setdefault(tid, []).append({"frame": frame - 1, "x": x, "y": y, "w": w, "h": h,
                                          "occluded": visibility < occlusion_threshold})
    tracks = []
    for tid in sorted(by_id):
        try:
            tracks.append(track_from_boxes(str(tid), labels[tid], by_id[tid],
                                           num_frames=num_frames, simplify=simplify))
        except ValueError as error:
            raise ValueError(f"MOT: {error}") from None
    return tracks
