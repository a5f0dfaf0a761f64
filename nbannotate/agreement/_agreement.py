"""``agreement()``: how far annotators agree, per pair of annotators and per label."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import combinations
from typing import Any, NamedTuple

import pandas as pd

from ._input import Row, read_annotations
from ._labels import cohen_kappa, fleiss_kappa, krippendorff_alpha
from ._match import match
from ._similarity import box_iou, interval_iou, mask_iou, oks, oks_terms, polygon_iou

Records = dict[str, dict[str, list[dict[str, Any]]]]  # item -> annotator -> records


class Agreement(NamedTuple):
    """What :func:`agreement` returns.

    Attributes
    ----------
    kind : str
        The kind of records compared.
    pairs : pandas.DataFrame
        One row per pair of annotators (``annotator_a`` < ``annotator_b``).
    labels : pandas.DataFrame
        One row per label (per keypoint name for keypoints).
    overall : dict
        Figures over every annotator at once.
    """

    kind: str
    pairs: pd.DataFrame
    labels: pd.DataFrame
    overall: dict[str, float]


def _grouped(rows: list[Row]) -> Records:
    table: Records = defaultdict(lambda: defaultdict(list))
    for item, who, record in rows:
        table[item][who].append(record)
    return table


def _annotators(table: Records) -> list[str]:
    return sorted({who for by in table.values() for who in by})


def _category(label: Any) -> Hashable:
    return tuple(sorted(label)) if isinstance(label, (list, tuple)) else label


def _members(label: Any) -> list[Any]:
    return list(label) if isinstance(label, (list, tuple)) else [label]


# -- whole-item labels ---------------------------------------------------------------------

def _class_agreement(table: Records) -> Agreement:
    ratings = {item: {who: _category(records[-1]["label"]) for who, records in by.items()}
               for item, by in table.items()}
    people = _annotators(table)
    pair_rows = []
    for a, b in combinations(people, 2):
        both = [r for r in ratings.values() if a in r and b in r]
        first, second = [r[a] for r in both], [r[b] for r in both]
        same = sum(x == y for x, y in zip(first, second, strict=True))
        pair_rows.append({"annotator_a": a, "annotator_b": b, "items": len(both),
                          "observed": same / len(both) if both else math.nan,
                          "cohen_kappa": cohen_kappa(first, second)})
    names: list[Any] = []
    for by in table.values():
        for records in by.values():
            for name in _members(records[-1]["label"]):
                if name not in names:
                    names.append(name)
    label_rows = []
    for name in names:
        binary = {item: {who: name in _members(records[-1]["label"])
                         for who, records in by.items()} for item, by in table.items()}
        kappas = [cohen_kappa([r[a] for r in binary.values() if a in r and b in r],
                              [r[b] for r in binary.values() if a in r and b in r])
                  for a, b in combinations(people, 2)]
        defined = [k for k in kappas if not math.isnan(k)]
        label_rows.append({
            "label": name,
            "items": sum(1 for r in binary.values() if len(r) >= 2),
            "ratings": sum(v for r in binary.values() if len(r) >= 2 for v in r.values()),
            "fleiss_kappa": fleiss_kappa(binary),
            "krippendorff_alpha": krippendorff_alpha(binary),
            "mean_cohen_kappa": sum(defined) / len(defined) if defined else math.nan})
    shared = [r for r in ratings.values() if len(r) >= 2]
    overall = {"annotators": float(len(people)), "items": float(len(shared)),
               "fleiss_kappa": fleiss_kappa(ratings),
               "krippendorff_alpha": krippendorff_alpha(ratings)}
    return Agreement("class", _frame(pair_rows, ["annotator_a", "annotator_b", "items",
                                                 "observed", "cohen_kappa"]),
                     _frame(label_rows, ["label", "items", "ratings", "fleiss_kappa",
                                         "krippendorff_alpha", "mean_cohen_kappa"]), overall)


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


# -- matched records -------------------------------------------------------------------------

class _Tally:
    """Counts of one matching, added up over items (per pair or per label)."""

    def __init__(self) -> None:
        self.a = self.b = self.matched = 0
        self.similarity = 0.0

    def add(self, a: int, b: int, sims: Sequence[float]) -> None:
        self.a += a
        self.b += b
        self.matched += len(sims)
        self.similarity += sum(sims)

    def f1(self) -> float:
        return 2.0 * self.matched / (self.a + self.b) if self.a + self.b else math.nan

    def mean(self) -> float:
        return self.similarity / self.matched if self.matched else math.nan


def _match_records(table: Records, similarity: Callable[[Any, Any], float], threshold: float,
                   strict: bool = False
                   ) -> tuple[dict[tuple[str, str], tuple[_Tally, int]], dict[Any, _Tally]]:
    people = _annotators(table)
    pairs: dict[tuple[str, str], tuple[_Tally, int]] = {}
    per_label: dict[Any, _Tally] = defaultdict(_Tally)
    for a, b in combinations(people, 2):
        tally, items = _Tally(), 0
        for by in table.values():
            if a not in by or b not in by:
                continue
            items += 1
            first, second = by[a], by[b]
            found = match(first, second, similarity, threshold, strict=strict)
            tally.add(len(first), len(second), [s for _, _, s in found])
            names = {r["label"] for r in first} | {r["label"] for r in second}
            for name in names:
                mine = [s for i, _, s in found if first[i]["label"] == name]
                per_label[name].add(sum(r["label"] == name for r in first),
                                    sum(r["label"] == name for r in second), mine)
        pairs[(a, b)] = (tally, items)
    return pairs, per_label


def _shape_agreement(kind: str, table: Records, threshold: float) -> Agreement:
    similarity = {"box": box_iou, "polygon": polygon_iou, "mask": mask_iou,
                  "region": interval_iou}[kind]
    pairs, per_label = _match_records(table, similarity, threshold)
    pair_rows = [{"annotator_a": a, "annotator_b": b, "items": items, "records_a": t.a,
                  "records_b": t.b, "matched": t.matched, "f1": t.f1(), "mean_iou": t.mean()}
                 for (a, b), (t, items) in pairs.items()]
    label_rows = [{"label": name, "records": t.a + t.b, "matched": t.matched, "f1": t.f1(),
                   "mean_iou": t.mean()} for name, t in per_label.items()]
    total = _Tally()
    for tally, _ in pairs.values():
        total.add(tally.a, tally.b, [])
        total.matched += tally.matched
        total.similarity += tally.similarity
    overall = {"annotators": float(len(_annotators(table))), "f1": total.f1(),
               "mean_iou": total.mean(), "threshold": float(threshold)}
    return Agreement(kind, _frame(pair_rows, ["annotator_a", "annotator_b", "items",
                                              "records_a", "records_b", "matched", "f1",
                                              "mean_iou"]),
                     _frame(label_rows, ["label", "records", "matched", "f1", "mean_iou"]),
                     overall)


def _exact(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    return float(a["start"] == b["start"] and a["end"] == b["end"])


def _span_agreement(table: Records) -> Agreement:
    exact_pairs, exact_labels = _match_records(table, _exact, 1.0)
    overlap_pairs, overlap_labels = _match_records(table, interval_iou, 0.0, strict=True)
    pair_rows = []
    for key, (exact, items) in exact_pairs.items():
        overlap = overlap_pairs[key][0]
        pair_rows.append({"annotator_a": key[0], "annotator_b": key[1], "items": items,
                          "spans_a": exact.a, "spans_b": exact.b,
                          "exact_matches": exact.matched, "exact_f1": exact.f1(),
                          "overlap_matches": overlap.matched, "overlap_f1": overlap.f1(),
                          "mean_overlap_iou": overlap.mean()})
    label_rows = [{"label": name, "spans": t.a + t.b, "exact_f1": t.f1(),
                   "overlap_f1": overlap_labels[name].f1(),
                   "mean_overlap_iou": overlap_labels[name].mean()}
                  for name, t in exact_labels.items()]
    overall = {"annotators": float(len(_annotators(table))),
               "exact_f1": _pooled([t for t, _ in exact_pairs.values()]),
               "overlap_f1": _pooled([t for t, _ in overlap_pairs.values()])}
    return Agreement("span", _frame(pair_rows, [
        "annotator_a", "annotator_b", "items", "spans_a", "spans_b", "exact_matches",
        "exact_f1", "overlap_matches", "overlap_f1", "mean_overlap_iou"]),
        _frame(label_rows, ["label", "spans", "exact_f1", "overlap_f1", "mean_overlap_iou"]),
        overall)


def _pooled(tallies: list[_Tally]) -> float:
    records = sum(t.a + t.b for t in tallies)
    return 2.0 * sum(t.matched for t in tallies) / records if records else math.nan


# -- keypoints -------------------------------------------------------------------------------

def _instances(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record.get("box_id"), []).append(record)
    return list(groups.values())


def _keypoint_agreement(table: Records, threshold: float,
                        sigmas: float | Mapping[str, float] | None) -> Agreement:
    people = _annotators(table)
    pair_rows = []
    names: dict[Any, list[float]] = defaultdict(list)
    for a, b in combinations(people, 2):
        tally, items = _Tally(), 0
        for by in table.values():
            if a not in by or b not in by:
                continue
            items += 1
            first, second = _instances(by[a]), _instances(by[b])
            found = match(first, second, lambda x, y: oks(x, y, sigmas), threshold,
                          label=lambda _: None)
            tally.add(len(first), len(second), [s for _, _, s in found])
            for i, j, _ in found:
                for name, value in oks_terms(first[i], second[j], sigmas).items():
                    names[name].append(value)
        pair_rows.append({"annotator_a": a, "annotator_b": b, "items": items,
                          "instances_a": tally.a, "instances_b": tally.b,
                          "matched": tally.matched, "f1": tally.f1(), "mean_oks": tally.mean()})
    label_rows = [{"label": name, "compared": len(values),
                   "mean_similarity": sum(values) / len(values)}
                  for name, values in names.items()]
    frame = _frame(pair_rows, ["annotator_a", "annotator_b", "items", "instances_a",
                               "instances_b", "matched", "f1", "mean_oks"])
    matched = frame["matched"].sum() if len(frame) else 0
    overall = {"annotators": float(len(people)), "threshold": float(threshold),
               "mean_oks": float((frame["mean_oks"] * frame["matched"]).sum() / matched)
               if matched else math.nan}
    return Agreement("keypoint", frame,
                     _frame(label_rows, ["label", "compared", "mean_similarity"]), overall)


# -- the entry point -------------------------------------------------------------------------

def agreement(annotations: Any, kind: str | None = None, *, dataset: str | None = None,
              threshold: float = 0.5, sigmas: float | Mapping[str, float] | None = None,
              sources: Sequence[str] | None = ("human",)) -> Agreement:
    """Measure how far annotators agree, per pair of annotators and per label.

    Parameters
    ----------
    annotations : DataFrame, list of dict, Store, str or os.PathLike
        Records with the item they belong to and who made them: rows with ``item`` (or
        ``item_id``), ``annotator`` and either a ``record`` dict or the record's fields as
        columns/keys; or a :class:`nbannotate.Store` (or its path), whose
        :meth:`~nbannotate.Store.annotations` carry the annotator of each record.
    kind : str, optional
        ``"class"``, ``"span"``, ``"box"``, ``"polygon"``, ``"mask"``, ``"region"`` or
        ``"keypoint"``; inferred when every record is of one kind.
    dataset : str, optional
        The dataset to read when the store holds several (passed to the store); only for a
        store or a store's path.
    threshold : float
        The IoU (boxes, polygons, masks, regions) or OKS (keypoints) from which two records
        match. Spans match exactly (same offsets) or by any overlap, both reported.
    sigmas : float or dict, optional
        Per-keypoint OKS constants (one for every name, or name -> sigma); default
        :data:`DEFAULT_SIGMA` (0.05) for every name. COCO's person constants are in
        :data:`COCO_PERSON_SIGMAS`.
    sources : list of str or None
        Which records take part, by ``source`` (a record without one counts as ``"human"``);
        ``None`` takes every record. Model output is not an annotator, so by default only
        human records are compared.

    Returns
    -------
    Agreement
        ``(kind, pairs, labels, overall)``:

        * whole-item labels: ``pairs`` has each pair's shared ``items``, ``observed``
          agreement and ``cohen_kappa`` (scikit-learn's); ``labels`` has, per label (label
          against the rest), ``fleiss_kappa``, ``krippendorff_alpha`` and the
          ``mean_cohen_kappa`` of the pairs; ``overall`` has Fleiss' kappa and
          Krippendorff's alpha (nominal) over every annotator. A multi-label record's set of
          labels is one category overall, and counts for each of its labels per label. When
          an annotator has several class records on one item, the last one counts.
        * spans: ``exact_f1`` (same start, end and label) and ``overlap_f1`` (same label,
          overlapping; one to one) per pair and per label, with ``mean_overlap_iou``.
        * boxes, polygons, masks, regions: ``f1`` of the one-to-one matching of records of
          one label with IoU (time IoU for regions) at least ``threshold``, and ``mean_iou``
          of the matched pairs.
        * keypoints: the instances (keypoints sharing a ``box_id``; those without one form
          one instance) are matched by OKS; ``pairs`` has ``f1`` at ``threshold`` and
          ``mean_oks`` of matched instances, ``labels`` the mean OKS term of each keypoint
          name.

        F1 is ``2 * matched / (records_a + records_b)``: symmetric, either annotator may be
        the reference. A pair is compared on the items where both have records.

    Raises
    ------
    ValueError
        A record without an item or an annotator, an unknown ``kind``, several kinds without
        ``kind=``, or a ``dataset`` the store does not hold.
    TypeError
        ``annotations`` of another type, or ``dataset`` given with records.

    Examples
    --------
    >>> rows = [{"item": i, "annotator": who, "label": label}
    ...         for who, labels in {"ana": "aabba", "bo": "aabbb"}.items()
    ...         for i, label in enumerate(labels)]
    >>> result = agreement(rows)
    >>> result.pairs[["annotator_a", "annotator_b", "items", "cohen_kappa"]].round(3)
      annotator_a annotator_b  items  cohen_kappa
    0         ana          bo      5        0.615
    >>> boxes = [{"item": "img", "annotator": "ana", "label": "cat",
    ...           "x": 0, "y": 0, "w": 10, "h": 10},
    ...          {"item": "img", "annotator": "bo", "label": "cat",
    ...           "x": 1, "y": 0, "w": 10, "h": 10}]
    >>> agreement(boxes).pairs[["f1", "mean_iou"]].round(3)
        f1  mean_iou
    0  1.0     0.818
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
            or not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")
    if sigmas is not None:
        values = [sigmas] if isinstance(sigmas, (int, float)) else (
            list(sigmas.values()) if isinstance(sigmas, Mapping) else None)
        if values is None or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                     and v > 0 for v in values):
            raise ValueError(f"sigmas must be a positive number or a dict of keypoint name -> "
                             f"positive number, got {sigmas!r}")
    rows, kind = read_annotations(annotations, kind, dataset, sources)
    table = _grouped(rows)
    if kind == "class":
        return _class_agreement(table)
    if kind == "span":
        return _span_agreement(table)
    if kind == "keypoint":
        return _keypoint_agreement(table, float(threshold), sigmas)
    return _shape_agreement(kind, table, float(threshold))
