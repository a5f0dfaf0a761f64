"""NeMo-style speech manifests (JSONL): one line per transcribed region.

Each line is one JSON object, as NVIDIA NeMo's ASR data loaders read them::

    {"audio_filepath": "calls/a.wav", "offset": 1.5, "duration": 2.25, "text": "...",
     "label": "speech", "nbannotate_id": "r1", "nbannotate_source": "human",
     "nbannotate_clip_duration": 60.0}

``offset`` is the region's start and ``duration`` its length (``end - start``, rounded to
the nanosecond), in seconds. The keys NeMo does not know (``label`` and ``nbannotate_*``:
``id``, ``source``, ``score``, ``channel`` and the whole clip's duration) are ignored by its
loaders. Within a clip, lines follow time order (``nbannotate.records.reading_order.time_order``).

Only regions with a ``text`` are written (a text of ``""`` counts); the others are left
out with a warning that counts them, and a clip without transcribed regions has no line.

Reading accepts manifests from elsewhere: a line without ``offset`` starts at 0 (a whole
file), ``label`` defaults to ``label=``, the id to a fresh one and the source to
``"human"``. A clip's duration comes from ``nbannotate_clip_duration``, else from
``clip_durations=``, else it is the end of its last region.

Examples
--------
>>> clips = [{"audio": "a.wav", "duration": 4.0, "regions": [
...     {"id": "r1", "label": "speech", "start": 0.5, "end": 1.75, "text": "שלום world"}]}]
>>> text = to_nemo_manifest(clips)
>>> print(text, end="")  # doctest: +NORMALIZE_WHITESPACE
{"audio_filepath": "a.wav", "offset": 0.5, "duration": 1.25, "text": "שלום world",
 "label": "speech", "nbannotate_id": "r1", "nbannotate_source": "human",
 "nbannotate_clip_duration": 4.0}
>>> from_nemo_manifest(text)[0]["regions"][0]["end"]
1.75
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..records import new_id, validate_region
from ..records.reading_order import time_order
from ._common import ClipItem, check_clip_item, check_list, json_lines, warn

__all__ = ["from_nemo_manifest", "to_nemo_manifest"]

PREFIX = "nbannotate_"


def to_nemo_manifest(items: Sequence[Any]) -> str:
    """Write the transcribed regions of clip items as a NeMo manifest.

    Parameters
    ----------
    items : list of dict
        Clip items ``{"audio", "duration", "regions"}``.

    Returns
    -------
    str
        One JSON object per line, each ending in a newline; ``""`` when there is none.

    Examples
    --------
    >>> to_nemo_manifest([{"audio": "a.wav", "duration": 1.0, "regions": [
    ...     {"id": "r", "label": "speech", "start": 0.5, "end": 2.0, "text": "hi"}]}])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: clip 0 ('a.wav') regions: record 0 (id='r'): field 'end' must be at most ...
    """
    lines: list[str] = []
    untranscribed = 0
    for index, raw in enumerate(check_list(items, "items")):
        clip = check_clip_item(raw, index)
        regions = [region for region in clip["regions"] if "text" in region]
        untranscribed += len(clip["regions"]) - len(regions)
        for position in time_order(regions):
            region = regions[position]
            line: dict[str, Any] = {"audio_filepath": clip["audio"], "offset": region["start"],
                                    # to the nanosecond: 1.2, not 1.2000000000000002
                                    "duration": round(region["end"] - region["start"], 9),
                                    "text": region["text"], "label": region["label"],
                                    PREFIX + "id": region["id"],
                                    PREFIX + "source": region["source"]}
            for key in ("score", "channel"):
                if key in region:
                    line[PREFIX + key] = region[key]
            line[PREFIX + "clip_duration"] = clip["duration"]
            lines.append(json.dumps(line, ensure_ascii=False) + "\n")
    if untranscribed:
        warn(f"a NeMo manifest holds transcribed regions only: {untranscribed} regions without "
             "text were not written")
    return "".join(lines)


def _seconds(line: Mapping[str, Any], key: str, where: str, default: float | None) -> float:
    value = line.get(key, default)
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value < 0):
        raise ValueError(f"{where}: field {key!r} must be a non-negative number of seconds, "
                         f"got {line.get(key)!r}")
    return float(value)


def from_nemo_manifest(text: str, *, label: str = "speech",
                       clip_durations: Mapping[str, float] | None = None) -> list[ClipItem]:
    """Read a NeMo manifest into clip items (regions with ``text``).

    Parameters
    ----------
    text : str
        The manifest content, one JSON object per line (blank lines are skipped).
    label : str
        The label of lines without one.
    clip_durations : dict, optional
        ``{audio_filepath: seconds}`` for lines without ``nbannotate_clip_duration``.

    Returns
    -------
    list of ClipItem
        One per audio file, in order of first appearance; regions in line order.

    Examples
    --------
    >>> line = '{"audio_filepath": "b.wav", "duration": 3.5, "text": "مرحبا"}'
    >>> clip = from_nemo_manifest(line)[0]
    >>> clip["duration"], clip["regions"][0]["start"], clip["regions"][0]["label"]
    (3.5, 0.0, 'speech')
    >>> from_nemo_manifest('{"audio_filepath": "b.wav", "duration": 0, "text": ""}')
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: NeMo manifest line 1: record (id=...): field 'end' must be greater than start ...
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    clips: dict[str, dict[str, Any]] = {}
    for number, line in json_lines(text, "NeMo manifest"):
        where = f"NeMo manifest line {number}"
        audio = line.get("audio_filepath")
        if not isinstance(audio, str) or not audio:
            raise ValueError(f"{where}: field 'audio_filepath' must be a non-empty string, got "
                             f"{audio!r}")
        offset = _seconds(line, "offset", where, 0.0)
        length = _seconds(line, "duration", where, None)
        if not isinstance(line.get("text"), str):
            raise ValueError(f"{where}: field 'text' must be a string, got "
                             f"{line.get('text')!r}")
        record: dict[str, Any] = {"id": line.get(PREFIX + "id", new_id()),
                                  "label": line.get("label", label),
                                  "source": line.get(PREFIX + "source", "human"),
                                  "start": offset, "end": offset + length,
                                  "text": line["text"]}
        for key in ("score", "channel"):
            if line.get(PREFIX + key) is not None:
                record[key] = line[PREFIX + key]
        try:
            region = validate_region(record)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}: {error}") from None
        clip = clips.setdefault(audio, {"audio": audio, "duration": None, "regions": [],
                                        "lines": []})
        stored = line.get(PREFIX + "clip_duration")
        if stored is not None:
            if clip["duration"] is not None and stored != clip["duration"]:
                raise ValueError(f"{where}: {PREFIX}clip_duration {stored!r} differs from "
                                 f"{clip['duration']!r} on an earlier line of {audio!r}")
            clip["duration"] = stored
        if any(other["id"] == region["id"] for other in clip["regions"]):
            raise ValueError(f"{where}: id {region['id']!r} repeats the id of an earlier region "
                             f"of {audio!r}")
        clip["regions"].append(region)
        clip["lines"].append(number)
    items: list[ClipItem] = []
    for index, clip in enumerate(clips.values()):
        duration = clip["duration"]
        if duration is None and clip_durations is not None and clip["audio"] in clip_durations:
            duration = clip_durations[clip["audio"]]
        if duration is None:
            duration = max(region["end"] for region in clip["regions"])
        for region, number in zip(clip["regions"], clip["lines"], strict=True):
            if (isinstance(duration, (int, float)) and not isinstance(duration, bool)
                    and region["end"] > duration + 1e-9):
                raise ValueError(f"NeMo manifest line {number}: the region ends at "
                                 f"{region['end']} s, after the end of {clip['audio']!r} "
                                 f"({duration} s)")
        raw = {"audio": clip["audio"], "duration": duration, "regions": clip["regions"]}
        try:
            items.append(check_clip_item(raw, index))
        except ValueError as error:
            raise ValueError(f"NeMo manifest line {clip['lines'][0]}: {error}") from None
    return items
