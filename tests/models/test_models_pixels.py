"""PixelClassifier on generated images with known regions (textured shapes), from scribbles."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from nbannotate.formats.rle import mask_to_rle, rle_to_mask
from nbannotate.models import PixelClassifier, item_uncertainty
from nbannotate.models._synthetic import make_texture_image
from nbannotate.records import validate_mask

NAMES = ["background", "disc", "box"]


def strokes(truth: np.ndarray, pixels: int, seed: int = 0, length: int = 15) -> np.ndarray:
    """Short horizontal strokes, each inside one region, painting about ``pixels`` pixels."""
    rng = np.random.default_rng(seed)
    scribbles = np.full(truth.shape, -1)
    painted = 0
    while painted < pixels:
        r = int(rng.integers(truth.shape[0]))
        c = int(rng.integers(truth.shape[1] - length))
        segment = truth[r, c:c + length]
        if (segment == segment[0]).all():
            scribbles[r, c:c + length] = segment
            painted += length
    return scribbles


@pytest.fixture(scope="module")
def scene() -> tuple[np.ndarray, np.ndarray]:
    return make_texture_image(seed=3, size=(144, 192), contrast=0.6)


def test_accuracy_from_a_few_percent_painted_and_uncertainty_at_boundaries(scene) -> None:
    image, truth = scene
    scribbles = strokes(truth, int(0.02 * truth.size))
    model = PixelClassifier(labels=NAMES).fit(image, scribbles)
    labels, uncertainty = model.predict(image)
    assert labels.shape == truth.shape and labels.dtype.kind == "i"
    assert uncertainty.shape == truth.shape
    assert np.all((uncertainty >= 0) & (uncertainty <= 1))
    assert (labels == truth).mean() > 0.9
    edges = ndimage.morphological_gradient(truth, size=3) > 0
    band = ndimage.binary_dilation(edges, iterations=2)
    interior = ~ndimage.binary_dilation(edges, iterations=10)
    assert uncertainty[band].mean() > 2 * uncertainty[interior].mean()


def test_mask_records_as_scribbles_give_the_same_model(scene) -> None:
    image, truth = scene
    scribbles = strokes(truth, 600, seed=1)
    records = [{"label": name, "mask": mask_to_rle(scribbles == k)}
               for k, name in enumerate(NAMES)]
    from_array = PixelClassifier(labels=NAMES).fit(image, scribbles).predict(image)[0]
    from_records = PixelClassifier().fit(image, records)
    assert from_records.labels_ == sorted(NAMES)
    relabelled = np.array([sorted(NAMES).index(n) for n in NAMES])[from_array]
    assert (from_records.predict(image)[0] == relabelled).mean() > 0.99


def test_predict_masks_gives_valid_records_that_partition_the_image(scene) -> None:
    image, truth = scene
    scribbles = strokes(truth, 800, seed=2)
    height, width = truth.shape
    model = PixelClassifier(labels=NAMES).fit(image, scribbles)
    every = model.predict_masks(image)
    assert sorted(r["label"] for r in every) == sorted(NAMES)
    cover = np.zeros(truth.shape, dtype=int)
    for record in every:
        assert validate_mask(record, image_size=(width, height), labels=NAMES) == record
        assert record["source"] == "model" and 0 < record["score"] <= 1
        cover += rle_to_mask(record["mask"])
    assert np.all(cover == 1)
    model.set_params(background="background")
    assert sorted(r["label"] for r in model.predict_masks(image)) == ["box", "disc"]


def test_protocol_fit_and_predict_over_several_images() -> None:
    scenes = [make_texture_image(seed=s, size=(96, 128)) for s in (4, 5, 6)]
    annotations = [[{"label": name, "mask": mask_to_rle(strokes(truth, 300, seed=s) == k)}
                    for k, name in enumerate(NAMES)] for s, (_, truth) in enumerate(scenes)]
    images = [image for image, _ in scenes]
    model = PixelClassifier(background="background").fit(images[:2], annotations[:2])
    predicted = model.predict(images[2:])
    assert len(predicted) == 1 and {r["label"] for r in predicted[0]} == {"box", "disc"}
    truth = scenes[2][1]
    disc = next(rle_to_mask(r["mask"]) for r in predicted[0] if r["label"] == "disc")
    assert (disc == (truth == 1)).mean() > 0.9
    scores = item_uncertainty(model, images)
    assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))


def test_large_images_use_a_reduced_grid_and_features_follow_the_image(scene) -> None:
    image, truth = scene
    scribbles = strokes(truth, 800, seed=3)
    model = PixelClassifier(labels=NAMES, max_pixels=5000).fit(image, scribbles)
    labels, uncertainty = model.predict(image)
    assert labels.shape == truth.shape and uncertainty.shape == truth.shape
    assert (labels == truth).mean() > 0.8
    coarse = PixelClassifier(labels=NAMES, predict_factor=3).fit(image, scribbles)
    assert (coarse.predict(image)[0] == truth).mean() > 0.85
    # features are cached by content: an image changed in place is seen afresh
    copy = image.copy()
    before = model.predict(copy)[0]
    copy[:] = copy[:, ::-1]
    assert (model.predict(copy)[0] != before).mean() > 0.1


def test_scribble_errors(scene) -> None:
    image, truth = scene
    with pytest.raises(ValueError, match=r"scribbles has shape \(10, 10\)"):
        PixelClassifier().fit(image, np.zeros((10, 10), dtype=int))
    with pytest.raises(ValueError, match="no painted pixel"):
        PixelClassifier().fit(image, np.full(truth.shape, -1))
    with pytest.raises(ValueError, match="must hold integers"):
        PixelClassifier().fit(image, np.full(truth.shape, 0.5))
    with pytest.raises(ValueError, match="label index 2 but labels has 2 names"):
        PixelClassifier(labels=["a", "b"]).fit(image, np.full(truth.shape, 2))
    wrong = {"label": "a", "mask": {"size": [3, 3], "counts": [9]}}
    with pytest.raises(ValueError, match=r"annotations\[0\]\[0\]: mask size \[3, 3\]"):
        PixelClassifier().fit(image, [wrong])
    single = PixelClassifier().fit(image, np.where(truth == 1, 0, -1))
    labels, uncertainty = single.predict(image)
    assert labels.max() == 0 and uncertainty.max() == 0
