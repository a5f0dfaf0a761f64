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

from typing import Any

from ._tasks import TASKS, ClassifyTask, TaskAdapter, is_structured, register_task

__all__ = ["ClassifyTask", "Session", "TaskAdapter", "label", "register_task"]


_CLASSIFY_ONLY = frozenset({"features", "strategy", "auto_label_precision",
                            "auto_label_threshold", "random_state", "learner_options"})
_STRUCTURED_ONLY = frozenset({"annotator_options"})


def session_class(task: Any) -> type[Session]:
    """The session class of ``task`` (raises ValueError for an unknown task).

    Examples
    --------
    >>> session_class("spans").__name__, session_class("classify").__name__
    ('StructuredSession', 'ClassifySession')
    """
    if not isinstance(task, str):
        raise TypeError(f"task must be a str, one of {sorted(TASKS)}, got {task!r}")
    if task not in TASKS:
        raise ValueError(f"task must be one of {sorted(TASKS)}, got {task!r}")
    if is_structured(TASKS[task]):
        from ._structured import StructuredSession

        return StructuredSession
    from ._classify import ClassifySession

    return ClassifySession


class Session:
    """Label a pool of items with a live model and a durable store.

    ``Session(items, task=..., ...)`` returns the session of the task (a subclass); the
    parameters are those of :func:`label`.

    Attributes
    ----------
    store : Store
    annotator : the task's annotator widget
    widget : ipywidgets.VBox
        The whole labeling UI (what displaying the session shows).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> session = Session(["Anna met Boris.", "Oslo is cold."], task="spans",
    ...                   labels=["PER", "LOC"], store=folder / "s.db")
    >>> isinstance(session, Session), type(session).__name__
    (True, 'StructuredSession')
    >>> session.close()
    """

    widget: Any

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

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)
        return bundle


def close_tree(widget: Any) -> None:
    """Close a widget and everything inside it."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


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
    store : path or Store, optional
        Where annotations are saved (SQLite). Reopening the same file resumes the session.
        Default: a temporary file.
    ids : sequence of str or int, optional
        Item ids used in the store and in ``session.labels`` (default: positions).
    annotator : str, optional
        Who is labeling (recorded in the store's history).
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
    """
    return Session(items, task=task, **options)
