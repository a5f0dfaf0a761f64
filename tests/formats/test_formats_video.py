"""Video track formats: MOT, CVAT for video, Label Studio, COCO video, DataFrame.

Fixtures in ``tests/formats/video/`` are written by hand from each format's specification
(MOT Challenge ``gt.txt``, a CVAT for video 1.1 export, a Label Studio JSON export, a
TAO/CocoVID-style COCO file). Round trips are checked on the boxes a track shows on every
frame (:func:`nbannotate.records.tracks.box_at`), and on the keyframes themselves.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbannotate.formats import (
    TRACK_COLUMNS,
    from_coco_video,
    from_cvat_video,
    from_labelstudio_video,
    from_mot,
    to_coco_video,
    to_cvat_video,
    to_labelstudio_video,
    to_mot,
    tracks_frame,
    tracks_from_frame,
)
from nbannotate.formats._tracks import dense_boxes, simplify_keyframes
from nbannotate.records.tracks import box_at, validate_track

FIXTURES = Path(__file__).parent / "video"
MOT_CLASSES = ["pedestrian", "person_on_vehicle", "car", "bicycle", "motorbike",
               "non_mot_vehicle", "static_person", "distractor"]


def kf(frame, x, y, w, h, outside=False, occluded=False):
    return {"frame": frame, "x": float(x), "y": float(y), "w": float(w), "h": float(h),
            "outside": outside, "occluded": occluded}


def shape(track):
    """(frame, x, y, w, h, outside, occluded) of each keyframe, geometry of outside ones
    left out (no format keeps it)."""
    return [(k["frame"], *((None,) * 4 if k["outside"] else
                           (pytest.approx(k["x"]), pytest.approx(k["y"]),
                            pytest.approx(k["w"]), pytest.approx(k["h"]))),
             k["outside"], k["occluded"]) for k in track["keyframes"]]


def shown(tracks, num_frames, key=lambda t, i: t["id"]):
    """{(track key, frame): (x, y, w, h, occluded)} for every frame a track is on."""
    out = {}
    for i, track in enumerate(tracks):
        for frame in range(num_frames):
            box = box_at(track, frame)
            if box is not None:
                out[(key(track, i), frame)] = (box["x"], box["y"], box["w"], box["h"],
                                               box["occluded"])
    return out


def same_boxes(a, b):
    assert a.keys() == b.keys()
    for k in a:
        assert a[k][:4] == pytest.approx(b[k][:4], abs=1e-6), k
        assert a[k][4] == b[k][4], k


TRACKS = [
    {"id": "1", "label": "car", "source": "human", "keyframes": [
        kf(0, 10, 20, 30, 40), kf(4, 50, 20, 30, 40, occluded=True), kf(6, 50, 20, 30, 40,
                                                                        outside=True),
        kf(9, 0.5, 1.25, 8, 8)]},
    {"id": "2", "label": "person", "source": "model", "score": 0.75, "keyframes": [
        kf(2, 100, 100, 20, 50), kf(3, 103.5, 99, 20, 50), kf(7, 110, 95, 24, 54,
                                                              outside=True)]},
]
ITEM = {"video": "videos/street.mp4", "width": 320, "height": 240, "num_frames": 12,
        "fps": 25.0, "tracks": TRACKS}


# -- shared helpers ----------------------------------------------------------------------

def test_dense_boxes_are_the_interpolation_of_box_at():
    for track in TRACKS:
        for num_frames in (None, 12):
            dense = list(dense_boxes(validate_track(track), num_frames))
            frames = [b["frame"] for b in dense]
            assert frames == sorted(set(frames))
            for box in dense:
                ref = box_at(validate_track(track), box["frame"])
                assert ref is not None
                assert [box[k] for k in "xywh"] == [ref[k] for k in "xywh"]
                assert box["occluded"] == ref["occluded"] and box["keyframe"] == ref["keyframe"]
    # after the last keyframe: to the end only when the length is known
    assert [b["frame"] for b in dense_boxes(validate_track(TRACKS[0]))][-1] == 9
    assert [b["frame"] for b in dense_boxes(validate_track(TRACKS[0]), 12)][-1] == 11


def test_simplify_keeps_every_box_and_drops_only_redundant_keyframes():
    dense = [kf(f, 2 * f, 0, 4, 4) for f in range(5)] + [kf(5, 8, 0, 4, 4, outside=True),
                                                         kf(6, 0, 0, 1, 1, outside=True)]
    kept = simplify_keyframes(dense)
    assert [(k["frame"], k["outside"]) for k in kept] == [(0, False), (4, False), (5, True)]
    still = [kf(0, 1, 1, 2, 2), kf(3, 1, 1, 2, 2), kf(4, 1, 1, 2, 2, outside=True)]
    assert [k["frame"] for k in simplify_keyframes(still)] == [0, 4]
    moving_then_out = [kf(0, 0, 0, 2, 2), kf(3, 3, 0, 2, 2), kf(4, 3, 0, 2, 2, outside=True)]
    assert [k["frame"] for k in simplify_keyframes(moving_then_out)] == [0, 3, 4]
    flags = [kf(0, 0, 0, 2, 2), kf(1, 1, 0, 2, 2, occluded=True), kf(2, 2, 0, 2, 2)]
    assert len(simplify_keyframes(flags)) == 3  # the occlusion changes: kept
    for track in (dense, still, moving_then_out, flags):
        a = {"id": "a", "keyframes": track}
        b = {"id": "a", "keyframes": simplify_keyframes(track)}
        same_boxes(shown([a], 10), shown([b], 10))


# -- MOT ------------------------------------------------------------------------------------

def test_mot_fixture_reads_as_the_specification_says():
    text = (FIXTURES / "mot_gt.txt").read_text()
    tracks = from_mot(text, classes=MOT_CLASSES)
    assert [(t["id"], t["label"], t["source"]) for t in tracks] == [
        ("1", "pedestrian", "human"), ("2", "car", "human")]  # conf 0 line ignored
    assert shape(tracks[0]) == shape({"keyframes": [
        kf(0, 100, 200, 40, 80), kf(2, 104, 200, 40, 80, occluded=True),
        kf(3, 106, 200, 40, 80, occluded=True), kf(4, 0, 0, 0, 0, outside=True)]})
    assert shape(tracks[1]) == shape({"keyframes": [
        kf(0, 10.5, 20.5, 30, 30), kf(2, 0, 0, 0, 0, outside=True), kf(4, 50.5, 20.5, 30, 30),
        kf(5, 52.5, 20.5, 30, 30), kf(6, 0, 0, 0, 0, outside=True)]})
    assert box_at(tracks[0], 1)["x"] == 102.0 and box_at(tracks[1], 3) is None
    every = from_mot(text, classes=MOT_CLASSES, ignored=True, simplify=False)
    assert every[2]["label"] == "static_person" and len(every[0]["keyframes"]) == 5
    assert [t["label"] for t in from_mot(text)] == ["1", "3"]  # class numbers without classes


def test_mot_writes_every_frame_one_based_and_round_trips():
    text = to_mot(TRACKS, classes=["car", "person"], num_frames=12)
    lines = text.splitlines()
    assert lines[0] == "1,1,10,20,30,40,1,1,1"
    assert "3,2,100,100,20,50,1,2,1" in lines  # frame 2 of track "2" on line frame 3
    assert "5,1,50,20,30,40,1,1,0" in lines  # occluded: visibility 0
    assert "3,1,30,20,30,40,1,1,1" in lines  # interpolated midpoint of frames 0 and 4
    frames_of_1 = [int(line.split(",")[0]) for line in lines if line.split(",")[1] == "1"]
    assert frames_of_1 == [1, 2, 3, 4, 5, 6, 10, 11, 12]  # absent on 7..9, to the end after
    assert [int(line.split(",")[0]) for line in lines] == sorted(
        int(line.split(",")[0]) for line in lines)
    back = from_mot(text, classes=["car", "person"], num_frames=12)
    assert [(t["id"], t["label"]) for t in back] == [("1", "car"), ("2", "person")]
    for got, want in zip(back, TRACKS, strict=True):
        assert shape(got) == shape(validate_track(want))
    same_boxes(shown(back, 12), shown(TRACKS, 12))


def test_mot_ids_labels_and_files_of_other_shapes():
    named = [{**TRACKS[0], "id": "left"}, {**TRACKS[1], "id": "right"}]
    ids = {line.split(",")[1] for line in to_mot(named, classes=["car", "person"]).splitlines()}
    assert ids == {"1", "2"}
    assert to_mot([TRACKS[1]]).splitlines()[0].split(",")[7] == "1"  # default classes
    results = "1,4,10,10,5,5,0.9,-1,-1,-1\n2,4,11,10,5,5,0.8,-1,-1,-1\n"
    track = from_mot(results)[0]
    assert track["id"] == "4" and track["label"] is None and len(track["keyframes"]) == 3
    assert from_mot("1 1 0 0 4 4\n")[0]["keyframes"][0]["w"] == 4.0  # whitespace separated
    assert from_mot(b"1,1,0,0,4,4,1,1,1\n")[0]["label"] == "1"


@pytest.mark.parametrize(("text", "message"), [
    ("0,1,0,0,4,4,1,1,1", r"MOT line 1: field 'frame' is 1-based, got 0"),
    ("1,x,0,0,4,4,1,1,1", r"MOT line 1: field 'id' must be a number, got 'x'"),
    ("1,1.5,0,0,4,4,1,1,1", r"MOT line 1: field 'id' must be an integer, got '1\.5'"),
    ("1,1,0,0,-4,4,1,1,1", r"bb_width and bb_height must be >= 0"),
    ("1,1,0,0,4,4,1,9,1", r"MOT line 1: class 9 is not in classes \(1\.\.2\)"),
    ("1,1,0,0,4,4,1,1,1\n2,1,0,0,4,4,1,2,1", r"MOT line 2: track 1 changes its class"),
    ("1,1,0,0,4,4,1,1,1\n1,1,0,0,4,4,1,1,1", r"MOT: track '1' has two boxes on frame 0"),
    ("1,1,nan,0,4,4", r"field 'bb_left' must be a finite number"),
])
def test_mot_errors_name_the_line_and_field(text, message):
    with pytest.raises(ValueError, match=message):
        from_mot(text, classes=["a", "b"])


def test_mot_writing_errors():
    with pytest.raises(ValueError, match=r"label 'car', which is not in classes \['bus'\]"):
        to_mot(TRACKS, classes=["bus"])
    with pytest.raises(ValueError, match=r"keyframe at frame 9 is past the video's 5 frames"):
        to_mot(TRACKS, num_frames=5)
    with pytest.raises(TypeError, match="tracks must be a list"):
        to_mot("tracks")


# -- CVAT for video ----------------------------------------------------------------------

def test_cvat_fixture_reads_keyframes_outside_occluded_and_sources():
    with pytest.warns(UserWarning, match=r"CVAT XML: not read .*1 <polygon>"):
        item = from_cvat_video((FIXTURES / "cvat_video.xml").read_bytes())
    assert (item["video"], item["width"], item["height"], item["num_frames"]) == (
        "crossing.mp4", 1280, 720, 6)
    person, car = item["tracks"]
    assert (person["id"], person["label"], person["source"]) == ("0", "person", "human")
    assert shape(person) == shape({"keyframes": [
        kf(0, 10, 20, 40, 80), kf(2, 20, 20, 40, 80, occluded=True),
        kf(4, 0, 0, 0, 0, outside=True)]})
    assert (car["label"], car["source"]) == ("car", "model")
    assert shape(car) == shape({"keyframes": [kf(3, 600.5, 300.25, 200, 100)]})
    assert box_at(person, 1)["x"] == 15.0 and box_at(car, 5)["x"] == 600.5


@pytest.mark.parametrize("interpolated", [True, False])
def test_cvat_round_trip(interpolated):
    auto = {**TRACKS[1], "id": "p-2", "source": "auto"}
    item = {**ITEM, "tracks": [TRACKS[0], auto]}
    xml = to_cvat_video(item, interpolated=interpolated)
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<annotations>')
    assert "<version>1.1</version>" in xml and "<size>12</size>" in xml
    assert "<original_size>" in xml and "<mode>interpolation</mode>" in xml
    boxes = xml.count("<box ")
    assert boxes == (9 + 1 + 5 + 1 if interpolated else 4 + 3)  # boxes shown + outside
    back = from_cvat_video(xml)
    assert (back["video"], back["width"], back["height"], back["num_frames"]) == (
        "videos/street.mp4", 320, 240, 12)
    assert [(t["id"], t["label"], t["source"]) for t in back["tracks"]] == [
        ("1", "car", "human"), ("p-2", "person", "auto")]
    for got, want in zip(back["tracks"], item["tracks"], strict=True):
        assert shape(got) == shape(validate_track(want))
    same_boxes(shown(back["tracks"], 12), shown(item["tracks"], 12))


def test_cvat_refuses_unsafe_or_broken_documents():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;">]><annotations>&lol2;</annotations>')
    with pytest.raises(ValueError, match=r"CVAT XML line 1: DOCTYPE declarations are not "
                                         r"allowed"):
        from_cvat_video(bomb)
    with pytest.raises(ValueError, match=r"CVAT XML line 1: not well-formed"):
        from_cvat_video("<annotations><track>")
    with pytest.raises(ValueError, match=r"root element must be <annotations>, got <annotation>"):
        from_cvat_video("<annotation/>")
    with pytest.raises(ValueError, match=r"<original_size><width>: missing"):
        from_cvat_video("<annotations/>")
    bad = ('<annotations><track id="0" label="a"><box frame="0" xtl="a" ytl="0" xbr="1" '
           'ybr="1"/></track></annotations>')
    with pytest.raises(ValueError, match=r"<track> 0 \(id='0'\) <box> 0: attribute 'xtl' must "
                                         r"be a number, got 'a'"):
        from_cvat_video(bad, width=4, height=4, num_frames=2)
    with pytest.raises(ValueError, match=r"keyframe at frame 5 is past the video's 2 frames"):
        from_cvat_video(bad.replace('"a"', '"0"').replace('frame="0"', 'frame="5"'),
                        width=4, height=4, num_frames=2)
    with pytest.raises(ValueError, match=r"needs a label"):
        to_cvat_video({**ITEM, "tracks": [{**TRACKS[0], "label": None}]})


# -- Label Studio ------------------------------------------------------------------------

def test_labelstudio_fixture_reads_one_based_frames_percent_and_enabled():
    tasks = json.loads((FIXTURES / "labelstudio_video.json").read_text())
    with pytest.warns(UserWarning, match=r"1 'timelinelabels'"):
        item = from_labelstudio_video(tasks, width=1000, height=500)[0]
    assert (item["video"], item["num_frames"], item["fps"]) == ("/data/upload/1/crossing.mp4",
                                                               120, 25.0)
    person, car = item["tracks"]
    assert (person["id"], person["label"], person["source"]) == ("Xk3hQ9", "person", "human")
    assert shape(person) == shape({"keyframes": [
        kf(0, 100, 100, 250, 250), kf(10, 300, 100, 250, 250),
        kf(11, 0, 0, 0, 0, outside=True), kf(20, 500, 100, 250, 250)]})
    assert box_at(person, 5)["x"] == 200.0 and box_at(person, 15) is None
    assert (car["source"], car["score"], car["label"]) == ("model", 0.8, "car")
    assert shape(car) == shape({"keyframes": [kf(99, 0, 0, 100, 50)]})
    with pytest.warns(UserWarning, match="timelinelabels"):
        again = from_labelstudio_video(tasks, width=1000, height=500, predictions=False)
    assert len(again[0]["tracks"]) == 1
    with pytest.raises(ValueError, match=r"task 0 \(id=41\): the frame size is unknown"):
        from_labelstudio_video(tasks)


def test_labelstudio_round_trip_keeps_tracks_sources_and_occlusion():
    tasks = to_labelstudio_video([ITEM])
    task = tasks[0]
    assert task["data"] == {"video": "videos/street.mp4", "nbannotate_width": 320,
                            "nbannotate_height": 240, "nbannotate_num_frames": 12,
                            "nbannotate_fps": 25.0}
    human = task["annotations"][0]["result"]
    model = task["predictions"][0]["result"]
    assert [r["id"] for r in human] == ["1"] and [r["id"] for r in model] == ["2"]
    value = human[0]["value"]
    assert value["framesCount"] == 12 and value["duration"] == 12 / 25
    assert value["labels"] == ["car"]
    seq = value["sequence"]
    assert [(s["frame"], s["enabled"]) for s in seq] == [(1, True), (5, True), (6, False),
                                                         (10, True)]
    assert seq[0]["x"] == pytest.approx(10 / 320 * 100) and seq[0]["time"] == 1 / 25
    assert seq[1].get("nbannotate_occluded") is True and seq[2]["x"] == seq[1]["x"]
    back = from_labelstudio_video(json.dumps(tasks))[0]
    assert [(t["id"], t["label"], t["source"]) for t in back["tracks"]] == [
        ("1", "car", "human"), ("2", "person", "model")]
    assert back["tracks"][1]["score"] == 0.75
    for got, want in zip(back["tracks"], TRACKS, strict=True):
        assert shape(got) == shape(validate_track(want))
    same_boxes(shown(back["tracks"], 12), shown(TRACKS, 12))


def test_labelstudio_errors():
    with pytest.raises(ValueError, match="needs the frame rate"):
        to_labelstudio_video([{**ITEM, "fps": None}])
    assert to_labelstudio_video([{**ITEM, "fps": None}], fps=10)[0]["data"][
        "nbannotate_fps"] == 10
    task = to_labelstudio_video([ITEM])[0]
    task["annotations"][0]["result"][0]["value"]["sequence"][0]["frame"] = 0
    with pytest.raises(ValueError, match=r"sequence\[0\]: field 'frame' must be an integer "
                                         r">= 1 \(1-based\), got 0"):
        from_labelstudio_video([task])


# -- COCO video --------------------------------------------------------------------------

def test_coco_video_fixture_reads_tracks_per_video():
    data = json.loads((FIXTURES / "coco_video.json").read_text())
    a, b = from_coco_video(data)
    assert (a["video"], a["width"], a["height"], a["num_frames"]) == ("train/clip_a", 320,
                                                                      240, 4)
    assert [(t["id"], t["label"], t["source"]) for t in a["tracks"]] == [("1", "zebra",
                                                                          "human")]
    assert shape(a["tracks"][0]) == shape({"keyframes": [
        kf(0, 0, 0, 10, 20), kf(2, 10, 0, 10, 20, occluded=True),
        kf(3, 0, 0, 0, 0, outside=True)]})
    assert (b["num_frames"], b["tracks"][0]["label"], b["tracks"][0]["source"],
            b["tracks"][0]["score"]) == (2, "truck", "model", 0.9)
    assert shape(b["tracks"][0]) == shape({"keyframes": [kf(1, 100, 100, 50, 50)]})


def test_coco_video_round_trip_and_layout():
    second = {**ITEM, "video": "b.mov", "num_frames": 3, "tracks": [
        {"id": "z", "label": "car", "keyframes": [kf(1, 1, 1, 2, 2)]}]}
    data = to_coco_video([ITEM, second], labels=["person", "car", "bus"])
    assert [c["name"] for c in data["categories"]] == ["person", "car", "bus"]
    assert [v["name"] for v in data["videos"]] == ["videos/street.mp4", "b.mov"]
    assert len(data["images"]) == 15 and data["images"][12]["file_name"] == "b/000000.jpg"
    assert data["images"][3] == {"id": 4, "video_id": 1, "frame_id": 3,
                                 "file_name": "street/000003.jpg", "width": 320,
                                 "height": 240}
    assert len({a["id"] for a in data["annotations"]}) == len(data["annotations"]) == 9 + 5 + 2
    first = data["annotations"][0]
    assert first["bbox"] == [10.0, 20.0, 30.0, 40.0] and first["area"] == 1200.0
    assert first["track_id"] == 1 and first["category_id"] == 2 and first["image_id"] == 1
    back = from_coco_video(json.loads(json.dumps(data)))
    assert [v["video"] for v in back] == ["videos/street.mp4", "b.mov"]
    assert [(t["id"], t["source"]) for t in back[0]["tracks"]] == [("1", "human"),
                                                                    ("2", "model")]
    for got, want in zip(back[0]["tracks"], TRACKS, strict=True):
        assert shape(got) == shape(validate_track(want))
    assert back[0]["fps"] == 25.0 and back[1]["tracks"][0]["id"] == "z"
    same_boxes(shown(back[0]["tracks"], 12), shown(TRACKS, 12))


def test_coco_video_errors():
    data = to_coco_video([ITEM])
    data["annotations"][0]["image_id"] = 999
    with pytest.raises(ValueError, match=r"annotations\[0\] \(id=1\): image_id 999 is not an "
                                         r"image"):
        from_coco_video(data)
    data = to_coco_video([ITEM])
    del data["annotations"][3]["track_id"]
    with pytest.raises(ValueError, match=r"annotations\[3\] \(id=4\): missing field "
                                         r"'track_id'"):
        from_coco_video(data)
    with pytest.raises(ValueError, match=r"labels \['bus'\]"):
        to_coco_video([ITEM], labels=["bus"])


# -- DataFrame ---------------------------------------------------------------------------

def test_tracks_frame_per_frame_and_per_keyframe():
    df = tracks_frame(TRACKS, num_frames=12, fps=25)
    assert list(df.columns) == list(TRACK_COLUMNS)
    one = df[df.track_id == "1"]
    assert one.frame.tolist() == [0, 1, 2, 3, 4, 5, 6, 9, 10, 11]
    assert one.outside.tolist() == [False] * 6 + [True] + [False] * 3
    assert one.keyframe.tolist() == [True, False, False, False, True, False, True, True,
                                     False, False]
    assert one.x.tolist()[:3] == [10.0, 20.0, 30.0] and one.time.tolist()[1] == 0.04
    assert one.occluded.tolist()[4:6] == [True, True]
    assert df[df.track_id == "2"].score.unique().tolist() == [0.75]
    keys = tracks_frame(TRACKS, interpolate=False)
    assert len(keys) == 7 and keys.keyframe.all() and keys.time.isna().all()
    for table in (df, keys):
        back = tracks_from_frame(table)
        for got, want in zip(back, TRACKS, strict=True):
            assert got["keyframes"] == validate_track(want)["keyframes"]
            assert (got["id"], got["label"], got["source"]) == (want["id"], want["label"],
                                                                 want["source"])
        assert back[1]["score"] == 0.75


def test_a_plain_table_of_boxes_becomes_tracks():
    rows = [{"track_id": 7, "frame": f, "x": 2.0 * f, "y": 0.0, "w": 5.0, "h": 5.0,
             "label": "ant"} for f in range(6)]
    rows += [{"track_id": 8, "frame": f, "x": 1.0, "y": 1.0, "w": 1.0, "h": 1.0,
              "label": "bee"} for f in (0, 1, 4, 5)]
    back = tracks_from_frame(pd.DataFrame(rows), num_frames=6)
    assert [(t["id"], t["label"]) for t in back] == [("7", "ant"), ("8", "bee")]
    assert [k["frame"] for k in back[0]["keyframes"]] == [0, 5]
    assert [(k["frame"], k["outside"]) for k in back[1]["keyframes"]] == [
        (0, False), (2, True), (4, False)]
    with pytest.raises(ValueError, match=r"missing column\(s\) \['w', 'h'\]"):
        tracks_from_frame(pd.DataFrame({"track_id": [1], "frame": [0], "x": [0], "y": [0]}))
    with pytest.raises(TypeError, match="must be a pandas DataFrame, got list"):
        tracks_from_frame(rows)


# -- every format keeps the boxes of any tracks ---------------------------------------------

NUM_FRAMES = 15


@st.composite
def tracks(draw):
    out = []
    for number in range(draw(st.integers(1, 3))):
        frames = sorted(draw(st.sets(st.integers(0, NUM_FRAMES - 1), min_size=1, max_size=6)))
        keyframes = []
        for frame in frames:
            x, y = draw(st.integers(0, 300)) / 4, draw(st.integers(0, 200)) / 4
            w, h = draw(st.integers(1, 80)) / 2, draw(st.integers(1, 80)) / 2
            keyframes.append(kf(frame, x, y, w, h, outside=draw(st.booleans()),
                                occluded=draw(st.booleans())))
        out.append({"id": str(number + 1), "label": draw(st.sampled_from(["a", "b"])),
                    "source": "human", "keyframes": keyframes})
    return out


@settings(max_examples=60, deadline=None)
@given(drawn=tracks())
def test_every_format_shows_the_same_boxes_on_every_frame(drawn):
    item = {"video": "v.mp4", "width": 320, "height": 240, "num_frames": NUM_FRAMES,
            "fps": 10.0, "tracks": drawn}
    want = shown(drawn, NUM_FRAMES)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mot = from_mot(to_mot(drawn, classes=["a", "b"], num_frames=NUM_FRAMES),
                       classes=["a", "b"], num_frames=NUM_FRAMES)
        cvat = from_cvat_video(to_cvat_video(item))["tracks"]
        cvat_keys = from_cvat_video(to_cvat_video(item, interpolated=False))["tracks"]
        studio = from_labelstudio_video(to_labelstudio_video([item]))[0]["tracks"]
        coco = from_coco_video(to_coco_video([item]))[0]["tracks"]
        table = tracks_from_frame(tracks_frame(drawn, num_frames=NUM_FRAMES))
        dense = tracks_frame(drawn, num_frames=NUM_FRAMES)
        boxes_only = dense[~dense.outside].drop(columns=["keyframe", "outside"])
        plain = tracks_from_frame(boxes_only, num_frames=NUM_FRAMES)
    for name, got in [("mot", mot), ("cvat", cvat), ("cvat keyframes", cvat_keys),
                      ("label studio", studio), ("coco", coco), ("frame", table),
                      ("plain frame", plain)]:
        try:
            same_boxes(shown(got, NUM_FRAMES), want)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None
        for track in got:  # labels survive too
            original = next(t for t in drawn if t["id"] == track["id"])
            assert track["label"] == original["label"], name
