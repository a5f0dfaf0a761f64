"""The labeling session for structured tasks: spans, regions, boxes, keypoints.

One item at a time is shown in its annotator with the model's records drawn in as
suggestions. The person accepts (Enter), edits, rejects (Delete) and draws; **Done**
(Ctrl+Enter) submits the item. The item's records are committed to the store, with a review
saying which suggestions were shown (:mod:`._review`), **before** the next item
appears; then the model refits in a background thread (:mod:`._model_runner`) and scores the
items left, and the next item is the one it is least sure of. Before the first refit, items
come in pool order. When the first refit lands while an item is on screen and the person has
not touched it yet, its suggestions are drawn in.

The session has a :class:`~._review_log.ReviewLog` (items done and auto-accepted, records,
reviews, undo history), a :class:`~._model_runner.ModelRunner` (background refits and
scores), an :class:`~._auto.AutoAccept` policy, the task's annotator
(:mod:`._tasks_structured`) and the :class:`~._panel.SessionPanel` drawn under it (Done /
Skip / Back with their keys, auto-accept, counts, the model's state); its constructor wires
them. The annotator is the whole UI (``session.widget``).

Examples
--------
>>> session = label(docs, task="spans", labels=["PER", "LOC"], store="ner.db")  # doctest: +SKIP
>>> session.accept(); session.submit()       # what Enter on each suggestion, then Ctrl+Enter do
... # doctest: +SKIP
>>> session.labels.origin.value_counts()     # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import pandas as pd

from ..widget.labels import label_names
from ._auto import AutoAccept, check_fraction
from ._model_runner import ModelRunner, Prediction, check_structured_model
from ._panel import SessionPanel, edits_text, model_text
from ._review import Visit, edit_counts, labels_frame, rejected_frame, review_entry
from ._review_log import ReviewLog, Submitted, read_state
from ._setup import META_KEY, ItemPool
from ._tasks import TASKS
from ._tasks_structured import StructuredTask
from ._team_agreement import agreement_line
from ._team_feed import RecordsFromTeam, annotator_name, team_table
from ._team_order import ordered, uncertainty_order
from .session import Session, first_item_error

__all__ = ["StructuredSession"]


class StructuredSession(Session, structured=True):
    """Label spans, regions, boxes or keypoints with model suggestions; see :func:`label`.

    Made by ``Session(items, task=...)`` / ``label(items, task=...)`` for a structured task;
    the parameters are documented there.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> session = Session(["Anna met Boris.", "Oslo is cold."], task="spans",
    ...                   labels=["PER", "LOC"], store=folder / "s.db")
    >>> session.task, session.current, session.reason
    ('spans', 0, 'cold')
    >>> session.submit([{"start": 0, "end": 4, "label": "PER"}])
    0
    >>> session.counts
    {'human': 1, 'auto': 0, 'remaining': 1, 'skipped': 0}
    >>> session.close()
    """

    def __init__(self, items: Any, *, task: str, labels: Sequence[str] | None = None,
                 model: Any = None, store: Any = None,
                 ids: Sequence[str | int] | None = None, annotator: str | None = None,
                 annotator_options: dict[str, Any] | None = None, **team: Any) -> None:
        factory = TASKS[task]
        pool = ItemPool(items)
        if pool.kind not in factory.item_kinds:
            raise TypeError(f"items: task={task!r} labels {' or '.join(factory.item_kinds)} "
                            f"items, but items[0] is {pool.kind}")
        super().__init__(pool, ids)
        self._factory = factory
        if model is not None:
            check_structured_model(model)
        if not isinstance(annotator_options, (dict, type(None))):
            raise TypeError(f"annotator_options must be a dict of the annotator's keyword "
                            f"arguments, got {type(annotator_options).__name__}")
        store_note = self._open_store(store, annotator, team)
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
        self._reason = "cold"
        self._visit = Visit()
        state = read_state(self.store, self._pos_of, self._keys, self._label_names,
                           factory.record_kinds[0], resumed=saved is not None)
        self._log = ReviewLog(self.store, self._keys, state)
        self._skipped = state.skipped
        first = next((p for p in range(len(self._pool)) if not self._blocked(p)), 0)
        self._task: StructuredTask = self._make_task(factory, options, first)
        self.annotator = self._task.widget
        self.model_prototype = (check_structured_model(model) if model is not None
                                else self._task.default_model())
        self._runner = ModelRunner(self.model_prototype, self._pool.get, len(self._pool),
                                   on_update=self._model_update)
        self._auto = AutoAccept(self.store, self._log, self._task, self._pool.get, self._keys,
                                annotator=self._who)
        attach = getattr(self._task, "attach_runner", None)
        if callable(attach):  # a task that refits live on the item shown (segment)
            attach(self._runner)
        self._build_widgets(store_note, state.orphans)
        self._restore_errors()
        self.store.set_meta(META_KEY, {"task": task, "labels": self._label_names,
                                       "n_items": len(self._pool),
                                       "ids": "given" if self._ids_given else "positions"})
        self._task.on_edit(self._touched)
        self._sync_runner_skip()
        if self._log.labeled:
            for pos in self._log.order:
                self._runner.teach(pos, self._log.answers.get(pos, []))
        else:
            self._runner.score_prefitted()
        self._from_team = RecordsFromTeam(self._runner, mine=self._log.labeled)
        if self._team is not None:  # everyone's records teach this kernel's model
            self._team.follow(self._from_team.teach, self._team_idle)
        self._advance()

    def _make_task(self, factory: Any, options: dict[str, Any], first: int) -> StructuredTask:
        """The task's annotator, made with the first item to show: when that item cannot be
        shown, the error names it (an annotator option at fault keeps its own error)."""
        item = self._pool.get(first)
        try:
            return factory(self._label_names, options, item)
        except (TypeError, ValueError, OSError) as error:
            if options:
                try:  # the item alone: is it the item, or an option?
                    factory(self._label_names, {}, item).widget.close()
                except (TypeError, ValueError, OSError):
                    pass
                else:
                    raise
            raise first_item_error(first, error) from error

    def _build_widgets(self, store_note: str, orphans: int) -> None:
        status = store_note + (f" · {orphans} stored item(s) are not in this pool (kept in "
                               "the store, not used)" if orphans else "")
        self.widget = self.annotator  # the whole labeling UI: the annotator and its panel
        self._panel = SessionPanel(self.annotator, buttons=(
            "done", "skip", "back", "auto", "remove_auto"), threshold=0.9, status=status)
        self._panel.on_action(self._on_action)
        self.dashboard = self._panel

    # -- what the session tells ------------------------------------------------------------------
    @property
    def task(self) -> str:
        """The task's name (``"spans"``, ``"regions"``, ``"boxes"``, ``"keypoints"``)."""
        return str(self._factory.name)

    @property
    def reason(self) -> str:
        """Why the current item is shown: ``"cold"`` (no model yet: pool order),
        ``"model"`` (the model is least sure of it), ``"again"`` (after Back) or
        ``"review"`` (asked for with :meth:`show`)."""
        return self._reason

    @property
    def model(self) -> Any:
        """The latest fitted model (None before the first refit finishes)."""
        return self._runner.model

    @property
    def suggestions(self) -> list[dict[str, Any]]:
        """The suggestions on the item shown that await review (model records with scores)."""
        return self._task.suggestions()

    @property
    def records(self) -> list[dict[str, Any]]:
        """The person's records on the item shown, as the annotator has them now."""
        return self._task.records()

    @property
    def counts(self) -> dict[str, int]:
        """Items done by a person (``human``), auto-accepted (``auto``), neither
        (``remaining``), and skipped."""
        with self._lock:
            counts = self._log.counts(len(self._pool), skipped=self._skipped)
            if self._team is not None:  # items the other annotators labeled count too
                others = self._team.others_done(self._log.labeled | self._log.auto)
                counts["human"] += others
                counts["remaining"] -= others
            return counts

    @property
    def labels(self) -> pd.DataFrame:
        """Every stored annotation, one row each, in pool order.

        Columns ``item_id`` (the item's position, or its id from ``ids=``), ``id`` (the
        record's id), ``kind`` (``"span"``, ``"region"``, ``"box"``, ``"keypoint"``),
        ``label``, ``origin`` (``"human"``: drawn from scratch; ``"accepted"``: a suggestion
        accepted as it was or edited; ``"auto"``: auto-accepted), ``score`` (the
        suggestion's score for accepted and auto annotations, NaN for drawn ones),
        ``edited`` (an accepted suggestion that was changed), ``annotator`` (who made it;
        None when unnamed; in team mode every annotator's records are there), then the
        task's fields
        (``start, end, text`` for spans; ``start, end`` for regions; ``x, y, w, h`` for boxes;
        ``x, y, visible, box_id`` for keypoints).
        """
        table = team_table(self.store)
        rows = []
        for key, kind, record, who, owner in zip(table["item_id"], table["kind"],
                                                 table["record"], table["annotator"],
                                                 table["owner"], strict=True):
            pos = self._pos_of.get(str(key))
            if pos is not None:
                rows.append((pos, kind, record, annotator_name(owner or who), owner))
        rows.sort(key=lambda row: row[0])  # stable: records keep their order in the item
        reviews, me = self._log.reviews, self._team.name if self._team else ""
        return labels_frame([(self._ids[p], k, r) for p, k, r, _, _ in rows],
                            lambda item: reviews.get(self._pos_of[str(item)]),
                            self._task.columns, ids_given=self._ids_given,
                            annotators=[who for *_, who, _ in rows],
                            reviewed=[owner == me for *_, owner in rows])

    def annotations(self, *, auto: bool = True) -> dict[Any, list[dict[str, Any]]]:
        """The records of every item done (and auto-accepted, with ``auto=True``), by item
        id in pool order: what exporters take. An item done with nothing to annotate has an
        empty list.

        Examples
        --------
        >>> from nbannotate.formats import to_conll
        >>> done = session.annotations()  # doctest: +SKIP
        >>> to_conll([{"text": docs[i], "spans": spans} for i, spans in done.items()])
        ... # doctest: +SKIP
        """
        with self._lock:
            return self._log.annotations(self._ids, auto=auto)

    @property
    def rejected(self) -> pd.DataFrame:
        """Suggestions shown and not accepted: ``item_id, id, label, score, how``
        (``"rejected"``, or ``"ignored"``: still awaiting review at Done) and the task's
        fields."""
        with self._lock:
            rows = self._log.rejected_rows(self._ids)
        return rejected_frame(rows, self._task.columns, ids_given=self._ids_given)

    @property
    def edits(self) -> dict[str, Any]:
        """Annotations by origin (``human``, ``accepted``, of which ``edited``, ``auto``),
        suggestions ``rejected`` and ``ignored``, and ``accepted_fraction`` = accepted /
        (accepted + human): the share of the person's annotations taken from a suggestion
        instead of drawn from scratch."""
        return edit_counts(self.labels, self.rejected)

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
            stored = self.store.replace(self._keys[pos], final, annotator=self._who,
                                        kind=kind, **context)
            if self._review is not None:  # the decision, as gold in the annotators' dataset
                self._review.decide(self._keys[pos], final, kind)
            entry = Submitted(pos, prior=list(self._log.answers.get(pos, [])),
                              prior_review=self._log.reviews.get(pos),
                              prior_state=self._log.state_of(pos), visit=self._visit,
                              pending=pending, final=stored)
            self._log.set_answer(pos, stored, review_entry(self._visit, stored, pending,
                                                           self._reason))
            self._log.set_state(pos, "done")
            self._sync_runner_skip()
            self._log.history.append(entry)
            self._runner.teach(pos, stored)
            self._advance()
            return self._ids[pos]

    def _remember_skip(self, pos: int) -> None:
        self._log.history.append(Submitted(pos, skip=True))

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
            entry = self._pop_undo(self._log.history)
            pos = entry.pos
            if entry.skip:
                self._unskip(pos)
                self._show(pos, "again")
                return self._ids[pos]
            context = self._task.item_context(self._pool.get(pos))
            kind = context.pop("kind")
            self.store.replace(self._keys[pos], entry.prior, annotator=self._who, kind=kind,
                               **context)
            self._log.set_answer(pos, entry.prior, entry.prior_review)
            self._log.set_state(pos, entry.prior_state)
            self._sync_runner_skip()
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

    def _save_skipped(self) -> None:
        self._sync_runner_skip()
        super()._save_skipped()

    def _sync_runner_skip(self) -> None:
        """Tell the runner which items are not worth scoring (auto-accepted, skipped)."""
        self._runner.set_skip(self._log.auto | self._skipped)

    def _on_action(self, action: str, value: float | None) -> None:
        """A button of the panel (or its key) was pressed for the item on screen."""
        if action.startswith("toggle:"):
            self.show_annotator(action.partition(":")[2],
                                action.partition(":")[2] in self._review.hidden)
            return
        if action in ("auto", "remove_auto"):
            self._auto_pressed(action, value)
            return
        method = {"done": self.submit, "skip": self.skip, "back": self.undo}[action]
        try:
            method()
        except Exception as error:  # shown to the person, who cannot see the kernel log
            self._panel.tell(str(error.args[0]) if isinstance(error, KeyError) and error.args
                             else str(error), error=True)

    def _auto_pressed(self, action: str, value: float | None) -> None:
        try:
            if action == "auto":
                text = self._auto_from_ui(0.9 if value is None else value)
            else:
                removed = self.remove_auto()["items"]
                text = f"removed the auto-accepted annotations of {removed} items"
        except Exception as error:  # shown to the person
            self._panel.set_line("auto", f"auto-accept failed: {error}")
            return
        self._panel.set_line("auto", text)

    def show_annotator(self, name: str, visible: bool = True) -> None:
        """Review mode: show or hide one annotator's versions on the item (the panel's toggle
        button per annotator); a hidden annotator stays hidden on the next items.

        Examples
        --------
        >>> session.show_annotator("bo", False)  # only the others' boxes remain  # doctest: +SKIP
        """
        if self._review is None:
            raise RuntimeError("show_annotator is for review sessions (review='disagreements')")
        with self._lock:
            pos = self._require_current()
            key = self._keys[pos]
            if name not in self._review.annotators(key):
                raise ValueError(f"name must be one of the annotators of item "
                                 f"{self._ids[pos]!r}: {self._review.annotators(key)}, "
                                 f"got {name!r}")
            mine = f"{name}:"
            pending = [s for s in self._task.suggestions() if not s["id"].startswith(mine)]
            if visible:
                self._review.hidden.discard(name)
                taken = {r["id"] for r in self._task.records()}
                pending += [s for s in self._review.suggestions(key, name)
                            if s["id"] not in taken]
            else:
                self._review.hidden.add(name)
            self._task.set_suggestions(pending)
            self._show_review_toggles(pos)

    def _show_review_toggles(self, pos: int) -> None:
        self._panel.set_toggles([(who, who, who not in self._review.hidden)
                                 for who in self._review.annotators(self._keys[pos])])

    # -- auto-accept -----------------------------------------------------------------------------
    def auto_accept(self, threshold: float = 0.9, *,
                    max_uncertainty: float | None = None) -> dict[str, Any]:
        """Store the model's records on items nobody has labeled, as ``source="auto"``.

        Only when asked (this method, or the panel's button). An item is auto-accepted when
        the latest model predicts at least one record on it and **every** predicted record
        scores at least ``threshold`` (so no item is left half-annotated), and, when given,
        its uncertainty is at most ``max_uncertainty``. Its records keep their ``score``;
        the item leaves the queue. :attr:`labels` shows them with ``origin="auto"``;
        :meth:`show` brings one back for review; :meth:`remove_auto` removes them.

        Returns
        -------
        dict
            ``{"items": ..., "records": ..., "threshold": ...}``.

        Examples
        --------
        >>> session.wait_for_model(); session.auto_accept(0.95)  # doctest: +SKIP
        {'items': 12, 'records': 31, 'threshold': 0.95}
        """
        threshold = check_fraction(threshold, "threshold")
        if max_uncertainty is not None:
            max_uncertainty = check_fraction(max_uncertainty, "max_uncertainty")
        with self._lock:
            items, records = self._auto.accept(
                self._runner.predictions(), threshold=threshold,
                max_uncertainty=max_uncertainty,
                skip=lambda pos: self._blocked(pos) or pos == self._current)
            self._sync_runner_skip()
            self._refresh_panel()
        return {"items": items, "records": records, "threshold": threshold}

    def remove_auto(self, item_ids: Sequence[Hashable] | None = None) -> dict[str, Any]:
        """Remove auto-accepted annotations (of every item, or of ``item_ids``); those items
        go back to the queue. Returns ``{"items": ...}``."""
        with self._lock:
            positions = (sorted(self._log.auto) if item_ids is None
                         else [self._position(i) for i in item_ids])
            removed = self._auto.remove(positions)
            self._sync_runner_skip()
            if self._current is None:
                self._advance()
            self._refresh_panel()
        return {"items": removed}

    def _auto_from_ui(self, threshold: float) -> str:
        result = self.auto_accept(threshold)
        if not self._runner.rounds:
            return "no model yet: submit an item first"
        return (f"auto-accepted {result['records']} annotations on {result['items']} items "
                f"(every suggestion scoring ≥ {threshold:.2f})")

    # -- the queue and showing -------------------------------------------------------------------
    def _blocked(self, pos: int) -> bool:
        return self._log.settled(pos) or pos in self._skipped

    def _pick(self) -> tuple[int, str] | None:
        """Before the first refit, pool order ("cold"); afterwards, the item the model is
        least sure of among those scored ("model"); items not scored yet come after."""
        left = [p for p in range(len(self._pool)) if not self._blocked(p)]
        if not left:
            return None
        predictions = self._runner.predictions()
        if self._team is not None:  # the first of the team's order the shared queue gives
            done = self._team.finished_for_me()
            order = uncertainty_order([p for p in left if p not in done],
                                      {p: predictions[p].uncertainty for p in predictions})
            pos = self._team.claim(ordered(self._team.wanted_first(), iter(order), set()))
            if pos is None:
                return None
            return pos, "model" if pos in predictions else "cold"
        scored = [p for p in left if p in predictions]
        if scored:
            return max(scored, key=lambda p: (predictions[p].uncertainty, -p)), "model"
        return left[0], "cold"

    def _advance(self) -> None:
        for _ in range(len(self._pool)):
            picked = self._pick()
            if picked is None:
                break
            if self._show(*picked):
                self._refresh_panel()
                return
        self._current = None
        self._task.hide()
        with self._panel.batch():
            self._panel.set_finished(self._finished_text(
                "All items are done. session.labels has every annotation."))
            self._panel.set_note("")
            self._panel.next_item()
            self._panel.set_enabled(False, can_back=bool(self._log.history))
            self._refresh_panel()

    def _show(self, pos: int, reason: str, *, records: list[dict[str, Any]] | None = None,
              suggestions: list[dict[str, Any]] | None = None,
              visit: Visit | None = None) -> bool:
        """Show item ``pos``; False (and the item skipped) when it cannot be shown."""
        prediction = self._runner.prediction(pos)
        answers, auto = self._log.answers, pos in self._log.auto
        from_model = False
        if records is None:
            records = [] if auto else list(answers.get(pos, []))
        if suggestions is None and self._review is not None:  # the annotators' versions
            suggestions = [s for s in self._review.suggestions(self._keys[pos])
                           if s["id"].partition(":")[0] not in self._review.hidden]
        if suggestions is None:
            if auto:  # review: the auto-accepted records, to accept or reject
                suggestions = [{**r, "source": "model"} for r in answers.get(pos, [])]
            elif pos in self._log.labeled or prediction is None:
                suggestions = []
            else:
                suggestions, from_model = list(prediction.records), True
        item, problem = self._pool.get(pos), ""
        try:
            try:
                self._task.show(item, records=records, suggestions=suggestions)
            except (TypeError, ValueError) as error:
                if not suggestions:
                    raise
                problem = f" · the model's suggestions do not fit this item: {error}"
                self._task.show(item, records=records, suggestions=[])
        except (TypeError, ValueError, OSError) as error:
            self._cannot_show(pos, error)
            return False
        visit = visit if visit is not None else Visit()
        prior = self._log.reviews.get(pos) or {}
        visit.shown = {**(prior.get("suggested") or {}), **visit.shown}
        visit.remember(self._task.suggestions())
        if from_model and prediction is not None:
            visit.round = prediction.round
        self._visit, self._current, self._reason = visit, pos, reason
        with self._panel.batch():
            self._panel.set_finished("")
            self._panel.next_item()
            self._panel.set_enabled(True, can_back=bool(self._log.history))
            note = self._note_for(pos, reason, prediction) + problem
            if self._review is not None:
                note = f"{self._review.note(self._keys[pos])} · {note}"
                self._show_review_toggles(pos)
            self._panel.set_note(note)
        self._runner.set_priority([pos])
        return True

    def _note_for(self, pos: int, reason: str, prediction: Prediction | None) -> str:
        where = f"item {self._ids[pos]!r}"
        count = len(self._task.suggestions())
        found = f"{count} suggestion{'s' if count != 1 else ''}" if count else "no suggestions"
        if reason == "again":
            return f"back: {where} as it was when you submitted it"
        if reason == "review":
            state = {"done": "done", "auto": "auto-accepted: its annotations are drawn as "
                     "suggestions", "new": "not labeled yet"}[self._log.state_of(pos)]
            return f"review of {where} ({state})"
        if reason == "model" and prediction is not None:
            return (f"why this item: the model is least sure of it (uncertainty "
                    f"{prediction.uncertainty:.2f}) · {found} · {where}")
        if count:  # picked before the first refit, suggestions drawn in since
            return (f"why this item: next in pool order (picked before the model was ready) · "
                    f"{found} from the model · {where}")
        waiting = " (the model is learning from what you submitted)" \
            if self._runner.busy else ""
        return f"why this item: no model yet, items in pool order · {found}{waiting} · {where}"

    # -- edits and refits ------------------------------------------------------------------------
    def _touched(self) -> None:
        self._visit.touched = True

    def _model_update(self, final: bool) -> None:
        """Called by the model runner in its thread: hand the work to the main thread."""
        if not self._closed:
            self._main.call(self._after_model, final)

    def _after_model(self, final: bool) -> None:
        """When a refit finishes while an item is on screen and the person has not touched it
        yet, its suggestions are replaced by the newer model's."""
        with self._lock:
            if self._closed:
                return
            pos = self._current
            if pos is not None and not self._visit.touched and not self._log.settled(pos) \
                    and self._reason in ("cold", "model"):
                prediction = self._runner.prediction(pos)
                if prediction is not None and prediction.round > self._visit.round:
                    try:
                        self._task.set_suggestions(prediction.records)
                    except (TypeError, ValueError) as error:
                        self._panel.set_line(
                            "status", f"the model's suggestions do not fit item "
                            f"{self._ids[pos]!r}: {error}")
                    else:
                        self._visit = Visit(round=prediction.round)
                        self._visit.remember(self._task.suggestions())
                        self._panel.set_note(self._note_for(pos, self._reason, prediction))
            if final:
                if self._team is not None:  # how far the annotators agree, after a refit
                    self._panel.set_line("agreement", agreement_line(self._team.shared))
                self._refresh_panel()

    def _refresh_panel(self) -> None:
        if self._closed:
            return
        history = self._runner.history
        seconds = history[-1].fit_seconds if history else math.nan
        error = self._runner.last_error
        with self._panel.batch():
            self._panel.show_counts(**self.counts)
            self._panel.set_line("edits", edits_text(self._log.edit_counts()))
            self._panel.set_line("model", model_text(
                busy=self._runner.busy, n_trained=self._runner.n_trained,
                rounds=self._runner.rounds, error=error, fit_seconds=seconds))
            if self._team is not None:  # each annotator's items and pace
                self._panel.set_line("team", " · ".join(
                    f"{name}: {items} items ({per_minute:.1f}/min)"
                    for name, items, per_minute in self._team.annotator_stats()))

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
