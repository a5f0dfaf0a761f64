"""Every built-in model on degenerate input: a sensible answer, or a clear error where there is
none; never a crash from deep inside scikit-learn, never a NaN feature.

The inputs are the ones users bring without thinking of them: flat images, scanned pages,
solid shapes on noise, images smaller than a detector window or of one pixel, 12-bit and
signed float images, NaN holes, RGBA and many channels; silence and 10 ms clips; empty,
blank and one-token documents; one labelled item, one class only, boxes without area.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nbannotate.models import (
    FrameTagger,
    KeypointLocator,
    PixelClassifier,
    SpanTagger,
    WindowDetector,
)
from nbannotate.models._hog import cell_features
from nbannotate.models._inputs import as_image, standard_gray
from nbannotate.models._pixel_features import pixel_features
from nbannotate.models._synthetic import (
    make_entity_documents,
    make_keypoint_images,
    make_shape_scenes,
    make_tone_clips,
)
from nbannotate.records import validate_record

RATE = 16_000


# ----------------------------------------------------------------------------- inputs
def scanned_page(seed: int = 0, size: tuple[int, int] = (200, 160)) -> np.ndarray:
    """A white page with thin dark strokes in lines, like printed text (uint8)."""
    rng = np.random.default_rng(seed)
    page = np.full(size, 255, np.uint8)
    for row in range(20, size[0] - 10, 14):
        x = 10
        while x < size[1] - 20:
            w = int(rng.integers(4, 14))
            page[row:row + 2, x:x + w] = 20           # the baseline of a word
            page[row - 6:row + 2, x:x + 1] = 20       # an upright stroke
            x += w + int(rng.integers(3, 6))
    return page


def shapes_on_noise(seed: int, n: int = 6, size: tuple[int, int] = (120, 160),
                    ) -> tuple[list[np.ndarray], list[list[dict[str, Any]]]]:
    """Solid (flat) squares, one bright and one dark per image, over a noisy background.

    Flat cells next to noisy ones are what made HOG's block energy round below zero.
    """
    rng = np.random.default_rng(seed)
    images, boxes = [], []
    for _ in range(n):
        image = rng.normal(0.5, 0.05, size)
        records = []
        for k, label in enumerate(("bright", "dark")):
            y, x = int(rng.integers(0, size[0] - 24)), int(rng.integers(0, size[1] - 24))
            image[y:y + 24, x:x + 24] = 1.0 - k
            records.append({"x": float(x), "y": float(y), "w": 24.0, "h": 24.0, "label": label})
        images.append(np.clip(image, 0.0, 1.0))
        boxes.append(records)
    return images, boxes


_rng = np.random.default_rng(7)
IMAGES: dict[str, np.ndarray] = {
    "constant uint8": np.full((64, 64, 3), 128, np.uint8),
    "constant float": np.full((48, 40), 3.25),
    "scanned page": scanned_page(),
    "shapes on noise": shapes_on_noise(1, n=1)[0][0],
    "smaller than a window": _rng.random((10, 10)),
    "1x1": np.array([[0.5]]),
    "1xN": _rng.random((1, 30)),
    "uint16 12-bit": (_rng.random((64, 64)) * 4095).astype(np.uint16),
    "float -1..1": _rng.random((64, 64)) * 2 - 1,
    "float 0..16": _rng.random((8, 8)) * 16,
    "float 1e9": _rng.random((32, 32)) * 1e9,
    "NaN and inf": np.where(_rng.random((64, 64)) < 0.1, np.nan,
                            np.where(_rng.random((64, 64)) < 0.05, np.inf, _rng.random((64, 64)))),
    "all NaN": np.full((16, 16), np.nan),
    "bool": _rng.random((32, 32)) > 0.5,
    "int16 signed": (_rng.standard_normal((32, 32)) * 1000).astype(np.int16),
    "RGBA": _rng.random((64, 64, 4)),
    "6 channels": _rng.random((64, 64, 6)).astype(np.float32),
}
#: Inputs with nothing on them that a detector could outline.
FEATURELESS = {"constant uint8", "constant float", "smaller than a window", "1x1", "1xN",
               "all NaN"}


def check_records(records: list[dict[str, Any]], uncertainty: float) -> None:
    for record in records:
        validate_record(record)
        assert 0.0 <= record["score"] <= 1.0
    assert np.isfinite(uncertainty) and 0.0 <= uncertainty <= 1.0


# ----------------------------------------------------------------------------- fitted models
@pytest.fixture(scope="module")
def detector() -> WindowDetector:
    images, boxes = make_shape_scenes(6, seed=0)
    return WindowDetector().fit(images, boxes)


@pytest.fixture(scope="module")
def locator() -> KeypointLocator:
    images, points = make_keypoint_images(4, seed=0)
    return KeypointLocator().fit(images, points)


@pytest.fixture(scope="module")
def tagger() -> FrameTagger:
    clips, regions = make_tone_clips(3, duration=3.0, seed=0)
    return FrameTagger().fit(clips, regions)


@pytest.fixture(scope="module")
def spans() -> SpanTagger:
    docs, records = make_entity_documents(20, seed=0)
    return SpanTagger().fit(docs, records)


# ----------------------------------------------------------------------------- images
@pytest.mark.parametrize("name", list(IMAGES))
def test_features_of_every_image_are_finite(name: str) -> None:
    image = as_image(IMAGES[name], 0, all_channels=True)
    assert image.dtype == np.float32 and np.isfinite(image).all()
    assert image.shape[:2] == IMAGES[name].shape[:2]
    assert np.isfinite(pixel_features(image)).all()
    assert np.isfinite(cell_features(standard_gray(as_image(IMAGES[name], 0)), 4)).all()


@pytest.mark.parametrize("name", list(IMAGES))
def test_window_detector_on(name: str, detector: WindowDetector) -> None:
    image = IMAGES[name]
    (records,), (uncertainty,) = detector.suggest([image])
    check_records(records, uncertainty)
    height, width = image.shape[:2]
    for box in records:
        assert box["x"] >= 0 and box["x"] + box["w"] <= width + 1e-6
        assert box["y"] >= 0 and box["y"] + box["h"] <= height + 1e-6
    if name in FEATURELESS:
        assert records == [] and uncertainty == 0.0  # nothing there, and sure of it
    label, score = detector.classify_boxes(image, [(0, 0, 1, 1)])[0]
    assert label in detector.labels_ and 0.0 <= score <= 1.0


@pytest.mark.parametrize("name", list(IMAGES))
def test_keypoint_locator_on(name: str, locator: KeypointLocator) -> None:
    image = IMAGES[name]
    (records,), (uncertainty,) = locator.suggest([image])
    check_records(records, uncertainty)
    assert sorted(p["label"] for p in records) == sorted(locator.labels_)
    height, width = image.shape[:2]
    assert all(0 <= p["x"] <= width and 0 <= p["y"] <= height for p in records)


@pytest.mark.parametrize("name", list(IMAGES))
def test_pixel_classifier_on(name: str) -> None:
    """Two painted pixels (first and last) of two labels; every pixel gets a label."""
    image = IMAGES[name]
    scribbles = np.full(image.shape[:2], -1)
    scribbles.flat[0] = 0
    scribbles.flat[-1] = 1 if scribbles.size > 1 else 0
    model = PixelClassifier(labels=["a", "b"]).fit(image, scribbles)
    labels, uncertainty = model.predict(image)
    assert labels.shape == image.shape[:2] and set(np.unique(labels)) <= {0, 1}
    assert np.isfinite(uncertainty).all() and (uncertainty >= 0).all() and (uncertainty <= 1).all()
    proba = model.predict_proba(image)
    np.testing.assert_allclose(proba.sum(axis=2), 1.0, atol=1e-5)
    for record in model.predict_masks(image):
        validate_record(record)


def test_a_constant_image_gives_no_box() -> None:
    """A flat window has no outline: the bias of the detector's template alone never finds a
    box there (it once found nine on a grey square)."""
    images, boxes = make_shape_scenes(4, seed=2)
    detector = WindowDetector().fit(images, boxes)
    for value in (0, 128, 255):
        assert detector.predict([np.full((96, 96, 3), value, np.uint8)]) == [[]]
    assert detector.predict(images[:1])[0]  # and a scene still has its shapes


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_solid_shapes_on_noise_train_and_are_found(seed: int) -> None:
    """The HOG block energy of flat cells beside noisy ones rounded below zero and its square
    root was NaN: ``fit`` raised scikit-learn's "Input X contains NaN" (seed 1)."""
    images, boxes = shapes_on_noise(seed)
    detector = WindowDetector().fit(images, boxes)
    found = detector.predict(images[:2])
    for image_found, truth in zip(found, boxes[:2], strict=True):
        labels = {b["label"] for b in image_found if b["score"] >= 0.5}
        assert labels == {"bright", "dark"}, (image_found, truth)


