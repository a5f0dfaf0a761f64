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
from ..widget.panel import charts_from_stats
from ._classify_refits import POLL_SECONDS as POLL_SECONDS
from ._classify_refits import RefitWatcher
from ._featurize import default_features
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
from ._view import SessionView
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
        The figures of the dashboard (drawn in the widget's panel).
    annotator : TaskAdapter's widget (a ClassLabeler for ``task="classify"``)
    widget : the same ClassLabeler
        The whole labeling UI, one anywidget (what displaying the session shows): the item,
        its label keys, and the session panel under it (status, counts, progress, the
        dashboard's lines and charts, the spot-check button).
    view : SessionView
        The panel's state.

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
        store_note = self._open_store(store, annotator)
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
        self.widget = self.annotator
        self.dashboard = Dashboard(list(self._labels.names))
        self.view = SessionView(self.widget, buttons=["spot_check"])
        self.view.drawing = False  # one draw once everything is set (below)
        self.view.update(status=store_note)
        self.view.on_action(self._on_action)
        self._scoring = ""
        self._refits = RefitWatcher(self.learner, self._labels, self.dashboard, self._main,
                                    n_skipped=lambda: len(self._skipped),
                                    on_redraw=self._redraw)
        self._task.bind(submit=self.submit, skip=self.skip, undo=self.undo)
        self._restore(saved is not None)
        self.store.set_meta(META_KEY, {
            "task": task, "labels": list(self._labels.values), "n_items": n,
            "ids": "given" if self._ids_given else "positions"})
        self.learner.on_refit(self._refits.refit_finished)
        self._advance()
        self.view.drawing = True
        self.refresh()  # the charts are state before the widget is displayed

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
            self._scoring = f"scoring: fitting on {len(answers)} stored labels"
        labeled = {pos for pos, _ in answers}
        skipped_keys = self.store.get_meta("skipped", []) if resumed else []
        self._skipped = {self._pos_of[k] for k in skipped_keys
                         if k in self._pos_of and self._pos_of[k] not in labeled}
        self._restore_errors()
        if orphans:
            self.view.update(status=self.view.status + (
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
            source = ("spot_check" if self._reason == "spot" and self.learner.model is not None
                      else "human")
            self.learner.teach([pos], [value], source=source)
            self._done.append(("label", pos, label))
            self._labeled.add(pos)
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
    def _advance(self) -> None:
        for _ in range(len(self._pool)):
            picked = self._queue.pick(skipped=self._skipped, labeled=self._labeled)
            if picked is None:
                break
            if self._show(*picked):
                self._redraw()
                return
        self._current = None
        self._suggestion = None
        self._task.clear(self._finished_text(
            "All items are labeled. session.labels has every label."))
        self.view.next_item()
        self._redraw()

    def _show(self, pos: int, reason: str) -> bool:
        """Show item ``pos``; False (and the item skipped) when it cannot be shown."""
        suggestion, note = explain(self.learner, self._labels, pos, reason,
                                   f"item {self._ids[pos]!r}")
        try:
            self._task.show(self._pool.get(pos), suggestion=suggestion, note=note)
        except (TypeError, ValueError, OSError) as error:
            self._cannot_show(pos, error)
            return False
        self._current, self._reason, self._suggestion = pos, reason, suggestion
        self.view.next_item()
        return True

    def _redraw(self) -> None:
        """Redraw the panel: counts, progress, the dashboard's lines and charts."""
        if self._closed:
            return
        counts = self.counts
        self.dashboard.show_counts(**counts)
        if self.learner.model is not None or not self.learner.n_human:
            self._scoring = ""
        self.view.update(
            counts=counts, progress=(counts["human"] + counts["auto"], len(self._pool)),
            lines=[line for line in (self._scoring, *self.dashboard.lines()) if line],
            charts=charts_from_stats(self.dashboard.stats, self.dashboard.names),
            pressed=["spot_check"] if self._queue.spot_mode else [])

    def _on_action(self, press: dict[str, Any]) -> None:
        if press["action"] == "spot_check":
            self.spot_check = not self.spot_check

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
            self.dashboard.spot_check = on
            self._redraw()

    @property
    def labels(self) -> pd.DataFrame:
        """Every label: human labels from the store, auto-labels from the learner.

        Columns ``id`` (the item's position or id), ``label``, ``source`` (``"human"`` or
        ``"auto"``) and ``score`` (the model's probability for auto-labels, NaN for human
        labels), ordered by item position.
        """
        answers, _ = self._stored_answers()
        human_pos = {pos for pos, _ in answers}
        rows = [(pos, self._task.learner_label(a), "human", np.nan) for pos, a in answers]
        auto = self.learner.auto_labels() if self.learner.threshold is not None else None
        if auto is not None:
            rows += [(int(i), lab, "auto", float(s))
                     for i, lab, s in zip(auto["id"], auto["label"], auto["score"], strict=True)
                     if int(i) not in human_pos]
        rows.sort(key=lambda row: row[0])
        return pd.DataFrame({
            "id": pd.Series([self._ids[r[0]] for r in rows],
                            dtype=object if self._ids_given else "int64"),
            "label": pd.Series([r[1] for r in rows], dtype=object),
            "source": pd.Series([r[2] for r in rows], dtype=object),
            "score": pd.Series([r[3] for r in rows], dtype="float64"),
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

    # -- display and lifetime --------------------------------------------------------------------
    def _stop(self) -> None:
        self._refits.close()  # a redraw under way ends first; later ones do nothing

    def __repr__(self) -> str:
        counts = self.counts
        return (f"Session({len(self._pool)} {self._pool.kind} items, {counts['human']} human, "
                f"{counts['auto']} auto, {counts['remaining']} remaining, "
                f"store={str(self.store.path)!r})")
