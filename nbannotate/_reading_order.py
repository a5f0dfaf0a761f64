"""The order in which a page or a recording is transcribed.

Boxes go in reading order (lines top to bottom, grouped by vertical overlap; left to right
within a line), regions in time order. The widgets move through records in the same order
(``Tab`` in the transcription field; ``js/lib/reading_order.ts``), and exporters of
transcriptions write records in it. Both sides are checked on
``tests/fixtures/reading_order.json``.

Examples
--------
>>> words = [{"x": 60, "y": 11, "w": 40, "h": 20}, {"x": 0, "y": 40, "w": 50, "h": 20},
...          {"x": 0, "y": 10, "w": 50, "h": 20}]
>>> reading_order(words)
[2, 0, 1]
>>> time_order([{"start": 2.0, "end": 3.0}, {"start": 0.5, "end": 1.0}])
[1, 0]
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["LINE_OVERLAP", "reading_order", "time_order"]

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


def reading_order(boxes: Sequence[Mapping[str, Any]]) -> list[int]:
    """Return the indices of ``boxes`` in reading order.

    Boxes are taken by their top edge; a box joins the current line when it overlaps the
    line's band (the mean top and mean bottom of the line's boxes) by at least half the
    smaller of the two heights, else it starts a new line. Lines follow one another top to
    bottom; within a line boxes go left to right. Ties keep the input order.

    Parameters
    ----------
    boxes : list of dict
        Records with ``x, y, w, h`` (image pixels, top-left origin); other keys are ignored.

    Returns
    -------
    list of int
        A permutation of ``range(len(boxes))``.

    Examples
    --------
    >>> reading_order([{"x": 50, "y": 0, "w": 40, "h": 20}, {"x": 0, "y": 2, "w": 40, "h": 20}])
    [1, 0]
    """
    rects = _numbers(boxes, "boxes", ("x", "y", "w", "h"))
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
