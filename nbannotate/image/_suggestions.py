"""ImageAnnotator's suggestions (a model's boxes and keypoints): checking, picking, accepting.

A suggested box and the suggested keypoints whose ``box_id`` is that box are one instance:
accepting any of them accepts all, judged by the box's score; rejecting a keypoint rejects
only it. An accepted suggestion becomes a person's record: same id (a new one when a record
already has it), geometry and label, ``source="human"``, no ``score``.

Examples
--------
>>> from nbannotate.image._suggestions import pick_suggestions
>>> suggestions = [{"id": "b", "x": 0, "y": 0, "w": 4, "h": 4, "label": "cat", "score": 0.9},
...                {"id": "k", "x": 1, "y": 1, "label": "nose", "box_id": "b", "score": 0.2}]
>>> [s["id"] for s in pick_suggestions(suggestions, "k", 0.5)]
['b', 'k']
>>> [s["id"] for s in pick_suggestions(suggestions, "k", None, whole_instance=False)]
['k']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..records import new_id, validate_records

__all__ = ["accept_records", "pick_suggestions", "validate_suggestions"]


def validate_suggestions(records: Iterable[Any] | None,
                         context: Callable[[str], dict[str, Any]]) -> list[dict[str, Any]]:
    """Validated suggestions, each with ``source="model"``; ids must be distinct.

    ``context(field)`` gives the keyword arguments of
    :func:`nbannotate.records.validate_records` for ``"boxes"`` or ``"keypoints"``.

    Examples
    --------
    >>> def context(field):
    ...     return {"kind": "box" if field == "boxes" else "keypoint", "image_size": (10, 10),
    ...             "labels": None}
    >>> out = validate_suggestions([{"id": "s", "x": 1, "y": 1, "w": 2, "h": 2, "label": "a",
    ...                              "score": 0.5}], context)
    >>> out[0]["source"], out[0]["score"]
    ('model', 0.5)
    >>> validate_suggestions([{"points": [[0, 0], [1, 0], [1, 1]], "label": "a"}], context)
    Traceback (most recent call last):
    ...
    ValueError: suggestions[0]: suggestions hold boxes and keypoints; put masks in \
mask_suggestions (polygon suggestions are not supported)
    """
    out = []
    for index, record in enumerate(records or []):
        if not isinstance(record, dict):
            raise TypeError(f"suggestions: record {index} must be a dict, got "
                            f"{type(record).__name__}")
        if "mask" in record or "points" in record:
            raise ValueError(f"suggestions[{index}]: suggestions hold boxes and keypoints; "
                             "put masks in mask_suggestions (polygon suggestions are not "
                             "supported)")
        field = "boxes" if "w" in record else "keypoints"
        clean = validate_records([record], name=f"suggestions[{index}]",
                                 **context(field))[0]
        clean["source"] = "model"
        out.append(clean)
    ids = [r["id"] for r in out]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise ValueError(f"suggestions: two records have the id {dup!r}")
    return out


def pick_suggestions(suggestions: Sequence[dict[str, Any]], ids: Iterable[str] | str | None,
                     min_score: float | None, *,
                     whole_instance: bool = True) -> list[dict[str, Any]]:
    """The suggestions that ``ids`` (default: all) and ``min_score`` pick, in list order.

    With ``whole_instance``, picking a box or one of its keypoints picks the whole instance.
    An unknown id raises ``ValueError``.

    Examples
    --------
    >>> pick_suggestions([{"id": "s1", "x": 1, "y": 1, "w": 9, "h": 9, "label": "a",
    ...                    "score": 0.4}], None, 0.5)
    []
    """
    # A suggested box and its suggested keypoints are one instance: accepting any of them
    # accepts all, judged by the box's score; rejecting a keypoint rejects only it.
    records = list(suggestions)
    by_id = {s["id"]: s for s in records}
    boxes = {i for i, s in by_id.items() if "w" in s}

    def owner(record: dict[str, Any]) -> str | None:
        if "w" in record:
            return str(record["id"])
        return record.get("box_id") if record.get("box_id") in boxes else None

    if ids is None:
        wanted = set(by_id)
    else:
        wanted = {ids} if isinstance(ids, str) else set(ids)
        missing = sorted(wanted - set(by_id))
        if missing:
            raise ValueError(f"ids: no suggestion with id {missing[0]!r} "
                             f"(suggestions are {sorted(by_id)})")
    if min_score is not None:
        def score(record: dict[str, Any]) -> float:
            key = owner(record)
            return float((by_id[key] if key else record).get("score", 0.0))
        wanted = {i for i in wanted if score(by_id[i]) >= min_score}
    owners = {owner(by_id[i]) for i in wanted if whole_instance or "w" in by_id[i]}
    owners.discard(None)
    return [s for s in records if s["id"] in wanted or owner(s) in owners]


def accept_records(chosen: Sequence[dict[str, Any]], boxes: Sequence[dict[str, Any]],
                   keypoints: Sequence[dict[str, Any]],
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The boxes and keypoints with the ``chosen`` suggestions added as people's records.

    Returns the new box and keypoint lists and the ids of the accepted records. A suggestion
    whose id is taken gets a new id, and the keypoints that pointed at it (``box_id``) follow.

    Examples
    --------
    >>> boxes, keypoints, ids = accept_records(
    ...     [{"id": "s1", "x": 1, "y": 1, "w": 9, "h": 9, "label": "a", "score": 0.8}], [], [])
    >>> ids, boxes[0]["source"], "score" in boxes[0]
    (['s1'], 'human', False)
    """
    taken = {r["id"] for r in boxes} | {r["id"] for r in keypoints}
    box_list, kp_list, accepted = list(boxes), list(keypoints), []
    renamed: dict[str, str] = {}
    for record in chosen:
        clean = {k: v for k, v in record.items() if k != "score"}
        clean["source"] = "human"
        if clean["id"] in taken:
            renamed[clean["id"]] = clean["id"] = new_id()
        taken.add(clean["id"])
        (box_list if "w" in clean else kp_list).append(clean)
        accepted.append(clean["id"])
    for point in kp_list:
        if point.get("box_id") in renamed:
            point["box_id"] = renamed[point["box_id"]]
    return box_list, kp_list, accepted
