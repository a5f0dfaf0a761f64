"""Pascal VOC XML annotations to and from image items (boxes).

One XML document per image: ``<filename>`` (the item's ``image`` as given), ``<size>`` and
one ``<object>`` per box with ``<name>`` and ``<bndbox>``. By default coordinates follow
the VOC devkit, 1-based: ``xmin = x + 1``, ``ymin = y + 1``, ``xmax = x + w``,
``ymax = y + h`` (the pixel-index convention most VOC readers undo); pass
``one_based=False`` for tools that write ``xmin = x`` (LabelImg). Numbers are written
exactly (``12`` or ``12.25``). The record's ``id``, ``source``, ``score`` and ``text`` go to
``<nbannotate_id>``, ``<nbannotate_source>``, ``<nbannotate_score>`` and
``<nbannotate_text>`` children, which other readers ignore. VOC segmentation is a PNG, so
keypoints, polygons and masks are not written (a warning says so).

Reading rejects any DOCTYPE or ENTITY declaration (guard against entity-expansion bombs),
keeps ``difficult`` and ``truncated`` objects (the flags are not kept) and ignores parts.

Examples
--------
>>> item = {"image": "a.jpg", "width": 64, "height": 48,
...         "boxes": [{"id": "b1", "label": "cat", "x": 0, "y": 0, "w": 10, "h": 8}]}
>>> xml = to_voc(item)
>>> "<xmin>1</xmin>" in xml
True
>>> from_voc(xml)["boxes"][0]["w"]
10.0
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any
from xml.parsers import expat

from ..records import validate_box
from ._common import ImageItem, check_image_item, format_number, warn

__all__ = ["from_voc", "to_voc"]

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def _xml_safe(value: str, where: str) -> str:
    bad = _INVALID_XML.search(value)
    if bad:
        raise ValueError(f"{where} contains {bad.group()!r}, which XML 1.0 cannot hold")
    return value


def to_voc(item: Mapping[str, Any], *, one_based: bool = True, depth: int = 3) -> str:
    """Write one image item as a Pascal VOC XML document.

    Parameters
    ----------
    item : dict
        An image item; its ``boxes`` become ``<object>`` elements.
    one_based : bool
        VOC devkit coordinates (``xmin = x + 1``); ``False`` writes ``xmin = x``.
    depth : int
        ``<size><depth>``: the number of image channels.

    Returns
    -------
    str
        The XML text (no XML declaration; UTF-8 when encoded).

    Examples
    --------
    >>> item = {"image": "a.jpg", "width": 8, "height": 8,
    ...         "boxes": [{"label": "a", "x": 1.5, "y": 2, "w": 3, "h": 4}]}
    >>> root = ET.fromstring(to_voc(item, one_based=False))
    >>> [element.text for element in root.find("object/bndbox")]
    ['1.5', '2', '4.5', '6']
    """
    checked = check_image_item(item)
    others = [f"{len(checked[key])} {key}" for key in ("keypoints", "polygons", "masks")
              if checked[key]]
    if others:
        warn(f"Pascal VOC XML holds boxes only: {', '.join(others)} of image "
             f"{checked['image']!r} were not written")
    shift = 1.0 if one_based else 0.0
    root = ET.Element("annotation")
    _text(root, "folder", "")
    _text(root, "filename", _xml_safe(checked["image"], "field 'image'"))
    size = ET.SubElement(root, "size")
    _text(size, "width", str(checked["width"]))
    _text(size, "height", str(checked["height"]))
    _text(size, "depth", str(int(depth)))
    _text(root, "segmented", "0")
    for index, box in enumerate(checked["boxes"]):
        where = f"box {index} (id={box['id']!r}): field"
        obj = ET.SubElement(root, "object")
        _text(obj, "name", _xml_safe(box["label"], f"{where} 'label'"))
        _text(obj, "pose", "Unspecified")
        _text(obj, "truncated", "0")
        _text(obj, "difficult", "0")
        bndbox = ET.SubElement(obj, "bndbox")
        for tag, value in (("xmin", box["x"] + shift), ("ymin", box["y"] + shift),
                           ("xmax", box["x"] + box["w"]), ("ymax", box["y"] + box["h"])):
            _text(bndbox, tag, format_number(value))
        _text(obj, "nbannotate_id", _xml_safe(box["id"], f"{where} 'id'"))
        _text(obj, "nbannotate_source", box["source"])
        if "score" in box:
            _text(obj, "nbannotate_score", format_number(box["score"]))
        if "text" in box:
            _text(obj, "nbannotate_text", _xml_safe(box["text"], f"{where} 'text'"))
    ET.indent(root)
    # ElementTree leaves a carriage return raw, and XML parsers turn it into a line feed.
    return ET.tostring(root, encoding="unicode").replace("\r", "&#13;") + "\n"


def _reject_declarations(data: str | bytes) -> None:
    parser = expat.ParserCreate()

    def doctype(name: str, *_: Any) -> None:
        raise ValueError(f"VOC XML line {parser.CurrentLineNumber}: DOCTYPE declarations are "
                         f"not allowed (<!DOCTYPE {name} ...>); entity definitions could expand "
                         "without bound")

    def entity(name: str, *_: Any) -> None:
        raise ValueError(f"VOC XML line {parser.CurrentLineNumber}: ENTITY declarations are "
                         f"not allowed (<!ENTITY {name} ...>)")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ValueError(f"VOC XML line {error.lineno}: not well-formed XML "
                         f"({expat.errors.messages[error.code]})") from None


def _child_text(parent: ET.Element, tag: str, where: str, required: bool = True) -> str | None:
    element = parent.find(tag)
    if element is None or element.text is None or not element.text.strip():
        if required:
            raise ValueError(f"{where}: missing <{tag}>")
        return None
    return element.text.strip()


def _number(parent: ET.Element, tag: str, where: str) -> float:
    text = _child_text(parent, tag, where)
    try:
        value = float(text)  # type: ignore[arg-type]
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{where}: <{tag}> must be a number, got {text!r}")
    return value


def from_voc(xml_text: str | bytes, *, one_based: bool = True) -> ImageItem:
    """Read one Pascal VOC XML document into an image item.

    Parameters
    ----------
    xml_text : str or bytes
        The document (bytes are decoded by their XML declaration, UTF-8 by default).
    one_based : bool
        As in ``to_voc``: subtract 1 from ``xmin`` and ``ymin``.

    Returns
    -------
    ImageItem
        ``image`` from ``<filename>`` (or ``<path>``), the size, and one box per object;
        ids from ``<nbannotate_id>``, else ``"object-<index>"``.

    Examples
    --------
    >>> from_voc("<!DOCTYPE x [<!ENTITY a 'b'>]><annotation/>")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: VOC XML line 1: DOCTYPE declarations are not allowed (<!DOCTYPE x ...>); ...
    """
    if not isinstance(xml_text, (str, bytes)):
        raise TypeError(f"xml_text must be str or bytes, got {type(xml_text).__name__}")
    _reject_declarations(xml_text)
    root = ET.fromstring(xml_text)
    if root.tag != "annotation":
        raise ValueError(f"VOC XML: the root element must be <annotation>, got <{root.tag}>")
    image = _child_text(root, "filename", "VOC XML", False) or _child_text(root, "path",
                                                                           "VOC XML", False)
    if image is None:
        raise ValueError("VOC XML: missing <filename> (or <path>)")
    size = root.find("size")
    if size is None:
        raise ValueError("VOC XML: missing <size>")
    width, height = (_number(size, tag, "VOC XML <size>") for tag in ("width", "height"))
    item: dict[str, Any] = dict(check_image_item({"image": image, "width": width,
                                                  "height": height}))
    shift = 1.0 if one_based else 0.0
    for index, obj in enumerate(root.findall("object")):
        where = f"VOC object {index}"
        label = _child_text(obj, "name", where)
        where += f" ({label!r})"
        bndbox = obj.find("bndbox")
        if bndbox is None:
            raise ValueError(f"{where}: missing <bndbox>")
        xmin, ymin, xmax, ymax = (_number(bndbox, tag, f"{where} <bndbox>")
                                  for tag in ("xmin", "ymin", "xmax", "ymax"))
        record: dict[str, Any] = {"id": _child_text(obj, "nbannotate_id", where, False)
                                  or f"object-{index}", "label": label,
                                  "source": _child_text(obj, "nbannotate_source", where, False)
                                  or "human", "x": xmin - shift, "y": ymin - shift,
                                  "w": xmax - xmin + shift, "h": ymax - ymin + shift}
        score = _child_text(obj, "nbannotate_score", where, False)
        if score is not None:
            record["score"] = _number(obj, "nbannotate_score", where)
        text_element = obj.find("nbannotate_text")
        if text_element is not None:
            record["text"] = text_element.text or ""
        try:
            item["boxes"].append(validate_box(record))
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
    return item  # type: ignore[return-value]
