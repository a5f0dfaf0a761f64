"""Session and :func:`label`: an annotator, a live model, a store and a dashboard, together.

``Session(items, task=...)`` (or ``label(...)``) makes the session of the task:

* ``task="classify"`` (the default): one class per item, shown in a
  :class:`~nbannotate.ClassLabeler`, with a scikit-learn classifier over features in an
  :class:`~nbannotate.active.ActiveLearner` (:mod:`nbannotate.session._classify`);
* ``task="spans"`` (texts), ``"regions"`` (audio), ``"boxes"``, ``"keypoints"`` and
  ``"segment"`` (images): annotation records drawn in the item's annotator, with a
  structured model (:class:`~nbannotate.models.SpanTagger`,
  :class:`~nbannotate.models.FrameTagger`, :class:`~nbannotate.models.WindowDetector`,
  :class:`~nbannotate.models.KeypointLocator`, :class:`~nbannotate.models.PixelClassifier`,
  or any object with ``fit``/``predict``) whose records are drawn in as suggestions
  (:mod:`nbannotate.session._structured`; masks: :mod:`nbannotate.session._tasks_segment`).

Both commit every answer to the store before the next item appears, refit in a background
thread, show the item the model is least sure of next, and resume from the same store file.
Other tasks plug in with :func:`~nbannotate.session._tasks.register_task`.

Examples
--------
>>> from sklearn.datasets import load_digits
>>> digits = load_digits()
>>> session = label(digits.images / 16, labels=range(10), features=digits.data,
...                 store=tmp / "digits.db")  # doctest: +SKIP
>>> session.submit(7)                         # what pressing "7" does  # doctest: +SKIP
>>> spans = label(texts, task="spans", labels=["PER", "LOC"], store="ner.db")  # doctest: +SKIP
>>> spans.accept(); spans.submit()            # Enter on the suggestions, then Ctrl+Enter
... # doctest: +SKIP
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, TypeVar

from ..widget.mainloop import MainThread
from ._disagreements import review_session
from ._setup import ERRORS_KEY, SKIPPED_KEY, ItemPool, check_ids, open_store
from ._tasks import TASKS, ClassifyTask, TaskAdapter, is_structured, register_task
from ._team import TeamLink, team_settings

__all__ = ["ClassifyTask", "Session", "TaskAdapter", "label", "register_task"]


_CLASSIFY_ONLY = frozenset({"features", "strategy", "auto_label_precision",
                            "auto_label_threshold", "random_state", "learner_options"})
_STRUCTURED_ONLY = frozenset({"annotator_options"})

Entry = TypeVar("Entry")


def session_class(task: Any) -> type[Session]:
    """The session class of ``task`` (raises ValueError for an unknown task).

    The session kinds register themselves with :class:`Session` (``structured=`` in their
    class statement); :mod:`nbannotate.session` imports both.

    Examples
    --------
    >>> session_class("spans").__name__, session_class("classify").__name__
    ('StructuredSession', 'ClassifySession')
    """
    if not isinstance(task, str):
        raise TypeError(f"task must be a str, one of {sorted(TASKS)}, got {task!r}")
    if task not in TASKS:
        raise ValueError(f"task must be one of {sorted(TASKS)}, got {task!r}")
    return Session.kinds[is_structured(TASKS[task])]


class Session:
    """Label a pool of items with a live model and a durable store.

    ``Session(items, task=..., ...)`` returns the session of the task (a subclass); the
    parameters are those of :func:`label`.

    The base class holds what both kinds of session share, as its own state: the pool of
    items and their ids, the store, the item shown, the items skipped or that could not be
    shown, the lock that serialises answers, and closing. A subclass calls
    ``Session.__init__`` first, then :meth:`_open_store`, and supplies :meth:`_advance`
    (show the next item), :meth:`_remember_skip` (note a skip in its undo history) and
    :meth:`_stop` (stop its background work).

    The first item is checked when the session is made: when ``items[0]`` cannot be shown
    (a file that does not exist, data the annotator cannot draw), ``label()`` raises a
    ``ValueError`` (or ``TypeError``) that names it and says why. A later item that cannot
    be shown is skipped, never labeled: the session says so above the item ("2 items could
    not be shown (first: item 73: ...)"), :attr:`errors` tells why for each, and the
    finished message does not say that all items are labeled.

    Attributes
    ----------
    store : Store
    annotator : the task's annotator widget
    widget : AnnotatorWidget
        The whole labeling UI (what displaying the session shows): the task's annotator
        itself, one anywidget, with the session's panel (progress, message, buttons and
        their keys, dashboard charts) drawn under it. It is what ``display(session)`` shows
        in Jupyter front ends; in marimo, ``mo.ui.anywidget(session.widget)``.
    skipped : list
        Ids of the items skipped, by the person or because they could not be shown.
    errors : dict
        Id -> reason of every item that could not be shown (also in :attr:`skipped`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> session = Session(["Anna met Boris.", "Oslo is cold."], task="spans",
    ...                   labels=["PER", "LOC"], store=folder / "s.db")
    >>> isinstance(session, Session), type(session).__name__
    (True, 'StructuredSession')
    >>> session.skip(), session.skipped, session.current, session.errors
    (0, [0], 1, {})
    >>> session.close()

    An item that cannot be shown is skipped and reported, never labeled:

    >>> import numpy as np
    >>> from nbannotate.media.images import png_bytes
    >>> images = [folder / "first.png", folder / "missing.png"]
    >>> _ = images[0].write_bytes(png_bytes(np.zeros((8, 8), np.uint8)))
    >>> session = Session(images, labels=["a", "b"], features=np.eye(2),
    ...                   store=folder / "c.db", learner_options={"cv": 0})
    >>> _ = session.submit("a")
    >>> session.finished, session.skipped, list(session.errors)
    (True, [1], [1])
    >>> print(session.errors[1])  # doctest: +ELLIPSIS
    no image file at '.../missing.png'
    >>> session.close()
    """

    #: The session class of each kind of task, by ``is_structured(task)``.
    kinds: ClassVar[dict[bool, type[Session]]] = {}

    widget: Any
    store: Any
    _status: Any  # an ipywidgets.HTML line above the item (set by the subclass)

    def __init_subclass__(cls, *, structured: bool | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if structured is not None:
            Session.kinds[structured] = cls

    def __new__(cls, items: Any = None, *args: Any, task: str = "classify",
                **kwargs: Any) -> Session:
        if cls is Session:
            cls = session_class(task)
            structured = is_structured(TASKS[task])
            wrong = sorted(set(kwargs) & (_CLASSIFY_ONLY if structured else _STRUCTURED_ONLY))
            if wrong:
                raise TypeError(
                    f"{', '.join(wrong)}: not an option of task={task!r} ("
                    + ("features, strategy and the auto-label options are for whole-item "
                       "tasks such as 'classify'" if structured else
                       "annotator_options is for structured tasks such as 'spans'") + ")")
        return super().__new__(cls)

    def __init__(self, pool: ItemPool, ids: Any) -> None:
        self._main = MainThread()
        self._lock = threading.RLock()
        self._closed = False
        self._pool = pool
        n = len(pool)
        self._ids, self._keys = check_ids(ids, n)
        self._ids_given = ids is not None
        self._pos_of = {key: pos for pos, key in enumerate(self._keys)}
        self._team: TeamLink | None = None  # team mode: the shared queue (._team)
        self._shown: int | None = None
        self._skipped: set[int] = set()
        self._errors: dict[int, str] = {}  # position -> why it could not be shown
        self._owns_store = False
        self._review: Any = None  # review="disagreements": the annotators' versions

    def _attach_review(self, disputes: Any) -> None:
        """Review mode: show each item with the annotators' versions, store decisions as
        gold (see :mod:`._disagreements`); the item on screen is shown again with them."""
        with self._lock:
            self._review = disputes
            if self._current is not None:
                self._show(self._current, self._reason)

    def _open_store(self, store: Any, annotator: str | None,
                    team: dict[str, Any] | None = None) -> str:
        """Open (or take) the store, and join the team's shared queue in team mode (``team``:
        the team options of :func:`label`); returns the note that says where labels are
        saved."""
        settings = team_settings(team or {}, store=store, annotator=annotator,
                                 ids_given=self._ids_given)
        self.store, self._owns_store, note = open_store(store, annotator,
                                                        dataset=settings.dataset)
        if settings.on:
            assert annotator is not None
            try:
                self._team = TeamLink(self.store, annotator, self._keys, lease=settings.lease,
                                      overlap=settings.overlap,
                                      overlap_annotators=settings.overlap_annotators)
            except BaseException:
                if self._owns_store:
                    self.store.close()
                raise
            self.store = self._team.store
            self._team.on_message(lambda text: self._main.call(self._tell, text))
            note += (f" · team mode: labeling dataset {self._team.shared.dataset!r} as "
                     f"{annotator!r}")
        return note

    @property
    def team(self) -> TeamLink | None:
        """Team mode: this session's place in the shared queue (``team.progress()``: items
        and labels per minute of each annotator); None otherwise."""
        return self._team

    @property
    def _current(self) -> int | None:
        """Position of the item shown (None: nothing). In team mode, an item held and no
        longer shown goes back to the queue."""
        return self._shown

    @_current.setter
    def _current(self, pos: int | None) -> None:
        self._shown = pos
        if self._team is not None and not self._closed:
            self._team.showing(pos)

    def _tell(self, text: str) -> None:
        """Show ``text`` in the session's message line (on the main thread)."""
        if not self._closed and text:
            self._panel.set_line("status", text)

    def _team_idle(self) -> None:
        """Team mode, nothing on screen: ask the queue again (another annotator may have
        released an item, or the connection is back). Called from the team's background
        thread: the work is handed to the main thread."""
        if self._shown is not None or self._closed:
            return
        if self._main.has_loop and not self._main.on_main_thread():
            self._main.call(self._team_idle)
            return
        with self._lock:
            if not self._closed and self._shown is None:
                self._advance()

    # -- what is shown ---------------------------------------------------------------------------
    @property
    def current(self) -> Hashable | None:
        """Id of the item shown (its position, or its id from ``ids=``); None when finished."""
        with self._lock:
            return None if self._current is None else self._ids[self._current]

    @property
    def finished(self) -> bool:
        """True when no item is left to show."""
        return self._current is None

    @property
    def skipped(self) -> list[Hashable]:
        """Ids of the items skipped (they are not shown again)."""
        with self._lock:
            return [self._ids[p] for p in sorted(self._skipped)]

    def _require_current(self) -> int:
        if self._closed:
            raise RuntimeError("the session is closed")
        if self._current is None:
            raise RuntimeError("the session is finished: there is no item to label")
        return self._current

    def _position(self, item_id: Hashable) -> int:
        if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
            raise TypeError(f"item_id must be an item's id (str or int), got {item_id!r}")
        pos = self._pos_of.get(str(item_id))
        if pos is None or self._ids[pos] != item_id:
            raise ValueError(f"item_id {item_id!r} is not an item of this session")
        return pos

    @property
    def errors(self) -> dict[Hashable, str]:
        """Items that could not be shown (and were skipped): id -> the reason, in the order
        they were met. They are in :attr:`skipped` too."""
        with self._lock:
            return {self._ids[p]: reason for p, reason in self._errors.items()}

    def _check_first_item(self, show: Callable[[Any], Any]) -> None:
        """Raise a ValueError/TypeError naming ``items[0]`` when ``show(items[0])`` fails."""
        try:
            show(self._pool.get(0))
        except (TypeError, ValueError, OSError) as error:
            raise first_item_error(0, error) from error

    def _cannot_show(self, pos: int, error: BaseException) -> None:
        """Item ``pos`` cannot be shown: it is skipped, and the person is told why."""
        self._skipped.add(pos)
        self._errors[pos] = reason_of(error)
        self._save_skipped()
        self._save_errors()
        self._panel.set_line("status", self._errors_text())

    def _errors_text(self) -> str:
        """``"2 items could not be shown (first: item 73: reason)"``."""
        pos, reason = next(iter(self._errors.items()))
        n = len(self._errors)
        return (f"{n} item{'s' if n != 1 else ''} could not be shown (first: item "
                f"{self._ids[pos]!r}: {reason})")

    def _save_errors(self) -> None:
        self.store.set_meta(ERRORS_KEY, {self._keys[p]: r for p, r in self._errors.items()})

    def _restore_errors(self) -> None:
        """The reasons of the skipped items that could not be shown, read from the store
        (after :attr:`skipped` is restored)."""
        stored = self.store.get_meta(ERRORS_KEY, {}) or {}
        self._errors = {self._pos_of[k]: str(r) for k, r in stored.items()
                        if k in self._pos_of and self._pos_of[k] in self._skipped}
        if self._errors:
            self._panel.set_line("status", " · ".join(
                t for t in (self._panel.line("status"), self._errors_text()) if t))

    def _finished_text(self, done: str) -> str:
        """What the session says when no item is left: ``done`` ("All items are labeled.")
        only when no item was skipped because it could not be shown."""
        skipped = len(self._skipped) - len(self._errors)
        waiting = self._team.waiting_text() if self._team is not None else ""
        if waiting:  # team mode: items held by others may come back, or the store is away
            done = waiting
        if self._errors:
            text = (f"No item left to show: {self._errors_text()}; session.errors says why "
                    "for each.")
        else:
            text = done
        if skipped:
            text += f" {skipped} skipped item(s) were not labeled."
        return text

    # -- skip and undo ---------------------------------------------------------------------------
    def skip(self) -> Hashable:
        """Skip the item shown (it is not shown again); returns its id."""
        with self._lock:
            pos = self._require_current()
            self._skipped.add(pos)
            self._save_skipped()
            self._remember_skip(pos)
            self._advance()
            return self._ids[pos]

    def _unskip(self, pos: int) -> None:
        self._skipped.discard(pos)
        self._save_skipped()

    def _save_skipped(self) -> None:
        """Write the skipped items to the store (a subclass may do more)."""
        self.store.set_meta(SKIPPED_KEY, [self._keys[p] for p in sorted(self._skipped)])

    def _pop_undo(self, history: list[Entry]) -> Entry:
        """The last entry of ``history``, taken off it; the caller holds the lock."""
        if self._closed:
            raise RuntimeError("the session is closed")
        if not history:
            raise ValueError("nothing to undo")
        return history.pop()

    def _remember_skip(self, pos: int) -> None:
        raise NotImplementedError

    def _advance(self) -> None:
        raise NotImplementedError

    def _stop(self) -> None:
        """Stop the background work, before the widgets close."""

    # -- lifetime --------------------------------------------------------------------------------
    # -- several annotators ---------------------------------------------------------------------
    def agreement(self, kind: str | None = None, **options: Any) -> Any:
        """How far the annotators of this session's store (and dataset) agree: the
        :func:`nbannotate.agreement` DataFrames (``.pairs``, ``.per_label``, ...).

        Examples
        --------
        >>> session.agreement().pairs  # doctest: +SKIP
        """
        from ..agreement import agreement

        return agreement(self.store, kind, **options)

    @property
    def best_labels(self) -> Any:
        """The best answer per item among the annotators' (a reviewer's ``gold`` answer, then
        the majority vote, then the single answer; a tie has none): see
        :func:`nbannotate.agreement.best_answers`. Item ids as in :attr:`labels`.

        Examples
        --------
        >>> session.best_labels[["item_id", "label", "resolution"]]  # doctest: +SKIP
        """
        from ..agreement import best_answers

        best = best_answers(self.store.annotations())
        best["item_id"] = [self._ids[self._pos_of[str(key)]] if str(key) in self._pos_of
                           else key for key in best["item_id"]]
        return best

    def close(self) -> None:
        """Close the widgets and stop the background work (and close the store, when the
        session opened it)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._stop()
        if self._team is not None:
            self._team.close()
        if self._review is not None:
            self._review.store.close()
        self.widget.close()
        if self._owns_store:
            self.store.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)
        return bundle


def first_item_error(pos: int, error: BaseException) -> Exception:
    """The error ``label()`` raises when ``items[pos]``, the first item, cannot be shown.

    Examples
    --------
    >>> first_item_error(0, FileNotFoundError("no image file at 'a.png'"))
    ValueError("items[0] cannot be shown: no image file at 'a.png'")
    """
    kind = TypeError if isinstance(error, TypeError) else ValueError
    return kind(f"items[{pos}] cannot be shown: {reason_of(error)}")


_WIDGET_ARGUMENT = re.compile(r"^(item|image|audio|text): ")


def reason_of(error: BaseException) -> str:
    """Why an item cannot be shown: the annotator's message, without the name of its own
    argument (the session names the item itself).

    Examples
    --------
    >>> reason_of(FileNotFoundError("image: no image file at 'a.png'"))
    "no image file at 'a.png'"
    """
    return _WIDGET_ARGUMENT.sub("", str(error), count=1)


def label(items: Any, *, task: str = "classify", **options: Any) -> Session:
    """Start (or resume) labeling ``items`` with a live model: returns a :class:`Session`.

    Display the result to label.

    Parameters
    ----------
    items : sequence
        Images (arrays, bytes, paths), texts, audio clips ``(samples, rate)`` or WAV paths,
        or the rows of a DataFrame. An item is identified by its position, or by ``ids``.
    task : str
        ``"classify"`` (default: one class per item), ``"spans"`` (texts), ``"regions"``
        (audio), ``"boxes"``, ``"keypoints"`` or ``"segment"`` (masks and polygons; images);
        see :func:`~nbannotate.session._tasks.register_task` for more.
    labels : list, optional
        The classes (str or int) for ``"classify"``; the label names of the records
        otherwise (keypoint names for ``"keypoints"``). Optional when resuming from a store
        that has them.
    store : path, URL or Store, optional
        Where annotations are saved: an SQLite file, or a ``postgresql://user:password@host/db``
        URL (a team's shared database). Reopening the same store resumes the session.
        Default: a temporary file.
    ids : sequence of str or int, optional
        Item ids used in the store and in ``session.labels`` (default: positions). Required
        in team mode.
    annotator : str, optional
        Who is labeling (recorded in the store's history). With a PostgreSQL store it turns
        team mode on (below).
    dataset : str, optional
        Which dataset of the store (one database holds several; default ``"default"``).
    review : {"disagreements"}, optional
        Review mode: only the items whose annotators disagree (and that nobody decided
        yet), each shown with every annotator's version to accept, edit or replace; the
        answer is stored in the dataset as ``source="gold"`` with ``decided_by`` (the
        ``annotator``) and ``from``. Needs ``store`` (a path or URL), ``annotator`` and
        ``ids``; see :mod:`nbannotate.session._disagreements`.
    team : bool, optional
        Team mode: several notebooks label one dataset through a shared queue
        (:mod:`nbannotate.session._team`). ``None`` (default): on when ``annotator`` is given
        with a PostgreSQL store; ``True`` also shares an SQLite file between kernels of one
        machine. Each item shown is leased to this annotator while it is on screen (renewed in
        the background; it returns to the queue ``lease`` seconds after the kernel dies);
        items another annotator holds or finished are passed over; the model refits on
        everyone's labels; ``session.team.progress()`` gives each annotator's items and
        labels per minute.
    lease : float
        Team mode: seconds an item stays leased without renewal (default 600).
    overlap, overlap_annotators : float, int
        Team mode: the share of the items (0 to 1, default 0) labeled by
        ``overlap_annotators`` (default 2) different annotators, to measure agreement.
    model : optional
        ``"classify"``: a scikit-learn classifier with ``predict_proba`` (default
        ``LogisticRegression(max_iter=1000)``). Structured tasks: any object with
        ``fit(items, annotations)`` and ``predict(items)`` returning one list of records
        per item with ``source="model"`` and a ``score`` (default: the task's built-in model,
        :class:`~nbannotate.models.SpanTagger`, :class:`~nbannotate.models.FrameTagger`,
        :class:`~nbannotate.models.WindowDetector`,
        :class:`~nbannotate.models.KeypointLocator`,
        :class:`~nbannotate.models.PixelClassifier`). Item uncertainty comes from the
        model's ``uncertainty(items)`` when it has one, else from the records' scores. A
        model fitted beforehand gives suggestions from the first item on.
    features, strategy, auto_label_precision, auto_label_threshold, random_state, \
learner_options
        ``"classify"`` only: see :class:`~nbannotate.session._classify.ClassifySession`.
    annotator_options : dict, optional
        Structured tasks only: more keyword arguments of the annotator (``snap`` for
        spans, ``spectrogram`` for regions, ``skeleton`` and instance-box ``labels`` for
        keypoints, ``keypoint_labels`` and ``skeleton`` for boxes, ``brush_radius`` for
        segment).

    Raises
    ------
    ValueError, TypeError
        An argument is wrong (``ids`` missing in team mode is a TypeError), or the first
        item (``items[0]``) cannot be shown: the message
        names the argument (or ``items[0]``) and says why. A later item that cannot be shown
        is skipped and reported instead: :attr:`Session.errors` (id -> reason), and a line
        above the item.
    nbannotate.store.StoreConnectionError
        The PostgreSQL server cannot be reached or refuses the login: the message names the
        URL (password masked) and the cause.
    nbannotate.store.AnnotatorInUseError
        Team mode: another live session labels the dataset under the same annotator name.

    Notes
    -----
    In a structured session, **Ctrl+Enter** (Cmd+Enter) submits the item ("Done"),
    **Ctrl+Backspace** brings the previous item back, **Ctrl+Shift+S** skips the item; the
    annotator keeps its own keys (Enter accepts the selected suggestion, Delete rejects it,
    digits pick labels, Ctrl+Z undoes an edit). Auto-accept (the panel's button, or
    ``session.auto_accept(threshold)``) runs only when asked.

    Examples
    --------
    Whole items (display ``digits`` to label them with the keys 0–9):

    >>> import pathlib, tempfile
    >>> from sklearn.datasets import load_digits
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> data = load_digits()
    >>> digits = label(data.images[:40] / 16, labels=range(10), features=data.data[:40],
    ...                store=folder / "digits.db")
    >>> shown = digits.current               # the item on screen
    >>> _ = digits.submit(int(data.target[shown]))   # what pressing its key does
    >>> digits.labels[["label", "source"]]   # every label with its source and score
      label source
    0     0  human
    >>> digits.close()

    Entity spans (highlight them with the mouse, then Ctrl+Enter):

    >>> ner = label(["Anna met Boris.", "Oslo is cold."], task="spans",
    ...             labels=["PER", "LOC"], store=folder / "ner.db")
    >>> _ = ner.submit([{"start": 0, "end": 4, "label": "PER"}])
    >>> row = ner.labels.iloc[0]             # origin: human / accepted / auto
    >>> row["text"], row["label"], row["origin"]
    ('Anna', 'PER', 'human')
    >>> ner.close()

    A team (here two kernels on one machine; with ``store="postgresql://..."`` the same call
    works across machines, without ``team=True``):

    >>> ids = [f"digit-{i}" for i in range(40)]
    >>> ana = label(data.images[:40] / 16, labels=range(10), features=data.data[:40],
    ...             store=folder / "team.db", annotator="ana", ids=ids, team=True)
    >>> bo = label(data.images[:40] / 16, labels=range(10), features=data.data[:40],
    ...            store=folder / "team.db", annotator="bo", ids=ids, team=True)
    >>> ana.current != bo.current            # never the same item at once
    True
    >>> shown = bo.current
    >>> _ = bo.submit(int(data.target[ids.index(shown)]))
    >>> bo.labels[["id", "annotator"]].values.tolist() == [[shown, "bo"]]
    True
    >>> ana.close(); bo.close()
    """
    if options.get("review") is not None:
        return review_session(Session, items, task=task, **options)
    options.pop("review", None)
    return Session(items, task=task, **options)
