"""Spectrogram of a window of audio: log-magnitude STFT as an 8-bit image, in numpy.

One frame is taken at the centre of each output column, so the cost is ``columns × n_fft``
whatever the window's length: the whole of a 2-hour recording costs the same as one second.
Channels are mixed to mono. Magnitudes are in dB relative to a full-scale sine and mapped
linearly from ``-DYNAMIC_RANGE`` dB (0) to 0 dB (255); the image's first row is the highest
frequency (``sample_rate / 2``), its last row 0 Hz.

Examples
--------
>>> import numpy as np
>>> tone = np.sin(2 * np.pi * 1000 * np.arange(8000) / 8000)[None, :].astype(np.float32)
>>> image = spectrogram(tone, 8000.0, 0, 8000, columns=20, n_fft=256)
>>> image.shape, image.dtype.name
((129, 20), 'uint8')
>>> int(np.argmax(image[:, 10]))  # 1000 Hz of 4000 Hz, counted from the top row
96
"""

from __future__ import annotations

import numpy as np

__all__ = ["DYNAMIC_RANGE", "default_fft_size", "spectrogram"]

DYNAMIC_RANGE = 90.0


def default_fft_size(sample_rate: float) -> int:
    """A power of two close to 32 ms of audio, between 128 and 2048.

    Examples
    --------
    >>> default_fft_size(16000), default_fft_size(44100)
    (512, 1024)
    """
    target = sample_rate * 0.032
    return int(min(2048, max(128, 2 ** round(np.log2(max(target, 1.0))))))


def spectrogram(samples: np.ndarray, sample_rate: float, start: int, end: int, *,
                columns: int, n_fft: int | None = None, scale: float = 1.0) -> np.ndarray:
    """Log-magnitude spectrogram of ``samples[:, start:end]`` as a ``rows × columns`` uint8 image.

    Parameters
    ----------
    samples : ndarray
        ``channels × n`` samples.
    sample_rate : float
        Samples per second (sets the default FFT size).
    start, end : int
        The window, in samples.
    columns : int
        Width of the image; one frame per column, centred in it.
    n_fft : int, optional
        Frame length (default: :func:`default_fft_size`); ``rows = n_fft // 2 + 1``.
    scale : float
        Factor that turns stored values into full-scale floats (``1 / 32768`` for int16).

    Examples
    --------
    >>> spectrogram(np.zeros((1, 100), dtype=np.float32), 100.0, 0, 100, columns=5,
    ...             n_fft=16).max()
    np.uint8(0)
    """
    n_fft = n_fft or default_fft_size(sample_rate)
    n = samples.shape[1]
    span = max(end - start, 1)
    centres = start + ((np.arange(columns) + 0.5) * span / columns).astype(np.int64)
    index = centres[:, None] + (np.arange(n_fft, dtype=np.int64) - n_fft // 2)[None, :]
    at_edge = bool(index[0, 0] < 0 or index[-1, -1] >= n)
    if at_edge:  # frames reaching past either end are zero-padded
        inside = (index >= 0) & (index < n)
        np.clip(index, 0, n - 1, out=index)
    frames = np.zeros((columns, n_fft), dtype=np.float32)
    for channel in samples:
        frames += channel[index]
    if at_edge:
        frames *= inside
    window = np.hanning(n_fft).astype(np.float32)
    frames *= window * np.float32(scale / samples.shape[0])
    spectrum = np.fft.rfft(frames, axis=1)
    power = spectrum.real ** 2 + spectrum.imag ** 2
    reference = (float(window.sum()) / 2.0) ** 2  # a full-scale sine peaks here
    decibels = 10.0 * np.log10(power / np.float32(reference) + np.float32(1e-12))
    level = np.clip((decibels + DYNAMIC_RANGE) / DYNAMIC_RANGE, 0.0, 1.0)
    image = np.round(level * 255.0).astype(np.uint8)
    return np.ascontiguousarray(image.T[::-1])
