"""ClassLabeler without a browser: each item kind as the state the browser draws, keys and
buttons as the front end's action messages through ipywidgets' real comm handling, multi-label
toggles, and validation."""

from __future__ import annotations

import io
import wave

import numpy as np
import pandas as pd
import pytest

from nbannotate import ClassLabeler
from nbannotate.classify.item_view import display_size, wav_bytes, waveform_columns
from nbannotate.media.images import png_bytes

XSS = "<img src=x onerror=alert(1)>"


def key(name: str, **extra) -> dict:
    """A keydown event as a dict, as `ClassLabeler.handle_key` takes it."""
    event = {"event": "keydown", "type": "keydown", "key": name, "code": "", "repeat": False,
             "altKey": False, "ctrlKey": False, "metaKey": False, "shiftKey": False,
             "location": 0, "timeStamp": 1.0, "target": {"tagName": "DIV", "id": "",
                                                         "className": "lm-Widget"}}
    event.update(extra)
    return event


def act(comm, w: ClassLabeler, action: str, **extra) -> None:
    """An action as the labeler's front end sends it (a key press or a click)."""
    comm.from_browser({"type": "action", "action": action, "item": w.item_token, **extra})


def press(comm, w: ClassLabeler, name: str) -> None:
    """A key press as js/classify/keys.ts maps it (pure mapping tested in vitest)."""
    mapping = {"Enter": ("submit", {}), "s": ("skip", {}), "S": ("skip", {}),
               "Backspace": ("undo", {})}
    keys = [c["key"] for c in w.choices]
    if name in mapping:
        action, extra = mapping[name]
        act(comm, w, action, **extra)
    elif name in keys:
        act(comm, w, "choose", index=keys.index(name))


def recorded(w: ClassLabeler) -> dict[str, list]:
    seen: dict[str, list] = {"submit": [], "skip": [], "undo": []}
    w.on_submit(seen["submit"].append)
    w.on_skip(lambda: seen["skip"].append(True))
    w.on_undo(lambda: seen["undo"].append(True))
    return seen


# -- item kinds ---------------------------------------------------------------------------------
def test_tiny_image_array_is_a_binary_png_scaled_up_pixelated():
    w = ClassLabeler(np.linspace(0, 1, 64).reshape(8, 8), labels=["0", "1"])
    assert w.view["kind"] == "image"
    assert bytes(w.media)[:8] == b"\x89PNG\r\n\x1a\n"  # a binary buffer, not base64
    assert w.view["mime"] == "image/png"
    assert (w.view["shown_w"], w.view["shown_h"]) == (192, 192)
    assert w.view["pixelated"] is True
    assert "image 8×8" in repr(w)


def test_media_crosses_as_a_binary_buffer(comm_recorder):
    w = ClassLabeler("x", labels=["a"])
    comm = comm_recorder(w)
    w.show(np.zeros((8, 8)))
    update = [m for m in comm.sent if m["data"].get("method") == "update"]
    assert update and update[-1]["buffers"]
    assert bytes(update[-1]["buffers"][0])[:4] == b"\x89PNG"
    assert "media" in update[-1]["data"]["buffer_paths"][0]


def test_large_image_is_fitted_and_not_pixelated():
    w = ClassLabeler(np.zeros((600, 1200, 3), dtype=np.uint8), labels=["a"])
    assert (w.view["shown_w"], w.view["shown_h"]) == (480, 240)
    assert w.view["pixelated"] is False
    assert display_size(200, 100) == (200, 100, False)


def test_image_from_bytes_and_from_path(tmp_path):
    data = png_bytes(np.full((10, 20, 3), 200, dtype=np.uint8))
    w = ClassLabeler(data, labels=["a"])
    assert bytes(w.media) == data  # sent as it is, not re-encoded
    path = tmp_path / "cat.png"
    path.write_bytes(data)
    for item in (path, str(path)):
        w.show(item)
        assert bytes(w.media) == data
    with pytest.raises(FileNotFoundError, match="no image file"):
        w.show(tmp_path / "missing.png")


def test_pil_image_is_shown():
    from PIL import Image

    w = ClassLabeler(Image.new("RGB", (30, 10), (255, 0, 0)), labels=["a"])
    assert bytes(w.media)[:4] == b"\x89PNG"


def test_text_is_escaped_never_parsed_as_html():
    text = f"Anna said {XSS} & left\nsecond line"
    w = ClassLabeler(text, labels=["pos", "neg"])
    # The browser shows it with textContent: sent as the text itself, never as markup.
    assert w.view == {"kind": "text", "text": text, "more": 0}
    assert w.media == b""


