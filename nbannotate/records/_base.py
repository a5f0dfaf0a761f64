"""The shared part of annotation records: ids, sources and the checks every validator uses.

Every record has an ``id`` (a stable string), a ``label`` and a ``source`` in
``{"human", "model", "auto", "gold"}``; model output adds ``score`` in ``[0, 1]``. A ``gold``
record is a reviewer's decision between annotators: it may say who decided (``decided_by``)
and from which records (``from``: a list of ``{"annotator": ..., "id": ...}``). The helpers here
check those fields and numbers, and build errors that name the record, the field, what was
expected and what was given. The public names are re-exported by :mod:`nbannotate.records`.

Examples
--------
>>> from nbannotate.records._base import SOURCES, new_id
>>> SOURCES, len(new_id())
(('human', 'model', 'auto', 'gold'), 12)
"""

from __future__ import annotations

import math
import numbers
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

__all__ = ["SOURCES", "Source", "new_id"]

Source = Literal["human", "model", "auto", "gold"]
SOURCES: tuple[str, ...] = ("human", "model", "auto", "gold")

#: The fields a ``gold`` record may add: who decided, and from which annotators' records.
PROVENANCE: tuple[str, ...] = ("decided_by", "from")


class _Record(TypedDict):
    id: str
    label: str
    source: Source
    score: NotRequired[float]


def new_id() -> str:
    """Return a fresh, stable record id (12 hex characters).

    Examples
    --------
    >>> len(new_id())
    12
    """
    return uuid.uuid4().hex[:12]


def _where(record: Mapping[str, Any], index: int | None) -> str:
    place = f"record {index}" if index is not None else "record"
    rid = record.get("id") if isinstance(record, Mapping) else None
    return f"{place} (id={rid!r})" if rid is not None else place


def _fail(record: Mapping[str, Any], index: int | None, field: str, expected: str,
          got: Any) -> ValueError:
    return ValueError(f"{_where(record, index)}: field {field!r} must be {expected}, got {got!r}")


def _number(record: Mapping[str, Any], index: int | None, field: str) -> float:
    value = record.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if value is None and field not in record:
            raise ValueError(f"{_where(record, index)}: missing field {field!r} (a number)")
        raise _fail(record, index, field, "a number", value)
    value = float(value)
    if not math.isfinite(value):
        raise _fail(record, index, field, "a finite number", value)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _integer(record: Mapping[str, Any], index: int | None, field: str) -> int:
    value = record.get(field)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if field not in record:
            raise ValueError(f"{_where(record, index)}: missing field {field!r} (an integer)")
        raise _fail(record, index, field, "an integer", value)
    return int(value)


def _base(record: Any, index: int | None, labels: Sequence[str] | None,
          known: Iterable[str], *, multi: bool = False) -> dict[str, Any]:
    if not isinstance(record, Mapping):
        raise TypeError(f"{_where({}, index)} must be a dict, got {type(record).__name__}")
    common = {"id", "label", "source", "score", *PROVENANCE}
    unknown = set(record) - set(known) - common
    if unknown:
        raise ValueError(f"{_where(record, index)}: unknown field(s) {sorted(unknown)}; "
                         f"expected only {sorted(set(known) | common)}")
    out: dict[str, Any] = {}
    rid = record.get("id")
    if rid is None:
        rid = new_id()
    elif not isinstance(rid, str) or not rid:
        raise _fail(record, index, "id", "a non-empty string", rid)
    out["id"] = rid
    if "label" not in record:
        raise ValueError(f"{_where(record, index)}: missing field 'label'")
    label = record["label"]
    names = [label] if not (multi and isinstance(label, list)) else label
    for name in names:
        if not isinstance(name, str):
            raise _fail(record, index, "label", "a string" + (" or list of strings" if multi
                                                             else ""), label)
        if labels is not None and name not in labels:
            raise _fail(record, index, "label", f"one of {list(labels)}", name)
    out["label"] = list(label) if isinstance(label, list) else label
    source = record.get("source", "human")
    if source not in SOURCES:
        raise _fail(record, index, "source", f"one of {list(SOURCES)}", source)
    out["source"] = source
    if "score" in record and record["score"] is not None:
        score = _number(record, index, "score")
        if not 0.0 <= score <= 1.0:
            raise _fail(record, index, "score", "a number in [0, 1]", record["score"])
        out["score"] = score
    out.update(provenance(record, index))
    return out


def provenance(record: Mapping[str, Any], index: int | None = None) -> dict[str, Any]:
    """The checked ``decided_by`` and ``from`` of a ``gold`` record (empty for others).

    Examples
    --------
    >>> provenance({"source": "gold", "decided_by": "rev",
    ...             "from": [{"annotator": "ana", "id": "b1"}]})
    {'decided_by': 'rev', 'from': [{'annotator': 'ana', 'id': 'b1'}]}
    >>> provenance({"source": "human", "decided_by": "rev"})
    Traceback (most recent call last):
    ...
    ValueError: record: field 'decided_by' must be given only with source='gold', got 'rev'
    """
    given = [field for field in PROVENANCE if record.get(field) is not None]
    if not given:
        return {}
    if record.get("source", "human") != "gold":
        raise _fail(record, index, given[0], "given only with source='gold'", record[given[0]])
    out: dict[str, Any] = {}
    decided_by = record.get("decided_by")
    if decided_by is not None:
        if not isinstance(decided_by, str) or not decided_by:
            raise _fail(record, index, "decided_by", "a non-empty string (who decided)",
                        decided_by)
        out["decided_by"] = decided_by
    origins = record.get("from")
    if origins is not None:
        if not isinstance(origins, (list, tuple)):
            raise _fail(record, index, "from", "a list of {'annotator': str, 'id': str}",
                        origins)
        checked = []
        for origin in origins:
            if not (isinstance(origin, Mapping) and set(origin) == {"annotator", "id"}
                    and isinstance(origin["annotator"], str)
                    and isinstance(origin["id"], (str, int))
                    and not isinstance(origin["id"], bool)):
                raise _fail(record, index, "from", "a list of {'annotator': str, 'id': str}",
                            origins)
            checked.append({"annotator": origin["annotator"], "id": origin["id"]})
        out["from"] = checked
    return out
