"""Scanned documents: a PDF page rendered as an image item for the image annotator.

Rendering goes through pypdfium2 (PDFium, the PDF engine of Chromium), installed with the
optional extra ``pip install "nbannotate[pdf]"``; it is imported on the first call, so
the rest of nbannotate works without it.

Examples
--------
>>> import nbannotate
>>> callable(nbannotate.pdf_page)
True
"""

from __future__ import annotations

import math
import numbers
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["pdf_page"]

_POINTS_PER_INCH = 72
#: Highest resolution accepted: a Letter page at 1200 dpi is already 10200×13200 pixels.
MAX_DPI = 1200


def _pdfium() -> Any:
    try:
        import pypdfium2
    except ImportError as error:
        raise ImportError('nbannotate.pdf_page needs pypdfium2, the optional "pdf" extra: '
                          'pip install "nbannotate[pdf]"') from error
    return pypdfium2


def _pixels(points: float, dpi: float) -> int:
    # points * dpi / 72 exactly where it is whole (612 pt at 150 dpi is 1275 px), else up.
    return max(1, math.ceil(round(points * dpi / _POINTS_PER_INCH, 6)))


def pdf_page(path: str | PathLike[str], page: int = 0, dpi: float = 150) -> np.ndarray:
    """Render one page of a PDF file to an RGB image array.

    Parameters
    ----------
    path : str or PathLike
        The PDF file.
    page : int
        0-based page number.
    dpi : float
        Resolution in pixels per inch: a page of ``w × h`` points (1/72 inch) becomes
        ``ceil(w * dpi / 72)`` pixels wide and ``ceil(h * dpi / 72)`` high. 150 suits
        reading and drawing boxes; OCR engines often want 300.

    Returns
    -------
    numpy.ndarray
        ``(height, width, 3)`` uint8, white where the page is blank; pass it as the image
        of an :class:`~nbannotate.ImageAnnotator`, and box coordinates are in its pixels.

    Raises
    ------
    ImportError
        When pypdfium2 is not installed (the message says ``pip install "nbannotate[pdf]"``).
    FileNotFoundError
        When there is no file at ``path``.
    TypeError
        When ``dpi`` is not a number, ``page`` not an integer or ``path`` not a path.
    ValueError
        When the file is not a readable PDF, ``page`` is out of range (the message says how
        many pages there are) or ``dpi`` is not in (0, :data:`MAX_DPI`].

    Examples
    --------
    >>> pdf_page("scan.pdf", dpi=0)
    Traceback (most recent call last):
    ...
    ValueError: dpi must be a positive number of pixels per inch up to 1200, got 0
    """
    if isinstance(dpi, bool) or not isinstance(dpi, numbers.Real):
        raise TypeError(f"dpi must be a number of pixels per inch, got {dpi!r}")
    if not (math.isfinite(dpi) and 0 < dpi <= MAX_DPI):
        raise ValueError(f"dpi must be a positive number of pixels per inch up to {MAX_DPI}, "
                         f"got {dpi!r}")
    if isinstance(page, bool) or not isinstance(page, numbers.Integral):
        raise TypeError(f"page must be an integer (0-based page number), got {page!r}")
    if not isinstance(path, (str, PathLike)):
        raise TypeError(f"path must be a file path (str or PathLike), got "
                        f"{type(path).__name__}")
    file = Path(path)
    pdfium = _pdfium()
    if not file.is_file():
        raise FileNotFoundError(f"path: no PDF file at {str(file)!r}")
    try:
        document = pdfium.PdfDocument(str(file))
    except pdfium.PdfiumError as error:
        raise ValueError(f"path: {file.name!r} is not a readable PDF ({error})") from None
    try:
        count = len(document)
        if not 0 <= page < count:
            raise ValueError(f"page must be in 0..{count - 1} (0-based), got {page}: "
                             f"{file.name!r} has {count} page{'s' if count != 1 else ''}")
        sheet = document[int(page)]
        try:
            width, height = sheet.get_size()
            bitmap = sheet.render(scale=float(dpi) / _POINTS_PER_INCH, rev_byteorder=True)
            try:
                pixels = bitmap.to_numpy()
                mode = getattr(bitmap, "mode", "RGB")
                if mode.startswith("BGR"):
                    pixels = pixels[:, :, 2::-1]
                elif pixels.ndim == 2:  # gray
                    pixels = np.repeat(pixels[:, :, None], 3, axis=2)
                image = np.ascontiguousarray(
                    pixels[:_pixels(height, dpi), :_pixels(width, dpi), :3], dtype=np.uint8)
            finally:
                bitmap.close()
        finally:
            sheet.close()
    finally:
        document.close()
    return image
