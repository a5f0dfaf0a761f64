"""The comm opens with the text, its spans and suggestions: a view shown before any update
(Voilà's progressive rendering) draws them at once."""

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


def test_the_comm_opens_with_the_text_spans_and_suggestions():
    span = {"id": "a", "start": 0, "end": 4, "label": "PER"}
    suggestion = {"id": "s", "start": 9, "end": 14, "label": "PER", "score": 0.7}
    w, state = opening_state(lambda: TextAnnotator("Anna met Boris.", ["PER"], spans=[span],
                                                   suggestions=[suggestion]))
    assert state["text"] == "Anna met Boris."
    assert [s["id"] for s in state["spans"]] == ["a"]
    assert [s["id"] for s in state["suggestions"]] == ["s"]
    assert w.spans[0]["end"] == 4


def test_bad_spans_still_raise_when_building_the_widget():
    with pytest.raises(ValueError, match="end"):
        TextAnnotator("Anna met Boris.", ["PER"], spans=[{"start": 5, "end": 2, "label": "PER"}])
