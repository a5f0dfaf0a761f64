"""The store as a team-mode session sees it: this annotator's own records, written with the
shared queue's ``complete``, and bookkeeping kept per annotator (see :class:`TeamStore`).

Examples
--------
>>> _normalized("a", [{"label": "cat"}], "class", {})[0]["source"]
'human'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..records import kind_of, validate_record
from ..store import Store

if TYPE_CHECKING:
    from ._team import TeamLink

__all__ = ["TeamStore"]


def _normalized(item: str, records: Iterable[Mapping[str, Any]], kind: str | None,
                context: dict[str, Any]) -> list[dict[str, Any]]:
    """The records as the store keeps them (validated, with ids), before they are written."""
    out: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        try:
            out.append(validate_record(record, kind=kind if kind is not None
                                       else kind_of(record), index=index, **context))
        except (TypeError, ValueError) as error:
            raise type(error)(f"item {item!r}: {error}") from None
    return out


class TeamStore:
    """The store as a team-mode session sees it (see the module docstring).

    * ``replace(item, records)`` stores the records as this annotator's own and marks the
      item finished in the queue, in one transaction;
    * ``add`` and ``remove`` change this annotator's own records;
    * ``annotations()`` gives this annotator's own records (what the session resumes from);
      :meth:`team_annotations` everyone's;
    * the session's bookkeeping in the meta table (skipped items, reviews, errors) is kept
      per annotator; the session settings (``"session"``: task and labels) are shared.

    A write made while the database is out of reach is kept (the store's pending writes) and
    reported to ``tell`` instead of failing the session's step; a write refused raises.
    Everything else is the store's.
    """

    SHARED_META = frozenset({"session"})

    def __init__(self, store: Store, link: TeamLink) -> None:
        self._store = store
        self._link = link

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def __repr__(self) -> str:
        return f"TeamStore({self._store!r}, annotator={self._link.name!r})"

    def _meta_key(self, key: str) -> str:
        return key if key in self.SHARED_META else f"{key}@{self._link.name}"

    def get_meta(self, key: str, default: Any = None) -> Any:
        return self._store.get_meta(self._meta_key(key), default)

    def set_meta(self, key: str, value: Any) -> None:
        self._link.kept(lambda: self._store.set_meta(self._meta_key(key), value))

    def replace(self, item_id: str | int, records: Iterable[Mapping[str, Any]],
                annotator: str | None = None, *, kind: str | None = None,
                **context: Any) -> list[dict[str, Any]]:
        """Store the annotator's records of the item and mark it finished (one transaction)."""
        key = str(item_id)
        clean = _normalized(key, records, kind, context)
        self._link.complete(key, clean, kind=kind, **context)
        return clean

    def add(self, item_id: str | int, record: Mapping[str, Any], annotator: str | None = None,
            **options: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}

        def write() -> None:
            result.update(self._store.add(item_id, record, self._link.name, own=True,
                                          **options))
        self._link.kept(write)
        return result or dict(record)

    def remove(self, item_id: str | int, record_id: str,
               annotator: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = {}

        def write() -> None:
            result.update(self._store.remove(item_id, record_id, self._link.name, own=True))
        self._link.kept(write)
        return result

    def annotations(self) -> pd.DataFrame:
        """This annotator's own records (what the session resumes from)."""
        table = self._store.annotations()
        return table[table["owner"] == self._link.name].reset_index(drop=True)

    def team_annotations(self) -> pd.DataFrame:
        """Every annotator's records."""
        return self._store.annotations()

    def close(self) -> None:
        self._store.close()
