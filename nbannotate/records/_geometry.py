"""Image records: boxes, keypoints, polygons and masks, and their validators.

All coordinates are in pixels of the original image, top-left origin; a mask is COCO
uncompressed run-length encoding of the full-resolution image. The public names are
re-exported by :mod:`nbannotate.records`.

Examples
--------
>>> from nbannotate.records._geometry import validate_keypoint
>>> validate_keypoint({"x": 1, "y": 2, "label": "nose", "visible": 1},
...                   image_size=(10, 10))["visible"]
1
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired

from ._base import _base, _fail, _integer, _is_int, _number, _Record

__all__ = [
    "Box",
    "Keypoint",
    "Mask",
    "Polygon",
    "validate_box",
    "validate_keypoint",
    "validate_mask",
    "validate_polygon",
]


class Box(_Record):
    """A bounding box in original-image pixels (top-left origin)."""

    x: float
    y: float
    w: float
    h: float
    text: NotRequired[str]


class Keypoint(_Record):
    """A keypoint in original-image pixels; ``visible`` follows COCO (0, 1, 2)."""

    x: float
    y: float
    visible: int
    box_id: NotRequired[str]


class Polygon(_Record):
    """A polygon, ``points`` as ``[[x, y], ...]`` in original-image pixels."""

    points: list[list[float]]


class Mask(_Record):
    """A mask as COCO uncompressed run-length encoding of the full-resolution image."""

    mask: dict[str, list[int]]


def validate_box(record: Any, *, image_size: tuple[int, int] | None = None,
                 labels: Sequence[str] | None = None, index: int | None = None) -> Box:
    """Validate a box record and return a normalized copy.

    Parameters
    ----------
    record : dict
        ``{"x", "y", "w", "h", "label"}`` plus optional ``id``, ``source``, ``score``, ``text``.
    image_size : (width, height), optional
        When given, the box must lie inside the image.
    labels : sequence of str, optional
        When given, ``label`` must be one of them.
    index : int, optional
        Position of the record in its list, used in error messages.

    Examples
    --------
    >>> validate_box({"x": 0, "y": 0, "w": 5, "h": 5, "label": "a"})["w"]
    5.0
    """
    out = _base(record, index, labels, ("x", "y", "w", "h", "text"))
    for field in ("x", "y", "w", "h"):
        out[field] = _number(record, index, field)
    for field in ("w", "h"):
        if out[field] < 0:
            raise _fail(record, index, field, "a non-negative size", record[field])
    if image_size is not None:
        width, height = image_size
        tol = 1e-6
        if out["x"] < -tol or out["x"] + out["w"] > width + tol:
            raise _fail(record, index, "x", f"inside the image (x >= 0 and x + w <= {width})",
                        record["x"])
        if out["y"] < -tol or out["y"] + out["h"] > height + tol:
            raise _fail(record, index, "y", f"inside the image (y >= 0 and y + h <= {height})",
                        record["y"])
    if "text" in record:
        if not isinstance(record["text"], str):
            raise _fail(record, index, "text", "a string", record["text"])
        out["text"] = record["text"]
    return out  # type: ignore[return-value]


def validate_keypoint(record: Any, *, image_size: tuple[int, int] | None = None,
                      labels: Sequence[str] | None = None, index: int | None = None) -> Keypoint:
    """Validate a keypoint record and return a normalized copy.

    Examples
    --------
    >>> validate_keypoint({"x": 3, "y": 4, "label": "nose"})["visible"]
    2
    """
    out = _base(record, index, labels, ("x", "y", "visible", "box_id"))
    out["x"] = _number(record, index, "x")
    out["y"] = _number(record, index, "y")
    visible = _integer(record, index, "visible") if "visible" in record else 2
    if visible not in (0, 1, 2):
        raise _fail(record, index, "visible", "0, 1 or 2 (COCO visibility)", record["visible"])
    out["visible"] = visible
    if image_size is not None:
        width, height = image_size
        if not (0 <= out["x"] <= width and 0 <= out["y"] <= height):
            raise _fail(record, index, "x", f"a point inside the image ({width}x{height})",
                        (record["x"], record["y"]))
    if record.get("box_id") is not None:
        if not isinstance(record["box_id"], str):
            raise _fail(record, index, "box_id", "a string (the id of a box)", record["box_id"])
        out["box_id"] = record["box_id"]
    return out  # type: ignore[return-value]


def validate_polygon(record: Any, *, image_size: tuple[int, int] | None = None,
                     labels: Sequence[str] | None = None, index: int | None = None) -> Polygon:
    """Validate a polygon record (at least 3 points) and return a normalized copy.

    Examples
    --------
    >>> validate_polygon({"points": [[0, 0], [4, 0], [0, 3]], "label": "a"})["points"][1]
    [4.0, 0.0]
    """
    out = _base(record, index, labels, ("points",))
    points = record.get("points")
    if not isinstance(points, Sequence) or isinstance(points, str) or len(points) < 3:
        raise _fail(record, index, "points", "a list of at least 3 [x, y] pairs", points)
    clean: list[list[float]] = []
    for point in points:
        if (not isinstance(point, Sequence) or len(point) != 2
                or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in point)
                or not all(math.isfinite(v) for v in point)):
            raise _fail(record, index, "points", "a list of [x, y] number pairs", point)
        x, y = float(point[0]), float(point[1])
        if image_size is not None and not (0 <= x <= image_size[0] and 0 <= y <= image_size[1]):
            raise _fail(record, index, "points", f"points inside the image {image_size}", point)
        clean.append([x, y])
    out["points"] = clean
    return out  # type: ignore[return-value]


def validate_mask(record: Any, *, image_size: tuple[int, int] | None = None,
                  labels: Sequence[str] | None = None, index: int | None = None) -> Mask:
    """Validate a mask record (COCO uncompressed RLE) and return a normalized copy.

    Examples
    --------
    >>> validate_mask({"mask": {"size": [2, 2], "counts": [1, 2, 1]}, "label": "a"})["label"]
    'a'
    """
    out = _base(record, index, labels, ("mask",))
    mask = record.get("mask")
    if not isinstance(mask, Mapping) or "size" not in mask or "counts" not in mask:
        raise _fail(record, index, "mask", "a dict {'size': [h, w], 'counts': [...]}", mask)
    size, counts = mask["size"], mask["counts"]
    if (not isinstance(size, Sequence) or len(size) != 2
            or not all(_is_int(v) and v > 0 for v in size)):
        raise _fail(record, index, "mask", "a 'size' of [height, width] positive integers", size)
    if not isinstance(counts, Sequence) or not all(_is_int(v) and v >= 0 for v in counts):
        raise _fail(record, index, "mask", "'counts' as a list of non-negative integers", counts)
    if sum(counts) != size[0] * size[1]:
        raise _fail(record, index, "mask", f"'counts' summing to h*w = {size[0] * size[1]}",
                    sum(counts))
    if image_size is not None and (size[1], size[0]) != tuple(image_size):
        raise _fail(record, index, "mask", f"a size matching the image {image_size}", size)
    out["mask"] = {"size": [int(size[0]), int(size[1])], "counts": [int(c) for c in counts]}
    return out  # type: ignore[return-value]