def test_a_scanned_page_trains_a_detector_of_its_words() -> None:
    page = scanned_page(seed=1)
    words = [{"x": 8.0, "y": 12.0, "w": 40.0, "h": 12.0, "label": "line start"}]
    detector = WindowDetector().fit([page, scanned_page(seed=2)], [words, []])
    (records,), (uncertainty,) = detector.suggest([page])
    check_records(records, uncertainty)


def test_images_smaller_than_a_window_are_background_for_the_detector() -> None:
    images, boxes = make_shape_scenes(3, seed=4)
    tiny = [np.zeros((6, 6)), np.ones((1, 1))]
    detector = WindowDetector().fit([*tiny, *images], [[], [], *boxes])
    assert detector.predict(tiny) == [[], []]
    assert detector.predict(images[:1])[0]


def test_uint16_and_signed_float_images_are_scaled_by_the_documented_rule() -> None:
    values = np.array([[0, 1000], [4095, 65535]], dtype=np.uint16)
    np.testing.assert_allclose(as_image(values, 0, color=False), values / 65535.0, rtol=1e-6)
    signed = np.array([[-1.0, -0.5], [0.25, 1.0]])
    np.testing.assert_allclose(as_image(signed, 0, color=False), signed, rtol=1e-6)
    holes = np.array([[np.nan, 2.0], [-np.inf, np.inf]])
    np.testing.assert_allclose(as_image(holes, 0, color=False), [[2.0, 2.0], [2.0, 2.0]])


