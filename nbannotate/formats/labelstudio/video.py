"""Label Studio video tasks: tracks as ``videorectangle`` results.

One task per video item: ``data`` holds the video (under ``data_key``) and, under
``nbannotate_*`` keys, its width, height, frame count and frame rate (Label Studio keeps no
pixel size for videos, and boxes are in percent of the frame). Each track is one
``videorectangle`` result whose ``value`` has ``framesCount``, ``duration`` (seconds),
``labels`` ``[label]`` and the ``sequence`` of keyframes ``{frame, time, x, y, width,
height, rotation, enabled}``:

* ``frame`` is 1-based (frame 0 of a track is Label Studio's frame 1) and ``time`` is
  ``frame / fps``, as Label Studio writes them;
* ``x``, ``y``, ``width``, ``height`` are percent of the frame's width and height;
* ``enabled: false`` on a keyframe ends the box after that frame (until the next keyframe).
  A track's ``outside`` keyframe at frame ``f`` becomes ``enabled: false`` on frame
  ``f - 1`` (a keyframe is added there when there was none);
* ``occluded`` has no place in Label Studio: it is kept as ``nbannotate_occluded: true`` on
  the keyframe.

Human tracks go to ``annotations``, model and auto tracks to ``predictions``. Reading back
drops the keyframes the interpolation gives again, so a round trip returns the drawn ones
(an ``outside`` keyframe's geometry, which nothing shows, becomes the box before it).

Examples
--------
>>> item = {"video": "v.mp4", "width": 200, "height": 100, "num_frames": 50, "fps": 25,
...         "tracks": [{"id": "t1", "label": "car", "keyframes": [
...             {"frame": 0, "x": 20, "y": 10, "w": 50, "h": 20},
...             {"frame": 10, "x": 40, "y": 10, "w": 50, "h": 20, "outside": True}]}]}
>>> value = to_labelstudio_video([item])[0]["annotations"][0]["result"][0]["value"]
>>> [(s["frame"], s["x"], s["enabled"], s["time"]) for s in value["sequence"]]
[(1, 10.0, True, 0.04), (10, 10.0, False, 0.4)]
>>> back = from_labelstudio_video(to_labelstudio_video([item]))[0]["tracks"][0]
>>> [(k["frame"], k["x"], k["outside"]) for k in back["keyframes"]]
[(0, 20.0, False), (10, 20.0, True)]
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .._common import check_list
from .._tracks import VideoItem, check_video_item, simplify_keyframes
from ._common import (
    PREFIX,
    Results,
    common_fields,
    load_tasks,
    make_task,
    number,
    result_base,
    warn_skipped,
)

__all__ = ["from_labelstudio_video", "to_labelstudio_video"]


def _entry(kf: dict[str, Any], frame: int, enabled: bool, width: int, height: int,
           fps: float) -> dict[str, Any]:
    entry = {"frame": frame + 1, "enabled": enabled, "rotation": 0,
             "x": kf["x"] * 100.0 / width, "y": kf["y"] * 100.0 / height,
             "width": kf["w"] * 100.0 / width, "height": kf["h"] * 100.0 / height,
             "time": (frame + 1) / fps}
    if kf["occluded"]:
        entry[PREFIX + "occluded"] = True
    return entry


def _sequence(track: dict[str, Any], width: int, height: int, fps: float) -> list[dict]:
    sequence: list[dict[str, Any]] = []
    last: dict[str, Any] | None = None  # the last keyframe written, if the box is shown
    for kf in track["keyframes"]:
        if not kf["outside"]:
            sequence.append(_entry(kf, kf["frame"], True, width, height, fps))
            last = kf
            continue
        if last is None:
            continue  # absent already (from the start, or after another outside keyframe)
        if sequence[-1]["frame"] == kf["frame"]:  # the box was drawn on the frame before
            sequence[-1]["enabled"] = False
        else:  # end the box on the frame before: the last box holds until then
            sequence.append(_entry(last, kf["frame"] - 1, False, width, height, fps))
        last = None
    return sequence


def to_labelstudio_video(items: Sequence[Any], *, from_name: str = "box",
                         to_name: str = "video", data_key: str = "video",
                         fps: float | None = None) -> list[dict[str, Any]]:
    """Convert video items to Label Studio tasks with ``videorectangle`` results.

    Parameters
    ----------
    items : list of dict
        Video items ``{"video", "width", "height", "num_frames", "fps", "tracks"}``.
    from_name : str
        Name of the ``<VideoRectangle>`` control.
    to_name : str
        Name of the ``<Video>`` object.
    data_key : str
        The task data key ``<Video value="$video">`` reads.
    fps : float, optional
        The frame rate for items without ``fps``.

    Returns
    -------
    list of dict
        One task per video.

    Examples
    --------
    >>> to_labelstudio_video([{"video": "v.mp4", "width": 8, "height": 8, "num_frames": 2,
    ...                        "tracks": []}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: video item 0 ('v.mp4'): Label Studio needs the frame rate: ...
    """
    tasks = []
    for index, raw in enumerate(check_list(items, "items")):
        item = check_video_item(raw, index)
        rate = item.get("fps") or fps
        if not rate:
            raise ValueError(f"video item {index} ({item['video']!r}): Label Studio needs the "
                             "frame rate: give the item an 'fps' or pass fps=")
        results = []
        for track in item["tracks"]:
            if not isinstance(track["label"], str) or not track["label"]:
                raise ValueError(f"video item {index}: track {track['id']!r} needs a label, "
                                 f"got {track['label']!r}")
            result = result_base(track, "videorectangle", from_name, to_name)
            result["value"] = {
                "framesCount": item["num_frames"], "duration": item["num_frames"] / rate,
                "sequence": _sequence(track, item["width"], item["height"], rate),
                "labels": [track["label"]]}
            results.append((track, result))
        data = {data_key: item["video"], PREFIX + "width": item["width"],
                PREFIX + "height": item["height"], PREFIX + "num_frames": item["num_frames"],
                PREFIX + "fps": rate}
        tasks.append(make_task(data, results))
    return tasks


def _keyframes(sequence: Any, width: int, height: int, num_frames: int,
               where: str) -> list[dict[str, Any]]:
    entries = check_list(sequence, f"{where} value.sequence")
    keyframes: list[dict[str, Any]] = []
    for number_, entry in enumerate(sorted(entries, key=lambda e: e.get("frame", 0)
                                           if isinstance(e, dict) else 0)):
        at = f"{where} sequence[{number_}]"
        if not isinstance(entry, dict):
            raise ValueError(f"{at}: must be a dict, got {entry!r}")
        frame = entry.get("frame")
        if isinstance(frame, bool) or not isinstance(frame, int) or frame < 1:
            raise ValueError(f"{at}: field 'frame' must be an integer >= 1 (1-based), "
                             f"got {frame!r}")
        kf = {"frame": frame - 1,
              "x": number(entry, "x", at) * width / 100.0,
              "y": number(entry, "y", at) * height / 100.0,
              "w": number(entry, "width", at) * width / 100.0,
              "h": number(entry, "height", at) * height / 100.0,
              "outside": False, "occluded": bool(entry.get(PREFIX + "occluded", False))}
        if keyframes and keyframes[-1]["frame"] == kf["frame"]:
            keyframes.pop()  # an added outside keyframe, or a repeated frame: the last wins
        keyframes.append(kf)
        if entry.get("enabled", True) is False and frame < num_frames:
            keyframes.append({**kf, "frame": frame, "outside": True, "occluded": False})
    return keyframes


def _data_number(task: dict[str, Any], key: str, given: Any) -> Any:
    value = task["data"].get(PREFIX + key)
    return value if value is not None else given


def from_labelstudio_video(tasks: Any, *, from_name: str | Collection[str] | None = None,
                           to_name: str | None = None, data_key: str = "video",
                           predictions: bool = True, width: int | None = None,
                           height: int | None = None, fps: float | None = None,
                           simplify: bool = True) -> list[VideoItem]:
    """Read Label Studio video tasks (``videorectangle`` results) into video items.

    Parameters
    ----------
    tasks : list of dict or str
        Tasks as exported ("JSON" export), or that JSON text.
    from_name, to_name : str, optional
        Read only results of these controls / this object (default: all).
    data_key : str
        The task data key holding the video.
    predictions : bool
        Also read the first prediction (model tracks).
    width, height : int, optional
        The frame size in pixels, for tasks without ``data.nbannotate_width`` / ``height``
        (needed: Label Studio boxes are in percent).
    fps : float, optional
        The frame rate for tasks without ``data.nbannotate_fps``; else it comes from the
        results' ``framesCount / duration``.
    simplify : bool
        Drop keyframes the interpolation gives back.

    Returns
    -------
    list of VideoItem
        One per task.

    Examples
    --------
    >>> task = {"data": {"video": "v.mp4"}, "annotations": [{"result": [
    ...     {"id": "r1", "type": "videorectangle", "value": {
    ...         "framesCount": 10, "duration": 0.4, "labels": ["cat"], "sequence": [
    ...             {"frame": 2, "enabled": False, "x": 10, "y": 10, "width": 50,
    ...              "height": 50, "time": 0.08}]}}]}]}
    >>> item = from_labelstudio_video([task], width=100, height=200)[0]
    >>> item["fps"], [(k["frame"], k["y"], k["outside"]) for k in item["tracks"][0]["keyframes"]]
    (25.0, [(1, 20.0, False), (2, 20.0, True)])
    """
    items: list[VideoItem] = []
    skipped: dict[str, int] = {}
    for index, task in enumerate(load_tasks(tasks)):
        results = Results(task, index, predictions=predictions, from_name=from_name,
                          to_name=to_name, types=("videorectangle",))
        for kind, count in results.skipped.items():
            skipped[kind] = skipped.get(kind, 0) + count
        video = task["data"].get(data_key)
        if not isinstance(video, str):
            raise ValueError(f"{results.where}: field 'data.{data_key}' must be the video file "
                             f"name or URL, got {video!r}")
        frame_width = _data_number(task, "width", width)
        frame_height = _data_number(task, "height", height)
        if frame_width is None or frame_height is None:
            raise ValueError(f"{results.where}: the frame size is unknown (no data."
                             f"{PREFIX}width/height): pass width= and height=")
        counts = [r["value"].get("framesCount") for r, *_ in results.entries]
        num_frames = _data_number(task, "num_frames", next((c for c in counts if c), None))
        rate = _data_number(task, "fps", fps)
        if rate is None:
            for result, *_ in results.entries:
                value = result["value"]
                if value.get("framesCount") and value.get("duration"):
                    rate = value["framesCount"] / value["duration"]
                    break
        if num_frames is None:
            raise ValueError(f"{results.where}: the frame count is unknown (no data."
                             f"{PREFIX}num_frames and no result with framesCount)")
        tracks = []
        for number_, (result, source, score, where) in enumerate(results.entries):
            record = common_fields(result, source, score, number_, "labels", where)
            keyframes = _keyframes(result["value"].get("sequence"), frame_width, frame_height,
                                   int(num_frames), where)
            if not keyframes:
                continue
            if simplify:
                keyframes = simplify_keyframes(keyframes)
            tracks.append({**record, "keyframes": keyframes})
        item = {"video": video, "width": frame_width, "height": frame_height,
                "num_frames": num_frames, "tracks": tracks}
        if rate is not None:
            item["fps"] = float(rate)
        try:
            items.append(check_video_item(item, index))
        except (TypeError, ValueError) as error:
            raise ValueError(f"{results.where}: {error}") from None
    warn_skipped(skipped, "video tasks read videorectangle results")
    return items
