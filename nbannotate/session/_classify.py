"""The whole-item labeling session (``task="classify"``): an annotator, a live classifier,
a store and a dashboard, together.

The session shows the item the model is least sure of, with the model's guess preselected and
why the item was chosen. A person's answer is committed to the store, **then** taught to the
learner (which refits in its background thread), **then** the next item appears. The dashboard
redraws when a refit finishes; the refit thread never touches a widget (it schedules the
redraw onto the kernel's event loop).

The session has an :class:`~nbannotate.active.ActiveLearner`, a :class:`~._queue.Queue`
(which item next, spot-checks), the task's adapter (:class:`~._tasks.ClassifyTask`: a
:class:`~nbannotate.ClassLabeler`), a :class:`~.dashboard.Dashboard` and a
:class:`~._classify_refits.RefitWatcher` that redraws it after refits; its constructor wires
them. What both kinds of session share is the :class:`~nbannotate.session.Session` base.

Made by :class:`~nbannotate.session.Session` / :func:`~nbannotate.session.label` for a
whole-item task.

Examples
--------
>>> from sklearn.datasets import load_digits
>>> digits = load_digits()
>>> session = label(digits.images / 16, labels=range(10), features=digits.data,
...                 store=tmp / "digits.db")  # doctest: +SKIP
>>> session                                   # doctest: +SKIP
>>> session.submit(7)                         # what pressing "7" does  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..active import ActiveLearner
from ._classify_refits import POLL_SECONDS as POLL_SECONDS
from ._classify_refits import RefitWatcher
from ._featurize import default_features
from ._panel import SessionPanel
from ._queue import Queue, explain
from ._setup import (
    META_KEY,
    ItemPool,
    Progress,
    check_features,
    check_model,
    resolve_labels,
    stored_answers,
)
from ._tasks import TASKS, Suggestion, TaskAdapter
from ._team_agreement import agreement_line
from ._team_feed import ClassesFromTeam, team_answers
from ._team_order import learner_order, ordered
from .dashboard import Dashboard
from .session import Session

__all__ = ["ClassifySession"]

_REASONS = ("cold", "model", "spot", "again")


class ClassifySession(Session, structured=False):
    """Label a pool of items with a live model, a durable store and a dashboard.

    Parameters
    ----------
    items : sequence
        The pool: images (arrays, bytes, paths), texts, audio clips ``(samples, rate)``, or the
        rows of a DataFrame. An item is identified by its position, or by ``ids``.
    labels : list of str or int, optional
        The classes. Optional when resuming from a store that has them.
    model : scikit-learn classifier with ``predict_proba``, optional
        Default ``LogisticRegression(max_iter=1000)``. Never fitted itself (clones are).
    features : array, sparse matrix or DataFrame, optional
        One row per item. Default: computed from the items (image pixels and gradients,
        TF-IDF of texts, log-mel statistics of audio, numeric columns of rows), with a
        progress bar.
    store : path or Store, optional
        Where labels are saved (SQLite). Reopening the same file resumes the session. Default:
        a temporary file.
    task : str
        The annotation task; ``"classify"`` (whole-item class labels). See
        :func:`register_task`.
    ids : sequence of str or int, optional
        Item ids used in the store and in :attr:`labels` (default: positions).
    strategy : str or callable
        Query strategy of the learner (``"margin"``, ``"least_confidence"``, ``"entropy"``,
        ``"random"``).
    auto_label_precision : float, optional
        Auto-label the items whose estimated precision lower bound meets this target.
    auto_label_threshold : float, optional
        Or auto-label every item whose model confidence is at least this.
    annotator : str, optional
        Who is labeling (recorded in the store's history).
    random_state : int, optional
    learner_options : dict, optional
        More keyword arguments of :class:`~nbannotate.active.ActiveLearner` (``cv``,
        ``semi_supervised``, ``cold_start``, ...).

    Attributes
    ----------
    learner : ActiveLearner
    store : Store
    dashboard : Dashboard
    annotator : TaskAdapter's widget (a ClassLabeler for ``task="classify"``)
    widget : ClassLabeler
        The whole labeling UI (what displaying the session shows): the annotator itself,
        with the session's panel (counts, buttons, dashboard charts) drawn under it; in
        marimo, ``mo.ui.anywidget(session.widget)``.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> digits = load_digits()
    >>> session = Session(digits.images / 16, labels=range(10), features=digits.data / 16,
    ...                   store=tmp / "digits.db")  # doctest: +SKIP
    >>> session.submit(session.suggestion.label)  # accept the model's guess  # doctest: +SKIP
    >>> session.labels.head()  # doctest: +SKIP
    """

    def __init__(
        self,
        items: Any,
        *,
        labels: Sequence[str | int] | None = None,
        model: Any = None,
        features: Any = None,
        store: Any = None,
        task: str = "classify",
        ids: Sequence[str | int] | None = None,
        strategy: Any = "margin",
        auto_label_precision: float | None = None,
        auto_label_threshold: float | None = None,
        annotator: str | None = None,
        random_state: int | None = 0,
        learner_options: dict[str, Any] | None = None,
        **team: Any,
    ) -> None:
        if task not in TASKS:
            raise ValueError(f"task must be one of {sorted(TASKS)}, got {task!r}")
        if getattr(TASKS[task], "structured", False):
            raise ValueError(f"task={task!r} is a structured task: use Session(items, "
                             f"task={task!r}, labels=...) (features, strategy and auto-label "
                             "options are for whole-item tasks)")
        super().__init__(ItemPool(items), ids)
        model = check_model(model)
        if features is not None:
            features = check_features(features, len(self._pool))
        if not isinstance(learner_options, (dict, type(None))):
            raise TypeError(f"learner_options must be a dict, got "
                            f"{type(learner_options).__name__}")
        options = dict(learner_options or {})
        store_note = self._open_store(store, annotator, team)
        self._annotator_name = annotator
        try:
            self._build(task, features, model, options, store_note, strategy=strategy,
                        labels=labels, auto_label_precision=auto_label_precision,
                        auto_label_threshold=auto_label_threshold, random_state=random_state)
        except BaseException:
            if self._owns_store:
                self.store.close()
            raise

    def _build(self, task: str, features: Any, model: Any, options: dict[str, Any],
               store_note: str, **settings: Any) -> None:
        n = len(self._pool)
        saved = self.store.get_meta(META_KEY)
        self._labels = resolve_labels(settings["labels"], saved, task, self.store.path)
        if features is None:
            progress = Progress("featurizing", n)
            try:
                features = default_features(self._pool.sequence(), kind=self._pool.kind,
                                            progress=progress)
            finally:
                progress.close()
        self.learner = ActiveLearner(
            model, features, strategy=settings["strategy"], labels=list(self._labels.values),
            auto_label_precision=settings["auto_label_precision"],
            auto_label_threshold=settings["auto_label_threshold"],
            random_state=settings["random_state"], **options)
        self._reason = "cold"
        self._suggestion: Suggestion | None = None
        self._done: list[tuple[str, int, Any]] = []  # the undo history: label or skip
        self._labeled: set[int] = set()
        self._queue = Queue(self.learner)
        self._task: TaskAdapter = TASKS[task](self._labels)
        self._check_first_item(lambda item: self._task.show(item, suggestion=None, note=""))
        self.annotator = self._task.widget
        self.widget = self.annotator  # the whole labeling UI: the labeler and its panel
        self._panel = SessionPanel(self.annotator, buttons=("spot_check",), status=store_note)
        self._panel.on_action(self._panel_pressed)
        self.dashboard = Dashboard(list(self._labels.names), self._panel)
        self._refits = RefitWatcher(self.learner, self._labels, self.dashboard, self._main,
                                    n_skipped=lambda: len(self._skipped),
                                    on_redraw=self._show_agreement,
                                    annotators=(self._team.annotator_stats if self._team
                                                else tuple))
        self._task.bind(submit=self.submit, skip=self.skip, undo=self.undo)
        self._restore(saved is not None)
        self.store.set_meta(META_KEY, {
            "task": task, "labels": list(self._labels.values), "n_items": n,
            "ids": "given" if self._ids_given else "positions"})
        self.learner.on_refit(self._refits.refit_finished)
        self._from_team = ClassesFromTeam(self.learner, self._task, self._lock,
                                          mine=self._labeled)
        if self._team is not None:  # everyone's labels teach this kernel's model
            self._team.follow(self._from_team.teach, self._team_idle)
        self._advance()
        self.refresh()

    # -- resuming --------------------------------------------------------------------------------
    def _stored_answers(self) -> tuple[list[tuple[int, Any]], int]:
        return stored_answers(self.store, self._task, self._pos_of, self._labels)

    def _restore(self, resumed: bool) -> None:
        answers, orphans = self._stored_answers()
        if answers:
            positions = [pos for pos, _ in answers]
            self.learner.teach(positions, [self._task.learner_label(a) for _, a in answers])
            self._done = [("label", pos, answer) for pos, answer in answers]
            self._labeled = set(positions)
            self._panel.set_line("training", f"fitting on {len(answers)} stored labels…")
        labeled = {pos for pos, _ in answers}
        skipped_keys = self.store.get_meta("skipped", []) if resumed else []
        self._skipped = {self._pos_of[k] for k in skipped_keys
                         if k in self._pos_of and self._pos_of[k] not in labeled}
        self._restore_errors()
        if orphans:
            self._panel.set_line("status", self._panel.line("status") + (
                f" · {orphans} stored item(s) are not in this pool (kept in the store, "
                "not used)"))

    # -- answering -------------------------------------------------------------------------------
    def submit(self, label: Any) -> Hashable:
        """Label the current item, as pressing its key or clicking its button does.

        The label is committed to the store, taught to the learner (a refit starts in the
        background), then the next item is shown. Returns the id of the labeled item.

        Raises
        ------
        ValueError
            ``label`` is not one of the session's labels.
        RuntimeError
            The session is finished (nothing to label).

        Examples
        --------
        >>> session.submit("cat")  # doctest: +SKIP
        17
        """
        with self._lock:
            pos = self._require_current()
            value = self._task.learner_label(label)
            self.store.replace(self._keys[pos], self._task.records(label),
                               annotator=self._annotator_name, kind=self._task.record_kind,
                               **self._task.context())
            if self._review is not None:  # the decision, as gold in the annotators' dataset
                self._review.decide(self._keys[pos], self._task.records(label),
                                    self._task.record_kind)
            source = ("spot_check" if self._reason == "spot" and self.learner.model is not None
                      else "human")
            self._from_team.make_room(pos)  # an overlap item another annotator labeled
            self.learner.teach([pos], [value], source=source)
            self._done.append(("label", pos, label))
            self._labeled.add(pos)
            with self._panel.batch():  # the next item first, then one panel update
                self.dashboard.set_training(True)
                self._advance()
            return self._ids[pos]

    def _remember_skip(self, pos: int) -> None:
        self._done.append(("skip", pos, None))

    def undo(self) -> Hashable:
        """Undo the last answer or skip: the label is removed from the store and the learner,
        and that item is shown again. Returns its id.

        Raises
        ------
        ValueError
            There is nothing to undo.
        """
        with self._lock:
            kind, pos, answer = self._pop_undo(self._done)
            if kind == "label":
                for record in self._task.records(answer):
                    with contextlib.suppress(KeyError):  # already removed elsewhere
                        self.store.remove(self._keys[pos], record["id"],
                                          annotator=self._annotator_name)
                self.learner.forget([pos])
                self._labeled.discard(pos)
                self.dashboard.set_training(True)
            else:
                self._unskip(pos)
            self._show(pos, "again")
            return self._ids[pos]

    # -- the queue -------------------------------------------------------------------------------
    def _pick(self) -> tuple[int, str] | None:
        picked = self._queue.pick(skipped=self._skipped, labeled=self._labeled)
        if self._team is None:
            return picked
        # team mode: the first item of the team's order that the shared queue gives us
        exclude = self._skipped | self._labeled | self._team.finished_for_me()
        first = [*self._team.wanted_first(), *([picked[0]] if picked else [])]
        pos = self._team.claim(ordered(first, learner_order(self.learner, exclude), exclude))
        if pos is None:
            return None
        if picked is not None and pos == picked[0]:
            return picked
        return pos, "model" if self.learner.model is not None else "cold"

    def _advance(self) -> None:
        for _ in range(len(self._pool)):
            picked = self._pick()
            if picked is None:
                break
            if self._show(*picked):
                self._update_counts()
                return
        self._current = None
        self._suggestion = None
        self._task.clear(self._finished_text(
            "All items are labeled. session.labels has every label."))
        self._update_counts()

    def _show(self, pos: int, reason: str) -> bool:
        """Show item ``pos``; False (and the item skipped) when it cannot be shown."""
        suggestion, note = explain(self.learner, self._labels, pos, reason,
                                   f"item {self._ids[pos]!r}")
        if self._review is not None:  # what each annotator answered
            note = f"{self._review.note(self._keys[pos])} · {note}"
        try:
            self._task.show(self._pool.get(pos), suggestion=suggestion, note=note)
        except (TypeError, ValueError, OSError) as error:
            self._cannot_show(pos, error)
            return False
        self._current, self._reason, self._suggestion = pos, reason, suggestion
        return True

    def _update_counts(self) -> None:
        counts = self.counts
        self.dashboard.show_counts(**counts)

    # -- what the session tells ------------------------------------------------------------------
    @property
    def reason(self) -> str:
        """Why the current item is shown: ``"cold"`` (no model yet: a diverse pick),
        ``"model"`` (most uncertain), ``"spot"`` (a spot-check of an auto-label) or
        ``"again"`` (after an undo)."""
        return self._reason

    @property
    def suggestion(self) -> Suggestion | None:
        """The model's guess for the current item (label and probability), if any."""
        return self._suggestion

    @property
    def counts(self) -> dict[str, int]:
        """Items labeled by a person (``human``), auto-labeled (``auto``), neither
        (``remaining``), and skipped."""
        human = self.learner.n_human
        auto = len(self.learner.auto_labels()) if self.learner.threshold is not None else 0
        return {"human": human, "auto": auto, "remaining": len(self._pool) - human - auto,
                "skipped": len(self._skipped)}

    @property
    def spot_check(self) -> bool:
        """Spot-check mode: every other item is a random auto-labeled item to verify; the
        answers measure the real precision of auto-labels (the dashboard's switch)."""
        return self._queue.spot_mode

    @spot_check.setter
    def spot_check(self, on: bool) -> None:
        if not isinstance(on, bool):
            raise TypeError(f"spot_check must be True or False, got {on!r}")
        with self._lock:
            self._queue.set_spot_mode(on)
            self._panel.set_pressed("spot_check", on)

    def _panel_pressed(self, action: str, _value: float | None) -> None:
        if action == "spot_check":
            self.spot_check = not self._queue.spot_mode

    @property
    def labels(self) -> pd.DataFrame:
        """Every label: human labels from the store, auto-labels from the learner.

        Columns ``id`` (the item's position or id), ``label``, ``source`` (``"human"`` or
        ``"auto"``), ``score`` (the model's probability for auto-labels, NaN for human
        labels) and ``annotator`` (who gave the label; None for auto-labels and unnamed
        people), ordered by item position. In team mode every annotator's labels are there:
        an overlap item has one row per annotator.
        """
        rows = [(pos, self._task.learner_label(answer), "human", np.nan, who)
                for pos, answer, who in team_answers(self.store, self._task, self._pos_of)]
        human_pos = {row[0] for row in rows}
        auto = self.learner.auto_labels() if self.learner.threshold is not None else None
        if auto is not None:
            rows += [(int(i), lab, "auto", float(s), None)
                     for i, lab, s in zip(auto["id"], auto["label"], auto["score"], strict=True)
                     if int(i) not in human_pos]
        rows.sort(key=lambda row: row[0])
        return pd.DataFrame({
            "id": pd.Series([self._ids[r[0]] for r in rows],
                            dtype=object if self._ids_given else "int64"),
            "label": pd.Series([r[1] for r in rows], dtype=object),
            "source": pd.Series([r[2] for r in rows], dtype=object),
            "score": pd.Series([r[3] for r in rows], dtype="float64"),
            "annotator": pd.Series([r[4] for r in rows], dtype=object),
        })

    # -- refits ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw the dashboard from the learner now (on the calling thread)."""
        if not self._closed:
            self._refits.refresh()

    def wait(self, timeout: float = 120.0) -> bool:
        """Wait until the background refits are done, then redraw the dashboard.

        For scripts and tutorials (a person never needs it). Returns False on timeout.

        Examples
        --------
        >>> session.submit("cat"); session.wait()  # doctest: +SKIP
        True
        """
        return self._refits.wait(timeout)

    def _show_agreement(self) -> None:
        """Team mode, after a redraw: how far the annotators agree, in the panel."""
        if self._team is not None:
            self._panel.set_line("agreement", agreement_line(self._team.shared))

    # -- display and lifetime --------------------------------------------------------------------
    def _stop(self) -> None:
        self._refits.close()  # a redraw under way ends first; later ones do nothing

    def __repr__(self) -> str:
        counts = self.counts
        return (f"Session({len(self._pool)} {self._pool.kind} items, {counts['human']} human, "
                f"{counts['auto']} auto, {counts['remaining']} remaining, "
                f"store={str(self.store.path)!r})")
