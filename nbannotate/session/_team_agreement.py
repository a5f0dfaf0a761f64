"""The agreement line of a team session's panel: how far the annotators of the dataset agree,
in one figure per kind of record (:func:`nbannotate.agreement`), refreshed after refits.

Examples
--------
>>> import pathlib, tempfile
>>> from nbannotate.store import Store
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.db"
>>> for who, answers in (("ana", "aab"), ("bo", "abb")):
...     with Store(path, annotator=who) as s:
...         for item, answer in enumerate(answers):
...             _ = s.replace(str(item), [{"id": "class", "label": answer}], kind="class",
...                           own=True)
>>> with Store(path) as store:
...     agreement_line(store)
"agreement: Krippendorff's alpha 0.44 on 3 items labeled by 2 annotators"
"""

from __future__ import annotations

import math
from typing import Any

from ..agreement import agreement

__all__ = ["agreement_line"]


def _figure(value: Any) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.2f}"


def agreement_line(store: Any) -> str:
    """One line on the annotators' agreement in ``store`` (empty with fewer than two)."""
    try:
        result = agreement(store)
    except (TypeError, ValueError):  # no records yet, or no two annotators to compare
        return ""
    overall = result.overall
    people = int(overall.get("annotators", 0))
    if people < 2:
        return ""
    if result.kind in ("class", "classes"):
        items = int(overall.get("items", 0))
        if not items:
            return ""
        return (f"agreement: Krippendorff's alpha {_figure(overall.get('krippendorff_alpha'))} "
                f"on {items} items labeled by {people} annotators")
    if result.kind == "span":
        return (f"agreement: overlap F1 {_figure(overall.get('overlap_f1'))}, exact F1 "
                f"{_figure(overall.get('exact_f1'))} between {people} annotators")
    if result.kind == "keypoint":
        return f"agreement: mean OKS {_figure(overall.get('mean_oks'))} between {people} annotators"
    return (f"agreement: F1 {_figure(overall.get('f1'))} at IoU ≥ 0.5, mean IoU "
            f"{_figure(overall.get('mean_iou'))} between {people} annotators")
