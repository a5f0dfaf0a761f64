"""AudioAnnotator in a real JupyterLab: regions with the mouse and keys, playback, zoom.

Every step is read back from the kernel (``w.regions``, the widget's request counters).
"""

from __future__ import annotations

from typing import Any

from .harness import Notebook

SETUP = """
import numpy as np
from nbannotate import AudioAnnotator
rate = 8000
t = np.arange(10 * rate) / rate
audio = (0.5 * np.sin(2 * np.pi * 440 * t) * (t < 5) + 0.2 * np.sin(2 * np.pi * 1500 * t)
         * (t >= 5) + 0.05 * np.random.default_rng(0).standard_normal(t.size)).astype(np.float32)
w = AudioAnnotator(audio, sample_rate=rate, labels=["speech", "bird", "noise"])
w
"""


def stage(nb: Notebook, cell: int) -> dict[str, float]:
    canvas = nb.output(cell, ".nba-audio-overlay")
    canvas.wait_for(state="visible")
    box = canvas.bounding_box()
    assert box is not None
    return box


def root_data(nb: Notebook, cell: int, name: str) -> str:
    value = nb.output(cell, ".nba-audio").get_attribute(f"data-{name}")
    assert value is not None, name
    return str(value)


def time_to_page(nb: Notebook, cell: int, seconds: float, y_fraction: float = 0.5
                 ) -> tuple[float, float]:
    """Page coordinates of time ``seconds`` on the stage, under the widget's current view."""
    box = stage(nb, cell)
    start = float(root_data(nb, cell, "view-start"))
    end = float(root_data(nb, cell, "view-end"))
    x = box["x"] + (seconds - start) / (end - start) * box["width"]
    return x, box["y"] + y_fraction * box["height"]


def drag(nb: Notebook, start: tuple[float, float], end: tuple[float, float]) -> None:
    nb.page.mouse.move(*start)
    nb.page.mouse.down()
    nb.page.mouse.move(*end, steps=10)
    nb.page.mouse.up()


def seconds_per_pixel(nb: Notebook, cell: int) -> float:
    box = stage(nb, cell)
    view = float(root_data(nb, cell, "view-end")) - float(root_data(nb, cell, "view-start"))
    return view / box["width"]


def only_region(nb: Notebook, condition: str = "True") -> dict[str, Any]:
    regions = nb.wait_kernel(f"w.regions if len(w.regions) == 1 and ({condition}) else None")
    return regions[0]


