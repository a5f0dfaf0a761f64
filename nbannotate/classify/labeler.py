"""ClassLabeler: give one whole item (image, text, audio clip, table row) a class label.

Built from ipywidgets (the item, one button per label, submit / skip / undo) with keyboard
shortcuts from ipyevents: ``1``–``9`` choose a label, ``Enter`` submits, ``S`` skips,
``Backspace`` undoes. While the pointer is over the labeler, every key goes to it (ipyevents
stops the key event before JupyterLab's notebook shortcuts see it).

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
from collections.abc import Callable, Iterable
from typing import Any

import ipyevents
import ipywidgets as widgets
import traitlets

from ..widget.labels import LabelSet
from ..widget.style import style_widget
from ._callbacks import AnswerCallbacksMixin, Callback
from ._state import LabelerStateMixin
from .item_view import ItemView, render_item

__all__ = ["ClassLabeler"]

_TOKEN = re.compile(r"\bnba-item-(\d+)\b")


def _escape(text: str) -> str:
    import html

    return html.escape(text)


class ClassLabeler(LabelerStateMixin, AnswerCallbacksMixin, widgets.VBox):
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

    items_shown = traitlets.Int(0)

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
        self._last_view: ItemView | None = None
        self._token = 0
        self._view_box = widgets.Box(layout=widgets.Layout(min_height="60px"))
        self._note = widgets.HTML("")
        self._note.add_class("nba-note")
        self._buttons = [self._label_button(i) for i in range(len(self._labels))]
        self._submit_button = widgets.Button(description="Submit ↵", tooltip="Enter",
                                             button_style="success")
        self._skip_button = widgets.Button(description="Skip (S)", tooltip="S")
        self._undo_button = widgets.Button(description="Undo ⌫", tooltip="Backspace")
        self._submit_button.on_click(lambda _b: self._from_ui(self.submit))
        self._skip_button.on_click(lambda _b: self._from_ui(self.skip))
        self._undo_button.on_click(lambda _b: self._from_ui(self.undo))
        self._message = widgets.HTML("")
        self._message.add_class("nba-message")
        label_row = widgets.HBox(self._buttons, layout=widgets.Layout(flex_flow="row wrap"))
        actions = widgets.HBox([self._submit_button, self._skip_button, self._undo_button])
        super().__init__([style_widget(), self._view_box, self._note, label_row, actions,
                          self._message])
        self.add_class("nba-classify")
        self._key_target: widgets.DOMWidget = self
        self._keys = ipyevents.Event(source=self, watched_events=["keydown"],
                                     prevent_default_action=True,
                                     ignore_modifier_key_events=True)
        self._keys.on_dom_event(self.handle_key)
        if item is None:
            self.clear()
        else:
            self.show(item, value=value, note=note)

    # -- construction helpers --------------------------------------------------------------------
    def _label_button(self, index: int) -> widgets.Button:
        name, key = self._labels.names[index], self._labels.keys[index]
        description = f"{key} · {name}" if key is not None and key != name else name
        button = widgets.Button(description=description,
                                tooltip=f"key {key}" if key is not None else name,
                                layout=widgets.Layout(width="auto"))
        button.add_class("nba-label-button")
        button.on_click(lambda _b, i=index: self._from_ui(self.choose, self._labels.values[i]))
        return button

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
        value = self._check_value(value)  # validates before anything changes
        with self._lock:
            view = render_item(item, reuse=self._last_view)  # updates the last view in place
            self._item = item
            self._view = self._last_view = view
            self.value = value
            self.note = note
            self._set_message("")
            if self._view_box.children != (view.widget,):
                self._view_box.children = (view.widget,)
            self._enable(True)
            self._next_token()
            self.items_shown += 1

    def clear(self, message: str = "") -> None:
        """Show no item (e.g. when a queue is finished): label buttons off, ``message`` shown.

        Examples
        --------
        >>> w = ClassLabeler("text", labels=["a"])
        >>> w.clear("All done")
        >>> w.item is None
        True
        """
        with self._lock:
            self._item = None
            self._view = None
            self.value = None
            self.note = ""
            self._set_message("")
            done = widgets.HTML(_escape(message))
            done.add_class("nba-done")
            self._view_box.children = (done,)
            self._enable(False)
            self._next_token()

    def _enable(self, on: bool) -> None:
        for button in (*self._buttons, self._submit_button, self._skip_button):
            button.disabled = not on

    def _next_token(self) -> None:
        self._key_target.remove_class(f"nba-item-{self._token}")
        self._token += 1
        self._key_target.add_class(f"nba-item-{self._token}")

    def _set_message(self, text: str, *, info: bool = False) -> None:
        self._message_text = text
        self._message.value = _escape(text)
        if info:
            self._message.add_class("nba-info")
        else:
            self._message.remove_class("nba-info")

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

    # -- callbacks: on_submit, on_skip, on_undo (AnswerCallbacksMixin) ------------------------

    # -- keyboard --------------------------------------------------------------------------------
    def handle_key(self, event: dict[str, Any]) -> None:
        """Act on a key event as ipyevents delivers it (a dict with ``key``, ``repeat``, the
        modifier flags and ``target``); public so that a containing widget can forward keys.

        A key pressed while an earlier item was on screen (its event names that item's
        token in ``target.className``) is ignored.

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
        target = event.get("target") or {}
        match = _TOKEN.search(str(target.get("className", "")))
        if match and int(match.group(1)) != self._token:
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

    def _listen_keys_on(self, widget: widgets.DOMWidget) -> None:
        """Take keys from ``widget`` (e.g. a session around this labeler) instead of itself."""
        with self._lock:
            self._key_target.remove_class(f"nba-item-{self._token}")
            self._key_target = widget
            widget.add_class(f"nba-item-{self._token}")
            self._keys.source = widget

    # -- display ---------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the widget, its parts and its key listener."""
        parts = [getattr(self, name, None) for name in (
            "_keys", "_submit_button", "_skip_button", "_undo_button", "_note", "_message",
            "_view_box")]
        for part in [*getattr(self, "_buttons", []), *parts]:
            if part is not None:
                part.close()
        super().close()

    def __repr__(self) -> str:
        shown = self._view.summary if self._view is not None else "no item"
        kind = ", multi=True" if self._multi else ""
        return (f"ClassLabeler({shown}, labels={list(self._labels.values)!r}{kind}, "
                f"value={self.value!r})")
