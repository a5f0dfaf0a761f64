"""Describe one item (an image, a text, an audio clip or a table row) for the browser.

:func:`render_item` turns an item into an :class:`ItemView`: a small JSON-able ``view`` dict
that the ClassLabeler's front end draws (``js/classify/item.ts``) and the item's media as
bytes (sent as a binary buffer, never base64):

* images (numpy arrays, PIL images, encoded bytes, file paths) go through
  :func:`nbannotate.media.images.encode_image` (PNG/JPEG/GIF/WebP bytes); tiny images are
  scaled up crisply (``pixelated``);
* texts are sent as text (the browser shows them with ``textContent``, never as HTML);
* audio clips ``(samples, sample_rate)`` become WAV bytes (standard library :mod:`wave`) with
  per-column waveform peaks, drawn on a canvas in the browser;
* a DataFrame row (``pandas.Series``, a one-row DataFrame or a dict) becomes a list of
  ``[field, value]`` text pairs.

Examples
--------
>>> import numpy as np
>>> item_kind(np.zeros((8, 8))), item_kind("a cat on a mat"), item_kind((np.zeros(10), 8000))
('image', 'text', 'audio')
"""

from __future__ import annotations

import io
import math
import wave
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from ..media.images import encode_image

__all__ = [
    "ItemView",
    "display_size",
    "item_kind",
    "render_item",
    "row_cells",
    "wav_bytes",
    "waveform_columns",
]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"})
AUDIO_SUFFIXES = frozenset({".wav"})
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mov", ".avi", ".mkv", ".m4v"})
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00",
                b"MM\x00*", b"BM")
SMALL_SIDE = 160  # images smaller than this are scaled up by a whole factor
TARGET_SIDE = 192
MAX_W, MAX_H = 480, 400
WAVE_W, WAVE_H = 400, 64
MAX_TEXT = 20_000
MAX_FIELDS = 40


@dataclass(frozen=True)
class ItemView:
    """What the browser needs to show one item: ``view`` (JSON), ``media`` (bytes or empty),
    its kind and a short description (for reprs)."""

    view: dict[str, Any]
    media: bytes = field(repr=False)
    kind: str
    summary: str


# ---------------------------------------------------------------------------- detection
def _path_like_text(item: str) -> bool:
    return ("\n" not in item and len(item) < 1024
            and Path(item).suffix.lower() in IMAGE_SUFFIXES | AUDIO_SUFFIXES)


def item_kind(item: Any, *, name: str = "item") -> str:
    """Tell what an item is: ``"image"``, ``"text"``, ``"audio"``, ``"row"`` or ``"video"``
    (a video file, a T×H×W×C array, a list of frames or an opened ``VideoFrames``).

    Raises TypeError/ValueError naming ``name`` when the item is none of them.

    Examples
    --------
    >>> import pandas as pd
    >>> item_kind(pd.Series({"age": 3})), item_kind(b"\\x89PNG\\r\\n\\x1a\\n...")
    ('row', 'image')
    """
    module = type(item).__module__
    if module.startswith("pandas"):
        import pandas as pd

        if isinstance(item, pd.Series):
            return "row"
        if isinstance(item, pd.DataFrame):
            if len(item) != 1:
                raise ValueError(f"{name} is a DataFrame with {len(item)} rows; pass one row "
                                 "(df.iloc[i]) per item")
            return "row"
    if isinstance(item, Mapping):
        return "row"
    if isinstance(item, (bytes, bytearray, memoryview)):
        data = bytes(item[:12])
        if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
            return "audio"
        if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
            return "image"  # read fully (and checked) when it is encoded for display
        raise ValueError(f"{name}: bytes are not a PNG, JPEG, GIF, WebP, TIFF, BMP or WAV file "
                         f"(they start with {data[:8]!r})")
    if isinstance(item, PathLike) or (isinstance(item, str) and _path_like_text(item)):
        suffix = Path(item).suffix.lower()
        if suffix in VIDEO_SUFFIXES:
            return "video"
        if suffix in IMAGE_SUFFIXES:
            return "image"
        if suffix in AUDIO_SUFFIXES:
            return "audio"
        raise ValueError(f"{name}: cannot show file {str(item)!r}: expected an image "
                         f"({', '.join(sorted(IMAGE_SUFFIXES))}) or a .wav file")
    if isinstance(item, str):
        return "text"
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Real) \
            and not isinstance(item[1], bool):
        return "audio"
    if module.startswith("PIL."):
        return "image"
    if type(item).__name__ == "VideoFrames" or isinstance(item, list):
        return "video"  # an opened video, or a list of frames (images)
    if isinstance(item, np.ndarray) or hasattr(item, "__array__"):
        arr = np.asarray(item)
        if arr.ndim in (2, 3):  # any channel count: the display mapping shows it
            return "image"
        if arr.ndim == 4:  # (T, H, W, C): frames of a video or an image stack
            return "video"
        if arr.ndim == 1:
            raise TypeError(f"{name} is a 1-D array of {arr.shape[0]} values, which is "
                            "ambiguous: pass a pandas Series for a table row, or "
                            "(samples, sample_rate) for an audio clip")
        raise ValueError(f"{name} is an array of shape {arr.shape}; expected an image "
                         "(H×W or H×W×C) or a video (T×H×W×C)")
    raise TypeError(f"{name} must be an image (array, PIL image, bytes or path), a text (str), "
                    "an audio clip (samples, sample_rate) or a table row (pandas Series), got "
                    f"{type(item).__name__}")


