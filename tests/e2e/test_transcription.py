"""Transcription (``transcribe=True``) in a real JupyterLab: draw a box or a region, type its
text in the field that opens, and read the record's ``text`` back in the kernel. Keys typed in
the field are text: they reach neither the widget's shortcuts nor JupyterLab."""

from __future__ import annotations

from .harness import Notebook
from .test_audio import root_data, time_to_page
from .test_audio import stage as audio_stage
from .test_image_boxes import cell_count, click, drag, fitted_to_page

HEBREW = "שלום עולם"

IMAGE_SETUP = """
import numpy as np
from nbannotate import ImageAnnotator
page = np.full((300, 400, 3), 250, dtype=np.uint8)
page[45:65, 60:240] = 30    # a line of "text"
page[155:175, 60:200] = 30  # another one
w = ImageAnnotator(page, labels=["line", "word"], transcribe=True)
w
"""

AUDIO_SETUP = """
import numpy as np
from nbannotate import AudioAnnotator
rate = 8000
t = np.arange(6 * rate) / rate
audio = (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)
w = AudioAnnotator(audio, sample_rate=rate, labels=["speech", "noise"], transcribe=True)
w
"""


def field_of(nb: Notebook, cell: int, selector: str = ".nba-transcript-input"):
    return nb.output(cell, selector)


def focused_field(nb: Notebook) -> bool:
    return bool(nb.page.evaluate(
        "() => document.activeElement?.classList.contains('nba-transcript-input') ?? false"))


def wait_field(nb: Notebook, cell: int, record_id: str | None = None) -> None:
    """The field is open (on ``record_id``) and has the keyboard."""
    field_of(nb, cell).wait_for(state="visible")
    if record_id is not None:
        nb.page.wait_for_function(
            "([node, id]) => node.dataset.id === id",
            arg=[field_of(nb, cell, ".nba-transcript").element_handle(), record_id])
    nb.page.wait_for_function(
        "() => document.activeElement?.classList.contains('nba-transcript-input')")


