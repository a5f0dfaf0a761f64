"""AudioAnnotator without a browser: state, validation, and the data requests it answers
through ipywidgets' real comm handling."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from nbannotate import AudioAnnotator
from nbannotate.audio._peaks import PeakPyramid
from nbannotate.audio.annotator import OVERVIEW_COLUMNS, format_time

FIXTURES = Path(__file__).parents[1] / "fixtures"


def make(n: int = 16000, rate: int = 8000, channels: int = 1, dtype=np.float32, **kwargs):
    rng = np.random.default_rng(n)
    if dtype == np.int16:
        audio = rng.integers(-20000, 20000, size=(n, channels), dtype=np.int16)
    else:
        audio = (rng.standard_normal((n, channels)) * 0.1).astype(dtype)
    if channels == 1:
        audio = audio[:, 0]
    return AudioAnnotator(audio, sample_rate=rate, labels=["speech", "bird", "noise"], **kwargs)


def test_state_sent_with_the_widget_is_small_and_describes_the_recording():
    w = make(n=8000 * 60, rate=8000, channels=2)
    assert (w.duration, w.channels, w.num_samples, w.sample_rate) == (60.0, 2, 480000, 8000.0)
    assert w.label == "speech" and w.spectrogram is False
    assert w.overview_columns == OVERVIEW_COLUMNS
    assert len(w.overview) == 2 * OVERVIEW_COLUMNS * 2 * 4
    overview = np.frombuffer(w.overview, dtype=np.float32).reshape(2, OVERVIEW_COLUMNS, 2)
    np.testing.assert_array_equal(overview, PeakPyramid(w.samples).peaks(0, 480000,
                                                                         OVERVIEW_COLUMNS))
    assert w.chunk_samples == 4 * 8000 and w.sample_format == "float32"
    state = {k: v for k, v in w.get_state().items() if k not in ("_esm", "_css")}
    assert "samples" not in state
    sizes = [len(v) if isinstance(v, bytes) else len(json.dumps(v)) for v in state.values()]
    assert sum(sizes) < 40_000  # 60 s of stereo: 32 KB of overview peaks, the rest is small


def test_short_clip_overview_has_one_column_per_sample():
    w = AudioAnnotator(np.array([0.0, 0.5, -0.25], dtype=np.float32), 3, ["a"])
    assert w.overview_columns == 3
    assert np.frombuffer(w.overview, dtype=np.float32).tolist() == [0, 0, 0.5, 0.5, -0.25,
                                                                    -0.25]


def test_read_only_facts_and_strict_keywords():
    w = make()
    with pytest.raises(Exception, match="read-only"):
        w.duration = 5.0
    with pytest.raises(TypeError, match="colour"):
        AudioAnnotator(np.zeros(10, dtype=np.float32), 10, ["a"], colour="red")
    with pytest.raises(ValueError, match=r"label must be one of \['a'\], got 'b'"):
        AudioAnnotator(np.zeros(10, dtype=np.float32), 10, ["a"], label="b")
    with pytest.raises(ValueError, match="duplicates"):
        AudioAnnotator(np.zeros(10, dtype=np.float32), 10, ["a", "a"])
    with pytest.raises(ValueError, match="label must be one of"):
        w.label = "cat"
    assert repr(make(channels=2)) == ("AudioAnnotator(0:02.000 at 8000 Hz, 2 channels, 0 "
                                      "regions, 0 suggestions)")


def test_regions_are_validated_against_duration_labels_and_channels():
    w = make(channels=2)
    w.regions = [{"start": 0.5, "end": 1, "label": "bird", "channel": 1}]
    assert w.regions[0]["end"] == 1.0 and w.regions[0]["source"] == "human"
    with pytest.raises(ValueError, match=r"'end' must be at most the duration \(2.0 s\)"):
        w.regions = [{"start": 0.5, "end": 2.5, "label": "bird"}]
    with pytest.raises(ValueError, match="'label' must be one of"):
        w.regions = [{"start": 0.5, "end": 1, "label": "cat"}]
    with pytest.raises(ValueError, match=r"'channel' must be a channel index in \[0, 2\)"):
        w.regions = [{"start": 0.5, "end": 1, "label": "bird", "channel": 2}]
    w.suggestions = [{"start": 0, "end": 1, "label": "noise", "score": 0.7}]
    assert w.suggestions[0]["source"] == "model"


def test_format_time_matches_the_shared_fixture():
    cases = json.loads((FIXTURES / "audio_times.json").read_text())["cases"]
    assert cases
    for seconds, text in cases:
        assert format_time(seconds) == text, seconds


# -- requests through the comm ------------------------------------------------------------


def test_peaks_request_is_answered_from_the_pyramid_with_its_id(comm_recorder):
    w = make(n=100_003, channels=2)
    comm = comm_recorder(w)
    for request_id, columns, block in ((7, 100, 512), (8, 300, 1)):
        comm.from_browser({"type": "peaks", "id": request_id, "view": "v1", "start": 1000.4,
                           "end": 60_000, "columns": columns})
        reply = comm.custom()[-1]
        assert reply == {"type": "peaks", "id": request_id, "view": "v1", "audio_id": w.audio_id,
                         "start": 1000, "end": 60_000, "columns": columns, "channels": 2,
                         "block": block}
        (buffer,) = comm.sent[-1]["buffers"]
        got = np.frombuffer(bytes(buffer), dtype=np.float32).reshape(2, columns, 2)
        np.testing.assert_array_equal(got, PeakPyramid(w.samples).peaks(1000, 60_000, columns))
    assert w._requests["peaks"] == 2


def chunks_through_comm(w, comm) -> list[np.ndarray]:
    count = -(-w.num_samples // w.chunk_samples)
    parts = []
    for index in range(count):
        comm.from_browser({"type": "chunk", "id": 100 + index, "index": index})
        reply = comm.custom()[-1]
        assert reply["type"] == "chunk" and reply["index"] == index and reply["id"] == 100 + index
        assert reply["start"] == index * w.chunk_samples
        dtype = np.int16 if reply["format"] == "int16" else np.float32
        data = np.frombuffer(bytes(comm.sent[-1]["buffers"][0]), dtype=dtype)
        parts.append(data.reshape(reply["channels"], reply["length"]))
    return parts


@pytest.mark.parametrize(("n", "channels", "dtype"), [
    (3 * 32000 + 17, 1, np.int16),     # a short last chunk
    (2 * 32000, 2, np.float32),        # chunks end exactly at the end
    (1234, 2, np.int16),               # shorter than one chunk: sent whole
])
def test_chunks_cover_every_sample_once(comm_recorder, n, channels, dtype):
    w = make(n=n, channels=channels, dtype=dtype)
    comm = comm_recorder(w)
    parts = chunks_through_comm(w, comm)
    assert sum(p.shape[1] for p in parts) == n
    joined = np.concatenate(parts, axis=1)
    assert joined.dtype == w.samples.dtype
    np.testing.assert_array_equal(joined, w.samples)
    assert w._requests["chunk"] == len(parts)


@pytest.mark.parametrize(("request_", "message"), [
    ({"type": "chunk", "index": 99}, r"chunk index must be an integer in \[0, 1\), got 99"),
    ({"type": "chunk", "index": "0"}, "chunk index must be an integer"),
    ({"type": "chunk", "index": True}, "chunk index must be an integer"),
    ({"type": "peaks", "start": 10, "end": 5, "columns": 3}, "end .* must be greater than"),
    ({"type": "peaks", "start": 0, "end": 100, "columns": 0}, r"columns must be in \[1, "),
    ({"type": "peaks", "start": None, "end": 100, "columns": 3}, "'start' must be a finite"),
    ({"type": "peaks", "start": 1e9, "end": 2e9, "columns": 3}, "outside the recording"),
    ({"type": "spectrogram", "start": 0, "end": 100, "columns": 10**6}, "columns must be in"),
])
def test_bad_requests_are_answered_with_an_error_not_a_crash(comm_recorder, request_, message):
    w = make(n=1000)
    comm = comm_recorder(w)
    comm.from_browser({**request_, "id": 3, "view": "v2"})
    (reply,) = comm.custom()
    assert reply["type"] == "request-error" and reply["id"] == 3 and reply["view"] == "v2"
    assert re.search(message, reply["message"]), reply["message"]
    assert w._requests["error"] == 1


def test_unknown_messages_are_ignored(comm_recorder):
    w = make(n=1000)
    comm = comm_recorder(w)
    comm.from_browser({"type": "hello", "id": 1})
    comm.from_browser(["not", "a", "dict"])  # type: ignore[arg-type]
    assert comm.custom() == []


def test_spectrogram_request_returns_an_image_of_the_window(comm_recorder):
    w = make(n=16000, rate=16000)
    comm = comm_recorder(w)
    comm.from_browser({"type": "spectrogram", "id": 4, "start": 0, "end": 8000, "columns": 120})
    (reply,) = comm.custom()
    assert (reply["id"], reply["width"], reply["height"]) == (4, 120, 257)
    assert reply["max_frequency"] == 8000.0
    assert len(bytes(comm.sent[-1]["buffers"][0])) == 120 * 257
    assert w._requests["spectrogram"] == 1


# -- edits ------------------------------------------------------------------------------------


def test_region_edits_apply_without_echo_and_call_back(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    region = {"id": "r1", "start": 0.25, "end": 0.5, "label": "speech", "source": "human"}
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "regions", "op": "add", "record": region}]})
    comm.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "regions", "op": "update", "record": {**region, "label": "bird"}}]})
    assert w.regions == [{**region, "label": "bird"}]
    comm.from_browser({"type": "changes", "seq": 3, "changes": [
        {"field": "regions", "op": "update", "record": {**region, "end": 9.0}}]})
    assert comm.custom()[-1]["type"] == "error" and "duration" in comm.custom()[-1]["message"]
    assert w.regions[0]["end"] == 0.5
    comm.from_browser({"type": "changes", "seq": 4,
                       "changes": [{"field": "regions", "op": "remove", "record": {"id": "r1"}}]})
    assert w.regions == []
    assert [c["op"] for c in seen] == ["add", "update", "remove"]
    assert [m["seq"] for m in comm.custom() if m["type"] == "ack"] == [1, 2, 4]
    states = comm.state_updates()
    assert sum("regions" in s for s in states) == 1  # only the resend after the rejected edit


def test_accepting_a_suggestion_is_one_message_moving_it_to_regions(comm_recorder):
    suggestion = {"id": "s1", "start": 0.1, "end": 0.4, "label": "bird", "score": 0.9}
    w = make(suggestions=[suggestion])
    comm = comm_recorder(w)
    record = w.suggestions[0]
    comm.from_browser({"type": "changes", "seq": 1, "changes": [
        {"field": "suggestions", "op": "remove", "record": record},
        {"field": "regions", "op": "add", "record": {"id": "s1", "start": 0.1, "end": 0.4,
                                                     "label": "bird", "source": "human"}}]})
    assert w.suggestions == []
    assert w.regions == [{"id": "s1", "start": 0.1, "end": 0.4, "label": "bird",
                          "source": "human"}]


def test_set_audio_replaces_the_recording_and_tags_replies(comm_recorder):
    w = make(regions=[{"start": 0, "end": 1, "label": "bird"}])
    first_id = w.audio_id
    w.set_audio(np.zeros(24000, dtype=np.int16), 8000,
                regions=[{"start": 2, "end": 3, "label": "noise"}])
    assert w.audio_id == first_id + 1
    assert w.duration == 3.0 and w.sample_format == "int16"
    assert [r["label"] for r in w.regions] == ["noise"]
    comm = comm_recorder(w)
    comm.from_browser({"type": "peaks", "id": 1, "start": 0, "end": 24000, "columns": 10})
    assert comm.custom()[-1]["audio_id"] == w.audio_id


def test_int16_samples_are_kept_not_copied():
    audio = np.zeros(50_000, dtype=np.int16)
    w = AudioAnnotator(audio, 16000, ["a"])
    assert np.shares_memory(w.samples, audio)
    assert w._pyramid.nbytes < 0.05 * audio.nbytes
    with pytest.raises(ValueError, match="read-only"):
        w.samples[0, 0] = 1
