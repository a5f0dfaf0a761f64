"""VideoAnnotator in the kernel: the video's facts, frames sent on request (marked when bad),
records validated and applied as changes, the frame synced, the tracker and model proposals.

Messages go through ipywidgets' real comm handling (``comm_recorder``)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from nbannotate import VideoAnnotator


def moving(frames: int = 30, size: tuple[int, int] = (60, 80), dtype: str = "uint8"
           ) -> np.ndarray:
    clip = np.zeros((frames, *size), dtype=np.float64)
    rng = np.random.default_rng(0)
    patch = rng.random((10, 10)) * 200 + 55
    clip += rng.random(clip.shape) * 40
    for t in range(frames):
        clip[t, 10:20, 5 + 2 * t:15 + 2 * t] = patch
    if dtype == "uint16":
        return (clip * 64).astype(np.uint16)
    if dtype == "float32":
        return (clip / 255).astype(np.float32) * 1000 - 500
    return clip.astype(np.uint8)


def track(tid: str = "t1", **extra) -> dict:
    return {"id": tid, "label": "car", "keyframes": [
        {"frame": 0, "x": 5, "y": 10, "w": 10, "h": 10},
        {"frame": 20, "x": 45, "y": 10, "w": 10, "h": 10}], **extra}


def test_facts_poster_and_frame_array_keep_original_values() -> None:
    clip = moving(dtype="uint16")
    w = VideoAnnotator(clip, ["car"], fps=12.5)
    assert (w.num_frames, w.fps, w.width, w.height) == (30, 12.5, 80, 60)
    assert w.poster_frame == 0 and w.poster_mime == "image/jpeg"
    assert Image.open(io.BytesIO(w.poster)).size == (80, 60)
    wide = VideoAnnotator(np.zeros((2, 20, 2000), dtype=np.uint8), ["car"], fps=1)
    assert Image.open(io.BytesIO(wide.poster)).size == (1000, 10)  # shrunk by 2 for the state
    assert w.frame_array(7).dtype == np.uint16
    assert np.array_equal(w.frame_array(7), clip[7])
    assert "30 frames at 12.5 fps" in repr(w)


def test_bad_arguments_name_what_was_expected() -> None:
    clip = moving(frames=3)
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        VideoAnnotator(clip, ["car"], fps=3, colour="red")
    with pytest.raises(ValueError, match="label must be one of"):
        VideoAnnotator(clip, ["car"], fps=3, label="bus")
    w = VideoAnnotator(clip, ["car"], fps=3)
    with pytest.raises(ValueError, match=r"frame must be in \[0, 3\), got 3"):
        w.frame = 3
    with pytest.raises(ValueError, match=r"k must be a frame in \[0, 3\)"):
        w.frame_array(-1)
    with pytest.raises(TypeError, match="frame index"):
        w.frame_array(1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="label: expected one of"):
        w.tracks = [{**track(), "label": "bus"}]
    with pytest.raises(ValueError, match=r"expected a frame in \[0, 3\), got 20"):
        w.tracks = [track()]
    with pytest.raises(ValueError, match="ids must be unique"):
        w.segments = [{"id": "s", "start": 0, "end": 1, "label": "car"}] * 2


def test_boxes_at_interpolates_with_track_ids() -> None:
    w = VideoAnnotator(moving(), ["car"], fps=10, tracks=[track()])
    (box,) = w.boxes_at(10)
    assert box["track_id"] == "t1" and box["x"] == 25.0 and box["keyframe"] is False
    assert w.boxes_at(20)[0]["keyframe"] is True


def frames_reply(comm) -> tuple[dict, list[bytes]]:
    """The last ``frames`` reply and its buffers."""
    message = [m for m in comm.sent if m["data"] and m["data"].get("method") == "custom"][-1]
    return message["data"]["content"], [bytes(b) for b in message["buffers"]]


def test_frames_request_answers_the_frames_as_images_in_one_reply(comm_recorder) -> None:
    w = VideoAnnotator(moving(dtype="float32"), ["car"], fps=10)
    comm = comm_recorder(w)
    comm.from_browser({"type": "frames", "id": 4, "view": "v1", "frames": [3, 4, 29]})
    reply, buffers = frames_reply(comm)
    assert (reply["type"], reply["id"], reply["view"]) == ("frames", 4, "v1")
    assert [f["index"] for f in reply["frames"]] == [3, 4, 29]
    assert [f["buffer"] for f in reply["frames"]] == [0, 1, 2]
    assert all(f["mime"] == "image/jpeg" and f["bad"] is False and f["width"] == 80
               for f in reply["frames"])
    image = Image.open(io.BytesIO(buffers[0]))
    assert image.size == (80, 60)
    # One contrast window for the whole float video: the moving patch is bright in every frame.
    pixels = np.asarray(image)
    assert pixels[12:18, 12:18].mean() > pixels[40:, :].mean() + 60
    assert w._requests["frame"] == 3


def test_frames_are_shrunk_to_the_width_the_view_shows(comm_recorder) -> None:
    w = VideoAnnotator(moving(), ["car"], fps=10)
    comm = comm_recorder(w)
    comm.from_browser({"type": "frames", "id": 1, "view": "v", "frames": [2], "width": 40})
    reply, buffers = frames_reply(comm)
    assert reply["frames"][0]["width"] == 40
    assert Image.open(io.BytesIO(buffers[0])).size == (40, 30)
    comm.from_browser({"type": "frames", "id": 1, "view": "v", "frames": [2], "width": 25})
    reply, buffers = frames_reply(comm)  # a whole factor (3), never narrower than asked
    assert reply["frames"][0]["width"] == 27
    assert Image.open(io.BytesIO(buffers[0])).size == (27, 20)
    comm.from_browser({"type": "frames", "id": 1, "view": "v", "frames": [2], "width": 60})
    reply, buffers = frames_reply(comm)  # less than twice as wide: sent as it is
    assert reply["frames"][0]["width"] == 80
    comm.from_browser({"type": "frames", "id": 2, "view": "v", "frames": [2], "width": 4000})
    reply, buffers = frames_reply(comm)  # never enlarged
    assert reply["frames"][0]["width"] == 80
    assert Image.open(io.BytesIO(buffers[0])).size == (80, 60)
    comm.from_browser({"type": "frames", "id": 3, "view": "v", "frames": [2], "width": 0})
    assert "width must be a positive int" in comm.custom()[-1]["message"]


def test_nan_frames_are_sent_as_png_with_transparency(comm_recorder) -> None:
    clip = moving(frames=4, dtype="float32")
    clip[2, :5, :5] = np.nan
    w = VideoAnnotator(clip, ["car"], fps=4)
    comm = comm_recorder(w)
    comm.from_browser({"type": "frames", "id": 1, "view": "v", "frames": [2]})
    reply, buffers = frames_reply(comm)
    assert reply["frames"][0]["mime"] == "image/png"
    image = Image.open(io.BytesIO(buffers[0]))
    assert image.mode == "RGBA" and image.getpixel((1, 1))[3] == 0


@pytest.mark.parametrize("frames", [[], list(range(65)), "3"])
def test_bad_frame_requests_are_answered_with_an_error(comm_recorder, frames) -> None:
    w = VideoAnnotator(moving(frames=3), ["car"], fps=3)
    comm = comm_recorder(w)
    comm.from_browser({"type": "frames", "id": 9, "view": "v", "frames": frames})
    (reply,) = comm.custom()
    assert reply["type"] == "request-error" and reply["id"] == 9
    assert "list of 1 to 64 frame indices" in reply["message"]
    comm.from_browser({"type": "frames", "id": 10, "view": "v", "frames": [1, 7]})
    error, answer = comm.custom()[1:]
    assert error["type"] == "request-error" and "got 7" in error["message"]
    assert [f["index"] for f in answer["frames"]] == [1]


def test_track_and_segment_edits_cross_as_changes_without_echo(comm_recorder) -> None:
    w = VideoAnnotator(moving(), ["car", "person"], fps=10)
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    t = {**track(), "source": "human"}
    comm.from_browser({"type": "changes", "seq": 1, "changes": [
        {"field": "tracks", "op": "add", "record": t},
        {"field": "segments", "op": "add",
         "record": {"id": "s1", "start": 3, "end": 9, "label": "person"}}]})
    assert w.tracks[0]["keyframes"][1]["outside"] is False
    assert w.segments[0]["source"] == "human"
    comm.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "segments", "op": "update",
         "record": {"id": "s1", "start": 3, "end": 99, "label": "person"}}]})
    error = comm.custom()[-1]
    assert error["type"] == "error" and "at most num_frames (30)" in error["message"]
    assert w.segments[0]["end"] == 9
    assert [c["op"] for c in seen] == ["add", "add"]
    assert w.revision == 1
    assert sum("tracks" in s for s in comm.state_updates()) == 0


def test_frame_is_synced_from_the_browser() -> None:
    w = VideoAnnotator(moving(), ["car"], fps=10)
    w.set_state({"frame": 12})
    assert w.frame == 12


def test_tracker_request_answers_proposals_and_python_accepts_them(comm_recorder) -> None:
    w = VideoAnnotator(moving(), ["car"], fps=10,
                       tracks=[{"id": "t1", "label": "car", "keyframes": [
                           {"frame": 0, "x": 5, "y": 10, "w": 10, "h": 10}]}])
    comm = comm_recorder(w)
    comm.from_browser({"type": "track", "id": 2, "view": "v", "track_id": "t1", "frame": 0,
                       "count": 8})
    (reply,) = comm.custom()
    assert reply["type"] == "tracked" and reply["track_id"] == "t1"
    assert [p["frame"] for p in reply["proposals"]] == list(range(1, 9))
    assert all(abs(p["x"] - (5 + 2 * p["frame"])) <= 1 for p in reply["proposals"])
    assert w.proposals == []  # the browser adds them, as one undoable edit
    comm.from_browser({"type": "track", "id": 3, "view": "v", "track_id": "nope", "frame": 0})
    assert "track_id must be the id" in comm.custom()[-1]["message"]

    found = w.propose_track("t1", count=5)
    assert len(found) == 5 and w.proposals == found
    w.frame = 3
    assert w.accept_proposals() == 3
    assert [k["frame"] for k in w.tracks[0]["keyframes"]] == [0, 1, 2, 3]
    assert [p["frame"] for p in w.proposals] == [4, 5]


def test_a_models_per_frame_boxes_start_tracks() -> None:
    class SquareFinder:  # a structured model: boxes where the bright patch is
        def fit(self, items, annotations):
            return self

        def predict(self, items):
            out = []
            for frame in items:
                ys, xs = np.nonzero(frame > 100)
                out.append([{"x": float(xs.min()), "y": float(ys.min()), "w": 10.0, "h": 10.0,
                             "label": "car", "score": 0.8, "source": "model"}])
            return out

    clip = np.zeros((12, 60, 80), dtype=np.uint8)
    for t in range(12):
        clip[t, 10:20, 5 + 2 * t:15 + 2 * t] = 200
    w = VideoAnnotator(clip, ["car"], fps=5)
    new = w.propose_tracks(SquareFinder(), frames=range(6))
    assert len(new) == 1 and new[0]["source"] == "model"
    assert new[0]["score"] == pytest.approx(0.8)
    assert [k["x"] for k in new[0]["keyframes"][:3]] == [5.0, 7.0, 9.0]
    assert [k["frame"] for k in new[0]["keyframes"]] == [0, 1, 2, 3, 4, 5, 6]
    assert new[0]["keyframes"][-1]["outside"] is True
    assert w.boxes_at(7) == []
    with pytest.raises(TypeError, match="predict"):
        w.propose_tracks(object())


def test_a_video_file_with_a_corrupt_frame_answers_it_marked(comm_recorder, tmp_path) -> None:
    from nbannotate.media.video import BadFrameWarning
    from tests.media.test_video_pyav import corrupt
    from tests.media.video_fixtures import make_video

    clean = make_video(tmp_path / "clean.avi", frames=40, size=(96, 64), gop=20)
    path = corrupt(clean, 30, tmp_path / "damaged.avi")
    w = VideoAnnotator(str(path), ["car"])
    assert (w.num_frames, w.width, w.height, w.fps) == (40, 96, 64, 25.0)
    comm = comm_recorder(w)
    with pytest.warns(BadFrameWarning):
        comm.from_browser({"type": "frames", "id": 1, "view": "v", "frames": [29, 30, 31]})
    reply, buffers = frames_reply(comm)
    replies = {f["index"]: f for f in reply["frames"]}
    assert replies[29]["bad"] is False and replies[31]["bad"] is False
    assert replies[30]["bad"] is True and "frame 30 is damaged" in replies[30]["message"]
    assert w.bad_frames == [30]
    assert len(buffers) == 3  # the damaged one shows (blank), marked
    w.close()  # the widget opened the file: it closes it
    assert w.video.closed


def test_keypoints_on_tracks_are_checked_and_interpolated() -> None:
    w = VideoAnnotator(moving(), ["dog"], fps=10, keypoint_labels=["head", "tail"],
                       skeleton=[("head", "tail")])
    assert w.keypoint_labels == ["head", "tail"] and w.skeleton == [["head", "tail"]]
    w.tracks = [{"id": "d", "label": "dog", "keyframes": [
        {"frame": 0, "x": 0, "y": 0, "w": 10, "h": 10, "points": [[1, 1, 2], [9, 9, 2]]},
        {"frame": 10, "x": 10, "y": 0, "w": 10, "h": 10, "points": [[11, 1, 2], [19, 9, 1]]}]}]
    (box,) = w.boxes_at(5)
    assert box["points"] == [[6.0, 1.0, 2], [14.0, 9.0, 2]]
    with pytest.raises(ValueError, match="expected 2 \\[x, y, visible\\]"):
        w.tracks = [{"label": "dog", "keyframes": [{"frame": 0, "x": 0, "y": 0, "w": 1, "h": 1,
                                                    "points": [[1, 1, 2]]}]}]
    with pytest.raises(ValueError, match="visible must be 0, 1 or 2"):
        w.tracks = [{"label": "dog", "keyframes": [{"frame": 0, "x": 0, "y": 0, "w": 1, "h": 1,
                                                    "points": [[1, 1, 2], [1, 1, 3]]}]}]
    with pytest.raises(ValueError, match="skeleton: 'ear' is not one of keypoint_labels"):
        VideoAnnotator(moving(frames=2), ["dog"], fps=1, keypoint_labels=["head"],
                       skeleton=[("head", "ear")])
    plain = VideoAnnotator(moving(frames=2), ["dog"], fps=1)
    with pytest.raises(ValueError, match="no keypoint_labels"):
        plain.tracks = [{"label": "dog", "keyframes": [{"frame": 0, "x": 0, "y": 0, "w": 1,
                                                        "h": 1, "points": [[1, 1, 2]]}]}]
    assert "points" not in plain.boxes_at(0) and plain.boxes_at(0) == []


def test_set_video_replaces_the_video_and_its_records(comm_recorder) -> None:
    w = VideoAnnotator(moving(), ["car"], fps=10, tracks=[track()],
                       segments=[{"start": 0, "end": 5, "label": "car"}])
    comm = comm_recorder(w)
    before = w.video_id
    w.set_video(moving(frames=8, size=(30, 40)), fps=4, frame=2,
                tracks=[{"id": "n", "label": "car", "keyframes": [
                    {"frame": 7, "x": 1, "y": 1, "w": 5, "h": 5}]}])
    assert (w.num_frames, w.width, w.height, w.fps, w.frame) == (8, 40, 30, 4.0, 2)
    assert w.video_id == before + 1 and w.poster_frame == 2
    assert [t["id"] for t in w.tracks] == ["n"] and w.segments == [] and w.proposals == []
    comm.from_browser({"type": "frames", "id": 1, "view": "v", "frames": [7]})
    reply = comm.custom()[-1]
    assert reply["video_id"] == w.video_id and reply["frames"][0]["width"] == 40
    with pytest.raises(ValueError, match=r"expected a frame in \[0, 8\), got 20"):
        w.set_video(moving(frames=8), fps=4, tracks=[track()])
    with pytest.raises(ValueError, match=r"frame must be in \[0, 3\), got 5"):
        w.set_video(moving(frames=3), fps=4, frame=5)
    assert (w.num_frames, w.video_id, [t["id"] for t in w.tracks]) == (8, before + 1, ["n"])
