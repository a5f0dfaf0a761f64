"""Run a function on the kernel's own thread, from any thread.

Widgets are touched only from the kernel's main thread. A background thread (the learner's
refit) hands work over with :class:`MainThread`: it captures the running asyncio loop when it
is created in a notebook cell (ipykernel 6 and 7 run cells inside that loop) and schedules
calls with ``loop.call_soon_threadsafe``. Outside a kernel (a script, a test) there is no
running loop, and calls run at once on the calling thread.

Examples
--------
>>> main = MainThread()
>>> main.has_loop          # no event loop is running in a plain script
False
>>> main.call(print, "runs now")
runs now
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["MainThread"]

log = logging.getLogger(__name__)


class MainThread:
    """Schedule calls onto the thread (and asyncio loop) that created this object."""

    def __init__(self) -> None:
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._thread = threading.get_ident()

    @property
    def has_loop(self) -> bool:
        """True when calls from other threads are scheduled onto an event loop."""
        return self._loop is not None and not self._loop.is_closed()

    def on_main_thread(self) -> bool:
        """True when called from the thread that created this object."""
        return threading.get_ident() == self._thread

    def call(self, function: Callable[..., Any], *args: Any) -> None:
        """Run ``function(*args)`` on the main thread: now if already there or if there is no
        loop, else as soon as the loop is free. Exceptions are logged, not raised."""
        if not self.has_loop or self.on_main_thread():
            self._run(function, *args)
            return
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self._run, function, *args)
        except RuntimeError:  # the loop closed meanwhile (kernel shutting down)
            log.debug("main loop closed; %r not scheduled", function)

    def call_later(self, delay: float, function: Callable[..., Any], *args: Any) -> None:
        """Run ``function(*args)`` on the main thread after ``delay`` seconds (on a timer
        thread when there is no loop).

        Examples
        --------
        >>> done = threading.Event()
        >>> MainThread().call_later(0.01, done.set)
        >>> done.wait(5)
        True
        """
        if not self.has_loop:
            timer = threading.Timer(delay, self._run, (function, *args))
            timer.daemon = True
            timer.start()
            return
        assert self._loop is not None
        loop = self._loop
        try:
            loop.call_soon_threadsafe(loop.call_later, delay, self._run, function, *args)
        except RuntimeError:
            log.debug("main loop closed; %r not scheduled", function)

    @staticmethod
    def _run(function: Callable[..., Any], *args: Any) -> None:
        try:
            function(*args)
        except Exception:
            log.exception("%r failed on the main thread", function)
