"""Annotation records: the JSON shapes that cross between Python, the browser and the store.

Every record is a plain ``dict`` with an ``id`` (a stable string), a ``label`` and a
``source`` in ``{"human", "model", "auto", "gold"}``; model output adds ``score`` in
``[0, 1]``; a ``gold`` record (a reviewer's decision) may add ``decided_by`` and ``from``.
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

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NotRequired, TypedDict

# The records live in small modules by kind; this module is their public face.
from ._base import SOURCES, Source, _base, new_id
from ._geometry import (
    Box,
    Keypoint,
    Mask,
    Polygon,
    validate_box,
    validate_keypoint,
    validate_mask,
    validate_polygon,
)
from ._time import Region, Span, validate_region, validate_span

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


class ClassLabel(TypedDict):
    """A whole-item label (a list of labels for multi-label tasks)."""

    id: str
    label: str | list[str]
    source: Source
    score: NotRequired[float]


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
