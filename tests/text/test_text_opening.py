"""The comm opens with the spans and suggestions: a view shown before any update (Voilà's
progressive rendering) draws them at once."""

from __future__ import annotations

from typing import Any
from unittest import mock

import comm
import pytest

from nbannotate import TextAnnotator


def opening_state(make: Any) -> tuple[Any, dict[str, Any]]:
    """Build a widget with ``make()``; return it and the state its comm opened with."""
    opened: list[dict[str, Any]] = []
    create = comm.create_comm

    def record(**kwargs: Any) -> Any:
        opened.append(kwargs.get("data", {}).get("state", {}))
        return create(**kwargs)

    with mock.patch.object(comm, "create_comm", record):
        widget = make()
    return widget, opened[-1]


def test_the_comm_opens_with_the_spans_and_suggestions():
    span = {"id": "p1", "start": 0, "end": 4, "label": "PER"}
    suggestion = {"id": "s1", "start": 9, "end": 13, "label": "LOC", "score": 0.8}
    w, state = opening_state(lambda: TextAnnotator(
        "Anna met Oslo folk.", ["PER", "LOC"], spans=[span], suggestions=[suggestion]))
    assert [(s["id"], s["text"]) for s in state["spans"]] == [("p1", "Anna")]
    assert [s["id"] for s in state["suggestions"]] == ["s1"]
    assert w.spans[0]["end"] == 4


def test_bad_spans_still_raise_when_building_the_widget():
    with pytest.raises(ValueError, match="end"):
        TextAnnotator("Anna", ["PER"], spans=[{"start": 3, "end": 1, "label": "PER"}])
