"""Audacity label tracks (``start<TAB>end<TAB>label`` per line) to and from regions.

Times are seconds written with 6 decimals, as Audacity exports them. A label track holds
only times and a label: ids, sources, scores, channels and transcriptions are not written,
and reading makes fresh ids with ``source="human"``. Audacity's point labels
(``start == end``) are rejected with an error, since a region needs ``end > start``; so is
a region that would collapse to a point at 6 decimals. Spectral-selection lines (starting
with a backslash: the frequency range of the label above) are skipped with a warning.

Examples
--------
>>> text = to_audacity([{"start": 0.5, "end": 1.25, "label": "bird"}])
>>> text
'0.500000\\t1.250000\\tbird\\n'
>>> [(r["start"], r["end"], r["label"]) for r in from_audacity(text)]
[(0.5, 1.25, 'bird')]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..records import Region, new_id, validate_records, validate_region
from ._common import warn

__all__ = ["from_audacity", "to_audacity"]


def to_audacity(regions: Sequence[Any]) -> str:
    """Write regions as an Audacity label track.

    Parameters
    ----------
    regions : list of dict
        Region records (seconds, ``end`` exclusive).

    Returns
    -------
    str
        One ``start\\tend\\tlabel`` line per region, in the given order.

    Examples
    --------
    >>> to_audacity([{"start": 1.0, "end": 1.0000001, "label": "x"}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: region 0 (id=...): [1.0, 1.0000001] s collapses to a point at 6 decimals ...
    """
    lines = []
    for index, region in enumerate(validate_records(regions, kind="region", name="regions")):
        where = f"region {index} (id={region['id']!r})"
        label = region["label"]
        if any(c in label for c in "\t\n\r"):
            raise ValueError(f"{where}: an Audacity label cannot hold a tab or line break, "
                             f"got {label!r}")
        start, end = f"{region['start']:.6f}", f"{region['end']:.6f}"
        if float(end) <= float(start):
            raise ValueError(f"{where}: [{region['start']}, {region['end']}] s collapses to a "
                             "point at 6 decimals (Audacity's precision)")
        lines.append(f"{start}\t{end}\t{label}\n")
    return "".join(lines)


def from_audacity(text: str) -> list[Region]:
    """Read an Audacity label track into regions.

    Parameters
    ----------
    text : str
        The exported label file content.

    Returns
    -------
    list of Region
        With fresh ids and ``source="human"``.

    Examples
    --------
    >>> from_audacity("0.5\\t1.0\\tdog\\n1.5\\t1.5\\tclick\\n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Audacity line 2: point label 'click' at 1.5 s (start == end); regions need ...
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    regions: list[Region] = []
    spectral = 0
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        if line.startswith("\\"):
            spectral += 1
            continue
        where = f"Audacity line {number}"
        fields = line.split("\t", 2)
        if len(fields) < 2:
            raise ValueError(f"{where}: expected 'start<TAB>end<TAB>label', got {line!r}")
        try:
            start, end = float(fields[0]), float(fields[1])
        except ValueError:
            raise ValueError(f"{where}: start and end must be numbers of seconds, got "
                             f"{line!r}") from None
        label = fields[2] if len(fields) == 3 else ""
        if not (math.isfinite(start) and math.isfinite(end)):
            raise ValueError(f"{where}: start and end must be finite, got {line!r}")
        if end == start:
            raise ValueError(f"{where}: point label {label!r} at {start} s (start == end); "
                             "regions need end > start")
        try:
            regions.append(validate_region({"id": new_id(), "label": label, "start": start,
                                            "end": end, "source": "human"}))
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
    if spectral:
        warn(f"Audacity: {spectral} spectral-selection lines (frequency ranges) were skipped")
    return regions
