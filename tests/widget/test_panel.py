"""The session panel's state (nbannotate.widget.panel) and its actions through a widget's comm."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from nbannotate import ClassLabeler, TextAnnotator
from nbannotate.widget.panel import HISTOGRAM_BINS, chart_state, charts_from_stats, panel_state

FIXTURE = Path(__file__).parent.parent / "fixtures" / "panel_charts.json"


def test_chart_state_bins_confidence_and_keeps_the_threshold():
    charts = chart_state(curve_n=[10, 20, 40], curve_accuracy=[0.5, 0.7, 0.8],
                         confidence=np.array([0.0, 0.049, 0.05, 0.96, 1.0, np.nan]),
                         threshold=0.9, labels=["cat", 3], human=[4, 1], auto=[2, 0])
    counts = charts["confidence"]["counts"]
    assert len(counts) == HISTOGRAM_BINS and sum(counts) == 5  # NaN left out
    assert counts[0] == 2 and counts[1] == 1 and counts[-1] == 2
    assert charts["confidence"]["threshold"] == 0.9
    assert charts["curve"] == {"n": [10.0, 20.0, 40.0], "accuracy": [0.5, 0.7, 0.8]}
    assert charts["balance"] == {"labels": ["cat", "3"], "human": [4, 1], "auto": [2, 0]}
    json.dumps(charts)  # plain JSON


def test_the_shared_fixture_is_what_chart_state_gives():
    fixture = json.loads(FIXTURE.read_text())
    assert chart_state(**fixture["input"]) == fixture["charts"]


def test_charts_from_dashboard_stats():
    stats = SimpleNamespace(curve_n=(10.0,), curve_accuracy=(0.8,), confidence=np.array([0.99]),
                            threshold=None, human_per_class=(4, 6), auto_per_class=(0, 1))
    charts = charts_from_stats(stats, ["a", "b"])
    assert charts["confidence"]["threshold"] is None
    assert charts["balance"]["auto"] == [0, 1]


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"curve_n": [1, 2], "curve_accuracy": [0.5]}, ValueError, "same length"),
    ({"threshold": 1.5}, ValueError, "threshold"),
    ({"labels": ["a"], "human": [1, 2]}, ValueError, "same length"),
    ({"labels": ["a"], "human": [-1]}, ValueError, "human"),
    ({"curve_n": [float("nan")], "curve_accuracy": [0.5]}, ValueError, "curve_n"),
])
def test_bad_chart_numbers_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        chart_state(**kwargs)


def test_panel_state_validates_its_arguments():
    state = panel_state(item=4, done=2, total=9, message="<b>hi</b>", buttons=["done", "back"],
                        disabled=["back"], counts={"human": 2, "auto": 5})
    assert state["progress"] == {"done": 2, "total": 9}
    assert [(b["action"], b["disabled"]) for b in state["buttons"]] == [("done", False),
                                                                        ("back", True)]
    assert state["message"] == "<b>hi</b>" and state["counts"] == {"human": 2, "auto": 5}
    assert "charts" not in state
    auto = panel_state(item=2, buttons=["auto", "remove_auto", "spot_check"],
                       pressed=["spot_check"], threshold=0.8, lines=["edits saved: 90%"],
                       error=True)
    assert auto["threshold"] == 0.8 and auto["lines"] == ["edits saved: 90%"] and auto["error"]
    assert [b["pressed"] for b in auto["buttons"]] == [False, False, True]
    with pytest.raises(ValueError, match="threshold"):
        panel_state(item=1, threshold=2)
    with pytest.raises(TypeError, match="lines"):
        panel_state(item=1, lines=[3])
    with pytest.raises(ValueError, match="buttons must be among"):
        panel_state(item=1, buttons=["fly"])
    with pytest.raises(ValueError, match="done and total"):
        panel_state(item=1, done=3)
    with pytest.raises(TypeError, match="item"):
        panel_state(item="1")


@pytest.mark.parametrize("make", [
    lambda: ClassLabeler("a text", labels=["a", "b"]),
    lambda: TextAnnotator("Anna lives in Köln", labels=["PER"]),
])
def test_panel_actions_reach_the_callbacks_with_the_item_token(make, comm_recorder):
    w = make()
    comm = comm_recorder(w)
    w.panel = panel_state(item=7, message="3 left")
    assert comm.state_updates()[-1]["panel"]["message"] == "3 left"  # synced state
    seen: list[dict] = []
    w.on_panel_action(seen.append)
    comm.from_browser({"type": "panel", "action": "done", "item": 7})
    comm.from_browser({"type": "panel", "action": "skip", "item": 6})
    comm.from_browser({"type": "panel", "action": 3, "item": 7})  # malformed: ignored
    comm.from_browser({"type": "panel", "action": "done", "item": True})
    comm.from_browser({"type": "panel", "action": "auto", "item": 7, "value": 0.85})
    assert seen == [{"action": "done", "item": 7}, {"action": "skip", "item": 6},
                    {"action": "auto", "item": 7, "value": 0.85}]
    w.on_panel_action(seen.append, remove=True)
    comm.from_browser({"type": "panel", "action": "done", "item": 7})
    assert len(seen) == 3
    with pytest.raises(TypeError, match="callable"):
        w.on_panel_action("no")
