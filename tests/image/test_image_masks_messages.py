"""The browser's segmentation messages through ipywidgets' real comm handling: stroke edits
(``mask_edit``) and polygon changes, applied without echo, acknowledged, all or nothing."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nbannotate import ImageAnnotator
from nbannotate.formats.rle import rle_to_mask, rle_to_string
from nbannotate.image import mask_ops as ops


def make(**kwargs) -> ImageAnnotator:
    return ImageAnnotator(np.zeros((30, 40, 3), dtype=np.uint8), labels=["sky", "tree"],
                          **kwargs)


def stroke_rle(points, radius, compressed=True, size=(30, 40)):
    rle = ops.rle_of(*size, ops.stroke_toggles(points, radius, *size))
    return rle_to_string(rle) if compressed else rle


def edit(label, op, rle):
    return {"label": label, "op": op, "rle": rle}


def test_a_stroke_is_applied_without_echo_acknowledged_and_reported(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    sky = stroke_rle([[5, 5], [30, 5]], 3)
    comm.from_browser({"type": "mask_edit", "seq": 1, "edits": [edit("sky", "add", sky)]})
    expected = ops.rle_of(30, 40, ops.toggles_of(sky))
    assert [m["label"] for m in w.masks] == ["sky"] and w.masks[0]["mask"] == expected
    assert w.mask_array("sky")[5, 20] and not w.mask_array("sky")[20, 20]
    assert comm.custom() == [{"type": "mask_ack", "seq": 1}]
    assert not any("masks" in state for state in comm.state_updates())
    assert [(c["field"], c["op"], c["record"]["label"]) for c in seen] == [
        ("masks", "add", "sky")]
    # A tree stroke over the sky: the browser sends the pixels that changed, per label
    # (uncompressed counts work too); undoing it sends the inverse.
    crossing = ops.stroke_toggles([[20, 0], [20, 12]], 2, 30, 40)
    overlap = ops.intersection(crossing, ops.toggles_of(sky), 1200)
    forward = [edit("tree", "add", ops.rle_of(30, 40, crossing)),
               edit("sky", "remove", ops.rle_of(30, 40, overlap))]
    comm.from_browser({"type": "mask_edit", "seq": 2, "edits": forward})
    assert w.mask_array("tree")[5, 20] and not w.mask_array("sky")[5, 20]
    assert [(c["op"], c["record"]["label"]) for c in seen[1:]] == [("update", "sky"),
                                                                   ("add", "tree")]
    backward = [edit("tree", "remove", ops.rle_of(30, 40, crossing)),
                edit("sky", "add", ops.rle_of(30, 40, overlap))]
    comm.from_browser({"type": "mask_edit", "seq": 3, "edits": backward})
    assert [m["label"] for m in w.masks] == ["sky"] and w.masks[0]["mask"] == expected
    assert seen[-1]["op"] == "remove" and seen[-1]["record"]["label"] == "tree"
    assert [m["seq"] for m in comm.custom()] == [1, 2, 3]


@pytest.mark.parametrize(("edits", "message"), [
    ([edit("cloud", "add", {"size": [30, 40], "counts": [1200]})], "label must be one of"),
    ([edit("sky", "paint", {"size": [30, 40], "counts": [1200]})], "op must be 'add' or"),
    ([edit("sky", "add", {"size": [3, 4], "counts": [12]})], "size [30, 40], got [3, 4]"),
    ([edit("sky", "add", {"size": [30, 40], "counts": [10, 5]})],
     "'counts' must sum to height * width"),
    ([edit("sky", "add", {"size": [30, 40], "counts": "!!"})], "invalid character"),
    ("nope", "'edits' must be a list"),
])
def test_a_bad_edit_is_rejected_whole_and_the_masks_resent(comm_recorder, edits, message):
    w = make()
    w.paint("tree", [[10, 10]], radius=2)
    before = w.masks
    comm = comm_recorder(w)
    good = edit("sky", "add", stroke_rle([[1, 1]], 1))
    batch = [good, *edits] if isinstance(edits, list) else edits
    comm.from_browser({"type": "mask_edit", "seq": 7, "edits": batch})
    assert w.masks == before  # all or nothing: the good edit was not applied either
    reply = comm.custom()[0]
    assert reply["type"] == "mask_error" and reply["seq"] == 7
    assert message in reply["message"]
    assert any("masks" in state for state in comm.state_updates())


def test_polygon_changes_apply_validate_and_roll_back(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    polygon = {"id": "p1", "label": "tree", "source": "human",
               "points": [[1, 1], [20, 2], [25, 15], [10, 20], [2, 12]]}
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "polygons", "op": "add", "record": polygon}]})
    assert w.polygons[0]["points"][2] == [25.0, 15.0]
    moved = {**polygon, "points": [[1, 1], [20, 2], [30, 18], [10, 20], [2, 12]]}
    comm.from_browser({"type": "changes", "seq": 2,
                       "changes": [{"field": "polygons", "op": "update", "record": moved}]})
    assert w.polygons[0]["points"][2] == [30.0, 18.0]
    outside = {**polygon, "points": [[1, 1], [20, 2], [45, 18]]}
    comm.from_browser({"type": "changes", "seq": 3,
                       "changes": [{"field": "polygons", "op": "update", "record": outside}]})
    assert w.polygons[0]["points"][2] == [30.0, 18.0]
    assert comm.custom()[-1]["type"] == "error" and "inside the image" in comm.custom()[-1][
        "message"]
    comm.from_browser({"type": "changes", "seq": 4,
                       "changes": [{"field": "polygons", "op": "remove", "record": {"id": "p1"}}]})
    assert w.polygons == []
    assert [c["op"] for c in seen] == ["add", "update", "remove"]
    assert not any("polygons" in s for s in comm.state_updates()[:-1])


def test_load_full_still_works_next_to_mask_messages(comm_recorder):
    w = ImageAnnotator(np.zeros((2000, 100), dtype=np.uint8), labels=["a"])
    comm = comm_recorder(w)
    comm.from_browser({"type": "load_full"})
    w.load_full_image(wait=True)
    assert w.image_data[:4] == b"\x89PNG"


def test_concurrent_strokes_from_threads_all_land(comm_recorder):
    # Widget messages may be handled on kernel subshell threads while a cell runs.
    w = make()
    comm = comm_recorder(w)
    rows, cols = (3, 9, 15, 21, 27), range(2, 38, 6)
    errors = []

    def paint_row(row: int) -> None:
        try:
            for col in cols:
                comm.from_browser({"type": "mask_edit", "seq": row * 100 + col, "edits": [
                    edit("sky", "add", stroke_rle([[col, row]], 1.2))]})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=paint_row, args=(row,)) for row in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    expected = np.zeros((30, 40), dtype=bool)
    for row in rows:
        for col in cols:
            expected |= rle_to_mask(stroke_rle([[col, row]], 1.2, compressed=False))
    assert (w.mask_array("sky") == expected).all()
    assert len(w.masks) == 1
    assert sorted(m["seq"] for m in comm.custom() if m["type"] == "mask_ack") == sorted(
        row * 100 + col for row in rows for col in cols)


def test_masks_set_from_python_after_strokes_make_the_browser_reload(comm_recorder):
    # The browser's copy of the list is the last one the kernel sent ([] here): setting []
    # again after a stroke must still reach the view.
    w = make()
    comm = comm_recorder(w)
    comm.from_browser({"type": "mask_edit", "seq": 1,
                       "edits": [edit("sky", "add", stroke_rle([[5, 5]], 2))]})
    w.masks = []
    assert {"type": "reload", "fields": ["masks"]} in comm.custom()
    assert any(state.get("masks") == [] for state in comm.state_updates())
