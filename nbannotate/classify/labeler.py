"""ClassLabeler: give one whole item (image, text, audio clip, table row) a class label.

An anywidget: the browser draws the item from synced state (images and audio as binary
buffers), one button per label, Submit / Skip / Undo, and handles the keys itself (``1``–``9``
and ``0`` choose a label, ``Enter`` submits, ``S`` skips, ``Backspace`` undoes) while the
pointer is over the labeler or focus is inside it; no key reaches the host's shortcuts.
Each action crosses once, as a custom message with the token of the item on screen, so a
second press that arrives after the next item appeared is ignored.

Examples
--------
>>> import numpy as np
>>> w = ClassLabeler(np.zeros((8, 8)), labels=["cat", "dog"])
>>> w.on_submit(print)
>>> w.submit("dog")
dog
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import traitlets

from ..widget.base import AnnotatorWidget, static_file
from ..widget.labels import LabelSet
from .item_view import ItemView, render_item

__all__ = ["ClassLabeler"]

_TOKEN = re.compile(r"\bnba-item-(\d+)\b")
_ACTIONS = ("choose", "submit", "skip", "undo")

Callback = Callable[..., Any]


class ClassLabeler(AnnotatorWidget):
    """Label a whole item with one class (or several, with ``multi=True``).

    Parameters
    ----------
    item : image, str, (samples, sample_rate), pandas Series or None
        What to label: an image (numpy array H×W / H×W×3 / H×W×4, PIL image, encoded bytes
        or a file path), a text, an audio clip ``(samples, sample_rate)`` (or a ``.wav``
        path), or a table row (a Series, a one-row DataFrame or a dict). ``None`` shows
        nothing until :meth:`show` is called.
    labels : list of str or int
        The classes, one button each. Keys ``1``–``9`` (and ``0`` for the tenth) choose them;
        when every label is a single digit (``range(10)``), a label's key is itself.
    multi : bool
        Several labels per item: label keys and buttons toggle, ``Enter`` submits the set.
    value : label, list of labels or None
        The preselected answer (e.g. a model's guess): ``Enter`` submits it.
    note : str
        A line of text under the item (e.g. why it was chosen); shown as text.

    Attributes
    ----------
    value : label or list of labels or None
        The current selection (a label value, or a list for ``multi=True``).
    items_shown : int
        How many items have been shown (observe it to react when a new item appears).

    Notes
    -----
    Without ``multi``, choosing a label (a click or its key) submits it at once. Callbacks
    run on the thread that handled the browser's message; an exception they raise is shown
    inline in the widget.

    Examples
    --------
    >>> import pandas as pd
    >>> w = ClassLabeler(pd.Series({"age": 41, "job": "<b>cook</b>"}), labels=["yes", "no"])
    >>> w.on_submit(lambda value: print("got", value))
    >>> w.choose("no")
    got no
    >>> m = ClassLabeler("a tabby cat and a puppy", labels=["cat", "dog"], multi=True)
    >>> m.toggle("cat"); m.toggle("dog"); m.value
    ['cat', 'dog']
    """

    _esm = static_file("classify.js")
    _css = static_file("classify.css")

    items_shown = traitlets.Int(0)

    # -- synced state (drawn by js/classify/) --------------------------------------------------
    #: One entry per label button: ``{"name", "key", "text"}`` (``key`` None: no key).
    choices = traitlets.List([]).tag(sync=True)
    #: Whether label keys and buttons toggle (``multi=True``).
    toggles = traitlets.Bool(False).tag(sync=True)
    #: Indices of the chosen labels (highlighted buttons).
    chosen = traitlets.List([]).tag(sync=True)
    #: What the browser draws (see :mod:`nbannotate.classify.item_view`), or
    #: ``{"kind": "done", "text": ...}`` when no item is shown.
    view = traitlets.Dict({"kind": "done", "text": ""}).tag(sync=True)
    #: The item's media (image or WAV bytes), a binary buffer; empty for text and rows.
    media = traitlets.Bytes(b"").tag(sync=True)
    #: The line under the item and the inline message (``message_kind``: error or info).
    note_text = traitlets.Unicode("").tag(sync=True)
    message_text = traitlets.Unicode("").tag(sync=True)
    message_kind = traitlets.Unicode("error").tag(sync=True)
    #: Token of the item on screen; every action the browser sends carries it.
    item_token = traitlets.Int(0).tag(sync=True)
    #: Label buttons and keys act (off when no item is shown).
    enabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, item: Any = None, *, labels: Iterable[str | int], multi: bool = False,
                 value: Any = None, note: str = "") -> None:
        if not isinstance(multi, bool):
            raise TypeError(f"multi must be True or False, got {multi!r}")
        if not isinstance(note, str):
            raise TypeError(f"note must be a str, got {type(note).__name__}")
        self._labels = LabelSet(labels)
        self._multi = multi
        self._lock = threading.RLock()
        self._callbacks: dict[str, list[Callback]] = {"submit": [], "skip": [], "undo": []}
        self._item: Any = None
        self._value: Any = [] if multi else None
        self._view: ItemView | None = None
        super().__init__()
        self.toggles = multi
        self.choices = [self._choice(i) for i in range(len(self._labels))]
        if item is None:
            self.clear()
        else:
            self.show(item, value=value, note=note)

    def _choice(self, index: int) -> dict[str, Any]:
        name, key = self._labels.names[index], self._labels.keys[index]
        text = f"{key} · {name}" if key is not None and key != name else name
        return {"name": name, "key": key, "text": text}

    # -- state -----------------------------------------------------------------------------------
    @property
    def labels(self) -> list[Hashable]:
        """The classes, in button order."""
        return list(self._labels.values)

    @property
    def multi(self) -> bool:
        """Whether several labels may be given to one item."""
        return self._multi

    @property
    def item(self) -> Any:
        """The item shown (None when there is none); assigning shows another item."""
        return self._item

    @item.setter
    def item(self, item: Any) -> None:
        self.show(item)

    @property
    def note(self) -> str:
        """The line of text under the item (shown as text, never as HTML).

        Examples
        --------
        >>> w = ClassLabeler("x", labels=["a"])
        >>> w.note = "<b>why</b>"
        >>> w.note_text
        '<b>why</b>'
        """
        return self.note_text

    @note.setter
    def note(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"note must be a str, got {type(text).__name__}")
        self.note_text = text

    @property
    def message(self) -> str:
        """The inline message (an error or a notice; empty when none); shown as text."""
        return self.message_text

    @message.setter
    def message(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"message must be a str, got {type(text).__name__}")
        self._set_message(text)

    @property
    def value(self) -> Any:
        """The current selection: a label (or None), or a list of labels with ``multi``.

        Examples
        --------
        >>> w = ClassLabeler("x", labels=["cat", "dog"], multi=True)
        >>> w.value = ["dog", "cat"]
        >>> w.value, w.chosen
        (['cat', 'dog'], [0, 1])
        """
        return list(self._value) if self._multi else self._value

    @value.setter
    def value(self, value: Any) -> None:
        checked = self._check_value(value)
        with self._lock:
            self._value = checked
            chosen = checked if self._multi else ([] if checked is None else [checked])
            self.chosen = sorted(self._labels.index(v) for v in chosen)

    def _check_value(self, value: Any) -> Any:
        if self._multi:
            if value is None:
                return []
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                raise TypeError(f"value must be a list of labels (multi=True), got {value!r}")
            chosen = {self._labels.index(v, name="value") for v in value}
            return [self._labels.values[i] for i in sorted(chosen)]
        if value is None:
            return None
        return self._labels.parse(value, name="value")

    def _set_message(self, text: str, *, info: bool = False) -> None:
        with self.hold_sync():
            self.message_kind = "info" if info else "error"
            self.message_text = text

    # -- showing items ---------------------------------------------------------------------------
    def show(self, item: Any, *, value: Any = None, note: str = "") -> None:
        """Show another item, with an optional preselected ``value`` and ``note``.

        Examples
        --------
        >>> w = ClassLabeler(None, labels=["cat", "dog"])
        >>> w.show("a purring animal", value="cat", note="model guess: cat (p=0.91)")
        >>> w.value
        'cat'
        """
        if item is None:
            raise ValueError("item is None: call clear() to show nothing")
        if not isinstance(note, str):
            raise TypeError(f"note must be a str, got {type(note).__name__}")
        value = self._check_value(value)  # validates before anything changes
        shown = render_item(item)  # validates and encodes before anything changes
        with self._lock, self.hold_sync():
            self._item = item
            self._view = shown
            self.value = value
            self.note_text = note
            self._set_message("")
            if self.media != shown.media:
                self.media = shown.media
            self.view = shown.view
            self.enabled = True
            self.item_token += 1
            self.items_shown += 1

    def clear(self, message: str = "") -> None:
        """Show no item (e.g. when a queue is finished): label buttons off, ``message`` shown.

        Examples
        --------
        >>> w = ClassLabeler("text", labels=["a"])
        >>> w.clear("All done")
        >>> w.item is None, w.view
        (True, {'kind': 'done', 'text': 'All done'})
        """
        if not isinstance(message, str):
            raise TypeError(f"message must be a str, got {type(message).__name__}")
        with self._lock, self.hold_sync():
            self._item = None
            self._view = None
            self.value = None
            self.note_text = ""
            self._set_message("")
            self.view = {"kind": "done", "text": message}
            self.media = b""
            self.enabled = False
            self.item_token += 1

    # -- actions ---------------------------------------------------------------------------------
    def choose(self, label: Any) -> None:
        """Choose ``label``: without ``multi`` it is submitted, with ``multi`` it toggles."""
        if self._multi:
            self.toggle(label)
            return
        value = self._labels.parse(label)
        if self._item is None:
            raise RuntimeError("there is no item to label")
        self.submit(value)

    def toggle(self, label: Any) -> None:
        """Add ``label`` to the selection, or remove it (``multi=True`` only)."""
        if not self._multi:
            raise ValueError("toggle() needs multi=True; use choose() or submit()")
        value = self._labels.parse(label)
        with self._lock:
            current = list(self.value)
            self.value = [v for v in current if v != value] if value in current \
                else [*current, value]

    def submit(self, value: Any = None) -> None:
        """Submit ``value`` (default: the current selection) to the ``on_submit`` callbacks.

        Raises
        ------
        ValueError
            Unknown label, or nothing chosen yet (single-label).
        RuntimeError
            No item is shown.
        """
        with self._lock:
            if self._item is None:
                raise RuntimeError("there is no item to label")
            if value is not None:
                self.value = value
            chosen = self.value
            if not self._multi and chosen is None:
                keys = [k for k in self._labels.keys if k is not None]
                hint = f" (keys {keys[0]}–{keys[-1]})" if keys else ""
                raise ValueError(f"choose a label first{hint}")
            submitted = list(chosen) if self._multi else chosen
        self._run("submit", submitted)

    def skip(self) -> None:
        """Skip the item (the ``on_skip`` callbacks decide what that means)."""
        if self._item is None:
            raise RuntimeError("there is no item to skip")
        self._run("skip")

    def undo(self) -> None:
        """Ask to undo the last answer (the ``on_undo`` callbacks do it)."""
        self._run("undo")

    def _from_ui(self, action: Callable[..., Any], *args: Any) -> None:
        """Run an action started in the browser; show errors inline instead of raising."""
        try:
            action(*args)
        except Exception as error:  # shown to the person, who cannot see the kernel log
            self._set_message(str(error.args[0]) if isinstance(error, KeyError) and error.args
                              else str(error))

    # -- callbacks -------------------------------------------------------------------------------
    def _run(self, kind: str, *args: Any) -> None:
        for callback in list(self._callbacks[kind]):
            callback(*args)

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
        >>> w = ClassLabeler("text", labels=["a"])
        >>> w.on_undo(lambda: print("undo"))
        >>> w.undo()
        undo
        """
        self._register("undo", callback, remove)

    # -- messages from the browser ---------------------------------------------------------------
    def _handle_custom_message(self, content: dict[str, Any], buffers: list[Any]) -> None:
        """An action from the front end: ``{"type": "action", "action": "choose" | "submit" |
        "skip" | "undo", "index": i (choose only), "item": token}``."""
        if content.get("type") != "action":
            return
        action, item = content.get("action"), content.get("item")
        if action not in _ACTIONS:
            self._set_message(f"unknown action {action!r} from the browser")
            return
        if isinstance(item, int) and not isinstance(item, bool) and item != self.item_token:
            self._set_message("a key pressed for the previous item was ignored", info=True)
            return
        if action == "choose":
            index = content.get("index")
            if isinstance(index, bool) or not isinstance(index, int) \
                    or not 0 <= index < len(self._labels):
                self._set_message(f"no label at index {index!r}")
                return
            if self._item is not None:
                self._from_ui(self.choose, self._labels.values[index])
        elif action == "submit":
            self._from_ui(self.submit)
        elif action == "skip":
            if self._item is not None:
                self._from_ui(self.skip)
        else:
            self._from_ui(self.undo)

    # -- keyboard --------------------------------------------------------------------------------
    def handle_key(self, event: dict[str, Any]) -> None:
        """Act on a key event given as a dict (``key``, ``repeat``, the modifier flags, and
        ``item``, the token of the item on screen, or a ``target.className`` naming it as
        ``nba-item-N``); public so that a containing widget can forward keys. The labeler's
        own front end maps keys the same way (``js/classify/keys.ts``) and sends actions.

        A key pressed while an earlier item was on screen is ignored.

        Examples
        --------
        >>> w = ClassLabeler("text", labels=["a", "b"])
        >>> w.on_submit(print)
        >>> w.handle_key({"event": "keydown", "key": "2"})
        b
        """
        if event.get("event", "keydown") != "keydown" or event.get("repeat"):
            return
        if event.get("ctrlKey") or event.get("metaKey") or event.get("altKey"):
            return
        token = event.get("item")
        if token is None:
            target = event.get("target") or {}
            match = _TOKEN.search(str(target.get("className", "")))
            token = int(match.group(1)) if match else None
        if token is not None and token != self.item_token:
            self._set_message("a key pressed for the previous item was ignored", info=True)
            return
        key = str(event.get("key", ""))
        if key == "Enter":
            self._from_ui(self.submit)
        elif key in ("s", "S"):
            if self._item is not None:
                self._from_ui(self.skip)
        elif key == "Backspace":
            self._from_ui(self.undo)
        else:
            index = self._labels.index_of_key(key)
            if index is not None and self._item is not None:
                self._from_ui(self.choose, self._labels.values[index])

    def _listen_keys_on(self, widget: Any) -> None:
        """Kept for containers written for the earlier labeler: keys are now handled by the
        labeler's own front end (and a session panel mounted in it), so nothing to wire."""

    # -- display ---------------------------------------------------------------------------------
    def _repr_summary(self) -> str:
        return self._view.summary if self._view is not None else "no item"

    def __repr__(self) -> str:
        kind = ", multi=True" if self._multi else ""
        return (f"ClassLabeler({self._repr_summary()}, labels={list(self._labels.values)!r}"
                f"{kind}, value={self.value!r})")
