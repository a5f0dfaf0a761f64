"""Shared helpers for the format converters: item shapes and checks, numbers, warnings.

Three item shapes carry records in and out of every converter:

* image item: ``{"image": str, "width": int, "height": int, "boxes": [...],
  "keypoints": [...], "polygons": [...], "masks": [...]}`` (missing lists are empty);
* document item: ``{"text": str, "spans": [...]}`` plus an optional ``"id"``;
* clip item: ``{"audio": str, "duration": float, "regions": [...]}``.

Readers always return every list, and records normalized by :mod:`nbannotate.records`.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypedDict

from ..records import Box, Keypoint, Mask, Polygon, Region, Span, validate_records

__all__ = [
    "ClipItem",
    "DocumentItem",
    "ImageItem",
    "check_clip_item",
    "check_document_item",
    "check_image_item",
    "check_labels",
    "check_list",
    "format_number",
    "json_lines",
    "warn",
]


class ImageItem(TypedDict):
    """An image with its annotations, all in original-image pixels."""

    image: str
    width: int
    height: int
    boxes: list[Box]
    keypoints: list[Keypoint]
    polygons: list[Polygon]
    masks: list[Mask]


class _DocumentBase(TypedDict):
    text: str
    spans: list[Span]


class DocumentItem(_DocumentBase, total=False):
    """A text document with its spans; ``id`` is optional."""

    id: str


class ClipItem(TypedDict):
    """An audio clip with its regions, in seconds."""

    audio: str
    duration: float
    regions: list[Region]


IMAGE_LISTS = (("boxes", "box"), ("keypoints", "keypoint"), ("polygons", "polygon"),
               ("masks", "mask"))


def check_list(value: Any, name: str) -> list[Any]:
    """Return ``value`` as a list, or raise ``TypeError`` naming it (``None`` is empty)."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list, got {type(value).__name__}")
    return list(value)


def check_labels(labels: Any, name: str = "labels") -> list[str]:
    """Return ``labels`` as a list of distinct strings, or raise naming the bad entry."""
    out = check_list(labels, name)
    seen: set[str] = set()
    for index, label in enumerate(out):
        if not isinstance(label, str) or not label:
            raise ValueError(f"{name}[{index}] must be a non-empty string, got {label!r}")
        if label in seen:
            raise ValueError(f"{name}[{index}] repeats the label {label!r}")
        seen.add(label)
    return out


def _positive_int(item: Mapping[str, Any], field: str, where: str) -> int:
    value = item.get(field)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{where}: field {field!r} must be a positive integer (pixels), "
                         f"got {value!r}")
    return value


def _item_name(item: Any, key: str) -> str:
    name = item.get(key) if isinstance(item, Mapping) else None
    return f" ({name!r})" if isinstance(name, str) else ""


def check_image_item(item: Any, index: int | None = None, *,
                     labels: Sequence[str] | None = None,
                     keypoint_labels: Sequence[str] | None = None) -> ImageItem:
    """Validate an image item and return a normalized copy with every list present.

    Keypoints with a ``box_id`` must name a box of the same item; masks must have the
    image's size. ``labels`` / ``keypoint_labels``, when given, restrict the labels.

    Examples
    --------
    >>> item = check_image_item({"image": "a.jpg", "width": 4, "height": 3})
    >>> item["boxes"], item["width"]
    ([], 4)
    """
    place = "image item" if index is None else f"image item {index}"
    if not isinstance(item, Mapping):
        raise TypeError(f"{place} must be a dict, got {type(item).__name__}")
    known = {"image", "width", "height", *(key for key, _ in IMAGE_LISTS)}
    unknown = set(item) - known
    if unknown:
        raise ValueError(f"{place}: unknown key(s) {sorted(unknown)}; expected {sorted(known)}")
    image = item.get("image")
    if not isinstance(image, str) or not image:
        raise ValueError(f"{place}: field 'image' must be a non-empty string (a file name or "
                         f"path), got {image!r}")
    where = f"{place} ({image!r})"
    width = _positive_int(item, "width", where)
    height = _positive_int(item, "height", where)
    out: dict[str, Any] = {"image": image, "width": width, "height": height}
    for key, kind in IMAGE_LISTS:
        context: dict[str, Any] = {}
        if kind == "mask":
            context["image_size"] = (width, height)
        if kind in ("box", "polygon", "mask") and labels is not None:
            context["labels"] = labels
        if kind == "keypoint" and keypoint_labels is not None:
            context["labels"] = keypoint_labels
        out[key] = validate_records(item.get(key), kind=kind, name=f"{where} {key}", **context)
    box_ids = {box["id"] for box in out["boxes"]}
    for number, point in enumerate(out["keypoints"]):
        if "box_id" in point and point["box_id"] not in box_ids:
            raise ValueError(f"{where} keypoints: record {number} (id={point['id']!r}): field "
                             f"'box_id' must be the id of a box of this item, got "
                             f"{point['box_id']!r}")
    return out  # type: ignore[return-value]


