"""Writes made while the database was out of reach, kept until they are written.

They are kept in memory and in a small local SQLite file (so that they survive the kernel
too), oldest first, and removed one by one as each is committed to the database. The file is
created with the first kept write and deleted when the last one is written.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ._writes import Op

_CREATE = "CREATE TABLE IF NOT EXISTS pending (n INTEGER PRIMARY KEY, op TEXT NOT NULL)"


class PendingWrites:
    """The local queue of writes waiting for the database, backed by the file ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> pending = PendingWrites(pathlib.Path(tempfile.mkdtemp()) / "pending.db")
    >>> pending.keep({"op": "meta", "key": "k", "value": "1"})
    >>> len(pending), pending.path.exists()
    (1, True)
    >>> n, op = pending.first()
    >>> pending.written(n)
    >>> len(pending), pending.path.exists()
    (0, False)
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ops: list[tuple[int, Op]] = []
        if path.exists():
            with self._open() as conn:
                self._ops = [(n, json.loads(text)) for n, text in
                             conn.execute("SELECT n, op FROM pending ORDER BY n")]

    def __len__(self) -> int:
        return len(self._ops)

    def keep(self, op: Op) -> None:
        """Add a write at the end (committed to the local file before returning)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._open() as conn:
            n = conn.execute("INSERT INTO pending (op) VALUES (?)",
                             (json.dumps(op, ensure_ascii=False),)).lastrowid
        self._ops.append((int(n or 0), op))

    def first(self) -> tuple[int, Op] | None:
        """The oldest waiting write and its number, or ``None``."""
        return self._ops[0] if self._ops else None

    def written(self, n: int) -> None:
        """Forget write ``n`` (it has been committed to the database)."""
        self._ops = [(m, op) for m, op in self._ops if m != n]
        if not self._ops:
            self.path.unlink(missing_ok=True)
            return
        with self._open() as conn:
            conn.execute("DELETE FROM pending WHERE n = ?", (n,))

    @contextlib.contextmanager
    def _open(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            with conn:  # one transaction, committed on leaving
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute(_CREATE)
                yield conn
        finally:
            conn.close()
