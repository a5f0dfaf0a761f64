"""WebVTT subtitles from transcribed regions, and back.

Writing (``to_webvtt``)
    One cue per region with a ``text`` (others are left out with a warning), in time
    order: the region ``id`` is the cue identifier, times are ``HH:MM:SS.mmm`` (rounded to
    the millisecond; a region shorter than that is an error), and the label is a voice
    span ``<v label>`` in front of the text. The text keeps its lines; ``&``, ``<`` and
    ``>`` are escaped as character references (so no line can hold ``-->``), a carriage
    return is written ``&#13;``, and a line feed that would leave an empty line (which ends
    a cue) is written ``&#10;``. ``source`` (when not ``"human"``), ``score`` and
    ``channel`` go to a comment block ``NOTE nbannotate {...}`` just before the cue, which
    players ignore. An empty label writes no voice span.

Reading (``from_webvtt``)
    Follows the WebVTT parsing rules: byte-order mark, CRLF / CR line ends, header lines,
    ``NOTE``, ``STYLE`` and ``REGION`` blocks (skipped), cue identifiers (the record id;
    without one a fresh id), hours-less timestamps, cue settings (ignored), and a ``-->``
    line that starts a new cue without a blank line. The text is the cue's plain text:
    tags (``<c>``, ``<i>``, ``<b>``, ``<u>``, ``<lang>``, ``<ruby>``, timestamps) are
    removed, ruby text (``<rt>``) is dropped and character references are decoded. The
    first voice span's name is the label, else ``label=``. A cue that ends before it
    starts, or when it starts, is an error naming its line.

Examples
--------
>>> regions = [{"id": "c1", "label": "Ana", "start": 1.5, "end": 3.25,
...             "text": "مرحبا <world> & you"}]
>>> text = to_webvtt(regions)
>>> print(text, end="")
WEBVTT
<BLANKLINE>
c1
00:00:01.500 --> 00:00:03.250
<v Ana>مرحبا &lt;world&gt; &amp; you
>>> region = from_webvtt(text)[0]
>>> region["id"], region["label"], region["text"]
('c1', 'Ana', 'مرحبا <world> & you')
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from ..records import Region, new_id, validate_region
from ._common import warn
from ._subtitles import cue_milliseconds, format_time, parse_timing, split_lines, transcribed

__all__ = ["from_webvtt", "to_webvtt"]

_META = "NOTE nbannotate "
_TAG = re.compile(r"<([^>]*)>?")
_BLOCK_KEYWORDS = re.compile(r"^(NOTE|STYLE|REGION)(?:[ \t]|$)")
# WebVTT's "space characters" (ASCII only: a no-break space is part of a voice name)
_SPACES = re.compile(r"[ \t\n\f\r]+")


def _collapsed(text: str) -> str:
    """``text`` with runs of WebVTT spaces made one space, and no edge spaces."""
    return _SPACES.sub(" ", text).strip(" ")


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _payload(text: str) -> str:
    """Escaped cue text whose lines are never empty (such line feeds become ``&#10;``)."""
    lines = _escape(text).split("\n")
    out = lines[0]
    for line in lines[1:]:
        last = out.rpartition("\n")[2]
        out += ("&#10;" if last == "" or line == "" else "\n") + line
    return out


def to_webvtt(regions: Sequence[Any]) -> str:
    """Write transcribed regions as a WebVTT file.

    Parameters
    ----------
    regions : list of dict
        Region records (seconds, ``end`` exclusive); those with a ``text`` become cues.

    Returns
    -------
    str
        The file content, starting with ``WEBVTT``.

    Examples
    --------
    >>> print(to_webvtt([{"id": "a", "label": "", "start": 0, "end": 0.5, "text": "x\\n\\ny",
    ...                   "source": "model", "score": 0.5}]), end="")
    WEBVTT
    <BLANKLINE>
    NOTE nbannotate {"source": "model", "score": 0.5}
    <BLANKLINE>
    a
    00:00:00.000 --> 00:00:00.500
    x&#10;
    y
    """
    blocks = ["WEBVTT\n"]
    for index, region in transcribed(regions, "WebVTT"):
        where = f"region {index} (id={region['id']!r})"
        if "\n" in region["id"] or "\r" in region["id"] or "-->" in region["id"]:
            raise ValueError(f"{where}: a WebVTT cue identifier cannot hold a line break or "
                             "'-->'")
        label = region["label"]
        if label and _collapsed(label) != label:
            raise ValueError(f"{where}: a WebVTT voice name cannot hold line breaks, tabs, "
                             f"repeated or edge spaces, got {label!r}")
        start, end = cue_milliseconds(region, where)
        meta = {key: region[key] for key in ("source", "score", "channel") if key in region}
        if meta.get("source") == "human":
            del meta["source"]
        if meta:
            blocks.append(_META + json.dumps(meta, ensure_ascii=False) + "\n")
        voice = f"<v {_escape(label)}>" if label else ""
        payload = voice + _payload(region["text"])
        blocks.append(f"{region['id']}\n{format_time(start, '.')} --> {format_time(end, '.')}\n"
                      + (payload + "\n" if payload else ""))
    return "\n".join(blocks)


def _cue_text(payload: str) -> tuple[str | None, str]:
    """The first voice name and the plain text of a cue payload."""
    voice: str | None = None
    pieces: list[str] = []
    ruby_text = 0
    position = 0
    for match in _TAG.finditer(payload):
        if not ruby_text:
            pieces.append(html.unescape(payload[position:match.start()]))
        position = match.end()
        tag = match[1]
        name = re.split(r"[ \t\n\f\r.]", tag.lstrip("/"), maxsplit=1)[0]
        if name == "rt":
            ruby_text = max(0, ruby_text + (-1 if tag.startswith("/") else 1))
        elif name == "v" and voice is None and not tag.startswith("/"):
            annotation = _SPACES.split(tag, maxsplit=1)[1:] or [""]
            voice = _collapsed(html.unescape(annotation[0]))
    if not ruby_text:
        pieces.append(html.unescape(payload[position:]))
    return voice, "".join(pieces)


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Blocks of (line number, line) after the header, split as the WebVTT parser does."""
    index = 1
    while index < len(lines) and lines[index] != "" and "-->" not in lines[index]:
        index += 1  # header lines (a timing line right after them starts the first cue)
    blocks: list[list[tuple[int, str]]] = []
    while index < len(lines):
        if lines[index] == "":
            index += 1
            continue
        block: list[tuple[int, str]] = []
        arrow = False
        while index < len(lines) and lines[index] != "":
            if "-->" in lines[index]:
                if arrow or len(block) >= 2:
                    break  # a timing line without a blank line before it starts a new cue
                arrow = True
            block.append((index + 1, lines[index]))
            index += 1
        blocks.append(block)
    return blocks


def from_webvtt(text: str, *, label: str = "speech") -> list[Region]:
    """Read the cues of a WebVTT file into regions with ``text``.

    Parameters
    ----------
    text : str
        The file content.
    label : str
        The label of cues without a voice span.

    Returns
    -------
    list of Region
        One per cue, in file order.

    Examples
    --------
    >>> vtt = ("WEBVTT - lecture\\n\\nSTYLE\\n::cue { color: lime }\\n\\n"
    ...        "01:02.000 --> 01:04.500 line:0\\n<v.loud Maria>Hola <i>amigos</i>\\n"
    ...        "<c.blue>&lt;3</c>\\n")
    >>> region = from_webvtt(vtt)[0]
    >>> region["start"], region["end"], region["label"], region["text"]
    (62.0, 64.5, 'Maria', 'Hola amigos\\n<3')
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    lines = split_lines(text)
    if not lines[0].startswith("WEBVTT") or lines[0][6:7] not in ("", " ", "\t"):
        raise ValueError(f"WebVTT line 1: a WebVTT file starts with 'WEBVTT', got "
                         f"{lines[0][:40]!r}")
    regions: list[Region] = []
    ids: set[str] = set()
    meta: dict[str, Any] = {}
    skipped = 0
    for block in _blocks(lines):
        arrow = next((n for n, (_, line) in enumerate(block[:2]) if "-->" in line), None)
        if arrow is None:
            first = block[0][1]
            if first.startswith(_META):
                try:
                    meta = json.loads(first[len(_META):])
                except json.JSONDecodeError as error:
                    raise ValueError(f"WebVTT line {block[0][0]}: the nbannotate note is not "
                                     f"valid JSON ({error.msg})") from None
            elif not _BLOCK_KEYWORDS.match(first):
                skipped += 1
            continue
        number, timing = block[arrow]
        where = f"WebVTT line {number}"
        times = parse_timing(timing, where)
        if times is None:
            raise ValueError(f"{where}: expected a cue timing like '00:00:01.000 --> "
                             f"00:00:02.000', got {timing!r}")
        voice, plain = _cue_text("\n".join(line for _, line in block[arrow + 1:]))
        record: dict[str, Any] = {"id": block[0][1] if arrow else new_id(),
                                  "label": label if voice is None else voice,
                                  "start": times[0], "end": times[1], "text": plain}
        if isinstance(meta, dict):
            record.update({k: meta[k] for k in ("source", "score", "channel") if k in meta})
        meta = {}
        try:
            region = validate_region(record)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}: {error}") from None
        if region["id"] in ids:
            raise ValueError(f"{where}: the cue identifier {region['id']!r} repeats an earlier "
                             "cue's")
        ids.add(region["id"])
        regions.append(region)
    if skipped:
        warn(f"WebVTT: {skipped} blocks that are neither cues nor NOTE, STYLE or REGION blocks "
             "were skipped")
    return regions
