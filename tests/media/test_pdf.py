"""nbannotate.pdf_page: PDF pages rendered to RGB arrays through pypdfium2 (the "pdf" extra)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nbannotate
from nbannotate.media.images import encode_image
from nbannotate.media.pdf import pdf_page

from ._pdf_writer import Page, make_pdf

# "HELLO" in 48 pt Helvetica with its baseline 700 pt from the bottom of a Letter page, and
# "BYE" near the bottom of a second page.
HELLO = (72, 700, 48, "HELLO")
BYE = (300, 60, 36, "BYE")


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "scan (1).pdf"
    path.write_bytes(make_pdf([Page([HELLO]), Page([BYE])]))
    return path


def dark_box(image: np.ndarray) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of the pixels darker than mid-gray, inclusive."""
    rows, cols = np.nonzero(image.min(axis=2) < 128)
    assert rows.size, "no dark pixels on the page"
    return int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max())


def test_the_test_pdf_has_a_correct_cross_reference_table() -> None:
    data = make_pdf([Page([HELLO]), Page([BYE], rotate=90)])
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data)[1])  # type: ignore[index]
    assert data[start:start + 5] == b"xref\n"
    entries = re.findall(rb"(\d{10}) 00000 n \n", data[start:])
    assert len(entries) == 7  # catalog, pages, font, 2 x (content, page)
    for number, offset in enumerate(entries, 1):
        assert data[int(offset):].startswith(b"%d 0 obj\n" % number)


def test_letter_page_at_150_dpi_has_text_where_it_was_drawn(letter: Path) -> None:
    image = pdf_page(letter)
    assert image.shape == (1650, 1275, 3) and image.dtype == np.uint8
    assert image.flags.c_contiguous
    top, left, bottom, right = dark_box(image)
    scale = 150 / 72
    # Cap height of Helvetica is 0.72 em; "HELLO" is 3.279 em wide.
    assert (792 - 700 - 0.72 * 48) * scale - 4 <= top <= (792 - 700 - 0.6 * 48) * scale
    assert (792 - 700) * scale - 4 <= bottom <= (792 - 700) * scale + 2
    assert 72 * scale <= left <= 72 * scale + 10
    assert (72 + 3.1 * 48) * scale <= right <= (72 + 3.279 * 48) * scale + 2
    assert (image[bottom + 5:] == 255).all()  # the rest of the page is white
    assert encode_image(image)[2] == (1275, 1650)  # usable as an ImageAnnotator image


@pytest.mark.parametrize(("dpi", "shape"), [(72, (792, 612)), (100, (1100, 850)),
                                            (37, (407, 315)), (300, (3300, 2550)),
                                            (150.5, (1656, 1280))])
def test_size_follows_the_dpi(letter: Path, dpi: float, shape: tuple[int, int]) -> None:
    image = pdf_page(letter, dpi=dpi)
    assert image.shape == (*shape, 3)
    _, left, bottom, _ = dark_box(image)
    # The H starts 0.079 em right of the text origin (Helvetica's left side bearing).
    assert abs(left - (72 + 0.079 * 48) * dpi / 72) <= 1.5 + dpi / 144
    assert abs(bottom - (792 - 700) * dpi / 72) <= 1.5 + dpi / 144


def test_page_selects_the_page_and_rotation_is_applied(tmp_path: Path, letter: Path) -> None:
    second = pdf_page(letter, page=1, dpi=72)
    top, left, bottom, _ = dark_box(second)
    assert top >= 792 - 60 - 30 and bottom <= 792 - 60 + 2 and 298 <= left <= 304
    rotated = tmp_path / "rotated.pdf"
    rotated.write_bytes(make_pdf([Page([HELLO], width=400, height=200, rotate=90)]))
    assert pdf_page(rotated, dpi=72).shape == (400, 200, 3)


def test_bad_arguments_raise_clear_errors(letter: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"page must be in 0\.\.1 \(0-based\), got 2: "
                                         r"'scan \(1\)\.pdf' has 2 pages"):
        pdf_page(letter, page=2)
    with pytest.raises(ValueError, match=r"got -1: .* has 2 pages"):
        pdf_page(letter, page=-1)
    with pytest.raises(TypeError, match=r"page must be an integer \(0-based page number\), "
                                        r"got '1'"):
        pdf_page(letter, page="1")  # type: ignore[arg-type]
    for dpi in (0, -72, float("nan"), float("inf"), 1201):
        with pytest.raises(ValueError, match=r"dpi must be a positive number of pixels per "
                                             r"inch up to 1200, got "):
            pdf_page(letter, dpi=dpi)
    for dpi in ("150", True, None):
        with pytest.raises(TypeError, match=r"dpi must be a number of pixels per inch, got "):
            pdf_page(letter, dpi=dpi)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match=r"no PDF file at '.*missing\.pdf'"):
        pdf_page(tmp_path / "missing.pdf")
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("just text, not a PDF", encoding="utf-8")
    with pytest.raises(ValueError, match=r"'notes\.pdf' is not a readable PDF"):
        pdf_page(not_pdf)
    with pytest.raises(TypeError, match="path must be a file path"):
        pdf_page(make_pdf([Page()]))  # type: ignore[arg-type]


def test_without_the_extra_the_error_names_it(letter: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # importing it now fails
    with pytest.raises(ImportError, match=re.escape('pip install "nbannotate[pdf]"')):
        pdf_page(letter)


def test_pdf_page_is_exported_lazily_without_importing_pdfium() -> None:
    assert nbannotate.pdf_page is pdf_page and "pdf_page" in nbannotate.__all__
    code = ("import sys, nbannotate; f = nbannotate.pdf_page; "
            "print('pypdfium2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
