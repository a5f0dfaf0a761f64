"""The shared queue: several annotators (kernels, machines) label one dataset together.

Each annotator opens a :class:`Queue` on the same store and dataset. :meth:`Queue.claim`
takes the first item of the annotator's priority order that is open to them and leases it to
them; nobody else is served it while the lease holds. A background thread renews the leases
of held items and the annotator's name while the kernel lives, so a lease ends ``lease``
seconds after the kernel dies and the item returns to the queue. :meth:`Queue.complete`
stores the labels and marks the item finished in one transaction.

An item is **open** to annotator A when A has not finished it and fewer than its *capacity*
of other annotators hold it (an unexpired lease) or have finished it. The capacity is 1, or
``overlap_annotators`` for the overlap share of the items: an item belongs to it when a hash
of (dataset, item id) falls below ``overlap``, so every process agrees without talking. The
capacity of an item is fixed when it is first offered to the queue.

On PostgreSQL the claim is ``SELECT ... FOR UPDATE SKIP LOCKED`` on the items' queue rows,
then a check of the claims made meanwhile while the row is locked; on SQLite every claim is
one ``BEGIN IMMEDIATE`` transaction. The same code runs on both.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from . import _sql
from ._checks import _item_key
from ._errors import AnnotatorInUseError, LeaseLostError, StoreConnectionError
from ._writes import Tx

if TYPE_CHECKING:
    from ._store import Store

_FIRST_CHUNK = 32  # candidates looked at by the first query (usually enough)
_CHUNK = 256  # candidates looked at by each further query


def capacity(dataset: str, item: str, overlap: float, overlap_annotators: int) -> int:
    """How many different annotators label ``item``: ``overlap_annotators`` for the overlap
    share of the items (chosen by a hash of the dataset and the item id), else 1.

    Examples
    --------
    >>> ids = [str(i) for i in range(10_000)]
    >>> sum(capacity("d", i, 0.3, 2) == 2 for i in ids) / len(ids)
    0.3086
    >>> capacity("d", "7", 0.0, 2), capacity("d", "7", 1.0, 3)
    (1, 3)
    """
    if overlap <= 0:
        return 1
    digest = hashlib.sha256(f"{dataset}\0{item}".encode()).digest()
    share = int.from_bytes(digest[:8], "big") / 2.0**64
    return overlap_annotators if share < overlap else 1


def _chunks(order: Iterable[str | int]) -> Iterator[list[str]]:
    """The candidates as checked ids without repeats, a few first, then in larger chunks
    (read lazily: a claim usually needs only the head of a long order)."""
    seen: set[str] = set()
    chunk: list[str] = []
    size = _FIRST_CHUNK
    for item in order:
        key = _item_key(item)
        if key in seen:
            continue
        seen.add(key)
        chunk.append(key)
        if len(chunk) == size:
            yield chunk
            chunk, size = [], _CHUNK
    if chunk:
        yield chunk


def _lazy_commit(tx: Tx) -> None:
    """Let PostgreSQL commit a lease without waiting for its disk: a lease lost in a server
    crash only ends early (labels keep durable commits)."""
    if tx.dialect == "postgresql":
        tx.execute("SET LOCAL synchronous_commit TO off")


def _seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__} "
                        f"{value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)


class Queue:
    """One annotator's place in a dataset's shared queue (use :meth:`Store.queue`).

    Parameters
    ----------
    store : Store
        The store (SQLite file or PostgreSQL URL) and dataset shared by the team.
    annotator : str
        This annotator's name. Only one live session may use a name at a time.
    lease : float
        Seconds an item stays leased without renewal (renewed in the background while the
        kernel lives).
    overlap : float
        The share of the items (0 to 1) labeled by ``overlap_annotators`` different
        annotators; every other item is labeled once.
    overlap_annotators : int
        How many different annotators label each overlap item (at least 2).
    presence : float
        Seconds after the last sign of life of a session before its annotator name is free.
    keepalive : bool
        Renew leases and the name in a background thread (turn off only to drive renewal
        yourself with :meth:`heartbeat`).

    Raises
    ------
    AnnotatorInUseError
        Another live session uses this annotator name on this dataset.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from nbannotate.store import Store
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "team.db", dataset="reviews")
    >>> with store.queue(annotator="ana", lease=60) as ana, store.queue(annotator="bo") as bo:
    ...     first = ana.claim(["r1", "r2", "r3"])
    ...     second = bo.claim(["r1", "r2", "r3"])        # r1 is held by ana
    ...     ana.complete(first, [{"label": "pos"}], kind="class")
    ...     (first, second, bo.claim(["r1"]))              # r1 is finished
    True
    ('r1', 'r2', None)
    """

    def __init__(self, store: Store, annotator: str, *, lease: float = 600.0,
                 overlap: float = 0.0, overlap_annotators: int = 2, presence: float = 30.0,
                 keepalive: bool = True) -> None:
        if not isinstance(annotator, str) or not annotator:
            raise TypeError(f"annotator must be a non-empty str, got {annotator!r}")
        self.lease = _seconds("lease", lease)
        self.presence = _seconds("presence", presence)
        if isinstance(overlap, bool) or not isinstance(overlap, (int, float)):
            raise TypeError(f"overlap must be a number between 0 and 1, got "
                            f"{type(overlap).__name__} {overlap!r}")
        if not 0.0 <= overlap <= 1.0:
            raise ValueError(f"overlap must be between 0 and 1 (the share of items labeled "
                             f"by several annotators), got {overlap!r}")
        if isinstance(overlap_annotators, bool) or not isinstance(overlap_annotators, int):
            raise TypeError(f"overlap_annotators must be an int, got "
                            f"{type(overlap_annotators).__name__} {overlap_annotators!r}")
        if overlap_annotators < 2:
            raise ValueError(f"overlap_annotators must be at least 2, got {overlap_annotators}")
        self.store = store
        self.annotator = annotator
        self.overlap = float(overlap)
        self.overlap_annotators = overlap_annotators
        self.dataset = store.dataset
        self._token = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._held: set[str] = set()
        self._offered: set[str] = set()
        self._stop = threading.Event()
        self.closed = False
        self.last_error: Exception | None = None
        """What the background renewal last failed with (``None`` when it worked)."""
        self._name_renewed = -math.inf  # time.monotonic() of the last renewal of the name
        store._transact(lambda tx: self._name_in(tx, force=True))
        self._thread: threading.Thread | None = None
        if keepalive:
            self._thread = threading.Thread(target=self._keep_alive, daemon=True,
                                            name=f"nbannotate-queue-{annotator}")
            self._thread.start()

    # -- claiming ---------------------------------------------------------------------------

    def claim(self, order: Iterable[str | int]) -> str | None:
        """Lease the first item of ``order`` open to this annotator; ``None`` when none is.

        Parameters
        ----------
        order : iterable of str or int
            Candidate item ids, most wanted first (e.g. the model's most uncertain).

        Returns
        -------
        str or None
            The item id, leased to this annotator until ``now + lease``.
        """
        self._check_open()
        for chunk in _chunks(order):
            self._offer(chunk)
            item = self.store._transact(functools.partial(self._claim_in, chunk=chunk))
            if item is not None:
                with self._lock:
                    self._held.add(item)
                return item
        # still prove the name is ours, so a second session hears about it at once
        self.store._transact(lambda tx: self._name_in(tx, force=True))
        return None

    def renew(self, item_id: str | int) -> None:
        """Extend the item's lease to ``now + lease`` (while it is on screen).

        Raises
        ------
        LeaseLostError
            The lease had expired and another annotator took the item.
        """
        self._check_open()
        item = _item_key(item_id)
        try:
            self.store._transact(lambda tx: self._renew_in(tx, item))
        except LeaseLostError:
            with self._lock:
                self._held.discard(item)
            raise

    def release(self, item_id: str | int) -> None:
        """Give the item back to the queue unlabeled (e.g. skipped)."""
        self._check_open()
        item = _item_key(item_id)
        self.store._transact(lambda tx: tx.execute(
            _sql.RELEASE, (self.dataset, item, self.annotator)))
        with self._lock:
            self._held.discard(item)

    def complete(self, item_id: str | int, records: Iterable[Mapping[str, Any]] | None = None,
                 *, kind: str | None = None, **context: Any) -> bool:
        """Store the item's records (if given) and mark it finished, in one transaction.

        Parameters
        ----------
        item_id : str or int
            The item.
        records : list of dict, optional
            The item's records (as :meth:`Store.replace`); ``None`` when they were already
            written (e.g. by :meth:`Store.replace`).
        kind, **context
            Passed to the validator, as for :meth:`Store.replace`.

        Returns
        -------
        bool
            Whether this annotator still held the lease. ``False`` means it had expired and the
            item may have been labeled by another annotator too; the labels are kept anyway.

        Raises
        ------
        StoreOfflineError
            The database is out of reach: the labels were kept locally (``kept``) to be
            written when it is back, or refused.
        """
        self._check_open()
        item = _item_key(item_id)
        with self._lock:
            self._held.discard(item)
        return bool(self.store._finish(item, self.annotator, records, kind, context))

    @property
    def held(self) -> list[str]:
        """The items this annotator holds now (sorted)."""
        with self._lock:
            return sorted(self._held)

    def heartbeat(self) -> None:
        """Renew the annotator name and every held lease now (the background thread does it
        every third of ``min(lease, presence)``); write labels kept while offline."""
        self._check_open()
        self.store._transact(lambda tx: self._name_in(tx, force=True))
        for item in self.held:
            with contextlib.suppress(LeaseLostError):
                self.renew(item)
        if self.store.pending:
            self.store.sync()

    def close(self) -> None:
        """Release held items and the annotator name; stop renewing. Idempotent."""
        if self.closed:
            return
        self.closed = True
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

        def work(tx: Tx) -> None:
            for item in self.held:
                tx.execute(_sql.RELEASE, (self.dataset, item, self.annotator))
            tx.execute(_sql.DROP_NAME, (self.dataset, self.annotator, self._token))

        # offline or store closed: the leases and the name expire by themselves
        with contextlib.suppress(StoreConnectionError, ValueError):
            self.store._transact(work)
        with self._lock:
            self._held.clear()

    def __enter__(self) -> Queue:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"Queue(annotator={self.annotator!r}, dataset={self.dataset!r}, "
                f"lease={self.lease:g}, overlap={self.overlap:g}, held={self.held})")

    # -- internals --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError(f"the queue of annotator {self.annotator!r} is closed")

    def _offer(self, ids: list[str]) -> None:
        """Give the queue rows to items it has not seen (in a short transaction of its own,
        in sorted order, so that two kernels offering the same items never deadlock)."""
        new = sorted(item for item in ids if item not in self._offered)
        if not new:
            return
        rows = [[item, capacity(self.dataset, item, self.overlap, self.overlap_annotators)]
                for item in new]
        statement = _sql.ENQUEUE[self.store._dialect]
        self.store._transact(lambda tx: tx.execute(
            statement, (self.dataset, json.dumps(rows, ensure_ascii=False))))
        self._offered.update(new)

    def _name_in(self, tx: Tx, *, force: bool = False) -> None:
        """Renew the annotator name, or raise when another live session holds it. Skipped
        (unless ``force``) when renewed recently: nobody can take a name before it lapses."""
        renewed = time.monotonic()
        if not force and renewed - self._name_renewed < self.presence / 3:
            return
        now = tx.clock()
        row = tx.execute(_sql.TAKE_NAME, (self.dataset, self.annotator, self._token,
                                          now + self.presence, now)).fetchone()
        if row is None:
            holder = tx.execute(_sql.NAME_HOLDER, (self.dataset, self.annotator)).fetchone()
            left = max(0.0, float(holder[1]) - now) if holder else 0.0
            raise AnnotatorInUseError(
                f"annotator {self.annotator!r} is already labeling dataset {self.dataset!r} of "
                f"{self.store.location} in another live session; use another annotator name, "
                f"or close the other session (its name is free {left:.0f} s after it ends)")
        self._name_renewed = renewed

    def _claim_in(self, tx: Tx, chunk: list[str]) -> str | None:
        _lazy_commit(tx)
        self._name_in(tx)
        now = tx.clock()
        who, dataset = self.annotator, self.dataset
        candidates = list(chunk)
        pick = _sql.PICK[tx.dialect]
        while candidates:
            row = tx.execute(pick, _sql.pick_params(tx.dialect, candidates, dataset, who,
                                                    now)).fetchone()
            if row is None:
                return None
            item = str(row[0])
            # the row is locked now: claims committed since the query began are visible
            if tx.execute(_sql.STILL_OPEN, (dataset, item, who, now)).fetchone()[0]:
                tx.execute(_sql.DROP_EXPIRED, (dataset, item, now))
                tx.execute(_sql.HOLD, (dataset, item, who, now, now + self.lease))
                return item
            candidates.remove(item)
        return None

    def _renew_in(self, tx: Tx, item: str) -> None:
        _lazy_commit(tx)
        tx.execute(_sql.LOCK_ITEM[tx.dialect], (self.dataset, item)).fetchall()
        now = tx.clock()
        if tx.execute(_sql.RENEW, (now + self.lease, self.dataset, item,
                                   self.annotator)).rowcount == 0:
            raise LeaseLostError(f"annotator {self.annotator!r} no longer holds item {item!r} "
                                 f"of dataset {self.dataset!r}: the lease expired and another "
                                 "annotator took it, or it was released or finished")

    def _keep_alive(self) -> None:
        interval = min(self.lease, self.presence) / 3
        while not self._stop.wait(interval):
            try:
                self.heartbeat()
                self.last_error = None
            except Exception as error:  # offline, name taken...: the next call says so
                self.last_error = error
