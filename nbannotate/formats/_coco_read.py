"""Reading helpers for :func:`nbannotate.formats.coco.from_coco` (checks with locations)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..records import validate_record
from ._common import check_image_item
from .rle import rle_from_string


def numbers(value: Any, count: int | None) -> bool:
    """Whether ``value`` is a list of ``count`` (any, if None) finite numbers."""
    return (isinstance(value, (list, tuple)) and (count is None or len(value) == count)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    for v in value))


def read_categories(data: Mapping[str, Any]) -> tuple[dict[Any, dict[str, Any]], list[str],
                                                       list[str], list[tuple[str, str]]]:
    """Categories by id, labels, merged keypoint names and skeleton (pairs of names)."""
    by_id: dict[Any, dict[str, Any]] = {}
    labels: list[str] = []
    names: list[str] = []
    skeleton: list[tuple[str, str]] = []
    for index, category in enumerate(data["categories"]):
        where = f"COCO category {index}"
        if not isinstance(category, Mapping) or "id" not in category:
            raise ValueError(f"{where}: must be a dict with 'id' and 'name', got {category!r}")
        where += f" (id={category['id']!r})"
        name = category.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{where}: field 'name' must be a non-empty string, got {name!r}")
        if name in labels or category["id"] in by_id:
            raise ValueError(f"{where}: repeats the name {name!r} or the id of another category")
        points = category.get("keypoints") or []
        if not isinstance(points, list) or not all(isinstance(p, str) for p in points):
            raise ValueError(f"{where}: field 'keypoints' must be a list of names, got {points!r}")
        for pair in category.get("skeleton") or []:
            if (not isinstance(pair, (list, tuple)) or len(pair) != 2
                    or not all(isinstance(i, int) and 1 <= i <= len(points) for i in pair)):
                raise ValueError(f"{where}: field 'skeleton' must hold 1-based pairs of keypoint "
                                 f"indices in [1, {len(points)}], got {pair!r}")
            bone = (points[pair[0] - 1], points[pair[1] - 1])
            if bone not in skeleton:
                skeleton.append(bone)
        names += [p for p in points if p not in names]
        labels.append(name)
        by_id[category["id"]] = {"name": name, "keypoints": points}
    return by_id, labels, names, skeleton


def read_images(data: Mapping[str, Any]) -> dict[Any, dict[str, Any]]:
    """Empty image items by image id, in file order."""
    items: dict[Any, dict[str, Any]] = {}
    for index, image in enumerate(data["images"]):
        if not isinstance(image, Mapping) or "id" not in image:
            raise ValueError(f"COCO image {index}: must be a dict with 'id', 'file_name', "
                             f"'width' and 'height', got {image!r}")
        if image["id"] in items:
            raise ValueError(f"COCO image {index} (id={image['id']!r}): repeats an image id")
        raw = {"image": image.get("file_name"), "width": image.get("width"),
               "height": image.get("height")}
        try:
            items[image["id"]] = dict(check_image_item(raw))
        except ValueError as error:
            detail = str(error).partition(": field ")[2]  # drop check_image_item's prefix
            detail = detail.replace("'image'", "'file_name'", 1)
            raise ValueError(f"COCO image {index} (id={image['id']!r}): "
                             f"{'field ' + detail if detail else error}") from None
    return items


def checked_record(kind: str, record: dict[str, Any], where: str,
                   **context: Any) -> dict[str, Any]:
    """Validate a record made from an annotation, naming the annotation in errors."""
    try:
        return validate_record(record, kind=kind, **context)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from None


def segments(seg: Any, item: Mapping[str, Any], where: str) -> list[tuple[str, Any]]:
    """``("polygon", points)`` per polygon part, or ``[("mask", rle)]``."""
    if isinstance(seg, Mapping):
        rle = dict(seg)
        if isinstance(rle.get("counts"), (str, bytes)):
            try:
                rle = rle_from_string(rle)
            except ValueError as error:
                raise ValueError(f"{where}: field 'segmentation' {error}") from None
        if list(rle.get("size") or []) != [item["height"], item["width"]]:
            raise ValueError(f"{where}: field 'segmentation' must have 'size' [height, width] = "
                             f"{[item['height'], item['width']]}, got {rle.get('size')!r}")
        return [("mask", {"size": rle["size"], "counts": rle.get("counts")})]
    if not isinstance(seg, list):
        raise ValueError(f"{where}: field 'segmentation' must be a list of polygons or an RLE "
                         f"dict, got {seg!r}")
    parts = []
    for part in seg:
        if not numbers(part, None) or len(part) < 6 or len(part) % 2:
            raise ValueError(f"{where}: field 'segmentation' polygons must be flat lists "
                             f"[x1, y1, x2, y2, ...] of at least 3 points, got {part!r}")
        parts.append(("polygon", [[part[i], part[i + 1]] for i in range(0, len(part), 2)]))
    return parts


def read_keypoints(ann: Mapping[str, Any], names: list[str], base: str, common: dict[str, Any],
                    where: str) -> list[dict[str, Any]]:
    """Keypoint records of an annotation (absent ones left out)."""
    flat = ann.get("keypoints")
    if flat is None or not names:
        return []
    if not numbers(flat, 3 * len(names)):
        raise ValueError(f"{where}: field 'keypoints' must be {3 * len(names)} numbers "
                         f"(x, y, v for each of {names}), got {flat!r}")
    meta = ann.get("nbannotate_keypoints")
    if meta is not None and (not isinstance(meta, list) or len(meta) != len(names)):
        raise ValueError(f"{where}: field 'nbannotate_keypoints' must be a list of "
                         f"{len(names)} entries, got {meta!r}")
    points = []
    for slot, name in enumerate(names):
        x, y, visible = flat[3 * slot:3 * slot + 3]
        info = meta[slot] if meta is not None else {}
        if (meta is None and visible == 0) or info is None:
            continue
        record = {**common, "label": name, "x": x, "y": y, "visible": visible,
                  "id": f"{base}-kp{slot}"}
        if isinstance(info, Mapping):  # written by to_coco: the keypoint's own fields only
            record.pop("score", None)
            record.update({k: info[k] for k in ("id", "source", "score") if k in info})
        points.append(checked_record("keypoint", record, f"{where} keypoint {slot} ({name!r})"))
    return points