# ---------------------------------------------------------------------------- images
def display_size(width: int, height: int) -> tuple[int, int, bool]:
    """On-screen size of an image and whether it is scaled up (then drawn pixelated).

    Tiny images (like 8×8 digits) grow by a whole factor to about 192 px; large ones shrink to
    fit 480×400.

    Examples
    --------
    >>> display_size(8, 8)
    (192, 192, True)
    >>> display_size(1000, 500)
    (480, 240, False)
    """
    side = max(width, height)
    if side < SMALL_SIDE:
        factor = max(1, TARGET_SIDE // side)
        return width * factor, height * factor, factor > 1
    scale = min(1.0, MAX_W / width, MAX_H / height)
    return max(1, round(width * scale)), max(1, round(height * scale)), False


def _image_view(item: Any, name: str) -> ItemView:
    data, mime, (width, height) = encode_image(item, name=name)
    shown_w, shown_h, pixelated = display_size(width, height)
    view = {"kind": "image", "mime": mime, "width": width, "height": height,
            "shown_w": shown_w, "shown_h": shown_h, "pixelated": pixelated}
    return ItemView(view, data, "image", f"image {width}×{height}")


# ---------------------------------------------------------------------------- text and rows
def _text_view(text: str) -> ItemView:
    shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT]
    view = {"kind": "text", "text": shown, "more": max(0, len(text) - MAX_TEXT)}
    return ItemView(view, b"", "text", f"text ({len(text)} characters)")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        text = "NaN" if math.isnan(value) else f"{value:.6g}"
    elif isinstance(value, np.floating):
        text = f"{float(value):.6g}"
    else:
        text = str(value)
    if len(text) > 300:
        text = text[:300] + "…"
    return text


def row_cells(row: Any) -> tuple[list[list[str]], int]:
    """The ``[field, value]`` text pairs of a Series, a one-row DataFrame or a dict (at most
    40) and how many more fields there are; the browser shows them as text.

    Examples
    --------
    >>> row_cells({"<x>": 1, "score": 0.123456789})
    ([['<x>', '1'], ['score', '0.123457']], 0)
    """
    if hasattr(row, "iloc") and hasattr(row, "columns"):  # one-row DataFrame
        row = row.iloc[0]
    pairs = list(row.items())
    cells = [[_cell(k), _cell(v)] for k, v in pairs[:MAX_FIELDS]]
    return cells, max(0, len(pairs) - MAX_FIELDS)


# ---------------------------------------------------------------------------- audio
def _check_rate(rate: Any, name: str) -> int:
    value = float(rate) if isinstance(rate, Real) and not isinstance(rate, bool) else math.nan
    if not (math.isfinite(value) and value.is_integer() and 1 <= value <= 768_000):
        raise ValueError(f"{name}: the sample rate must be a whole number of samples per "
                         f"second between 1 and 768000, got {rate!r}")
    return int(value)


def _as_int16(samples: Any, name: str) -> np.ndarray:
    arr = np.asarray(samples)
    if arr.ndim == 2 and arr.shape[0] <= 8 < arr.shape[1]:
        arr = arr.T  # (channels, samples) -> (samples, channels)
    if arr.ndim not in (1, 2) or (arr.ndim == 2 and not 1 <= arr.shape[1] <= 8):
        raise ValueError(f"{name}: audio samples must be 1-D or (n_samples, n_channels) with "
                         f"at most 8 channels, got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name}: the audio clip has no samples")
    if arr.dtype == np.int16:
        return arr
    if arr.dtype == np.uint8:
        return ((arr.astype(np.int32) - 128) * 256).astype(np.int16)
    if np.issubdtype(arr.dtype, np.integer):
        return (arr.astype(np.float64) / float(np.iinfo(arr.dtype).max) * 32767).astype(np.int16)
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(f"{name}: audio samples must be numbers, got dtype {arr.dtype}")
    floats = arr.astype(np.float64)
    if not np.isfinite(floats).all():
        raise ValueError(f"{name}: audio samples contain NaN or infinite values")
    peak = float(np.abs(floats).max())
    if peak > 1.0:  # louder than full scale: scaled down for listening, not clipped
        floats = floats / peak
    return np.round(floats * 32767).astype(np.int16)


