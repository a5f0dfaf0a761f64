"""The :class:`Store` class: validated annotation records over a storage engine."""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _sql
from ._checks import _annotator, _dumps, _item_key, _meta_key, _validate
from ._frame import annotations_frame
from ._sqlite import SQLiteEngine, now

if TYPE_CHECKING:
    import pandas as pd


class Store:
    """Annotations of many items in one SQLite file, safe for threads and processes.

    Parameters
    ----------
    path : str or os.PathLike
        The store's file. It is created (with its tables) when missing or empty; an existing
        file must be an nbannotate store. The directory must exist and be writable (SQLite
        keeps ``<path>-wal`` and ``<path>-shm`` beside the file while it is open).
    annotator : str, optional
        Who is labeling: recorded with every change unless a write names another annotator.
    timeout : float
        Seconds a write waits for other writers (threads or processes) before failing.

    Attributes
    ----------
    path : pathlib.Path
        The store's file.
    annotator : str or None
        The default annotator of writes; may be changed (e.g. when a new person takes over).

    Raises
    ------
    ValueError
        The file is not an nbannotate store (it is left unchanged), or was written by a newer
        version of nbannotate.
    FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError
        The path cannot hold a store; the message says the path and what is wrong.

    Notes
    -----
    Each thread gets its own SQLite connection, so widget handlers running on a kernel
    subshell thread may write while a cell runs. Every write is an immediate transaction
    (``BEGIN IMMEDIATE``) and returns after ``COMMIT``; a failed write rolls back completely.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "labels.db", annotator="ana")
    >>> store.add(7, {"id": "c1", "label": "cat"})["source"]
    'human'
    >>> store.items(), len(store)
    (['7'], 1)
    >>> store.close()
    """

    def __init__(self, path: str | os.PathLike[str], *, annotator: str | None = None,
                 timeout: float = 30.0) -> None:
        if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
        text = os.fspath(path)
        if text in ("", ":memory:"):
            raise ValueError(f"path must name a file, got {text!r}; for a throwaway store use a "
                             "file in tempfile.mkdtemp()")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
            raise TypeError(f"timeout must be a number of seconds, got {type(timeout).__name__}")
        if not (timeout > 0 and math.isfinite(timeout)):
            raise ValueError(f"timeout must be a positive, finite number of seconds, "
                             f"got {timeout!r}")
        self.path = Path(text).expanduser()
        self.annotator = _annotator(annotator)
        self._engine = SQLiteEngine(self.path, float(timeout))

    # -- writes ---------------------------------------------------------------------------

    def add(self, item_id: str | int, record: Mapping[str, Any], annotator: str | None = None,
            *, kind: str | None = None, **context: Any) -> dict[str, Any]:
        """Add one record to an item, or update it if the item has a record with its ``id``.

        Returns after the change has been committed.

        Parameters
        ----------
        item_id : str or int
            The item (stored as text).
        record : dict
            An annotation record; a missing ``id`` is generated.
        annotator : str, optional
            Who made the change (default: the store's ``annotator``).
        kind : str, optional
            The record's kind (``"box"``, ``"span"``, ...), passed to the validator; inferred
            from the fields when omitted.
        **context
            Passed to the validator (:func:`nbannotate.records.validate_record`), e.g.
            ``labels=``, ``image_size=``, ``text=`` (a span's document), ``duration=``,
            ``multi=True`` (multi-label class records).

        Returns
        -------
        dict
            The normalized record as stored (with its ``id``).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> rid = store.add("doc", {"start": 0, "end": 4, "text": "Anna", "label": "PER"})["id"]
        >>> _ = store.add("doc", {"id": rid, "start": 0, "end": 4, "text": "Anna", "label": "ORG"})
        >>> [(e["event"], e["record"]["label"]) for e in store.history("doc")]
        [('add', 'PER'), ('update', 'ORG')]
        """
        item = _item_key(item_id)
        who = _annotator(annotator) if annotator is not None else self.annotator
        clean, kind = _validate(item, record, kind, None, context)
        rid, source, text = clean["id"], clean["source"], _dumps(clean)

        def work(conn: sqlite3.Connection) -> None:
            when = now()
            row = conn.execute(_sql.FIND, (item, rid)).fetchone()
            if row is None:
                position = conn.execute(_sql.NEXT_POSITION, (item,)).fetchone()[0]
                conn.execute(_sql.ADD_ITEM, (item,))
                conn.execute(_sql.INSERT, (item, rid, position, kind, source, who, when, text))
                event = "add"
            else:
                conn.execute(_sql.UPDATE, (row[3], kind, source, who, when, text, item, rid))
                event = "update"
            conn.execute(_sql.LOG, (item, rid, event, kind, source, who, when, text))

        self._engine.write(work)
        return clean

    def replace(self, item_id: str | int, records: Iterable[Mapping[str, Any]],
                annotator: str | None = None, *, kind: str | None = None,
                **context: Any) -> list[dict[str, Any]]:
        """Set an item's whole list of current records, in one transaction.

        Records are matched by ``id``. Each new or changed record is logged as a
        ``"replace"`` event, each record no longer in the list as a ``"remove"`` event;
        unchanged records log nothing (but take their place in the new order). If any record
        is invalid, nothing changes.

        Parameters
        ----------
        item_id : str or int
            The item.
        records : list of dict
            The item's records, in order (an empty list removes them all). Ids must be unique.
        annotator : str, optional
            Who made the change (default: the store's ``annotator``).
        kind : str, optional
            The kind of every record, passed to the validator; inferred per record if omitted.
        **context
            Passed to the validator, as for :meth:`add`.

        Returns
        -------
        list of dict
            The normalized records as stored.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> _ = store.replace("clip", [{"id": "r1", "start": 0.0, "end": 1.5, "label": "bird"},
        ...                            {"id": "r2", "start": 2.0, "end": 3.0, "label": "dog"}])
        >>> _ = store.replace("clip", [{"id": "r2", "start": 2.0, "end": 3.0, "label": "dog"}])
        >>> [(e["event"], e["record_id"]) for e in store.history("clip")]
        [('replace', 'r1'), ('replace', 'r2'), ('remove', 'r1')]
        """
        item = _item_key(item_id)
        who = _annotator(annotator) if annotator is not None else self.annotator
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
            raise TypeError(f"item {item!r}: records must be a list of dicts, "
                            f"got {type(records).__name__}")
        prepared: list[tuple[dict[str, Any], str, str]] = []
        seen: set[str] = set()
        for index, record in enumerate(records):
            clean, record_kind = _validate(item, record, kind, index, context)
            if clean["id"] in seen:
                raise ValueError(f"item {item!r}: record {index} has a duplicate id "
                                 f"{clean['id']!r}")
            seen.add(clean["id"])
            prepared.append((clean, record_kind, _dumps(clean)))

        def work(conn: sqlite3.Connection) -> None:
            when = now()
            current = {row[0]: row[1:] for row in conn.execute(_sql.CURRENT, (item,))}
            for rid, (old_kind, old_source, old_text, _) in current.items():
                if rid not in seen:
                    conn.execute(_sql.DELETE, (item, rid))
                    conn.execute(_sql.LOG, (item, rid, "remove", old_kind, old_source, who, when,
                                            old_text))
            if prepared:
                conn.execute(_sql.ADD_ITEM, (item,))
            for position, (clean, record_kind, text) in enumerate(prepared):
                rid, source = clean["id"], clean["source"]
                old = current.get(rid)
                if old is not None and (old[0], old[2]) == (record_kind, text):
                    if old[3] != position:
                        conn.execute(_sql.MOVE, (position, item, rid))
                    continue
                if old is None:
                    conn.execute(_sql.INSERT, (item, rid, position, record_kind, source, who,
                                               when, text))
                else:
                    conn.execute(_sql.UPDATE, (position, record_kind, source, who, when, text,
                                               item, rid))
                conn.execute(_sql.LOG, (item, rid, "replace", record_kind, source, who, when,
                                        text))

        self._engine.write(work)
        return [clean for clean, _, _ in prepared]

    def remove(self, item_id: str | int, record_id: str,
               annotator: str | None = None) -> dict[str, Any]:
        """Remove one record from an item and return it.

        Raises
        ------
        KeyError
            The item has no record with this id.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> _ = store.add("a", {"id": "k1", "x": 1, "y": 2, "label": "nose"})
        >>> store.remove("a", "k1")["label"], store.get("a")
        ('nose', [])
        """
        item = _item_key(item_id)
        who = _annotator(annotator) if annotator is not None else self.annotator
        if not isinstance(record_id, str):
            raise TypeError(f"record_id must be a str, got {type(record_id).__name__}")

        def work(conn: sqlite3.Connection) -> dict[str, Any]:
            row = conn.execute(_sql.FIND, (item, record_id)).fetchone()
            if row is None:
                raise KeyError(f"item {item!r} has no record with id {record_id!r}")
            kind, source, text, _ = row
            conn.execute(_sql.DELETE, (item, record_id))
            conn.execute(_sql.LOG, (item, record_id, "remove", kind, source, who, now(), text))
            return json.loads(text)

        return self._engine.write(work)

    def set_meta(self, key: str, value: Any) -> None:
        """Store a JSON value under ``key`` (labels, task, settings of a session...).

        Tuples come back as lists. The keys ``format``, ``schema_version`` and ``created_at``
        belong to the store and are read-only.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> store.set_meta("labels", ["cat", "dog"])
        >>> store.get_meta("labels"), store.get_meta("task", "boxes")
        (['cat', 'dog'], 'boxes')
        """
        _meta_key(key)
        if key in _sql.RESERVED_META:
            raise ValueError(f"meta key {key!r} is reserved by the store (read-only)")
        try:
            text = json.dumps(value, allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError) as error:
            kind = ValueError if isinstance(error, ValueError) else TypeError
            raise kind(f"meta value for {key!r} must be JSON (dict, list, str, finite number, "
                       f"bool or None), got {type(value).__name__}: {error}") from None
        self._engine.write(lambda conn: conn.execute(_sql.SET_META, (key, text)))

    # -- reads ----------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        """Return the JSON value stored under ``key``, or ``default`` when there is none."""
        _meta_key(key)
        rows = self._engine.read(_sql.GET_META, (key,))
        return json.loads(rows[0][0]) if rows else default

    def get(self, item_id: str | int) -> list[dict[str, Any]]:
        """Return the item's current records in order (``[]`` for an unknown item).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> store.get("nothing-yet")
        []
        """
        return [json.loads(text) for (text,) in self._engine.read(_sql.GET, (_item_key(item_id),))]

    def items(self) -> list[str]:
        """Return the ids of items that have annotations, in the order first annotated."""
        return [item for (item,) in self._engine.read(_sql.ITEMS)]

    def history(self, item_id: str | int | None = None) -> list[dict[str, Any]]:
        """Return the events of one item (or of the whole store), oldest first.

        Each event is a dict with ``seq`` (global order), ``event`` (``"add"``, ``"update"``,
        ``"remove"`` or ``"replace"``), ``item_id``, ``record_id``, ``kind``, ``source``,
        ``annotator`` (``None`` when unknown), ``at`` (a UTC :class:`~datetime.datetime`) and
        ``record`` (the record as written; for ``"remove"``, as it was when removed).
        Replaying events in order rebuilds the current records: ``"remove"`` deletes the
        record, every other event sets it.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db", annotator="ana")
        >>> _ = store.add("a", {"id": "c", "label": "cat"})
        >>> event = store.history("a")[0]
        >>> event["event"], event["annotator"], event["at"].tzinfo
        ('add', 'ana', datetime.timezone.utc)
        """
        if item_id is None:
            rows = self._engine.read(_sql.HISTORY_ALL)
        else:
            rows = self._engine.read(_sql.HISTORY, (_item_key(item_id),))
        keys = ("seq", "event", "item_id", "record_id", "kind", "source", "annotator")
        return [{**dict(zip(keys, row[:7], strict=True)), "at": datetime.fromisoformat(row[7]),
                 "record": json.loads(row[8])} for row in rows]

    def annotations(self) -> pd.DataFrame:
        """Return the current annotations as a DataFrame, one row per record.

        Rows are ordered by item (in the order first annotated), then by position in the item.
        Columns (:data:`ANNOTATION_COLUMNS`):

        * ``item_id``, ``id`` (the record id), ``source``, ``kind``: strings;
        * ``label``: a string (a list of strings for multi-label class records);
        * ``score``: float, NaN for human labels;
        * ``annotator``: who last added or changed the record (missing when unknown);
        * ``updated_at``: when, as a UTC timestamp;
        * ``x, y, w, h`` (boxes, keypoints) and ``start, end`` (spans, regions): floats, NaN
          when the record has no such field;
        * ``record``: the full record as a dict (points, masks, text, exact types).

        An empty store gives an empty frame with the same columns.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> _ = store.add("img", {"x": 1, "y": 2, "w": 3, "h": 4, "label": "cat"})
        >>> store.annotations()[["item_id", "label", "w", "start"]]
          item_id label    w  start
        0     img   cat  3.0    NaN
        """
        return annotations_frame(self._engine.read(_sql.ANNOTATIONS))

    def __len__(self) -> int:
        """Number of current records (over all items)."""
        return int(self._engine.read(_sql.COUNT)[0][0])

    def __repr__(self) -> str:
        if self._engine.closed:
            return f"Store({str(self.path)!r}, closed)"
        try:
            items, records = self._engine.read(_sql.COUNTS)[0]
        except (sqlite3.Error, ValueError):
            return f"Store({str(self.path)!r})"
        return f"Store({str(self.path)!r}, items={items}, records={records})"

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        """Close every thread's connection; the store cannot be used afterwards.

        Call it when no other thread is writing. Closing twice is harmless.
        """
        self._engine.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
