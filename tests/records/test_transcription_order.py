"""Reading order of boxes and time order of regions (nbannotate.records.reading_order), on the
fixture that the browser's js/lib/reading_order.ts is tested on too."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from nbannotate.records.reading_order import (
    page_direction,
    reading_order,
    text_direction,
    time_order,
)

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "reading_order.json")
                     .read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", FIXTURE["boxes"], ids=lambda c: c["name"][:40])
def test_reading_order_matches_the_shared_fixture(case):
    assert reading_order(case["boxes"], case.get("direction", "ltr")) == case["order"]


def test_directions_of_texts_and_pages():
    assert [text_direction(t) for t in ("שלום", "سلام", "ܫܠܡܐ", "Köln", "东京", "12 ש", "- 42 -")] \
        == ["rtl", "rtl", "rtl", "ltr", "ltr", "rtl", None]
    assert page_direction([{"text": "שלום"}, {"text": "a"}, {"text": "b"}]) == "ltr"
    assert page_direction([{"text": "שלום"}, {"text": "עולם"}, {"text": 7}]) == "rtl"


def test_a_direction_that_is_not_one_of_the_three_is_a_clear_error():
    with pytest.raises(ValueError, match=r"direction must be one of \['auto', 'ltr', 'rtl'\]"):
        reading_order([], direction="right")


@pytest.mark.parametrize("case", FIXTURE["regions"], ids=lambda c: c["name"][:40])
def test_time_order_matches_the_shared_fixture(case):
    assert time_order(case["regions"]) == case["order"]


def test_reading_order_does_not_depend_on_input_order_and_ignores_other_keys():
    page = FIXTURE["boxes"][2]
    words = [{**box, "id": f"w{i}", "label": "word", "text": f"t{i}"}
             for i, box in enumerate(page["boxes"])]
    expected = [f"w{i}" for i in page["order"]]
    for seed in range(5):
        shuffled = words[:]
        random.Random(seed).shuffle(shuffled)
        assert [shuffled[i]["id"] for i in reading_order(shuffled)] == expected


def test_a_page_of_lines_reads_line_by_line():
    # Three lines of four words, with jitter: line k at y = 40 k (+-3), words 50 px apart.
    words = []
    for line in range(3):
        for word in range(4):
            words.append({"x": 10 + 50 * word, "y": 40 * line + (word % 3) - 1,
                          "w": 45, "h": 22, "text": f"{line}.{word}"})
    order = reading_order(list(reversed(words)))
    assert [list(reversed(words))[i]["text"] for i in order] == [w["text"] for w in words]


@pytest.mark.parametrize(("value", "error", "message"), [
    ("boxes", TypeError, r"boxes must be a list of records"),
    ({"x": 1}, TypeError, r"boxes must be a list of records"),
    ([[1, 2, 3, 4]], TypeError, r"boxes\[0\] must be a dict with x, y, w, h"),
    ([{"x": 1, "y": 2, "w": 3}], ValueError, r"boxes\[0\]: 'h' must be a finite number, got None"),
    ([{"x": 1, "y": float("nan"), "w": 3, "h": 4}], ValueError, r"'y' must be a finite number"),
    ([{"x": True, "y": 2, "w": 3, "h": 4}], ValueError, r"'x' must be a finite number, got True"),
])
def test_bad_boxes_raise_a_clear_error(value, error, message):
    with pytest.raises(error, match=message):
        reading_order(value)


def test_bad_regions_raise_a_clear_error():
    with pytest.raises(ValueError, match=r"regions\[1\]: 'end' must be a finite number, got '2'"):
        time_order([{"start": 0, "end": 1}, {"start": 1, "end": "2"}])
