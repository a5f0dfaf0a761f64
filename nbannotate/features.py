"""Featurizers: turn texts, images and audio clips into a 2-D matrix an estimator can learn from.

Each returns one row per item: sparse TF-IDF for text, dense float arrays for images and audio.
They are plain numpy / scikit-learn and need nothing downloaded.

Images: any numeric array the user holds
----------------------------------------
:func:`image_features` and the built-in models (:mod:`nbannotate.models`) see an image's own
values, never a display mapping (contrast window, colormap). :func:`image_values` puts them
on one scale by a rule that depends on the dtype only (so two images of one kind are scaled
alike), and for floats on their magnitude:

- ``bool``: 0 and 1;
- integers (uint8, uint16, int16, ...): divided by the dtype's maximum (uint8 by 255, uint16
  by 65535; signed values keep their sign);
- floats: kept as they are (0..1, 0..16, -1..1, 0..4095, ...) while their largest finite
  magnitude lies between 1e-6 and 1e6; beyond, divided by that magnitude (so that squares
  and small differences stay representable in float32);
- NaN, +inf and -inf are missing values: NaN and -inf become the image's smallest finite
  value, +inf its largest (0 when no value is finite).

The rule sees the channels that are used (an alpha channel, or the channels past the third
that a colour model leaves out, never change the scale).

Shapes (:func:`image_layout`): H×W and H×W×1 are gray; H×W×3 is RGB; H×W×4 is RGBA (alpha
dropped); more than four channels are channels of a multi-channel image
(:func:`image_features` and the box and keypoint models use the first three,
``PixelClassifier`` all of them). Two channels are ambiguous (gray + alpha, or two stains)
and are refused with a message saying how to pick one. Any size from 1×1 up is taken.

Examples
--------
>>> import numpy as np
>>> image_values(np.array([[0, 4095]], dtype=np.uint16), "items[0]").round(4).tolist()
[[0.0, 0.0625]]
>>> image_values(np.array([[-1.0, np.nan, np.inf, 2.0]]), "items[0]").tolist()
[[-1.0, -1.0, 2.0, 2.0]]
"""

# ruff: noqa: N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["audio_features", "image_features", "image_layout", "image_values", "mel_filterbank",
           "text_features"]


