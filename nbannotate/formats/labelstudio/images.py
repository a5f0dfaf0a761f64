"""Label Studio image tasks (boxes, keypoints, polygons, brush masks, box transcriptions).

One task per image item: ``data`` holds the image (under ``data_key``) and the image size
(``nbannotate_width`` / ``nbannotate_height``, so items without results keep it). Records
become results in percent of ``original_width`` / ``original_height``:

* box: ``rectanglelabels`` with ``x``, ``y``, ``width``, ``height`` and ``rotation`` 0; its
  ``text`` becomes a ``textarea`` result with the same ``id`` (Label Studio's OCR layout);
* keypoint: ``keypointlabels`` with ``x``, ``y`` and a display ``width`` of 0.5; its
  ``box_id`` goes to ``parentID``, and ``visible`` (when not 2) to ``nbannotate_visible``;
* polygon: ``polygonlabels`` with ``points`` in percent and ``closed`` true;
* mask: ``brushlabels`` with ``format`` ``"rle"`` and ``rle``, Label Studio's own
  bit-packed run-length code of the RGBA image (see :mod:`._brush`).

Human records go to the task's ``annotations``, model and auto records to its
``predictions`` (``origin`` ``"prediction"``, the record ``score`` per result, and
``nbannotate_source`` ``"auto"`` for auto-labels). Reading skips other result types with
a warning. Rotated rectangles are an error.

Examples
--------
>>> items = [{"image": "a.jpg", "width": 200, "height": 100, "boxes": [
...     {"id": "b1", "label": "word", "x": 20, "y": 10, "w": 50, "h": 20, "text": "Hi"}]}]
>>> tasks = to_labelstudio_images(items)
>>> [r["type"] for r in tasks[0]["annotations"][0]["result"]]
['rectanglelabels', 'textarea']
>>> tasks[0]["annotations"][0]["result"][0]["value"]["x"]
10.0
>>> from_labelstudio_images(tasks)[0]["boxes"][0]["text"]
'Hi'
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from .._common import ImageItem, check_image_item, check_list
from ..rle import mask_to_rle, rle_to_mask
from ._brush import brush_to_mask, mask_to_brush
from ._common import (
    PREFIX,
    Results,
    common_fields,
    load_tasks,
    make_task,
    number,
    result_base,
    texts_of,
    validated,
    warn_skipped,
)

__all__ = ["from_labelstudio_images", "to_labelstudio_images"]

_TYPES = ("rectanglelabels", "keypointlabels", "polygonlabels", "brushlabels", "textarea")


def to_labelstudio_images(items: Sequence[Mapping[str, Any]], *, from_name: str = "label",
                          to_name: str = "image", keypoint_from_name: str = "keypoint",
                          polygon_from_name: str = "polygon", brush_from_name: str = "brush",
                          text_from_name: str = "transcription",
                          data_key: str = "image") -> list[dict[str, Any]]:
    """Convert image items to Label Studio tasks (``json.dump`` the list to import it).

    Parameters
    ----------
    items : list of dict
        Image items.
    from_name : str
        Name of the ``<RectangleLabels>`` control for boxes.
    to_name : str
        Name of the ``<Image>`` object.
    keypoint_from_name, polygon_from_name, brush_from_name, text_from_name : str
        Names of the ``<KeyPointLabels>``, ``<PolygonLabels>``, ``<BrushLabels>`` and
        per-region ``<TextArea>`` controls.
    data_key : str
        The task data key the ``<Image value="$image">`` reads.

    Returns
    -------
    list of dict
        One task per item.

    Examples
    --------
    >>> items = [{"image": "a.jpg", "width": 10, "height": 10, "keypoints": [
    ...     {"id": "k", "label": "nose", "x": 5, "y": 2.5, "source": "model", "score": 0.9}]}]
    >>> result = to_labelstudio_images(items)[0]["predictions"][0]["result"][0]
    >>> result["value"], result["score"]
    ({'x': 50.0, 'y': 25.0, 'width': 0.5, 'keypointlabels': ['nose']}, 0.9)
    """
    tasks = []
    for index, raw in enumerate(check_list(items, "items")):
        item = check_image_item(raw, index)
        width, height = item["width"], item["height"]
        size = {"original_width": width, "original_height": height, "image_rotation": 0}
        results: list[tuple[Mapping[str, Any], dict[str, Any]]] = []
        ids = [r["id"] for key in ("boxes", "keypoints", "polygons", "masks")
               for r in item[key]]
        if len(set(ids)) != len(ids):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"image item {index} ({item['image']!r}): ids {repeated} are used "
                             "by more than one record; Label Studio result ids must be unique")
        for box in item["boxes"]:
            geometry = {"x": 100 * box["x"] / width, "y": 100 * box["y"] / height,
                        "width": 100 * box["w"] / width, "height": 100 * box["h"] / height,
                        "rotation": 0}
            result = result_base(box, "rectanglelabels", from_name, to_name)
            result.update(size, value={**geometry, "rectanglelabels": [box["label"]]})
            results.append((box, result))
            if "text" in box:
                result = result_base(box, "textarea", text_from_name, to_name)
                result.update(size, value={**geometry, "text": [box["text"]]})
                results.append((box, result))
        for point in item["keypoints"]:
            result = result_base(point, "keypointlabels", keypoint_from_name, to_name)
            result.update(size, value={"x": 100 * point["x"] / width,
                                       "y": 100 * point["y"] / height, "width": 0.5,
                                       "keypointlabels": [point["label"]]})
            if "box_id" in point:
                result["parentID"] = point["box_id"]
            if point["visible"] != 2:
                result[PREFIX + "visible"] = point["visible"]
            results.append((point, result))
        for polygon in item["polygons"]:
            result = result_base(polygon, "polygonlabels", polygon_from_name, to_name)
            points = [[100 * x / width, 100 * y / height] for x, y in polygon["points"]]
            result.update(size, value={"points": points, "closed": True,
                                       "polygonlabels": [polygon["label"]]})
            results.append((polygon, result))
        for mask in item["masks"]:
            result = result_base(mask, "brushlabels", brush_from_name, to_name)
            result.update(size, value={"format": "rle",
                                       "rle": mask_to_brush(rle_to_mask(mask["mask"])),
                                       "brushlabels": [mask["label"]]})
            results.append((mask, result))
        data = {data_key: item["image"], PREFIX + "width": width, PREFIX + "height": height}
        tasks.append(make_task(data, results))
    return tasks


def _size(task: Mapping[str, Any], results: Results) -> tuple[Any, Any]:
    data = task["data"]
    width, height = data.get(PREFIX + "width"), data.get(PREFIX + "height")
    for result, *_ in results.entries:
        if width is None or height is None:
            width, height = result.get("original_width"), result.get("original_height")
    if width is None or height is None:
        raise ValueError(f"{results.where}: cannot tell the image size: no "
                         f"data.{PREFIX}width/height and no result with original_width/height")
    return width, height


class _Percent:
    """Label Studio percent <-> pixels along one side of ``size`` pixels.

    A coordinate written from the image's edge (0 or ``size``) reads back exactly at the
    edge: ``p * size / 100`` can miss it by a rounding step (``7 / 100 * 100`` is
    ``7.000000000000001``), which would put the point outside the image.

    Examples
    --------
    >>> _Percent(7).pixels(100 * 7 / 7), _Percent(7).pixels(-1e-14)
    (7.0, 0.0)
    """

    def __init__(self, size: float) -> None:
        self.size = size

    def pixels(self, percent: float) -> float:
        value = percent * self.size / 100
        slack = 1e-9 * max(self.size, 1.0)
        if -slack <= value < 0:
            return 0.0
        if self.size < value <= self.size + slack:
            return float(self.size)
        return float(value)


def _brush(result: Mapping[str, Any], value: Mapping[str, Any], width: Any, height: Any,
           where: str) -> dict[str, Any]:
    """The COCO RLE of a ``brushlabels`` result (checked against the image size)."""
    if value.get("format") not in (None, "rle"):
        raise ValueError(f"{where}: field 'value.format' must be 'rle', got {value['format']!r}")
    sizes = (result.get("original_width") or width, result.get("original_height") or height)
    if sizes != (width, height):
        raise ValueError(f"{where}: a brush mask of {sizes[0]}x{sizes[1]} does not fit the "
                         f"image ({width}x{height})")
    return mask_to_rle(brush_to_mask(value.get("rle"), int(width), int(height),
                                     f"{where}: field 'value.rle'"))


def from_labelstudio_images(tasks: Any, *, from_name: str | Collection[str] | None = None,
                            to_name: str | None = None, data_key: str = "image",
                            predictions: bool = True) -> list[ImageItem]:
    """Read Label Studio image tasks (exported JSON, or the list) into image items.

    Parameters
    ----------
    tasks : list of dict or str
        Tasks as exported ("JSON" export), or that JSON text.
    from_name, to_name : str, optional
        Read only results of these controls / this object (default: all).
    data_key : str
        The task data key holding the image.
    predictions : bool
        Also read the first prediction (as model records). Its results that an annotation
        repeats by id are skipped, but a prediction the annotator deleted is still there:
        pass ``False`` to read only what annotators submitted.

    Returns
    -------
    list of ImageItem
        One per task. Human records come from the first annotation not cancelled.

    Examples
    --------
    >>> task = {"data": {"image": "a.jpg"}, "annotations": [{"result": [
    ...     {"id": "r1", "type": "rectanglelabels", "from_name": "label", "to_name": "image",
    ...      "original_width": 200, "original_height": 100,
    ...      "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0,
    ...                "rectanglelabels": ["cat"]}}]}]}
    >>> box = from_labelstudio_images([task])[0]["boxes"][0]
    >>> box["x"], box["y"], box["w"], box["h"], box["label"]
    (20.0, 20.0, 60.0, 40.0, 'cat')
    """
    items: list[ImageItem] = []
    skipped: dict[str, int] = {}
    for index, task in enumerate(load_tasks(tasks)):
        results = Results(task, index, predictions=predictions, from_name=from_name,
                          to_name=to_name, types=_TYPES)
        for kind, count in results.skipped.items():
            skipped[kind] = skipped.get(kind, 0) + count
        image = task["data"].get(data_key)
        if not isinstance(image, str):
            raise ValueError(f"{results.where}: field 'data.{data_key}' must be the image "
                             f"file name or URL, got {image!r}")
        width, height = _size(task, results)
        item: dict[str, Any] = dict(check_image_item({"image": image, "width": width,
                                                      "height": height}))
        texts: dict[str, tuple[str, str]] = {}
        for number_, (result, source, score, where) in enumerate(results.entries):
            value = result["value"]
            kind = result["type"]
            if kind == "textarea":
                texts[str(result.get("id"))] = (texts_of(value, where), where)
                continue
            key = {"rectanglelabels": "boxes", "keypointlabels": "keypoints",
                   "polygonlabels": "polygons", "brushlabels": "masks"}[kind]
            record = common_fields(result, source, score, number_, kind, where)
            along_x = _Percent(float(result.get("original_width") or width))
            along_y = _Percent(float(result.get("original_height") or height))
            if kind == "rectanglelabels":
                if value.get("rotation") not in (None, 0, 0.0):
                    raise ValueError(f"{where}: rotation {value['rotation']!r} is not supported "
                                     "(box records are axis-aligned)")
                x = along_x.pixels(number(value, "x", where))
                y = along_y.pixels(number(value, "y", where))
                record.update(x=x, y=y,
                              w=along_x.pixels(number(value, "x", where)
                                               + number(value, "width", where)) - x,
                              h=along_y.pixels(number(value, "y", where)
                                               + number(value, "height", where)) - y)
            elif kind == "brushlabels":
                record["mask"] = _brush(result, value, width, height, where)
            elif kind == "keypointlabels":
                record.update(x=along_x.pixels(number(value, "x", where)),
                              y=along_y.pixels(number(value, "y", where)),
                              visible=result.get(PREFIX + "visible", 2))
                if result.get("parentID"):
                    record["box_id"] = result["parentID"]
            else:
                points = value.get("points")
                if not isinstance(points, list):
                    raise ValueError(f"{where}: field 'value.points' must be a list of [x, y] "
                                     f"percent pairs, got {points!r}")
                record["points"] = [[along_x.pixels(p[0]), along_y.pixels(p[1])]
                                    if isinstance(p, list) and len(p) == 2
                                    and all(isinstance(v, (int, float)) for v in p) else p
                                    for p in points]
            item[key].append(validated(key[:-1] if key != "boxes" else "box", record, where))
        boxes = {box["id"]: box for box in item["boxes"]}
        for rid, (text, _) in texts.items():
            if rid in boxes:
                boxes[rid]["text"] = text
            else:
                skipped["textarea without a rectangle"] = (
                    skipped.get("textarea without a rectangle", 0) + 1)
        for point in item["keypoints"]:
            if point.get("box_id") not in boxes:
                point.pop("box_id", None)  # a parent that is not a box
        try:
            items.append(check_image_item(item, index))
        except ValueError as error:
            raise ValueError(f"{results.where}: {error}") from None
    warn_skipped(skipped, "image tasks read rectanglelabels, keypointlabels, polygonlabels, "
                 "brushlabels and textarea")
    return items
