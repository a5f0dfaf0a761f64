"""COCO JSON for video: one image per frame, annotations linked across frames by ``track_id``.

The layout the video extensions of COCO share (TAO, YouTube-VIS style, mmtracking's
CocoVID): besides ``images``, ``annotations`` and ``categories``,

* ``videos``: ``{"id", "name", "width", "height", "num_frames", "fps"?}`` per video item;
* every frame of a video is an image ``{"id", "file_name", "width", "height", "video_id",
  "frame_id"}`` (``frame_id`` 0-based; ``file_name`` from ``frame_name``, default
  ``"<video stem>/<frame:06d>.jpg"``, the frames as a tool would extract them);
* ``tracks``: ``{"id", "category_id", "video_id"}`` per track, and every annotation has the
  ``track_id`` of its track: one annotation per frame on which the track is present (the
  interpolated boxes between keyframes), ``bbox`` ``[x, y, w, h]``, ``area``, ``iscrowd`` 0,
  ``occluded``.

What COCO has no field for goes under ``nbannotate_*`` keys: the track's id and source
(on ``tracks``), and ``nbannotate_keyframe`` on each annotation (a frame that was drawn).
Reading uses the keyframe marks when they are there (an exact round trip); otherwise every
annotation is a box on its frame and the keyframes the interpolation gives back are
dropped. ``instance_id`` is read as ``track_id``, ``frame_index`` as ``frame_id``.

Examples
--------
>>> item = {"video": "clips/a.mp4", "width": 64, "height": 48, "num_frames": 3,
...         "tracks": [{"id": "t", "label": "cat", "keyframes": [
...             {"frame": 0, "x": 0, "y": 0, "w": 8, "h": 8},
...             {"frame": 2, "x": 4, "y": 0, "w": 8, "h": 8}]}]}
>>> data = to_coco_video([item])
>>> [a["bbox"][0] for a in data["annotations"]], data["images"][1]["file_name"]
([0.0, 2.0, 4.0], 'a/000001.jpg')
>>> [k["frame"] for k in from_coco_video(data)[0]["tracks"][0]["keyframes"]]
[0, 2]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from ._common import check_labels, check_list
from ._tracks import VideoItem, check_video_item, dense_boxes, track_from_boxes

__all__ = ["from_coco_video", "to_coco_video"]

_SOURCES = ("human", "model", "auto", "gold")


def to_coco_video(items: Sequence[Any], *, labels: Sequence[str] | None = None,
                  frame_name: str = "{stem}/{frame:06d}.jpg") -> dict[str, Any]:
    """Write video items as one COCO video dataset (every frame an image).

    Parameters
    ----------
    items : list of dict
        Video items ``{"video", "width", "height", "num_frames", "tracks"}``.
    labels : list of str, optional
        Category names in id order (1..N); default: the tracks' labels, sorted.
    frame_name : str
        The ``file_name`` of frame images, formatted with ``video``, ``stem`` (the video's
        file name without folder and suffix) and ``frame``.

    Returns
    -------
    dict
        ``{"info", "videos", "images", "tracks", "annotations", "categories"}``.

    Examples
    --------
    >>> data = to_coco_video([{"video": "v.mp4", "width": 4, "height": 4, "num_frames": 2,
    ...                        "tracks": []}], labels=["a"])
    >>> len(data["images"]), data["categories"]
    (2, [{'id': 1, 'name': 'a'}])
    """
    videos = [check_video_item(raw, index)
              for index, raw in enumerate(check_list(items, "items"))]
    found = {t["label"] for v in videos for t in v["tracks"]}
    for v in videos:
        for t in v["tracks"]:
            if not isinstance(t["label"], str) or not t["label"]:
                raise ValueError(f"COCO video: track {t['id']!r} of {v['video']!r} needs a "
                                 f"label, got {t['label']!r}")
    names = check_labels(labels) if labels is not None else sorted(found)
    missing = sorted(found - set(names))
    if missing:
        raise ValueError(f"COCO video: track labels {missing} are not in labels {names}")
    category = {name: i + 1 for i, name in enumerate(names)}
    out: dict[str, Any] = {"info": {"description": "nbannotate video tracks"}, "videos": [],
                           "images": [], "tracks": [], "annotations": [],
                           "categories": [{"id": i, "name": n} for n, i in category.items()]}
    for video_id, video in enumerate(videos, 1):
        entry = {"id": video_id, "name": video["video"], "width": video["width"],
                 "height": video["height"], "num_frames": video["num_frames"]}
        if "fps" in video:
            entry["fps"] = video["fps"]
        out["videos"].append(entry)
        first_image = len(out["images"]) + 1
        stem = PurePosixPath(video["video"].replace("\\", "/")).stem
        for frame in range(video["num_frames"]):
            out["images"].append({
                "id": first_image + frame, "video_id": video_id, "frame_id": frame,
                "file_name": frame_name.format(video=video["video"], stem=stem, frame=frame),
                "width": video["width"], "height": video["height"]})
        for track in video["tracks"]:
            track_id = len(out["tracks"]) + 1
            out["tracks"].append({"id": track_id, "category_id": category[track["label"]],
                                  "video_id": video_id, "nbannotate_id": track["id"],
                                  "nbannotate_source": track["source"]})
            for box in dense_boxes(track, video["num_frames"]):
                annotation = {
                    "id": len(out["annotations"]) + 1, "image_id": first_image + box["frame"],
                    "video_id": video_id, "track_id": track_id,
                    "category_id": category[track["label"]],
                    "bbox": [box["x"], box["y"], box["w"], box["h"]],
                    "area": box["w"] * box["h"], "iscrowd": 0, "occluded": box["occluded"],
                    "nbannotate_keyframe": box["keyframe"]}
                if "score" in track:
                    annotation["score"] = track["score"]
                out["annotations"].append(annotation)
            for kf in track["keyframes"]:  # outside keyframes: kept for the round trip
                if kf["outside"]:
                    out["tracks"][-1].setdefault("nbannotate_outside", []).append(kf["frame"])
    return out


def _get(mapping: Mapping[str, Any], keys: Sequence[str], where: str) -> Any:
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    raise ValueError(f"{where}: missing field {keys[0]!r}")


def _int_field(mapping: Mapping[str, Any], keys: Sequence[str], where: str) -> int:
    value = _get(mapping, keys, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: field {keys[0]!r} must be an integer, got {value!r}")
    return value


def from_coco_video(data: Mapping[str, Any], *, simplify: bool = True) -> list[VideoItem]:
    """Read a COCO video dataset (frames as images, annotations with ``track_id``).

    Parameters
    ----------
    data : dict
        The parsed JSON.
    simplify : bool
        For files without keyframe marks: drop the boxes the interpolation gives back.

    Returns
    -------
    list of VideoItem
        One per video (``videos``, else one per ``video_id`` of the images), tracks in
        ``tracks`` order (else by ``track_id``).

    Examples
    --------
    >>> data = {"categories": [{"id": 1, "name": "cat"}],
    ...         "images": [{"id": i + 1, "video_id": 1, "frame_id": i, "width": 9,
    ...                     "height": 9, "file_name": f"{i}.jpg"} for i in range(4)],
    ...         "annotations": [{"id": i + 1, "image_id": i + 1, "category_id": 1,
    ...                          "track_id": 5, "bbox": [i, 0, 2, 2]} for i in range(3)]}
    >>> track = from_coco_video(data)[0]["tracks"][0]
    >>> track["id"], [(k["frame"], k["x"], k["outside"]) for k in track["keyframes"]]
    ('5', [(0, 0.0, False), (2, 2.0, False), (3, 2.0, True)])
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"data must be the COCO dict, got {type(data).__name__}")
    categories = {}
    for index, cat in enumerate(check_list(data.get("categories"), "categories")):
        where = f"COCO categories[{index}]"
        categories[_int_field(cat, ("id",), where)] = _get(cat, ("name",), where)
    images = {}
    videos: dict[int, dict[str, Any]] = {}
    for index, video in enumerate(check_list(data.get("videos"), "videos")):
        where = f"COCO videos[{index}]"
        videos[_int_field(video, ("id",), where)] = dict(video)
    frames_of: dict[int, int] = {}
    for index, image in enumerate(check_list(data.get("images"), "images")):
        where = f"COCO images[{index}]"
        video_id = _int_field(image, ("video_id",), where)
        frame = _int_field(image, ("frame_id", "frame_index"), where)
        images[_int_field(image, ("id",), where)] = (video_id, frame)
        frames_of[video_id] = max(frames_of.get(video_id, 0), frame + 1)
        if video_id not in videos:
            videos[video_id] = {"id": video_id, "width": image.get("width"),
                                "height": image.get("height")}
        videos[video_id].setdefault("name", str(image.get("file_name", video_id)).rsplit(
            "/", 1)[0])
    track_info = {}
    for index, track in enumerate(check_list(data.get("tracks"), "tracks")):
        track_info[_int_field(track, ("id",), f"COCO tracks[{index}]")] = track
    boxes: dict[tuple[int, int], list[dict[str, Any]]] = {}
    labels: dict[tuple[int, int], Any] = {}
    scores: dict[tuple[int, int], float] = {}
    for index, ann in enumerate(check_list(data.get("annotations"), "annotations")):
        where = f"COCO annotations[{index}] (id={ann.get('id')!r})"
        image_id = _int_field(ann, ("image_id",), where)
        if image_id not in images:
            raise ValueError(f"{where}: image_id {image_id} is not an image of the file")
        video_id, frame = images[image_id]
        track_id = _int_field(ann, ("track_id", "instance_id"), where)
        category_id = _int_field(ann, ("category_id",), where)
        if category_id not in categories:
            raise ValueError(f"{where}: category_id {category_id} is not a category")
        bbox = ann.get("bbox")
        if (not isinstance(bbox, list) or len(bbox) != 4
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           for v in bbox)):
            raise ValueError(f"{where}: field 'bbox' must be [x, y, w, h], got {bbox!r}")
        key = (video_id, track_id)
        labels.setdefault(key, categories[category_id])
        if ann.get("score") is not None:
            scores[key] = float(ann["score"])
        boxes.setdefault(key, []).append({
            "frame": frame, "x": float(bbox[0]), "y": float(bbox[1]), "w": float(bbox[2]),
            "h": float(bbox[3]), "occluded": bool(ann.get("occluded", False)),
            "keyframe": ann.get("nbannotate_keyframe")})
    order = list(track_info) + sorted({t for _, t in boxes} - set(track_info))
    items: list[VideoItem] = []
    for video_id in sorted(videos):
        video = videos[video_id]
        num_frames = video.get("num_frames") or video.get("length") or frames_of.get(video_id)
        tracks = []
        for track_id in order:
            found = boxes.get((video_id, track_id))
            if not found:
                continue
            info = track_info.get(track_id, {})
            source = info.get("nbannotate_source")
            if source not in _SOURCES:
                source = "model" if (video_id, track_id) in scores else "human"
            extra = {"score": scores[(video_id, track_id)]} if (video_id,
                                                                 track_id) in scores else {}
            name = str(info.get("nbannotate_id") or track_id)
            marked = all(b["keyframe"] is not None for b in found)
            if marked:
                track = _marked_track(name, labels[(video_id, track_id)], found,
                                      info.get("nbannotate_outside") or [], source, extra)
            else:
                track = track_from_boxes(name, labels[(video_id, track_id)], found,
                                         num_frames=num_frames, simplify=simplify,
                                         source=source, extra=extra)
            tracks.append(track)
        item = {"video": video.get("name") or str(video_id), "width": video.get("width"),
                "height": video.get("height"), "num_frames": num_frames, "tracks": tracks}
        if video.get("fps") is not None:
            item["fps"] = video["fps"]
        try:
            items.append(check_video_item(item))
        except (TypeError, ValueError) as error:
            raise ValueError(f"COCO videos (id={video_id}): {error}") from None
    return items


def _marked_track(name: str, label: Any, boxes: list[dict[str, Any]], outside: list[int],
                  source: str, extra: dict[str, Any]) -> dict[str, Any]:
    """A track written by ``to_coco_video``: the boxes marked as keyframes, and the
    ``outside`` keyframes listed on the track (each repeating the box before it)."""
    ordered = sorted(boxes, key=lambda b: b["frame"])
    keyframes = [{"frame": b["frame"], "x": b["x"], "y": b["y"], "w": b["w"], "h": b["h"],
                  "outside": False, "occluded": b["occluded"]}
                 for b in ordered if b["keyframe"]]
    for frame in outside:
        before = [b for b in ordered if b["frame"] < frame]
        box = before[-1] if before else ordered[0]
        keyframes.append({"frame": int(frame), "x": box["x"], "y": box["y"], "w": box["w"],
                          "h": box["h"], "outside": True, "occluded": False})
    keyframes.sort(key=lambda k: k["frame"])
    return {**extra, "id": name, "label": label, "source": source, "keyframes": keyframes}
