"""Annotation records: the JSON shapes that cross between Python, the browser and the store.

Every record is a plain ``dict`` with an ``id`` (a stable string), a ``label`` and a
``source`` in ``{"human", "model", "auto"}``; model output adds ``score`` in ``[0, 1]``.
Coordinates, offsets and times mean one thing everywhere:

* Box: ``x, y, w, h`` in pixels of the original image, top-left origin; optional ``text``.
* Keypoint: ``x, y`` in original-image pixels, ``visible`` (COCO 0/1/2), optional ``box_id``.
* Polygon: ``points`` as ``[[x, y], ...]`` in original-image pixels.
* Mask: ``mask`` as COCO run-length encoding ``{"size": [h, w], "counts": [...]}``.
* Span: ``start, end`` as Python ``str`` offsets (code points), ``end`` exclusive, and
  ``text`` equal to ``document[start:end]``.
* Region: ``start, end`` in seconds, ``end`` exclusive; optional ``channel`` and ``text``.
* Class label: ``label`` (a string, or a list of strings for multi-label tasks).

The validators return a normalized copy (floats as ``float``, a fresh ``id`` when missing,
``source`` defaulting to ``"human"``) or raise ``ValueError``/``TypeError`` naming the record,
the field, what was expected and what was given.

Examples
--------
>>> box = validate_box({"x": 10, "y": 20, "w": 30, "h": 40, "label": "cat"},
...                    image_size=(640, 480), labels=["cat", "dog"])
>>> (box["x"], box["source"])
(10.0, 'human')
"""

from __future__ import annotations

import math
import numbers
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "SOURCES",
    "Box",
    "ClassLabel",
    "Keypoint",
    "Mask",
    "Polygon",
    "Region",
    "Span",
    "new_id",
    "validate_box",
    "validate_class_label",
    "validate_keypoint",
    "validate_mask",
    "validate_polygon",
    "validate_record",
    "validate_records",
    "validate_region",
    "validate_span",
]

Source = Literal["human", "model", "auto"]
SOURCES: tuple[str, ...] = ("human", "model", "auto")


class _Record(TypedDict):
    id: str
    label: str
    source: Source
    score: NotRequired[float]


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


class Span(_Record):
    """A text span in Python code-point offsets, ``end`` exclusive."""

    start: int
    end: int
    text: str


class Region(_Record):
    """An audio region in seconds, ``end`` exclusive."""

    start: float
    end: float
    channel: NotRequired[int]
    text: NotRequired[str]


class ClassLabel(TypedDict):
    """A whole-item label (a list of labels for multi-label tasks)."""

    id: str
    label: str | list[str]
    source: Source
    score: NotRequired[float]


def new_id() -> str:
    """Return a fresh, stable record id (12 hex characters).

    Examples
    --------
    >>> len(new_id())
    12
    """
    return uuid.uuid4().hex[:12]


def _where(record: Mapping[str, Any], index: int | None) -> str:
    place = f"record {index}" if index is not None else "record"
    rid = record.get("id") if isinstance(record, Mapping) else None
    return f"{place} (id={rid!r})" if rid is not None else place


def _fail(record: Mapping[str, Any], index: int | None, field: str, expected: str,
          got: Any) -> ValueError:
    return ValueError(f"{_where(record, index)}: field {field!r} must be {expected}, got {got!r}")


def _number(record: Mapping[str, Any], index: int | None, field: str) -> float:
    value = record.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if value is None and field not in record:
            raise ValueError(f"{_where(record, index)}: missing field {field!r} (a number)")
        raise _fail(record, index, field, "a number", value)
    value = float(value)
    if not math.isfinite(value):
        raise _fail(record, index, field, "a finite number", value)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _integer(record: Mapping[str, Any], index: int | None, field: str) -> int:
    value = record.get(field)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if field not in record:
            raise ValueError(f"{_where(record, index)}: missing field {field!r} (an integer)")
        raise _fail(record, index, field, "an integer", value)
    return int(value)


