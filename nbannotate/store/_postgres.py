"""The PostgreSQL engine under :class:`~nbannotate.store.Store` (psycopg 3).

One connection per thread, in autocommit mode; each write is one explicit transaction. The
tables live in their own PostgreSQL schema (``nbannotate``), apart from the user's tables.
Writes of labels take a per-dataset advisory lock, so that event numbers are committed in
order (a reader polling "events after N" never skips one) and ``NOTIFY`` tells listening
kernels of new labels at commit.

A connection that breaks (the server restarted, the network dropped) is discarded; the next
call connects again. Every failure to reach the server is a
:class:`~nbannotate.store.StoreConnectionError` naming the URL with its password masked.
Nothing here knows what an annotation is.
"""

from __future__ import annotations

import json
import math
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from . import _schema, _sql
from ._errors import StoreConnectionError
from ._url import masked, scrub

if TYPE_CHECKING:
    from ._writes import Tx

T = TypeVar("T")
CHANNEL = "nbannotate"
_RETRIES = 5  # deadlocks and serialization failures are retried this many times

try:
    import psycopg
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - psycopg is the "team" extra
    psycopg = None  # type: ignore[assignment]


def _pg_sql(sql: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 - a memo
    converted = cache.get(sql)
    if converted is None:
        converted = cache[sql] = sql.replace("?", "%s")
    return converted


class PostgresTx:
    """An open PostgreSQL transaction, as the store's writes see it (see ``_writes.Tx``)."""

    dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._locked: set[str] = set()
        self._notified: set[str] = set()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self._conn.execute(_pg_sql(sql), params)

    def clock(self) -> float:
        # the server's clock: annotators on several machines agree on when a lease ends
        row = self._conn.execute("SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8")
        return float(row.fetchone()[0])

    def lock(self, key: str) -> None:
        if key not in self._locked:
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                               ("nbannotate:" + key,))
            self._locked.add(key)

    def changed(self, dataset: str) -> None:
        if dataset not in self._notified:
            self._conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, dataset))
            self._notified.add(dataset)


