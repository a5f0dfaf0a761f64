"""OCR line list (JSONL): one line per transcribed box, pages in reading order.

Each line is one JSON object (UTF-8, any script, not ASCII-escaped)::

    {"image": "scan 1.png", "image_width": 1275, "image_height": 1650,
     "box": [x, y, w, h], "text": "...", "label": "line",
     "id": "b1", "source": "human", "score": 0.9}

``box`` is in pixels of the original image (top-left origin), ``text`` the box's
transcription; ``score`` is present for model output. The image size lets the lines be
read back into image items. Within an image, lines follow reading order (text lines top to
bottom, words left to right, or right to left on pages whose texts are mostly in a
right-to-left script); images keep their order.

Only boxes with a ``text`` are written (a text of ``""`` counts): boxes without one,
keypoints, polygons and masks are left out with a warning that counts them, and an image
without transcribed boxes has no line.

Reading accepts files from elsewhere: keys other than the above are ignored, ``label``
defaults to ``label=``, ``id`` to a fresh id, ``source`` to ``"human"``, and the image
size may come from ``image_sizes=`` instead of the lines.

Examples
--------
>>> items = [{"image": "p.png", "width": 100, "height": 50, "boxes": [
...     {"id": "w2", "label": "word", "x": 60, "y": 10, "w": 30, "h": 12, "text": "עולם"},
...     {"id": "w1", "label": "word", "x": 10, "y": 11, "w": 40, "h": 12, "text": "Hello"}]}]
>>> text = to_ocr_jsonl(items)
>>> print(text, end="")  # doctest: +NORMALIZE_WHITESPACE
{"image": "p.png", "image_width": 100, "image_height": 50, "box": [10.0, 11.0, 40.0, 12.0],
 "text": "Hello", "label": "word", "id": "w1", "source": "human"}
{"image": "p.png", "image_width": 100, "image_height": 50, "box": [60.0, 10.0, 30.0, 12.0],
 "text": "עולם", "label": "word", "id": "w2", "source": "human"}
>>> [box["text"] for box in from_ocr_jsonl(text)[0]["boxes"]]
['Hello', 'עולם']
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..records import Box, new_id, validate_box
from ..records.reading_order import DIRECTIONS, reading_order
from ._common import ImageItem, check_image_item, check_list, json_lines, warn

__all__ = ["from_ocr_jsonl", "to_ocr_jsonl"]


def to_ocr_jsonl(items: Sequence[Any], direction: str = "auto") -> str:
    """Write the transcribed boxes of image items as an OCR line list.

    Parameters
    ----------
    items : list of dict
        Image items; their boxes with a ``text`` become lines, in reading order.
    direction : {"auto", "ltr", "rtl"}
        Within a line, boxes go left to right or right to left; ``"auto"`` decides per image
        from its texts (right to left when most start with a right-to-left letter).

    Returns
    -------
    str
        One JSON object per line, each ending in a newline; ``""`` when there is none.

    Examples
    --------
    >>> to_ocr_jsonl([{"image": "a.png", "width": 9, "height": 9, "boxes": [
    ...     {"id": "b", "label": "word", "x": 0, "y": 0, "w": 5, "h": 5, "text": 3}]}])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: image item 0 ('a.png') boxes: record 0 (id='b'): field 'text' must be a string, ...
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {list(DIRECTIONS)}, got {direction!r}")
    lines: list[str] = []
    left_out: dict[str, int] = {}
    for index, raw in enumerate(check_list(items, "items")):
        item = check_image_item(raw, index)
        boxes = [box for box in item["boxes"] if "text" in box]
        counts = {"boxes without text": len(item["boxes"]) - len(boxes),
                  "keypoints": len(item["keypoints"]), "polygons": len(item["polygons"]),
                  "masks": len(item["masks"])}
        for key, count in counts.items():
            left_out[key] = left_out.get(key, 0) + count
        for position in reading_order(boxes, direction):
            box = boxes[position]
            line: dict[str, Any] = {"image": item["image"], "image_width": item["width"],
                                    "image_height": item["height"],
                                    "box": [box["x"], box["y"], box["w"], box["h"]],
                                    "text": box["text"], "label": box["label"],
                                    "id": box["id"], "source": box["source"]}
            if "score" in box:
                line["score"] = box["score"]
            lines.append(json.dumps(line, ensure_ascii=False) + "\n")
    dropped = [f"{count} {key}" for key, count in left_out.items() if count]
    if dropped:
        warn(f"the OCR line list holds boxes with text only: {', '.join(dropped)} were not "
             "written")
    return "".join(lines)


