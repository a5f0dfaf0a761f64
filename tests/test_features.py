"""Featurizers: shapes, what the features capture, and input validation."""

# ruff: noqa: N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbannotate.features import (
    audio_features,
    image_features,
    image_values,
    mel_filterbank,
    text_features,
)


# ----------------------------------------------------------------------- text
def test_text_features_are_sparse_tfidf_rows():
    texts = ["the cat sat", "the dog sat", "a cat and a dog", "stock prices fell"]
    X = text_features(texts)
    assert sp.issparse(X) and X.shape[0] == 4 and X.dtype == np.float64
    np.testing.assert_allclose(sp.linalg.norm(X, axis=1), 1.0)
    sims = (X @ X.T).toarray()
    assert sims[0, 1] > sims[0, 3]  # shared words -> closer


def test_text_features_validation():
    with pytest.raises(ValueError, match="texts is empty"):
        text_features([])
    with pytest.raises(TypeError, match="single string"):
        text_features("just one text")
    with pytest.raises(TypeError, match=r"texts\[1\] is a int"):
        text_features(["ok", 3])
    with pytest.raises(ValueError, match="no usable words"):
        text_features(["", "  "])


# ----------------------------------------------------------------------- images
def stripes(vertical: bool, shape=(40, 40)) -> np.ndarray:
    idx = np.arange(shape[1] if vertical else shape[0])
    line = ((idx // 4) % 2 * 255).astype(np.uint8)
    img = np.tile(line, (shape[0], 1)) if vertical else np.tile(line[:, None], (1, shape[1]))
    return img


def test_image_features_shape_for_mixed_sizes_and_channels():
    imgs = [np.zeros((30, 50), np.uint8), np.full((64, 48, 3), 200, np.uint8),
            np.random.default_rng(0).random((20, 20, 4)), np.ones((10, 12, 1), np.float32)]
    F = image_features(imgs, size=8, cells=3, orientations=6)
    assert F.shape == (4, 8 * 8 + 3 * 3 * (6 + 3))
    assert np.isfinite(F).all()
    # uint8 255 and float 1.0 mean the same brightness
    a = image_features([np.full((16, 16), 255, np.uint8)], size=4)
    b = image_features([np.ones((16, 16))], size=4)
    np.testing.assert_allclose(a, b)


def test_image_downsampled_pixels_follow_brightness():
    img = np.zeros((32, 32), np.uint8)
    img[:, 16:] = 255  # right half white
    F = image_features([img], size=4)
    pixels = F[0, :16].reshape(4, 4)
    np.testing.assert_allclose(pixels[:, :2], 0.0, atol=1e-9)
    np.testing.assert_allclose(pixels[:, 2:], 1.0, atol=1e-9)


def test_orientation_histograms_tell_vertical_from_horizontal_edges():
    orientations, cells, size = 4, 2, 4
    F = image_features([stripes(True), stripes(False)], size=size, cells=cells,
                       orientations=orientations)
    hog = F[:, size * size: size * size + cells * cells * orientations]
    per_bin = hog.reshape(2, cells * cells, orientations).sum(axis=1)
    # vertical stripes: gradients along x (angle 0); horizontal stripes: along y (angle 90)
    assert int(np.argmax(per_bin[0])) == 0
    assert int(np.argmax(per_bin[1])) == orientations // 2
    assert np.linalg.norm(F[0] - F[1]) > 0.5


def test_image_features_accept_a_stacked_array_and_colour_means():
    red = np.zeros((2, 8, 8, 3), np.uint8)
    red[..., 0] = 255
    F = image_features(red, size=2, cells=1)
    np.testing.assert_allclose(F[:, -3:], [[1.0, 0.0, 0.0]] * 2)


def test_image_features_validation():
    with pytest.raises(ValueError, match="images is empty"):
        image_features([])
    with pytest.raises(ValueError, match=r"images\[1\] has shape \(4, 4, 2\)"):
        image_features([np.zeros((4, 4)), np.zeros((4, 4, 2))])
    with pytest.raises(ValueError, match="size must be an integer >= 2, got 1"):
        image_features([np.zeros((4, 4))], size=1)
    with pytest.raises(ValueError, match="at least one pixel"):
        image_features([np.zeros((0, 5))])
    with pytest.raises(TypeError, match=r"images\[0\] must hold numbers"):
        image_features([np.full((4, 4), "a")])


def test_image_features_take_nan_as_missing_and_any_size():
    """NaN (and inf) are missing values, not errors; a 1 x 5 image has features too."""
    holes = np.arange(16, dtype=np.float64).reshape(4, 4)
    filled = holes.copy()
    holes[1, 2], holes[3, 0] = np.nan, -np.inf
    filled[1, 2] = filled[3, 0] = 0.0  # the smallest finite value
    F = image_features([holes, filled, np.full((4, 4), np.nan), np.zeros((1, 5))])
    assert np.isfinite(F).all()
    np.testing.assert_allclose(F[0], F[1])


# ----------------------------------------------------------------------- audio
def tone(freq: float, sr: int = 16000, seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(sr * seconds)) / sr
    return 0.5 * np.sin(2 * np.pi * freq * t)


def test_mel_filterbank_covers_the_spectrum_in_order():
    fb = mel_filterbank(16000, 512, n_mels=24)
    assert fb.shape == (24, 257) and (fb >= 0).all()
    peaks = fb.argmax(axis=1)
    assert (np.diff(peaks) >= 0).all() and peaks[-1] > peaks[0]
    with pytest.raises(ValueError, match="fmax"):
        mel_filterbank(16000, 512, fmax=9000)


def test_audio_features_put_a_tone_in_the_right_band():
    sr, n_mels = 16000, 32
    F = audio_features([tone(300, sr), tone(4000, sr), tone(300, sr)[:3000]], sr, n_mels=n_mels)
    assert F.shape == (3, 2 * n_mels)
    low_band, high_band = int(np.argmax(F[0, :n_mels])), int(np.argmax(F[1, :n_mels]))
    assert low_band < high_band
    fb = mel_filterbank(sr, 512, n_mels)
    freqs = np.linspace(0, sr / 2, 257)
    assert abs(freqs[fb[high_band].argmax()] - 4000) < 400
    np.testing.assert_allclose(F[0, :n_mels], F[2, :n_mels], atol=0.5)  # length-independent


def test_audio_features_accept_int_and_stereo_clips():
    sr = 8000
    mono = tone(500, sr)
    pcm = (mono * 32767).astype(np.int16)
    stereo = np.stack([mono, mono], axis=1)
    F = audio_features([mono, pcm, stereo, np.zeros(10)], sr, n_mels=16)
    assert F.shape == (4, 32) and np.isfinite(F).all()
    loud = F[0, :16] > -10  # 16-bit quantisation noise only shows in near-silent bands
    assert loud.sum() >= 3
    np.testing.assert_allclose(F[0, :16][loud], F[1, :16][loud], atol=1e-2)
    np.testing.assert_allclose(F[0], F[2], atol=1e-9)


def test_audio_features_validation():
    with pytest.raises(ValueError, match="sample_rate must be a positive number"):
        audio_features([tone(440)], 0)
    with pytest.raises(ValueError, match="clips is empty"):
        audio_features([], 16000)
    with pytest.raises(ValueError, match=r"clips\[1\] is empty"):
        audio_features([tone(440), np.array([])], 16000)
    with pytest.raises(TypeError, match=r"\[clip\]"):
        audio_features(tone(440), 16000)
    with pytest.raises(ValueError, match=r"clips\[0\] contains NaN"):
        audio_features([np.full(100, np.nan)], 16000)
    with pytest.raises(ValueError, match="n_mels"):
        audio_features([tone(440)], 16000, n_mels=0)


# ----------------------------------------------------------------------- any image (hypothesis)
DTYPES = [np.uint8, np.uint16, np.uint32, np.int8, np.int16, np.int32, np.int64, np.float16,
          np.float32, np.float64, np.bool_]


@st.composite
def any_image(draw: st.DrawFn) -> np.ndarray:
    """Any array an image could be: any numeric dtype, any value (NaN, inf, huge, tiny,
    negative), H x W, H x W x 1, RGB, RGBA or more channels, from 1 x 1."""
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    height, width = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    channels = draw(st.sampled_from([None, 1, 3, 4, 5, 7]))
    shape = (height, width) if channels is None else (height, width, channels)
    if dtype.kind == "f":
        elements = st.floats(width=dtype.itemsize * 8, allow_nan=True, allow_infinity=True)
    else:
        elements = None
    return draw(hnp.arrays(dtype, shape, elements=elements))


@settings(max_examples=150, deadline=None)
@given(image=any_image())
def test_image_values_are_finite_and_keep_order(image: np.ndarray) -> None:
    values = image_values(image, "image")
    assert values.shape == image.shape and values.dtype == np.float32
    assert np.isfinite(values).all()
    flat, out = image.ravel(), values.ravel()
    finite = np.isfinite(flat.astype(np.float64)) if flat.dtype.kind == "f" else \
        np.ones(flat.size, bool)
    a, b = flat[finite].astype(np.float64), out[finite].astype(np.float64)
    order = np.argsort(a, kind="stable")
    assert (np.diff(b[order]) >= 0).all()  # the rule never reorders intensities
    if image.dtype.kind in "ui":
        np.testing.assert_allclose(b, a / np.iinfo(image.dtype).max, rtol=1e-6, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(images=st.lists(any_image(), min_size=1, max_size=3))
def test_image_features_of_any_images_are_finite(images: list[np.ndarray]) -> None:
    F = image_features(images, size=4, cells=2, orientations=4)
    assert F.shape == (len(images), 4 * 4 + 2 * 2 * (4 + 3))
    assert np.isfinite(F).all()


@pytest.mark.parametrize("clip", [np.zeros(16000), np.zeros(160), np.zeros(1),
                                  np.zeros(160, dtype=np.int16), np.zeros((160, 2))],
                         ids=["1 s of silence", "10 ms of silence", "one sample", "int16 10 ms",
                              "stereo 10 ms"])
def test_audio_features_of_silence_and_short_clips_are_finite(clip: np.ndarray) -> None:
    F = audio_features([clip, tone(440)], 16000, n_mels=16)
    assert F.shape == (2, 32) and np.isfinite(F).all()
    assert (np.abs(F[0, 16:]) < 1e-9).all()  # silence: no spread over time in any band
    assert F[0, :16].max() < F[1, :16].max()
