"""The order in which a page or a recording is transcribed.

Boxes go in reading order (lines top to bottom, grouped by vertical overlap; within a line
left to right, or right to left for pages in Hebrew, Arabic and the other right-to-left
scripts), regions in time order. The widgets move through records in the same order
(``Tab`` in the transcription field; ``js/lib/reading_order.ts``), and exporters of
transcriptions write records in it. Both sides are checked on
``tests/fixtures/reading_order.json``.

Examples
--------
>>> words = [{"x": 60, "y": 11, "w": 40, "h": 20}, {"x": 0, "y": 40, "w": 50, "h": 20},
...          {"x": 0, "y": 10, "w": 50, "h": 20}]
>>> reading_order(words)
[2, 0, 1]
>>> reading_order(words, direction="rtl")
[0, 2, 1]
>>> time_order([{"start": 2.0, "end": 3.0}, {"start": 0.5, "end": 1.0}])
[1, 0]
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["DIRECTIONS", "LINE_OVERLAP", "page_direction", "reading_order", "text_direction",
           "time_order"]

#: Accepted values of ``direction``: ``"auto"`` decides from the boxes' texts.
DIRECTIONS = ("auto", "ltr", "rtl")

#: Two boxes are on one line when they overlap vertically by this part of the smaller height.
LINE_OVERLAP = 0.5


def _numbers(records: Any, name: str, fields: tuple[str, ...]) -> list[tuple[float, ...]]:
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Sequence):
        raise TypeError(f"{name} must be a list of records (dicts), got "
                        f"{type(records).__name__}")
    out = []
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"{name}[{index}] must be a dict with {', '.join(fields)}, got "
                            f"{type(record).__name__}")
        values = []
        for field in fields:
            value = record.get(field)
            if (isinstance(value, bool) or not isinstance(value, numbers.Real)
                    or not math.isfinite(value)):
                raise ValueError(f"{name}[{index}]: {field!r} must be a finite number, got "
                                 f"{value!r}")
            values.append(float(value))
        out.append(tuple(values))
    return out


def text_direction(text: str) -> str | None:
    """The direction of ``text`` from its first strong letter, as HTML's ``dir="auto"``.

    ``"rtl"`` for a letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, ...),
    ``"ltr"`` for any other letter, ``None`` when there is no letter.

    Examples
    --------
    >>> text_direction("12 שלום"), text_direction("Köln"), text_direction("42")
    ('rtl', 'ltr', None)
    """
    for char in text:
        if unicodedata.category(char).startswith("L"):
            return "rtl" if unicodedata.bidirectional(char) in ("R", "AL") else "ltr"
    return None


def page_direction(boxes: Sequence[Mapping[str, Any]]) -> str:
    """``"rtl"`` when more of the boxes' texts are right-to-left than left-to-right.

    Boxes without a ``text`` (or without letters in it) do not count; with none left the
    page reads left to right.

    Examples
    --------
    >>> page_direction([{"text": "שלום"}, {"text": "עולם"}, {"text": "CNN"}])
    'rtl'
    >>> page_direction([{"x": 0}])
    'ltr'
    """
    counts = {"ltr": 0, "rtl": 0}
    for box in boxes:
        text = box.get("text") if isinstance(box, Mapping) else None
        direction = text_direction(text) if isinstance(text, str) else None
        if direction is not None:
            counts[direction] += 1
    return "rtl" if counts["rtl"] > counts["ltr"] else "ltr"


def reading_order(boxes: Sequence[Mapping[str, Any]], direction: str = "ltr") -> list[int]:
    """Return the indices of ``boxes`` in reading order.

    Boxes are taken by their top edge; a box joins the current line when it overlaps the
    line's band (the mean top and mean bottom of the line's boxes) by at least half the
    smaller of the two heights, else it starts a new line. Lines follow one another top to
    bottom; within a line boxes go left to right (by left edge), or right to left (by right
    edge) for ``direction="rtl"``. Ties keep the input order.

    Parameters
    ----------
    boxes : list of dict
        Records with ``x, y, w, h`` (image pixels, top-left origin); other keys are ignored
        (but ``text``, for ``direction="auto"``).
    direction : {"ltr", "rtl", "auto"}
        The page's writing direction; ``"auto"``: :func:`page_direction` of the boxes.

    Returns
    -------
    list of int
        A permutation of ``range(len(boxes))``.

    Examples
    --------
    >>> reading_order([{"x": 50, "y": 0, "w": 40, "h": 20}, {"x": 0, "y": 2, "w": 40, "h": 20}])
    [1, 0]
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {list(DIRECTIONS)}, got {direction!r}")
    rects = _numbers(boxes, "boxes", ("x", "y", "w", "h"))
    if direction == "auto":
        direction = page_direction(boxes)
    by_top = sorted(range(len(rects)), key=lambda i: (rects[i][1], rects[i][0], i))
    lines: list[list[Any]] = []  # [sum of tops, sum of bottoms, members]
    for i in by_top:
        _x, top, _w, height = rects[i]
        bottom = top + height
        if lines:
            line = lines[-1]
            count = len(line[2])
            line_top, line_bottom = line[0] / count, line[1] / count
            overlap = min(bottom, line_bottom) - max(top, line_top)
            need = LINE_OVERLAP * min(height, line_bottom - line_top)
            if overlap >= need and (overlap > 0 or need == 0):
                line[0] += top
                line[1] += bottom
                line[2].append(i)
                continue
        lines.append([top, bottom, [i]])
    out: list[int] = []
    for _top, _bottom, members in lines:
        if direction == "rtl":
            out.extend(sorted(members, key=lambda i: (-(rects[i][0] + rects[i][2]),
                                                      rects[i][1], i)))
        else:
            out.extend(sorted(members, key=lambda i: (rects[i][0], rects[i][1], i)))
    return out


def time_order(regions: Sequence[Mapping[str, Any]]) -> list[int]:
    """Return the indices of ``regions`` by start time, then end time (ties: input order).

    Parameters
    ----------
    regions : list of dict
        Records with ``start`` and ``end`` in seconds; other keys are ignored.

    Examples
    --------
    >>> time_order([{"start": 1.0, "end": 2.0}, {"start": 1.0, "end": 1.5}])
    [1, 0]
    """
    spans = _numbers(regions, "regions", ("start", "end"))
    return sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][1], i))
