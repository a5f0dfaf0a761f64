"""Properties of the models' building blocks on arbitrary input (hypothesis): features stay
finite whatever the image, box geometry stays in range, detections stay inside the image."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbannotate.models import WindowDetector
from nbannotate.models._boxes import iou, nms
from nbannotate.models._hog import ORIENTATIONS, cell_features, flat_windows
from nbannotate.models._inputs import as_image, standard_gray
from nbannotate.models._pixel_features import pixel_features
from nbannotate.models._synthetic import make_shape_scenes

DTYPES = [np.uint8, np.uint16, np.int16, np.int32, np.float16, np.float32, np.float64, np.bool_]


@st.composite
def any_image(draw: st.DrawFn, max_side: int = 12) -> np.ndarray:
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = (draw(st.integers(1, max_side)), draw(st.integers(1, max_side)))
    channels = draw(st.sampled_from([None, 1, 3, 4, 6]))
    if channels is not None:
        shape = (*shape, channels)
    elements = (st.floats(width=dtype.itemsize * 8, allow_nan=True, allow_infinity=True)
                if dtype.kind == "f" else None)
    return draw(hnp.arrays(dtype, shape, elements=elements))


@st.composite
def patchy_gray(draw: st.DrawFn) -> np.ndarray:
    """Gray images of flat patches (any level) beside noise: where HOG energy rounds."""
    height, width = draw(st.integers(1, 40)), draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([1e-3, 1.0, 255.0, 1e5]))
    image = rng.normal(0.5, draw(st.floats(0, 0.3)), (height, width)) * scale
    for _ in range(draw(st.integers(0, 4))):
        y, x = int(rng.integers(height)), int(rng.integers(width))
        image[y:y + int(rng.integers(1, 20)), x:x + int(rng.integers(1, 20))] = \
            float(rng.choice([0.0, 1.0, 0.5])) * scale
    return image.astype(np.float32)


@settings(max_examples=80, deadline=None)
@given(image=any_image())
def test_pixel_features_of_any_image_are_finite(image: np.ndarray) -> None:
    values = as_image(image, 0, all_channels=True)
    features = pixel_features(values)
    channels = values.shape[2]
    assert features.shape == (*image.shape[:2], channels + (channels + 3) * 4)
    assert np.isfinite(features).all()


@settings(max_examples=80, deadline=None)
@given(gray=patchy_gray(), cell=st.integers(2, 8))
def test_cell_features_are_finite_and_clipped(gray: np.ndarray, cell: int) -> None:
    cells = cell_features(standard_gray(np.repeat(gray[:, :, None], 3, axis=2)), cell)
    assert cells.shape == (gray.shape[0] // cell, gray.shape[1] // cell, ORIENTATIONS + 1)
    assert np.isfinite(cells).all()
    hist = cells[:, :, :ORIENTATIONS]
    assert (hist >= 0).all() and (hist <= 0.5 + 1e-6).all()
    flat = flat_windows(cells, 2, 2)
    assert flat.shape == (max(cells.shape[0] - 1, 0), max(cells.shape[1] - 1, 0))


boxes_strategy = hnp.arrays(np.float64, st.tuples(st.integers(0, 12), st.just(4)),
                            elements=st.floats(0, 200, allow_nan=False))


@settings(max_examples=100, deadline=None)
@given(a=boxes_strategy, b=boxes_strategy)
def test_iou_is_a_symmetric_fraction(a: np.ndarray, b: np.ndarray) -> None:
    overlap = iou(a, b)
    assert overlap.shape == (len(a), len(b))
    assert np.isfinite(overlap).all() and (overlap >= 0).all() and (overlap <= 1 + 1e-9).all()
    np.testing.assert_allclose(overlap, iou(b, a).T)


@settings(max_examples=100, deadline=None)
@given(boxes=boxes_strategy, threshold=st.floats(0, 1), seed=st.integers(0, 1000))
def test_nms_keeps_the_best_and_no_close_pair(boxes: np.ndarray, threshold: float,
                                              seed: int) -> None:
    scores = np.random.default_rng(seed).random(len(boxes))
    keep = nms(boxes, scores, threshold)
    assert len(set(keep.tolist())) == keep.size and set(keep.tolist()) <= set(range(len(boxes)))
    if len(boxes):
        assert keep[0] == int(np.argmax(scores))
    assert (np.diff(scores[keep]) <= 0).all()
    overlap = iou(boxes[keep], boxes[keep])
    np.fill_diagonal(overlap, 0.0)
    assert (overlap <= threshold + 1e-12).all()


@pytest.fixture(scope="module")
def detector() -> WindowDetector:
    images, boxes = make_shape_scenes(4, seed=0)
    return WindowDetector().fit(images, boxes)


@settings(max_examples=40, deadline=None)
@given(image=any_image(max_side=48))
def test_detections_on_any_image_lie_inside_it(detector: WindowDetector,
                                                image: np.ndarray) -> None:
    (found,), (uncertainty,) = detector.suggest([image])
    assert 0.0 <= uncertainty <= 1.0
    height, width = image.shape[:2]
    for box in found:
        assert box["x"] >= 0 and box["y"] >= 0 and box["w"] > 0 and box["h"] > 0
        assert box["x"] + box["w"] <= width + 1e-6 and box["y"] + box["h"] <= height + 1e-6
        assert 0.0 <= box["score"] <= 1.0
