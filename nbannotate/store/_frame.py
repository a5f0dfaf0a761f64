"""The store's current annotations as a pandas DataFrame (:meth:`Store.annotations`)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_GEOMETRY = ("x", "y", "w", "h", "start", "end")
ANNOTATION_COLUMNS: tuple[str, ...] = (
    "item_id", "id", "label", "source", "score", "kind", "annotator", "owner", "updated_at",
    *_GEOMETRY, "record",
)
"""Columns of :meth:`Store.annotations`, in order."""


def annotations_frame(rows: Iterable[tuple[str, str, str | None, str, str, str]],
                      ) -> pd.DataFrame:
    """One row per record, from ``(item, kind, annotator, owner, updated_at, record_json)`` rows.

    Examples
    --------
    >>> frame = annotations_frame([("img", "box", None, "", "2026-01-01T00:00:00+00:00",
    ...     '{"id": "a", "x": 1, "y": 2, "w": 3, "h": 4, "label": "cat", "source": "human"}')])
    >>> frame[["item_id", "label", "w", "start"]]
      item_id label    w  start
    0     img   cat  3.0    NaN
    """
    import pandas as pd

    columns: dict[str, list[Any]] = {name: [] for name in ANNOTATION_COLUMNS}
    for item, kind, annotator, owner, updated_at, text in rows:
        record = json.loads(text)
        columns["item_id"].append(item)
        columns["kind"].append(kind)
        columns["annotator"].append(annotator)
        columns["owner"].append(owner)
        columns["updated_at"].append(updated_at)
        columns["record"].append(record)
        for name in ("id", "label", "source"):
            columns[name].append(record[name])
        for name in ("score", *_GEOMETRY):
            value = record.get(name)
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            columns[name].append(float(value) if ok else math.nan)
    string = pd.Series(["text"]).dtype  # the installed pandas' default string dtype
    data = {}
    for name, values in columns.items():
        if name in ("label", "record"):
            data[name] = pd.Series(values, dtype=object)
        elif name == "updated_at":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), utc=True,
                                        format="ISO8601").astype("datetime64[us, UTC]")
        elif name in ("score", *_GEOMETRY):
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series(values, dtype=string)
    return pd.DataFrame(data, columns=list(ANNOTATION_COLUMNS))
