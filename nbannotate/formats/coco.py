"""COCO JSON (detection, keypoints, instance segmentation) to and from image items.

Writing (``to_coco``)
    * categories get ids ``1..N`` in ``labels`` order; when there are keypoints, every
      category carries ``keypoints`` (``keypoint_labels``) and a 1-based ``skeleton``;
    * a box becomes an annotation with ``bbox`` ``[x, y, w, h]``, ``area`` ``w * h`` and,
      when there are keypoint labels, the ``keypoints`` ``[x, y, v, ...]`` of the keypoints
      whose ``box_id`` is that box (absent ones ``0, 0, 0``) and ``num_keypoints``;
    * keypoints without a ``box_id`` form one extra instance per image, with a ``bbox``
      enclosing them, category ``keypoint_category`` (default ``labels[0]``) and
      ``"nbannotate_boxless": true``; two of them with the same name in one image are an
      error (give them a ``box_id``);
    * a polygon becomes ``segmentation`` ``[[x1, y1, x2, y2, ...]]``; a mask becomes
      ``segmentation`` in uncompressed RLE with ``iscrowd`` 0 (an object, not a crowd;
      pycocotools reads both); ``bbox`` and ``area`` are computed from the shape; when there
      are keypoint labels, polygons and masks carry ``keypoints`` of zeros and
      ``num_keypoints`` 0 too (pycocotools' keypoint evaluation reads both fields of every
      annotation, and ignores those with ``num_keypoints`` 0);
    * what COCO has no field for is kept under ``nbannotate_*`` keys, which other readers
      ignore: ``nbannotate_id`` and ``nbannotate_source`` per annotation, and
      ``nbannotate_keypoints`` (``{"id", "source", "score"}`` or ``null`` per keypoint
      name). ``score`` is COCO's results field; a box ``text`` goes to ``utf8_string`` as
      in COCO-Text. A keypoint with ``visible`` 0 keeps its coordinates.

Reading (``from_coco``)
    Annotations with a non-empty ``segmentation`` give polygons (one per part) or a mask
    (uncompressed or compressed RLE); the others, and those with keypoints, give a box.
    ``iscrowd`` is not kept. Files written elsewhere get ids from the annotation ``id``
    (``"17"``, ``"17-1"`` for a second record, ``"17-kp3"`` for keypoint 3), source
    ``"model"`` when they carry a ``score``, else ``"human"``; keypoints with ``v`` 0 are
    absent. Keypoints come back grouped by instance, in keypoint order.

Examples
--------
>>> items = [{"image": "a.jpg", "width": 640, "height": 480, "boxes": [
...     {"id": "b1", "label": "cat", "x": 10.5, "y": 20, "w": 30, "h": 40}]}]
>>> data = to_coco(items, labels=["cat", "dog"])
>>> data["annotations"][0]["bbox"], data["annotations"][0]["category_id"]
([10.5, 20.0, 30.0, 40.0], 1)
>>> from_coco(data).items[0]["boxes"][0]["id"]
'b1'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from ._coco_read import (
    checked_record,
    numbers,
    read_categories,
    read_images,
    read_keypoints,
    segments,
)
from ._common import ImageItem, check_image_item, check_labels, check_list
from .rle import rle_area, rle_bbox

__all__ = ["CocoData", "from_coco", "to_coco"]


class CocoData(NamedTuple):
    """What ``from_coco`` returns; unpacks as ``items, labels, keypoint_labels, skeleton``."""

    items: list[ImageItem]
    labels: list[str]
    keypoint_labels: list[str]
    skeleton: list[tuple[str, str]]


def _check_skeleton(skeleton: Any, names: list[str]) -> list[list[int]]:
    pairs = []
    for index, pair in enumerate(check_list(skeleton, "skeleton")):
        if (not isinstance(pair, (list, tuple)) or len(pair) != 2
                or not all(name in names for name in pair)):
            raise ValueError(f"skeleton[{index}] must be a pair of keypoint labels from "
                             f"{names}, got {pair!r}")
        pairs.append([names.index(pair[0]) + 1, names.index(pair[1]) + 1])
    return pairs


def _annotation(record: Mapping[str, Any], ann_id: int, image_id: int, category: int,
                bbox: list[float], area: float) -> dict[str, Any]:
    ann: dict[str, Any] = {"id": ann_id, "image_id": image_id, "category_id": category,
                           "bbox": bbox, "area": area, "iscrowd": 0,
                           "nbannotate_id": record["id"], "nbannotate_source": record["source"]}
    if "score" in record:
        ann["score"] = record["score"]
    return ann


def _keypoint_fields(points: Sequence[Mapping[str, Any]], names: list[str],
                     where: str) -> dict[str, Any]:
    flat = [0.0] * (3 * len(names))
    meta: list[dict[str, Any] | None] = [None] * len(names)
    for point in points:
        slot = names.index(point["label"])
        taken = meta[slot]
        if taken is not None:
            raise ValueError(f"{where}: keypoints {taken['id']!r} and {point['id']!r} "
                             f"are both {point['label']!r}; a COCO instance holds one keypoint "
                             "per name (give them different box_id)")
        flat[3 * slot:3 * slot + 3] = [point["x"], point["y"], point["visible"]]
        meta[slot] = {key: point[key] for key in ("id", "source", "score") if key in point}
    return {"keypoints": flat, "num_keypoints": sum(1 for v in flat[2::3] if v > 0),
            "nbannotate_keypoints": meta}


def _polygon_area(points: list[list[float]]) -> float:
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2.0


def _enclosing(points: Sequence[Sequence[float]]) -> list[float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]


def to_coco(items: Sequence[Mapping[str, Any]], labels: Sequence[str],
            keypoint_labels: Sequence[str] | None = None,
            skeleton: Sequence[tuple[str, str]] | None = None, *,
            keypoint_category: str | None = None) -> dict[str, Any]:
    """Convert image items to a COCO dataset ``dict`` (``json.dump`` it to write a file).

    Parameters
    ----------
    items : list of dict
        Image items ``{"image", "width", "height", "boxes", "keypoints", "polygons",
        "masks"}``; ``image`` becomes ``file_name``.
    labels : list of str
        Category names; category ids are ``1..len(labels)`` in this order.
    keypoint_labels : list of str, optional
        Keypoint names in COCO order; default: the keypoint labels in order of appearance.
    skeleton : list of (str, str), optional
        Keypoint pairs to connect, written as 1-based index pairs.
    keypoint_category : str, optional
        Category of the instance made of an image's keypoints without ``box_id``;
        default ``labels[0]``.

    Returns
    -------
    dict
        ``{"info", "licenses", "images", "annotations", "categories"}``.

    Examples
    --------
    >>> item = {"image": "p.jpg", "width": 100, "height": 100,
    ...         "boxes": [{"id": "p", "label": "person", "x": 10, "y": 10, "w": 50, "h": 80}],
    ...         "keypoints": [{"id": "n", "label": "nose", "x": 30, "y": 20, "box_id": "p"}]}
    >>> data = to_coco([item], ["person"], ["nose", "neck"], [("nose", "neck")])
    >>> data["annotations"][0]["keypoints"], data["categories"][0]["skeleton"]
    ([30.0, 20.0, 2, 0.0, 0.0, 0.0], [[1, 2]])
    """
    labels = check_labels(labels)
    checked = [check_image_item(item, index, labels=labels)
               for index, item in enumerate(check_list(items, "items"))]
    if keypoint_labels is None:
        names: list[str] = []
        for point in (p for item in checked for p in item["keypoints"]):
            if point["label"] not in names:
                names.append(point["label"])
    else:
        names = check_labels(keypoint_labels, "keypoint_labels")
        for index, item in enumerate(checked):
            for number, point in enumerate(item["keypoints"]):
                if point["label"] not in names:
                    raise ValueError(f"image item {index} ({item['image']!r}) keypoints: "
                                     f"record {number} (id={point['id']!r}): field 'label' must "
                                     f"be one of keypoint_labels {names}, got {point['label']!r}")
    bones = _check_skeleton(skeleton, names)
    boxless_category = labels[0] if keypoint_category is None and labels else keypoint_category
    categories = []
    for number, name in enumerate(labels, 1):
        category: dict[str, Any] = {"id": number, "name": name, "supercategory": ""}
        if names:
            category.update(keypoints=list(names), skeleton=[list(b) for b in bones])
        categories.append(category)
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for image_id, item in enumerate(checked, 1):
        where = f"image item {image_id - 1} ({item['image']!r})"
        images.append({"id": image_id, "file_name": item["image"], "width": item["width"],
                       "height": item["height"]})
        boxless = [p for p in item["keypoints"] if "box_id" not in p]
        for box in item["boxes"]:
            ann = _annotation(box, len(annotations) + 1, image_id, labels.index(box["label"]) + 1,
                              [box["x"], box["y"], box["w"], box["h"]], box["w"] * box["h"])
            if names:
                mine = [p for p in item["keypoints"] if p.get("box_id") == box["id"]]
                ann.update(_keypoint_fields(mine, names, f"{where} box {box['id']!r}"))
            if "text" in box:
                ann["utf8_string"] = box["text"]
            annotations.append(ann)
        if boxless:
            if boxless_category not in labels:
                raise ValueError(f"{where}: keypoints without box_id need a category: "
                                 f"keypoint_category must be one of labels {labels}, got "
                                 f"{boxless_category!r}")
            shown = [p for p in boxless if p["visible"] > 0] or boxless
            bbox = _enclosing([(p["x"], p["y"]) for p in shown])
            ann = {"id": len(annotations) + 1, "image_id": image_id,
                   "category_id": labels.index(boxless_category) + 1, "bbox": bbox,
                   "area": bbox[2] * bbox[3], "iscrowd": 0, "nbannotate_boxless": True}
            ann.update(_keypoint_fields(boxless, names, f"{where} keypoints without box_id"))
            annotations.append(ann)
        for polygon in item["polygons"]:
            ann = _annotation(polygon, len(annotations) + 1, image_id,
                              labels.index(polygon["label"]) + 1, _enclosing(polygon["points"]),
                              _polygon_area(polygon["points"]))
            ann["segmentation"] = [[v for point in polygon["points"] for v in point]]
            if names:
                ann.update(_keypoint_fields([], names, where))
            annotations.append(ann)
        for mask in item["masks"]:
            ann = _annotation(mask, len(annotations) + 1, image_id,
                              labels.index(mask["label"]) + 1, rle_bbox(mask["mask"]),
                              float(rle_area(mask["mask"])))
            ann["segmentation"] = {"size": list(mask["mask"]["size"]),
                                   "counts": list(mask["mask"]["counts"])}
            if names:
                ann.update(_keypoint_fields([], names, where))
            annotations.append(ann)
    return {"info": {"description": "exported by nbannotate"}, "licenses": [],
            "images": images, "annotations": annotations, "categories": categories}


def from_coco(data: Mapping[str, Any], *, boxes_from_segmentation: bool = False) -> CocoData:
    """Read a COCO dataset ``dict`` (``json.load`` the file first) into image items.

    Parameters
    ----------
    data : dict
        With ``images``, ``annotations`` and ``categories`` lists.
    boxes_from_segmentation : bool
        Also make a box (from ``bbox``) for annotations that have a segmentation.

    Returns
    -------
    CocoData
        ``(items, labels, keypoint_labels, skeleton)``: items in ``images`` order, labels in
        ``categories`` order, keypoint names and skeleton pairs of names (merged over
        categories).

    Examples
    --------
    >>> data = {"images": [{"id": 7, "file_name": "a.jpg", "width": 4, "height": 4}],
    ...         "categories": [{"id": 3, "name": "dot"}],
    ...         "annotations": [{"id": 9, "image_id": 7, "category_id": 3,
    ...                          "bbox": [1, 1, 2, 2], "score": 0.5}]}
    >>> box = from_coco(data).items[0]["boxes"][0]
    >>> box["id"], box["source"], box["x"], box["score"]
    ('9', 'model', 1.0, 0.5)
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"COCO data must be a dict, got {type(data).__name__}")
    for key in ("images", "annotations", "categories"):
        if not isinstance(data.get(key), list):
            raise ValueError(f"COCO data: field {key!r} must be a list, got {data.get(key)!r}")
    categories, labels, names, skeleton = read_categories(data)
    items = read_images(data)
    for index, ann in enumerate(data["annotations"]):
        if not isinstance(ann, Mapping):
            raise ValueError(f"COCO annotation {index}: must be a dict, got {ann!r}")
        where = f"COCO annotation {index} (id={ann.get('id')!r})"
        for key, table, what in (("image_id", items, "images"),
                                 ("category_id", categories, "categories")):
            if ann.get(key) not in table:
                raise ValueError(f"{where}: field {key!r} must be the id of one of the {what}, "
                                 f"got {ann.get(key)!r}")
        item, category = items[ann["image_id"]], categories[ann["category_id"]]
        base = ann.get("nbannotate_id") or str(ann.get("id", f"annotation-{index}"))
        common: dict[str, Any] = {"label": category["name"],
                                  "source": ann.get("nbannotate_source")
                                  or ("model" if ann.get("score") is not None else "human")}
        if ann.get("score") is not None:
            common["score"] = ann["score"]
        seg = ann.get("segmentation")
        parts = segments(seg, item, where) if seg not in (None, [], {}) else []
        boxless = ann.get("nbannotate_boxless") is True
        made: list[tuple[str, dict[str, Any]]] = []
        points = read_keypoints(ann, category["keypoints"], base, common, where)
        if not boxless and (not parts or points or boxes_from_segmentation):
            if not numbers(ann.get("bbox"), 4) or min(ann["bbox"][2:]) < 0:
                raise ValueError(f"{where}: field 'bbox' must be [x, y, w, h] numbers with "
                                 f"w, h >= 0, got {ann.get('bbox')!r}")
            x, y, w, h = ann["bbox"]
            box = {**common, "x": x, "y": y, "w": w, "h": h}
            if isinstance(ann.get("utf8_string"), str):
                box["text"] = ann["utf8_string"]
            made.append(("box", box))
        made += [(kind, {**common, "points" if kind == "polygon" else "mask": shape})
                 for kind, shape in parts]
        for number, (kind, record) in enumerate(made):
            record["id"] = base if number == 0 else f"{base}-{number}"
            size = {"image_size": (item["width"], item["height"])} if kind == "mask" else {}
            item[f"{kind}es" if kind == "box" else f"{kind}s"].append(
                checked_record(kind, record, where, **size))
        for point in points:
            if made and made[0][0] == "box" and not boxless:
                point["box_id"] = made[0][1]["id"]
            item["keypoints"].append(point)
    for index, item in enumerate(items.values()):
        for key in ("boxes", "keypoints", "polygons", "masks"):
            counts = Counter(record["id"] for record in item[key])
            repeated = sorted(i for i, n in counts.items() if n > 1)
            if repeated:
                raise ValueError(f"COCO image {index} ({item['image']!r}): {key} ids repeat "
                                 f"{repeated} (check nbannotate_id / annotation ids)")
    return CocoData(list(items.values()), labels, names, skeleton)  # type: ignore[arg-type]
