"""The store's writes as data: one dict per change, applied inside an engine's transaction.

A write is prepared (validated, normalized) first, then applied. Keeping it as a plain dict
lets the same change be written now, or kept in the local pending queue while the database is
out of reach and written later, unchanged (with the time it was made).

Examples
--------
>>> op = {"op": "meta", "key": "labels", "value": '["cat"]'}
>>> sorted(op)
['key', 'op', 'value']
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from . import _sql
from ._checks import _dumps

Op = dict[str, Any]


class Cursor(Protocol):
    """What ``Tx.execute`` returns (an ``sqlite3`` or psycopg cursor)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """One open transaction of an engine."""

    dialect: str

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Cursor:
        """Run one statement written with ``?`` parameters."""

    def clock(self) -> float:
        """The database's time in seconds since the epoch (leases use it)."""

    def lock(self, key: str) -> None:
        """Serialize with every other transaction that locks ``key`` (until commit)."""

    def changed(self, dataset: str) -> None:
        """Tell listeners (at commit) that the dataset has new events."""


def apply(tx: Tx, dataset: str, op: Op, *, replaying: bool = False) -> Any:
    """Apply one prepared write in the open transaction ``tx``; return its result.

    ``replaying`` (a write kept while offline): removing a record that is already gone is
    not an error.
    """
    kind = op["op"]
    result: Any = None
    if kind == "meta":
        tx.execute(_sql.SET_META, (dataset, op["key"], op["value"]))
        return None
    # one writer per item (record positions), and per dataset from the first event on (event
    # numbers are then committed in order: a reader of "events after N" never skips one)
    tx.lock(json.dumps([dataset, op["item"]]))
    if kind == "add":
        _add(tx, dataset, op)
    elif kind == "replace":
        _replace(tx, dataset, op["item"], op.get("owner", ""), op["records"],
                 op["annotator"], op["at"])
    elif kind == "remove":
        result = _remove(tx, dataset, op, replaying)
    elif kind == "finish":
        result = _finish(tx, dataset, op)
    else:
        raise ValueError(f"unknown write {kind!r}")
    tx.changed(dataset)
    return result


def _log(tx: Tx, params: tuple[Any, ...]) -> None:
    """Append one event (taking the dataset's lock, held until the commit)."""
    tx.lock(params[0])
    tx.execute(_sql.LOG, params)


def _add(tx: Tx, dataset: str, op: Op) -> None:
    item, clean, kind, who, when = op["item"], op["record"], op["kind"], op["annotator"], op["at"]
    owner = op.get("owner", "")
    rid, source, text = clean["id"], clean["source"], _dumps(clean)
    row = tx.execute(_sql.FIND, (dataset, item, owner, rid)).fetchone()
    if row is None:
        position = tx.execute(_sql.NEXT_POSITION, (dataset, item, owner)).fetchone()[0]
        tx.execute(_sql.ADD_ITEM, (dataset, item))
        tx.execute(_sql.INSERT, (dataset, item, owner, rid, position, kind, source, who, when,
                                 text))
        event = "add"
    else:
        tx.execute(_sql.UPDATE, (row[3], kind, source, who, when, text, dataset, item, owner,
                                 rid))
        event = "update"
    _log(tx, (dataset, item, owner, rid, event, kind, source, who, when, text))


def _replace(tx: Tx, dataset: str, item: str, owner: str, records: list[list[Any]],
             who: str | None, when: str) -> None:
    seen = {clean["id"] for clean, _ in records}
    current = {row[0]: row[1:]
               for row in tx.execute(_sql.CURRENT, (dataset, item, owner)).fetchall()}
    for rid, (old_kind, old_source, old_text, _) in current.items():
        if rid not in seen:
            tx.execute(_sql.DELETE, (dataset, item, owner, rid))
            _log(tx, (dataset, item, owner, rid, "remove", old_kind, old_source, who,
                                  when, old_text))
    if records:
        tx.execute(_sql.ADD_ITEM, (dataset, item))
    for position, (clean, kind) in enumerate(records):
        rid, source, text = clean["id"], clean["source"], _dumps(clean)
        old = current.get(rid)
        if old is not None and (old[0], old[2]) == (kind, text):
            if old[3] != position:
                tx.execute(_sql.MOVE, (position, dataset, item, owner, rid))
            continue
        if old is None:
            tx.execute(_sql.INSERT, (dataset, item, owner, rid, position, kind, source, who,
                                     when, text))
        else:
            tx.execute(_sql.UPDATE, (position, kind, source, who, when, text, dataset, item,
                                     owner, rid))
        _log(tx, (dataset, item, owner, rid, "replace", kind, source, who, when,
                              text))


def _remove(tx: Tx, dataset: str, op: Op, replaying: bool) -> dict[str, Any] | None:
    item, rid, owner = op["item"], op["record_id"], op.get("owner", "")
    row = tx.execute(_sql.FIND, (dataset, item, owner, rid)).fetchone()
    if row is None:
        if replaying:
            return None
        whose = f" of annotator {owner!r}" if owner else ""
        raise KeyError(f"item {item!r} has no record{whose} with id {rid!r}")
    kind, source, text, _ = row
    tx.execute(_sql.DELETE, (dataset, item, owner, rid))
    _log(tx, (dataset, item, owner, rid, "remove", kind, source, op["annotator"],
                          op["at"], text))
    return dict(json.loads(text))


def _finish(tx: Tx, dataset: str, op: Op) -> bool:
    """Store the annotator's own records of the item (if any) and mark it finished by them.

    Returns whether the annotator still held the item's lease.
    """
    item, who = op["item"], op["annotator"]
    now = tx.clock()
    held = tx.execute(_sql.HELD_BY, (dataset, item, who)).fetchone()[0] > 0
    tx.execute(_sql.FINISH, (dataset, item, who, now, now))
    if op.get("records") is not None:
        _replace(tx, dataset, item, who, op["records"], who, op["at"])
    return bool(held)
