"""Reading annotations for agreement: a DataFrame, a list of records, or a store.

Whatever the input, the result is a list of ``(item, annotator, record)`` rows of one kind.

Examples
--------
>>> rows, kind = read_annotations([{"item": 1, "annotator": "ana", "label": "cat"}], None,
...                               None, ("human",))
>>> kind, rows[0][:2]
('class', ('1', 'ana'))
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..records import kind_of
from ..store import Store

KINDS = ("class", "span", "box", "polygon", "mask", "region", "keypoint")

Row = tuple[str, str, dict[str, Any]]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _store_frame(store: Any, dataset: str | None) -> Any:
    """The store's annotations frame; ``dataset`` must be the one the store was opened on."""
    if dataset is not None and dataset != store.dataset:
        raise ValueError(f"dataset={dataset!r}: this store was opened on dataset "
                         f"{store.dataset!r}; open Store(..., dataset={dataset!r}) or pass "
                         "dataset=None")
    return store.annotations()


def _from_store(source: Any, dataset: str | None) -> list[dict[str, Any]]:
    if isinstance(source, (str, os.PathLike)):
        opened = Store(source) if dataset is None else _open_dataset(source, dataset)
        try:
            frame = _store_frame(opened, dataset)
        finally:
            opened.close()
    else:
        frame = _store_frame(source, dataset)
    return [{"item": row.item_id, "annotator": row.annotator, "kind": row.kind,
             "record": row.record} for row in frame.itertuples(index=False)]


def _open_dataset(source: str | os.PathLike[str], dataset: str) -> Any:
    store = Store(source, dataset=dataset)
    held = store.datasets()
    if dataset not in held:
        store.close()
        raise ValueError(f"dataset={dataset!r}: the store at {store.location} holds no such "
                         f"dataset (it holds {sorted(held)})")
    return store


def _rows_of(annotations: Any, dataset: str | None) -> list[Mapping[str, Any]]:
    if isinstance(annotations, (str, os.PathLike)) or hasattr(annotations, "annotations"):
        return _from_store(annotations, dataset)
    if dataset is not None:
        raise TypeError(f"dataset={dataset!r} applies to a store or a store's path, not to "
                        f"{type(annotations).__name__}")
    if hasattr(annotations, "to_dict") and hasattr(annotations, "columns"):
        return annotations.to_dict("records")  # type: ignore[no-any-return]
    if isinstance(annotations, (bytes, Mapping)) or not isinstance(annotations, Iterable):
        raise TypeError("annotations must be a DataFrame, a list of dicts, a Store or a "
                        f"store's path, got {type(annotations).__name__}")
    return list(annotations)


def read_annotations(annotations: Any, kind: str | None, dataset: str | None,
                     sources: Sequence[str] | None) -> tuple[list[Row], str]:
    """``(item, annotator, record)`` rows of one kind, and that kind.

    Each row names its item (``item``, or ``item_id`` as the store's frame has it) and its
    ``annotator``; the record is its ``record`` field when present, else the row's other
    fields (missing values dropped).

    Examples
    --------
    >>> rows, kind = read_annotations([{"item_id": "a", "annotator": "bo",
    ...                                 "record": {"start": 0, "end": 2, "label": "X"}}],
    ...                               "span", None, None)
    >>> rows[0][2]["end"]
    2
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    if sources is not None and (isinstance(sources, str) or not isinstance(sources, Iterable)):
        raise TypeError(f"sources must be a list of sources or None, got {sources!r}")
    rows: list[Row] = []
    kinds: dict[str, int] = {}
    for index, row in enumerate(_rows_of(annotations, dataset)):
        if not isinstance(row, Mapping):
            raise TypeError(f"annotations[{index}] must be a dict, got {type(row).__name__}")
        item = row.get("item", row.get("item_id"))
        who = row.get("annotator")
        if _missing(item):
            raise ValueError(f"annotations[{index}] has no 'item' (or 'item_id'): {dict(row)!r}")
        if _missing(who):
            raise ValueError(f"annotations[{index}] (item {item!r}) has no 'annotator'; "
                             "agreement compares annotators, so every record must name one")
        record = row.get("record")
        if not isinstance(record, Mapping):
            record = {k: v for k, v in row.items()
                      if k not in ("item", "item_id", "annotator", "kind", "record")
                      and not _missing(v)}
        if sources is not None and record.get("source", "human") not in sources:
            continue
        record_kind = row.get("kind") if isinstance(row.get("kind"), str) else None
        if record_kind is None:
            try:
                record_kind = kind or kind_of(record)
            except (TypeError, ValueError) as error:
                raise ValueError(f"annotations[{index}]: {error}") from None
        kinds[record_kind] = kinds.get(record_kind, 0) + 1
        if kind is None or record_kind == kind:
            rows.append((str(item), str(who), dict(record)))
    if kind is None:
        if len(kinds) > 1:
            raise ValueError(f"the annotations hold several kinds {kinds}; pass kind= one of "
                             "them")
        kind = next(iter(kinds), "class")
    return rows, kind
