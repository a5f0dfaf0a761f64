"""The training keypoints of :class:`~nbannotate.models.KeypointLocator`, read from records:
grouped by image and instance box and checked, and the pixel region searched per box.

A keypoint record has ``x, y`` (image pixels) and a ``label``, and may name its instance box
by ``box_id``: a box record (``x, y, w, h`` and ``id``) in the same image's list. Keypoints of
one box (or of an image without boxes) form one group; the locator learns and predicts
within a group's search region (the box grown by a margin, or the whole image).

Examples
--------
>>> records = [{"id": "b1", "x": 2, "y": 2, "w": 6, "h": 6, "label": "face"},
...            {"x": 4, "y": 5, "label": "eye", "box_id": "b1"},
...            {"x": 9, "y": 9, "label": "eye", "visible": 0}]
>>> [(index, box["id"], [p["label"] for p in points])
...  for index, box, points in keypoint_groups([records], [(12, 12)])]
[(0, 'b1', ['eye'])]
>>> search_region(checked_box(records[0], "records[0]"), (12, 12), 1)
(1, 9, 1, 9)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._inputs import box_values, records_of

__all__ = ["checked_box", "keypoint_groups", "search_region"]


def search_region(box: dict[str, Any] | None, shape: tuple[int, int],
                  margin: int) -> tuple[int, int, int, int]:
    """Pixel rows/cols ``(r0, r1, c0, c1)`` searched for a box (grown by ``margin``).

    Examples
    --------
    >>> search_region({"x": 10.5, "y": 2, "w": 4, "h": 3}, (20, 30), 2)
    (0, 7, 8, 17)
    >>> search_region(None, (20, 30), 2)
    (0, 20, 0, 30)
    """
    height, width = shape
    if box is None:
        return 0, height, 0, width
    r0 = int(np.clip(np.floor(box["y"]) - margin, 0, height - 1))
    c0 = int(np.clip(np.floor(box["x"]) - margin, 0, width - 1))
    r1 = int(np.clip(np.ceil(box["y"] + box["h"]) + margin, r0 + 1, height))
    c1 = int(np.clip(np.ceil(box["x"] + box["w"]) + margin, c0 + 1, width))
    return r0, r1, c0, c1


def checked_box(record: dict[str, Any], where: str) -> dict[str, Any]:
    """The box record with ``x, y, w, h`` checked to be finite numbers (else ValueError
    naming ``where``)."""
    return {**record, **dict(zip("xywh", box_values(record, where), strict=True))}



def keypoint_groups(annotations: list[list[dict[str, Any]]], shapes: list[tuple[int, int]],
                    ) -> list[tuple[int, dict[str, Any] | None, list[dict[str, Any]]]]:
    """``(image index, box or None, keypoints)`` groups, keypoints checked.

    ``shapes`` are the images' ``(height, width)``. Keypoints with ``visible=0`` are left
    out; a ``box_id`` must name a box record (with ``id``) of the same image.

    Examples
    --------
    >>> keypoint_groups([[{"x": 3, "y": 4, "label": "eye"}]], [(10, 10)])
    [(0, None, [{'x': 3.0, 'y': 4.0, 'label': 'eye'}])]
    """
    groups = []
    for index, records in enumerate(annotations):
        boxes = {r["id"]: checked_box(r, f"annotations[{index}]")
                 for r in records_of(records, ("x", "y", "w", "h")) if r.get("id")}
        by_box: dict[str | None, list[dict[str, Any]]] = {}
        height, width = shapes[index]
        for number, record in enumerate(records):
            if "w" in record or "h" in record or "x" not in record or "y" not in record:
                continue
            x, y = record["x"], record["y"]
            if (isinstance(x, bool) or isinstance(y, bool)
                    or not isinstance(x, (int, float, np.number))
                    or not isinstance(y, (int, float, np.number))
                    or not (0 <= x <= width and 0 <= y <= height)):
                raise ValueError(f"annotations[{index}][{number}]: a keypoint needs x, y "
                                 f"inside the {width}×{height} image, got x={x!r}, y={y!r}")
            if record.get("visible", 2) == 0:
                continue  # position not known
            box_id = record.get("box_id")
            if box_id is not None and box_id not in boxes:
                raise ValueError(f"annotations[{index}][{number}]: box_id {box_id!r} names "
                                 f"no box of items[{index}] (box ids: {sorted(boxes)})")
            by_box.setdefault(box_id, []).append(
                {**record, "x": float(x), "y": float(y)})
        for box_id, points in by_box.items():
            groups.append((index, boxes[box_id] if box_id is not None else None, points))
    return groups
