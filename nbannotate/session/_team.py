"""Team mode: several sessions (kernels, machines) label one dataset through a shared queue.

``label(items, ..., store=URL, annotator="ana", ids=IDS)`` joins the dataset's shared queue
(:class:`nbannotate.store.Queue`) as ``"ana"``:

* **Claims.** The item the session shows next is claimed through the queue, from the model's
  order (most informative first): items another annotator holds or has finished are passed
  over. The claim is a lease, renewed in the background while the item is on screen (the
  queue's keep-alive timer); it ends ``lease`` seconds after the kernel dies, and the item
  goes back to the queue. The answer is stored and the item marked finished in one
  transaction (:meth:`~nbannotate.store.Queue.complete`) before the next item appears; a skip,
  or closing the session, releases the item at once.
* **Everyone's labels.** A background thread follows the dataset's events
  (:meth:`~nbannotate.store.Store.wait_for_labels` / :meth:`~nbannotate.store.Store.labels_since`)
  and hands the other annotators' labels to the session's model (it refits on them), its
  progress counts and its dashboard (per-annotator counts and labels per minute).
* **Overlap.** ``overlap=0.3`` gives 30% of the items to ``overlap_annotators`` (2) different
  annotators; the queue decides which (a hash of the item id), so every kernel agrees.
* **Faults.** A write made while the database is out of reach is kept in the store's local
  pending file and written when it is back (the session's message line says so, and again
  when they are written); claiming the next item waits for the connection. Another live
  session under the same annotator name raises
  :class:`~nbannotate.store.AnnotatorInUseError`.

**When team mode is on.** With ``annotator=`` and a PostgreSQL store (a
``postgresql://`` URL or a :class:`~nbannotate.store.Store` opened on one); or, for several
kernels on one machine sharing an SQLite file, with ``team=True``. ``team=False`` turns it off
(the annotator is then only recorded in the history). Team mode needs ``ids=``: the database
holds ids and labels, never the items, so every notebook must name its items the same way.

The session writes through a :class:`~._team_store.TeamStore` (the store as the session sees
it), learns of the others' labels through :mod:`._team_feed`, and orders the candidates it
offers the queue with :mod:`._team_order`.

Examples
--------
>>> import pathlib, tempfile
>>> from nbannotate.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "team.db", dataset="demo")
>>> link = TeamLink(store, "ana", ["a", "b", "c"], lease=60.0, overlap=0.0,
...                 overlap_annotators=2)
>>> link.claim([1, 0]), link.queue.held
(1, ['b'])
>>> _ = link.store.replace("b", [{"id": "class", "label": "x"}], kind="class")
>>> link.queue.held, [c["state"] for c in store.claims()]
([], ['done'])
>>> link.close()
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..store import Store, StoreConnectionError, StoreOfflineError
from ..store._queue import capacity
from ._team_store import TeamStore

__all__ = ["TEAM_OPTIONS", "TeamLink", "TeamSettings", "team_settings"]

#: Keyword arguments of ``label()`` that belong to team mode.
TEAM_OPTIONS = ("team", "dataset", "lease", "overlap", "overlap_annotators")
_QUEUE_OPTIONS = ("lease", "overlap", "overlap_annotators")

POLL_SECONDS = 1.0  # the longest wait for news of other annotators' labels
RETRY_SECONDS = 2.0  # how often a session with nothing on screen asks the queue again
WINDOW_SECONDS = 600.0  # labels per minute are measured over the last ten minutes


@dataclass(frozen=True)
class TeamSettings:
    """What ``label()`` was told about team mode (see :func:`team_settings`)."""

    on: bool
    dataset: str | None
    lease: float = 600.0
    overlap: float = 0.0
    overlap_annotators: int = 2


def _is_postgres(store: Any) -> bool:
    if isinstance(store, Store):
        return isinstance(store.path, str)  # a PostgreSQL store's path is its (masked) URL
    return isinstance(store, str) and store.lower().startswith(("postgresql://",
                                                                "postgres://"))


def team_settings(options: Mapping[str, Any], *, store: Any, annotator: str | None,
                  ids_given: bool) -> TeamSettings:
    """Check the team options of ``label()`` and say whether team mode is on.

    Raises
    ------
    TypeError
        An unknown keyword argument; team mode without ``annotator=`` or without ``ids=``;
        a queue option (``lease``, ``overlap``, ``overlap_annotators``) outside team mode.

    Examples
    --------
    >>> team_settings({}, store="labels.db", annotator="ana", ids_given=False).on
    False
    >>> team_settings({"team": True}, store="labels.db", annotator="ana",
    ...               ids_given=True).lease
    600.0
    >>> team_settings({}, store="postgresql://ana@db/labels", annotator="ana",
    ...               ids_given=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: ids is required in team mode (annotator='ana' on a shared store): pass ids=, ...
    """
    unknown = sorted(set(options) - set(TEAM_OPTIONS))
    if unknown:
        raise TypeError(f"label() got an unexpected keyword argument {unknown[0]!r}")
    team = options.get("team")
    if team is not None and not isinstance(team, bool):
        raise TypeError(f"team must be True, False or None (automatic), got {team!r}")
    dataset = options.get("dataset")
    if dataset is not None and (not isinstance(dataset, str) or not dataset.strip()):
        raise TypeError(f"dataset must be a non-empty str, got {dataset!r}")
    if isinstance(store, Store) and dataset is not None and dataset != store.dataset:
        raise ValueError(f"dataset={dataset!r} but the Store given as store= is opened on "
                         f"dataset {store.dataset!r}: open it with Store(..., "
                         f"dataset={dataset!r}) or leave dataset= out")
    on = team if team is not None else (annotator is not None and _is_postgres(store))
    if not on:
        given = [name for name in _QUEUE_OPTIONS if name in options]
        if given:
            raise TypeError(f"{given[0]}= is an option of team mode, which is off: pass "
                            "annotator= with a PostgreSQL store (store='postgresql://...'), "
                            "or team=True to share an SQLite file")
        return TeamSettings(on=False, dataset=dataset)
    if annotator is None:
        raise TypeError("team mode needs annotator=: the name under which this notebook "
                        "labels (e.g. annotator='ana')")
    if not ids_given:
        raise TypeError(f"ids is required in team mode (annotator={annotator!r} on a shared "
                        "store): pass ids=, one id (str or int) per item, the same in every "
                        "notebook of the team (the database holds ids and labels, never the "
                        "items)")
    queue_options = {name: options[name] for name in _QUEUE_OPTIONS if name in options}
    return TeamSettings(on=True, dataset=dataset, **queue_options)


class TeamLink:
    """One session's place in the team: its queue, what it holds, and everyone's labels.

    Parameters
    ----------
    store : Store
        The shared store, opened on the dataset.
    annotator : str
        This session's annotator name (only one live session may use it).
    keys : list of str
        The store keys of the pool's items, by position.
    lease, overlap, overlap_annotators
        As :class:`~nbannotate.store.Queue`.

    Attributes
    ----------
    queue : nbannotate.store.Queue
    store : TeamStore
        What the session writes through.
    message : str
        The latest thing the person should know (offline, kept labels written, a lease lost);
        ``""`` when all is well.
    """

    def __init__(self, store: Store, annotator: str, keys: list[str], *, lease: float,
                 overlap: float, overlap_annotators: int) -> None:
        self.name = annotator
        self.shared = store
        self.queue = store.queue(annotator=annotator, lease=lease, overlap=overlap,
                                 overlap_annotators=overlap_annotators)
        self.store = TeamStore(store, self)
        self._keys = keys
        self._pos_of = {key: pos for pos, key in enumerate(keys)}
        self._capacity = [capacity(store.dataset, key, self.queue.overlap,
                                   self.queue.overlap_annotators) for key in keys]
        self._lock = threading.RLock()
        self._held: int | None = None
        self._done: set[int] = set()  # items this annotator finished
        self._records: dict[tuple[int, str], dict[str, dict[str, Any]]] = {}
        # kept up to date with _done and _records (read at every step, so never rebuilt):
        self._owners: dict[int, set[str]] = {}  # item -> the annotators who labeled it
        self._full: set[int] = set()  # items labeled by as many annotators as they take
        self._wanted: set[int] = set()  # overlap items others began, not this annotator
        self._first_at: dict[tuple[int, str], float] = {}  # when each annotator first labeled it
        self._cursor = 0
        self.message = ""
        self.offline = False
        self._listeners: list[Callable[[str], Any]] = []
        self._on_labels: Callable[[list[tuple[int, str, list[dict[str, Any]]]]], Any] | None = None
        self._on_idle: Callable[[], Any] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.closed = False
        try:
            self._read_news()  # everyone's labels so far, before the first item is picked
        except BaseException:
            self.queue.close()
            raise

    # -- what the person is told ---------------------------------------------------------------
    def on_message(self, callback: Callable[[str], Any]) -> None:
        """Call ``callback(text)`` when :attr:`message` changes (from any thread)."""
        self._listeners.append(callback)

    def _say(self, text: str) -> None:
        if text == self.message:
            return
        self.message = text
        for callback in list(self._listeners):
            callback(text)

    def kept(self, write: Callable[[], Any]) -> None:
        """Run a write; while offline, the store keeps it and the person is told."""
        try:
            write()
        except StoreOfflineError as error:
            if not error.kept:
                raise
            self.offline = True
            self._say(f"the store is out of reach: {error.pending} label change(s) kept "
                      f"on this machine, written when it is back ({error})")

    # -- claims ----------------------------------------------------------------------------------
    def wanted_first(self) -> list[int]:
        """Overlap items other annotators finished that still need another annotator (not
        this one): they come first, so that overlap items are finished early."""
        with self._lock:
            return sorted(self._wanted)

    def finished_for_me(self) -> set[int]:
        """Items not to ask the queue for: done by this annotator, or by as many annotators
        as the item takes."""
        with self._lock:
            return self._full | self._done

    def _labeled_by(self, pos: int, owner: str, labeled: bool) -> None:
        """Note that ``owner`` has (or no longer has) a label on ``pos`` (lock held)."""
        owners = self._owners.setdefault(pos, set())
        if labeled:
            owners.add(owner)
        elif owner != self.name or pos not in self._done:
            owners.discard(owner)
        if pos in self._done:
            owners.add(self.name)
        if len(owners) >= self._capacity[pos]:
            self._full.add(pos)
        else:
            self._full.discard(pos)
        if owners and self.name not in owners and len(owners) < self._capacity[pos]:
            self._wanted.add(pos)
        else:
            self._wanted.discard(pos)

    def claim(self, order: Iterable[int]) -> int | None:
        """Claim the first item of ``order`` (positions) open to this annotator; ``None``
        when none is, or when the database is out of reach (:attr:`message` says so)."""
        self.release_held()
        keys = (self._keys[pos] for pos in order)
        try:
            key = self.queue.claim(keys)
        except StoreConnectionError as error:
            self.offline = True
            self._say(f"the store is out of reach, so no next item can be claimed: {error}. "
                      "Your labels so far are kept; the next item appears when it is back.")
            return None
        if self.offline:
            self.offline = False
            self._say("")
        if key is None:
            return None
        pos = self._pos_of[key]
        with self._lock:
            self._held = pos
        return pos

    def showing(self, pos: int | None) -> None:
        """The session now shows ``pos`` (None: nothing): an item held and no longer shown
        goes back to the queue; an item shown again (undo, review) is claimed if it can be."""
        with self._lock:
            held, done = self._held, pos in self._done
        if held is not None and held != pos:
            self.release_held()
        if pos is None or pos == held or done:
            return
        with contextlib.suppress(StoreConnectionError):
            if self.queue.claim([self._keys[pos]]) is not None:
                with self._lock:
                    self._held = pos
                return
        self._say(f"item {self._keys[pos]!r} is held or finished by another annotator now: "
                  "a label you give it is kept, next to theirs")

    def release_held(self) -> None:
        """Give the item held (claimed, not finished) back to the queue."""
        with self._lock:
            held, self._held = self._held, None
        if held is not None and not self.closed:
            with contextlib.suppress(StoreConnectionError):
                self.queue.release(self._keys[held])

    def complete(self, key: str, records: list[dict[str, Any]], *, kind: str | None,
                 **context: Any) -> None:
        """Store the annotator's records of the item and mark it finished (kept while
        offline)."""
        pos = self._pos_of.get(key)
        with self._lock:
            again = pos in self._done
            if pos is not None:
                self._done.add(pos)
                self._labeled_by(pos, self.name, True)
                if self._held == pos:
                    self._held = None
        held = True

        def write() -> None:
            nonlocal held
            held = self.queue.complete(key, records, kind=kind, **context)
        self.kept(write)
        if not held and not again:
            self._say(f"the lease on item {key!r} had expired before your answer (the kernel "
                      "was busy or asleep): your label is kept, and another annotator may have "
                      "labeled the item too")

    def waiting_text(self) -> str:
        """Why nothing is on screen, when it is not that every item is labeled: the store is
        out of reach, or other annotators hold the items left ("" otherwise)."""
        if self.offline:
            return self.message
        try:
            now = time.time()
            held = {c["item_id"] for c in self.shared.claims()
                    if c["state"] == "held" and c["annotator"] != self.name
                    and c["until"] > now}
        except StoreConnectionError as error:
            return f"the store is out of reach: {error}"
        if not held:
            return ""
        return (f"Nothing is open for you now: {len(held)} item(s) are held by other "
                "annotators; they come back here if released, or when a lease runs out.")

    # -- everyone's labels -------------------------------------------------------------------------
    def follow(self, on_labels: Callable[[list[tuple[int, str, list[dict[str, Any]]]]], Any],
               on_idle: Callable[[], Any] | None = None) -> None:
        """Hand other annotators' labels to ``on_labels([(position, annotator, records), ...])``
        (those known now at once, on this thread; later ones from a background thread), and
        call ``on_idle()`` every few seconds from that thread (to ask the queue again when
        nothing is on screen)."""
        self._on_labels, self._on_idle = on_labels, on_idle
        with self._lock:
            backlog = [(pos, owner, list(records.values()))
                       for (pos, owner), records in self._records.items()
                       if owner != self.name]
        if backlog:
            on_labels(backlog)
        self._thread = threading.Thread(target=self._follow, daemon=True,
                                        name=f"nbannotate-team-{self.name}")
        self._thread.start()

    def _read_news(self) -> list[tuple[int, str, list[dict[str, Any]]]]:
        """Read the events since the last call; the items whose records changed, by another
        annotator."""
        events, cursor = self.shared.labels_since(self._cursor)
        changed: dict[tuple[int, str], None] = {}
        with self._lock:
            for event in events:
                owner = event.get("owner") or ""
                pos = self._pos_of.get(str(event["item_id"]))
                if pos is None or not owner:
                    continue
                records = self._records.setdefault((pos, owner), {})
                if event["event"] == "remove":
                    records.pop(event["record_id"], None)
                else:
                    records[event["record_id"]] = event["record"]
                    self._first_at.setdefault((pos, owner), event["at"].timestamp())
                if owner == self.name and records:
                    self._done.add(pos)
                self._labeled_by(pos, owner, bool(records))
                if owner == self.name:
                    continue
                changed[(pos, owner)] = None
            self._cursor = cursor
            return [(pos, owner, list(self._records[(pos, owner)].values()))
                    for pos, owner in changed]

    def _follow(self) -> None:
        last_idle = time.monotonic()
        while not self._stop.is_set():
            try:
                self.shared.wait_for_labels(self._cursor, timeout=POLL_SECONDS)
                if self._stop.is_set():
                    return
                news = self._read_news()
                if self.shared.pending:
                    written = self.shared.sync()
                    if written:
                        self.offline = False
                        self._say(f"the store is back: {written} label change(s) kept on this "
                                  "machine were written")
                elif self.offline and not self.message.startswith("the store is back"):
                    self.offline = False
                    self._say("the store is back")
            except StoreConnectionError as error:
                self.offline = True
                kept = self.shared.pending
                self._say(f"the store is out of reach: {error}"
                          + (f" · {kept} label change(s) kept on this machine, written when it "
                             "is back" if kept else ""))
                self._stop.wait(POLL_SECONDS)
                continue
            except Exception as error:  # the session must keep working; say what failed
                self._say(f"following the team's labels failed: {type(error).__name__}: "
                          f"{error}")
                self._stop.wait(POLL_SECONDS)
                continue
            if news and self._on_labels is not None:
                self._on_labels(news)
            if self._on_idle is not None and time.monotonic() - last_idle >= RETRY_SECONDS:
                last_idle = time.monotonic()
                self._on_idle()

    # -- what the dashboard shows --------------------------------------------------------------
    def progress(self, now: float | None = None) -> pd.DataFrame:
        """Per annotator: ``annotator``, ``items`` (items they labeled) and ``per_minute``
        (their items per minute over the last ten minutes), most items first.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from nbannotate.store import Store
        >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "t.db")
        >>> link = TeamLink(store, "ana", ["a", "b"], lease=60.0, overlap=0.0,
        ...                 overlap_annotators=2)
        >>> _ = link.store.replace(link._keys[link.claim([0])], [{"label": "x"}], kind="class")
        >>> _ = link._read_news()
        >>> link.progress()[["annotator", "items"]]
          annotator  items
        0       ana      1
        >>> link.close()
        """
        now = time.time() if now is None else now
        with self._lock:
            times: dict[str, list[float]] = {}
            for (pos, owner), records in self._records.items():
                if records:
                    times.setdefault(owner, []).append(self._first_at.get((pos, owner), now))
        rows = []
        for owner, stamps in times.items():
            recent = [t for t in stamps if now - t <= WINDOW_SECONDS]
            span = max(60.0, now - min(recent)) if recent else WINDOW_SECONDS
            rows.append((owner, len(stamps), 60.0 * len(recent) / span))
        rows.sort(key=lambda row: (-row[1], row[0]))
        return pd.DataFrame({"annotator": pd.Series([r[0] for r in rows], dtype=object),
                             "items": pd.Series([r[1] for r in rows], dtype="int64"),
                             "per_minute": pd.Series([r[2] for r in rows], dtype="float64")})

    def annotator_stats(self) -> tuple[tuple[str, int, float], ...]:
        """:meth:`progress` as ``((annotator, items, per_minute), ...)`` (dashboard stats)."""
        table = self.progress()
        return tuple((str(a), int(n), float(r)) for a, n, r in
                     zip(table["annotator"], table["items"], table["per_minute"], strict=True))

    def others_done(self, exclude: set[int]) -> int:
        """Items labeled by other annotators only (not in ``exclude``, e.g. this one's)."""
        with self._lock:
            return sum(1 for pos, owners in self._owners.items()
                       if pos not in exclude and owners - {self.name})

    # -- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop following, release the item held and the annotator name. Idempotent."""
        if self.closed:
            return
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2 * POLL_SECONDS + 5)
        self.release_held()
        self.closed = True
        self.queue.close()

    def __repr__(self) -> str:
        return (f"TeamLink(annotator={self.name!r}, dataset={self.shared.dataset!r}, "
                f"held={self.queue.held})")
