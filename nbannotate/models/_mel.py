"""Log-mel frames of an audio clip (numpy STFT), with deltas and context, for frame tagging.

Examples
--------
>>> t = np.arange(16000) / 16000
>>> logmel, hop = log_mel_frames(np.sin(2 * np.pi * 1000 * t), 16000)
>>> logmel.shape, hop
((98, 40), 0.01)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["frame_features", "frame_times", "log_mel_frames", "mel_filterbank"]


def _hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def _mel_to_hz(mel: np.ndarray | float) -> np.ndarray:
    return 700.0 * (10.0 ** (np.asarray(mel, dtype=np.float64) / 2595.0) - 1.0)


@lru_cache(maxsize=16)
def mel_filterbank(sample_rate: float, n_fft: int, n_mels: int, fmin: float,
                   fmax: float) -> np.ndarray:
    """Triangular filters on the mel scale, ``(n_fft // 2 + 1, n_mels)`` float32.

    The bands span ``[fmin, fmax]`` whatever the sample rate, so clips recorded at
    different rates get comparable bands; bands above the Nyquist frequency stay empty.
    Each filter peaks at 1.

    Examples
    --------
    >>> fb = mel_filterbank(8000.0, 256, 40, 0.0, 8000.0)
    >>> fb.shape, bool(fb[:, -5:].sum() == 0)
    ((129, 40), True)
    """
    freqs = np.arange(n_fft // 2 + 1) * sample_rate / n_fft
    edges = _mel_to_hz(np.linspace(_hz_to_mel(fmin), _hz_to_mel(fmax), n_mels + 2))
    lower, centre, upper = edges[None, :-2], edges[None, 1:-1], edges[None, 2:]
    rising = (freqs[:, None] - lower) / np.maximum(centre - lower, 1e-9)
    falling = (upper - freqs[:, None]) / np.maximum(upper - centre, 1e-9)
    return np.maximum(0.0, np.minimum(rising, falling)).astype(np.float32)


def _sizes(sample_rate: float, frame_seconds: float, hop_seconds: float) -> tuple[int, int, int]:
    frame = max(16, round(frame_seconds * sample_rate))
    hop = max(1, round(hop_seconds * sample_rate))
    n_fft = 1 << int(np.ceil(np.log2(frame)))
    return frame, hop, n_fft


def log_mel_frames(samples: np.ndarray, sample_rate: float, *, n_mels: int = 40,
                   frame_seconds: float = 0.025, hop_seconds: float = 0.010,
                   fmin: float = 0.0, fmax: float = 8000.0) -> tuple[np.ndarray, float]:
    """Log mel-band energies per frame: ``(n_frames, n_mels)`` float32 and the hop in seconds.

    Frame ``i`` covers samples ``[i * hop, i * hop + frame)`` (Hann window); a clip shorter
    than one frame is zero-padded to one frame.
    """
    frame, hop, n_fft = _sizes(sample_rate, frame_seconds, hop_seconds)
    x = np.asarray(samples, dtype=np.float32)
    if x.size < frame:
        x = np.pad(x, (0, frame - x.size))
    n_frames = 1 + (x.size - frame) // hop
    window = np.hanning(frame).astype(np.float32)
    out = np.empty((n_frames, n_mels), dtype=np.float32)
    fb = mel_filterbank(float(sample_rate), n_fft, n_mels, float(fmin), float(fmax))
    view = np.lib.stride_tricks.sliding_window_view(x, frame)[::hop][:n_frames]
    step = 2048  # frames per block: bounds the temporary spectrum's size
    for begin in range(0, n_frames, step):
        block = view[begin:begin + step] * window
        spectrum = np.fft.rfft(block, n=n_fft, axis=1)
        power = (spectrum.real ** 2 + spectrum.imag ** 2).astype(np.float32)
        out[begin:begin + step] = np.log(power @ fb + 1e-10)
    return out, hop / sample_rate


def frame_times(n_frames: int, sample_rate: float, *, frame_seconds: float = 0.025,
                hop_seconds: float = 0.010) -> np.ndarray:
    """The centre time (seconds) of each frame."""
    frame, hop, _ = _sizes(sample_rate, frame_seconds, hop_seconds)
    return (np.arange(n_frames) * hop + frame / 2.0) / sample_rate


def _moving_mean(x: np.ndarray, width: int) -> np.ndarray:
    from scipy.ndimage import uniform_filter1d

    return uniform_filter1d(x, size=width, axis=0, mode="nearest")


def frame_features(logmel: np.ndarray, *, context: int = 5) -> np.ndarray:
    """Per-frame features: normalised log-mel, its delta, its mean and spread over
    ±``context`` frames, and that mean at ±``context`` and ±2·``context`` frames away (so a
    linear model sees how the spectrum moves). ``(n_frames, 8 * n_mels)`` float32.

    Each band is normalised by the clip's median and spread (median absolute deviation), so
    a constant background reads as ~0 and events as positive departures from it.
    """
    median = np.median(logmel, axis=0)
    spread = np.median(np.abs(logmel - median), axis=0) * 1.4826 + 1e-3
    z = (logmel - median) / spread
    z = np.clip(z, -10.0, 10.0)
    padded = np.pad(z, ((2, 2), (0, 0)), mode="edge")
    delta = (2.0 * (padded[4:] - padded[:-4]) + (padded[3:-1] - padded[1:-3])) / 10.0
    width = 2 * context + 1
    mean = _moving_mean(z, width)
    spread_local = np.sqrt(np.maximum(_moving_mean(z * z, width) - mean * mean, 0.0))
    n = z.shape[0]
    reach = 2 * context
    padded_mean = np.pad(mean, ((reach, reach), (0, 0)), mode="edge")
    shifted = [padded_mean[reach + o:reach + o + n] for o in (-reach, -context, context, reach)]
    return np.concatenate([z, delta, mean, spread_local, *shifted], axis=1).astype(np.float32)
