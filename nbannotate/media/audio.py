"""Audio input for :class:`~nbannotate.AudioAnnotator`: decode and validate, keep it compact.

Samples are kept as ``channels × samples`` in the smallest faithful dtype: int16 input stays
int16 (2 bytes a sample), everything else becomes float32. Values are read in "full scale"
units: int16 is divided by 32768 when it is shown or played, floats are used as they are.

Files are read with ``soundfile`` (libsndfile): WAV of every subtype (8/16/24/32-bit PCM,
float, double, µ-law, A-law, ADPCM), FLAC, OGG/Vorbis, MP3 and more, at their native rate and
channel count. 16-bit PCM stays int16; everything else becomes float32.

Examples
--------
>>> import numpy as np
>>> clip = load_audio(np.zeros(800, dtype=np.int16), sample_rate=8000)
>>> clip.samples.shape, clip.samples.dtype.name, clip.duration
((1, 800), 'int16', 0.1)
"""

from __future__ import annotations

import io
import math
import wave
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["AudioClip", "load_audio", "wav_bytes"]

#: More channels than this in the second axis of a 2-D array looks like channels × samples.
MAX_CHANNELS = 64
#: Samples scanned at a time when checking for NaN/inf (keeps temporaries small).
_SCAN_BLOCK = 1 << 22


@dataclass(frozen=True)
class AudioClip:
    """Validated audio: ``samples`` is ``channels × n`` (int16 or float32), ``sample_rate`` Hz.

    Examples
    --------
    >>> clip = AudioClip(np.zeros((2, 10), dtype=np.float32), 10.0, 0.0)
    >>> clip.channels, clip.num_samples, clip.duration
    (2, 10, 1.0)
    """

    samples: np.ndarray
    sample_rate: float
    #: The largest absolute sample value in full-scale units (int16 / 32768).
    peak: float

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def num_samples(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return self.num_samples / self.sample_rate

    @property
    def scale(self) -> float:
        """Factor that turns stored values into full-scale floats."""
        return 1.0 / 32768.0 if self.samples.dtype == np.int16 else 1.0

    @property
    def nbytes(self) -> int:
        return int(self.samples.nbytes)


def _check_rate(sample_rate: Any) -> float:
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, float, np.number)):
        raise TypeError(f"sample_rate must be a positive number of samples per second, got "
                        f"{type(sample_rate).__name__} {sample_rate!r}")
    rate = float(sample_rate)
    if not math.isfinite(rate) or rate <= 0:
        raise ValueError(f"sample_rate must be a positive number of samples per second, got "
                         f"{sample_rate!r}")
    return rate


def _full_scale_peak(samples: np.ndarray, name: str) -> float:
    """Largest |sample| in full-scale units; raise if a float array holds NaN or inf."""
    if samples.dtype == np.int16:
        low_int, high_int = int(samples.min()), int(samples.max())
        return max(-low_int, high_int) / 32768.0
    peak = 0.0
    flat = samples.reshape(-1)
    for begin in range(0, flat.size, _SCAN_BLOCK):
        block = flat[begin:begin + _SCAN_BLOCK]
        # min/max propagate NaN and show inf without allocating a mask of the whole array.
        low, high = float(block.min()), float(block.max())
        if not (math.isfinite(low) and math.isfinite(high)):
            bad = "NaN" if math.isnan(low) or math.isnan(high) else "infinite"
            where = begin + int(np.flatnonzero(~np.isfinite(block))[0])
            raise ValueError(f"{name} contains {bad} samples (first at flat index {where}); "
                             "replace them (e.g. np.nan_to_num) before annotating")
        peak = max(peak, -low, high)
    return peak