def test_a_pixel_classifier_separates_two_intensities_of_a_12_bit_image() -> None:
    """A uint16 microscopy-like image holding 12-bit values (0..4095), two regions of close
    intensity that a display mapped to 8 bits by the dtype range would make one black."""
    rng = np.random.default_rng(0)
    truth = np.zeros((80, 100), dtype=int)
    truth[:, 50:] = 1
    truth[20:60, 20:40] = 1
    image = np.where(truth == 1, 1400.0, 1100.0) + rng.normal(0, 60, truth.shape)
    image = np.clip(image, 0, 4095).astype(np.uint16)
    assert int(image.max()) < 4096 and (image.astype(np.float64) / 65535 * 255).max() < 7
    scribbles = np.full(truth.shape, -1)
    scribbles[::11, ::11] = truth[::11, ::11]
    model = PixelClassifier(labels=["dim", "bright"]).fit(image, scribbles)
    labels, _ = model.predict(image)
    assert (labels == truth).mean() > 0.95


def test_a_pixel_classifier_on_a_signed_float_image_and_its_channels() -> None:
    rng = np.random.default_rng(1)
    truth = np.zeros((60, 60), dtype=int)
    truth[15:45, 15:45] = 1
    signed = np.where(truth == 1, 0.4, -0.4) + rng.normal(0, 0.1, truth.shape)
    scribbles = np.full(truth.shape, -1)
    scribbles[::7, ::7] = truth[::7, ::7]
    model = PixelClassifier().fit(signed, scribbles)
    assert (model.predict(signed)[0] == truth).mean() > 0.95
    # six channels, the information in the fifth only: all channels are used
    stack = rng.random((60, 60, 6)).astype(np.float32) * 0.1
    stack[:, :, 4] += truth
    model = PixelClassifier().fit(stack, scribbles)
    assert (model.predict(stack)[0] == truth).mean() > 0.95
    with pytest.raises(ValueError, match=r"items\[0\] has 3 channels but the model was fitted "
                                         r"on images of 6"):
        model.predict(stack[:, :, :3])