# --------------------------------------------------------------------------- text
def text_features(
    texts: Sequence[str],
    *,
    max_features: int | None = 50_000,
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int = 1,
    sublinear_tf: bool = True,
) -> sp.csr_matrix:
    """TF-IDF features (scikit-learn's ``TfidfVectorizer``), one L2-normalised row per text.

    Parameters
    ----------
    texts : sequence of str
    max_features : int or None, default 50000
        Keep the most frequent terms only.
    ngram_range : (int, int), default (1, 2)
        Word n-grams used (unigrams and bigrams by default).
    min_df : int, default 1
        Ignore terms found in fewer texts.
    sublinear_tf : bool, default True
        Use ``1 + log(tf)``.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (n_texts, n_terms), float64

    Examples
    --------
    >>> X = text_features(["a red apple", "a green pear", "red wine"])
    >>> X.shape[0]
    3
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be a sequence of strings, got a single string; "
                        "wrap it in a list: [text]")
    texts = list(texts)
    if not texts:
        raise ValueError("texts is empty: expected at least one text")
    bad = [(i, type(t).__name__) for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        i, kind = bad[0]
        raise TypeError(f"texts[{i}] is a {kind}; expected str ({len(bad)} non-string items)")
    vec = TfidfVectorizer(max_features=max_features, ngram_range=ngram_range, min_df=min_df,
                          sublinear_tf=sublinear_tf, dtype=np.float64)
    try:
        X = vec.fit_transform(texts)
    except ValueError as exc:  # e.g. every text empty or only stop words
        raise ValueError(f"texts contain no usable words ({exc})") from None
    return sp.csr_matrix(X)


# --------------------------------------------------------------------------- images
#: Floats whose largest finite magnitude lies in this range are used as they are.
FLOAT_RANGE = (1e-6, 1e6)


def image_values(arr: np.ndarray, name: str, dtype: Any = np.float32) -> np.ndarray:
    """The values of an image array on one scale (the rule of the module docstring).

    The shape is kept; the result is ``dtype`` (float32 by default, float64 for full
    precision); ``name`` names the argument in errors (a TypeError for a dtype that holds no
    numbers).

    Examples
    --------
    >>> image_values(np.array([[True, False]]), "image").tolist()
    [[1.0, 0.0]]
    >>> image_values(np.array([[0.0, 3e7]]), "image").tolist()    # beyond 1e6: scaled
    [[0.0, 1.0]]
    """
    dtype = np.dtype(dtype)
    if arr.dtype == bool:
        return arr.astype(dtype)
    if np.issubdtype(arr.dtype, np.integer):
        top = float(np.iinfo(arr.dtype).max)
        return arr.astype(dtype) * dtype.type(1.0 / top)
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(f"{name} must hold numbers (bool, integers or floats), got dtype "
                        f"{arr.dtype}")
    values = arr
    finite = np.isfinite(arr)
    if not finite.all():
        low = float(arr[finite].min()) if finite.any() else 0.0
        high = float(arr[finite].max()) if finite.any() else 0.0
        values = np.where(finite, arr, np.where(arr == np.inf, high, low))
    largest = max(abs(float(values.min())), abs(float(values.max()))) if values.size else 0.0
    if largest > FLOAT_RANGE[1] or 0.0 < largest < FLOAT_RANGE[0]:
        values = values.astype(np.float64) / largest
    return values.astype(dtype, copy=False)


def image_layout(arr: np.ndarray, name: str) -> np.ndarray:
    """``arr`` as H×W or H×W×C (C = 3, 4 or more), with a clear error for other shapes.

    H×W×1 becomes H×W; ``name`` names the argument in errors.

    Examples
    --------
    >>> image_layout(np.zeros((1, 1, 1)), "image").shape
    (1, 1)
    """
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] == 2):
        hint = ("; two channels are ambiguous (gray + alpha, or two stains): pass one, e.g. "
                "image[..., 0]" if arr.ndim == 3 and arr.shape[2] == 2 else "")
        raise ValueError(f"{name} has shape {arr.shape}: {name} must be an H×W or H×W×3 (or ×1, "
                         f"×4, or more than 4 channels) image array or a path{hint}")
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least one pixel, got shape {arr.shape}")
    return arr


def _to_float_image(img: Any, index: int) -> np.ndarray:
    """An image as H×W×3 float64 (gray repeated, alpha dropped, the first three of more than
    four channels), its values on the scale of :func:`image_values`."""
    name = f"images[{index}]"
    arr = image_layout(np.asarray(img), name)
    values = image_values(arr[:, :, :3] if arr.ndim == 3 else arr, name, np.float64)
    return values[:, :, :3] if values.ndim == 3 else np.repeat(values[:, :, None], 3, axis=2)


def _resize(img: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """Area-average resize (bilinear when enlarging) of an H x W x C image."""
    h, w = img.shape[:2]

    def axis_weights(n_in: int, n_out: int) -> np.ndarray:
        if n_out >= n_in:  # linear interpolation
            pos = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
            pos = np.clip(pos, 0, n_in - 1)
            lo = np.floor(pos).astype(int)
            hi = np.minimum(lo + 1, n_in - 1)
            frac = pos - lo
            m = np.zeros((n_out, n_in))
            m[np.arange(n_out), lo] += 1 - frac
            m[np.arange(n_out), hi] += frac
            return m
        edges = np.linspace(0, n_in, n_out + 1)
        m = np.zeros((n_out, n_in))
        for i in range(n_out):
            a, b = edges[i], edges[i + 1]
            idx = np.arange(np.floor(a), np.ceil(b)).astype(int)
            cover = np.minimum(idx + 1, b) - np.maximum(idx, a)
            m[i, idx] = cover / (b - a)
        return m

    rows, cols = axis_weights(h, out_h), axis_weights(w, out_w)
    # one axis at a time (two matrix products), never the three-operand product at once
    tall = (rows @ img.reshape(h, -1)).reshape(out_h, w, img.shape[2])
    return np.matmul(cols[None], tall)


def _orientation_histograms(gray: np.ndarray, cells: int, orientations: int) -> np.ndarray:
    """HOG-style: per cell, a histogram of unsigned gradient orientations weighted by magnitude,
    L2-normalised per cell (clipped at 0.2 and renormalised)."""
    gy, gx = np.gradient(gray)
    mag = np.hypot(gx, gy)
    ang = np.mod(np.arctan2(gy, gx), np.pi)
    bins = np.minimum((ang / np.pi * orientations).astype(int), orientations - 1)
    h, w = gray.shape
    cy = np.minimum(np.arange(h) * cells // h, cells - 1)
    cx = np.minimum(np.arange(w) * cells // w, cells - 1)
    cell = cy[:, None] * cells + cx[None, :]
    flat = (cell * orientations + bins).ravel()
    hist = np.bincount(flat, weights=mag.ravel(), minlength=cells * cells * orientations)
    hist = hist.reshape(cells * cells, orientations)
    for _ in range(2):
        norm = np.linalg.norm(hist, axis=1, keepdims=True)
        hist = np.minimum(hist / (norm + 1e-6), 0.2)
    norm = np.linalg.norm(hist, axis=1, keepdims=True)
    return (hist / (norm + 1e-6)).ravel()


def image_features(
    images: Sequence[Any],
    *,
    size: int = 16,
    cells: int = 4,
    orientations: int = 9,
) -> np.ndarray:
    """Downsampled grey pixels + gradient-orientation histograms + coarse colour, per image.

    Each image (any numeric array: H x W grey, H x W x 1, RGB, RGBA or more channels, of any
    size from 1 x 1, its values scaled by the rule of :func:`image_values`: uint8 by 1/255,
    uint16 by 1/65535, floats as they are, NaN/inf as missing; alpha ignored, the first three
    of more than four channels used) gives, concatenated:

    - ``size * size`` grey pixels after an area-average resize;
    - ``cells * cells * orientations`` HOG-style histograms of unsigned gradient orientation
      weighted by magnitude, on a 64 x 64 grey version, normalised per cell;
    - ``cells * cells * 3`` mean colour per cell (grey images repeat their grey value).

    Parameters
    ----------
    images : sequence of ndarray
        Images may differ in size.
    size : int, default 16
    cells : int, default 4
    orientations : int, default 9

    Returns
    -------
    ndarray of shape (n_images, size**2 + cells**2 * (orientations + 3)), float64

    Examples
    --------
    >>> imgs = [np.zeros((30, 40), np.uint8), np.full((20, 20, 3), 255, np.uint8)]
    >>> image_features(imgs, size=8).shape
    (2, 256)
    """
    for name, value, lo in (("size", size, 2), ("cells", cells, 1),
                            ("orientations", orientations, 2)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
            raise ValueError(f"{name} must be an integer >= {lo}, got {value!r}")
    if isinstance(images, np.ndarray) and images.ndim in (3, 4):
        images = list(images)
    if isinstance(images, (str, bytes)) or not hasattr(images, "__len__"):
        raise TypeError(f"images must be a sequence of arrays, got {type(images).__name__}")
    if len(images) == 0:
        raise ValueError("images is empty: expected at least one image")
    work = max(64, size)
    weights = np.array([0.299, 0.587, 0.114])
    rows = []
    for i, img in enumerate(images):
        rgb = _to_float_image(img, i)
        small = _resize(rgb, size, size) @ weights
        gray64 = _resize(rgb, work, work) @ weights
        hog = _orientation_histograms(gray64, cells, orientations)
        colour = _resize(rgb, cells, cells).reshape(-1)
        rows.append(np.concatenate([small.ravel(), hog, colour]))
    return np.vstack(rows)


# --------------------------------------------------------------------------- audio
def _hz_to_mel(f: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=float) / 700.0)


def _mel_to_hz(m: np.ndarray | float) -> np.ndarray:
    return 700.0 * (10.0 ** (np.asarray(m, dtype=float) / 2595.0) - 1.0)


def mel_filterbank(
    sample_rate: float, n_fft: int, n_mels: int = 40, fmin: float = 0.0,
    fmax: float | None = None,
) -> np.ndarray:
    """Triangular mel filters (HTK mel scale), shape (n_mels, n_fft // 2 + 1), unit area.

    Examples
    --------
    >>> mel_filterbank(16000, 512, n_mels=20).shape
    (20, 257)
    """
    fmax = sample_rate / 2.0 if fmax is None else fmax
    if not 0.0 <= fmin < fmax <= sample_rate / 2.0:
        raise ValueError(f"need 0 <= fmin < fmax <= sample_rate/2, got fmin={fmin!r}, "
                         f"fmax={fmax!r}, sample_rate={sample_rate!r}")
    freqs = np.linspace(0.0, sample_rate / 2.0, n_fft // 2 + 1)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(fmin), _hz_to_mel(fmax), n_mels + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (freqs[None, :] - lower) / np.maximum(centre - lower, 1e-9)
    falling = (upper - freqs[None, :]) / np.maximum(upper - centre, 1e-9)
    fb = np.maximum(0.0, np.minimum(rising, falling))
    fb *= (2.0 / np.maximum(upper - lower, 1e-9))
    return fb


def _mono(clip: Any, index: int) -> np.ndarray:
    arr = np.asarray(clip)
    if arr.ndim == 2:
        ch_axis = 0 if arr.shape[0] <= arr.shape[1] else 1
        if arr.shape[ch_axis] > 8:
            raise ValueError(f"clips[{index}] has shape {arr.shape}; expected 1-D samples or "
                             "(n_samples, n_channels) with at most 8 channels")
        if np.issubdtype(arr.dtype, np.integer):
            arr = arr.astype(np.float64) / float(np.iinfo(arr.dtype).max)
        arr = arr.mean(axis=ch_axis)
    if arr.ndim != 1:
        raise ValueError(f"clips[{index}] has shape {arr.shape}; expected 1-D samples or "
                         "(n_samples, n_channels)")
    if arr.size == 0:
        raise ValueError(f"clips[{index}] is empty: expected at least one sample")
    if np.issubdtype(arr.dtype, np.integer):
        return arr.astype(np.float64) / float(np.iinfo(arr.dtype).max)
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(f"clips[{index}] has dtype {arr.dtype}; expected numbers")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"clips[{index}] contains NaN or infinite values")
    return arr


def audio_features(
    clips: Sequence[Any],
    sample_rate: float,
    *,
    n_mels: int = 40,
    frame_seconds: float = 0.025,
    hop_seconds: float = 0.010,
    fmin: float = 0.0,
    fmax: float | None = None,
) -> np.ndarray:
    """Log-mel statistics per clip: mean and standard deviation of each mel band over time.

    A Hann-windowed STFT (numpy) of each mono clip (int samples are scaled to [-1, 1]; several
    channels are averaged) gives a power spectrogram; a triangular mel filterbank maps it to
    ``n_mels`` bands; ``log(power + 1e-10)`` per frame; then mean and std over frames.

    Parameters
    ----------
    clips : sequence of ndarray
        1-D sample arrays (or (n_samples, n_channels)); lengths may differ.
    sample_rate : float
        Samples per second, shared by all clips.
    n_mels : int, default 40
    frame_seconds, hop_seconds : float, default 0.025, 0.010
    fmin, fmax : float
        Band edges in Hz (default 0 to sample_rate / 2).

    Returns
    -------
    ndarray of shape (n_clips, 2 * n_mels), float64
        Means first, then standard deviations.

    Examples
    --------
    >>> t = np.arange(8000) / 8000
    >>> audio_features([np.sin(2 * np.pi * 440 * t)], 8000, n_mels=20).shape
    (1, 40)
    """
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, float, np.number)) \
            or not sample_rate > 0:
        raise ValueError(f"sample_rate must be a positive number of samples per second, "
                         f"got {sample_rate!r}")
    if isinstance(n_mels, bool) or not isinstance(n_mels, (int, np.integer)) or n_mels < 1:
        raise ValueError(f"n_mels must be a positive integer, got {n_mels!r}")
    if not 0 < hop_seconds <= frame_seconds:
        raise ValueError(f"need 0 < hop_seconds <= frame_seconds, got hop_seconds="
                         f"{hop_seconds!r}, frame_seconds={frame_seconds!r}")
    if isinstance(clips, np.ndarray) and clips.ndim == 1 and clips.dtype != object:
        raise TypeError("clips must be a sequence of clips; for one clip write [clip]")
    if isinstance(clips, (str, bytes)) or not hasattr(clips, "__len__"):
        raise TypeError(f"clips must be a sequence of arrays, got {type(clips).__name__}")
    if len(clips) == 0:
        raise ValueError("clips is empty: expected at least one clip")
    frame = max(16, round(frame_seconds * sample_rate))
    hop = max(1, round(hop_seconds * sample_rate))
    n_fft = 1 << int(np.ceil(np.log2(frame)))
    fb = mel_filterbank(float(sample_rate), n_fft, n_mels, fmin, fmax)
    window = np.hanning(frame)
    rows = []
    for i, clip in enumerate(clips):
        x = _mono(clip, i)
        if x.size < frame:
            x = np.pad(x, (0, frame - x.size))
        n_frames = 1 + (x.size - frame) // hop
        frames = np.lib.stride_tricks.sliding_window_view(x, frame)[::hop][:n_frames]
        spec = np.abs(np.fft.rfft(frames * window, n=n_fft, axis=1)) ** 2
        logmel = np.log(spec @ fb.T + 1e-10)
        rows.append(np.concatenate([logmel.mean(axis=0), logmel.std(axis=0)]))
    return np.vstack(rows)