def test_regions_draw_resize_move_relabel_delete_undo(notebook: Notebook) -> None:
    cell = notebook.run(SETUP)
    stage(notebook, cell)
    tolerance = 2 * seconds_per_pixel(notebook, cell)

    drag(notebook, time_to_page(notebook, cell, 2.0), time_to_page(notebook, cell, 4.0))
    region = only_region(notebook)
    assert region["label"] == "speech" and region["source"] == "human"
    assert abs(region["start"] - 2.0) <= tolerance and abs(region["end"] - 4.0) <= tolerance
    # Times are snapped to the sample.
    for key in ("start", "end"):
        assert region[key] == round(region[key] * 8000) / 8000

    # Resize: drag the right edge from 4 s to 5 s.
    drag(notebook, time_to_page(notebook, cell, region["end"]), time_to_page(notebook, cell, 5.0))
    resized = only_region(notebook, "abs(w.regions[0]['end'] - 5.0) < 0.05")
    assert abs(resized["start"] - region["start"]) < 1e-9

    # Move: drag the body by -1 s; the length is kept.
    drag(notebook, time_to_page(notebook, cell, 3.5), time_to_page(notebook, cell, 2.5))
    moved = only_region(notebook, "abs(w.regions[0]['start'] - 1.0) < 0.05")
    assert abs((moved["end"] - moved["start"]) - (resized["end"] - resized["start"])) < 1e-6

    # Relabel with key 2 while hovering; "b" must not reach JupyterLab (insert cell below).
    cells = "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"
    before = notebook.page.evaluate(cells)
    notebook.page.keyboard.press("2")
    notebook.page.keyboard.press("b")
    assert only_region(notebook, "w.regions[0]['label'] == 'bird'")["id"] == region["id"]
    assert notebook.page.evaluate(cells) == before

    # An overlapping region goes to its own lane; each one stays selectable.
    drag(notebook, time_to_page(notebook, cell, 7.0), time_to_page(notebook, cell, 2.0, 0.8))
    both = notebook.wait_kernel("w.regions if len(w.regions) == 2 else None")
    assert both[1]["label"] == "speech" and abs(both[1]["start"] - 2.0) <= tolerance

    notebook.page.keyboard.press("Delete")
    remaining = only_region(notebook)
    assert remaining["id"] == region["id"] and remaining["label"] == "bird"
    notebook.page.keyboard.press("Control+z")
    assert notebook.wait_kernel("len(w.regions) == 2")
    notebook.page.keyboard.press("Control+Shift+z")
    assert only_region(notebook)["id"] == region["id"]

    # Setting regions from Python redraws; drawing still works afterwards.
    notebook.kernel_exec("w.regions = [{'start': 8.0, 'end': 9.0, 'label': 'noise'}]")
    drag(notebook, time_to_page(notebook, cell, 0.5), time_to_page(notebook, cell, 1.5))
    labels = notebook.wait_kernel(
        "sorted(r['label'] for r in w.regions) if len(w.regions) == 2 else None")
    assert labels == ["noise", "speech"]


def test_play_advances_playhead_and_seek_on_the_axis(notebook: Notebook) -> None:
    cell = notebook.run(SETUP)
    box = stage(notebook, cell)
    notebook.page.mouse.move(box["x"] + 20, box["y"] + 20)
    notebook.page.wait_for_function("(el) => el.dataset.playhead === '0.000'",
                                    arg=notebook.output(cell, ".nba-audio").element_handle())

    notebook.page.keyboard.press(" ")
    notebook.page.wait_for_function(
        "(el) => el.dataset.playing === 'true' && Number(el.dataset.playhead) > 0.3",
        arg=notebook.output(cell, ".nba-audio").element_handle(), timeout=10_000)
    assert notebook.kernel_json("w._requests['chunk']") >= 1
    notebook.page.keyboard.press(" ")  # pause
    notebook.page.wait_for_function("(el) => el.dataset.playing === 'false'",
                                    arg=notebook.output(cell, ".nba-audio").element_handle())
    paused = float(root_data(notebook, cell, "playhead"))
    assert 0.3 < paused < 10.0

    # Click on the time axis at 7 s: the playhead jumps there; playing goes on from there.
    axis = notebook.output(cell, ".nba-audio-axis").bounding_box()
    assert axis is not None
    x, _ = time_to_page(notebook, cell, 7.0)
    notebook.page.mouse.click(x, axis["y"] + axis["height"] / 2)
    notebook.page.wait_for_function(
        "(el) => Math.abs(Number(el.dataset.playhead) - 7) < 0.05",
        arg=notebook.output(cell, ".nba-audio").element_handle())
    notebook.page.mouse.move(box["x"] + 20, box["y"] + 20)
    notebook.page.keyboard.press(" ")
    notebook.page.wait_for_function(
        "(el) => Number(el.dataset.playhead) > 7.2",
        arg=notebook.output(cell, ".nba-audio").element_handle(), timeout=10_000)
    # The chunk holding 7 s (chunks of 4 s) was requested from the kernel.
    assert notebook.kernel_json("w._requests['chunk']") >= 2
    notebook.page.keyboard.press(" ")

    # Play a region, looped: the playhead stays inside it.
    notebook.kernel_exec("w.regions = [{'id': 'r1', 'start': 1.0, 'end': 1.5, 'label': 'bird'}]")
    drag(notebook, time_to_page(notebook, cell, 1.25), time_to_page(notebook, cell, 1.25))
    notebook.output(cell, ".nba-audio-loop input").check()
    notebook.output(cell, "button[title='Play the selected region']").click()
    notebook.page.wait_for_timeout(1200)  # more than two loops of 0.5 s
    playhead = float(root_data(notebook, cell, "playhead"))
    assert root_data(notebook, cell, "playing") == "true"
    # Looping keeps the playhead inside the region [1.0, 1.5] s (50 ms of slack).
    assert 0.95 <= playhead <= 1.55


