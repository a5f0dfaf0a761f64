"""The best answer per item when several annotators labeled it: a reviewer's gold answer,
then the majority vote, then the single answer there is.

:func:`best_answers` reads the store's annotations (:meth:`nbannotate.Store.annotations`, or
any DataFrame with ``item_id``, ``label``, ``source``, ``annotator`` and ``record`` columns) and
returns one row per item with the answer and how it was chosen (``resolution``):

* ``"gold"``: a reviewer decided (records with ``source="gold"``); their records win;
* ``"majority"``: more annotators gave this label than any other (whole-item labels), or
  every annotator drew the same records (drawn records);
* ``"single"``: one annotator labeled the item;
* ``"tie"``: whole-item labels with no majority, or drawn records that differ between
  annotators: no answer (``label`` None, ``records`` empty) until a reviewer decides
  (``label(..., review="disagreements")``).

Model suggestions (``source="model"``) never count; auto-labels count as one more answer.

Examples
--------
>>> import pandas as pd
>>> rows = [("a", "cat", "human", "ana"), ("a", "cat", "human", "bo"), ("a", "dog", "human", "cy"),
...         ("b", "dog", "human", "ana"), ("b", "cat", "human", "bo"),
...         ("b", "cat", "gold", "rev"), ("c", "dog", "human", "ana")]
>>> frame = pd.DataFrame([{"item_id": i, "label": l, "source": s, "annotator": a,
...                        "kind": "class", "record": {"id": "class", "label": l, "source": s}}
...                       for i, l, s, a in rows])
>>> best_answers(frame)[["item_id", "label", "resolution", "n_annotators"]]
  item_id label resolution  n_annotators
0       a   cat   majority             3
1       b   cat       gold             2
2       c   dog     single             1
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pandas as pd

__all__ = ["RESOLUTIONS", "best_answers"]

RESOLUTIONS = ("gold", "majority", "single", "tie")

_REQUIRED = ("item_id", "label", "source", "annotator", "record")


def _signature(record: dict[str, Any]) -> str:
    """A record's content without its id and provenance (two annotators' equal answers)."""
    content = {k: v for k, v in record.items()
               if k not in ("id", "source", "score", "decided_by", "from")}
    return json.dumps(content, sort_keys=True, default=str)


def best_answers(annotations: pd.DataFrame) -> pd.DataFrame:
    """One row per item: the best answer among its annotators' (see the module's rules).

    Parameters
    ----------
    annotations : DataFrame
        The store's annotations (:meth:`nbannotate.Store.annotations`): columns
        ``item_id``, ``label``, ``source``, ``annotator`` and ``record`` (and ``kind``).

    Returns
    -------
    DataFrame
        Columns ``item_id``, ``label`` (the whole-item label; None for drawn records or a
        tie), ``records`` (the records of the answer), ``resolution`` (one of
        :data:`RESOLUTIONS`), ``n_annotators`` (how many people answered, the reviewer not
        counted) and ``decided_by`` (the reviewer, for gold). Items in store order.

    Raises
    ------
    TypeError
        ``annotations`` is not a DataFrame.
    ValueError
        A required column is missing.

    Examples
    --------
    >>> best_answers(pd.DataFrame(columns=list(_REQUIRED))).shape
    (0, 6)
    """
    if not isinstance(annotations, pd.DataFrame):
        raise TypeError(f"annotations must be a DataFrame (Store.annotations()), got "
                        f"{type(annotations).__name__}")
    missing = [c for c in _REQUIRED if c not in annotations.columns]
    if missing:
        raise ValueError(f"annotations must have the columns {list(_REQUIRED)}; missing "
                         f"{missing}")
    rows: list[dict[str, Any]] = []
    answers = annotations[annotations["source"] != "model"]
    for item_id, group in answers.groupby("item_id", sort=False):
        rows.append(_best_of(item_id, group))
    columns = ["item_id", "label", "records", "resolution", "n_annotators", "decided_by"]
    return pd.DataFrame({name: pd.Series([row[name] for row in rows],
                                         dtype="int64" if name == "n_annotators" else object)
                         for name in columns})


def _best_of(item_id: Any, group: pd.DataFrame) -> dict[str, Any]:
    whole = "kind" in group.columns and set(group["kind"]) <= {"class", "classes"}
    gold = group[group["source"] == "gold"]
    people = group[group["source"] != "gold"]
    n_people = int(people["annotator"].fillna("").nunique())
    row: dict[str, Any] = {"item_id": item_id, "label": None, "records": [],
                           "resolution": "tie", "n_annotators": n_people, "decided_by": None}
    if len(gold):
        records = [dict(r) for r in gold["record"]]
        row.update(records=records, resolution="gold",
                   decided_by=records[0].get("decided_by"),
                   label=records[0].get("label") if whole else None)
        return row
    by_annotator: dict[Any, list[dict[str, Any]]] = {}
    for who, record in zip(people["annotator"].fillna(""), people["record"], strict=True):
        by_annotator.setdefault(who, []).append(dict(record))
    if whole:
        votes = Counter(_signature(records[0]) for records in by_annotator.values())
        ranked = votes.most_common()
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            winner = next(records for records in by_annotator.values()
                          if _signature(records[0]) == ranked[0][0])
            row.update(records=winner, label=winner[0].get("label"),
                       resolution="single" if n_people <= 1 else "majority")
        return row
    answers = {tuple(sorted(_signature(r) for r in records))
               for records in by_annotator.values()}
    if len(answers) == 1:  # one annotator, or every annotator drew the same records
        row.update(records=next(iter(by_annotator.values())),
                   resolution="single" if n_people <= 1 else "majority")
    return row
