"""Transcription formats: OCR line list, NeMo manifests, WebVTT and SRT subtitles, and
transcriptions as Label Studio textarea results; text in any script and direction."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from nbannotate.formats import (
    from_labelstudio_audio,
    from_labelstudio_images,
    from_nemo_manifest,
    from_ocr_jsonl,
    from_srt,
    from_webvtt,
    to_labelstudio_audio,
    to_labelstudio_images,
    to_nemo_manifest,
    to_ocr_jsonl,
    to_srt,
    to_webvtt,
)
from nbannotate.records.reading_order import reading_order

# Right-to-left, mixed-direction and non-Latin texts, and characters formats escape.
HEBREW = "שלום עולם"
ARABIC_MIXED = "السعر: 42 € (VAT incl.)"
MIXED = "Total סה״כ 1,234.50 ₪"
CJK = "東京都 – 渋谷区 😀"
MARKUP = "a < b && c > d --> e"


def page() -> dict[str, Any]:
    """A receipt with words drawn out of reading order, and records without text."""
    return {"image": "scans/receipt 1.png", "width": 600, "height": 400, "boxes": [
        {"id": "w3", "label": "line", "x": 20, "y": 102, "w": 300, "h": 30, "text": MIXED,
         "source": "model", "score": 0.61},
        {"id": "w2", "label": "word", "x": 330, "y": 20, "w": 200, "h": 32, "text": HEBREW},
        {"id": "w1", "label": "word", "x": 20, "y": 22, "w": 280, "h": 30, "text": ARABIC_MIXED,
         "source": "auto", "score": 0.99},
        {"id": "w4", "label": "line", "x": 20, "y": 160, "w": 0, "h": 0, "text": ""},
        {"id": "w5", "label": "line", "x": 20.25, "y": 200.5, "w": 400.125, "h": 40,
         "text": CJK + "\n" + MARKUP},
    ]}


def clips() -> list[dict[str, Any]]:
    return [
        {"audio": "calls/שיחה 1.wav", "duration": 30.0, "regions": [
            {"id": "r2", "label": "agent", "start": 4.25, "end": 9.5, "text": ARABIC_MIXED,
             "source": "model", "score": 0.8, "channel": 1},
            {"id": "r1", "label": "caller", "start": 0.5, "end": 4.0, "text": HEBREW},
            {"id": "r3", "label": "caller", "start": 10.0, "end": 12.125,
             "text": CJK + "\n" + MARKUP, "source": "auto", "score": 0.97},
        ]},
        {"audio": "calls/silence.wav", "duration": 5.0, "regions": []},
        {"audio": "calls/b.flac", "duration": 7200.0, "regions": [
            {"id": "late", "label": "agent", "start": 7000.123456, "end": 7100.0, "text": ""}]},
    ]


def assert_same(want: dict[str, Any], got: dict[str, Any], tolerance: float = 1e-9) -> None:
    assert want.keys() == got.keys(), (want, got)
    for key, value in want.items():
        if isinstance(value, float):
            assert got[key] == pytest.approx(value, abs=tolerance), key
        else:
            assert got[key] == value, key


# ---------------------------------------------------------------- OCR line list


def test_ocr_line_list_round_trip_in_reading_order() -> None:
    item = page()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = to_ocr_jsonl([item])
        (back,) = from_ocr_jsonl(text)
    order = reading_order(item["boxes"])
    assert [b["id"] for b in back["boxes"]] == [item["boxes"][i]["id"] for i in order]
    assert [b["id"] for b in back["boxes"]] == ["w1", "w2", "w3", "w4", "w5"]
    want = {b["id"]: {"source": "human", **b} for b in item["boxes"]}
    for box in back["boxes"]:
        assert_same({k: float(v) if k in "xywh" else v for k, v in want[box["id"]].items()},
                    box)
    assert (back["image"], back["width"], back["height"]) == ("scans/receipt 1.png", 600, 400)
    assert back["keypoints"] == back["polygons"] == back["masks"] == []
    first = text.splitlines()[0]
    assert ARABIC_MIXED in first  # UTF-8 text, not \\u escapes
    assert json.loads(first) == {"image": "scans/receipt 1.png", "image_width": 600,
                                 "image_height": 400, "box": [20.0, 22.0, 280.0, 30.0],
                                 "text": ARABIC_MIXED, "label": "word", "id": "w1",
                                 "source": "auto", "score": 0.99}
    assert len(text.splitlines()) == 5  # the line break in w5's text stays inside JSON


def test_ocr_line_list_of_a_right_to_left_page_goes_right_to_left_within_lines() -> None:
    words = [("a", 20, "עולם"), ("b", 140, "שלום"), ("c", 260, "אמר")]
    item = {"image": "he.png", "width": 400, "height": 100, "boxes": [
        {"id": i, "label": "word", "x": x, "y": 10, "w": 100, "h": 30, "text": t}
        for i, x, t in words] + [
        {"id": "next-line", "label": "word", "x": 290, "y": 60, "w": 100, "h": 30, "text": "1"}]}

    def ids(text: str) -> list[str]:
        return [json.loads(line)["id"] for line in text.splitlines()]
    assert ids(to_ocr_jsonl([item])) == ["c", "b", "a", "next-line"]
    assert ids(to_ocr_jsonl([item], direction="ltr")) == ["a", "b", "c", "next-line"]
    with pytest.raises(ValueError, match="direction must be one of"):
        to_ocr_jsonl([item], direction="backwards")


def test_ocr_line_list_leaves_out_what_it_cannot_hold() -> None:
    item = page()
    item["boxes"].append({"id": "nt", "label": "logo", "x": 1, "y": 1, "w": 5, "h": 5})
    item["polygons"] = [{"label": "x", "points": [[0, 0], [1, 0], [0, 1]]}]
    bare = {"image": "blank.png", "width": 10, "height": 10}
    with pytest.warns(UserWarning, match=r"holds boxes with text only: 1 boxes without text, "
                                         r"1 polygons were not written"):
        text = to_ocr_jsonl([bare, item])
    items = from_ocr_jsonl(text)
    assert [i["image"] for i in items] == ["scans/receipt 1.png"]
    assert "nt" not in {b["id"] for b in items[0]["boxes"]}
    assert to_ocr_jsonl([]) == "" and from_ocr_jsonl("") == [] and from_ocr_jsonl("\n \n") == []


def test_ocr_line_list_reads_lines_from_elsewhere() -> None:
    text = ("\ufeff" + json.dumps({"image": "b.jpg", "box": [5, 6, 7, 8], "text": HEBREW,
                                   "confidence": 0.3}, ensure_ascii=True) + "\r\n\r\n"
            + json.dumps({"image": "a.jpg", "box": [0, 0, 1, 1], "text": "x", "label": "word",
                          "id": "k"}) + "\n"
            + json.dumps({"image": "b.jpg", "box": [1, 1, 1, 1], "text": CJK}) + "\n")
    items = from_ocr_jsonl(text, image_sizes={"a.jpg": (10, 20), "b.jpg": (30, 40)},
                           label="printed")
    assert [(i["image"], i["width"], i["height"]) for i in items] == [("b.jpg", 30, 40),
                                                                      ("a.jpg", 10, 20)]
    first, second = items[0]["boxes"]
    assert (first["text"], first["label"], first["source"]) == (HEBREW, "printed", "human")
    assert second["text"] == CJK and first["id"] != second["id"]
    assert items[1]["boxes"][0]["id"] == "k" and items[1]["boxes"][0]["label"] == "word"


@pytest.mark.parametrize(("lines", "message"), [
    (['{"image": "a", "image_width": 5, "image_height": 5, "box": [0,0,1,1], "text": "x"}',
      '{"image": "a", "box": [0, 0'], r"OCR line list line 2: not valid JSON"),
    (['{"image": "", "box": [0, 0, 1, 1], "text": "x"}'],
     r"OCR line 1: field 'image' must be a non-empty string"),
    (['{"image": "a", "image_width": 5, "image_height": 5, "box": [0, 0, 1], "text": "x"}'],
     r"OCR line 1: field 'box' must be \[x, y, w, h\] \(4 numbers, pixels\), got \[0, 0, 1\]"),
    (['{"image": "a", "image_width": 5, "image_height": 5, "box": [0, 0, 1, 1]}'],
     r"OCR line 1: field 'text' must be a string, got None"),
    (['{"image": "a", "image_width": 5, "image_height": 5, "box": [0, 0, -1, 1], "text": ""}'],
     r"OCR line 1: record \(id=.*\): field 'w' must be a non-negative size"),
    (['{"image": "a", "image_width": 5, "image_height": 5, "box": [0,0,1,1], "text": "x", '
      '"score": 2}'], r"OCR line 1: record .*: field 'score' must be a number in \[0, 1\]"),
    (['{"image": "a", "image_width": 5, "image_height": 5, "box": [0,0,1,1], "text": "x"}',
      '{"image": "a", "image_width": 6, "image_height": 5, "box": [0,0,1,1], "text": "y"}'],
     r"OCR line 2: image 'a' is 6x5 here but 5x5 on an earlier line"),
    (['{"image": "a", "image_width": 5, "image_height": 5, "box": [0,0,1,1], "text": "x", '
      '"id": "d"}', "",
      '{"image": "a", "image_width": 5, "image_height": 5, "box": [0,0,1,1], "text": "y", '
      '"id": "d"}'], r"OCR line 3: id 'd' repeats the id of an earlier box of image 'a'"),
    (['{"image": "a", "image_width": 0, "image_height": 5, "box": [0,0,1,1], "text": "x"}'],
     r"OCR line 1: image size 'width' must be a positive integer"),
    (['{"image": "a", "box": [0, 0, 1, 1], "text": "x"}'],
     r"OCR line 1: no image size: .* pass image_sizes=\{'a': \(width, height\)\}"),
])
def test_ocr_line_list_errors_name_the_line(lines: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_ocr_jsonl("\n".join(lines))


# ---------------------------------------------------------------- NeMo manifests


def test_nemo_manifest_round_trip_in_time_order() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = to_nemo_manifest(clips())
        back = from_nemo_manifest(text)
    assert [c["audio"] for c in back] == ["calls/שיחה 1.wav", "calls/b.flac"]  # no silence
    assert [r["id"] for r in back[0]["regions"]] == ["r1", "r2", "r3"]
    want = {r["id"]: {"source": "human", **r} for c in clips() for r in c["regions"]}
    for clip in back:
        for region in clip["regions"]:
            assert_same(want[region["id"]], region)
    assert back[1]["duration"] == 7200.0
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[1] == {"audio_filepath": "calls/שיחה 1.wav", "offset": 4.25, "duration": 5.25,
                        "text": ARABIC_MIXED, "label": "agent", "nbannotate_id": "r2",
                        "nbannotate_source": "model", "nbannotate_score": 0.8,
                        "nbannotate_channel": 1, "nbannotate_clip_duration": 30.0}
    assert HEBREW in text
    assert to_nemo_manifest([]) == "" and from_nemo_manifest("") == []
    clip = {"audio": "a.wav", "duration": 9.0, "regions": [
        {"id": "r", "label": "speech", "start": 3.0, "end": 4.2, "text": "x"}]}
    line = json.loads(to_nemo_manifest([clip]))
    assert line["duration"] == 1.2  # not 1.2000000000000002
    assert from_nemo_manifest(json.dumps(line))[0]["regions"][0]["end"] == 4.2


def test_nemo_manifest_leaves_out_untranscribed_regions() -> None:
    clip = clips()[0]
    clip["regions"].append({"id": "music", "label": "music", "start": 20.0, "end": 25.0})
    with pytest.warns(UserWarning, match=r"transcribed regions only: 1 regions without text"):
        back = from_nemo_manifest(to_nemo_manifest([clip]))
    assert "music" not in {r["id"] for r in back[0]["regions"]}


def test_nemo_manifest_reads_manifests_from_elsewhere() -> None:
    text = "\n".join([
        json.dumps({"audio_filepath": "utt/1.wav", "duration": 2.5, "text": HEBREW}),
        json.dumps({"audio_filepath": "long.wav", "offset": 3.0, "duration": 1.5,
                    "text": "hello", "lang": "en"}),
        json.dumps({"audio_filepath": "long.wav", "offset": 10.0, "duration": 2.0,
                    "text": MIXED, "label": "agent"}),
    ])
    whole, long = from_nemo_manifest(text)
    assert whole["duration"] == 2.5 and whole["regions"][0]["start"] == 0.0
    assert whole["regions"][0]["label"] == "speech" and whole["regions"][0]["text"] == HEBREW
    assert long["duration"] == 12.0  # the end of its last region
    assert [r["label"] for r in long["regions"]] == ["speech", "agent"]
    _, long = from_nemo_manifest(text, clip_durations={"long.wav": 60.0}, label="talk")
    assert long["duration"] == 60.0 and long["regions"][0]["label"] == "talk"


@pytest.mark.parametrize(("lines", "message"), [
    (['{"duration": 1, "text": "x"}'], r"NeMo manifest line 1: field 'audio_filepath' must be"),
    (['{"audio_filepath": "a", "offset": -1, "duration": 1, "text": "x"}'],
     r"line 1: field 'offset' must be a non-negative number of seconds, got -1"),
    (['{"audio_filepath": "a", "text": "x"}'],
     r"line 1: field 'duration' must be a non-negative number of seconds, got None"),
    (['{"audio_filepath": "a", "duration": 0, "text": "x"}'],
     r"line 1: record \(id=.*\): field 'end' must be greater than start"),
    (['{"audio_filepath": "a", "duration": 1, "pred_text": "x"}'],
     r"line 1: field 'text' must be a string, got None"),
    (['{"audio_filepath": "a", "duration": 1, "text": "x", "nbannotate_score": 5}'],
     r"line 1: record .*: field 'score' must be a number in \[0, 1\]"),
    (['{"audio_filepath": "a", "duration": 1, "text": "x", "nbannotate_clip_duration": 9}',
      '{"audio_filepath": "a", "duration": 1, "text": "y", "nbannotate_clip_duration": 8}'],
     r"line 2: nbannotate_clip_duration 8 differs from 9 on an earlier line of 'a'"),
    (['{"audio_filepath": "a", "duration": 1, "text": "x", "nbannotate_id": "i"}',
      '{"audio_filepath": "a", "duration": 2, "text": "y", "nbannotate_id": "i"}'],
     r"line 2: id 'i' repeats the id of an earlier region of 'a'"),
    (['{"audio_filepath": "a", "duration": 1, "text": "x"}',
      '{"audio_filepath": "a", "offset": 4, "duration": 2, "text": "y", '
      '"nbannotate_clip_duration": 5}'],
     r"line 2: the region ends at 6.0 s, after the end of 'a' \(5 s\)"),
])
def test_nemo_manifest_errors_name_the_line(lines: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_nemo_manifest("\n".join(lines))


def test_nemo_manifest_clip_durations_are_checked_against_the_lines() -> None:
    text = '{"audio_filepath": "a", "offset": 4, "duration": 2, "text": "y"}'
    with pytest.raises(ValueError, match=r"line 1: the region ends at 6.0 s, after the end of "
                                         r"'a' \(5.0 s\)"):
        from_nemo_manifest(text, clip_durations={"a": 5.0})


# ---------------------------------------------------------------- WebVTT


def subtitle_regions() -> list[dict[str, Any]]:
    return [
        {"id": "c2", "label": "Speaker 2", "start": 3.0, "end": 5.5, "text": ARABIC_MIXED,
         "source": "model", "score": 0.7, "channel": 0},
        {"id": "c1", "label": "דנה", "start": 0.0004, "end": 2.9996, "text": HEBREW},
        {"id": "c3", "label": "A & <B>", "start": 5.5, "end": 8.25,
         "text": MIXED + "\n" + MARKUP + "\n" + CJK},
        {"id": "blank-lines", "label": "x", "start": 9.0, "end": 10.0,
         "text": "\nfirst\n\n\nlast\n"},
        {"id": "cr", "label": "x", "start": 10.0, "end": 11.0, "text": "one\r\ntwo\rthree"},
        {"id": "empty", "label": "x", "start": 11.0, "end": 11.001, "text": ""},
        {"id": "long", "label": "x", "start": 360000.0, "end": 360001.5, "text": "100 h"},
    ]


def test_webvtt_round_trip_keeps_every_record_within_a_millisecond() -> None:
    regions = subtitle_regions()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = to_webvtt(regions)
        back = from_webvtt(text)
    assert [r["id"] for r in back] == ["c1", "c2", "c3", "blank-lines", "cr", "empty", "long"]
    want = {r["id"]: {"source": "human", **r} for r in regions}
    for region in back:
        assert_same(want[region["id"]], region, tolerance=0.0005)


def test_webvtt_output_escapes_text_and_keeps_lines() -> None:
    text = to_webvtt(subtitle_regions())
    assert text.startswith("WEBVTT\n\nc1\n00:00:00.000 --> 00:00:03.000\n<v דנה>שלום עולם\n\n")
    assert ('NOTE nbannotate {"source": "model", "score": 0.7, "channel": 0}\n\nc2\n'
            "00:00:03.000 --> 00:00:05.500\n<v Speaker 2>") in text
    assert ("c3\n00:00:05.500 --> 00:00:08.250\n<v A &amp; &lt;B&gt;>Total סה״כ 1,234.50 ₪\n"
            "a &lt; b &amp;&amp; c &gt; d --&gt; e\n東京都") in text
    assert "\n<v x>&#10;first&#10;&#10;\nlast&#10;\n\n" in text
    assert "<v x>one&#13;\ntwo&#13;three\n" in text
    assert "empty\n00:00:11.000 --> 00:00:11.001\n<v x>\n" in text
    assert "long\n100:00:00.000 --> 100:00:01.500\n" in text
    assert to_webvtt([]) == "WEBVTT\n" and from_webvtt("WEBVTT\n") == []
    assert from_webvtt("WEBVTT") == []


REAL_VTT = (
    "\ufeffWEBVTT Kind: captions\r\nLanguage: en\r\n\r\n"
    "NOTE\r\nThis is a comment\r\nover two lines\r\n\r\n"
    "STYLE\r\n::cue(.yellow) { color: yellow }\r\n\r\n"
    "REGION\r\nid:fred width:40%\r\n\r\n"
    "00:01.000 --> 00:04.000 align:start position:10%\r\n"
    "<v.first.loud Esme Tiffany>Never drink <i>liquid</i> nitrogen.</v>\r\n\r\n\r\n"
    "intro-2\r\n00:00:05.000 --> 00:00:06.500\r\n"
    "<c.yellow>&lrm;مرحبا</c> &amp; <00:00:05.500>welcome &#x263A;\r\n"
    "00:00:07.000 --> 00:00:08.000\r\n"
    "<ruby>漢<rt>kan</rt></ruby><lang he>שלום</lang> 3 &lt; 4\r\n\r\n"
    "NOTE a one-line note\r\n\r\n"
    "00:00:09.000 --> 00:00:10.000\r\n<v Bob>Hi\r\n<v Ann>Hello"
)


def test_webvtt_reads_a_real_world_file() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first, second, third, fourth = from_webvtt(REAL_VTT, label="caption")
    assert (first["start"], first["end"], first["label"]) == (1.0, 4.0, "Esme Tiffany")
    assert first["text"] == "Never drink liquid nitrogen." and first["source"] == "human"
    assert second["id"] == "intro-2" and second["label"] == "caption"
    assert second["text"] == "\u200eمرحبا & welcome ☺" and second["end"] == 6.5
    assert third["text"] == "漢שלום 3 < 4" and third["start"] == 7.0  # no blank line before
    assert fourth["label"] == "Bob" and fourth["text"] == "Hi\nHello"  # first voice labels
    assert len({first["id"], third["id"], fourth["id"]}) == 3
    (cue,) = from_webvtt("WEBVTT\n00:00.500 --> 00:01.000\nno blank line after the header")
    assert cue["start"] == 0.5 and cue["text"] == "no blank line after the header"


def test_webvtt_skips_unknown_blocks_and_untranscribed_regions_with_warnings() -> None:
    with pytest.warns(UserWarning, match=r"WebVTT: 1 blocks that are neither cues"):
        assert from_webvtt("WEBVTT\n\nstray text\n\n00:01.000 --> 00:02.000\nx\n")[0][
            "text"] == "x"
    regions = [{"label": "a", "start": 0, "end": 1}, {"label": "a", "start": 1, "end": 2,
                                                       "text": "t"}]
    with pytest.warns(UserWarning, match=r"WebVTT holds transcribed regions only: 1 regions"):
        assert to_webvtt(regions).count("-->") == 1


@pytest.mark.parametrize(("text", "message"), [
    ("00:01.000 --> 00:02.000\nx\n", r"WebVTT line 1: a WebVTT file starts with 'WEBVTT'"),
    ("WEBVTTX\n", r"WebVTT line 1: a WebVTT file starts with 'WEBVTT', got 'WEBVTTX'"),
    ("WEBVTT\n\nid\n00:01.000 -> 00:02.000\nx\n\n00:03 --> 4\n", r"WebVTT line 7: expected a "
     r"cue timing like '00:00:01.000 --> 00:00:02.000', got '00:03 --> 4'"),
    ("WEBVTT\n\n00:02.000 --> 00:01.000\nx\n", r"WebVTT line 3: the cue ends at 1.0 s, before "
     r"it starts \(2.0 s\)"),
    ("WEBVTT\n\n00:02.000 --> 00:02.000\nx\n", r"WebVTT line 3: record .*: field 'end' must be "
     r"greater than start"),
    ("WEBVTT\n\n00:61.000 --> 00:62.000\nx\n", r"line 3: timestamp '00:61.000' has minutes or "
     r"seconds of 60 or more"),
    ("WEBVTT\n\na\n00:01.000 --> 00:02.000\nx\n\na\n00:03.000 --> 00:04.000\ny\n",
     r"WebVTT line 8: the cue identifier 'a' repeats an earlier cue's"),
    ("WEBVTT\n\nNOTE nbannotate {bad\n\n00:01.000 --> 00:02.000\nx\n",
     r"WebVTT line 3: the nbannotate note is not valid JSON"),
    ("WEBVTT\n\nNOTE nbannotate {\"score\": 3}\n\n00:01.000 --> 00:02.000\nx\n",
     r"WebVTT line 5: record .*: field 'score' must be a number in \[0, 1\]"),
])
def test_webvtt_read_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_webvtt(text)


def test_webvtt_write_errors_name_the_region() -> None:
    base = {"label": "a", "start": 0.0, "end": 1.0, "text": "t"}
    with pytest.raises(ValueError, match=r"region 0 \(id='a-->b'\): a WebVTT cue identifier "
                                         "cannot hold"):
        to_webvtt([{**base, "id": "a-->b"}])
    with pytest.raises(ValueError, match=r"region 1 \(id='v'\): a WebVTT voice name cannot "
                                         r"hold .*got 'two\\nlines'"):
        to_webvtt([{**base, "id": "ok"}, {**base, "id": "v", "label": "two\nlines"}])
    with pytest.raises(ValueError, match=r"region 0 \(id='p'\): \[1.0001, 1.0004\] s collapses "
                                         "to a point at millisecond precision"):
        to_webvtt([{**base, "id": "p", "start": 1.0001, "end": 1.0004}])


def test_webvtt_cue_without_voice_and_empty_label() -> None:
    text = to_webvtt([{"id": "n", "label": "", "start": 1, "end": 2, "text": "<v x> is text"}])
    assert "\n&lt;v x&gt; is text\n" in text
    (region,) = from_webvtt(text)
    assert region["label"] == "speech" and region["text"] == "<v x> is text"


# ---------------------------------------------------------------- SRT


def srt_regions() -> list[dict[str, Any]]:
    return [
        {"id": "s2", "label": "Agent", "start": 2.5, "end": 4.0, "text": ARABIC_MIXED},
        {"id": "s1", "label": "דנה", "start": 0.0, "end": 2.4996, "text": HEBREW + "\n" + CJK},
        {"id": "s3", "label": "Agent", "start": 4.0, "end": 6.0, "text": MARKUP},
        {"id": "s4", "label": "x", "start": 6.0, "end": 6.001, "text": ""},
        {"id": "s5", "label": "x", "start": 7, "end": 8, "text": "Q: what? A: no"},
    ]


def test_srt_round_trip_keeps_times_labels_and_text() -> None:
    regions = srt_regions()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = to_srt(regions)
        back = from_srt(text)
    order = ["s1", "s2", "s3", "s4", "s5"]
    want = {r["id"]: r for r in regions}
    assert len(back) == 5
    for rid, region in zip(order, back, strict=True):
        expected = {**want[rid], "id": region["id"], "source": "human"}
        assert_same({k: float(v) if k in ("start", "end") else v for k, v in expected.items()},
                    region, tolerance=0.0005)
    assert text.startswith(f"1\n00:00:00,000 --> 00:00:02,500\nדנה: {HEBREW}\n{CJK}\n\n2\n")
    assert "\n4\n00:00:06,000 --> 00:00:06,001\nx:\n\n5\n" in text
    plain = from_srt(to_srt(regions, label_prefix=False), label_prefix=False, label="speech")
    assert [r["text"] for r in plain] == [want[i]["text"] for i in order]
    assert {r["label"] for r in plain} == {"speech"}
    assert to_srt([]) == "" and from_srt("") == [] and from_srt("\r\n\r\n") == []


REAL_SRT = (
    "\ufeff1\r\n00:00:01,000 --> 00:00:02,000 X1:40 X2:600 Y1:20 Y2:50\r\n"
    "<i>Hello</i> <font color=\"#ffff00\">there</font>\r\n\r\n"
    "7\r\n00:00:03.500 --> 00:00:05,250\r\n{\\an8}- מה?\r\n\r\n- Nothing.\r\n\r\n"
    "00:00:06,000 --> 00:00:07,000\r\nno number, no blank line\r\n"
    "9\r\n00:00:08,000 --> 00:00:09,000\r\nRadio: ...over.  \r\n\r\n\r\n"
)


def test_srt_reads_a_real_world_file() -> None:
    first, second, third, fourth = from_srt(REAL_SRT, label="sub")
    assert (first["start"], first["end"], first["text"]) == (1.0, 2.0, "Hello there")
    assert first["label"] == "sub"
    assert (second["start"], second["end"]) == (3.5, 5.25)
    assert second["text"] == "- מה?\n\n- Nothing."  # a blank line inside a cue is kept
    assert third["text"] == "no number, no blank line" and third["start"] == 6.0
    assert fourth["label"] == "Radio" and fourth["text"] == "...over.  "
    raw = from_srt(REAL_SRT, label_prefix=False, strip_tags=False)
    assert raw[0]["text"] == '<i>Hello</i> <font color="#ffff00">there</font>'
    assert raw[3]["text"] == "Radio: ...over.  " and raw[3]["label"] == "speech"


@pytest.mark.parametrize(("text", "message"), [
    ("Title: my film\n\n1\n00:00:01,000 --> 00:00:02,000\nx\n", r"SRT line 1: expected a cue "
     r"number and a timing line like '00:00:01,000 --> 00:00:02,000', got 'Title: my film'"),
    ("just some text\n", r"SRT line 1: expected a cue number"),
    ("1\n00:00:03,000 --> 00:00:02,000\nx\n", r"SRT line 2: the cue ends at 2.0 s, before it "
     r"starts \(3.0 s\)"),
    ("1\n00:00:02,000 --> 00:00:02,000\nx\n", r"SRT line 2: record .*: field 'end' must be "
     r"greater than start"),
])
def test_srt_read_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_srt(text)


def test_srt_write_errors_name_the_region() -> None:
    base = {"id": "r", "label": "a", "start": 0.0, "end": 1.0}
    for text, message in (("one\n\ntwo", "cannot hold an empty line inside a cue"),
                          ("trailing\n", "cannot hold an empty line"),
                          ("a\r\nb", "cannot hold a carriage return"),
                          ("00:00:01,000 --> 00:00:02,000", "reads as an SRT timing line")):
        with pytest.raises(ValueError, match=rf"region 0 \(id='r'\): .*{message}"):
            to_srt([{**base, "text": text}])
    with pytest.raises(ValueError, match=r"region 0 \(id='r'\): a label written as a speaker "
                                         r"prefix cannot hold ':'.*\(pass label_prefix=False\)"):
        to_srt([{**base, "label": "Dr: Who", "text": "x"}])
    assert from_srt(to_srt([{**base, "label": "Dr: Who", "text": "x"}], label_prefix=False),
                    label_prefix=False)[0]["text"] == "x"
    with pytest.raises(TypeError, match="label_prefix must be True or False"):
        to_srt([], label_prefix="yes")  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match=r"SRT holds transcribed regions only: 1 regions"):
        assert to_srt([base]) == ""


# ---------------------------------------------------------------- Label Studio textarea


def test_labelstudio_textarea_links_transcriptions_in_any_script() -> None:
    item = page()
    tasks = json.loads(json.dumps(to_labelstudio_images([item]), ensure_ascii=False))
    results = tasks[0]["annotations"][0]["result"] + tasks[0]["predictions"][0]["result"]
    texts = {r["id"]: r for r in results if r["type"] == "textarea"}
    boxes = {r["id"]: r for r in results if r["type"] == "rectanglelabels"}
    assert texts.keys() == boxes.keys() == {"w1", "w2", "w3", "w4", "w5"}
    assert texts["w2"]["value"]["text"] == [HEBREW]
    assert texts["w2"]["from_name"] == "transcription" and boxes["w2"]["from_name"] == "label"
    assert texts["w2"]["value"]["x"] == boxes["w2"]["value"]["x"]
    (back,) = from_labelstudio_images(tasks)
    assert {b["id"]: b["text"] for b in back["boxes"]} == {b["id"]: b["text"]
                                                           for b in item["boxes"]}
    (clip, *_) = from_labelstudio_audio(to_labelstudio_audio(clips()))
    assert {r["id"]: r["text"] for r in clip["regions"]} == {
        r["id"]: r["text"] for r in clips()[0]["regions"]}
