"""The answer callbacks of ClassLabeler: who is told that an item was submitted, skipped or undone.

:class:`nbannotate.ClassLabeler` only reports answers; what they mean (store the label, move
to the next item, take the last answer back) is up to the callbacks registered here.

Examples
--------
>>> from nbannotate import ClassLabeler
>>> w = ClassLabeler("text", labels=["a"])
>>> w.on_skip(print)
>>> w.on_skip(print, remove=True)
>>> w.skip()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["AnswerCallbacksMixin", "Callback"]

Callback = Callable[..., Any]


class AnswerCallbacksMixin:
    """``on_submit``, ``on_skip`` and ``on_undo`` of :class:`nbannotate.ClassLabeler`.

    The concrete widget sets ``_callbacks`` to ``{"submit": [], "skip": [], "undo": []}``.

    Examples
    --------
    >>> from nbannotate import ClassLabeler
    >>> w = ClassLabeler("text", labels=["a"])
    >>> w.on_undo(lambda: print("undo asked"))
    >>> w.undo()
    undo asked
    """

    _callbacks: dict[str, list[Callback]]

    def _run(self, kind: str, *args: Any) -> None:
        for callback in list(self._callbacks[kind]):
            callback(*args)

    # -- callbacks -------------------------------------------------------------------------------
    def _register(self, kind: str, callback: Callback, remove: bool) -> None:
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        if remove:
            self._callbacks[kind].remove(callback)
        else:
            self._callbacks[kind].append(callback)

    def on_submit(self, callback: Callable[[Any], Any], *, remove: bool = False) -> None:
        """Call ``callback(value)`` when an answer is submitted (a label, or a list with
        ``multi=True``).

        Examples
        --------
        >>> from nbannotate import ClassLabeler
        >>> w = ClassLabeler("text", labels=["a", "b"])
        >>> w.on_submit(lambda value: print("saved", value))
        >>> w.submit("b")
        saved b
        """
        self._register("submit", callback, remove)

    def on_skip(self, callback: Callable[[], Any], *, remove: bool = False) -> None:
        """Call ``callback()`` when the item is skipped (key ``S`` or the Skip button).

        Examples
        --------
        >>> from nbannotate import ClassLabeler
        >>> w = ClassLabeler("text", labels=["a"])
        >>> w.on_skip(lambda: print("skipped"))
        >>> w.skip()
        skipped
        """
        self._register("skip", callback, remove)

    def on_undo(self, callback: Callable[[], Any], *, remove: bool = False) -> None:
        """Call ``callback()`` when the person asks to undo (``Backspace`` or the Undo button).

        Examples
        --------
        >>> from nbannotate import ClassLabeler
        >>> w = ClassLabeler("text", labels=["a"])
        >>> w.on_undo(lambda: print("undo"))
        >>> w.undo()
        undo
        """
        self._register("undo", callback, remove)