def _from_array(array: Any, sample_rate: Any, name: str) -> AudioClip:
    arr = np.asarray(array)
    if arr.ndim not in (1, 2):
        raise ValueError(f"{name} must be a 1-D (mono) or 2-D (samples × channels) array, got "
                         f"{arr.ndim}-D with shape {arr.shape}")
    if arr.ndim == 2 and arr.shape[1] > MAX_CHANNELS and arr.shape[0] <= MAX_CHANNELS:
        raise ValueError(f"{name} has shape {arr.shape}: a 2-D array is samples × channels, "
                         f"and {arr.shape[1]} channels looks like channels × samples; pass "
                         f"{name}.T")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}): nothing to annotate")
    if sample_rate is None:
        raise TypeError(f"sample_rate is required when {name} is an array (samples per second)")
    rate = _check_rate(sample_rate)
    if arr.dtype == np.int16:
        stored = arr
    elif arr.dtype == np.int32:
        stored = arr.astype(np.float32) * np.float32(1.0 / 2**31)
    elif arr.dtype in (np.float32, np.float64):
        stored = arr.astype(np.float32, copy=False)
    else:
        raise ValueError(f"{name} must have dtype int16, int32, float32 or float64, got "
                         f"{arr.dtype}")
    stored = stored[None, :] if stored.ndim == 1 else stored.T
    stored = np.ascontiguousarray(stored)
    peak = _full_scale_peak(stored, name)
    return AudioClip(stored, rate, float(peak))


#: What soundfile reads, named in the error for an unreadable file.
SUPPORTED = "WAV (any subtype), FLAC, OGG/Vorbis, MP3, AIFF, CAF, W64, RF64"


def _from_soundfile(data: bytes, name: str) -> AudioClip:
    import soundfile

    try:
        info = soundfile.info(io.BytesIO(data))
        dtype = "int16" if info.subtype == "PCM_16" else "float32"
        values, rate = soundfile.read(io.BytesIO(data), dtype=dtype, always_2d=True)
    except Exception as error:  # soundfile raises its own error types
        raise ValueError(f"{name}: not a readable audio file ({error}); supported formats: "
                         f"{SUPPORTED}") from None
    return _from_array(values, rate, name)


def load_audio(audio: Any, sample_rate: Any = None, *, name: str = "audio") -> AudioClip:
    """Validate ``audio`` and return it as an :class:`AudioClip`.

    Parameters
    ----------
    audio : ndarray, str, PathLike or bytes
        A 1-D (mono) or 2-D (samples × channels) array of int16, int32, float32 or float64
        samples; or the path to, or the bytes of, an audio file (read with ``soundfile``:
        WAV of any subtype, FLAC, OGG/Vorbis, MP3, ...).
    sample_rate : float, optional
        Samples per second; required for arrays. For files it must match the file's rate
        when given.
    name : str
        The argument's name, for error messages.

    Examples
    --------
    >>> load_audio(np.ones((100, 2), dtype=np.float32), 100).channels
    2
    """
    if isinstance(audio, (str, PathLike)):
        path = Path(audio)
        if not path.is_file():
            raise FileNotFoundError(f"{name}: no audio file at {str(path)!r}")
        data: bytes | None = path.read_bytes()
        label = f"{name} ({path.name})"
    elif isinstance(audio, (bytes, bytearray, memoryview)):
        data = bytes(audio)
        label = name
    else:
        data = None
        label = name
    if data is None:
        if not (isinstance(audio, np.ndarray) or hasattr(audio, "__array__")
                or isinstance(audio, (list, tuple))):
            raise TypeError(f"{name} must be a numpy array, a path or the bytes of a WAV file, "
                            f"got {type(audio).__name__}")
        return _from_array(audio, sample_rate, name)
    if not data:
        raise ValueError(f"{label} is empty (0 bytes)")
    clip = _from_soundfile(data, label)
    if sample_rate is not None and _check_rate(sample_rate) != clip.sample_rate:
        raise ValueError(f"sample_rate={sample_rate!r} does not match the file's rate "
                         f"({clip.sample_rate:g} Hz); leave sample_rate out for files")
    return clip


def wav_bytes(samples: Any, sample_rate: int) -> bytes:
    """Encode a mono or samples × channels array as 16-bit PCM WAV bytes.

    Floats are taken as full scale in [-1, 1] and clipped. Used by tests and tutorials.

    Examples
    --------
    >>> wav_bytes(np.zeros(10), 8000)[:4]
    b'RIFF'
    """
    arr = np.asarray(samples)
    if arr.dtype != np.int16:
        arr = np.round(np.clip(arr, -1.0, 32767 / 32768) * 32768).astype(np.int16)
    arr = arr.reshape(arr.shape[0], -1)
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(arr.shape[1])
        writer.setsampwidth(2)
        writer.setframerate(int(sample_rate))
        writer.writeframes(arr.astype("<i2").tobytes())
    return out.getvalue()
