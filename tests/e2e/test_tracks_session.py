"""A video session in a real JupyterLab: a box drawn on the first clip starts a track,
Ctrl+Enter stores it, the next clip appears, and the track is read back from the store in
the kernel."""

from __future__ import annotations

from .harness import Notebook
from .test_video import drag, image_to_page, wait_data

SETUP = """
import numpy as np
from nbannotate import label
from nbannotate.store import Store

def clip(offset):
    video = np.zeros((20, 120, 160, 3), dtype=np.uint8)
    for t in range(20):
        video[t, 30:60, 20 + 2 * t + offset:50 + 2 * t + offset] = 220
    return video

session = label([clip(0), clip(5)], task="tracks", labels=["car", "person"],
                ids=["first", "second"], store="clips.db")
session
"""


def test_a_track_drawn_on_a_clip_is_stored_and_the_next_clip_shown(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    wait_data(nb, cell, "d.shownFrame === '0'", timeout=60_000)
    assert nb.kernel_json("session.current") == "first"
    drag(nb, image_to_page(nb, cell, 20, 30), image_to_page(nb, cell, 50, 60))
    nb.wait_kernel("len(session.records) == 1")
    nb.page.keyboard.press("Control+Enter")  # Done: stored, then the next clip
    nb.wait_kernel("session.current == 'second'")
    stored = nb.kernel_json("Store('clips.db').get('first')")
    assert len(stored) == 1 and stored[0]["label"] == "car"
    (key,) = stored[0]["keyframes"]
    assert key["frame"] == 0
    for name, expected in (("x", 20), ("y", 30), ("w", 30), ("h", 30)):
        assert abs(key[name] - expected) <= 1.5, key
    assert nb.kernel_json("session.counts")["human"] == 1
