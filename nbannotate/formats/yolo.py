"""YOLO detection labels (``class cx cy w h``, normalized) to and from boxes.

One text file per image, one line per box: the class index (position in ``labels``), then
the box centre and size divided by the image width and height. Numbers are written with
up to 12 decimals, so geometry survives a round trip to well under 1e-6 pixels. YOLO has
no ids, sources or transcriptions: reading makes fresh ids and ``source="human"``, or
``"model"`` with ``score`` when a line carries a sixth column (a confidence, as
``save_conf`` writes). Only boxes are written; other records of the item are reported in a
warning.

A dataset directory holds ``labels/<image stem>.txt``, ``classes.txt`` (one label per line)
and ``data.yaml`` (written by hand: ``path``, ``train``, ``val``, ``nc`` and ``names``).

Examples
--------
>>> item = {"image": "a.jpg", "width": 200, "height": 100,
...         "boxes": [{"label": "dog", "x": 50, "y": 25, "w": 100, "h": 50}]}
>>> print(to_yolo(item, ["cat", "dog"]), end="")
1 0.5 0.5 0.5 0.5
>>> box = from_yolo("1 0.5 0.5 0.5 0.5", ["cat", "dog"], 200, 100)[0]
>>> box["label"], box["x"], box["w"]
('dog', 50.0, 100.0)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..records import Box, new_id, validate_box
from ._common import ImageItem, check_image_item, check_labels, check_list, warn

__all__ = ["from_yolo", "read_yolo_dir", "to_yolo", "write_yolo_dir"]


def _fmt(value: float) -> str:
    text = f"{value:.12f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _dropped(item: Mapping[str, Any], what: str, depth: int) -> None:
    others = [f"{len(item[key])} {key}" for key in ("keypoints", "polygons", "masks")
              if item[key]]
    if others:
        warn(f"{what} holds boxes only: {', '.join(others)} of image {item['image']!r} "
             "were not written", depth + 1)


def _lines(item: ImageItem, labels: list[str], include_scores: bool) -> str:
    lines = []
    for box in item["boxes"]:
        width, height = item["width"], item["height"]
        fields = [str(labels.index(box["label"])), _fmt((box["x"] + box["w"] / 2) / width),
                  _fmt((box["y"] + box["h"] / 2) / height), _fmt(box["w"] / width),
                  _fmt(box["h"] / height)]
        if include_scores and "score" in box:
            fields.append(_fmt(box["score"]))
        lines.append(" ".join(fields))
    return "".join(line + "\n" for line in lines)


def to_yolo(item: Mapping[str, Any], labels: Sequence[str], *,
            include_scores: bool = False) -> str:
    """Write the boxes of one image item as YOLO label text.

    Parameters
    ----------
    item : dict
        An image item; only ``boxes`` are written (a warning names what is left out).
    labels : list of str
        Class names; a box's class index is its label's position here.
    include_scores : bool
        Append a sixth column with the ``score`` of boxes that have one.

    Returns
    -------
    str
        One ``"class cx cy w h"`` line per box, each ending with a newline.

    Examples
    --------
    >>> item = {"image": "a.jpg", "width": 10, "height": 10,
    ...         "boxes": [{"label": "a", "x": 0, "y": 0, "w": 5, "h": 2.5}]}
    >>> to_yolo(item, ["a"])
    '0 0.25 0.125 0.5 0.25\\n'
    """
    labels = check_labels(labels)
    checked = check_image_item(item, labels=labels)
    _dropped(checked, "YOLO detection labels", 1)
    return _lines(checked, labels, include_scores)


def from_yolo(text: str, labels: Sequence[str], width: int, height: int) -> list[Box]:
    """Read YOLO label text into box records (pixels, top-left origin).

    Parameters
    ----------
    text : str
        The content of one label file.
    labels : list of str
        Class names by index.
    width, height : int
        The image size in pixels (YOLO files do not hold it).

    Returns
    -------
    list of Box
        With fresh ids; ``source="model"`` and ``score`` for lines with a sixth column.

    Examples
    --------
    >>> [b["y"] for b in from_yolo("0 0.5 0.5 1 0.5\\n", ["a"], 10, 20)]
    [5.0]
    >>> from_yolo("0 0.5 0.5 1", ["a"], 10, 20)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: YOLO line 1: expected 'class cx cy w h' (5 fields, ...), got '0 0.5 0.5 1'
    """
    labels = check_labels(labels)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer (pixels), got {value!r}")
    boxes: list[Box] = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        where = f"YOLO line {number}"
        if len(fields) not in (5, 6):
            hint = (" (a polygon line? only detection boxes are read)" if len(fields) > 6
                    else "")
            raise ValueError(f"{where}: expected 'class cx cy w h' (5 fields, or 6 with a "
                             f"confidence), got {line!r}{hint}")
        if not (fields[0].isascii() and fields[0].isdigit()) or int(fields[0]) >= len(labels):
            raise ValueError(f"{where}: class must be an index in [0, {len(labels)}) into "
                             f"labels {labels}, got {fields[0]!r}")
        try:
            values = [float(v) for v in fields[1:]]
        except ValueError:
            raise ValueError(f"{where}: cx, cy, w, h must be numbers, got {line!r}") from None
        if not all(math.isfinite(v) for v in values) or values[2] < 0 or values[3] < 0:
            raise ValueError(f"{where}: cx, cy, w, h must be finite with w, h >= 0, "
                             f"got {line!r}")
        cx, cy, w, h = values[:4]
        record: dict[str, Any] = {"id": new_id(), "label": labels[int(fields[0])],
                                  "x": (cx - w / 2) * width, "y": (cy - h / 2) * height,
                                  "w": w * width, "h": h * height, "source": "human"}
        if len(values) == 5:
            record.update(source="model", score=values[4])
        try:
            boxes.append(validate_box(record))
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
    return boxes


def _stems(items: list[ImageItem]) -> list[str]:
    stems: dict[str, str] = {}
    for item in items:
        stem = Path(item["image"]).stem
        if stem in stems:
            raise ValueError(f"images {stems[stem]!r} and {item['image']!r} would share the "
                             f"label file labels/{stem}.txt")
        stems[stem] = item["image"]
    return list(stems)


def write_yolo_dir(items: Sequence[Mapping[str, Any]], labels: Sequence[str],
                   directory: str | Path, *, include_scores: bool = False) -> Path:
    """Write a YOLO dataset: ``labels/<stem>.txt`` per item, ``classes.txt``, ``data.yaml``.

    Parameters
    ----------
    items : list of dict
        Image items; each gets a label file named after its image (empty when no boxes).
    labels : list of str
        Class names (no line breaks).
    directory : str or Path
        Created when missing; images are not copied.
    include_scores : bool
        As in ``to_yolo``.

    Returns
    -------
    Path
        The directory.

    Examples
    --------
    >>> import tempfile
    >>> items = [{"image": "img/a.jpg", "width": 4, "height": 4,
    ...           "boxes": [{"label": "a", "x": 0, "y": 0, "w": 2, "h": 2}]}]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = write_yolo_dir(items, ["a"], tmp)
    ...     print((root / "labels" / "a.txt").read_text(), end="")
    0 0.25 0.25 0.5 0.5
    """
    labels = check_labels(labels)
    for index, label in enumerate(labels):
        if "\n" in label or "\r" in label:
            raise ValueError(f"labels[{index}] must not contain a line break, got {label!r}")
    checked = [check_image_item(item, index, labels=labels)
               for index, item in enumerate(check_list(items, "items"))]
    root = Path(directory)
    (root / "labels").mkdir(parents=True, exist_ok=True)
    for item, stem in zip(checked, _stems(checked), strict=True):
        _dropped(item, "YOLO detection labels", 1)
        (root / "labels" / f"{stem}.txt").write_text(_lines(item, labels, include_scores),
                                                     encoding="utf-8")
    (root / "classes.txt").write_text("".join(f"{label}\n" for label in labels),
                                      encoding="utf-8")
    names = "".join(f"  {index}: {json.dumps(label, ensure_ascii=False)}\n"
                    for index, label in enumerate(labels))
    (root / "data.yaml").write_text(
        f"# written by nbannotate\npath: .\ntrain: images\nval: images\nnc: {len(labels)}\n"
        f"names:\n{names}", encoding="utf-8")
    return root


def _yaml_scalar(text: str) -> str:
    text = text.strip()
    if text.startswith('"'):
        return str(json.loads(text))
    if text.startswith("'") and text.endswith("'") and len(text) > 1:
        return text[1:-1].replace("''", "'")
    return text


def _names_from_yaml(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.startswith("names:"):
            continue
        rest = line[len("names:"):].split(" #")[0].strip()
        if rest.startswith("["):
            if not rest.endswith("]"):
                raise ValueError(f"{path} line {number}: cannot read 'names' {rest!r}")
            return [_yaml_scalar(v) for v in rest[1:-1].split(",") if v.strip()]
        names: dict[int, str] = {}
        for offset, entry in enumerate(lines[number:], number + 1):
            if not entry.strip() or entry.lstrip().startswith("#"):
                continue
            if not entry.startswith((" ", "\t", "-")):
                break
            entry = entry.strip()
            if entry.startswith("- "):
                names[len(names)] = _yaml_scalar(entry[2:])
            elif ":" in entry and entry.split(":", 1)[0].strip().isdigit():
                key, value = entry.split(":", 1)
                names[int(key)] = _yaml_scalar(value)
            else:
                raise ValueError(f"{path} line {offset}: expected '- name' or 'index: name' "
                                 f"under 'names:', got {entry!r}")
        if sorted(names) != list(range(len(names))):
            raise ValueError(f"{path}: 'names' indices must be 0..{len(names) - 1}, got "
                             f"{sorted(names)}")
        return [names[i] for i in range(len(names))]
    raise ValueError(f"{path}: no 'names:' entry")


def read_yolo_dir(directory: str | Path,
                  sizes: Mapping[str, tuple[int, int]]) -> tuple[list[ImageItem], list[str]]:
    """Read a YOLO dataset written by ``write_yolo_dir`` (or by YOLO tools).

    Parameters
    ----------
    directory : str or Path
        Holding ``labels/*.txt`` and ``classes.txt`` (or ``data.yaml`` with ``names``).
    sizes : mapping of str to (int, int)
        Image name (what becomes each item's ``image``) to ``(width, height)``: YOLO files
        do not hold image sizes. Items come back in this order; an image without a label
        file has no boxes, and a label file matching no image is an error.

    Returns
    -------
    (list of ImageItem, list of str)
        The items and the class labels.

    Examples
    --------
    >>> import tempfile
    >>> items = [{"image": "a.jpg", "width": 4, "height": 4,
    ...           "boxes": [{"label": "a", "x": 0, "y": 0, "w": 2, "h": 2}]}]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     read, labels = read_yolo_dir(write_yolo_dir(items, ["a"], tmp), {"a.jpg": (4, 4)})
    >>> read[0]["boxes"][0]["w"], labels
    (2.0, ['a'])
    """
    root = Path(directory)
    if (root / "classes.txt").exists():
        text = (root / "classes.txt").read_text(encoding="utf-8")
        labels = [line.strip() for line in text.splitlines() if line.strip()]
    elif (root / "data.yaml").exists():
        labels = _names_from_yaml(root / "data.yaml")
    else:
        raise ValueError(f"{root}: neither classes.txt nor data.yaml found")
    if not isinstance(sizes, Mapping):
        raise TypeError(f"sizes must map image names to (width, height), got "
                        f"{type(sizes).__name__}")
    items = [check_image_item({"image": name, "width": size[0], "height": size[1]}, index)
             for index, (name, size) in enumerate(sizes.items())]
    stems = _stems(items)
    files = {path.stem: path for path in sorted((root / "labels").glob("*.txt"))}
    orphans = sorted(set(files) - set(stems))
    if orphans:
        raise ValueError(f"{root / 'labels'}: label files {[f'{s}.txt' for s in orphans]} "
                         "match no image in sizes")
    for item, stem in zip(items, stems, strict=True):
        if stem in files:
            try:
                item["boxes"] = from_yolo(files[stem].read_text(encoding="utf-8"), labels,
                                          item["width"], item["height"])
            except ValueError as error:
                raise ValueError(f"{files[stem]}: {error}") from None
    return items, labels
