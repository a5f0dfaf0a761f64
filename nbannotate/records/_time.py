"""Records on a time line: text spans (code-point offsets) and audio regions (seconds).

``end`` is exclusive in both. A span's ``text`` is ``document[start:end]``; a region may
name a ``channel`` and carry a transcription (``text``). The public names are re-exported by
:mod:`nbannotate.records`.

Examples
--------
>>> from nbannotate.records._time import validate_region
>>> validate_region({"start": 1, "end": 2.5, "label": "speech", "channel": 1},
...                 channels=2)["channel"]
1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NotRequired

from ._base import _base, _fail, _integer, _number, _Record, _where

__all__ = ["Region", "Span", "validate_region", "validate_span"]


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
