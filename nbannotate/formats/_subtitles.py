"""Shared pieces of the WebVTT and SRT converters: lines, timestamps, cue times, regions."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from ..records import Region, validate_records
from ..records.reading_order import time_order
from ._common import warn

__all__ = ["TIMING", "cue_milliseconds", "format_time", "parse_timing", "split_lines",
           "transcribed"]

# A timestamp as players accept it: hours optional (WebVTT), "," or "." before the fraction.
_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d+)?"
TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:[ \t].*)?$")


def split_lines(text: Any) -> list[str]:
    """The lines of a subtitle file: byte-order mark dropped, CRLF / CR / LF all line ends.

    Examples
    --------
    >>> split_lines("\\ufeffa\\r\\nb\\rc")
    ['a', 'b', 'c']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (the file content), got {type(text).__name__}")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _seconds(stamp: str, where: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    hours = int(parts[0]) if len(parts) == 3 else 0
    minutes, seconds = int(parts[-2]), float(parts[-1])
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"{where}: timestamp {stamp!r} has minutes or seconds of 60 or more")
    return hours * 3600 + minutes * 60 + seconds


def parse_timing(line: str, where: str) -> tuple[float, float] | None:
    """``(start, end)`` in seconds of a cue timing line, or ``None`` if it is not one.

    Examples
    --------
    >>> parse_timing("00:01.5 --> 01:00:02,250 align:start", "line 1")
    (1.5, 3602.25)
    >>> parse_timing("00:00:02.000 --> 00:00:01.000", "line 3")
    Traceback (most recent call last):
    ...
    ValueError: line 3: the cue ends at 1.0 s, before it starts (2.0 s)
    """
    match = TIMING.match(line)
    if match is None:
        return None
    start, end = _seconds(match[1], where), _seconds(match[2], where)
    if end < start:
        raise ValueError(f"{where}: the cue ends at {end} s, before it starts ({start} s)")
    return start, end


def format_time(milliseconds: int, separator: str) -> str:
    """``HH:MM:SS.mmm`` (or with ``,``) for a whole number of milliseconds.

    Examples
    --------
    >>> format_time(3_723_004, ","), format_time(360_000_000, ".")
    ('01:02:03,004', '100:00:00.000')
    """
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def cue_milliseconds(region: Region, where: str) -> tuple[int, int]:
    """A region's start and end rounded to milliseconds; a region shorter than that fails.

    Examples
    --------
    >>> cue_milliseconds({"start": 1.0004, "end": 1.0006}, "region 0")
    (1000, 1001)
    >>> cue_milliseconds({"start": 1.0001, "end": 1.0004}, "region 2")
    Traceback (most recent call last):
    ...
    ValueError: region 2: [1.0001, 1.0004] s collapses to a point at millisecond precision
    """
    start, end = (math.floor(region[key] * 1000 + 0.5) for key in ("start", "end"))
    if end <= start:
        raise ValueError(f"{where}: [{region['start']}, {region['end']}] s collapses to a "
                         "point at millisecond precision")
    return start, end


def transcribed(regions: Sequence[Any], what: str) -> list[tuple[int, Region]]:
    """Validated regions with a ``text``, in time order, with their index in ``regions``.

    Regions without text are left out with a warning (attributed to the public caller).
    """
    checked = validate_records(regions, kind="region", name="regions")
    kept = [(index, region) for index, region in enumerate(checked) if "text" in region]
    if len(kept) < len(checked):
        warn(f"{what} holds transcribed regions only: {len(checked) - len(kept)} regions "
             "without text were not written", 2)
    order = time_order([region for _, region in kept])
    return [kept[position] for position in order]  # type: ignore[misc]
