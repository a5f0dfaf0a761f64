"""Audio formats: Audacity label tracks, Label Studio audio, regions DataFrame."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pandas as pd
import pytest

from nbannotate.formats import (
    REGION_COLUMNS,
    from_audacity,
    from_labelstudio_audio,
    regions_dataframe,
    regions_from_dataframe,
    to_audacity,
    to_labelstudio_audio,
)


def clips() -> list[dict[str, Any]]:
    return [
        {"audio": "birds/dawn chorus.wav", "duration": 12.5, "regions": [
            {"id": "r1", "label": "robin", "start": 0.1234567, "end": 1.5, "channel": 0,
             "source": "human"},
            {"id": "r2", "label": "wren", "start": 1.25, "end": 3.000001, "channel": 1,
             "source": "model", "score": 0.8},
            {"id": "r3", "label": "speech", "start": 4.0, "end": 7.75, "source": "auto",
             "score": 0.97, "text": "Grüße — 你好 😀"},
        ]},
        {"audio": "empty.wav", "duration": 3.0, "regions": []},
        {"audio": "b.flac", "duration": 2.0, "regions": [
            {"id": "x", "label": "dog", "start": 0.0, "end": 2.0, "source": "human"},
            {"id": "y", "label": "dog", "start": 0.5, "end": 1.0, "source": "model"}]},
    ]


def assert_regions(want: list[dict[str, Any]], got: list[dict[str, Any]]) -> None:
    assert len(want) == len(got)
    for a, b in zip(want, got, strict=True):
        assert a.keys() == b.keys()
        for key in a:
            if isinstance(a[key], float):
                assert b[key] == pytest.approx(a[key], abs=1e-6), key
            else:
                assert a[key] == b[key], key


# ---------------------------------------------------------------- Audacity


def test_audacity_round_trip_keeps_times_and_labels() -> None:
    regions = clips()[0]["regions"]
    text = to_audacity(regions)
    assert text.splitlines() == ["0.123457\t1.500000\trobin", "1.250000\t3.000001\twren",
                                 "4.000000\t7.750000\tspeech"]
    back = from_audacity(text)
    assert [r["label"] for r in back] == ["robin", "wren", "speech"]
    for want, got in zip(regions, back, strict=True):
        assert got["start"] == pytest.approx(want["start"], abs=1e-6)
        assert got["end"] == pytest.approx(want["end"], abs=1e-6)
        assert got["source"] == "human" and "channel" not in got and "text" not in got


def test_audacity_reads_empty_labels_crlf_and_skips_spectral_lines_with_a_warning() -> None:
    text = "0.5\t1\t\r\n\\\t100.0\t2000.0\r\n1.5\t2.0\tbird song\r\n"
    with pytest.warns(UserWarning, match=r"1 spectral-selection lines .* were skipped"):
        regions = from_audacity(text)
    assert [(r["start"], r["end"], r["label"]) for r in regions] == [
        (0.5, 1.0, ""), (1.5, 2.0, "bird song")]


@pytest.mark.parametrize(("text", "message"), [
    ("0.5\t1.0\ta\n\n2.0\t2.0\tclick\n",
     r"Audacity line 3: point label 'click' at 2.0 s \(start == end\); regions need end > "
     r"start"),
    ("0.5 1.0 a\n", r"Audacity line 1: expected 'start<TAB>end<TAB>label', got '0.5 1.0 a'"),
    ("0,5\t1,0\ta\n", r"Audacity line 1: start and end must be numbers of seconds"),
    ("2.0\t1.0\ta\n", r"Audacity line 1: record .*field 'end' must be greater than start"),
    ("-1\t1.0\ta\n", r"Audacity line 1: record .*field 'start' must be a non-negative time"),
    ("nan\t1.0\ta\n", r"Audacity line 1: start and end must be finite"),
])
def test_audacity_read_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_audacity(text)


def test_audacity_write_errors_name_the_region() -> None:
    with pytest.raises(ValueError, match=r"region 0 \(id='t'\): an Audacity label cannot hold "
                                         r"a tab or line break"):
        to_audacity([{"id": "t", "start": 0.0, "end": 1.0, "label": "a\tb"}])
    with pytest.raises(ValueError, match=r"region 1 \(id='p'\): \[1.0, 1.0000004\] s "
                                         r"collapses to a point at 6 decimals"):
        to_audacity([{"id": "o", "start": 0.0, "end": 1.0, "label": "a"},
                     {"id": "p", "start": 1.0, "end": 1.0000004, "label": "b"}])
    with pytest.raises(ValueError, match=r"regions: record 0 \(id='z'\): field 'end' must be "
                                         r"greater than start"):
        to_audacity([{"id": "z", "start": 1.0, "end": 1.0, "label": "a"}])


# ---------------------------------------------------------------- Label Studio audio


def test_labelstudio_audio_round_trip_keeps_channel_text_source_and_score() -> None:
    tasks = json.loads(json.dumps(to_labelstudio_audio(clips())))
    back = from_labelstudio_audio(tasks)
    assert [c["audio"] for c in back] == [c["audio"] for c in clips()]
    assert [c["duration"] for c in back] == [12.5, 3.0, 2.0]
    for want, got in zip(clips(), back, strict=True):
        assert_regions(sorted(want["regions"], key=lambda r: r["id"]),
                       sorted(got["regions"], key=lambda r: r["id"]))


def test_labelstudio_audio_layout() -> None:
    tasks = to_labelstudio_audio(clips(), from_name="kind", to_name="clip", data_key="url",
                                 text_from_name="words")
    assert tasks[0]["data"] == {"url": "birds/dawn chorus.wav", "nbannotate_duration": 12.5}
    human = tasks[0]["annotations"][0]["result"]
    assert human == [{"id": "r1", "type": "labels", "from_name": "kind", "to_name": "clip",
                      "origin": "manual", "original_length": 12.5,
                      "value": {"start": 0.1234567, "end": 1.5, "channel": 0,
                                "labels": ["robin"]}}]
    model = tasks[0]["predictions"][0]["result"]
    assert [(r["id"], r["type"], r["from_name"]) for r in model] == [
        ("r2", "labels", "kind"), ("r3", "labels", "kind"), ("r3", "textarea", "words")]
    assert model[2]["value"] == {"start": 4.0, "end": 7.75, "text": ["Grüße — 你好 😀"]}
    assert model[1]["nbannotate_source"] == "auto" and model[0]["score"] == 0.8
    assert tasks[1] == {"data": {"url": "empty.wav", "nbannotate_duration": 3.0}}


def test_labelstudio_audio_reads_an_export_and_reports_problems() -> None:
    region = {"id": "a", "type": "labels", "from_name": "label", "to_name": "audio",
              "original_length": 5.0,
              "value": {"start": 1.0, "end": 2.0, "channel": 0, "labels": ["speech"]}}
    words = {"id": "a", "type": "textarea", "value": {"start": 1.0, "end": 2.0,
                                                      "text": ["hello", "world"]}}
    whole = {"id": "w", "type": "textarea", "value": {"text": ["whole clip"]}}
    task = {"id": 9, "data": {"audio": "x.wav"}, "annotations": [{"result": [region, words,
                                                                             whole]}]}
    with pytest.warns(UserWarning, match=r"1 'textarea without a region'"):
        clip = from_labelstudio_audio([task])[0]
    assert clip["duration"] == 5.0
    assert clip["regions"][0]["text"] == "hello\nworld"
    region["value"]["end"] = 6.0
    with pytest.raises(ValueError, match=r"Label Studio task 0 \(id=9\), annotation result 0 "
                                         r"\(id='a'\): record \(id='a'\): field 'end' must be at "
                                         r"most the duration \(5.0 s\)"):
        from_labelstudio_audio([task])
    with pytest.raises(ValueError, match=r"Label Studio task 0: cannot tell the clip duration"):
        from_labelstudio_audio([{"data": {"audio": "x.wav"}}])
    with pytest.raises(ValueError, match=r"Label Studio JSON line 1: Expecting value"):
        from_labelstudio_audio("not json")
    with pytest.raises(ValueError, match=r"Label Studio task 0: must be a dict with a 'data'"):
        from_labelstudio_audio([{"audio": "x.wav"}])


def test_labelstudio_audio_filters_by_control_names() -> None:
    tasks = to_labelstudio_audio(clips()[2:])
    tasks[0]["annotations"][0]["result"].append(
        {"id": "y", "type": "labels", "from_name": "other", "to_name": "audio",
         "value": {"start": 0.0, "end": 1.0, "labels": ["cat"]}})
    assert len(from_labelstudio_audio(tasks)[0]["regions"]) == 2
    assert [r["id"] for r in from_labelstudio_audio(tasks, from_name="label")[0]["regions"]] == [
        "x"]


# ---------------------------------------------------------------- DataFrame


def test_regions_dataframe_round_trip() -> None:
    df = regions_dataframe(clips())
    assert tuple(df.columns) == REGION_COLUMNS
    assert len(df) == 5 and str(df["channel"].dtype) == "Int64"
    assert df["channel"].isna().tolist() == [False, False, True, True, True]
    assert df["text"].tolist()[2:] == ["Grüße — 你好 😀", None, None]
    assert df["score"].isna().tolist() == [True, False, False, True, True]
    back = regions_from_dataframe(df)
    assert [c["audio"] for c in back] == ["birds/dawn chorus.wav", "b.flac"]  # no empty clip
    expected = [c for c in clips() if c["regions"]]
    for want, got in zip(expected, back, strict=True):
        assert got["duration"] == want["duration"]
        assert_regions(want["regions"], got["regions"])


def test_regions_from_a_minimal_dataframe() -> None:
    df = pd.DataFrame({"audio": ["a.wav", "b.wav", "a.wav"], "label": ["x", "y", "z"],
                       "start": [0, 1.5, 2], "end": [1, 2.5, 3.25], "notes": ["", "", ""]})
    clips_ = regions_from_dataframe(df)
    assert [(c["audio"], c["duration"], len(c["regions"])) for c in clips_] == [
        ("a.wav", 3.25, 2), ("b.wav", 2.5, 1)]
    first = clips_[0]["regions"][0]
    assert (first["start"], first["source"], len(first["id"])) == (0.0, "human", 12)


def test_regions_from_dataframe_errors_name_the_row() -> None:
    with pytest.raises(ValueError, match=r"DataFrame: missing column\(s\) \['end'\]"):
        regions_from_dataframe(pd.DataFrame({"audio": [], "label": [], "start": []}))
    df = regions_dataframe(clips())
    df.loc[1, "score"] = 2.0
    with pytest.raises(ValueError, match=r"DataFrame row 1 \(index 1\): record \(id='r2'\): "
                                         r"field 'score' must be a number in \[0, 1\]"):
        regions_from_dataframe(df)
    df = regions_dataframe(clips()).set_index("id", drop=False)
    df.loc["r3", "duration"] = 20.0
    with pytest.raises(ValueError, match=r"DataFrame row 2 \(index 'r3'\): column 'duration' "
                                         r"is 20.0 but an earlier row"):
        regions_from_dataframe(df)
    with pytest.raises(TypeError, match="df must be a pandas DataFrame"):
        regions_from_dataframe(clips())  # type: ignore[arg-type]


def test_warnings_point_at_the_calling_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from_audacity("0\t1\ta\n\\\t1\t2\n")
        from_labelstudio_audio([{"data": {"audio": "a", "nbannotate_duration": 1.0},
                                 "annotations": [{"result": [
                                     {"id": "t", "type": "textarea", "value": {"text": ["x"]}}]}]}])
    assert len(caught) == 2 and {w.filename for w in caught} == {__file__}
