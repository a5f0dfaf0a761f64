"""VideoAnnotator in a real JupyterLab: tracks drawn and moved with the mouse across frames,
frames stepped by key and set from Python, interpolation read back in the kernel, outside,
temporal segments, undo, playback and the tracker's proposals.

The video is a numpy array of generated moving shapes (frames decoded in the kernel on demand,
as for a file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .harness import Notebook

ROOT = Path(__file__).resolve().parents[2]  # the test fixtures that encode videos live here

SETUP = """
import numpy as np
from nbannotate import VideoAnnotator
rng = np.random.default_rng(0)
background = rng.integers(0, 90, size=(120, 160, 3)).astype(np.uint8)
patch = rng.integers(140, 255, size=(20, 20, 3)).astype(np.uint8)
clip = np.repeat(background[None], 60, axis=0)
for t in range(60):
    clip[t, 20:40, 10 + 2 * t:30 + 2 * t] = patch   # moves 2 px per frame to the right
w = VideoAnnotator(clip, ["car", "person"], fps=30)
w
"""


def root(nb: Notebook, cell: int) -> Any:
    return nb.output(cell, ".nba-video")


def data(nb: Notebook, cell: int, name: str) -> str:
    value = root(nb, cell).get_attribute(f"data-{name}")
    assert value is not None, name
    return str(value)


def wait_data(nb: Notebook, cell: int, condition: str, timeout: int = 10_000) -> None:
    """Wait until ``condition`` (JS over ``d``, the root's dataset) holds."""
    nb.page.wait_for_function(f"(el) => {{ const d = el.dataset; return {condition}; }}",
                              arg=root(nb, cell).element_handle(), timeout=timeout)


def image_to_page(nb: Notebook, cell: int, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of frame pixel (x, y) under the widget's current view."""
    stage = nb.output(cell, ".nba-video-canvas")
    stage.scroll_into_view_if_needed()
    canvas = stage.bounding_box()
    assert canvas is not None
    scale = float(data(nb, cell, "view-scale"))
    ox, oy = float(data(nb, cell, "view-x")), float(data(nb, cell, "view-y"))
    return canvas["x"] + (x - ox) * scale, canvas["y"] + (y - oy) * scale


def timeline_to_page(nb: Notebook, cell: int, frame: float, lane: bool = True
                     ) -> tuple[float, float]:
    """Page coordinates of a frame position on the timeline (segment lane or axis)."""
    timeline = nb.output(cell, ".nba-video-timeline")
    timeline.scroll_into_view_if_needed()
    bar = timeline.bounding_box()
    assert bar is not None
    start = float(data(nb, cell, "timeline-start"))
    fpp = float(data(nb, cell, "timeline-fpp"))
    y = bar["y"] + (bar["height"] - 10 if lane else 8)
    return bar["x"] + (frame - start) / fpp, y


def drag(nb: Notebook, start: tuple[float, float], end: tuple[float, float]) -> None:
    nb.page.mouse.move(*start)
    nb.page.mouse.down()
    nb.page.mouse.move(*end, steps=8)
    nb.page.mouse.up()


def test_track_across_frames_interpolation_outside_segment_and_undo(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    wait_data(nb, cell, "d.shownFrame === '0'")

    # Draw a box on frame 0 around the square at (10, 20).
    drag(nb, image_to_page(nb, cell, 10, 20), image_to_page(nb, cell, 30, 40))
    tracks = nb.wait_kernel("w.tracks if len(w.tracks) == 1 else None")
    kf = tracks[0]["keyframes"]
    assert [k["frame"] for k in kf] == [0] and tracks[0]["label"] == "car"
    assert abs(kf[0]["x"] - 10) <= 1.5 and abs(kf[0]["w"] - 20) <= 1.5
    x0 = kf[0]["x"]

    # Frame 30 by key: Shift+→ three times (ten frames each); the kernel follows.
    for _ in range(3):
        nb.page.keyboard.press("Shift+ArrowRight")
    assert nb.wait_kernel("w.frame == 30")
    nb.page.keyboard.press("ArrowLeft")
    assert nb.wait_kernel("w.frame == 29")
    # ...and by setting w.frame from Python: the view moves there.
    nb.kernel_exec("w.frame = 0")
    wait_data(nb, cell, "d.frame === '0'")
    nb.kernel_exec("w.frame = 30")
    wait_data(nb, cell, "d.frame === '30' && d.shownFrame === '30'")

    # Move the box 60 px right on frame 30 (the square moved 60 px): a keyframe there.
    nb.page.mouse.move(*image_to_page(nb, cell, 60, 60))  # hover away from the box first
    drag(nb, image_to_page(nb, cell, x0 + 10, 30), image_to_page(nb, cell, x0 + 70, 30))
    frames = nb.wait_kernel("[k['frame'] for k in w.tracks[0]['keyframes']] "
                            "if len(w.tracks[0]['keyframes']) == 2 else None")
    assert frames == [0, 30]
    wait_data(nb, cell, "d.keyframes === '0,30'")  # the selected track's marks on the timeline
    x30 = nb.kernel_json("w.tracks[0]['keyframes'][1]['x']")
    assert abs(x30 - (x0 + 60)) <= 1.5
    mid = nb.kernel_json("w.boxes_at(15)")
    assert len(mid) == 1 and mid[0]["track_id"] == tracks[0]["id"]
    assert abs(mid[0]["x"] - (x0 + x30) / 2) < 1e-6 and mid[0]["keyframe"] is False

    # Outside from frame 30 on: no box after it.
    nb.page.keyboard.press("o")
    assert nb.wait_kernel("w.boxes_at(31) == [] and w.boxes_at(59) == []")
    assert len(nb.kernel_json("w.boxes_at(29)")) == 1
    # Undo restores the box after frame 30; redo hides it again.
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("len(w.boxes_at(45)) == 1")
    nb.page.keyboard.press("Control+Shift+z")
    assert nb.wait_kernel("w.boxes_at(45) == []")

    # Occluded from frame 20 on (key C), undone.
    nb.page.keyboard.press("Shift+ArrowLeft")
    nb.page.keyboard.press("c")
    assert nb.wait_kernel("w.boxes_at(25)[0]['occluded'] and not w.boxes_at(19)[0]['occluded']")
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("not w.boxes_at(25)[0]['occluded']")

    # Zoom the timeline (long videos): + shows fewer frames per pixel (down to 24 px a frame).
    fpp = float(data(nb, cell, "timeline-fpp"))
    nb.page.keyboard.press("+")
    wait_data(nb, cell, f"Math.abs(Number(d.timelineFpp) - {max(fpp / 2, 1 / 24)}) < 1e-9")
    nb.page.keyboard.press("0")
    wait_data(nb, cell, f"Math.abs(Number(d.timelineFpp) - {fpp}) < 1e-9")

    # A temporal segment: drag in the timeline's lane from frame 5 to frame 20.
    nb.page.keyboard.press("Escape")
    drag(nb, timeline_to_page(nb, cell, 5.2), timeline_to_page(nb, cell, 20.2))
    segments = nb.wait_kernel("w.segments if len(w.segments) == 1 else None")
    assert segments[0]["label"] == "car"
    assert abs(segments[0]["start"] - 5) <= 1 and abs(segments[0]["end"] - 20) <= 1
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("w.segments == []")
    # The keys never reached JupyterLab (`o`, `z` are no notebook commands; `a`/`b` would be).
    assert nb.dialogs == []


def test_play_and_tracker_proposals_accepted(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    wait_data(nb, cell, "d.shownFrame === '0'")
    drag(nb, image_to_page(nb, cell, 10, 20), image_to_page(nb, cell, 30, 40))
    nb.wait_kernel("len(w.tracks) == 1")

    # The tracker proposes the box on the next frames (dashed); they come back to the kernel.
    nb.page.keyboard.press("t")
    proposals = nb.wait_kernel("w.proposals if len(w.proposals) >= 10 else None", timeout_s=20)
    first = {p["frame"]: p for p in proposals}
    assert abs(first[5]["x"] - (10 + 2 * 5)) <= 2.5  # it follows the square
    # Go to frame 10 and accept the proposals up to it: keyframes 1..10.
    nb.page.keyboard.press("Shift+ArrowRight")
    assert nb.wait_kernel("w.frame == 10")
    nb.page.keyboard.press("a")
    frames = nb.wait_kernel("[k['frame'] for k in w.tracks[0]['keyframes']] "
                            "if len(w.tracks[0]['keyframes']) > 1 else None")
    assert frames == list(range(11))
    assert nb.kernel_json("all(p['frame'] > 10 for p in w.proposals)")
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("len(w.tracks[0]['keyframes']) == 1")
    nb.page.keyboard.press("Control+Shift+z")
    assert nb.wait_kernel("len(w.tracks[0]['keyframes']) == 11")

    # Play: w.frame advances in the kernel; pause stops it.
    nb.page.keyboard.press(" ")
    wait_data(nb, cell, "d.playing === 'true'")
    assert nb.wait_kernel("w.frame > 20", timeout_s=10)
    nb.page.keyboard.press(" ")
    wait_data(nb, cell, "d.playing === 'false'")
    paused = int(data(nb, cell, "frame"))
    assert nb.wait_kernel(f"w.frame == {paused}")
    assert nb.output(cell, ".nba-message").is_hidden()

    # At 4x, the 60 frames (2 s at 30 fps) play in half a second: well under the 2 s of 1x.
    nb.output(cell, ".nba-video-speed").select_option("4")
    nb.kernel_exec("w.frame = 0")
    wait_data(nb, cell, "d.frame === '0'")
    nb.page.mouse.move(*image_to_page(nb, cell, 150, 100))
    started = nb.page.evaluate("() => performance.now()")
    nb.page.keyboard.press(" ")
    nb.page.wait_for_function(
        "(el) => el.dataset.playing === 'false' && el.dataset.frame === '59'",
        arg=root(nb, cell).element_handle(), timeout=10_000)
    elapsed = nb.page.evaluate("() => performance.now()") - started
    assert elapsed < 1600, elapsed
    assert nb.wait_kernel("w.frame == 59")


DAMAGED = """
import warnings
from pathlib import Path
from tests.media.test_video_pyav import corrupt
from tests.media.video_fixtures import make_video
from nbannotate import VideoAnnotator
from nbannotate.media.video import BadFrameWarning
warnings.simplefilter("ignore", BadFrameWarning)
clean = make_video(Path("clean.avi"), frames=40, size=(96, 64), gop=20)
path = corrupt(clean, 30, Path("damaged.avi"))
w = VideoAnnotator(str(path), ["car"])
w
"""


def test_a_damaged_frame_is_shown_marked_and_the_widget_goes_on(notebook: Notebook) -> None:
    nb = notebook
    nb.kernel_exec(f"import sys; sys.path.insert(0, {str(ROOT)!r})")
    cell = nb.run(DAMAGED)
    wait_data(nb, cell, "d.shownFrame === '0' && d.bad === 'false'")
    nb.page.mouse.move(*image_to_page(nb, cell, 5, 5))
    for _ in range(3):
        nb.page.keyboard.press("Shift+ArrowRight")
    wait_data(nb, cell, "d.frame === '30' && d.bad === 'true'")
    assert nb.wait_kernel("w.bad_frames == [30]")
    # The next frame shows normally, and drawing still works.
    nb.page.keyboard.press("ArrowRight")
    wait_data(nb, cell, "d.frame === '31' && d.shownFrame === '31' && d.bad === 'false'")
    drag(nb, image_to_page(nb, cell, 10, 10), image_to_page(nb, cell, 40, 40))
    assert nb.wait_kernel("len(w.tracks) == 1 and w.tracks[0]['keyframes'][0]['frame'] == 31")
    # Bad state from Python shows inline, as text.
    nb.kernel_exec("w.error = 'Bad state: <b>tracks</b> could not be loaded'")
    message = nb.output(cell, ".nba-message")
    message.wait_for(state="visible")
    assert "<b>tracks</b>" in message.inner_text()
    assert nb.output(cell, ".nba-message b").count() == 0


def test_split_merge_delete_keyframe_and_track_by_keys_and_buttons(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    wait_data(nb, cell, "d.shownFrame === '0'")
    nb.kernel_exec("w.tracks = [{'id': 'a', 'label': 'car', 'keyframes': ["
                   "{'frame': 0, 'x': 10, 'y': 20, 'w': 20, 'h': 20},"
                   "{'frame': 40, 'x': 90, 'y': 20, 'w': 20, 'h': 20}]}]\nw.frame = 20")
    wait_data(nb, cell, "d.frame === '20'")
    # Select the (interpolated) box at frame 20 and split the track there.
    nb.page.mouse.click(*image_to_page(nb, cell, 60, 30))
    wait_data(nb, cell, "d.selected === 'a'")
    nb.page.keyboard.press("s")
    parts = nb.wait_kernel("sorted([k['frame'] for k in t['keyframes']] for t in w.tracks) "
                           "if len(w.tracks) == 2 else None")
    assert parts == [[0, 19, 20], [20, 40]]
    assert len(nb.kernel_json("w.boxes_at(20)")) == 1  # the second part, from frame 20
    tail = data(nb, cell, "selected")
    assert tail != "a"
    # Merge: M (or the button), then click the other track's box (back on frame 10).
    nb.page.keyboard.press("Shift+ArrowLeft")
    wait_data(nb, cell, "d.frame === '10'")
    nb.output(cell, "button:has-text('Merge')").click()
    wait_data(nb, cell, "d.selected !== ''")
    nb.page.mouse.click(*image_to_page(nb, cell, 40, 30))  # track a's box on frame 10
    merged = nb.wait_kernel("w.tracks if len(w.tracks) == 1 else None")
    assert merged[0]["id"] == tail
    assert len(nb.kernel_json("w.boxes_at(10)")) == 1 and len(nb.kernel_json("w.boxes_at(30)")) == 1
    # Delete the keyframe on frame 40, then the whole track; undo brings both back.
    nb.kernel_exec("w.frame = 40")
    wait_data(nb, cell, "d.frame === '40'")
    nb.page.mouse.move(*image_to_page(nb, cell, 150, 100))
    nb.page.keyboard.press("Delete")
    assert nb.wait_kernel("40 not in [k['frame'] for k in w.tracks[0]['keyframes']]")
    nb.page.keyboard.press("Shift+Delete")
    assert nb.wait_kernel("w.tracks == []")
    nb.output(cell, "button:has-text('Undo')").click()
    assert nb.wait_kernel("len(w.tracks) == 1")
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("40 in [k['frame'] for k in w.tracks[0]['keyframes']]")
    nb.page.keyboard.press("Control+z")  # the merge
    assert nb.wait_kernel("len(w.tracks) == 2")


def test_keypoints_placed_carried_with_the_box_and_dragged(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP.replace('w = VideoAnnotator(clip, ["car", "person"], fps=30)',
                                'w = VideoAnnotator(clip, ["car"], fps=30, keypoint_labels='
                                '["front", "back"], skeleton=[("front", "back")])'))
    wait_data(nb, cell, "d.shownFrame === '0'")
    drag(nb, image_to_page(nb, cell, 10, 20), image_to_page(nb, cell, 30, 40))
    nb.wait_kernel("len(w.tracks) == 1")
    # K: the next clicks place the keypoints in order.
    nb.page.keyboard.press("k")
    wait_data(nb, cell, "d.placing === '0'")
    nb.page.mouse.click(*image_to_page(nb, cell, 28, 30))
    wait_data(nb, cell, "d.placing === '1'")
    nb.page.mouse.click(*image_to_page(nb, cell, 12, 30))
    wait_data(nb, cell, "d.placing === ''")
    points = nb.wait_kernel("w.tracks[0]['keyframes'][0].get('points') if "
                            "all(p[2] == 2 for p in w.tracks[0]['keyframes'][0].get('points', "
                            "[[0, 0, 0]])) else None")
    assert abs(points[0][0] - 28) <= 1 and abs(points[1][0] - 12) <= 1
    # Frame 30: move the box 60 px right; its points go with it. Frame 15 is the midpoint.
    nb.kernel_exec("w.frame = 30")
    wait_data(nb, cell, "d.frame === '30' && d.shownFrame === '30'")
    x0 = nb.kernel_json("w.tracks[0]['keyframes'][0]['x']")
    drag(nb, image_to_page(nb, cell, x0 + 5, 24), image_to_page(nb, cell, x0 + 65, 24))
    nb.wait_kernel("len(w.tracks[0]['keyframes']) == 2")
    moved = nb.kernel_json("w.tracks[0]['keyframes'][1]['points']")
    dx = nb.kernel_json("w.tracks[0]['keyframes'][1]['x']") - x0
    assert abs(dx - 60) <= 1.5
    assert abs(moved[0][0] - (points[0][0] + dx)) < 1e-6
    mid = nb.kernel_json("w.boxes_at(15)[0]['points']")
    assert abs(mid[0][0] - (points[0][0] + dx / 2)) < 1e-6
    # Drag the front point down 10 px on frame 30: only that point moves there.
    front = moved[0]
    drag(nb, image_to_page(nb, cell, front[0], front[1]),
         image_to_page(nb, cell, front[0], front[1] + 10))
    dragged = nb.wait_kernel("w.tracks[0]['keyframes'][1]['points'] if "
                             f"w.tracks[0]['keyframes'][1]['points'][0][1] > {front[1] + 5} "
                             "else None")
    assert abs(dragged[0][1] - (front[1] + 10)) <= 1 and dragged[1] == moved[1]
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel(f"w.tracks[0]['keyframes'][1]['points'][0][1] == {front[1]}")
    # V with the pointer on the back point: hidden (1); Shift+V: not placed (0).
    back = moved[1]
    nb.page.mouse.move(*image_to_page(nb, cell, back[0], back[1]))
    nb.page.keyboard.press("v")
    assert nb.wait_kernel("w.tracks[0]['keyframes'][1]['points'][1][2] == 1")
    nb.page.keyboard.press("Shift+V")
    assert nb.wait_kernel("w.tracks[0]['keyframes'][1]['points'][1][2] == 0")
    assert nb.kernel_json("w.tracks[0]['keyframes'][1]['points'][0][2]") == 2


def test_set_video_from_python_shows_the_new_clip(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    wait_data(nb, cell, "d.shownFrame === '0'")
    drag(nb, image_to_page(nb, cell, 10, 20), image_to_page(nb, cell, 30, 40))
    nb.wait_kernel("len(w.tracks) == 1")
    nb.kernel_exec("w.set_video(clip[:20, ::2, ::2].copy(), fps=10, frame=5)")
    wait_data(nb, cell, "d.frame === '5' && d.shownFrame === '5' && d.selected === ''")
    assert nb.kernel_json("[w.num_frames, w.width, w.height, w.tracks]") == [20, 80, 60, []]
    # The new clip is drawn on as the first: a box, read back in its pixels.
    drag(nb, image_to_page(nb, cell, 5, 10), image_to_page(nb, cell, 15, 20))
    track = nb.wait_kernel("w.tracks[0] if len(w.tracks) == 1 else None")
    kf = track["keyframes"][0]
    assert kf["frame"] == 5 and abs(kf["x"] - 5) <= 1 and abs(kf["w"] - 10) <= 1
    nb.page.keyboard.press("Control+z")  # undo reaches back to the new clip only
    assert nb.wait_kernel("w.tracks == []")
    nb.page.keyboard.press("Control+z")
    nb.page.wait_for_timeout(300)
    assert nb.kernel_json("w.tracks") == []
