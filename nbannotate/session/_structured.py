"""The labeling session for structured tasks: spans, regions, boxes, keypoints.

One item at a time is shown in its annotator with the model's records drawn in as
suggestions. The person accepts (Enter), edits, rejects (Delete) and draws; **Done**
(Ctrl+Enter) submits the item. The item's records are committed to the store, with a review
saying which suggestions were shown (:mod:`._session_review`), **before** the next item
appears; then the model refits in a background thread (:mod:`._session_model`) and scores the
items left, and the next item is the one it is least sure of. Before the first refit, items
come in pool order. When the first refit lands while an item is on screen and the person has
not touched it yet, its suggestions are drawn in.

Examples
--------
>>> session = label(docs, task="spans", labels=["PER", "LOC"], store="ner.db")  # doctest: +SKIP
>>> session.accept(); session.submit()       # what Enter on each suggestion, then Ctrl+Enter do
... # doctest: +SKIP
>>> session.labels.origin.value_counts()     # doctest: +SKIP
"""

from __future__ import annotations

import html
import threading
from collections.abc import Hashable, Sequence
from typing import Any

import ipywidgets as widgets

from ..widget.labels import label_names
from ..widget.mainloop import MainThread
from ..widget.style import style_widget
from ._auto import AutoAcceptMixin
from ._common import SessionCommonMixin
from ._controls import SessionControls
from ._model_runner import ModelRunner, check_structured_model
from ._panel import StructuredPanel
from ._reports import ReportsMixin
from ._review import DONE_KEY, REVIEW_PREFIX, Visit, review_entry
from ._setup import META_KEY, ItemPool, check_ids, open_store
from ._showing import ShowingMixin
from ._state import SKIPPED_KEY, Submitted, read_state
from ._structured_state import StructuredStateMixin
from ._tasks import TASKS
from ._tasks_structured import StructuredTask
from .session import Session

__all__ = ["StructuredSession"]

