"""The classes of a labeling task: their values, the names shown and stored, their keys.

Labels may be strings or integers (``labels=range(10)`` for digits). Records store label
*names* (strings); the learner and :attr:`Session.labels` use the *values* the caller gave.

Examples
--------
>>> ls = LabelSet([0, 1, 2])
>>> ls.names, ls.keys
(('0', '1', '2'), ('0', '1', '2'))
>>> ls.parse("2"), ls.parse(2)
(2, 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from typing import Any

import numpy as np

__all__ = ["LabelSet", "label_names"]

_DIGITS = "1234567890"


class LabelSet:
    """An ordered set of class labels with their display names and keyboard keys.

    Parameters
    ----------
    labels : iterable of str or int
        Every class, in the order of the buttons. Names (``str(label)``) must be unique and
        non-empty.
    name : str
        The argument's name, for error messages.

    Notes
    -----
    Keys: when every name is a single distinct digit (``"0"``..``"9"``, e.g. the digits
    dataset), each label's key is its own name; otherwise the first nine labels get the keys
    ``1``..``9`` and the tenth ``0``; later labels have no key (use the buttons).

    Examples
    --------
    >>> LabelSet(["cat", "dog"]).keys
    ('1', '2')
    """

    def __init__(self, labels: Iterable[Any], *, name: str = "labels") -> None:
        if labels is None or isinstance(labels, (str, bytes)) or not isinstance(labels, Iterable):
            raise TypeError(f"{name} must be a list of class labels (str or int), got "
                            f"{labels!r}")
        values: list[str | int] = []
        for value in labels:
            if isinstance(value, np.generic):
                value = value.item()
            if isinstance(value, bool) or not isinstance(value, (str, Integral)):
                raise TypeError(f"{name} must contain str or int labels, got {value!r} "
                                f"({type(value).__name__})")
            if isinstance(value, str) and not value.strip():
                raise ValueError(f"{name} contains an empty label name {value!r}")
            values.append(value if isinstance(value, str) else int(value))
        if not values:
            raise ValueError(f"{name} is empty: expected the list of classes, e.g. "
                             "['cat', 'dog']")
        names = [str(v) for v in values]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"{name} lists {', '.join(map(repr, dupes))} more than once "
                             "(names compared as text)")
        self.values: tuple[str | int, ...] = tuple(values)
        self.names: tuple[str, ...] = tuple(names)
        single_digits = all(len(n) == 1 and n.isdigit() for n in names)
        if single_digits:
            self.keys: tuple[str | None, ...] = tuple(names)
        else:
            self.keys = tuple(_DIGITS[i] if i < len(_DIGITS) else None
                              for i in range(len(names)))
        self._index_of_name = {n: i for i, n in enumerate(names)}
        self._index_of_key = {k: i for i, k in enumerate(self.keys) if k is not None}

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"LabelSet({list(self.values)!r})"

    def index(self, label: Any, *, name: str = "label") -> int:
        """Position of ``label`` (a value or its name); ValueError naming the known labels."""
        if isinstance(label, np.generic):
            label = label.item()
        if isinstance(label, bool) or not isinstance(label, (str, Integral)):
            raise TypeError(f"{name} must be one of {list(self.values)!r}, got {label!r} "
                            f"({type(label).__name__})")
        found = self._index_of_name.get(str(label))
        if found is None:
            raise ValueError(f"{name} {label!r} is not one of the labels {list(self.values)!r}")
        return found

    def parse(self, label: Any, *, name: str = "label") -> str | int:
        """The label value for ``label`` given as a value or as its name."""
        return self.values[self.index(label, name=name)]

    def name_of(self, label: Any) -> str:
        """The stored name of ``label``."""
        return self.names[self.index(label)]

    def index_of_key(self, key: str) -> int | None:
        """Position of the label whose key is ``key``, or None."""
        return self._index_of_key.get(key)

    def covers(self, names: Iterable[str]) -> list[str]:
        """The names in ``names`` that are not labels of this set."""
        return [n for n in names if n not in self._index_of_name]


def label_names(value: Any, name: str = "labels", *, required: bool = True) -> list[str]:
    """The label names an annotator or a task takes: distinct non-empty strings, in order.

    Parameters
    ----------
    value : iterable of str or None
        The names. ``None`` means none (an error when ``required``).
    name : str
        The argument's name, for error messages.
    required : bool
        At least one name must be given.

    Examples
    --------
    >>> label_names(("cat", "dog"))
    ['cat', 'dog']
    >>> label_names(None, "keypoint_labels", required=False)
    []
    >>> label_names(["a", "a"])
    Traceback (most recent call last):
    ...
    ValueError: labels has duplicates: ['a', 'a']
    """
    if value is None:
        if required:
            raise TypeError(f"{name} must be a list of label names, got None")
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of strings, got {type(value).__name__}")
    out = list(value)
    if required and not out:
        raise ValueError(f"{name} must name at least one label, got []")
    for item in out:
        if not isinstance(item, str) or not item:
            raise TypeError(f"{name} must be a list of non-empty strings, got {item!r}")
    if len(set(out)) != len(out):
        raise ValueError(f"{name} has duplicates: {out}")
    return out