def test_audio_clip_is_wav_bytes_with_a_waveform():
    rate = 8000
    t = np.arange(rate // 2) / rate
    clip = 0.5 * np.sin(2 * np.pi * 440 * t)
    w = ClassLabeler((clip, rate), labels=["speech", "music"])
    assert w.view["kind"] == "audio" and w.view["mime"] == "audio/wav"
    with wave.open(io.BytesIO(bytes(w.media))) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (rate, 1, 2)
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    assert frames.size == clip.size
    assert abs(int(frames.max()) - round(0.5 * 32767)) <= 1
    assert len(w.view["low"]) == len(w.view["high"]) == 400  # waveform drawn in the browser
    assert max(w.view["high"]) == pytest.approx(0.5, abs=0.01)
    assert "audio 0.50 s at 8000 Hz" in repr(w)


def test_audio_stereo_int16_and_wav_path(tmp_path):
    stereo = (np.random.default_rng(0).integers(-2000, 2000, (1000, 2))).astype(np.int16)
    data = wav_bytes(stereo, 16000)
    with wave.open(io.BytesIO(data)) as wav:
        assert wav.getnchannels() == 2
        assert np.array_equal(np.frombuffer(wav.readframes(1000), "<i2").reshape(-1, 2), stereo)
    path = tmp_path / "clip.wav"
    path.write_bytes(data)
    w = ClassLabeler(path, labels=["a"])
    assert bytes(w.media) == data
    lo, hi = waveform_columns(np.array([0, 32767, -32767, 0], dtype=np.int16), 2)
    assert lo.tolist() == [0.0, -1.0] and hi.tolist() == [1.0, 0.0]


def test_dataframe_row_series_and_dict_are_escaped_tables():
    frame = pd.DataFrame({"name": [XSS, "Bo"], "age": [41, 7], "score": [0.123456789, 1.0]})
    for item in (frame.iloc[0], frame.iloc[[0]], {"name": XSS, "age": 41}):
        w = ClassLabeler(item, labels=["keep", "drop"])
        assert w.view["kind"] == "row"
        cells = dict(w.view["cells"])
        assert cells["name"] == XSS  # text, shown with textContent
        assert cells["age"] == "41"
    assert dict(ClassLabeler(frame.iloc[0], labels=["a"]).view["cells"])["score"] == "0.123457"


@pytest.mark.parametrize(("item", "error", "match"), [
    (np.zeros(5), TypeError, "1-D array"),
    (pd.DataFrame({"a": [1, 2]}), ValueError, "2 rows"),
    (object(), TypeError, "must be an image"),
    (np.full((4, 4), 1j), ValueError, "real numbers"),
    (b"not an image", ValueError, "not a PNG"),
    ("notes.txt.docx.png", FileNotFoundError, "no image file"),
    ((np.zeros(10), 0), ValueError, "sample rate"),
    ((np.array([np.nan, 0.0]), 8000), ValueError, "NaN"),
    (np.zeros((2, 2, 2, 2)), ValueError, "shape"),
])
def test_bad_items_raise_clear_errors(item, error, match):
    with pytest.raises(error, match=match):
        ClassLabeler(item, labels=["a"])


def test_bad_show_keeps_the_previous_item():
    w = ClassLabeler("first", labels=["a"])
    with pytest.raises(TypeError):
        w.show(np.zeros(3))
    assert w.item == "first"


# -- labels and arguments -----------------------------------------------------------------------
@pytest.mark.parametrize(("labels", "error", "match"), [
    ([], ValueError, "empty"),
    (["cat", "cat"], ValueError, "more than once"),
    ([1, "1"], ValueError, "more than once"),
    ([True, False], TypeError, "str or int"),
    ("cat", TypeError, "list of class labels"),
    (["cat", ""], ValueError, "empty label"),
    ([1.5], TypeError, "str or int"),
])
def test_label_validation(labels, error, match):
    with pytest.raises(error, match=match):
        ClassLabeler("x", labels=labels)


def test_unknown_keyword_and_bad_arguments_are_type_errors():
    with pytest.raises(TypeError, match="colour"):
        ClassLabeler("x", labels=["a"], colour="red")
    with pytest.raises(TypeError, match="multi"):
        ClassLabeler("x", labels=["a"], multi="yes")
    with pytest.raises(TypeError, match="note"):
        ClassLabeler("x", labels=["a"], note=3)


def test_unknown_value_and_label_are_value_errors():
    w = ClassLabeler("x", labels=["cat", "dog"])
    with pytest.raises(ValueError, match=r"'bird' is not one of the labels \['cat', 'dog'\]"):
        w.value = "bird"
    with pytest.raises(ValueError, match="bird"):
        w.submit("bird")
    with pytest.raises(ValueError, match="bird"):
        ClassLabeler("x", labels=["cat"], value="bird")


def test_buttons_show_label_names_as_text_with_their_keys():
    w = ClassLabeler("x", labels=["cat", XSS])
    assert [c["text"] for c in w.choices] == ["1 · cat", f"2 · {XSS}"]
    digits = ClassLabeler("x", labels=range(10))
    assert [c["text"] for c in digits.choices] == [str(i) for i in range(10)]
    assert digits.labels == list(range(10))


# -- keys and buttons (the front end's action messages, through the widget's comm) ------------
def test_number_keys_submit_enter_accepts_preselection_s_skips_backspace_undoes(comm_recorder):
    w = ClassLabeler("a text", labels=["cat", "dog"], value="dog")
    seen = recorded(w)
    comm = comm_recorder(w)
    press(comm, w, "Enter")
    press(comm, w, "1")
    press(comm, w, "s")
    press(comm, w, "S")
    press(comm, w, "Backspace")
    assert seen == {"submit": ["dog", "cat"], "skip": [True, True], "undo": [True]}


def test_digit_labels_use_their_own_keys(comm_recorder):
    w = ClassLabeler(np.zeros((8, 8)), labels=range(10))
    seen = recorded(w)
    comm = comm_recorder(w)
    press(comm, w, "7")
    press(comm, w, "0")
    assert seen["submit"] == [7, 0]


def test_ignored_keys_repeats_modifiers_other_events_and_stale_items(comm_recorder):
    w = ClassLabeler("x", labels=["a", "b"])
    seen = recorded(w)
    comm = comm_recorder(w)
    # handle_key (for containers that forward keys) ignores what the front end ignores
    w.handle_key(key("1", repeat=True))
    w.handle_key(key("1", ctrlKey=True))
    w.handle_key(key("1", event="keyup"))
    w.handle_key(key("x"))
    w.handle_key(key("9"))
    w.handle_key(key("1", target={"className": "lm-Widget nba-classify nba-item-0"}))
    assert seen["submit"] == []
    assert "previous item" in w.message
    # the front end's action carries the token of the item on screen: a stale one is ignored
    comm.from_browser({"type": "action", "action": "choose", "index": 0, "item": 0})
    comm.from_browser({"type": "action", "action": "choose", "index": 7,
                       "item": w.item_token})
    comm.from_browser({"type": "action", "action": "fly", "item": w.item_token})
    assert seen["submit"] == []
    act(comm, w, "choose", index=1)
    w.handle_key(key("2", target={"className": f"lm-Widget nba-item-{w.item_token}"}))
    assert seen["submit"] == ["b", "b"]


def test_each_shown_item_gets_a_new_token():
    w = ClassLabeler("x", labels=["a"])
    first = w.item_token
    w.show("y")
    second = w.item_token
    assert first > 0 and second > first
    assert w.items_shown == 2


def test_enter_without_a_choice_shows_a_message_instead_of_submitting(comm_recorder):
    w = ClassLabeler("x", labels=["cat", "dog"])
    seen = recorded(w)
    press(comm_recorder(w), w, "Enter")
    assert seen["submit"] == []
    assert w.message == "choose a label first (keys 1–2)"
    with pytest.raises(ValueError, match="choose a label first"):
        w.submit()


def test_buttons_click_like_keys(comm_recorder):
    w = ClassLabeler("x", labels=["cat", "dog"], value="cat")
    seen = recorded(w)
    comm = comm_recorder(w)
    act(comm, w, "choose", index=1)  # a click on the label button
    act(comm, w, "submit")
    act(comm, w, "skip")
    act(comm, w, "undo")
    assert seen == {"submit": ["dog", "dog"], "skip": [True], "undo": [True]}


def test_preselected_value_is_highlighted():
    w = ClassLabeler("x", labels=["cat", "dog"], value="dog")
    assert w.chosen == [1]
    w.show("y")
    assert w.value is None and w.chosen == []


def test_multi_label_toggles_and_enter_submits_the_set(comm_recorder):
    w = ClassLabeler("a cat and a dog", labels=["cat", "dog", "bird"], multi=True)
    seen = recorded(w)
    comm = comm_recorder(w)
    assert w.toggles is True
    press(comm, w, "3")
    press(comm, w, "1")
    press(comm, w, "3")
    assert w.value == ["cat"]
    act(comm, w, "choose", index=1)  # a click on the "dog" button
    assert w.value == ["cat", "dog"]
    assert w.chosen == [0, 1]
    press(comm, w, "Enter")
    assert seen["submit"] == [["cat", "dog"]]
    w.show("nothing here")
    press(comm, w, "Enter")  # an empty set is an answer: none of these
    assert seen["submit"][-1] == []
    with pytest.raises(TypeError, match="list of labels"):
        w.value = "cat"


def test_callback_errors_are_shown_inline_from_the_ui(comm_recorder):
    w = ClassLabeler("x", labels=["a"])

    def fail(value):
        raise OSError("disk full")

    w.on_submit(fail)
    press(comm_recorder(w), w, "1")
    assert w.message == "disk full"
    with pytest.raises(OSError, match="disk full"):
        w.submit("a")  # called from Python, the error is raised


def test_clear_shows_a_message_and_turns_labels_off(comm_recorder):
    w = ClassLabeler("x", labels=["a"])
    seen = recorded(w)
    w.clear(f"All done {XSS}")
    assert w.item is None and w.enabled is False
    assert w.view == {"kind": "done", "text": f"All done {XSS}"}  # shown as text
    comm = comm_recorder(w)
    act(comm, w, "choose", index=0)
    act(comm, w, "skip")
    assert seen["submit"] == [] and seen["skip"] == []
    with pytest.raises(RuntimeError, match="no item"):
        w.submit("a")


def test_note_is_text_and_callbacks_can_be_removed():
    w = ClassLabeler("x", labels=["a"], note="p<0.5 & why")
    assert w.note_text == "p<0.5 & why"  # shown as text
    seen = []
    w.on_submit(seen.append)
    w.on_submit(seen.append, remove=True)
    w.submit("a")
    assert seen == []
    with pytest.raises(TypeError, match="callable"):
        w.on_submit("not a function")


def test_next_item_is_one_state_update_of_the_same_widget(comm_recorder):
    w = ClassLabeler(np.zeros((8, 8)), labels=["a"])
    comm = comm_recorder(w)
    w.show(np.ones((300, 200)))
    assert len(comm.state_updates()) == 1  # one message per item (held sync)
    assert (w.view["shown_w"], w.view["shown_h"]) == (200, 300)
    assert w.view["pixelated"] is False
    w.show(np.ones((4, 4)))
    assert w.view["pixelated"] is True
    w.clear("done")
    w.show(np.zeros((8, 8)))
    assert w.view["kind"] == "image"
    w.show("now a text")  # another kind: no media sent
    assert w.view["kind"] == "text" and w.media == b""
    audio = ClassLabeler((np.zeros(100), 8000), labels=["a"])
    audio.show((np.ones(50) * 0.5, 4000))
    with wave.open(io.BytesIO(bytes(audio.media))) as wav:
        assert wav.getframerate() == 4000


def test_truncated_image_bytes_fail_when_shown():
    with pytest.raises(ValueError, match="PNG"):
        ClassLabeler(b"\x89PNG\r\n\x1a\n" + bytes(4), labels=["a"])


def test_default_features_report_progress_by_chunks():
    from nbannotate.session._featurize import CHUNK, default_features

    calls = []
    images = [np.zeros((8, 8))] * (CHUNK + 10)
    features = default_features(images, kind="image",
                                progress=lambda done, total: calls.append((done, total)))
    assert features.shape[0] == CHUNK + 10
    assert calls == [(CHUNK, CHUNK + 10), (CHUNK + 10, CHUNK + 10)]


def test_scientific_images_show_in_the_labeler(tmp_path):
    """Raw digits (floats 0..16), 12-bit uint16, NaN and a 16-bit TIFF file all show."""
    import io as _io

    from PIL import Image as _Image
    from sklearn.datasets import load_digits

    digits = load_digits().images
    twelve_bit = (np.arange(64 * 64) % 4096).reshape(64, 64).astype(np.uint16)
    with_nan = np.where(np.eye(8, dtype=bool), np.nan, np.linspace(-5, 5, 64).reshape(8, 8))
    tiff = tmp_path / "frame.tif"
    _Image.fromarray(twelve_bit).save(tiff)
    for item in (digits[0], twelve_bit, with_nan, tiff):
        labeler = ClassLabeler(item, labels=["a", "b"])
        assert labeler.view["kind"] == "image"
        shown = np.asarray(_Image.open(_io.BytesIO(labeler.media)))
        colour = shown if shown.ndim == 2 else shown[..., :3]
        assert shown.dtype == np.uint8 and colour.max() == 255 and colour.min() == 0