def check_document_item(doc: Any, index: int | None = None, *,
                        labels: Sequence[str] | None = None) -> DocumentItem:
    """Validate a document item and return a normalized copy.

    Examples
    --------
    >>> doc = check_document_item({"text": "Anna", "spans": [
    ...     {"start": 0, "end": 4, "label": "PER"}]})
    >>> doc["spans"][0]["text"]
    'Anna'
    """
    place = "document" if index is None else f"document {index}"
    if not isinstance(doc, Mapping):
        raise TypeError(f"{place} must be a dict, got {type(doc).__name__}")
    unknown = set(doc) - {"text", "spans", "id"}
    if unknown:
        raise ValueError(f"{place}: unknown key(s) {sorted(unknown)}; expected 'text', "
                         "'spans' and optionally 'id'")
    text = doc.get("text")
    if not isinstance(text, str):
        raise ValueError(f"{place}: field 'text' must be a string, got {text!r}")
    out: dict[str, Any] = {"text": text}
    if doc.get("id") is not None:
        if not isinstance(doc["id"], str) or not doc["id"]:
            raise ValueError(f"{place}: field 'id' must be a non-empty string, got {doc['id']!r}")
        out["id"] = doc["id"]
        place += f" (id={doc['id']!r})"
    context: dict[str, Any] = {"text": text}
    if labels is not None:
        context["labels"] = labels
    out["spans"] = validate_records(doc.get("spans"), kind="span", name=f"{place} spans",
                                    **context)
    return out  # type: ignore[return-value]


def check_clip_item(clip: Any, index: int | None = None, *,
                    labels: Sequence[str] | None = None) -> ClipItem:
    """Validate a clip item and return a normalized copy.

    Examples
    --------
    >>> clip = check_clip_item({"audio": "a.wav", "duration": 2, "regions": [
    ...     {"start": 0.5, "end": 1.0, "label": "bird"}]})
    >>> clip["duration"], clip["regions"][0]["end"]
    (2.0, 1.0)
    """
    place = "clip" if index is None else f"clip {index}"
    if not isinstance(clip, Mapping):
        raise TypeError(f"{place} must be a dict, got {type(clip).__name__}")
    unknown = set(clip) - {"audio", "duration", "regions"}
    if unknown:
        raise ValueError(f"{place}: unknown key(s) {sorted(unknown)}; expected 'audio', "
                         "'duration' and 'regions'")
    audio = clip.get("audio")
    if not isinstance(audio, str) or not audio:
        raise ValueError(f"{place}: field 'audio' must be a non-empty string (a file name or "
                         f"path), got {audio!r}")
    where = f"{place} ({audio!r})"
    duration = clip.get("duration")
    if (isinstance(duration, bool) or not isinstance(duration, (int, float))
            or not math.isfinite(duration) or duration <= 0):
        raise ValueError(f"{where}: field 'duration' must be a positive number of seconds, "
                         f"got {duration!r}")
    context: dict[str, Any] = {"duration": float(duration)}
    if labels is not None:
        context["labels"] = labels
    regions = validate_records(clip.get("regions"), kind="region", name=f"{where} regions",
                               **context)
    return {"audio": audio, "duration": float(duration), "regions": regions}  # type: ignore


def format_number(value: float) -> str:
    """Write a number without loss: integers without a decimal point, else ``repr``.

    Examples
    --------
    >>> format_number(12.0), format_number(0.1 + 0.2)
    ('12', '0.30000000000000004')
    """
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def warn(message: str, depth: int = 1) -> None:
    """Emit a ``UserWarning`` attributed to the user's code.

    ``depth`` is how many nbannotate frames sit between the user and this call's caller
    (1 when a public converter calls ``warn`` itself).
    """
    warnings.warn(message, UserWarning, stacklevel=2 + depth)


def json_lines(text: Any, what: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line of JSONL text.

    Errors name the line (``"{what} line 3: ..."``). Lines are split on line feeds only, as
    ``str.splitlines`` would also split at U+2028 inside JSON strings; a byte-order mark and
    CRLF endings are accepted.

    Examples
    --------
    >>> list(json_lines(chr(10).join(['{"a": 1}', '', '{"a": 2}' + chr(13)]), "JSONL"))
    [(1, {'a': 1}), (3, {'a': 2})]
    >>> list(json_lines("[1]", "NeMo manifest"))
    Traceback (most recent call last):
    ...
    ValueError: NeMo manifest line 1: must be a JSON object, got '[1]'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (the file content), got {type(text).__name__}")
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{what} line {number}: not valid JSON ({error.msg} at column "
                             f"{error.colno})") from None
        if not isinstance(value, Mapping):
            raise ValueError(f"{what} line {number}: must be a JSON object, got {line[:80]!r}")
        yield number, value
