"""Peak pyramid and spectrogram against naive references."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from nbannotate.audio._peaks import PeakPyramid, column_edges
from nbannotate.audio._spectrogram import spectrogram


def naive_peaks(samples: np.ndarray, start: int, end: int, columns: int,
                block: int) -> np.ndarray:
    """Column by column with Python loops: exact edges on samples, block-aligned on a level."""
    span = end - start
    edges = [start + (i * span) // columns for i in range(columns + 1)]
    if block > 1:
        edges = [(e // block) * block for e in edges[:-1]] + [
            min(math.ceil(end / block) * block, samples.shape[1])]
    out = np.zeros((samples.shape[0], columns, 2))
    for ch in range(samples.shape[0]):
        for i in range(columns):
            part = samples[ch, edges[i]:edges[i + 1]]
            out[ch, i] = (part.min(), part.max())
    return out


@pytest.mark.parametrize("n", [1, 7, 255, 256, 257, 1000, 4099, 20011])
@pytest.mark.parametrize("channels", [1, 3])
def test_peaks_match_the_naive_reference(n, channels):
    rng = np.random.default_rng(n + channels)
    samples = rng.integers(-32768, 32767, size=(channels, n), dtype=np.int16)
    pyramid = PeakPyramid(samples)
    windows = [(0, n), (0, max(1, n // 3)), (n - max(1, n // 5), n), (n // 4, n // 4 + n // 2)]
    for start, end in windows:
        if end <= start:
            continue
        for columns in (1, 3, 17, 640, n + 10 if n < 2000 else 1500):
            first, last, cols = pyramid.clamp(start, end, columns)
            got = pyramid.peaks(start, end, columns)
            block = pyramid.level_for((last - first) / cols)
            expected = naive_peaks(samples, first, last, cols, block)
            np.testing.assert_array_equal(got, expected, err_msg=f"{start}:{end}/{columns}")


def test_float_samples_and_scale():
    samples = np.linspace(-2, 2, 3001, dtype=np.float32)[None, :]
    pyramid = PeakPyramid(samples, scale=0.5)
    out = pyramid.peaks(0, 3001, 1)
    assert out.dtype == np.float32 and out.tolist() == [[[-1.0, 1.0]]]


def test_level_choice_and_clamping():
    pyramid = PeakPyramid(np.zeros((1, 1 << 20), dtype=np.int16))
    blocks = [block for block, _, _ in pyramid.levels]
    assert blocks[0] == 256 and blocks[-1] == 1 << 20
    assert all(b2 == 2 * b1 for b1, b2 in itertools.pairwise(blocks))
    assert pyramid.level_for(100.0) == 1  # finer than the first level: the samples
    assert pyramid.level_for(256.0) == 256
    assert pyramid.level_for(1023.9) == 512
    assert pyramid.clamp(-10.5, 5e9, 10**7) == (0, 1 << 20, 1 << 20)
    assert pyramid.clamp(2000.2, 2000.4, 5) == (2000, 2001, 1)


def test_pyramid_memory_is_small_next_to_the_samples():
    samples = np.zeros((1, 1_000_003), dtype=np.int16)
    pyramid = PeakPyramid(samples)
    assert pyramid.nbytes < 0.04 * samples.nbytes


def test_pyramid_columns_stay_within_one_block_of_exact_columns():
    rng = np.random.default_rng(5)
    samples = rng.standard_normal((1, 200_000)).astype(np.float32)
    samples[0, 123_456] = 50.0  # a spike must show in the column that holds it
    pyramid = PeakPyramid(samples)
    start, end, columns = 1000, 199_001, 300
    out = pyramid.peaks(start, end, columns)
    edges = column_edges(start, end, columns)
    column = int(np.searchsorted(edges, 123_456, side="right") - 1)
    block = pyramid.level_for((end - start) / columns)
    assert block > 1
    spike = int(np.argmax(out[0, :, 1]))
    assert out[0, spike, 1] == 50.0 and abs(spike - column) <= 1


def test_column_edges_cover_the_window_without_gaps():
    edges = column_edges(5, 1005, 7)
    assert edges[0] == 5 and edges[-1] == 1005
    assert np.all(np.diff(edges) >= 1000 // 7)


def test_spectrogram_finds_a_tone_and_is_silent_on_silence():
    rate = 16000
    t = np.arange(rate) / rate
    tone = np.sin(2 * np.pi * 2000 * t).astype(np.float32)[None, :]
    image = spectrogram(tone, rate, 0, rate, columns=50, n_fft=512)
    assert image.shape == (257, 50) and image.dtype == np.uint8
    rows = image.shape[0]
    expected_row = rows - 1 - round(2000 / (rate / 2) * (rows - 1))
    assert np.all(np.argmax(image[:, 5:45], axis=0) == expected_row)
    assert image[expected_row, 25] >= 250  # a full-scale sine is near 0 dBFS
    silent = spectrogram(np.zeros((2, 4000), dtype=np.int16), rate, 0, 4000, columns=8,
                         scale=1 / 32768)
    assert silent.max() == 0


def test_spectrogram_at_the_edges_and_mixing_channels():
    rng = np.random.default_rng(1)
    noise = rng.standard_normal((2, 3000)).astype(np.float32) * 0.1
    first = spectrogram(noise, 8000, 0, 100, columns=10, n_fft=256)
    last = spectrogram(noise, 8000, 2900, 3000, columns=10, n_fft=256)
    assert first.shape == last.shape == (129, 10)
    opposite = np.stack([noise[0], -noise[0]])  # mixing to mono cancels out
    assert spectrogram(opposite, 8000, 0, 3000, columns=4, n_fft=256).max() == 0