def test_image_files_keep_their_values_and_orientation(tmp_path) -> None:
    """A 16-bit PNG and a float TIFF reach the models with their own values (Pillow's RGB
    conversion would clip them to 8 bits), and EXIF orientation turns a photo upright."""
    from PIL import Image

    deep = (np.arange(48, dtype=np.uint16).reshape(6, 8) * 85)  # 0..3995, 12-bit
    Image.fromarray(deep).save(tmp_path / "deep.png")
    np.testing.assert_allclose(as_image(tmp_path / "deep.png", 0, color=False),
                               as_image(deep, 0, color=False))
    assert as_image((tmp_path / "deep.png").read_bytes(), 0).max() > 0.06
    signed = np.linspace(-1, 1, 48, dtype=np.float32).reshape(6, 8)
    Image.fromarray(signed).save(tmp_path / "signed.tiff")
    np.testing.assert_allclose(as_image(str(tmp_path / "signed.tiff"), 0, color=False), signed)
    photo = np.zeros((6, 8, 3), np.uint8)
    photo[0, :, 0] = 255  # a red top row
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    Image.fromarray(photo).save(tmp_path / "photo.png", exif=exif)
    upright = as_image(tmp_path / "photo.png", 0)
    assert upright.shape == (8, 6, 3) and upright[:, -1, 0].min() == 1.0  # now the right column
    rgba_palette = Image.fromarray(photo).convert("P")
    assert as_image(rgba_palette, 0).shape == (6, 8, 3)


def test_image_errors_name_the_item() -> None:
    detector = WindowDetector()
    with pytest.raises(ValueError, match=r"items\[0\] must have at least one pixel"):
        detector.fit([np.zeros((0, 4))], [[]])
    with pytest.raises(ValueError, match=r"items\[0\] has shape \(4, 4, 2\).*two channels"):
        PixelClassifier().fit(np.zeros((4, 4, 2)), np.zeros((4, 4), int))
    with pytest.raises(TypeError, match=r"items\[0\] must hold numbers"):
        PixelClassifier().fit(np.full((4, 4), "x"), np.zeros((4, 4), int))
    with pytest.raises(ValueError, match=r"items\[1\] gives 27 features per pixel"):
        PixelClassifier().fit([np.zeros((8, 8, 6)), np.zeros((8, 8))],
                              [np.zeros((8, 8), int), np.ones((8, 8), int)])


# ----------------------------------------------------------------------------- boxes, keypoints
def test_one_labelled_box_is_enough_and_boxes_without_area_are_refused() -> None:
    images, boxes = make_shape_scenes(3, seed=5)
    one = WindowDetector().fit(images[:1], [boxes[0][:1]])
    assert one.labels_ == [boxes[0][0]["label"]]
    found = one.predict(images[:1])[0]
    assert any(b["score"] >= 0.5 for b in found)
    with pytest.raises(ValueError, match=r"annotations\[0\]\[0\].*less than 2×2 pixels"):
        WindowDetector().fit(images[:1], [[{"x": 5, "y": 5, "w": 0, "h": 0, "label": "a"}]])
    with pytest.raises(ValueError, match=r"boxes\[1\] \(x=3, y=4, w=0, h=7\) has no area"):
        one.classify_boxes(images[0], [(0, 0, 9, 9), (3, 4, 0, 7)])
    only_background = WindowDetector().fit([np.zeros((1, 1)), images[0]], [[], []])
    assert only_background.templates_ == {} and only_background.predict(images[:1]) == [[]]


def test_keypoints_from_one_point_one_label_and_a_box_without_area() -> None:
    images, points = make_keypoint_images(2, seed=3)
    one = KeypointLocator().fit(images[:1], [points[0][:1]])
    (found,), (uncertainty,) = one.suggest(images[1:])
    check_records(found, uncertainty)
    assert [p["label"] for p in found] == [points[0][0]["label"]]
    box = {"id": "b1", "x": 40.0, "y": 40.0, "w": 0.0, "h": 0.0, "label": "thing"}
    point = {"x": 40.0, "y": 40.0, "label": "corner", "box_id": "b1"}
    boxed = KeypointLocator().fit(images[:1], [[box, point]])
    found = boxed.predict(images[:1], boxes=[[box]])[0]
    assert [(p["label"], p["box_id"]) for p in found] == [("corner", "b1")]
    with pytest.raises(ValueError, match="no background point to learn from"):
        KeypointLocator().fit([np.zeros((1, 1))], [[{"x": 0.5, "y": 0.5, "label": "a"}]])
    with pytest.raises(ValueError, match="annotations hold no keypoint"):
        KeypointLocator().fit(images[:1], [[]])


def test_keypoints_on_a_flat_image_are_reported_unsure() -> None:
    flat = np.full((32, 32), 3.0)
    locator = KeypointLocator().fit([flat], [[{"x": 10.0, "y": 10.0, "label": "a"}]])
    (found,), (uncertainty,) = locator.suggest([flat])
    check_records(found, uncertainty)
    assert uncertainty > 0.9 and found[0]["score"] <= 0.6


