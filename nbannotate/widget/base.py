"""Shared base of every nbannotate anywidget.

What every annotator gets from :class:`AnnotatorWidget`:

* ``_esm``/``_css`` as :class:`pathlib.Path` objects pointing into ``nbannotate/static`` (so
  ``%env ANYWIDGET_HMR=1`` hot-reloads the front end while developing);
* **change messages**: the browser sends one record per edit (add / update / remove) as a
  custom message; Python validates it, applies it to the list trait *without echoing the
  list back* (the cost of an edit does not grow with the number of annotations), then calls
  the ``on_change`` callbacks and acknowledges the edit;
* a thread-safe apply (widget messages may be handled on a kernel subshell thread while a
  cell runs);
* a cheap ``repr`` that never prints image or audio bytes.

The wire format of a change (browser -> kernel)::

    {"type": "changes", "seq": 7, "changes": [
        {"field": "boxes", "op": "add" | "update" | "remove", "record": {...}}, ...]}

(``remove`` needs only ``{"id": ...}`` as its record). The kernel answers
``{"type": "ack", "seq": 7, "revision": 12}`` once the change is applied (``revision`` and
an optional ``"save": true``: see :attr:`AnnotatorWidget.revision`), or
``{"type": "error", "seq": 7, "message": "..."}`` when it is rejected; the browser then shows
the message inline and restores the kernel's list.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

STATIC = Path(__file__).parent.parent / "static"

ChangeCallback = Callable[[dict[str, Any]], Any]
PanelCallback = Callable[[dict[str, Any]], Any]


def static_file(name: str) -> Path:
    """Return the path of a built front-end file in ``nbannotate/static``.

    A missing bundle means the front end was not built: say how to build it.

    Examples
    --------
    >>> static_file("image.js").name
    'image.js'
    """
    path = STATIC / name
    if not path.exists():
        raise FileNotFoundError(
            f"nbannotate's front end is not built ({path} is missing): run `npm ci && npm run "
            "build` in the source tree, or reinstall with `pip install -e .`")
    return path


def reruns_on_state(comm: Any) -> bool:
    """True when the widget's host re-runs code only on state updates from the browser.

    marimo re-runs the cells that read ``mo.ui.anywidget(w)`` when the browser saves state,
    not on custom messages; there the browser saves :attr:`AnnotatorWidget.revision` after
    each applied edit. Jupyter front ends need no such update (the kernel has the count
    already), so an edit there costs no extra message.

    Examples
    --------
    >>> reruns_on_state(None)
    False
    """
    return type(comm).__module__.split(".", 1)[0] == "marimo"


class AnnotatorWidget(anywidget.AnyWidget):
    """Base class of the annotators: change messages, callbacks, strict kwargs, cheap repr.

    Subclasses declare ``_record_fields`` (the names of their list traits that the browser
    edits through change messages) and implement :meth:`_validate_record`.

    Examples
    --------
    Subclasses are used, not this class::

        w = ImageAnnotator(image, labels=["cat"])
        w.on_change(lambda change: print(change["op"], change["record"]["id"]))
    """

    _record_fields: tuple[str, ...] = ()

    #: A message from the browser or Python shown inline in the widget (empty: none).
    error = traitlets.Unicode("").tag(sync=True)

    #: The session panel drawn under the widget (progress, message line, buttons, charts);
    #: empty: no panel. Built with :func:`nbannotate.widget.panel.panel_state` (see there
    #: for the keys); the browser draws it from this state alone, so a page opened later
    #: shows it at once. Buttons and their keys reach :meth:`on_panel_action` callbacks.
    panel = traitlets.Dict({}).tag(sync=True)

    #: False hides the item (the widget's own view) and keeps the :attr:`panel`: a session
    #: with nothing left to label shows its finished message and its Back button.
    item_shown = traitlets.Bool(True).tag(sync=True)

    #: How many batches of browser edits the kernel has applied. The kernel counts without
    #: sending the number as state; it rides on the acknowledgement. In a host that re-runs
    #: code on state updates only (marimo re-runs the cells that read
    #: ``mo.ui.anywidget(w).value``; see :func:`reruns_on_state`) the browser then saves it
    #: as a state update, so such cells see every finished edit, while the record lists keep
    #: crossing as change messages. In Python, ``w.observe(callback, "revision")`` runs once
    #: per applied batch.
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        unknown = [name for name in kwargs if not self.has_trait(name)]
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s) "
                            f"{', '.join(map(repr, unknown))}")
        self._apply_lock = threading.RLock()
        # (field, thread) pairs: the thread is setting a list the browser already has. Per
        # thread, so that a set of the same list from another thread meanwhile is still sent.
        self._silent_fields: set[tuple[str, int]] = set()
        # Lists edited in the browser since the kernel last sent them, and lists the browser
        # must reload (see notify_change).
        self._browser_edited: set[str] = set()
        self._reload_fields: set[str] = set()
        self._reload_lock = threading.Lock()  # guards the two sets above (other threads apply
        # browser changes and publish results too)
        self._change_callbacks: list[ChangeCallback] = []
        self._panel_callbacks: list[PanelCallback] = []
        super().__init__(**kwargs)
        self.on_msg(self._on_browser_message)

    # -- callbacks ------------------------------------------------------------------------
    def on_change(self, callback: ChangeCallback, *, remove: bool = False) -> None:
        """Call ``callback(change)`` after every edit made in the browser.

        ``change`` is a dict ``{"owner", "field", "op", "record", "value"}``: the widget, the
        list that changed (e.g. ``"boxes"``), ``"add"``/``"update"``/``"remove"``, the record
        (for a removal, the record as it was) and the new list.

        Parameters
        ----------
        callback : callable
            Called with one argument, on the thread that handled the browser's message.
        remove : bool
            Unregister ``callback`` instead.

        Examples
        --------
        >>> seen = []
        >>> w = TextAnnotator("Anna lives in Köln", labels=["PER"])  # doctest: +SKIP
        >>> w.on_change(seen.append)  # doctest: +SKIP
        """
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        if remove:
            self._change_callbacks.remove(callback)
        else:
            self._change_callbacks.append(callback)

    def on_panel_action(self, callback: PanelCallback, *, remove: bool = False) -> None:
        """Call ``callback(action)`` when a button of the :attr:`panel` is pressed (or its key).

        ``action`` is a dict ``{"action": name, "item": token}``: the button's ``action`` and
        the panel's ``item`` token that was on screen when it was pressed (compare it with
        the current one to ignore a double press that arrived after the next item appeared);
        the ``auto`` button adds ``"value"``, the threshold typed in the panel.

        Examples
        --------
        >>> from nbannotate.widget.panel import panel_state
        >>> w = ClassLabeler("text", labels=["a"])  # doctest: +SKIP
        >>> w.panel = panel_state(item=1, message="3 left")  # doctest: +SKIP
        >>> w.on_panel_action(print)  # doctest: +SKIP
        """
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        if remove:
            self._panel_callbacks.remove(callback)
        else:
            self._panel_callbacks.append(callback)

    def _receive_panel_action(self, content: dict[str, Any]) -> None:
        action = content.get("action")
        item = content.get("item")
        if not isinstance(action, str) or isinstance(item, bool) or not isinstance(item, int):
            return  # not a panel message this widget's front end sends
        press: dict[str, Any] = {"action": action, "item": item}
        value = content.get("value")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            press["value"] = float(value)
        for callback in list(self._panel_callbacks):
            callback(press)

    # -- change messages --------------------------------------------------------------------
    def _validate_record(self, field: str, record: dict[str, Any]) -> dict[str, Any]:
        """Return a validated copy of ``record`` for list ``field`` (subclasses override)."""
        raise NotImplementedError

    def apply_change(self, field: str, op: str, record: dict[str, Any]) -> dict[str, Any]:
        """Apply one edit to a record list, as the browser does, and return the change.

        The list trait is replaced (never mutated) but not sent back to the browser, which
        already shows it. Used by the message handler; public so that scripts and tests can
        replay edits.

        Parameters
        ----------
        field : str
            One of the widget's record lists (e.g. ``"boxes"``).
        op : {"add", "update", "remove"}
            ``add`` appends a new record, ``update`` replaces the record with the same id,
            ``remove`` deletes it.
        record : dict
            The record (for ``remove``, at least its ``id``).

        Examples
        --------
        >>> w.apply_change("boxes", "add", {"x": 1, "y": 1, "w": 5, "h": 5, "label": "cat"})
        ... # doctest: +SKIP
        """
        if field not in self._record_fields:
            raise ValueError(f"field must be one of {list(self._record_fields)}, got {field!r}")
        if not isinstance(record, dict):
            raise TypeError(f"record must be a dict, got {type(record).__name__}")
        with self._apply_lock:
            current: list[dict[str, Any]] = list(getattr(self, field))
            index = {r["id"]: i for i, r in enumerate(current)}.get(record.get("id"))
            if op == "add":
                clean = self._validate_record(field, record)
                if clean["id"] in {r["id"] for r in current}:
                    raise ValueError(f"{field}: a record with id {clean['id']!r} already exists")
                current.append(clean)
            elif op == "update":
                if index is None:
                    raise KeyError(f"{field}: no record with id {record.get('id')!r} to update")
                clean = self._validate_record(field, record)
                current[index] = clean
            elif op == "remove":
                if index is None:
                    raise KeyError(f"{field}: no record with id {record.get('id')!r} to remove")
                clean = current.pop(index)
            else:
                raise ValueError(f"op must be 'add', 'update' or 'remove', got {op!r}")
            self._set_from_browser(field, current)
        change = {"owner": self, "field": field, "op": op, "record": clean, "value": current}
        return change

    def _set_from_browser(self, field: str, value: list[dict[str, Any]]) -> None:
        """Set a list the browser already has (its edit): not sent back, and marked so that
        a later set from Python makes the browser reload it (see :meth:`notify_change`)."""
        with self._silently(field):
            setattr(self, field, value)
        with self._reload_lock:
            self._browser_edited.add(field)

    @contextlib.contextmanager
    def _silently(self, field: str) -> Iterator[None]:
        """Sets of ``field`` by this thread, meanwhile, are not sent to the browser."""
        key = (field, threading.get_ident())
        self._silent_fields.add(key)
        try:
            yield
        finally:
            self._silent_fields.discard(key)

    def _is_silent(self, field: str) -> bool:
        """True while this thread sets ``field`` from a browser edit (already validated)."""
        return (field, threading.get_ident()) in getattr(self, "_silent_fields", ())

    def notify_change(self, change: Any) -> None:
        # The browser's model keeps the last list the kernel sent (edits cross as changes),
        # so a list set from Python after browser edits may look unchanged to it (e.g. [] when
        # the person drew on an item that came with none): ask it to reload the list.
        name = change.get("name") if isinstance(change, dict) else None
        with self._reload_lock:  # a leaf lock: never held while anything else runs
            if (name in self._record_fields and not self._is_silent(name)
                    and name in self._browser_edited):
                self._browser_edited.discard(name)
                self._reload_fields.add(name)
        super().notify_change(change)
        if not self._holding_sync:
            self._send_reload()

    @contextlib.contextmanager
    def hold_sync(self) -> Iterator[None]:
        with super().hold_sync():
            yield
        if not self._holding_sync:
            self._send_reload()

    def _send_reload(self) -> None:
        with self._reload_lock:
            fields = sorted(self._reload_fields)
            self._reload_fields.clear()
        if fields and self.comm is not None:
            self.send({"type": "reload", "fields": fields})

    def _should_send_property(self, key: str, value: Any) -> bool:
        # A list updated from a browser change is not echoed back: the browser has it already.
        if self._is_silent(key):
            return False
        return bool(super()._should_send_property(key, value))

    def _on_browser_message(self, _widget: Any, content: Any, buffers: Sequence[Any]) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "changes":
            self._receive_changes(content)
        elif kind == "panel":
            self._receive_panel_action(content)
        else:
            self._handle_custom_message(content, list(buffers or []))

    def _receive_changes(self, content: dict[str, Any]) -> None:
        """Apply a batch of browser edits all or nothing, then ack (or report the error)."""
        seq = content.get("seq")
        changes = content.get("changes", [])
        if not isinstance(changes, list):
            changes = []
        fields = {c.get("field") for c in changes if isinstance(c, dict)}
        fields &= set(self._record_fields)
        applied: list[dict[str, Any]] = []
        with self._apply_lock:
            before = {field: getattr(self, field) for field in fields}
            try:
                for item in changes:
                    if not isinstance(item, dict):
                        raise TypeError(f"a change must be a dict, got {type(item).__name__}")
                    applied.append(self.apply_change(item.get("field"), item.get("op"),
                                                     item.get("record")))
            except (KeyError, TypeError, ValueError) as error:
                for field, value in before.items():  # roll the whole batch back
                    with self._silently(field):
                        setattr(self, field, value)
                message = error.args[0] if isinstance(error, KeyError) and error.args else error
                self.send({"type": "error", "seq": seq, "message": str(message)})
                # Bring the browser back to the kernel's truth for the fields involved.
                for field in fields:
                    self.send_state(field)
                return
            revision = self.revision + 1 if applied else self.revision
            if applied:
                with self._silently("revision"):  # the ack carries it to the browser
                    self.revision = revision
        reply: dict[str, Any] = {"type": "ack", "seq": seq, "revision": revision}
        if applied and reruns_on_state(self.comm):
            reply["save"] = True  # the browser saves the revision as a state update
        self.send(reply)
        for change in applied:
            for callback in list(self._change_callbacks):
                callback(change)

    def _handle_custom_message(self, content: dict[str, Any], buffers: list[Any]) -> None:
        """Handle a message other than ``changes`` (subclasses override)."""

    # -- display ------------------------------------------------------------------------------
    def _repr_summary(self) -> str:
        parts = [f"{len(getattr(self, f))} {f}" for f in self._record_fields]
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._repr_summary()})"
