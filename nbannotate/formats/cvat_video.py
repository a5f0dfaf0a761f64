"""CVAT for video 1.1 XML to and from a video item's tracks.

The document CVAT exports for a video task ("CVAT for video 1.1"): ``<annotations>`` with
``<version>1.1</version>``, a ``<meta><task>`` (name, ``size`` = frames, ``mode``
interpolation, start and stop frame, the labels, ``original_size``) and one ``<track>`` per
track (``id``, ``label``, ``source``) holding ``<box>`` shapes with ``frame``, ``keyframe``,
``outside``, ``occluded``, ``xtl``, ``ytl``, ``xbr``, ``ybr`` and ``z_order``.

Writing follows CVAT's own export: a box on every frame the track is present (the
interpolated ones with ``keyframe="0"``) and every ``outside`` keyframe; ``interpolated=False``
writes the keyframes only (CVAT imports both). Corners are written exactly (``xbr = x + w``).
Sources: ``human`` is ``manual``, ``model`` and ``auto`` are ``auto``; what CVAT has no place
for goes to ``nbannotate_id`` and ``nbannotate_source`` attributes of ``<track>``, which
CVAT ignores.

Reading takes the boxes with ``keyframe="1"`` (all boxes when the attribute is absent) as
keyframes, then drops those the interpolation gives back (``simplify=True``). Other shapes
(polygons, points...) and ``<image>`` annotations are skipped with a warning. Any DOCTYPE or
ENTITY declaration is refused before parsing.

Examples
--------
>>> item = {"video": "street.mp4", "width": 640, "height": 480, "num_frames": 4,
...         "tracks": [{"id": "t1", "label": "car", "keyframes": [
...             {"frame": 0, "x": 10, "y": 10, "w": 20, "h": 10},
...             {"frame": 2, "x": 30, "y": 10, "w": 20, "h": 10, "outside": True}]}]}
>>> xml = to_cvat_video(item)
>>> '<box frame="1" keyframe="0" outside="0" occluded="0" xtl="10"' in xml
True
>>> back = from_cvat_video(xml)
>>> back["num_frames"], [(k["frame"], k["outside"]) for k in back["tracks"][0]["keyframes"]]
(4, [(0, False), (2, True)])
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from ._common import check_labels, format_number, warn
from ._tracks import VideoItem, check_video_item, dense_boxes, simplify_keyframes
from ._xml_guard import parse_untrusted

__all__ = ["from_cvat_video", "to_cvat_video"]

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SOURCES = {"human": "manual", "model": "auto", "auto": "auto", "gold": "manual"}
_WHAT = "CVAT XML"


def _safe(value: str, where: str) -> str:
    bad = _INVALID_XML.search(value)
    if bad:
        raise ValueError(f"{where} contains {bad.group()!r}, which XML 1.0 cannot hold")
    return value


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def _box(parent: ET.Element, frame: int, keyframe: bool, outside: bool, occluded: bool,
         geometry: Mapping[str, float]) -> None:
    ET.SubElement(parent, "box", {
        "frame": str(frame), "keyframe": str(int(keyframe)), "outside": str(int(outside)),
        "occluded": str(int(occluded)), "xtl": format_number(geometry["x"]),
        "ytl": format_number(geometry["y"]),
        "xbr": format_number(geometry["x"] + geometry["w"]),
        "ybr": format_number(geometry["y"] + geometry["h"]), "z_order": "0"})


def to_cvat_video(item: Mapping[str, Any], *, labels: Sequence[str] | None = None,
                  interpolated: bool = True) -> str:
    """Write a video item's tracks as a CVAT for video 1.1 XML document.

    Parameters
    ----------
    item : dict
        A video item ``{"video", "width", "height", "num_frames", "tracks"}``.
    labels : list of str, optional
        The task's labels (``<meta>``); default: the tracks' labels, sorted.
    interpolated : bool
        Write a box on every frame (as CVAT exports); ``False`` writes keyframes only.

    Returns
    -------
    str
        The document, with an XML declaration (UTF-8).

    Examples
    --------
    >>> item = {"video": "v.mp4", "width": 8, "height": 8, "num_frames": 3, "tracks": [
    ...     {"id": "a", "label": "cat", "keyframes": [
    ...         {"frame": 1, "x": 0, "y": 0, "w": 2, "h": 2, "occluded": True}]}]}
    >>> to_cvat_video(item, interpolated=False).count("<box ")
    1
    """
    video: VideoItem = check_video_item(item)
    tracks = video["tracks"]
    for index, track in enumerate(tracks):
        if not isinstance(track["label"], str) or not track["label"]:
            raise ValueError(f"{_WHAT}: tracks[{index}] (id={track['id']!r}) needs a label, "
                             f"got {track['label']!r}")
    names = (check_labels(labels) if labels is not None
             else sorted({t["label"] for t in tracks}))
    missing = sorted({t["label"] for t in tracks} - set(names))
    if missing:
        raise ValueError(f"{_WHAT}: track labels {missing} are not in labels {names}")
    root = ET.Element("annotations")
    _text(root, "version", "1.1")
    meta = ET.SubElement(root, "meta")
    task = ET.SubElement(meta, "task")
    name = _safe(video["video"], "video name")
    for tag, value in (("name", name), ("size", str(video["num_frames"])),
                       ("mode", "interpolation"), ("overlap", "0"), ("start_frame", "0"),
                       ("stop_frame", str(video["num_frames"] - 1)), ("frame_filter", "")):
        _text(task, tag, value)
    label_list = ET.SubElement(task, "labels")
    for label in names:
        element = ET.SubElement(label_list, "label")
        _text(element, "name", _safe(label, "label"))
        _text(element, "type", "rectangle")
        ET.SubElement(element, "attributes")
    size = ET.SubElement(task, "original_size")
    _text(size, "width", str(video["width"]))
    _text(size, "height", str(video["height"]))
    _text(meta, "source", name)
    for number, track in enumerate(tracks):
        attributes = {"id": str(number), "label": track["label"],
                      "source": _SOURCES[track["source"]],
                      "nbannotate_id": _safe(track["id"], f"track {number} id")}
        if track["source"] == "auto":
            attributes["nbannotate_source"] = "auto"
        element = ET.SubElement(root, "track", attributes)
        outside = [k for k in track["keyframes"] if k["outside"]]
        if interpolated:
            shapes = [(b["frame"], b["keyframe"], False, b["occluded"], b)
                      for b in dense_boxes(track, video["num_frames"])]
        else:
            shapes = [(k["frame"], True, False, k["occluded"], k)
                      for k in track["keyframes"] if not k["outside"]]
        shapes += [(k["frame"], True, True, k["occluded"], k) for k in outside]
        for frame, keyframe, is_outside, occluded, geometry in sorted(shapes,
                                                                      key=lambda s: s[0]):
            _box(element, frame, keyframe, is_outside, occluded, geometry)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _find_text(root: ET.Element, path: str) -> str | None:
    element = root.find(path)
    if element is None or element.text is None or not element.text.strip():
        return None
    return element.text.strip()


def _int(value: str | None, where: str, default: int | None = None) -> int:
    if value is None:
        if default is None:
            raise ValueError(f"{where}: missing")
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{where}: expected an integer, got {value!r}") from None


def _float(element: ET.Element, name: str, where: str) -> float:
    value = element.get(name)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{where}: attribute {name!r} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{where}: attribute {name!r} must be finite, got {value!r}")
    return number


def _flag(element: ET.Element, name: str, where: str, default: str = "0") -> bool:
    value = element.get(name, default)
    if value not in ("0", "1", "true", "false", "True", "False"):
        raise ValueError(f"{where}: attribute {name!r} must be 0 or 1, got {value!r}")
    return value in ("1", "true", "True")


def from_cvat_video(xml_text: str | bytes, *, width: int | None = None,
                    height: int | None = None, num_frames: int | None = None,
                    fps: float | None = None, simplify: bool = True) -> VideoItem:
    """Read a CVAT for video 1.1 XML document into a video item.

    Parameters
    ----------
    xml_text : str or bytes
        The document (``annotations.xml`` of a CVAT export).
    width, height, num_frames : int, optional
        Used when ``<meta>`` has no ``original_size`` / ``size`` (the document's values
        win otherwise).
    fps : float, optional
        CVAT keeps no frame rate; given, it is set on the item.
    simplify : bool
        Drop keyframes the interpolation gives back.

    Returns
    -------
    VideoItem
        ``video`` from ``<meta><source>`` (else the task name), the tracks with ids from
        ``nbannotate_id`` (else the CVAT id), sources from ``nbannotate_source`` /
        ``source`` (``manual`` is human, ``auto`` and ``semi-auto`` are model).

    Examples
    --------
    >>> from_cvat_video('<annotations><track id="0" label="a"><box frame="0" keyframe="1" '
    ...                 'outside="0" occluded="0" xtl="1" ytl="2" xbr="4" ybr="6"/></track>'
    ...                 '</annotations>', width=10, height=10, num_frames=5)["tracks"][0][
    ...                 "keyframes"][0]["w"]
    3.0
    """
    root = parse_untrusted(xml_text, _WHAT)
    if root.tag != "annotations":
        raise ValueError(f"{_WHAT}: the root element must be <annotations>, got <{root.tag}>")
    meta = root.find("meta")
    task = None
    if meta is not None:
        task = next((e for e in (meta.find("task"), meta.find("job"), meta.find("project"))
                     if e is not None), None)
    found_size = _find_text(task, ".//original_size/width") if task is not None else None
    width = _int(found_size, f"{_WHAT} <original_size><width>", width)
    found = _find_text(task, ".//original_size/height") if task is not None else None
    height = _int(found, f"{_WHAT} <original_size><height>", height)
    size = _find_text(task, "size") if task is not None else None
    num_frames = _int(size, f"{_WHAT} <meta><task><size> (or num_frames=)", num_frames)
    video = ((_find_text(meta, "source") if meta is not None else None)
             or (_find_text(task, "name") if task is not None else None) or "video")
    skipped: dict[str, int] = {}
    images = len(root.findall("image"))
    if images:
        skipped["<image> (CVAT for images)"] = images
    tracks = []
    for index, element in enumerate(root.findall("track")):
        where = f"{_WHAT} <track> {index} (id={element.get('id')!r})"
        label = element.get("label")
        if not label:
            raise ValueError(f"{where}: missing attribute 'label'")
        keyframes = []
        for child in element:
            if child.tag != "box":
                skipped[f"<{child.tag}>"] = skipped.get(f"<{child.tag}>", 0) + 1
                continue
            at = f"{where} <box> {len(keyframes)}"
            if not _flag(child, "keyframe", at, default="1"):
                continue
            frame = _int(child.get("frame"), f"{at} attribute 'frame'")
            xtl, ytl, xbr, ybr = (_float(child, name, at)
                                  for name in ("xtl", "ytl", "xbr", "ybr"))
            if xbr < xtl or ybr < ytl:
                raise ValueError(f"{at}: xbr, ybr must be >= xtl, ytl, got "
                                 f"({xtl}, {ytl}, {xbr}, {ybr})")
            keyframes.append({"frame": frame, "x": xtl, "y": ytl, "w": xbr - xtl,
                              "h": ybr - ytl, "outside": _flag(child, "outside", at),
                              "occluded": _flag(child, "occluded", at)})
        if not keyframes:
            continue
        keyframes.sort(key=lambda k: k["frame"])
        if simplify:
            keyframes = simplify_keyframes(keyframes)
        cvat_source = element.get("source", "manual")
        source = element.get("nbannotate_source") or (
            "model" if cvat_source in ("auto", "semi-auto") else "human")
        tracks.append({"id": element.get("nbannotate_id") or str(element.get("id", index)),
                       "label": label, "source": source, "keyframes": keyframes})
    if skipped:
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
        warn(f"{_WHAT}: not read (tracks of boxes only): {listed}")
    try:
        return check_video_item({"video": video, "width": width, "height": height,
                                 "num_frames": num_frames, "tracks": tracks, "fps": fps})
    except (TypeError, ValueError) as error:
        raise ValueError(f"{_WHAT}: {error}") from None