def wav_bytes(samples: Any, sample_rate: Any, *, name: str = "item") -> bytes:
    """Encode samples as 16-bit PCM WAV (standard library :mod:`wave`).

    Parameters
    ----------
    samples : array-like
        1-D, ``(n_samples, n_channels)`` or ``(n_channels, n_samples)``; floats in [-1, 1]
        (louder clips are scaled to full scale), or integers.
    sample_rate : int
        Samples per second.

    Examples
    --------
    >>> wav_bytes(np.zeros(100), 8000)[:4]
    b'RIFF'
    """
    rate = _check_rate(sample_rate, name)
    pcm = _as_int16(samples, name)
    channels = 1 if pcm.ndim == 1 else pcm.shape[1]
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.ascontiguousarray(pcm, dtype="<i2").tobytes())
    return buffer.getvalue()


def _read_wav(data: bytes, name: str) -> tuple[np.ndarray, int]:
    try:
        with wave.open(io.BytesIO(data), "rb") as src:
            width, channels, rate = src.getsampwidth(), src.getnchannels(), src.getframerate()
            frames = src.readframes(src.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"{name}: not a readable PCM WAV file ({error})") from None
    dtype: str | None = {1: "u1", 2: "<i2", 4: "<i4"}.get(width)
    if dtype is None:
        raise ValueError(f"{name}: WAV sample width {width * 8} bits is not supported "
                         "(8, 16 or 32-bit PCM)")
    samples = np.frombuffer(frames, dtype=dtype).reshape(-1, channels)
    return samples, rate


def waveform_columns(samples: Any, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel-column minimum and maximum of the mono mix, in [-1, 1].

    Examples
    --------
    >>> lo, hi = waveform_columns(np.array([0, 32767, -32767, 0], dtype=np.int16), 2)
    >>> lo.round(2).tolist(), hi.round(2).tolist()
    ([0.0, -1.0], [1.0, 0.0])
    """
    pcm = np.asarray(samples)
    mono = pcm.astype(np.float64).mean(axis=1) if pcm.ndim == 2 else pcm.astype(np.float64)
    mono = mono / 32767.0
    edges = np.linspace(0, mono.size, width + 1).astype(int)
    lo = np.zeros(width)
    hi = np.zeros(width)
    for col in range(width):
        a, b = edges[col], max(edges[col + 1], edges[col] + 1)
        chunk = mono[a:min(b, mono.size)]
        if chunk.size:
            lo[col], hi[col] = chunk.min(), chunk.max()
    return np.clip(lo, -1, 1), np.clip(hi, -1, 1)


def _audio_view(item: Any, name: str) -> ItemView:
    if isinstance(item, tuple):
        samples, rate = item
        data = wav_bytes(samples, rate, name=name)
        pcm = _as_int16(samples, name)
        rate = int(rate)
    else:
        if isinstance(item, (bytes, bytearray, memoryview)):
            data = bytes(item)
        else:
            path = Path(item)
            if not path.is_file():
                raise FileNotFoundError(f"{name}: no audio file at {str(path)!r}")
            data = path.read_bytes()
        raw, rate = _read_wav(data, name)
        pcm = _as_int16(raw, name)
    seconds = pcm.shape[0] / rate
    lo, hi = waveform_columns(pcm, WAVE_W)
    view = {"kind": "audio", "mime": "audio/wav", "rate": rate, "seconds": seconds,
            "channels": 1 if pcm.ndim == 1 else int(pcm.shape[1]),
            "low": np.round(lo, 3).tolist(), "high": np.round(hi, 3).tolist()}
    return ItemView(view, data, "audio", f"audio {seconds:.2f} s at {rate} Hz")


# ---------------------------------------------------------------------------- entry point
def render_item(item: Any, *, name: str = "item") -> ItemView:
    """Describe ``item`` for the browser: its view (JSON) and media (bytes).

    The item is validated and encoded here, so a bad item raises before anything changes.

    Examples
    --------
    >>> shown = render_item("Anna <b>lives</b> here")
    >>> shown.summary, shown.view["text"]
    ('text (22 characters)', 'Anna <b>lives</b> here')
    """
    kind = item_kind(item, name=name)
    if kind == "image":
        return _image_view(item, name)
    if kind == "audio":
        return _audio_view(item, name)
    if kind == "text":
        return _text_view(item)
    if kind == "video":
        shape = getattr(item, "shape", None)
        raise ValueError(f"{name} is a video or image stack"
                         + (f" (an array of shape {tuple(shape)})" if shape is not None else "")
                         + ": a ClassLabeler shows one image (H×W or H×W×C), text, audio clip or "
                         "row; label clips with task='tracks' or a VideoAnnotator")
    cells, more = row_cells(item)
    fields = len(item.columns) if hasattr(item, "columns") else len(item)
    return ItemView({"kind": "row", "cells": cells, "more": more}, b"", "row",
                    f"row ({fields} fields)")