def _base(record: Any, index: int | None, labels: Sequence[str] | None,
          known: Iterable[str], *, multi: bool = False) -> dict[str, Any]:
    if not isinstance(record, Mapping):
        raise TypeError(f"{_where({}, index)} must be a dict, got {type(record).__name__}")
    unknown = set(record) - set(known) - {"id", "label", "source", "score"}
    if unknown:
        raise ValueError(f"{_where(record, index)}: unknown field(s) {sorted(unknown)}; "
                         f"expected only {sorted(set(known) | {'id', 'label', 'source', 'score'})}")
    out: dict[str, Any] = {}
    rid = record.get("id")
    if rid is None:
        rid = new_id()
    elif not isinstance(rid, str) or not rid:
        raise _fail(record, index, "id", "a non-empty string", rid)
    out["id"] = rid
    if "label" not in record:
        raise ValueError(f"{_where(record, index)}: missing field 'label'")
    label = record["label"]
    names = [label] if not (multi and isinstance(label, list)) else label
    for name in names:
        if not isinstance(name, str):
            raise _fail(record, index, "label", "a string" + (" or list of strings" if multi
                                                             else ""), label)
        if labels is not None and name not in labels:
            raise _fail(record, index, "label", f"one of {list(labels)}", name)
    out["label"] = list(label) if isinstance(label, list) else label
    source = record.get("source", "human")
    if source not in SOURCES:
        raise _fail(record, index, "source", f"one of {list(SOURCES)}", source)
    out["source"] = source
    if "score" in record and record["score"] is not None:
        score = _number(record, index, "score")
        if not 0.0 <= score <= 1.0:
            raise _fail(record, index, "score", "a number in [0, 1]", record["score"])
        out["score"] = score
    return out


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


def validate_span(record: Any, *, text: str | None = None, labels: Sequence[str] | None = None,
                  index: int | None = None) -> Span:
    """Validate a span record and return a normalized copy.

    When ``text`` (the document) is given, ``0 <= start < end <= len(text)`` must hold and the
    record's ``text`` is set to (or must equal) ``text[start:end]``.

    Examples
    --------
    >>> validate_span({"start": 0, "end": 4, "label": "PER"}, text="Anna lives here")["text"]
    'Anna'
    """
    out = _base(record, index, labels, ("start", "end", "text"))
    start = _integer(record, index, "start")
    end = _integer(record, index, "end")
    if start < 0:
        raise _fail(record, index, "start", "a non-negative offset", start)
    if end <= start:
        raise _fail(record, index, "end", f"greater than start ({start})", end)
    out["start"], out["end"] = start, end
    given = record.get("text")
    if given is not None and not isinstance(given, str):
        raise _fail(record, index, "text", "a string", given)
    if text is not None:
        if end > len(text):
            raise _fail(record, index, "end", f"at most the document length ({len(text)})", end)
        actual = text[start:end]
        if given is not None and given != actual:
            raise _fail(record, index, "text", f"the document's text[{start}:{end}] = {actual!r}",
                        given)
        out["text"] = actual
    elif given is not None:
        if len(given) != end - start:
            raise _fail(record, index, "text", f"{end - start} characters long", given)
        out["text"] = given
    else:
        raise ValueError(f"{_where(record, index)}: missing field 'text' (or pass the document)")
    return out  # type: ignore[return-value]


