"""Audio regions as a pandas DataFrame (one row per region) and back to clip items.

Columns: ``audio`` (the clip's name), ``duration``, ``id``, ``label``, ``source``, ``score``,
``start``, ``end``, ``channel``, ``text``. Absent optional fields are missing values
(``NaN`` / ``<NA>`` / ``None``). A clip without regions has no row, so it does not come back.

Examples
--------
>>> clips = [{"audio": "a.wav", "duration": 3.0, "regions": [
...     {"id": "r1", "label": "bird", "start": 0.5, "end": 1.0, "channel": 1}]}]
>>> df = regions_dataframe(clips)
>>> df[["audio", "label", "start", "end", "channel"]].to_dict("records")
[{'audio': 'a.wav', 'label': 'bird', 'start': 0.5, 'end': 1.0, 'channel': 1}]
>>> regions_from_dataframe(df)[0]["regions"][0]["channel"]
1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..records import new_id, validate_region
from ._common import ClipItem, check_clip_item, check_list

__all__ = ["REGION_COLUMNS", "regions_dataframe", "regions_from_dataframe"]

REGION_COLUMNS = ("audio", "duration", "id", "label", "source", "score", "start", "end",
                  "channel", "text")


def regions_dataframe(clips: Sequence[Any]) -> pd.DataFrame:
    """One row per region of the given clip items.

    Parameters
    ----------
    clips : list of dict
        Clip items ``{"audio", "duration", "regions"}``.

    Returns
    -------
    pandas.DataFrame
        With the columns of ``REGION_COLUMNS``; ``channel`` is a nullable integer column.

    Examples
    --------
    >>> regions_dataframe([]).columns.tolist()[:4]
    ['audio', 'duration', 'id', 'label']
    """
    rows = []
    for index, raw in enumerate(check_list(clips, "clips")):
        clip = check_clip_item(raw, index)
        for region in clip["regions"]:
            rows.append({"audio": clip["audio"], "duration": clip["duration"],
                         "id": region["id"], "label": region["label"],
                         "source": region["source"], "score": region.get("score"),
                         "start": region["start"], "end": region["end"],
                         "channel": region.get("channel"), "text": region.get("text")})
    frame = pd.DataFrame(rows, columns=list(REGION_COLUMNS))
    frame["score"] = frame["score"].astype("float64")
    frame["channel"] = frame["channel"].astype("Int64")
    frame["text"] = frame["text"].astype(object).where(frame["text"].notna(), None)
    return frame


def _present(value: Any) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def regions_from_dataframe(df: pd.DataFrame) -> list[ClipItem]:
    """Group a regions table by clip into clip items (clips in order of first row).

    Parameters
    ----------
    df : pandas.DataFrame
        Needs ``audio``, ``label``, ``start`` and ``end``; ``duration`` (else the clip's
        last region end), ``id`` (else fresh ids), ``source`` (else ``"human"``),
        ``score``, ``channel`` and ``text`` are optional; other columns are ignored.

    Returns
    -------
    list of ClipItem

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"audio": ["a.wav"], "label": ["x"], "start": [0.0], "end": [-1.0]})
    >>> regions_from_dataframe(df)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: DataFrame row 0 (index 0): record (id=...): field 'end' must be greater than ...
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in ("audio", "label", "start", "end") if c not in df.columns]
    if missing:
        raise ValueError(f"DataFrame: missing column(s) {missing}; has {list(df.columns)}")
    clips: dict[str, dict[str, Any]] = {}
    for position, (index, row) in enumerate(zip(df.index, df.to_dict("records"), strict=True)):
        where = f"DataFrame row {position} (index {index!r})"
        audio = row["audio"]
        if not isinstance(audio, str) or not audio:
            raise ValueError(f"{where}: column 'audio' must be the clip's name, got {audio!r}")
        record: dict[str, Any] = {"id": row["id"] if _present(row.get("id")) else new_id(),
                                  "label": row["label"], "start": row["start"],
                                  "end": row["end"],
                                  "source": row["source"] if _present(row.get("source"))
                                  else "human"}
        for key in ("score", "channel", "text"):
            if _present(row.get(key)):
                record[key] = row[key]
        for key in ("start", "end", "score"):
            if hasattr(record.get(key), "item"):
                record[key] = record[key].item()  # numpy scalar -> float
        if "channel" in record:
            record["channel"] = int(record["channel"])
        try:
            region = validate_region(record)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}: {error}") from None
        clip = clips.setdefault(audio, {"audio": audio, "duration": None, "regions": []})
        if _present(row.get("duration")):
            if clip["duration"] is not None and clip["duration"] != row["duration"]:
                raise ValueError(f"{where}: column 'duration' is {row['duration']!r} but an "
                                 f"earlier row of {audio!r} says {clip['duration']!r}")
            clip["duration"] = float(row["duration"])
        clip["regions"].append(region)
    out = []
    for index, clip in enumerate(clips.values()):
        if clip["duration"] is None:
            clip["duration"] = max(region["end"] for region in clip["regions"])
        out.append(check_clip_item(clip, index))
    return out
