"""The :class:`Store` class: validated annotation records over a storage engine."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import _sql
from ._checks import _annotator, _item_key, _meta_key, _validate
from ._errors import StoreConnectionError, StoreOfflineError
from ._frame import annotations_frame
from ._pending import PendingWrites
from ._postgres import PostgresEngine
from ._queue import Queue
from ._schema import DEFAULT_DATASET, STORE_WIDE
from ._sqlite import SQLiteEngine, now
from ._url import is_url, masked
from ._writes import Op, Tx, apply

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
OFFLINE = ("keep", "refuse")


class Store:
    """Annotations of many items in an SQLite file or a PostgreSQL database, safe for threads,
    processes and (on PostgreSQL) machines.

    Parameters
    ----------
    path : str or os.PathLike
        The store's file, or a ``postgresql://user:password@host:port/database`` URL. A file
        is created (with its tables) when missing or empty; an existing file must be an
        nbannotate store. The directory must exist and be writable (SQLite keeps
        ``<path>-wal`` and ``<path>-shm`` beside the file while it is open). A PostgreSQL
        database must exist; the store's tables are created in its schema ``nbannotate``.
        A store written by an older version of nbannotate is migrated when opened.
    annotator : str, optional
        Who is labeling: recorded with every change unless a write names another annotator.
    dataset : str, optional
        Which dataset of the database to use (one database holds several); default
        ``"default"``, which is also where a store of schema version 1 keeps its data.
    timeout : float
        Seconds a write waits for other writers (threads or processes) before failing.
    pending : str or os.PathLike, optional
        PostgreSQL only: the local SQLite file that keeps writes made while the database is
        out of reach (default: ``.nbannotate/pending-<hash>.db`` in the working directory,
        created only when needed).
    offline : {"keep", "refuse"}
        PostgreSQL only: what a write does when the database is out of reach. ``"keep"``
        keeps it in the pending file and raises :class:`StoreOfflineError` with ``kept=True``
        (it is written when the database is back); ``"refuse"`` raises it with ``kept=False``.

    Attributes
    ----------
    path : pathlib.Path or str
        The store's file (a ``Path``), or for PostgreSQL its URL with the password masked.
    location : str
        ``path`` as text, for messages.
    dataset : str
        The dataset this store object reads and writes.
    annotator : str or None
        The default annotator of writes; may be changed (e.g. when a new person takes over).

    Raises
    ------
    ValueError
        The file or database is not an nbannotate store (it is left unchanged), or was
        written by a newer version of nbannotate.
    FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError
        The path cannot hold a store; the message says the path and what is wrong.
    StoreConnectionError
        The PostgreSQL server cannot be reached, refuses the login or has no such database;
        the message names the URL (password masked) and the cause.

    Notes
    -----
    Each thread gets its own connection, so widget handlers running on a kernel subshell
    thread may write while a cell runs. Every write is one transaction (``BEGIN IMMEDIATE``
    on SQLite) and returns after ``COMMIT``; a failed write rolls back completely. The store
    holds ids, labels, leases and provenance, never the items themselves.

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
                 dataset: str | None = None, timeout: float = 30.0,
                 pending: str | os.PathLike[str] | None = None,
                 offline: str = "keep") -> None:
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
        if dataset is not None and (not isinstance(dataset, str) or not dataset.strip()):
            raise TypeError(f"dataset must be a non-empty str, got {dataset!r}")
        if offline not in OFFLINE:
            raise ValueError(f"offline must be 'keep' or 'refuse', got {offline!r}")
        if pending is not None and (isinstance(pending, bytes)
                                    or not isinstance(pending, (str, os.PathLike))):
            raise TypeError(f"pending must be a str or os.PathLike, got "
                            f"{type(pending).__name__}")
        self.annotator = _annotator(annotator)
        self.dataset: str = dataset if dataset is not None else DEFAULT_DATASET
        self.offline = offline
        self._sync_lock = threading.Lock()
        self._engine: SQLiteEngine | PostgresEngine
        self._pending: PendingWrites | None = None
        if is_url(text):
            self.path: Path | str = masked(text)
            self._engine = PostgresEngine(text, float(timeout))
            self._pending = PendingWrites(Path(pending).expanduser() if pending is not None
                                          else _default_pending(text, self.dataset))
            if self._pending:  # left by an earlier session that lost the connection
                with contextlib.suppress(StoreConnectionError):
                    self.sync()
        else:
            if pending is not None:
                raise ValueError(f"pending= applies to PostgreSQL stores only; {text!r} is an "
                                 "SQLite file, which is always within reach")
            self.path = Path(text).expanduser()
            self._engine = SQLiteEngine(self.path, float(timeout))
        self.location = str(self.path)

    # -- writes ---------------------------------------------------------------------------

    def add(self, item_id: str | int, record: Mapping[str, Any], annotator: str | None = None,
            *, kind: str | None = None, own: bool = False, **context: Any) -> dict[str, Any]:
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
        own : bool
            Team mode: change the annotator's own records of the item (each annotator of an
            item labeled by several keeps their own list) rather than its shared records.
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
        owner = _owner(own, who)
        clean, kind = _validate(item, record, kind, None, context)
        self._submit({"op": "add", "item": item, "owner": owner, "record": clean, "kind": kind,
                      "annotator": who, "at": now()})
        return clean

    def replace(self, item_id: str | int, records: Iterable[Mapping[str, Any]],
                annotator: str | None = None, *, kind: str | None = None, own: bool = False,
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
        own : bool
            Team mode: set the annotator's own list of the item's records (other annotators'
            lists and the shared list are left alone).
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
        owner = _owner(own, who)
        prepared = _prepare(item, records, kind, context)
        self._submit({"op": "replace", "item": item, "owner": owner, "records": prepared,
                      "annotator": who, "at": now()})
        return [clean for clean, _ in prepared]

    def remove(self, item_id: str | int, record_id: str, annotator: str | None = None, *,
               own: bool = False) -> dict[str, Any]:
        """Remove one record from an item and return it (``own``: from the annotator's own
        records of the item, in team mode).

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
        owner = _owner(own, who)
        removed: dict[str, Any] = self._submit({"op": "remove", "item": item, "owner": owner,
                                                "record_id": record_id, "annotator": who,
                                                "at": now()})
        return removed

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
        self._submit({"op": "meta", "key": key, "value": text})

    # -- reads ----------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        """Return the JSON value stored under ``key``, or ``default`` when there is none."""
        _meta_key(key)
        dataset = STORE_WIDE if key in _sql.RESERVED_META else self.dataset
        rows = self._engine.read(_sql.GET_META, (dataset, key))
        return json.loads(rows[0][0]) if rows else default

    def get(self, item_id: str | int, annotator: str | None = None) -> list[dict[str, Any]]:
        """Return the item's current records in order (``[]`` for an unknown item).

        In team mode an item may have records of several annotators: all of them come back
        (the shared records first, then each annotator's, by name), or only the records
        ``annotator`` owns when it is given.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> store.get("nothing-yet")
        []
        """
        item = _item_key(item_id)
        if annotator is None:
            rows = self._engine.read(_sql.GET, (self.dataset, item))
        else:
            rows = self._engine.read(_sql.GET_OWN, (self.dataset, item, _annotator(annotator)))
        return [json.loads(text) for (text,) in rows]

    def items(self) -> list[str]:
        """Return the ids of items that have annotations, in the order first annotated."""
        return [item for (item,) in self._engine.read(_sql.ITEMS, (self.dataset,))]

    def history(self, item_id: str | int | None = None) -> list[dict[str, Any]]:
        """Return the events of one item (or of the whole store), oldest first.

        Each event is a dict with ``seq`` (global order), ``event`` (``"add"``, ``"update"``,
        ``"remove"`` or ``"replace"``), ``item_id``, ``record_id``, ``kind``, ``source``,
        ``annotator`` (``None`` when unknown), ``owner`` (``""`` for the item's shared
        records, else the annotator whose own records changed, in team mode), ``at`` (a UTC
        :class:`~datetime.datetime`) and
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
            rows = self._engine.read(_sql.HISTORY_ALL, (self.dataset,))
        else:
            rows = self._engine.read(_sql.HISTORY, (self.dataset, _item_key(item_id)))
        return [_event(row) for row in rows]

    def annotations(self) -> pd.DataFrame:
        """Return the current annotations as a DataFrame, one row per record.

        Rows are ordered by item (in the order first annotated), then by position in the item.
        Columns (:data:`ANNOTATION_COLUMNS`):

        * ``item_id``, ``id`` (the record id), ``source``, ``kind``: strings;
        * ``label``: a string (a list of strings for multi-label class records);
        * ``score``: float, NaN for human labels;
        * ``annotator``: who last added or changed the record (missing when unknown);
        * ``owner``: ``""`` for an item's shared records; in team mode, the annotator whose
          own record it is (overlap items have one list per annotator);
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
        return annotations_frame(self._engine.read(_sql.ANNOTATIONS, (self.dataset,)))

    def labels_since(self, cursor: int = 0, limit: int | None = None,
                     ) -> tuple[list[dict[str, Any]], int]:
        """Events of this dataset (by every annotator and kernel) after ``cursor``.

        Poll it to learn of everyone's new labels, e.g. to refit a model on them; pass back
        the cursor it returned. Events are those of :meth:`history`, in commit order, so a
        poller never misses one.

        Returns
        -------
        (list of dict, int)
            The events, oldest first, and the cursor to pass next time.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db", annotator="ana")
        >>> _ = store.add("a", {"label": "cat"})
        >>> events, cursor = store.labels_since(0)
        >>> [e["item_id"] for e in events], store.labels_since(cursor)
        (['a'], ([], 1))
        """
        if isinstance(cursor, bool) or not isinstance(cursor, int) or cursor < 0:
            raise TypeError(f"cursor must be a non-negative int (from labels_since), "
                            f"got {cursor!r}")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 1):
            raise ValueError(f"limit must be a positive int or None, got {limit!r}")
        rows = self._engine.read(_sql.SINCE, (self.dataset, cursor, limit or 2**62))
        events = [_event(row) for row in rows]
        return events, (events[-1]["seq"] if events else cursor)

    def wait_for_labels(self, cursor: int, timeout: float) -> bool:
        """Wait until this dataset has events after ``cursor``, at most ``timeout`` seconds.

        PostgreSQL wakes up on ``NOTIFY`` (sent when a label is committed); SQLite polls.
        Returns whether there are new events (read them with :meth:`labels_since`).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.db")
        >>> store.wait_for_labels(0, timeout=0.01)
        False
        """
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
            raise ValueError(f"timeout must be a non-negative number of seconds, "
                             f"got {timeout!r}")
        deadline = time.monotonic() + timeout
        if isinstance(self._engine, PostgresEngine):
            self._engine.listen()  # before reading: a label committed after is not missed
        while True:
            if int(self._engine.read(_sql.LAST_SEQ, (self.dataset,))[0][0]) > cursor:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if isinstance(self._engine, PostgresEngine):
                self._engine.wait(left)
            else:
                time.sleep(min(left, 0.05))

    def datasets(self) -> list[str]:
        """The names of the datasets in this database (with meta or annotations), sorted."""
        return [name for (name,) in self._engine.read(_sql.DATASETS)]

    def claims(self) -> list[dict[str, Any]]:
        """The shared queue's claims of this dataset: who holds or finished which item.

        Each is a dict with ``item_id``, ``annotator``, ``state`` (``"held"`` or ``"done"``),
        ``claimed_at`` and ``until`` (seconds since the epoch; for a held item, when its lease
        ends).
        """
        keys = ("item_id", "annotator", "state", "claimed_at", "until")
        return [dict(zip(keys, row, strict=True))
                for row in self._engine.read(_sql.CLAIMS, (self.dataset,))]

    def queue(self, annotator: str | None = None, **options: Any) -> Queue:
        """Join this dataset's shared queue as ``annotator`` (default: the store's).

        ``options`` are those of :class:`Queue`: ``lease``, ``overlap``,
        ``overlap_annotators``, ``presence``, ``keepalive``.
        """
        who = annotator if annotator is not None else self.annotator
        if who is None:
            raise TypeError("queue() needs an annotator name: store.queue(annotator='ana') "
                            "or Store(..., annotator='ana')")
        return Queue(self, who, **options)

    # -- writes kept while offline ----------------------------------------------------------

    @property
    def pending(self) -> int:
        """Writes kept locally while the database was out of reach, not yet written."""
        return len(self._pending) if self._pending is not None else 0

    def sync(self) -> int:
        """Write the writes kept while offline, oldest first; return how many were written.

        Raises
        ------
        StoreConnectionError
            The database is still out of reach (what is not written stays kept).
        """
        with self._sync_lock:
            return self._sync_locked()

    def __len__(self) -> int:
        """Number of current records (over all items)."""
        return int(self._engine.read(_sql.COUNT, (self.dataset,))[0][0])

    def __repr__(self) -> str:
        shown = repr(self.location)
        if self.dataset != DEFAULT_DATASET:
            shown += f", dataset={self.dataset!r}"
        if self._engine.closed:
            return f"Store({shown}, closed)"
        try:
            items, records = self._engine.read(_sql.COUNTS, (self.dataset,))[0]
        except (sqlite3.Error, ValueError, ConnectionError):
            return f"Store({shown})"
        return f"Store({shown}, items={items}, records={records})"

    # -- what the queue uses ----------------------------------------------------------------

    @property
    def _dialect(self) -> str:
        return self._engine.dialect

    def _transact(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one transaction (no offline keeping: the queue needs answers)."""
        return self._engine.write(work)

    def _finish(self, item: str, who: str, records: Iterable[Mapping[str, Any]] | None,
                kind: str | None, context: dict[str, Any]) -> bool:
        prepared = None if records is None else _prepare(item, records, kind, context)
        return bool(self._submit({"op": "finish", "item": item, "records": prepared,
                                  "annotator": who, "at": now()}))

    def _submit(self, op: Op) -> Any:
        """Apply a prepared write; while offline, keep it (or refuse it) and say so."""
        if self._pending is None:
            return self._engine.write(lambda tx: apply(tx, self.dataset, op))
        with self._sync_lock:
            try:
                self._sync_locked()
                return self._engine.write(lambda tx: apply(tx, self.dataset, op))
            except StoreConnectionError as error:
                what = f"the change to {_what(op)}"
                if self.offline == "refuse":
                    raise StoreOfflineError(f"{error}; {what} was NOT saved (offline='refuse')",
                                            kept=False, pending=len(self._pending)) from error
                self._pending.keep(op)
                waiting = len(self._pending)
                raise StoreOfflineError(
                    f"{error}; {what} is kept in {self._pending.path} ({waiting} waiting) and "
                    "will be written when the database is back", kept=True,
                    pending=waiting) from error

    def _sync_locked(self) -> int:
        written = 0
        while self._pending is not None and (first := self._pending.first()) is not None:
            n, op = first
            self._engine.write(functools.partial(apply, dataset=self.dataset, op=op,
                                                 replaying=True))
            self._pending.written(n)
            written += 1
        return written

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards.

        Call it when no other thread is writing. Closing twice is harmless.
        """
        self._engine.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _prepare(item: str, records: Any, kind: str | None,
             context: dict[str, Any]) -> list[list[Any]]:
    """Validate an item's whole list of records: ``[[clean record, kind], ...]``."""
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise TypeError(f"item {item!r}: records must be a list of dicts, "
                        f"got {type(records).__name__}")
    prepared: list[list[Any]] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        clean, record_kind = _validate(item, record, kind, index, context)
        if clean["id"] in seen:
            raise ValueError(f"item {item!r}: record {index} has a duplicate id "
                             f"{clean['id']!r}")
        seen.add(clean["id"])
        prepared.append([clean, record_kind])
    return prepared


def _event(row: tuple[Any, ...]) -> dict[str, Any]:
    keys = ("seq", "event", "item_id", "record_id", "kind", "source", "annotator", "owner")
    return {**dict(zip(keys, row[:8], strict=True)), "seq": int(row[0]),
            "at": datetime.fromisoformat(row[8]), "record": json.loads(row[9])}


def _owner(own: Any, who: str | None) -> str:
    if not isinstance(own, bool):
        raise TypeError(f"own must be a bool, got {type(own).__name__} {own!r}")
    if not own:
        return ""
    if not who:
        raise TypeError("own=True needs an annotator (the records' owner): pass annotator= "
                        "or open the store with Store(..., annotator=...)")
    return who


def _what(op: Op) -> str:
    if op["op"] == "meta":
        return f"meta key {op['key']!r}"
    return f"item {op['item']!r}"


def _default_pending(url: str, dataset: str) -> Path:
    digest = hashlib.sha256(f"{masked(url)}\n{dataset}".encode()).hexdigest()[:16]
    return Path.cwd() / ".nbannotate" / f"pending-{digest}.db"
