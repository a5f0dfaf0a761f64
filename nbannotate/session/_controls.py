"""The Done / Skip / Back toolbar of a structured session, with its keyboard shortcuts.

The buttons and keys run in the browser (``js/session/``): **Ctrl+Enter** (Cmd+Enter on a
Mac) submits the item ("Done"), **Ctrl+Backspace** brings the previous item back,
**Ctrl+Shift+S** skips the item. They use Ctrl so that they never collide with the
annotators' own keys, and act while the pointer is over the session (or focus is in it).
Each action reaches the kernel with the token of the item that was on screen (``item``):
an action for an item that is no longer shown (a double press) is ignored, with a notice.

Examples
--------
>>> controls = SessionControls()
>>> seen = []
>>> controls.on_action(seen.append)
>>> controls.receive({"type": "action", "action": "done", "item": controls.item})
>>> controls.receive({"type": "action", "action": "done", "item": controls.item - 1})
>>> seen, controls.message
(['done'], 'a press meant for the previous item was ignored')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import anywidget
import traitlets

from ..widget.base import static_file

__all__ = ["ACTIONS", "SessionControls"]

ACTIONS = ("done", "skip", "back")


class SessionControls(anywidget.AnyWidget):
    """Done / Skip / Back buttons and keys; ``on_action(callback)`` gets ``"done"``,
    ``"skip"`` or ``"back"``.

    Attributes
    ----------
    item : int
        Token of the item on screen; the session increments it whenever it shows an item.
    enabled : bool
        Done and Skip are enabled (False when no item is left).
    can_back : bool
        Back is enabled (there is something to undo).
    message : str
        A short notice shown beside the buttons (as text).
    """

    item = traitlets.Int(0).tag(sync=True)
    enabled = traitlets.Bool(True).tag(sync=True)
    can_back = traitlets.Bool(False).tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)

    _esm = static_file("session.js")
    _css = static_file("session.css")

    def __init__(self) -> None:
        super().__init__()
        self._callbacks: list[Callable[[str], Any]] = []
        self.on_msg(self._on_message)

    def on_action(self, callback: Callable[[str], Any]) -> None:
        """Call ``callback(action)`` for each button click or key press."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        self._callbacks.append(callback)

    def next_item(self) -> int:
        """A new item is on screen: actions sent for earlier ones are ignored from now on."""
        self.item += 1
        return self.item

    def _on_message(self, _widget: Any, content: Any, _buffers: Sequence[Any]) -> None:
        if isinstance(content, dict):
            self.receive(content)

    def receive(self, content: dict[str, Any]) -> None:
        """Handle a message from the browser (public so that tests and scripts can replay)."""
        if content.get("type") != "action" or content.get("action") not in ACTIONS:
            return
        if content.get("item") != self.item:
            self.message = "a press meant for the previous item was ignored"
            return
        self.message = ""
        for callback in list(self._callbacks):
            callback(str(content["action"]))
