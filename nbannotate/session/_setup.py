"""Checks and helpers behind :class:`~nbannotate.session.Session`: the pool of items, item ids,
the model, features, the store and its saved session settings, progress bars.

Every check raises a ``TypeError``/``ValueError`` naming the argument, the value and what was
expected.

Examples
--------
>>> pool = ItemPool(["a text", "another text"])
>>> len(pool), pool.kind, pool.get(1)
(2, 'text', 'another text')
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Hashable, Sequence
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np

from ..classify.item_view import item_kind
from ..store import Store
from ..widget.labels import LabelSet

__all__ = [
    "ERRORS_KEY",
    "META_KEY",
    "SKIPPED_KEY",
    "ItemPool",
    "Progress",
    "check_features",
    "check_ids",
    "check_model",
    "open_store",
    "resolve_labels",
    "stored_answers",
]

META_KEY = "session"  # meta: the session's task, labels, number of items, kind of ids
SKIPPED_KEY = "skipped"  # meta: the keys of the items skipped
ERRORS_KEY = "errors"  # meta: {item key: why it could not be shown}


class ItemPool:
    """Random access to the items of a session: a list, a numpy array (first axis), a pandas
    DataFrame (rows) or Series (values), or any sequence.

    The kind of item (image, text, audio, row) is read from the first item.
    """

    def __init__(self, items: Any) -> None:
        if items is None or isinstance(items, (str, bytes)):
            raise TypeError(f"items must be a sequence of items (list, array, DataFrame), got "
                            f"{type(items).__name__}")
        module = type(items).__module__
        if module.startswith("pandas") and hasattr(items, "iloc"):
            self._get = items.iloc.__getitem__
            self._frame = items if hasattr(items, "columns") else None
        elif hasattr(items, "__len__") and hasattr(items, "__getitem__"):
            self._get = items.__getitem__
            self._frame = None
        else:
            raise TypeError(f"items must be a sequence of items (list, array, DataFrame), got "
                            f"{type(items).__name__}")
        self.items = items
        self.n = len(items)
        if self.n == 0:
            raise ValueError("items is empty: expected at least one item to label")
        self.kind = item_kind(self.get(0), name="items[0]")

    def __len__(self) -> int:
        return self.n

    def get(self, position: int) -> Any:
        """The item at ``position``."""
        return self._get(int(position))

    def sequence(self) -> Any:
        """The items as something featurizers index by position."""
        if self._frame is not None:
            return self._frame
        return _Indexed(self)


class _Indexed(Sequence[Any]):
    def __init__(self, pool: ItemPool) -> None:
        self._pool = pool

    def __len__(self) -> int:
        return self._pool.n

    def __getitem__(self, index: Any) -> Any:
        return self._pool.get(index)


def check_ids(ids: Any, n: int) -> tuple[list[Hashable], list[str]]:
    """Public ids and store keys of the items (positions when ``ids`` is None).

    Examples
    --------
    >>> check_ids(None, 2)
    ([0, 1], ['0', '1'])
    >>> check_ids(["a", 7], 2)
    (['a', 7], ['a', '7'])
    """
    if ids is None:
        return list(range(n)), [str(i) for i in range(n)]
    if isinstance(ids, (str, bytes)) or not hasattr(ids, "__len__"):
        raise TypeError(f"ids must be a sequence with one id (str or int) per item, got "
                        f"{type(ids).__name__}")
    if len(ids) != n:
        raise ValueError(f"ids has {len(ids)} entries but items has {n}: expected one id per "
                         "item")
    values = ids.tolist() if hasattr(ids, "tolist") else list(ids)
    public: list[Hashable] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (str, Integral)):
            raise TypeError(f"ids[{index}] is {value!r} ({type(value).__name__}); expected a "
                            "str or an int")
        if isinstance(value, str) and not value:
            raise ValueError(f"ids[{index}] is an empty string; expected a non-empty id")
        public.append(value if isinstance(value, str) else int(value))
    keys = [str(v) for v in public]
    if len(set(keys)) != n:
        dupes = sorted(k for k, count in Counter(keys).items() if count > 1)
        raise ValueError(f"ids are not unique: {dupes[:10]} appear more than once")
    return public, keys


def check_model(model: Any) -> Any:
    """The estimator of a session: a scikit-learn classifier with ``predict_proba``.

    ``None`` gives ``LogisticRegression(max_iter=1000)``.
    """
    if model is None:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000)
    if isinstance(model, type):
        raise TypeError(f"model must be an estimator instance, got the class {model.__name__}; "
                        f"write {model.__name__}()")
    missing = [name for name in ("fit", "predict_proba") if not hasattr(model, name)]
    if missing:
        raise TypeError(f"model {model!r} has no {' or '.join(missing)}: expected a "
                        "scikit-learn classifier with predict_proba (e.g. LogisticRegression(), "
                        "SVC(probability=True))")
    return model


def check_features(features: Any, n: int) -> Any:
    """A features matrix with one row per item."""
    if isinstance(features, (str, bytes)):
        raise TypeError(f"features must be a matrix (array, sparse matrix or DataFrame) with one "
                        f"row per item, got a {type(features).__name__}")
    if hasattr(features, "shape") and len(getattr(features, "shape", ())) >= 1:
        rows = int(features.shape[0])
    elif hasattr(features, "__len__"):
        rows = len(features)
    else:
        raise TypeError(f"features must be a matrix with one row per item, got "
                        f"{type(features).__name__}")
    if rows != n:
        raise ValueError(f"features has {rows} rows but items has {n}: expected one row of "
                         "features per item")
    if not hasattr(features, "shape"):
        features = np.asarray(features)
    return features


def open_store(store: Any, annotator: str | None,
               dataset: str | None = None) -> tuple[Store, bool, str]:
    """The session's store (on ``dataset``), whether the session opened it, and a note for
    the person."""
    if isinstance(store, Store):
        return store, False, f"labels are saved to {store.path}"
    if store is None:
        path = Path(tempfile.mkdtemp(prefix="nbannotate-")) / "labels.db"
        return (Store(path, annotator=annotator, dataset=dataset), True,
                f"labels are saved to {path} (a temporary file: pass store='name.db' to keep "
                "them)")
    if isinstance(store, (str, os.PathLike)):
        opened = Store(store, annotator=annotator, dataset=dataset)
        return opened, True, f"labels are saved to {opened.path}"
    raise TypeError(f"store must be a file path or a nbannotate Store, got "
                    f"{type(store).__name__}")


def resolve_labels(labels: Any, saved: dict[str, Any] | None, task: str,
                   store_path: Path) -> LabelSet:
    """The session's labels (from the store's saved settings when ``labels`` is None); the
    store must hold a session of the same task."""
    if saved is not None and saved.get("task") != task:
        raise ValueError(f"the store {str(store_path)!r} holds a task={saved.get('task')!r} "
                         f"session, not task={task!r}: use another store file")
    if labels is None:
        if saved is None or not saved.get("labels"):
            raise ValueError("labels is required: the list of classes, e.g. labels=['cat', "
                             "'dog'] (the store has none saved)")
        labels = saved["labels"]
    return LabelSet(labels)


class Progress:
    """A progress bar shown in the notebook while the session is being built (nothing outside
    a kernel)."""

    def __init__(self, description: str, total: int) -> None:
        self.bar: Any = None
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover - IPython comes with ipywidgets
            shell = None
        if shell is None or getattr(shell, "kernel", None) is None:
            return
        import ipywidgets as widgets
        from IPython.display import display

        self.bar = widgets.IntProgress(value=0, min=0, max=max(1, total),
                                       description=description,
                                       style={"description_width": "initial"})
        display(self.bar)

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.max = max(1, total)
            self.bar.value = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def stored_answers(store: Store, task: Any, pos_of: dict[str, int],
                   labels: LabelSet) -> tuple[list[tuple[int, Any]], int]:
    """(position, answer) of every answer the store holds for this task's records, oldest
    change first, and the number of stored items that are not in the pool.

    Raises ValueError when a stored label is not among ``labels``.
    """
    table = store.annotations()
    table = table[table["kind"] == task.record_kind]
    if table.empty:
        return [], 0
    table = table.sort_values("updated_at", kind="stable")
    answers: list[tuple[int, Any]] = []
    orphans = 0
    unknown: set[str] = set()
    for key, group in table.groupby("item_id", sort=False):
        pos = pos_of.get(str(key))
        if pos is None:
            orphans += 1
            continue
        try:
            answer = task.answer_from_records(list(group["record"]))
        except ValueError:
            unknown.update(str(r.get("label")) for r in group["record"])
            continue
        if answer is not None:
            answers.append((pos, answer))
    missing = labels.covers(sorted(unknown))
    if missing:
        raise ValueError(f"labels must include every label used in the store "
                         f"{str(store.path)!r}: {missing} missing from {list(labels.values)!r}")
    return answers, orphans