def validate_region(record: Any, *, duration: float | None = None,
                    labels: Sequence[str] | None = None, channels: int | None = None,
                    index: int | None = None) -> Region:
    """Validate an audio region record (seconds, end exclusive) and return a normalized copy.

    Examples
    --------
    >>> validate_region({"start": 0.5, "end": 1, "label": "bird"}, duration=3.0)["end"]
    1.0
    """
    out = _base(record, index, labels, ("start", "end", "channel", "text"))
    start = _number(record, index, "start")
    end = _number(record, index, "end")
    if start < 0:
        raise _fail(record, index, "start", "a non-negative time in seconds", record["start"])
    if end <= start:
        raise _fail(record, index, "end", f"greater than start ({start})", record["end"])
    if duration is not None and end > duration + 1e-9:
        raise _fail(record, index, "end", f"at most the duration ({duration} s)", record["end"])
    out["start"], out["end"] = start, end
    if record.get("channel") is not None:
        channel = _integer(record, index, "channel")
        if channel < 0 or (channels is not None and channel >= channels):
            raise _fail(record, index, "channel",
                        f"a channel index in [0, {channels})" if channels else "a channel index",
                        channel)
        out["channel"] = channel
    if "text" in record:
        if not isinstance(record["text"], str):
            raise _fail(record, index, "text", "a string", record["text"])
        out["text"] = record["text"]
    return out  # type: ignore[return-value]


def validate_class_label(record: Any, *, labels: Sequence[str] | None = None,
                         multi: bool = False, index: int | None = None) -> ClassLabel:
    """Validate a whole-item label and return a normalized copy.

    Examples
    --------
    >>> validate_class_label({"label": ["cat", "dog"]}, multi=True)["label"]
    ['cat', 'dog']
    """
    out = _base(record, index, labels, (), multi=multi)
    return out  # type: ignore[return-value]


_KINDS: dict[str, Callable[..., Any]] = {
    "box": validate_box,
    "keypoint": validate_keypoint,
    "polygon": validate_polygon,
    "mask": validate_mask,
    "span": validate_span,
    "region": validate_region,
    "class": validate_class_label,
}


def kind_of(record: Mapping[str, Any]) -> str:
    """Infer a record's kind from its fields.

    Examples
    --------
    >>> kind_of({"x": 1, "y": 2, "w": 3, "h": 4, "label": "a"})
    'box'
    """
    if not isinstance(record, Mapping):
        raise TypeError(f"a record must be a dict, got {type(record).__name__}")
    if "w" in record and "h" in record:
        return "box"
    if "points" in record:
        return "polygon"
    if "mask" in record:
        return "mask"
    if "x" in record and "y" in record:
        return "keypoint"
    if "start" in record and "end" in record:
        # Integer offsets mean a span, float times a region: pass kind="region" for a region
        # with whole-number times.
        start, end = record["start"], record["end"]
        floats = isinstance(start, float) or isinstance(end, float)
        return "region" if floats else "span"
    if "label" in record:
        return "class"
    raise ValueError(f"cannot tell the kind of record {dict(record)!r}: expected the fields of a "
                     "box, keypoint, polygon, mask, span, region or class label")


def validate_record(record: Any, *, kind: str | None = None, index: int | None = None,
                    **context: Any) -> dict[str, Any]:
    """Validate a record of any kind (inferred from its fields unless ``kind`` is given).

    Examples
    --------
    >>> validate_record({"label": "cat"})["source"]
    'human'
    """
    kind = kind or kind_of(record)
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {sorted(_KINDS)}, got {kind!r}")
    return dict(_KINDS[kind](record, index=index, **context))


def validate_records(records: Any, *, kind: str, name: str = "records",
                     **context: Any) -> list[dict[str, Any]]:
    """Validate a list of records of one kind; ids must be unique.

    Parameters
    ----------
    records : list of dict or None
        ``None`` means an empty list.
    kind : str
        One of ``"box"``, ``"keypoint"``, ``"polygon"``, ``"mask"``, ``"span"``, ``"region"``,
        ``"class"``.
    name : str
        The argument's name, used in error messages.

    Examples
    --------
    >>> [r["end"] for r in validate_records([{"start": 0, "end": 2, "label": "A"}],
    ...                                       kind="span", text="hello")]
    [2]
    """
    if records is None:
        return []
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise TypeError(f"{name} must be a list of dicts, got {type(records).__name__}")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        try:
            clean = validate_record(record, kind=kind, index=index, **context)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error}") from None
        if clean["id"] in seen:
            raise ValueError(f"{name}: record {index} has a duplicate id {clean['id']!r}")
        seen.add(clean["id"])
        out.append(clean)
    return out
