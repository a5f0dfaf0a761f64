"""Reading XML from elsewhere safely: no DOCTYPE, no ENTITY declarations, well-formed.

``xml.etree`` resolves no external entities, but internal entity definitions can expand
without bound ("billion laughs"); a document declaring any is refused before it is parsed.

Examples
--------
>>> parse_untrusted("<a><b>1</b></a>", "CVAT XML").find("b").text
'1'
>>> parse_untrusted("<!DOCTYPE a [<!ENTITY x 'y'>]><a/>", "CVAT XML")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: CVAT XML line 1: DOCTYPE declarations are not allowed (<!DOCTYPE a ...>); ...
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers import expat

__all__ = ["parse_untrusted"]


def parse_untrusted(data: str | bytes, what: str) -> ET.Element:
    """The root element of ``data``, or a ``ValueError`` naming ``what`` and the line."""
    if not isinstance(data, (str, bytes)):
        raise TypeError(f"{what}: expected the document as str or bytes, got "
                        f"{type(data).__name__}")
    parser = expat.ParserCreate()

    def doctype(name: str, *_: Any) -> None:
        raise ValueError(f"{what} line {parser.CurrentLineNumber}: DOCTYPE declarations are "
                         f"not allowed (<!DOCTYPE {name} ...>); entity definitions could expand "
                         "without bound")

    def entity(name: str, *_: Any) -> None:
        raise ValueError(f"{what} line {parser.CurrentLineNumber}: ENTITY declarations are "
                         f"not allowed (<!ENTITY {name} ...>)")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ValueError(f"{what} line {error.lineno}: not well-formed XML "
                         f"({expat.errors.messages[error.code]})") from None
    return ET.fromstring(data)
