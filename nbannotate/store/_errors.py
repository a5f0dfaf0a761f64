"""The store's own exceptions: a database out of reach, a name in use, a lease lost."""

from __future__ import annotations


class StoreConnectionError(ConnectionError):
    """The store's database cannot be reached (refused, unreachable, wrong password, no such
    database, or the connection dropped).

    The message names the URL with its password masked, and the cause.
    """


class StoreOfflineError(StoreConnectionError):
    """A write was made while the database was out of reach.

    Attributes
    ----------
    kept : bool
        ``True``: the write is kept in the local pending queue and will be written when the
        database is back (the label is safe); ``False``: it was refused and not kept.
    pending : int
        Writes waiting in the local pending queue.
    """

    def __init__(self, message: str, *, kept: bool, pending: int) -> None:
        super().__init__(message)
        self.kept = kept
        self.pending = pending


class AnnotatorInUseError(RuntimeError):
    """Another live session labels the same dataset under the same annotator name."""


class LeaseLostError(RuntimeError):
    """The item's lease expired and another annotator took the item."""
