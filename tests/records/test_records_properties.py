"""Property-based checks of records: spans over any Unicode text (and the UTF-16 offsets the
browser counts in), and geometry validated at the image's edges."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nbannotate.formats import mask_to_rle
from nbannotate.formats.labelstudio._common import offset_converters
from nbannotate.records import (
    validate_box,
    validate_keypoint,
    validate_mask,
    validate_polygon,
    validate_span,
)
from nbannotate.text._tokens_snap import utf16_offsets

BOUNDED = settings(max_examples=80, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow])

# emoji (astral, ZWJ sequences, skin tones, flags), combining marks, right-to-left scripts
# and direction marks, CJK, lone BMP characters of every category but surrogates
PIECES = ["a", "é", "e\u0301", "a\u0308\u0301", "😀", "👩\u200d👩\u200d👧", "👍🏽", "🇫🇷", "𝒜",
          "漢", "ש", "ל", "\u05b7", "م", "ر", "\u0651", "\u200f", "\u202e", "\u2067", " ",
          "\n", "\r\n", "\u2028"]
texts = st.lists(st.sampled_from(PIECES) | st.characters(exclude_categories=("Cs",)),
                 max_size=40).map("".join)


@st.composite
def documents_with_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts.filter(bool))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


def reference_utf16(text: str, offset: int) -> int:
    """What a JavaScript string index is: UTF-16 code units before the code point."""
    return len(text[:offset].encode("utf-16-le")) // 2


@BOUNDED
@given(documents_with_span())
def test_a_span_is_its_text_slice(case: tuple[str, int, int]) -> None:
    text, start, end = case
    span = validate_span({"start": start, "end": end, "label": "X"}, text=text)
    assert span["text"] == text[start:end]
    assert validate_span({**span}, text=text)["text"] == text[start:end]
    with pytest.raises(ValueError, match="text"):
        validate_span({**span, "text": text[start:end] + "x"}, text=text)
    with pytest.raises(ValueError, match="document length"):
        validate_span({"start": start, "end": len(text) + 1, "label": "X"}, text=text)


@BOUNDED
@given(texts)
@example("😀a")
@example("a\U0010ffff\u05d0")
def test_utf16_offsets_are_javascript_string_indexes(text: str) -> None:
    offsets = np.arange(len(text) + 1)
    expected = [reference_utf16(text, i) for i in offsets]
    assert utf16_offsets(text, offsets).tolist() == expected
    to_units, from_units = offset_converters(text, "utf16")
    assert [to_units(int(i)) for i in offsets] == expected
    assert [from_units(unit) for unit in expected] == offsets.tolist()
    inside = [unit + 1 for unit, char in zip(expected, text, strict=False) if ord(char) > 0xFFFF]
    for unit in inside:  # the middle of a surrogate pair is no code-point offset
        with pytest.raises(ValueError, match="surrogate"):
            from_units(unit)


@BOUNDED
@given(documents_with_span())
def test_a_span_through_utf16_and_back_is_the_same_text(case: tuple[str, int, int]) -> None:
    text, start, end = case
    to_units, from_units = offset_converters(text, "utf16")
    js = text.encode("utf-16-le")
    a, b = to_units(start), to_units(end)
    # the browser's slice of its UTF-16 string is the same text
    assert js[2 * a:2 * b].decode("utf-16-le") == text[start:end]
    assert (from_units(a), from_units(b)) == (start, end)


# ------------------------------------------------------------------ geometry at the edges

sizes = st.tuples(st.integers(1, 4000), st.integers(1, 4000))


def along(size: int) -> st.SearchStrategy[float]:
    """A coordinate in ``[0, size]``, edges drawn often."""
    return st.one_of(st.sampled_from([0, size, 0.0, float(size)]), st.integers(0, size),
                     st.floats(0, size, allow_nan=False))


@BOUNDED
@given(sizes, st.data())
def test_boxes_inside_or_on_the_edge_pass_and_outside_fail(size: tuple[int, int],
                                                          data: st.DataObject) -> None:
    width, height = size
    x0, x1 = sorted([data.draw(along(width)), data.draw(along(width))])
    y0, y1 = sorted([data.draw(along(height)), data.draw(along(height))])
    box = {"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0, "label": "a"}
    assert validate_box(box, image_size=size)["w"] == pytest.approx(x1 - x0)
    nudge = data.draw(st.floats(1e-3, 10))
    with pytest.raises(ValueError, match="inside the image"):
        validate_box({**box, "w": width - x0 + nudge}, image_size=size)
    with pytest.raises(ValueError, match="inside the image"):
        validate_box({**box, "y": -nudge}, image_size=size)


@BOUNDED
@given(sizes, st.data())
def test_points_and_polygons_on_the_edge_pass_and_outside_fail(size: tuple[int, int],
                                                               data: st.DataObject) -> None:
    width, height = size
    points = data.draw(st.lists(st.tuples(along(width), along(height)).map(list), min_size=3,
                                max_size=8))
    polygon = validate_polygon({"points": points, "label": "a"}, image_size=size)
    assert polygon["points"] == [[float(x), float(y)] for x, y in points]
    for x, y in points:
        assert validate_keypoint({"x": x, "y": y, "label": "k"}, image_size=size)["x"] == x
    outside = data.draw(st.sampled_from([[-0.5, 0], [0, -0.5], [width + 0.5, 0],
                                         [0, height + 0.5]]))
    with pytest.raises(ValueError, match="inside the image"):
        validate_polygon({"points": [*points[:2], outside], "label": "a"}, image_size=size)
    with pytest.raises(ValueError, match="inside the image"):
        validate_keypoint({"x": outside[0], "y": outside[1], "label": "k"}, image_size=size)


@BOUNDED
@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_masks_must_cover_the_image_exactly(height: int, width: int, seed: int) -> None:
    pixels = np.random.default_rng(seed).random((height, width)) < 0.5
    rle: dict[str, Any] = mask_to_rle(pixels)
    assert sum(rle["counts"]) == height * width
    assert validate_mask({"mask": rle, "label": "m"}, image_size=(width, height))["mask"] == rle
    with pytest.raises(ValueError, match="mask"):
        validate_mask({"mask": rle, "label": "m"}, image_size=(width + 1, height))
    short = {"size": rle["size"], "counts": [*rle["counts"][:-1], rle["counts"][-1] + 1]}
    with pytest.raises(ValueError, match="mask"):
        validate_mask({"mask": short, "label": "m"}, image_size=(width, height))