def test_image_boxes_are_transcribed_from_the_keyboard(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(IMAGE_SETUP)

    def page(x: float, y: float) -> tuple[float, float]:
        return fitted_to_page(nb, cell, (400, 300), x, y)

    # Finishing a box opens the field below it; Enter saves, and drawing goes on.
    drag(nb, page(50, 150), page(250, 180))
    first = nb.wait_kernel("w.boxes[0]['id'] if w.boxes else None")
    wait_field(nb, cell, first)
    placed = field_of(nb, cell).bounding_box()
    assert placed is not None and placed["y"] >= page(50, 180)[1] - 1
    assert abs(placed["x"] - page(50, 150)[0]) <= 2
    nb.page.keyboard.type("Hallo Welt")
    nb.page.keyboard.press("Enter")
    assert nb.wait_kernel("w.boxes[0].get('text') == 'Hallo Welt'")
    assert field_of(nb, cell).is_hidden() and not focused_field(nb)

    # A second box above the first: it comes first in reading order.
    drag(nb, page(50, 40), page(250, 70))
    second = nb.wait_kernel("w.boxes[1]['id'] if len(w.boxes) == 2 else None")
    wait_field(nb, cell, second)
    nb.page.keyboard.type("zweite")
    nb.page.keyboard.press("Tab")  # saves, then the next box in reading order: the first one
    wait_field(nb, cell, first)
    assert field_of(nb, cell).input_value() == "Hallo Welt"
    nb.page.keyboard.type("Erste Zeile")  # the text was selected: typing replaces it
    nb.page.keyboard.press("Shift+Tab")
    wait_field(nb, cell, second)
    assert field_of(nb, cell).input_value() == "zweite"
    nb.page.keyboard.press("Escape")
    texts = nb.wait_kernel(
        "[b.get('text') for b in w.boxes] if w.boxes[0].get('text') == 'Erste Zeile' else None")
    assert texts == ["Erste Zeile", "zweite"]
    assert nb.kernel_json("[b['source'] for b in w.boxes]") == ["human", "human"]

    # Undo (the keyboard is back on the widget) restores the previous text.
    nb.page.mouse.move(*page(300, 250))
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("w.boxes[0].get('text') == 'Hallo Welt'")
    assert nb.kernel_json("w.boxes[1].get('text')") == "zweite"

    # Select the first box, Enter edits its text: a right-to-left text, shown right to left.
    click(nb, page(150, 165))
    nb.page.keyboard.press("Enter")
    wait_field(nb, cell, first)
    nb.page.keyboard.type(HEBREW)
    assert field_of(nb, cell).get_attribute("dir") == "auto"
    assert field_of(nb, cell).evaluate("(input) => input.matches(':dir(rtl)')")
    nb.page.keyboard.press("Enter")
    assert nb.wait_kernel(f"w.boxes[0].get('text') == {HEBREW!r}")

    # Letters, digits and Delete typed in the field are text: the tool stays, the label
    # stays, the box stays, and JupyterLab inserts no cell ("b").
    before = cell_count(nb)
    nb.page.keyboard.press("F2")
    wait_field(nb, cell, first)
    for key in ["End", "s", "b", "k", "2", "x", "Delete", "Backspace"]:
        nb.page.keyboard.press(key)
    assert field_of(nb, cell).input_value() == HEBREW + "sbk2"
    assert nb.output(cell, ".nba-image").get_attribute("data-tool") == "box"
    assert nb.kernel_json("[w.tool, len(w.boxes), w.boxes[0]['label']]") == ["box", 2, "line"]
    assert cell_count(nb) == before
    nb.page.keyboard.press("Escape")  # cancels: the text is unchanged
    field_of(nb, cell).wait_for(state="hidden")
    assert nb.kernel_json("w.boxes[0].get('text')") == HEBREW

    # A text set from Python is in the widget: a double-click opens the field with it.
    nb.kernel_exec("w.boxes = [{'id': 'py', 'x': 60, 'y': 100, 'w': 200, 'h': 30, "
                   "'label': 'word', 'text': 'aus Python'}]")
    nb.page.wait_for_function(
        "(root) => root.dataset.selection === ''",
        arg=nb.output(cell, ".nba-image").element_handle())
    nb.page.mouse.dblclick(*page(160, 115))
    wait_field(nb, cell, "py")
    assert field_of(nb, cell).input_value() == "aus Python"
    nb.page.keyboard.press("Escape")
    assert nb.output(cell, ".nba-message").is_hidden()
    assert nb.dialogs == []


def test_a_right_to_left_page_is_transcribed_right_to_left(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(IMAGE_SETUP.replace('labels=["line", "word"]', 'labels=["word"]'))

    def page(x: float, y: float) -> tuple[float, float]:
        return fitted_to_page(nb, cell, (400, 300), x, y)

    def draw_and_type(x: float, text: str) -> str:
        count = nb.kernel_json("len(w.boxes)")
        drag(nb, page(x, 40), page(x + 100, 70))
        box_id = nb.wait_kernel(f"w.boxes[{count}]['id'] if len(w.boxes) > {count} else None")
        wait_field(nb, cell, box_id)
        nb.page.keyboard.type(text)
        nb.page.keyboard.press("Enter")
        assert nb.wait_kernel(f"w.boxes[{count}].get('text') == {text!r}")
        return box_id

    # Three words on one line, read from the right: the page's texts are Hebrew, so with the
    # default reading_direction="auto" Tab goes leftwards.
    right = draw_and_type(280, "שלום")
    middle = draw_and_type(150, "עולם")
    left = draw_and_type(20, "אמר")
    click(nb, page(200, 55))
    nb.page.keyboard.press("Enter")
    wait_field(nb, cell, middle)
    nb.page.keyboard.press("Tab")
    wait_field(nb, cell, left)
    nb.page.keyboard.press("Shift+Tab")
    wait_field(nb, cell, middle)
    nb.page.keyboard.press("Shift+Tab")
    wait_field(nb, cell, right)
    nb.page.keyboard.press("Escape")
    # Set from Python: left to right, whatever the texts.
    nb.kernel_exec("w.reading_direction = 'ltr'")
    nb.page.wait_for_timeout(200)
    click(nb, page(200, 55))
    nb.page.keyboard.press("Enter")
    wait_field(nb, cell, middle)
    nb.page.keyboard.press("Tab")
    wait_field(nb, cell, right)
    nb.page.keyboard.press("Escape")
    assert nb.kernel_json("[b['text'] for b in w.boxes]") == ["שלום", "עולם", "אמר"]
    assert nb.dialogs == []


def test_audio_regions_play_while_transcribed(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(AUDIO_SETUP)
    audio_stage(nb, cell)
    root = nb.output(cell, ".nba-audio").element_handle()

    # Finishing a region opens the field under it, and the region plays.
    drag_region = (time_to_page(nb, cell, 2.0), time_to_page(nb, cell, 3.0))
    nb.page.mouse.move(*drag_region[0])
    nb.page.mouse.down()
    nb.page.mouse.move(*drag_region[1], steps=10)
    nb.page.mouse.up()
    region = nb.wait_kernel("w.regions[0] if w.regions else None")
    wait_field(nb, cell, region["id"])
    nb.page.wait_for_function(
        """([root, start, end]) => root.dataset.playing === 'true'
             && Number(root.dataset.playhead) > start + 0.05
             && Number(root.dataset.playhead) <= end + 0.05""",
        arg=[root, region["start"], region["end"]], timeout=10_000)
    nb.page.keyboard.type("Hallo Welt")
    nb.page.keyboard.press("Enter")
    assert nb.wait_kernel("w.regions[0].get('text')") == "Hallo Welt"
    # The field closed and playback stopped (inside the region).
    nb.page.wait_for_function("(root) => root.dataset.playing === 'false'", arg=root)
    assert field_of(nb, cell).is_hidden()
    assert region["start"] <= float(root_data(nb, cell, "playhead")) <= region["end"] + 0.05

    # L (outside the field) turns looping on; a double-click edits the text, and the region
    # loops while the field is open: after more than one length of it, it still plays inside.
    nb.page.keyboard.press("l")
    assert nb.output(cell, ".nba-audio-loop input").is_checked()
    nb.page.mouse.dblclick(*time_to_page(nb, cell, 2.5))
    wait_field(nb, cell, region["id"])
    assert field_of(nb, cell).input_value() == "Hallo Welt"
    assert nb.output(cell, ".nba-transcript-loop").get_attribute("aria-pressed") == "true"
    nb.page.wait_for_function("(root) => root.dataset.playing === 'true'", arg=root,
                              timeout=10_000)
    nb.page.wait_for_timeout(1500)
    assert root_data(nb, cell, "playing") == "true"
    assert region["start"] - 0.05 <= float(root_data(nb, cell, "playhead")) <= (
        region["end"] + 0.05)
    # Typed letters are text: "l" does not toggle looping, digits do not relabel.
    nb.page.keyboard.press("End")
    nb.page.keyboard.type(" l2")
    assert nb.output(cell, ".nba-audio-loop input").is_checked()
    nb.page.keyboard.press("Escape")  # cancels: the text stays, playback stops
    nb.page.wait_for_function("(root) => root.dataset.playing === 'false'", arg=root)
    assert nb.kernel_json("[r.get('text') for r in w.regions]") == ["Hallo Welt"]
    assert nb.kernel_json("w.regions[0]['label']") == "speech"

    # Undo the transcription: the region is back without text.
    nb.page.mouse.move(*time_to_page(nb, cell, 4.5))
    nb.page.keyboard.press("Control+z")
    assert nb.wait_kernel("len(w.regions) == 1 and 'text' not in w.regions[0]")
