"""SubRip (SRT) subtitles from transcribed regions, and back.

Writing (``to_srt``)
    One numbered cue per region with a ``text`` (others are left out with a warning), in
    time order, times ``HH:MM:SS,mmm`` rounded to the millisecond (a region shorter than
    that is an error). With ``label_prefix=True`` (the default) the label is written as a
    speaker prefix ``label: `` in front of the text, so it cannot hold ``:`` or a line
    break; with ``False`` labels are not written. SRT has no escapes and no comments: a
    text cannot hold an empty line (it would end the cue), a carriage return or a line
    that reads as a timing line (each is an error naming the region), and ids, sources,
    scores and channels are not kept.

Reading (``from_srt``)
    Robust to real-world files: byte-order mark, CRLF / CR line ends, missing cue numbers
    or missing blank lines between cues, blank lines inside a cue, ``.`` instead of ``,``
    before the milliseconds, and coordinates after the timing (ignored). With
    ``strip_tags=True`` the formatting tags players understand (``<i>``, ``<b>``, ``<u>``,
    ``<s>``, ``<font ...>`` and their end tags, and ``{\\an8}``-style position codes) are
    removed; other text, ``<`` and ``&`` included, is kept as it is. With
    ``label_prefix=True`` a first line starting with ``name:`` followed by a space or the
    line end gives the label (and is removed from the text); other cues get ``label=``.
    Records get fresh ids and ``source="human"``.

Examples
--------
>>> regions = [{"id": "r1", "label": "Dana", "start": 0.5, "end": 2.0, "text": "שלום,\\nworld"}]
>>> text = to_srt(regions)
>>> print(text, end="")
1
00:00:00,500 --> 00:00:02,000
Dana: שלום,
world
>>> region = from_srt(text)[0]
>>> region["label"], region["text"], region["end"]
('Dana', 'שלום,\\nworld', 2.0)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..records import Region, new_id, validate_region
from ._subtitles import (
    TIMING,
    cue_milliseconds,
    format_time,
    parse_timing,
    split_lines,
    transcribed,
)

__all__ = ["from_srt", "to_srt"]

_PREFIX = re.compile(r"^([^:\n]+):(?: |$)")
_FORMATTING = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)


def to_srt(regions: Sequence[Any], *, label_prefix: bool = True) -> str:
    """Write transcribed regions as an SRT file.

    Parameters
    ----------
    regions : list of dict
        Region records (seconds, ``end`` exclusive); those with a ``text`` become cues.
    label_prefix : bool
        Write each label as a speaker prefix ``label: `` (not for an empty label).

    Returns
    -------
    str
        The file content: numbered cues separated by blank lines.

    Examples
    --------
    >>> to_srt([{"id": "a", "label": "x", "start": 0, "end": 1, "text": "one\\n\\ntwo"}])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: region 0 (id='a'): SRT cannot hold an empty line inside a cue (players end ...
    """
    if not isinstance(label_prefix, bool):
        raise TypeError(f"label_prefix must be True or False, got {label_prefix!r}")
    cues = []
    for number, (index, region) in enumerate(transcribed(regions, "SRT"), 1):
        where = f"region {index} (id={region['id']!r})"
        text, label = region["text"], region["label"]
        lines = text.split("\n") if text else []
        if "\r" in text:
            raise ValueError(f"{where}: SRT cannot hold a carriage return in a cue")
        if any(not line.strip() for line in lines):
            raise ValueError(f"{where}: SRT cannot hold an empty line inside a cue (players end "
                             "the cue there)")
        if any(TIMING.match(line) for line in lines):
            raise ValueError(f"{where}: a line of the text reads as an SRT timing line")
        if label_prefix and label:
            if ":" in label or "\n" in label or "\r" in label or label != label.strip():
                raise ValueError(f"{where}: a label written as a speaker prefix cannot hold "
                                 f"':', line breaks or edge spaces, got {label!r} (pass "
                                 "label_prefix=False)")
            lines = [f"{label}: {lines[0]}" if lines else f"{label}:", *lines[1:]]
        start, end = cue_milliseconds(region, where)
        timing = f"{format_time(start, ',')} --> {format_time(end, ',')}"
        cues.append("\n".join([str(number), timing, *lines]) + "\n")
    return "\n".join(cues)


def from_srt(text: str, *, label_prefix: bool = True, label: str = "speech",
             strip_tags: bool = True) -> list[Region]:
    """Read the cues of an SRT file into regions with ``text``.

    Parameters
    ----------
    text : str
        The file content.
    label_prefix : bool
        Read a speaker prefix ``name: `` on a cue's first line as its label.
    label : str
        The label of cues without a prefix (of every cue when ``label_prefix=False``).
    strip_tags : bool
        Remove the formatting tags SRT players understand (see the module notes).

    Returns
    -------
    list of Region
        One per cue, in file order.

    Examples
    --------
    >>> srt = ("1\\r\\n00:00:01,000 --> 00:00:02,500\\r\\n<i>Wait:</i> {\\\\an8}a < b\\r\\n"
    ...        "00:00:03.000 --> 00:00:04,000\\r\\nGO\\r\\n")
    >>> [(r["start"], r["label"], r["text"]) for r in from_srt(srt)]
    [(1.0, 'Wait', 'a < b'), (3.0, 'speech', 'GO')]
    >>> [r["text"] for r in from_srt(srt, label_prefix=False, strip_tags=False)]
    ['<i>Wait:</i> {\\\\an8}a < b', 'GO']
    """
    for name, flag in (("label_prefix", label_prefix), ("strip_tags", strip_tags)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    lines = split_lines(text)
    timings: list[tuple[int, tuple[float, float]]] = []
    for index, line in enumerate(lines):
        times = parse_timing(line, f"SRT line {index + 1}")
        if times is not None:
            timings.append((index, times))
    starts: list[int] = []  # where each cue begins: its number line, else its timing line
    for index, _ in timings:
        before = index - 1
        has_number = before >= 0 and lines[before].strip().isdigit() and (
            not starts or before > timings[len(starts) - 1][0])
        starts.append(before if has_number else index)
    first = starts[0] if starts else len(lines)
    for index in range(first):
        if lines[index].strip():
            raise ValueError(f"SRT line {index + 1}: expected a cue number and a timing line "
                             f"like '00:00:01,000 --> 00:00:02,000', got {lines[index][:60]!r}")
    regions: list[Region] = []
    for cue, (index, (start, end)) in enumerate(timings):
        stop = starts[cue + 1] if cue + 1 < len(starts) else len(lines)
        body = lines[index + 1:stop]
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        plain = "\n".join(body)
        if strip_tags:
            plain = _FORMATTING.sub("", plain)
        record: dict[str, Any] = {"id": new_id(), "label": label, "start": start, "end": end}
        match = _PREFIX.match(plain) if label_prefix else None
        if match:
            record["label"] = match[1].strip()
            plain = plain[match.end():]
        record["text"] = plain
        try:
            regions.append(validate_region(record))
        except (TypeError, ValueError) as error:
            raise ValueError(f"SRT line {index + 1}: {error}") from None
    return regions