class StructuredSession(SessionCommonMixin, StructuredStateMixin, ShowingMixin, AutoAcceptMixin,
                        ReportsMixin, Session):
    """Label spans, regions, boxes or keypoints with model suggestions; see :func:`label`.

    Made by ``Session(items, task=...)`` / ``label(items, task=...)`` for a structured task;
    the parameters are documented there.
    """

    def __init__(self, items: Any, *, task: str, labels: Sequence[str] | None = None,
                 model: Any = None, store: Any = None,
                 ids: Sequence[str | int] | None = None, annotator: str | None = None,
                 annotator_options: dict[str, Any] | None = None) -> None:
        self._main = MainThread()
        self._lock = threading.RLock()
        self._closed = False
        factory = TASKS[task]
        self._pool = ItemPool(items)
        if self._pool.kind not in factory.item_kinds:
            raise TypeError(f"items: task={task!r} labels {' or '.join(factory.item_kinds)} "
                            f"items, but items[0] is {self._pool.kind}")
        n = len(self._pool)
        self._ids, self._keys = check_ids(ids, n)
        self._ids_given = ids is not None
        self._pos_of = {key: pos for pos, key in enumerate(self._keys)}
        self._factory = factory
        if model is not None:
            check_structured_model(model)
        if not isinstance(annotator_options, (dict, type(None))):
            raise TypeError(f"annotator_options must be a dict of the annotator's keyword "
                            f"arguments, got {type(annotator_options).__name__}")
        self.store, self._owns_store, store_note = open_store(store, annotator)
        self._who = annotator
        try:
            self._build(task, factory, labels, model, dict(annotator_options or {}),
                        store_note)
        except BaseException:
            if self._owns_store:
                self.store.close()
            raise

    # -- building -------------------------------------------------------------------------------
    def _build(self, task: str, factory: Any, labels: Any, model: Any,
               options: dict[str, Any], store_note: str) -> None:
        saved = self.store.get_meta(META_KEY)
        if saved is not None and saved.get("task") != task:
            raise ValueError(f"the store {str(self.store.path)!r} holds a "
                             f"task={saved.get('task')!r} session, not task={task!r}: use "
                             "another store file")
        if labels is None:
            if saved is None or not saved.get("labels"):
                raise ValueError(f"labels is required: the label names of the task={task!r} "
                                 "records, e.g. labels=['PER', 'LOC'] (the store has none "
                                 "saved)")
            labels = saved["labels"]
        self._label_names = label_names(labels)
        self._current: int | None = None
        self._reason = "cold"
        self._visit = Visit()
        state = read_state(self.store, self._pos_of, self._keys, self._label_names,
                           factory.record_kinds[0], resumed=saved is not None)
        self._labeled, self._auto, self._skipped = state.labeled, state.auto, state.skipped
        self._order = state.order  # done items, oldest first
        self._answers, self._reviews = state.answers, state.reviews
        self._history: list[Submitted] = state.history
        orphans = state.orphans
        first = next((p for p in range(len(self._pool)) if not self._blocked(p)), 0)
        self._task: StructuredTask = factory(self._label_names, options, self._pool.get(first))
        self.annotator = self._task.widget
        self.model_prototype = (check_structured_model(model) if model is not None
                                else self._task.default_model())
        self._runner = ModelRunner(self.model_prototype, self._pool.get, len(self._pool),
                                   on_update=self._model_update)
        attach = getattr(self._task, "attach_runner", None)
        if callable(attach):  # a task that refits live on the item shown (segment)
            attach(self._runner)
        self._build_widgets(store_note, orphans)
        self.store.set_meta(META_KEY, {"task": task, "labels": self._label_names,
                                       "n_items": len(self._pool),
                                       "ids": "given" if self._ids_given else "positions"})
        self._task.on_edit(self._touched)
        self._runner.set_skip(self._auto | self._skipped)
        if self._labeled:
            for pos in self._order:
                self._runner.teach(pos, self._answers.get(pos, []))
        else:
            self._runner.score_prefitted()
        self._advance()

    def _build_widgets(self, store_note: str, orphans: int) -> None:
        self.controls = SessionControls()
        self.controls.on_action(self._on_action)
        self.dashboard = StructuredPanel()
        self.dashboard.on_auto(self._auto_from_ui, self.remove_auto)
        self._note = widgets.HTML("")
        self._note.add_class("nba-note")
        self._finished = widgets.HTML("", layout=widgets.Layout(display="none"))
        self._finished.add_class("nba-done")
        status = store_note + (f" · {orphans} stored item(s) are not in this pool (kept in "
                               "the store, not used)" if orphans else "")
        self._status = widgets.HTML(html.escape(status))
        self._status.add_class("nba-note")
        self.dashboard.layout.margin = "0 0 0 16px"
        self.dashboard.layout.flex = "0 0 auto"
        # Done / Skip / Back above the item, where they stay in reach however tall it is.
        left = widgets.VBox([self.controls, self._note, self.annotator, self._finished],
                            layout=widgets.Layout(flex="1 1 420px", min_width="320px"))
        self.widget = widgets.VBox([
            style_widget(), self._status,
            widgets.HBox([left, self.dashboard],
                         layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap")),
        ])
        self.widget.add_class("nba-session")
        self.widget.add_class("nba-structured-session")

    # -- answering -------------------------------------------------------------------------------
    def accept(self, ids: Sequence[str] | str | None = None) -> list[str]:
        """Accept suggestions on the item shown (all by default), as Enter does on each;
        returns the ids of the records made (the suggestions' ids)."""
        with self._lock:
            self._require_current()
            self._visit.touched = True
            return self._task.accept(ids)

    def reject(self, ids: Sequence[str] | str | None = None) -> list[str]:
        """Reject suggestions on the item shown (all by default), as Delete does on each."""
        with self._lock:
            self._require_current()
            self._visit.touched = True
            return self._task.reject(ids)

    def submit(self, records: Sequence[dict[str, Any]] | None = None) -> Hashable:
        """Save the item shown and show the next one, as "Done" (Ctrl+Enter) does.

        Parameters
        ----------
        records : list of dict, optional
            The item's records; by default, what the annotator holds. Records whose ``id`` is
            a suggestion's count as accepted suggestions; suggestions still awaiting review
            are recorded as not accepted.

        Returns
        -------
        The id of the saved item.

        Raises
        ------
        ValueError, TypeError
            A record does not fit the item (nothing is saved).
        RuntimeError
            No item is shown.

        Examples
        --------
        >>> session.accept(); session.submit()  # doctest: +SKIP
        3
        """
        with self._lock:
            pos = self._require_current()
            if records is not None:
                self._visit.touched = True
                self._task.set_records(records)
            final, pending = self._task.records(), self._task.suggestions()
            context = self._task.store_context()
            kind = context.pop("kind")
            key = self._keys[pos]
            stored = self.store.replace(key, final, annotator=self._who, kind=kind, **context)
            entry = Submitted(pos, prior=list(self._answers.get(pos, [])),
                               prior_review=self._reviews.get(pos),
                               prior_state=self._state_of(pos), visit=self._visit,
                               pending=pending, final=stored)
            review = review_entry(self._visit, stored, pending, self._reason)
            self.store.set_meta(REVIEW_PREFIX + key, review)
            self._reviews[pos], self._answers[pos] = review, stored
            self._set_state(pos, "done")
            self._history.append(entry)
            self._runner.teach(pos, stored)
            self._advance()
            return self._ids[pos]

    def _remember_skip(self, pos: int) -> None:
        self._history.append(Submitted(pos, skip=True))

    def undo(self) -> Hashable:
        """Bring the previous item back ("Back", Ctrl+Backspace): its saved records are
        removed (or restored to what they were before), and it is shown as it was when it was
        submitted, suggestions still awaiting review included. Returns its id.

        Raises
        ------
        ValueError
            There is nothing to undo.
        """
        with self._lock:
            entry = self._pop_undo(self._history)
            pos = entry.pos
            if entry.skip:
                self._skipped.discard(pos)
                self._save_skipped()
                self._show(pos, "again")
                return self._ids[pos]
            context = self._task.item_context(self._pool.get(pos))
            kind = context.pop("kind")
            key = self._keys[pos]
            self.store.replace(key, entry.prior, annotator=self._who, kind=kind, **context)
            self.store.set_meta(REVIEW_PREFIX + key, entry.prior_review)
            self._answers[pos] = entry.prior
            if entry.prior_review is None:
                self._reviews.pop(pos, None)
            else:
                self._reviews[pos] = entry.prior_review
            self._set_state(pos, entry.prior_state)
            if entry.prior_state == "done":
                self._runner.teach(pos, entry.prior)
            else:
                self._runner.forget(pos)
            self._show(pos, "again", records=entry.final, suggestions=entry.pending,
                       visit=entry.visit)
            return self._ids[pos]

    def show(self, item_id: Hashable) -> None:
        """Show a given item to review or correct it: a done item with its records, an
        auto-accepted one with its annotations drawn as suggestions to accept or reject,
        any other with the model's suggestions. "Done" saves it as usual."""
        with self._lock:
            pos = self._position(item_id)
            self._show(pos, "review")

    def _position(self, item_id: Hashable) -> int:
        if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
            raise TypeError(f"item_id must be an item's id (str or int), got {item_id!r}")
        pos = self._pos_of.get(str(item_id))
        if pos is None or self._ids[pos] != item_id:
            raise ValueError(f"item_id {item_id!r} is not an item of this session")
        return pos

    def _state_of(self, pos: int) -> str:
        return "done" if pos in self._labeled else "auto" if pos in self._auto else "new"

    def _set_state(self, pos: int, state: str) -> None:
        self._labeled.discard(pos)
        self._auto.discard(pos)
        if pos in self._order:
            self._order.remove(pos)
        if state == "done":
            self._labeled.add(pos)
            self._order.append(pos)
        elif state == "auto":
            self._auto.add(pos)
        self._runner.set_skip(self._auto | self._skipped)
        self.store.set_meta(DONE_KEY, [self._keys[p] for p in self._order])

    def _save_skipped(self) -> None:
        self._runner.set_skip(self._auto | self._skipped)
        self.store.set_meta(SKIPPED_KEY, [self._keys[p] for p in sorted(self._skipped)])

    def _on_action(self, action: str) -> None:
        method = {"done": self.submit, "skip": self.skip, "back": self.undo}[action]
        try:
            method()
        except Exception as error:  # shown to the person, who cannot see the kernel log
            self.controls.message = (str(error.args[0]) if isinstance(error, KeyError)
                                     and error.args else str(error))

    def wait_for_model(self, timeout: float = 120.0) -> bool:
        """Wait until the background refit and scoring are done, then draw the newest
        suggestions on the item shown (when untouched) and redraw the panel.

        For scripts, tests and tutorials: a person never needs it. Returns False on timeout.

        Examples
        --------
        >>> session.submit(); session.wait_for_model()  # doctest: +SKIP
        True
        """
        done = self._runner.wait(timeout)
        self._after_model(True)
        return done

    wait = wait_for_model

    # -- display and lifetime --------------------------------------------------------------------
    def _stop(self) -> None:
        self._runner.close()  # a refit under way ends on its own, touching nothing

    def __repr__(self) -> str:
        counts = self.counts
        return (f"Session(task={self._task.name!r}, {len(self._pool)} {self._pool.kind} items, "
                f"{counts['human']} done, {counts['auto']} auto, {counts['remaining']} "
                f"remaining, store={str(self.store.path)!r})")