def _size(line: Mapping[str, Any], image: str, image_sizes: Mapping[str, Any] | None,
          where: str) -> tuple[Any, Any]:
    if "image_width" in line or "image_height" in line:
        return line.get("image_width"), line.get("image_height")
    if image_sizes is not None and image in image_sizes:
        size = image_sizes[image]
        if not isinstance(size, (list, tuple)) or len(size) != 2:
            raise ValueError(f"image_sizes[{image!r}] must be (width, height), got {size!r}")
        return size[0], size[1]
    raise ValueError(f"{where}: no image size: the line has no 'image_width' / "
                     f"'image_height'; pass image_sizes={{{image!r}: (width, height)}}")


def from_ocr_jsonl(text: str, *, image_sizes: Mapping[str, tuple[int, int]] | None = None,
                   label: str = "text") -> list[ImageItem]:
    """Read an OCR line list into image items (boxes with ``text``).

    Parameters
    ----------
    text : str
        The file content, one JSON object per line (blank lines are skipped).
    image_sizes : dict, optional
        ``{image: (width, height)}`` for lines without ``image_width`` / ``image_height``.
    label : str
        The label of lines without one.

    Returns
    -------
    list of ImageItem
        One per image, in order of first appearance; boxes in line order.

    Examples
    --------
    >>> line = '{"image": "a.png", "box": [1, 2, 3, 4], "text": "سلام"}'
    >>> box = from_ocr_jsonl(line, image_sizes={"a.png": (10, 10)})[0]["boxes"][0]
    >>> box["text"], box["label"], box["w"], box["source"]
    ('سلام', 'text', 3.0, 'human')
    >>> from_ocr_jsonl(line)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: OCR line 1: no image size: the line has no 'image_width' / 'image_height'; ...
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    items: dict[str, dict[str, Any]] = {}
    ids: dict[str, set[str]] = {}
    for number, line in json_lines(text, "OCR line list"):
        where = f"OCR line {number}"
        image = line.get("image")
        if not isinstance(image, str) or not image:
            raise ValueError(f"{where}: field 'image' must be a non-empty string (a file name), "
                             f"got {image!r}")
        width, height = _size(line, image, image_sizes, where)
        if image not in items:
            try:
                items[image] = dict(check_image_item({"image": image, "width": width,
                                                      "height": height}))
            except ValueError as error:
                detail = str(error).partition(": field ")[2]
                raise ValueError(f"{where}: image size {detail or error}") from None
            ids[image] = set()
        item = items[image]
        if (width, height) != (item["width"], item["height"]):
            raise ValueError(f"{where}: image {image!r} is {width}x{height} here but "
                             f"{item['width']}x{item['height']} on an earlier line")
        box = line.get("box")
        if (not isinstance(box, (list, tuple)) or len(box) != 4
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           and math.isfinite(v) for v in box)):
            raise ValueError(f"{where}: field 'box' must be [x, y, w, h] (4 numbers, pixels), "
                             f"got {box!r}")
        if not isinstance(line.get("text"), str):
            raise ValueError(f"{where}: field 'text' must be a string, got "
                             f"{line.get('text')!r}")
        record: dict[str, Any] = {"id": line.get("id", new_id()),
                                  "label": line.get("label", label),
                                  "source": line.get("source", "human"),
                                  "x": box[0], "y": box[1], "w": box[2], "h": box[3],
                                  "text": line["text"]}
        if line.get("score") is not None:
            record["score"] = line["score"]
        try:
            clean: Box = validate_box(record)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}: {error}") from None
        if clean["id"] in ids[image]:
            raise ValueError(f"{where}: id {clean['id']!r} repeats the id of an earlier box of "
                             f"image {image!r}")
        ids[image].add(clean["id"])
        item["boxes"].append(clean)
    return list(items.values())  # type: ignore[arg-type]
