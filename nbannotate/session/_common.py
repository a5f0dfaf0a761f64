"""What every session does the same way, whole-item or structured: the item shown, skipping
it, the checks before an undo, and closing.

A mixin of :class:`~nbannotate.session._classify.ClassifySession` and
:class:`~nbannotate.session._structured.StructuredSession` (their state lives there); each
supplies ``_save_skipped``, ``_remember_skip``, ``_advance`` and ``_stop``.

Examples
--------
>>> session = label(docs, task="spans", labels=["PER"])  # doctest: +SKIP
>>> session.skip(); session.skipped                        # doctest: +SKIP
[0]
>>> session.close(); session.skip()                        # doctest: +SKIP
Traceback (most recent call last):
...
RuntimeError: the session is closed
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .session import close_tree

__all__ = ["SessionCommonMixin"]

Entry = TypeVar("Entry")


class SessionCommonMixin:
    """The item shown, skip, the guard of undo, and close, shared by both session kinds."""

    _lock: threading.RLock
    _closed: bool
    _current: int | None
    _ids: list[Hashable]
    _skipped: set[int]
    _owns_store: bool
    store: Any
    widget: Any
    # Supplied by the session (declared only: a method here would shadow the other mixins').
    _save_skipped: Callable[[], None]
    _remember_skip: Callable[[int], None]  # note the skip in the undo history
    _advance: Callable[[], None]
    _stop: Callable[[], None]  # stop the background work, before the widgets close

    # -- what is shown ---------------------------------------------------------------------------
    @property
    def current(self) -> Hashable | None:
        """Id of the item shown (its position, or its id from ``ids=``); None when finished."""
        with self._lock:
            return None if self._current is None else self._ids[self._current]

    @property
    def finished(self) -> bool:
        """True when no item is left to show."""
        return self._current is None

    @property
    def skipped(self) -> list[Hashable]:
        """Ids of the items skipped (they are not shown again)."""
        with self._lock:
            return [self._ids[p] for p in sorted(self._skipped)]

    def _require_current(self) -> int:
        if self._closed:
            raise RuntimeError("the session is closed")
        if self._current is None:
            raise RuntimeError("the session is finished: there is no item to label")
        return self._current

    # -- skip and undo ---------------------------------------------------------------------------
    def skip(self) -> Hashable:
        """Skip the item shown (it is not shown again); returns its id."""
        with self._lock:
            pos = self._require_current()
            self._skipped.add(pos)
            self._save_skipped()
            self._remember_skip(pos)
            self._advance()
            return self._ids[pos]

    def _pop_undo(self, history: list[Entry]) -> Entry:
        """The last entry of ``history``, taken off it; the caller holds the lock."""
        if self._closed:
            raise RuntimeError("the session is closed")
        if not history:
            raise ValueError("nothing to undo")
        return history.pop()

    # -- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the widgets and stop the background work (and close the store, when the
        session opened it)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._stop()
        close_tree(self.widget)
        if self._owns_store:
            self.store.close()
