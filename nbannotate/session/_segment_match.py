"""Which of a person's masks came from a mask suggestion (so a session can say "accepted").

Accepting mask suggestions (Enter in the :class:`~nbannotate.ImageAnnotator`, or
``accept_mask_suggestions()``) does not move a suggestion record into ``masks`` as boxes and
spans do: it paints every suggested pixel that nothing covers yet into the person's mask of
the same label, which keeps its own id (or gets a new one). The session tells the two apart
by pixels instead, with this rule:

    the person's mask of label L **is taken from** the suggestion of label L when it holds
    at least half of the suggestion's pixels.

Accepting puts every pixel of the suggestion that no other label holds into the mask, so an
accepted mask holds (nearly) all of it, also after corrections with the brush; scribbles
painted from scratch cover a small part of a region. A mask taken from a suggestion is
stored under the **suggestion's id**, which is how reviews and
:attr:`~nbannotate.session.Session.labels` report it as ``origin="accepted"`` (``edited``
when its pixels differ from the suggestion's); a suggestion no mask was taken from is still
awaiting review (``"ignored"`` at Done, unless rejected). Several masks of one label: the
one holding most of the suggestion is the one taken from it.

The rule is for masks the annotator made (strokes, accepting). Records whose id already says
where they come from (records passed to ``Session.submit(records)``, records stored before)
are left alone (``keep``): as for every task, one whose id is a suggestion's was accepted,
any other was drawn.

All of it works on run lengths (:mod:`nbannotate.image.mask_ops`): the cost follows the masks'
runs, not the image's pixels.

Examples
--------
>>> full = {"size": [2, 4], "counts": [0, 8]}
>>> half = {"size": [2, 4], "counts": [0, 4, 4]}
>>> suggestions = [{"id": "s1", "label": "sky", "mask": full, "score": 0.8}]
>>> masks = [{"id": "m1", "label": "sky", "mask": half, "source": "human"}]
>>> match_suggestions(masks, suggestions)
{'s1': 0}
>>> [r["id"] for r in with_suggestion_ids(masks, suggestions)]
['s1']
>>> match_suggestions([{**masks[0], "mask": {"size": [2, 4], "counts": [0, 2, 6]}}],
...                   suggestions)
{}
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from ..image import mask_ops as ops

__all__ = ["TAKEN_SHARE", "match_suggestions", "with_suggestion_ids"]

#: Share of a suggestion's pixels a person's mask must hold to count as taken from it.
TAKEN_SHARE = 0.5


def _toggles(record: dict[str, Any]) -> tuple[Any, int]:
    mask = record["mask"]
    height, width = mask["size"]
    return ops.toggles_of(mask), int(height) * int(width)


def match_suggestions(masks: Sequence[dict[str, Any]], suggestions: Sequence[dict[str, Any]],
                      keep: Collection[str] = ()) -> dict[str, int]:
    """``{suggestion id: index in masks}`` for each suggestion a mask was taken from.

    A mask is taken from at most one suggestion (the one it holds the larger share of).
    Masks whose id is in ``keep`` have an id that says where they come from already (records
    given by the caller, or stored ones): they take only the suggestion with their own id.
    """
    best: dict[int, tuple[float, str]] = {}
    fixed = {str(r["id"]): index for index, r in enumerate(masks) if str(r["id"]) in keep}
    for suggestion in suggestions:
        if str(suggestion["id"]) in fixed:
            best[fixed[str(suggestion["id"])]] = (2.0, str(suggestion["id"]))
            continue
        wanted, total = _toggles(suggestion)
        size = ops.area(wanted, total)
        if size == 0:
            continue
        found: tuple[float, int] | None = None
        for index, record in enumerate(masks):
            if (record.get("label") != suggestion.get("label") or "mask" not in record
                    or str(record["id"]) in keep):
                continue
            have, other_total = _toggles(record)
            if other_total != total:
                continue
            share = ops.area(ops.intersection(have, wanted, total), total) / size
            if share >= TAKEN_SHARE and (found is None or share > found[0]):
                found = (share, index)
        if found is not None and (found[1] not in best or found[0] > best[found[1]][0]):
            best[found[1]] = (found[0], str(suggestion["id"]))
    return {sid: index for index, (_, sid) in best.items()}


def with_suggestion_ids(masks: Sequence[dict[str, Any]], suggestions: Sequence[dict[str, Any]],
                        keep: Collection[str] = ()) -> list[dict[str, Any]]:
    """Copies of ``masks`` where each mask taken from a suggestion carries its id (masks
    whose id is in ``keep`` keep it).

    A mask identical to its suggestion also gets the suggestion's run-length encoding
    verbatim, so comparing the two records says "unchanged".
    """
    out = [dict(r) for r in masks]
    taken = match_suggestions(out, suggestions, keep)
    by_id = {str(s["id"]): s for s in suggestions}
    used = {str(r["id"]) for r in out}
    for sid, index in taken.items():
        record = out[index]
        if record["id"] != sid and sid in used:
            continue  # another record already has that id
        used.discard(str(record["id"]))
        record["id"] = sid
        used.add(sid)
        suggested = by_id[sid]["mask"]
        if ops.toggles_of(record["mask"]).tolist() == ops.toggles_of(suggested).tolist():
            record["mask"] = {"size": list(suggested["size"]), "counts": list(suggested["counts"])}
    return out
