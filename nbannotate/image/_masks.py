"""Pixel-level segmentation for ImageAnnotator: polygons, brush masks, mask suggestions.

The mixin adds to :class:`nbannotate.ImageAnnotator`:

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

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import traitlets

from ..formats.rle import rle_to_mask
from ..records import new_id, validate_records
from . import mask_ops as ops
from ._review import MaskReviewMixin
from .mask_ops import record_toggles as _record_toggles

__all__ = ["SegmentationMixin", "default_brush_radius"]

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


class SegmentationMixin(MaskReviewMixin):
    """Polygons, brush masks, mask suggestions and an uncertainty overlay (see module doc).

    Used by :class:`nbannotate.ImageAnnotator`, which provides ``labels``, ``image_width``,
    ``image_height`` and the change machinery of :class:`nbannotate.widget.base.AnnotatorWidget`.

    Examples
    --------
    >>> import numpy as np
    >>> from nbannotate import ImageAnnotator
    >>> w = ImageAnnotator(np.zeros((20, 20)), labels=["a", "b"], polygons=[
    ...     {"points": [[1, 1], [10, 1], [5, 8]], "label": "b"}])
    >>> w.polygons[0]["points"][2]
    [5.0, 8.0]
    """

    polygons = traitlets.List().tag(sync=True)
    masks = traitlets.List().tag(sync=True)
    #: Radius of the brush and the eraser, in image pixels (``[`` and ``]`` change it).
    brush_radius = traitlets.Float(8.0).tag(sync=True)

    # -- construction helpers (called by ImageAnnotator) ---------------------------------------
    @staticmethod
    def _segmentation_traits(polygons: Any, masks: Any, mask_suggestions: Any,
                             brush_radius: Any, size: tuple[int, int]) -> dict[str, Any]:
        def records(value: Any, name: str) -> list[Any]:
            if value is None:
                return []
            if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
                raise TypeError(f"{name} must be a list of records (dicts), got "
                                f"{type(value).__name__}")
            return list(value)

        radius = default_brush_radius(*size) if brush_radius is None else brush_radius
        return {"polygons": records(polygons, "polygons"), "masks": records(masks, "masks"),
                "mask_suggestions": records(mask_suggestions, "mask_suggestions"),
                "brush_radius": radius}

    def _keep_image(self, image: Any) -> None:
        """Remember the image as given, for :meth:`image_array` (no copy)."""
        self._image_input = image

    # -- validation ---------------------------------------------------------------------------
    def _segmentation_context(self) -> dict[str, Any]:
        return {"image_size": (self.image_width, self.image_height),  # type: ignore[attr-defined]
                "labels": list(self.labels) or None}  # type: ignore[attr-defined]

    def _silent(self, field: str) -> bool:
        return bool(self._is_silent(field))  # type: ignore[attr-defined]

    @traitlets.validate("polygons")
    def _validate_polygons(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if self._silent("polygons"):
            return proposal["value"]
        return validate_records(proposal["value"], kind="polygon", name="polygons",
                                **self._segmentation_context())

    @traitlets.validate("masks")
    def _validate_masks(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if self._silent("masks"):
            return proposal["value"]
        return validate_records(proposal["value"], kind="mask", name="masks",
                                **self._segmentation_context())

    @traitlets.validate("brush_radius")
    def _validate_brush_radius(self, proposal: dict[str, Any]) -> float:
        value = proposal["value"]
        longest = max(self.image_width, self.image_height, 1)  # type: ignore[attr-defined]
        if not np.isfinite(value) or not 0 < value <= longest:
            raise ValueError(f"brush_radius must be a number of image pixels in (0, {longest}], "
                             f"got {value!r}")
        return float(value)

    def _check_label(self, label: Any, name: str = "label") -> str:
        names = list(self.labels)  # type: ignore[attr-defined]
        if not isinstance(label, str) or label not in names:
            raise ValueError(f"{name} must be one of {names}, got {label!r}")
        return label

    # -- reading masks --------------------------------------------------------------------------
    def _label_toggles(self, label: str, records: Sequence[dict[str, Any]] | None = None
                       ) -> np.ndarray:
        total = self.image_width * self.image_height  # type: ignore[attr-defined]
        out = ops.EMPTY
        for record in self.masks if records is None else records:
            if record["label"] == label:
                out = ops.union(out, _record_toggles(record), total)
        return out

    def mask_array(self, label: str) -> np.ndarray:
        """The pixels of ``label`` in ``masks`` as a boolean array (height, width).

        Every mask record with that label counts (their union); no mask gives all False.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> w = ImageAnnotator(np.zeros((4, 6)), labels=["a", "b"])
        >>> w.mask_array("b").shape, w.mask_array("b").any()
        ((4, 6), np.False_)
        """
        self._check_label(label)
        height, width = self.image_height, self.image_width  # type: ignore[attr-defined]
        return rle_to_mask(ops.rle_of(height, width, self._label_toggles(label)))

    # -- editing masks ----------------------------------------------------------------------------
    def _edit_masks(self, edits: Sequence[tuple[str, str, np.ndarray]], *, silent: bool
                    ) -> list[tuple[str, dict[str, Any]]]:
        """Apply ``(label, "add" | "remove", toggles)`` edits; returns ``(op, record)`` changes.

        ``add`` goes into the last person's mask of the label (a new record when there is
        none); ``remove`` takes the pixels out of every mask of the label.
        """
        height, width = self.image_height, self.image_width  # type: ignore[attr-defined]
        total = height * width
        with self._apply_lock:  # type: ignore[attr-defined]
            before = list(self.masks)
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
            if silent:  # a stroke the browser painted: it has these masks already
                self._set_from_browser("masks", after)  # type: ignore[attr-defined]
            else:
                self.masks = after
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

    def _stroke_edits(self, label: str | None, points: Any, radius: float | None
                      ) -> list[tuple[str, str, np.ndarray]]:
        height, width = self.image_height, self.image_width  # type: ignore[attr-defined]
        total = height * width
        r = self.brush_radius if radius is None else radius
        covered = ops.stroke_toggles(points, r, height, width)
        edits: list[tuple[str, str, np.ndarray]] = []
        if label is not None:
            edits.append((label, "add", ops.difference(covered, self._label_toggles(label),
                                                      total)))
        for other in dict.fromkeys(m["label"] for m in self.masks):
            if other != label:
                edits.append((other, "remove",
                              ops.intersection(covered, self._label_toggles(other), total)))
        return [e for e in edits if e[2].size]

    def paint(self, label: str, points: Any, radius: float | None = None) -> list[str]:
        """Paint a brush stroke from Python, as the brush does in the browser.

        The pixels whose centre lies within ``radius`` of the path get ``label`` (and leave any
        other label's mask). The widget redraws the masks.

        Parameters
        ----------
        label : str
            One of ``labels``.
        points : list of [x, y]
            The stroke's path in image pixels (one point paints a disc).
        radius : float, optional
            In image pixels (default: ``brush_radius``).

        Returns
        -------
        list of str
            The labels whose masks changed.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> w = ImageAnnotator(np.zeros((20, 20)), labels=["a", "b"])
        >>> w.paint("a", [[5, 5]], radius=2), int(w.mask_array("a").sum())
        (['a'], 12)
        """
        self._check_label(label)
        with self._apply_lock:  # type: ignore[attr-defined]  # no browser edit in between
            edits = self._stroke_edits(label, points, radius)
            self._edit_masks(edits, silent=False)
        return list(dict.fromkeys(e[0] for e in edits))

    def erase(self, points: Any, radius: float | None = None) -> list[str]:
        """Erase along a stroke from Python, as the eraser does: every label loses those pixels.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> w = ImageAnnotator(np.zeros((20, 20)), labels=["a"])
        >>> _ = w.paint("a", [[2, 10], [18, 10]], radius=3)
        >>> w.erase([[10, 0], [10, 19]], radius=2), bool(w.mask_array("a")[10, 10])
        (['a'], False)
        """
        with self._apply_lock:  # type: ignore[attr-defined]  # no browser edit in between
            edits = self._stroke_edits(None, points, radius)
            self._edit_masks(edits, silent=False)
        return list(dict.fromkeys(e[0] for e in edits))

    def _parse_mask_edits(self, edits: Any) -> list[tuple[str, str, np.ndarray]]:
        if not isinstance(edits, list):
            raise TypeError(f"mask_edit: 'edits' must be a list, got {type(edits).__name__}")
        size = [self.image_height, self.image_width]  # type: ignore[attr-defined]
        out = []
        for index, edit in enumerate(edits):
            where = f"mask_edit: edits[{index}]"
            if not isinstance(edit, dict):
                raise TypeError(f"{where} must be a dict, got {type(edit).__name__}")
            label = self._check_label(edit.get("label"), f"{where}.label")
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

    def _handle_custom_message(self, content: dict[str, Any], buffers: list[Any]) -> None:
        if content.get("type") != "mask_edit":
            super()._handle_custom_message(content, buffers)  # type: ignore[misc]
            return
        seq = content.get("seq")
        try:
            changes = self._edit_masks(self._parse_mask_edits(content.get("edits")), silent=True)
        except (TypeError, ValueError) as error:
            self.send({"type": "mask_error", "seq": seq,  # type: ignore[attr-defined]
                       "message": str(error)})
            self.send_state("masks")  # type: ignore[attr-defined]
            return
        self.send({"type": "mask_ack", "seq": seq})  # type: ignore[attr-defined]
        value = self.masks
        for op, record in changes:
            change = {"owner": self, "field": "masks", "op": op, "record": record,
                      "value": value}
            for callback in list(self._change_callbacks):  # type: ignore[attr-defined]
                callback(change)
