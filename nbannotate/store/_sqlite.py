"""The SQLite engine under :class:`~nbannotate.store.Store`: files, connections, transactions.

One connection per thread (kernel handlers may run on a subshell thread while a cell runs),
WAL mode, ``BEGIN IMMEDIATE`` for every write (so writers, and the shared queue's claims, are
serialized), SQLite's busy timeout plus a retry where SQLite's busy handler does not apply.
Nothing here knows what an annotation is.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import _schema, _sql

if TYPE_CHECKING:
    from ._writes import Tx

T = TypeVar("T")
Row = tuple[Any, ...]

_SQLITE_HEADER = b"SQLite format 3\x00"
_BUSY, _LOCKED, _CANTOPEN = 5, 6, 14  # SQLite primary result codes


def now() -> str:
    """The current UTC time as ISO 8601 text with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class SQLiteEngine:
    """An nbannotate database in an SQLite file, opened (and created if needed) on construction.

    Raises ``ValueError`` for a file that is not a store (which it leaves unchanged) or a store
    of a newer schema, and ``OSError`` subclasses naming the path for a place that cannot hold
    a store.
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self.closed = False
        self._check_location()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[tuple[weakref.ref[threading.Thread], sqlite3.Connection]] = []
        self._finalizer = weakref.finalize(self, _close_all, self._connections, self._lock)
        try:
            self._retry(self._open)
        except sqlite3.DatabaseError as error:
            self.close()
            if isinstance(error, sqlite3.OperationalError):
                if _code(error) == _CANTOPEN:
                    raise OSError(f"cannot open store {path}: {error}") from error
                raise
            raise ValueError(f"{path} is not an nbannotate store: SQLite cannot read it "
                             f"({error})") from error
        except BaseException:
            self.close()
            raise

    def read(self, sql: str, params: Row = ()) -> list[Row]:
        """Run one query (its own consistent snapshot) and return all rows."""
        return self._retry(lambda: self._connection().execute(sql, params).fetchall())

    dialect = "sqlite"

    @property
    def where(self) -> str:
        """The store's location, for messages."""
        return str(self.path)

    def write(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one immediate transaction; return after the commit.

        Any exception in ``work`` rolls the whole transaction back and propagates.
        """
        def attempt() -> T:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(SQLiteTx(conn))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        return self._retry(attempt)

    def close(self) -> None:
        """Close every thread's connection (idempotent)."""
        self.closed = True
        self._finalizer()

    # -- internals ------------------------------------------------------------------------

    def _check_location(self) -> None:
        path = self.path
        if path.is_dir():
            raise IsADirectoryError(f"cannot open store {path}: it is a directory; pass a file "
                                    f"path such as {path / 'labels.db'}")
        if path.exists():
            with open(path, "rb") as file:
                head = file.read(len(_SQLITE_HEADER))
            if head and head != _SQLITE_HEADER:
                raise ValueError(f"{path} is not an nbannotate store: it is not an SQLite "
                                 f"database (it starts with {head!r}); it was left unchanged")
        parent = path.absolute().parent
        existing = next(p for p in (parent, *parent.parents) if p.exists())
        if not existing.is_dir():
            raise NotADirectoryError(f"cannot create store {path}: {existing} is a file, "
                                     "not a directory")
        if existing != parent:
            raise FileNotFoundError(f"cannot create store {path}: the directory {parent} does "
                                    "not exist (create it first)")
        # SQLite keeps <path>-wal and <path>-shm beside the file: the directory must be writable.
        if not os.access(parent, os.W_OK | os.X_OK):
            raise PermissionError(f"cannot write store {path}: no permission to create files "
                                  f"in {parent}")
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise PermissionError(f"cannot write store {path}: no permission to read and "
                                  "write the file")

    def _open(self) -> None:
        conn = self._connection()
        if not _tables(conn):
            # Only an empty database is initialized: one with tables is never touched before
            # it is known to be ours (switching a foreign database to WAL would modify it).
            conn.execute("PRAGMA journal_mode = WAL")
            self._immediately(conn, self._create)
        version = self._verify(conn)
        conn.execute("PRAGMA journal_mode = WAL")  # persistent; a no-op once set
        if version < _schema.SCHEMA_VERSION:
            self._immediately(conn, self._migrate)

    @staticmethod
    def _immediately(conn: sqlite3.Connection, step: Callable[[sqlite3.Connection], None]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _create(conn: sqlite3.Connection) -> None:
        if _tables(conn):  # another process created it meanwhile
            return
        for statement in _schema.tables("sqlite"):
            conn.execute(statement)
        when = now()
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                     (_schema.SCHEMA_VERSION, when))
        for key, value in (("format", _schema.FORMAT),
                           ("schema_version", _schema.SCHEMA_VERSION), ("created_at", when)):
            conn.execute(_sql.SET_META, (_schema.STORE_WIDE, key, json.dumps(value)))

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = self._verify(conn)  # again, inside the lock: another process may have done it
        if version == 1:
            for statement, params in _schema.sqlite_v1_to_v2(now()):
                conn.execute(statement, params)

    def _verify(self, conn: sqlite3.Connection) -> int:
        """The store's schema version; raise ``ValueError`` for a file that is not ours."""
        tables = _tables(conn)
        foreign = (f"{self.path} is not an nbannotate store: it is an SQLite database with other "
                   f"tables ({', '.join(sorted(tables))}); it was left unchanged")
        if "meta" not in tables:
            raise ValueError(foreign)
        # version 1 keeps (key, value) in meta; version 2 adds a dataset ("" for the store)
        v1 = "schema_version" not in tables
        query = ("SELECT value FROM meta WHERE key = ?" if v1 else
                 "SELECT value FROM meta WHERE key = ? AND dataset = ''")
        try:
            values = [conn.execute(query, (key,)).fetchone()
                      for key in ("format", "schema_version")]
            fmt, version = (json.loads(value[0]) for value in values)
            if not v1:
                version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        except (sqlite3.OperationalError, TypeError, ValueError) as error:
            if isinstance(error, sqlite3.OperationalError) and _code(error) in (_BUSY, _LOCKED):
                raise
            raise ValueError(foreign) from None
        if fmt != _schema.FORMAT:
            raise ValueError(foreign)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(f"{self.path}: damaged nbannotate store (schema_version "
                             f"{version!r})")
        if version > _schema.SCHEMA_VERSION:
            raise ValueError(f"{self.path} was written by a newer nbannotate (store schema "
                             f"version {version}; this version reads up to "
                             f"{_schema.SCHEMA_VERSION}): upgrade nbannotate to open it")
        expected = {"meta", "items", "annotations", "events"} if v1 else _schema.TABLES
        missing = expected - tables
        if missing:
            raise ValueError(f"{self.path}: damaged nbannotate store (missing tables "
                             f"{sorted(missing)})")
        return int(version)

    def _connection(self) -> sqlite3.Connection:
        if self.closed:
            raise ValueError(f"the store {self.path} is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if conn is None:
            # isolation_level=None: no implicit transactions (writes say BEGIN IMMEDIATE).
            # timeout is SQLite's busy_timeout: wait for other writers rather than fail.
            # check_same_thread=False only so that close() may close it from another thread;
            # each connection is otherwise used by the thread that made it.
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
            # In WAL mode, synchronous=NORMAL fsyncs the WAL at checkpoints, not at each
            # commit. When COMMIT returns, the transaction is in the WAL file (handed to the
            # OS), so killing the process or the kernel loses no acknowledged write and never
            # corrupts the file; only a power loss or OS crash may roll back the last commits.
            # FULL would add an fsync to every label, which bulk writes (auto-labels over a
            # pool) cannot afford, for a guarantee the design does not ask for.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = conn
            with self._lock:
                ended = [entry for entry in self._connections if not _alive(entry[0])]
                for entry in ended:  # connections of threads that have finished
                    self._connections.remove(entry)
                    entry[1].close()
                self._connections.append((weakref.ref(threading.current_thread()), conn))
        return conn

    def _retry(self, attempt: Callable[[], T]) -> T:
        return retry(attempt, self.timeout, f"store {self.path}")


class SQLiteTx:
    """An open SQLite transaction, as the store's writes see it (see ``_writes.Tx``)."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def clock(self) -> float:
        return time.time()  # one machine: its clock is everyone's

    def lock(self, key: str) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already serializes every writer."""

    def changed(self, dataset: str) -> None:
        """Nothing to do: readers poll (:meth:`Store.labels_since`)."""


def retry(attempt: Callable[[], T], timeout: float, where: str) -> T:
    """Run ``attempt``, retrying while SQLite reports the database busy or locked.

    SQLite's busy handler already waits inside most calls; this covers the cases where it does
    not apply (switching to WAL, WAL recovery, a commit that found the database busy). Gives
    up after ``timeout`` seconds with an ``sqlite3.OperationalError`` that says ``where``.
    """
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as error:
            if _code(error) not in (_BUSY, _LOCKED):
                raise
            if time.monotonic() + delay > deadline:
                raise sqlite3.OperationalError(f"{error}: {where} stayed busy for {timeout} s "
                                               "(another writer holds it)") from error
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.05)


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None:
        return int(code) & 0xFF
    message = str(error)
    if "unable to open" in message:
        return _CANTOPEN
    return _BUSY if "locked" in message or "busy" in message else None


def _alive(ref: weakref.ref[threading.Thread]) -> bool:
    thread = ref()
    return thread is not None and thread.is_alive()


def _close_all(connections: list[tuple[Any, sqlite3.Connection]], lock: threading.Lock) -> None:
    with lock:
        closing = [conn for _, conn in connections]
        connections.clear()
    for conn in closing:
        conn.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