class PostgresEngine:
    """An nbannotate database in PostgreSQL, opened (and its tables created) on construction.

    Raises :class:`StoreConnectionError` when the server cannot be reached or refuses the
    connection, and ``ValueError`` for a database whose ``nbannotate`` schema is not a store
    or is of a newer schema version.
    """

    dialect = "postgresql"

    def __init__(self, url: str, timeout: float) -> None:
        if psycopg is None:
            raise ImportError("a PostgreSQL store needs psycopg 3: pip install "
                              "'nbannotate[team]' (or 'psycopg[binary]>=3.1')")
        self.url = url
        self.where = masked(url)
        self.timeout = timeout
        self.closed = False
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[Any] = []
        self._listener: Any = None
        self._listen_lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _close_all, self._connections, self._lock)
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    # -- the interface the store uses ------------------------------------------------------

    def read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one query (its own snapshot) and return all rows."""
        return self._run(lambda conn: conn.execute(_pg_sql(sql), params).fetchall())

    def write(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one transaction; return after the commit.

        Any exception in ``work`` rolls the whole transaction back and propagates.
        """
        def attempt(conn: Any) -> T:
            with conn.transaction():
                return work(PostgresTx(conn))

        return self._run(attempt)

    def listen(self) -> None:
        """Start listening for new labels (before reading what is there, so none is missed)."""
        with self._listen_lock:
            self._listening()

    def wait(self, timeout: float) -> None:
        """Block until a kernel writes labels (any dataset) or ``timeout`` seconds pass."""
        with self._listen_lock:
            conn = self._listening()
            try:
                for _ in conn.notifies(timeout=max(timeout, 0.0), stop_after=1):
                    break
            except psycopg.OperationalError as error:
                self._listener = None
                raise self._unreachable(error) from error

    def close(self) -> None:
        """Close every connection (idempotent)."""
        self.closed = True
        with self._listen_lock:
            if self._listener is not None:
                self._listener.close()
                self._listener = None
        self._finalizer()

    # -- internals ------------------------------------------------------------------------

    def _connect(self) -> Any:
        lock_ms = int(min(self.timeout, 86400.0) * 1000)
        try:
            return psycopg.connect(
                self.url, autocommit=True, connect_timeout=max(1, math.ceil(min(self.timeout, 10))),
                application_name="nbannotate",
                options=f"-c search_path={_schema.PG_SCHEMA} -c lock_timeout={lock_ms}")
        except psycopg.Error as error:
            raise self._unreachable(error) from error

    def _unreachable(self, error: BaseException) -> StoreConnectionError:
        cause = " ".join(scrub(str(error), self.url).split())
        return StoreConnectionError(f"cannot connect to the store {self.where}: {cause}")

    def _connection(self) -> Any:
        if self.closed:
            raise ValueError(f"the store {self.where} is closed")
        conn = getattr(self._local, "connection", None)
        if conn is None or conn.closed:
            conn = self._connect()
            self._local.connection = conn
            self._local.used = False  # not yet known to work
            with self._lock:
                self._connections[:] = [c for c in self._connections if not c.closed]
                self._connections.append(conn)
        return conn

    def _run(self, attempt: Callable[[Any], T]) -> T:
        stale_retry = True
        retries = 0
        while True:
            conn = self._connection()
            fresh = not self._local.used
            try:
                result = attempt(conn)
                self._local.used = True
                return result
            except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure):
                retries += 1
                if retries > _RETRIES:
                    raise
                time.sleep(0.005 * retries)
            except (psycopg.OperationalError, psycopg.InterfaceError) as error:
                if not (conn.broken or conn.closed):
                    raise
                conn.close()
                self._local.connection = None
                # A connection that had worked before may have died while idle (the server
                # restarted): try once more on a new one. A failure on a new connection, or a
                # second one, means the server is out of reach.
                if fresh or not stale_retry:
                    raise self._unreachable(error) from error
                stale_retry = False

    def _listening(self) -> Any:
        if self.closed:
            raise ValueError(f"the store {self.where} is closed")
        if self._listener is None or self._listener.closed:
            conn = self._connect()
            try:
                conn.execute(f"LISTEN {CHANNEL}")
            except psycopg.Error as error:
                conn.close()
                raise self._unreachable(error) from error
            self._listener = conn
        return self._listener

    def _setup(self) -> None:
        conn = self._connection()
        schema = _schema.PG_SCHEMA
        try:
            with conn.transaction():
                # one opener at a time creates or migrates the tables
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('nbannotate:schema'))")
                present = conn.execute("SELECT to_regnamespace(%s) IS NOT NULL",
                                       (schema,)).fetchone()[0]
                if not present:
                    conn.execute(f"CREATE SCHEMA {schema}")
                tables = {name for (name,) in conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                    (schema,)).fetchall()}
                if tables:
                    self._verify(conn, tables)
                else:
                    self._create(conn)
        except psycopg.OperationalError as error:
            if conn.broken or conn.closed:
                raise self._unreachable(error) from error
            raise
        self._local.used = True

    def _create(self, conn: Any) -> None:
        for statement in _schema.tables("postgresql"):
            conn.execute(statement)
        when = _now()
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                     (_schema.SCHEMA_VERSION, when))
        for key, value in (("format", _schema.FORMAT),
                           ("schema_version", _schema.SCHEMA_VERSION), ("created_at", when)):
            conn.execute(_pg_sql(_sql.SET_META), (_schema.STORE_WIDE, key, json.dumps(value)))

    def _verify(self, conn: Any, tables: set[str]) -> None:
        foreign = (f"{self.where} is not an nbannotate store: its schema "
                   f"{_schema.PG_SCHEMA!r} holds other tables ({', '.join(sorted(tables))}); "
                   "it was left unchanged")
        if "schema_version" not in tables:
            raise ValueError(foreign)
        version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        if version is None:
            raise ValueError(foreign)
        if version > _schema.SCHEMA_VERSION:
            raise ValueError(f"{self.where} was written by a newer nbannotate (store schema "
                             f"version {version}; this version reads up to "
                             f"{_schema.SCHEMA_VERSION}): upgrade nbannotate to open it")
        # PostgreSQL stores start at version 2; later versions add their migrations here.
        missing = _schema.TABLES - tables
        if missing:
            raise ValueError(f"{self.where}: damaged nbannotate store (missing tables "
                             f"{sorted(missing)})")


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="microseconds")


def _close_all(connections: list[Any], lock: threading.Lock) -> None:
    with lock:
        closing = list(connections)
        connections.clear()
    for conn in closing:
        conn.close()
