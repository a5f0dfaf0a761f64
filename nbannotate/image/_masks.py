"""Pixel-level segmentation for ImageAnnotator: polygons, brush masks, mask suggestions.

What :class:`nbannotate.ImageAnnotator` holds for segmentation (its :class:`MaskEditor` edits
the masks):

* ``polygons``: polygon records (``points`` in original-image pixels), edited in the browser
  through ordinary change messages (add / update / remove one record);
* ``masks``: mask records (COCO uncompressed RLE of the full-resolution image). The brush and
  the eraser edit them: a finished stroke crosses to the kernel **once**, as a ``mask_edit``
  message holding, per label, the pixels the stroke changed (COCO RLE with compressed
  counts: its size follows the stroke's runs, not the image). The kernel applies it to the
  runs of the masks (never decoding a mask to pixels) without echoing the list back, and
  acknowledges it (``mask_ack``) or reports why not (``mask_error``, then the browser reloads
  the kernel's masks). Brush masks are one record per label (``source="human"``); a record
  a stroke changes becomes a person's record (``source="human"``, no ``score``) and a record
  left without pixels is removed;
* ``mask_suggestions``: a model's masks, shown as a translucent overlay where the person has
  not painted; accepting copies them into ``masks`` (the person's pixels win);
* an uncertainty overlay (``set_uncertainty``), a PNG in a ``Bytes`` trait, shown on a toggle
  (these two in :mod:`nbannotate.image._review`).

The wire format of a stroke (browser -> kernel)::

    {"type": "mask_edit", "seq": 3, "edits": [
        {"label": "sky", "op": "add", "rle": {"size": [h, w], "counts": "<COCO string>"}},
        {"label": "tree", "op": "remove", "rle": {...}}]}

Examples
--------
>>> import numpy as np
>>> from nbannotate import ImageAnnotator
>>> w = ImageAnnotator(np.zeros((40, 60, 3), dtype=np.uint8), labels=["sky", "tree"])
>>> w.paint("sky", [[10, 10], [30, 10]], radius=3)
['sky']
>>> w.mask_array("sky")[10, 20], w.mask_array("sky")[20, 20]
(np.True_, np.False_)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from ..formats.rle import rle_to_mask
from ..records import new_id
from . import mask_ops as ops
from .mask_ops import record_toggles as _record_toggles

__all__ = ["MaskEditor", "default_brush_radius", "record_list"]

def default_brush_radius(width: int, height: int) -> float:
    """A brush radius that suits the image: about 1/80 of its long side, at least 2 px.

    Examples
    --------
    >>> default_brush_radius(640, 427), default_brush_radius(4000, 3000)
    (8.0, 50.0)
    """
    return float(max(2, round(max(width, height) / 80)))


def _as_human(record: dict[str, Any], mask: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "score"}
    out["source"] = "human"
    out["mask"] = mask
    return out


def record_list(value: Any, name: str) -> list[Any]:
    """A constructor's record argument as a list (``None``: empty).

    Examples
    --------
    >>> record_list(None, "masks"), record_list(({"label": "a"},), "masks")
    ([], [{'label': 'a'}])
    """
    if value is None:
        return []
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of records (dicts), got "
                        f"{type(value).__name__}")
    return list(value)


class MaskEditor:
    """Edits the brush masks of one image: strokes, erasing, and the browser's ``mask_edit``.

    The masks themselves stay in the widget's ``masks`` trait; the editor reads and replaces
    them through the two callables it is given, under the widget's edit lock.

    Parameters
    ----------
    get_masks : callable
        ``get_masks()`` returns the current mask records.
    set_masks : callable
        ``set_masks(records, silent)`` replaces them (``silent``: the browser has them
        already, from its own stroke).
    labels : callable
        ``labels()`` returns the label names a mask may have.
    lock : threading.RLock
        Held while the masks are read and replaced (no browser edit in between).
    size : (int, int)
        (width, height) of the image; :attr:`size` follows a new image.

    Examples
    --------
    >>> import threading
    >>> store = {"masks": []}
    >>> editor = MaskEditor(get_masks=lambda: store["masks"],
    ...                     set_masks=lambda value, silent: store.update(masks=value),
    ...                     labels=lambda: ["a"], lock=threading.RLock(), size=(8, 6))
    >>> editor.paint("a", [[3, 3]], radius=1, default_radius=1.0)
    ['a']
    >>> int(editor.mask_array("a").sum()), store["masks"][0]["source"]
    (4, 'human')
    """

    def __init__(self, *, get_masks: Callable[[], list[dict[str, Any]]],
                 set_masks: Callable[[list[dict[str, Any]], bool], None],
                 labels: Callable[[], Sequence[str]], lock: threading.RLock,
                 size: tuple[int, int]) -> None:
        self._get_masks = get_masks
        self._set_masks = set_masks
        self._labels = labels
        self.lock = lock
        self.size = size

    def check_label(self, label: Any, name: str = "label") -> str:
        """``label`` when it is one of the labels, else a ValueError naming ``name``."""
        names = list(self._labels())
        if not isinstance(label, str) or label not in names:
            raise ValueError(f"{name} must be one of {names}, got {label!r}")
        return label

    # -- reading masks --------------------------------------------------------------------------
    def label_toggles(self, label: str, records: Sequence[dict[str, Any]] | None = None
                      ) -> np.ndarray:
        """The run toggles of the union of ``label``'s masks."""
        width, height = self.size
        out = ops.EMPTY
        for record in self._get_masks() if records is None else records:
            if record["label"] == label:
                out = ops.union(out, _record_toggles(record), width * height)
        return out

    def mask_array(self, label: str) -> np.ndarray:
        """The pixels of ``label`` as a boolean array (height, width)."""
        self.check_label(label)
        width, height = self.size
        return rle_to_mask(ops.rle_of(height, width, self.label_toggles(label)))

    # -- editing masks ----------------------------------------------------------------------------
    def edit(self, edits: Sequence[tuple[str, str, np.ndarray]], *, silent: bool
             ) -> list[tuple[str, dict[str, Any]]]:
        """Apply ``(label, "add" | "remove", toggles)`` edits; returns ``(op, record)`` changes.

        ``add`` goes into the last person's mask of the label (a new record when there is
        none); ``remove`` takes the pixels out of every mask of the label.
        """
        width, height = self.size
        total = height * width
        with self.lock:
            before = list(self._get_masks())
            current: list[dict[str, Any] | None] = list(before)
            for label, op, delta in edits:
                if delta.size == 0:
                    continue
                if op == "add":
                    index = next((i for i in range(len(current) - 1, -1, -1)
                                  if current[i] is not None and current[i]["label"] == label
                                  and current[i]["source"] == "human"), None)
                    if index is None:
                        current.append({"id": new_id(), "label": label, "source": "human",
                                        "mask": ops.rle_of(height, width, delta)})
                        continue
                    record = current[index]
                    assert record is not None
                    merged = ops.union(_record_toggles(record), delta, total)
                    current[index] = _as_human(record, ops.rle_of(height, width, merged))
                else:
                    for index, record in enumerate(current):
                        if record is None or record["label"] != label:
                            continue
                        old = _record_toggles(record)
                        left = ops.difference(old, delta, total)
                        if np.array_equal(left, old):
                            continue
                        current[index] = (None if left.size == 0 else
                                          _as_human(record, ops.rle_of(height, width, left)))
            after = [r for r in current if r is not None]
            self._set_masks(after, silent)
        old_by_id = {r["id"]: r for r in before}
        new_ids = {r["id"] for r in after}
        changes: list[tuple[str, dict[str, Any]]] = []
        for record in after:
            previous = old_by_id.get(record["id"])
            if previous is None:
                changes.append(("add", record))
            elif previous is not record:
                changes.append(("update", record))
        changes += [("remove", r) for r in before if r["id"] not in new_ids]
        return changes

    def stroke_edits(self, label: str | None, points: Any, radius: float
                      ) -> list[tuple[str, str, np.ndarray]]:
        width, height = self.size
        total = height * width
        covered = ops.stroke_toggles(points, radius, height, width)
        edits: list[tuple[str, str, np.ndarray]] = []
        if label is not None:
            edits.append((label, "add", ops.difference(covered, self.label_toggles(label),
                                                      total)))
        for other in dict.fromkeys(m["label"] for m in self._get_masks()):
            if other != label:
                edits.append((other, "remove",
                              ops.intersection(covered, self.label_toggles(other), total)))
        return [e for e in edits if e[2].size]

    def paint(self, label: str, points: Any, radius: float | None, *,
              default_radius: float) -> list[str]:
        """Paint ``label`` along ``points`` (see :meth:`nbannotate.ImageAnnotator.paint`)."""
        self.check_label(label)
        with self.lock:  # no browser edit in between
            edits = self.stroke_edits(label, points,
                                       default_radius if radius is None else radius)
            self.edit(edits, silent=False)
        return list(dict.fromkeys(e[0] for e in edits))

    def erase(self, points: Any, radius: float | None, *, default_radius: float) -> list[str]:
        """Erase every label along ``points`` (see :meth:`nbannotate.ImageAnnotator.erase`)."""
        with self.lock:  # no browser edit in between
            edits = self.stroke_edits(None, points,
                                       default_radius if radius is None else radius)
            self.edit(edits, silent=False)
        return list(dict.fromkeys(e[0] for e in edits))

    def accept(self, suggestions: Sequence[dict[str, Any]], wanted: set[str] | None
               ) -> list[str]:
        """Copy suggested pixels that no mask covers into the masks; returns changed ids."""
        if wanted is not None:
            for name in wanted:
                self.check_label(name, "labels")
        width, height = self.size
        total = width * height
        with self.lock:  # no browser edit in between
            taken = ops.EMPTY
            for record in self._get_masks():
                taken = ops.union(taken, _record_toggles(record), total)
            edits = []
            for record in reversed(suggestions):
                if wanted is not None and record["label"] not in wanted:
                    continue
                fresh = ops.difference(_record_toggles(record), taken, total)
                taken = ops.union(taken, fresh, total)
                edits.append((record["label"], "add", fresh))
            changes = self.edit(edits[::-1], silent=False)
        return [record["id"] for _, record in changes]

    def parse_edits(self, edits: Any) -> list[tuple[str, str, np.ndarray]]:
        """The edits of a browser's ``mask_edit`` message, checked."""
        if not isinstance(edits, list):
            raise TypeError(f"mask_edit: 'edits' must be a list, got {type(edits).__name__}")
        width, height = self.size
        size = [height, width]
        out = []
        for index, edit in enumerate(edits):
            where = f"mask_edit: edits[{index}]"
            if not isinstance(edit, dict):
                raise TypeError(f"{where} must be a dict, got {type(edit).__name__}")
            label = self.check_label(edit.get("label"), f"{where}.label")
            op = edit.get("op")
            if op not in ("add", "remove"):
                raise ValueError(f"{where}.op must be 'add' or 'remove', got {op!r}")
            rle = edit.get("rle")
            if not isinstance(rle, dict) or list(rle.get("size", ())) != size:
                got = rle.get("size") if isinstance(rle, dict) else rle
                raise ValueError(f"{where}.rle must be COCO RLE of the image, size {size}, got "
                                 f"{got!r}")
            out.append((label, op, ops.toggles_of(rle, f"{where}.rle")))
        return out
