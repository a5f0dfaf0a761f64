"""Write small valid PDF files for tests: pages of text in a standard font (Helvetica).

The objects are written by hand (catalog, page tree, font, one page and one content stream
per page) with a cross-reference table whose byte offsets are computed as the file is
built, so any PDF reader opens it without repairing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Page:
    """A page ``width × height`` points; ``texts`` are ``(x, y, size, text)`` with the
    baseline at ``y`` points from the bottom edge; ``rotate`` is the page's /Rotate."""

    texts: Sequence[tuple[float, float, float, str]] = field(default_factory=list)
    width: float = 612
    height: float = 792
    rotate: int = 0


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def make_pdf(pages: Sequence[Page]) -> bytes:
    """The bytes of a PDF document with these pages."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                            b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for page in pages:
        content = "".join(f"BT /F1 {size:g} Tf {x:g} {y:g} Td {_string(text)} Tj ET\n"
                          for x, y, size, text in page.texts).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content
                       + b"endstream")
        page_number = len(objects) + 1
        kids.append(f"{page_number} 0 R")
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page.width:g} "
                        f"{page.height:g}] /Rotate {page.rotate} /Resources << /Font << /F1 3 0 "
                        f"R >> >> /Contents {page_number - 1} 0 R >>").encode("ascii"))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)
