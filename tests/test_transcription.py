"""Transcriptions (``text``) on image boxes and audio regions, without a browser: the
``transcribe`` option, validation, and texts crossing as change messages through ipywidgets'
real comm handling (as the browser sends them: Enter saves one update; undo sends the
previous record back)."""

from __future__ import annotations

import numpy as np
import pytest

from nbannotate import AudioAnnotator, ImageAnnotator

HEBREW = "שלום עולם"
MIXED = "Preis: 42 € — مرحبا (ok)"


def image(**kwargs):
    return ImageAnnotator(np.zeros((100, 200, 3), dtype=np.uint8), labels=["line"], **kwargs)


def audio(**kwargs):
    return AudioAnnotator(np.zeros(8000, dtype=np.float32), sample_rate=8000,
                          labels=["speech"], **kwargs)


@pytest.mark.parametrize("make", [image, audio], ids=["image", "audio"])
def test_transcribe_is_off_by_default_synced_and_checked(make, comm_recorder):
    assert make().transcribe is False
    w = make(transcribe=True)
    assert w.transcribe is True
    assert w.get_state()["transcribe"] is True
    comm = comm_recorder(w)
    w.transcribe = False
    assert {"transcribe": False} in comm.state_updates()
    with pytest.raises(TypeError, match=r"transcribe must be True or False, got 'yes'"):
        make(transcribe="yes")
    with pytest.raises(TypeError, match="transcribe_mode"):
        make(transcribe_mode=True)


def test_box_text_from_python_is_kept_exactly_and_sent_to_the_browser(comm_recorder):
    w = image(transcribe=True)
    comm = comm_recorder(w)
    w.boxes = [{"id": "l1", "x": 1, "y": 2, "w": 50, "h": 10, "label": "line", "text": HEBREW},
               {"id": "l2", "x": 1, "y": 20, "w": 50, "h": 10, "label": "line", "text": MIXED},
               {"id": "l3", "x": 1, "y": 40, "w": 50, "h": 10, "label": "line"}]
    assert [b.get("text") for b in w.boxes] == [HEBREW, MIXED, None]
    sent = [s["boxes"] for s in comm.state_updates() if "boxes" in s][-1]
    assert [b.get("text") for b in sent] == [HEBREW, MIXED, None]


@pytest.mark.parametrize(("make", "field", "record"), [
    (image, "boxes", {"x": 1, "y": 2, "w": 3, "h": 4, "label": "line"}),
    (audio, "regions", {"start": 0.1, "end": 0.2, "label": "speech"}),
], ids=["image", "audio"])
def test_a_text_that_is_not_a_string_is_a_clear_error(make, field, record):
    w = make()
    with pytest.raises(ValueError, match=rf"{field}: record 0 \(id='r1'\).*'text' must be a "
                                         r"string, got 12"):
        setattr(w, field, [{**record, "id": "r1", "text": 12}])
    assert getattr(w, field) == []


def test_box_text_round_trip_as_the_browser_sends_it(comm_recorder):
    w = image(transcribe=True)
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    drawn = {"id": "b1", "x": 10, "y": 20, "w": 120, "h": 18, "label": "line",
             "source": "human"}
    # Finishing the box adds it; Enter in the field sends one update with the text.
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "boxes", "op": "add", "record": drawn}]})
    comm.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "boxes", "op": "update", "record": {**drawn, "text": "Hallo Welt"}}]})
    assert w.boxes[0]["text"] == "Hallo Welt"
    # A right-to-left text replaces it, exactly as typed.
    comm.from_browser({"type": "changes", "seq": 3, "changes": [
        {"field": "boxes", "op": "update", "record": {**drawn, "text": HEBREW}}]})
    assert w.boxes[0]["text"] == HEBREW
    # Undo sends the previous record back: the previous text returns; once more, no text.
    comm.from_browser({"type": "changes", "seq": 4, "changes": [
        {"field": "boxes", "op": "update", "record": {**drawn, "text": "Hallo Welt"}}]})
    assert w.boxes[0]["text"] == "Hallo Welt"
    comm.from_browser({"type": "changes", "seq": 5, "changes": [
        {"field": "boxes", "op": "update", "record": drawn}]})
    assert "text" not in w.boxes[0]
    assert comm.custom() == [{"type": "ack", "seq": s, "revision": s} for s in range(1, 6)]
    assert not any("boxes" in state for state in comm.state_updates())  # never echoed
    assert [c["record"].get("text") for c in seen] == [None, "Hallo Welt", HEBREW,
                                                       "Hallo Welt", None]


def test_a_bad_text_from_the_browser_is_rejected_and_the_list_resent(comm_recorder):
    w = image(boxes=[{"id": "b1", "x": 1, "y": 1, "w": 5, "h": 5, "label": "line",
                      "text": "kept"}])
    comm = comm_recorder(w)
    comm.from_browser({"type": "changes", "seq": 7, "changes": [{
        "field": "boxes", "op": "update",
        "record": {"id": "b1", "x": 1, "y": 1, "w": 5, "h": 5, "label": "line", "text": None}}]})
    assert w.boxes[0]["text"] == "kept"
    reply = comm.custom()[0]
    assert reply["type"] == "error" and reply["seq"] == 7
    assert "'text' must be a string" in reply["message"]
    assert any("boxes" in state for state in comm.state_updates())


def test_region_text_round_trip_as_the_browser_sends_it(comm_recorder):
    w = audio(transcribe=True)
    comm = comm_recorder(w)
    region = {"id": "r1", "start": 0.25, "end": 0.5, "label": "speech", "source": "human"}
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "regions", "op": "add", "record": region}]})
    comm.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "regions", "op": "update", "record": {**region, "text": "Hallo Welt"}}]})
    assert w.regions == [{**region, "text": "Hallo Welt"}]
    comm.from_browser({"type": "changes", "seq": 3, "changes": [
        {"field": "regions", "op": "update", "record": {**region, "text": MIXED}}]})
    assert w.regions[0]["text"] == MIXED
    comm.from_browser({"type": "changes", "seq": 4,
                       "changes": [{"field": "regions", "op": "update", "record": region}]})
    assert "text" not in w.regions[0]
    assert [m["type"] for m in comm.custom()] == ["ack"] * 4
    assert not any("regions" in state for state in comm.state_updates())