# ----------------------------------------------------------------------------- audio
def noise(seconds: float, seed: int = 0) -> tuple[np.ndarray, int]:
    return np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 0.1, RATE


CLIPS: dict[str, tuple[np.ndarray, int]] = {
    "silence": (np.zeros(RATE), RATE),
    "10 ms": noise(0.01),
    "one sample": (np.zeros(1), RATE),
    "int16 silence": (np.zeros(RATE, dtype=np.int16), RATE),
    "stereo 10 ms": (np.zeros((160, 2), dtype=np.float32), RATE),
}


@pytest.mark.parametrize("name", list(CLIPS))
def test_frame_tagger_predicts_nothing_on(name: str, tagger: FrameTagger) -> None:
    (regions,), (uncertainty,) = tagger.suggest([CLIPS[name]])
    check_records(regions, uncertainty)
    assert regions == []
    times, proba = tagger.frame_proba(CLIPS[name])
    assert times.size >= 1 and np.isfinite(proba).all()


def test_frame_tagger_trained_on_silence_or_a_10_ms_clip() -> None:
    silence, short = CLIPS["silence"], CLIPS["10 ms"]
    background = FrameTagger().fit([silence], [[]])
    assert background.model_ is None and background.predict([silence, short]) == [[], []]
    # a region on silence: frames inside and outside look the same, nothing to tell apart
    flat = FrameTagger().fit([silence], [[{"start": 0.2, "end": 0.5, "label": "x"}]])
    (regions,), (uncertainty,) = flat.suggest([silence])
    check_records(regions, uncertainty)
    # a 10 ms clip is shorter than one 25 ms frame, whose centre (12.5 ms) lies past the
    # region: the frame is background, and the tagger predicts background
    tiny = FrameTagger().fit([short], [[{"start": 0.0, "end": 0.01, "label": "x"}]])
    assert tiny.labels_ == ["x"] and tiny.predict([short]) == [[]]


def test_frame_tagger_from_one_region_and_its_errors() -> None:
    clips, regions = make_tone_clips(1, duration=3.0, seed=1)
    one = FrameTagger().fit(clips, [regions[0][:1]])
    found = one.predict(clips)[0]
    assert [r["label"] for r in found] and {r["label"] for r in found} == {regions[0][0]["label"]}
    with pytest.raises(ValueError, match=r"annotations\[0\]\[0\]: a region needs times"):
        FrameTagger().fit(clips, [[{"start": 1.0, "end": 1.0, "label": "x"}]])
    with pytest.raises(ValueError, match=r"items\[0\] is empty"):
        one.predict([(np.zeros(0), RATE)])


# ----------------------------------------------------------------------------- text
DOCUMENTS = {"empty": "", "whitespace only": "  \n\t ", "one token": "Anna",
             "one emoji": "😀", "one character": "x"}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_span_tagger_on(name: str, spans: SpanTagger) -> None:
    text = DOCUMENTS[name]
    (found,), (uncertainty,) = spans.suggest([text])
    check_records(found, uncertainty)
    for span in found:
        assert text[span["start"]:span["end"]] == span["text"]
    if not text.strip():
        assert found == [] and uncertainty == 0.0
    tokens, proba = spans.token_proba(text)
    assert len(tokens) == proba.shape[0] and np.isfinite(proba).all()


def test_span_tagger_trained_on_degenerate_documents() -> None:
    blank = SpanTagger().fit(["", "  "], [[], []])
    assert blank.model_ is None and blank.predict(["Anna", ""]) == [[], []]
    only_o = SpanTagger().fit(["Anna sang."], [[]])
    assert only_o.labels_ == [] and only_o.predict(["Anna sang."]) == [[]]
    one = SpanTagger().fit(["Anna"], [[{"start": 0, "end": 4, "label": "PER"}]])
    assert [s["text"] for s in one.predict(["Boris"])[0]] == ["Boris"]  # one class: PER
    spaces = SpanTagger().fit(["  "], [[{"start": 0, "end": 1, "label": "PER"}]])
    assert spaces.labels_ == ["PER"] and spaces.predict(["Anna"]) == [[]]
    with pytest.raises(ValueError, match=r"annotations\[0\]\[0\]: a span needs integer offsets"):
        SpanTagger().fit(["Anna"], [[{"start": 1, "end": 1, "label": "PER"}]])
