"""Argument checks and record validation shared by the :class:`Store` methods."""

from __future__ import annotations

import json
from collections.abc import Mapping
from numbers import Integral
from typing import Any

from ..records import kind_of, validate_record


def _dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _item_key(item_id: Any) -> str:
    if isinstance(item_id, bool) or not isinstance(item_id, (str, Integral)):
        raise TypeError(f"item_id must be a str or an int, got {type(item_id).__name__} "
                        f"{item_id!r}")
    key = item_id if isinstance(item_id, str) else str(int(item_id))
    if not key:
        raise ValueError("item_id must be a non-empty string, got ''")
    return key


def _annotator(annotator: Any) -> str | None:
    if annotator is not None and not isinstance(annotator, str):
        raise TypeError(f"annotator must be a str or None, got {type(annotator).__name__} "
                        f"{annotator!r}")
    return annotator


def _meta_key(key: Any) -> None:
    if not isinstance(key, str) or not key:
        raise TypeError(f"meta key must be a non-empty str, got {key!r}")


def _validate(item: str, record: Any, kind: str | None, index: int | None,
              context: dict[str, Any]) -> tuple[dict[str, Any], str]:
    try:
        record_kind = kind if kind is not None else kind_of(record)
        clean = validate_record(record, kind=record_kind, index=index, **context)
    except (TypeError, ValueError) as error:
        error_type = ValueError if isinstance(error, ValueError) else TypeError
        raise error_type(f"item {item!r}: {error}") from None
    return clean, record_kind