def test_zoom_requests_new_peaks_spectrogram_and_suggestions(notebook: Notebook) -> None:
    cell = notebook.run(SETUP)
    box = stage(notebook, cell)
    wave = notebook.output(cell, ".nba-audio-wave")
    # The first waveform comes from the overview sent with the widget: no request needed.
    notebook.page.wait_for_function(
        "(el) => Number(el.dataset.waveDraws || 0) > 0",
        arg=notebook.output(cell, ".nba-audio").element_handle())
    notebook.page.wait_for_timeout(200)
    before_requests = notebook.kernel_json("w._requests['peaks']")
    before_image = wave.evaluate("(c) => c.toDataURL()")
    before_span = seconds_per_pixel(notebook, cell)

    notebook.page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    for _ in range(4):
        notebook.page.mouse.wheel(0, -300)
    after = notebook.wait_kernel(f"w._requests['peaks'] if w._requests['peaks'] > "
                                 f"{before_requests} else None")
    assert after > before_requests
    notebook.page.wait_for_function(
        "([c, old]) => c.toDataURL() !== old", arg=[wave.element_handle(), before_image])
    assert seconds_per_pixel(notebook, cell) < before_span / 4
    # The time under the pointer stayed put (zoom around the pointer).
    start = float(root_data(notebook, cell, "view-start"))
    assert 0.0 < start < 2.5

    # Spectrogram: toggled from the toolbar, computed in the kernel for the visible window.
    notebook.output(cell, "button:has-text('Spectrogram')").click()
    assert notebook.wait_kernel("w.spectrogram and w._requests['spectrogram'] >= 1")

    # Suggestions: accept one with Enter, then accept all from the toolbar.
    notebook.kernel_exec(
        "w.suggestions = [{'id': 's1', 'start': 0.5, 'end': 1.0, 'label': 'noise', "
        "'score': 0.8}, {'id': 's2', 'start': 6.0, 'end': 6.5, 'label': 'bird', 'score': 0.6}]")
    notebook.output(cell, "button[title='Show the whole recording (0)']").click()
    drag(notebook, time_to_page(notebook, cell, 0.75), time_to_page(notebook, cell, 0.75))
    notebook.page.keyboard.press("Enter")
    accepted = notebook.wait_kernel("w.regions if len(w.suggestions) == 1 else None")
    assert accepted[0]["id"] == "s1" and accepted[0]["source"] == "human"
    assert "score" not in accepted[0]
    notebook.output(cell, "button:has-text('Accept all')").click()
    assert notebook.wait_kernel("len(w.regions) == 2 and w.suggestions == []")
    assert notebook.output(cell, ".nba-message").is_hidden()

    # Label names and messages are text, never HTML.
    notebook.kernel_exec("w.labels = ['speech', 'bird', '<img src=x onerror=alert(1)>']")
    chip = notebook.output(cell, ".nba-label-chip").nth(2)
    assert chip.inner_text().endswith("<img src=x onerror=alert(1)>")
    assert notebook.output(cell, ".nba-audio img").count() == 0
    notebook.kernel_exec("w.error = 'Bad state: <b>regions</b> could not be loaded'")
    message = notebook.output(cell, ".nba-message")
    message.wait_for(state="visible")
    assert "<b>regions</b>" in message.inner_text()
    assert notebook.output(cell, ".nba-message b").count() == 0
    assert notebook.dialogs == []
