"""The comm opens with the whole recording: a view shown before any update (Voilà's
progressive rendering) must not see an empty recording and ask for peaks outside it."""

from __future__ import annotations

from typing import Any
from unittest import mock

import comm
import numpy as np
import pytest

from nbannotate import AudioAnnotator


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


def test_the_comm_opens_with_the_recording_regions_and_suggestions():
    region = {"id": "r1", "start": 0.1, "end": 0.5, "label": "speech"}
    suggestion = {"id": "s1", "start": 0.6, "end": 0.9, "label": "speech", "score": 0.8}
    w, state = opening_state(lambda: AudioAnnotator(
        np.zeros(1000, dtype=np.float32), 100, ["speech"], regions=[region],
        suggestions=[suggestion]))
    assert state["num_samples"] == 1000 and state["sample_rate"] == 100.0
    assert state["duration"] == 10.0 and state["overview_columns"] > 0
    assert state["audio_id"] == 1
    assert [r["id"] for r in state["regions"]] == ["r1"]
    assert [s["id"] for s in state["suggestions"]] == ["s1"]
    assert w.regions[0]["end"] == 0.5


def test_bad_regions_still_raise_when_building_the_widget():
    with pytest.raises(ValueError, match="end"):
        AudioAnnotator(np.zeros(100, dtype=np.float32), 100, ["a"],
                       regions=[{"start": 0.5, "end": 0.2, "label": "a"}])
