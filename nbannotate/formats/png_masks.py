"""PNG label masks (semantic segmentation): one label index per pixel, 0 = background.

Writing (``to_png_masks``)
    The masks of an image item are painted into one gray PNG of the image's size: pixel
    value ``i + 1`` for ``labels[i]``, ``0`` where no mask is. With up to 255 labels the
    PNG is 8-bit, else 16-bit (up to 65,535 labels). Masks are painted in list order, so
    **where masks overlap, the later one wins** (order the list to choose; a warning
    counts the pixels that changed label). Masks with the same label merge into one region:
    a label mask keeps classes, not instances (use COCO for instances). Boxes, keypoints and
    polygons are not drawn (a warning counts them). What a label mask has no place for is
    kept in an ``iTXt`` chunk with the keyword ``nbannotate``, which image tools ignore:
    the labels, and each mask's ``id``, ``source`` and ``score``.

Reading (``from_png_masks``)
    A gray or palette PNG of any bit depth (a palette image's indices are the values, as
    in Pascal VOC ``SegmentationClass`` files): one mask record per value present, value
    ``v`` meaning ``labels[v - 1]``. Values in ``ignore`` (e.g. VOC's 255 "void" border)
    count as background; other values beyond the labels are an error. When the
    ``nbannotate`` chunk lists exactly one mask for a label, that record's ``id``,
    ``source`` and ``score`` come back (and the records come back in the order they were
    written); otherwise the record gets a fresh id and ``source="human"``. A label whose
    pixels were all painted over, or an empty mask, has no pixels and gives no record.

Examples
--------
>>> import numpy as np
>>> from nbannotate.formats import mask_to_rle
>>> road = np.zeros((2, 3), dtype=bool)
>>> road[1] = True
>>> item = {"image": "a.png", "width": 3, "height": 2, "masks": [
...     {"id": "m1", "label": "road", "mask": mask_to_rle(road)}]}
>>> data = to_png_masks(item, ["sky", "road"])
>>> from nbannotate.formats._png import read_png
>>> read_png(data).values.tolist()
[[0, 0, 0], [2, 2, 2]]
>>> from_png_masks(data, ["sky", "road"])[0]["id"]
'm1'
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from ..records import Mask, new_id, validate_mask
from ._common import check_image_item, check_labels, warn
from ._png import gray_png, read_png, text_chunk
from .rle import mask_to_rle, rle_to_mask

__all__ = ["from_png_masks", "to_png_masks"]

KEYWORD = "nbannotate"


def to_png_masks(item: Mapping[str, Any], labels: Sequence[str]) -> bytes:
    """Paint an image item's masks into a PNG label mask.

    Parameters
    ----------
    item : dict
        An image item; its ``masks`` are painted (each the image's size).
    labels : list of str
        Label names; ``labels[i]`` is written as pixel value ``i + 1``.

    Returns
    -------
    bytes
        The PNG file (write it with ``Path("a.png").write_bytes(...)``).

    Examples
    --------
    >>> item = {"image": "a.png", "width": 2, "height": 1, "masks": [
    ...     {"id": "x", "label": "cat", "mask": {"size": [1, 2], "counts": [1, 1]}}]}
    >>> to_png_masks(item, ["dog"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: image item ('a.png') masks: record 0 (id='x'): field 'label' must be one of ...
    """
    labels = check_labels(labels)
    if not labels:
        raise ValueError("labels must name at least one label (pixel value 1)")
    if len(labels) > 0xFFFF:
        raise ValueError(f"labels: a 16-bit PNG holds at most 65535 labels, got {len(labels)}")
    checked = check_image_item(item, labels=labels)
    dtype = np.uint8 if len(labels) <= 0xFF else np.uint16
    values = np.zeros((checked["height"], checked["width"]), dtype=dtype)
    changed = 0
    written: list[dict[str, Any]] = []
    for mask in checked["masks"]:
        value = labels.index(mask["label"]) + 1
        inside = rle_to_mask(mask["mask"])
        changed += int(np.count_nonzero(inside & (values != 0) & (values != value)))
        values[inside] = value
        meta: dict[str, Any] = {"value": value, "id": mask["id"], "source": mask["source"]}
        if "score" in mask:
            meta["score"] = mask["score"]
        written.append(meta)
    if changed:
        warn(f"PNG label mask of {checked['image']!r}: masks overlap, and {changed} pixels "
             "went to the later mask's label")
    others = [f"{len(checked[key])} {key}" for key in ("boxes", "keypoints", "polygons")
              if checked[key]]
    if others:
        warn(f"a PNG label mask holds masks only: {', '.join(others)} of {checked['image']!r} "
             "were not written")
    meta_text = json.dumps({"labels": labels, "masks": written}, ensure_ascii=False)
    return gray_png(values, text_chunk(KEYWORD, meta_text))


def _metadata(texts: Mapping[str, str], what: str) -> tuple[list[str] | None,
                                                           list[Mapping[str, Any]]]:
    if KEYWORD not in texts:
        return None, []
    try:
        meta = json.loads(texts[KEYWORD])
        labels = meta.get("labels")
        masks = meta.get("masks")
        labels = check_labels(labels, f"{what}: {KEYWORD} chunk labels")
        if not isinstance(masks, list) or not all(isinstance(m, Mapping) for m in masks):
            raise ValueError(f"'masks' must be a list of dicts, got {masks!r}")
    except (ValueError, AttributeError, TypeError) as error:
        raise ValueError(f"{what}: the {KEYWORD!r} text chunk is not what to_png_masks "
                         f"writes ({error})") from None
    return labels, masks


def from_png_masks(data: bytes | str | PathLike[str], labels: Sequence[str] | None = None, *,
                   ignore: Sequence[int] = ()) -> list[Mask]:
    """Read a PNG label mask into mask records, one per label present.

    Parameters
    ----------
    data : bytes or path
        The PNG file's bytes, or its path.
    labels : list of str, optional
        Label names; pixel value ``v`` is ``labels[v - 1]``. Default: the labels stored by
        :func:`to_png_masks` (an error for files from elsewhere).
    ignore : sequence of int
        Pixel values to treat as background besides 0 (e.g. ``[255]`` for Pascal VOC).

    Returns
    -------
    list of Mask
        COCO RLE masks of the PNG's size; records written by :func:`to_png_masks` keep
        their id, source and score.

    Examples
    --------
    >>> from nbannotate.media.images import png_bytes
    >>> png = png_bytes(np.array([[0, 1], [255, 1]], dtype=np.uint8))
    >>> [(m["label"], m["mask"]["counts"]) for m in from_png_masks(png, ["cat"], ignore=[255])]
    [('cat', [2, 2])]
    >>> from_png_masks(png, ["cat"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: PNG label mask: pixel value 255 (1 pixels, first at row 1, column 0) is not ...
    """
    what = "PNG label mask"
    if isinstance(data, (str, PathLike)):
        path = Path(data)
        if not path.is_file():
            raise FileNotFoundError(f"data: no PNG file at {str(path)!r}")
        what = f"PNG label mask {path.name!r}"
        data = path.read_bytes()
    elif not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be PNG bytes or a path, got {type(data).__name__}")
    skip = set()
    for index, value in enumerate(ignore):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"ignore[{index}] must be a non-negative pixel value, got {value!r}")
        skip.add(int(value))
    png = read_png(bytes(data), what=what)
    if png.color_type not in (0, 3):
        raise ValueError(f"{what}: expected one label index per pixel (a gray or palette PNG), "
                         f"got an {png.color_name} image; map its colours to label indices "
                         "first")
    stored, meta = _metadata(png.texts, what)
    if labels is None:
        if stored is None:
            raise ValueError(f"{what}: pass labels (the file has no {KEYWORD!r} chunk naming "
                             "them)")
        labels = stored
    labels = check_labels(labels)
    values = png.values
    present = [int(v) for v in np.unique(values) if v != 0 and int(v) not in skip]
    for value in present:
        if value > len(labels):
            rows, cols = np.nonzero(values == value)
            raise ValueError(f"{what}: pixel value {value} ({rows.size} pixels, first at row "
                             f"{rows[0]}, column {cols[0]}) is not a label: {len(labels)} "
                             f"labels give values 1 to {len(labels)} (pass ignore=[{value}] "
                             "to read it as background)")
    first: dict[int, int] = {}
    kept: dict[int, list[Mapping[str, Any]]] = {}
    for position, entry in enumerate(meta):
        number = entry.get("value")
        if (isinstance(number, int) and 1 <= number <= len(stored or ())
                and number <= len(labels) and (stored or [])[number - 1] == labels[number - 1]):
            first.setdefault(number, position)
            kept.setdefault(number, []).append(entry)
    order = sorted(present, key=lambda v: (first.get(v, len(meta)), v))
    masks: list[Mask] = []
    for value in order:
        record: dict[str, Any] = {"id": new_id(), "label": labels[value - 1],
                                  "mask": mask_to_rle(values == value)}
        entries = kept.get(value, [])
        if len(entries) == 1:
            record.update({k: entries[0][k] for k in ("id", "source", "score")
                           if k in entries[0]})
        try:
            masks.append(validate_mask(record))
        except (TypeError, ValueError) as error:
            raise ValueError(f"{what}: {KEYWORD!r} chunk entry for value {value}: "
                             f"{error}") from None
    return masks
