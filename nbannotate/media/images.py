"""Images as bytes: encoding arrays to PNG and reading sizes from PNG/JPEG headers.

Media cross the Python <-> browser boundary as binary buffers, never as base64 strings.
Encoding needs only numpy and zlib; Pillow is used only when the caller passes a PIL image.

Examples
--------
>>> import numpy as np
>>> data, mime, size = encode_image(np.zeros((4, 6, 3), dtype=np.uint8))
>>> mime, size
('image/png', (6, 4))
"""

from __future__ import annotations

import struct
import zlib
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["encode_image", "image_size_from_bytes", "png_bytes", "to_uint8_image"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def to_uint8_image(array: Any, *, name: str = "image") -> np.ndarray:
    """Validate an image array and return it as uint8 H×W, H×W×3 or H×W×4.

    Parameters
    ----------
    array : array-like
        H×W gray, H×W×3 RGB or H×W×4 RGBA; uint8, or float in [0, 1].
    name : str
        The argument's name, for error messages.

    Examples
    --------
    >>> to_uint8_image(np.ones((2, 2))).max()
    np.uint8(255)
    """
    arr = np.asarray(array)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ValueError(f"{name} must be an H×W, H×W×3 or H×W×4 array, got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if arr.dtype == np.uint8:
        return np.ascontiguousarray(arr)
    if arr.dtype == bool:
        return arr.astype(np.uint8) * 255
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains NaN or infinite values")
        low, high = float(arr.min()), float(arr.max())
        if low < 0.0 or high > 1.0:
            raise ValueError(f"{name}: a float image must have values in [0, 1], got "
                             f"[{low:g}, {high:g}] (convert to uint8 or divide by 255)")
        return np.round(arr * 255.0).astype(np.uint8)
    if np.issubdtype(arr.dtype, np.integer):
        low, high = int(arr.min()), int(arr.max())
        if low < 0 or high > 255:
            raise ValueError(f"{name}: an integer image must have values in [0, 255], got "
                             f"[{low}, {high}] (dtype {arr.dtype})")
        return arr.astype(np.uint8)
    raise ValueError(f"{name} must have a uint8 or float dtype, got {arr.dtype}")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bytes(array: Any, *, compression: int = 1) -> bytes:
    """Encode an image array as PNG (8-bit gray, RGB or RGBA).

    Parameters
    ----------
    array : array-like
        Any form :func:`to_uint8_image` accepts.
    compression : int
        zlib level 0–9; the default favours speed (the bytes go to a local browser).

    Examples
    --------
    >>> png_bytes(np.zeros((1, 1), dtype=np.uint8))[:8] == PNG_SIGNATURE
    True
    """
    img = to_uint8_image(array)
    height, width = img.shape[:2]
    color_type = 0 if img.ndim == 2 else {3: 2, 4: 6}[img.shape[2]]
    rows = img.reshape(height, -1)
    raw = np.empty((height, rows.shape[1] + 1), dtype=np.uint8)
    raw[:, 0] = 0  # filter type "None" for every row
    raw[:, 1:] = rows
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (PNG_SIGNATURE + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw.tobytes(), compression)) + _chunk(b"IEND", b""))


def image_size_from_bytes(data: bytes) -> tuple[str, tuple[int, int]]:
    """Read the MIME type and (width, height) of PNG, JPEG, GIF or WebP bytes from the header.

    Examples
    --------
    >>> image_size_from_bytes(png_bytes(np.zeros((3, 5), dtype=np.uint8)))
    ('image/png', (5, 3))
    """
    if data[:8] == PNG_SIGNATURE and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "image/png", (int(width), int(height))
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg", _jpeg_size(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", data[6:10])
        return "image/gif", (int(width), int(height))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", _webp_size(data)
    raise ValueError("image bytes are not a PNG, JPEG, GIF or WebP file "
                     f"(they start with {data[:8]!r})")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        # Start-of-frame markers carry the size (all SOFn except DHT, JPG and DAC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return int(width), int(height)
        pos += 2 + length
    raise ValueError("JPEG bytes have no start-of-frame marker: the file is truncated or corrupt")


def _webp_size(data: bytes) -> tuple[int, int]:
    kind = data[12:16]
    if kind == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height
    if kind == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ValueError("WebP bytes have an unknown chunk type")


def encode_image(image: Any, *, name: str = "image") -> tuple[bytes, str, tuple[int, int]]:
    """Turn any accepted image form into (encoded bytes, MIME type, (width, height)).

    Parameters
    ----------
    image : ndarray, PIL.Image, str, PathLike or bytes
        An array (see :func:`to_uint8_image`), a PIL image, a path to an image file, or
        encoded PNG/JPEG/GIF/WebP bytes (sent as they are, not re-encoded).
    name : str
        The argument's name, for error messages.

    Examples
    --------
    >>> encode_image(png_bytes(np.zeros((2, 3), dtype=np.uint8)))[2]
    (3, 2)
    """
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
        mime, size = image_size_from_bytes(data)
        return data, mime, size
    if isinstance(image, (str, PathLike)):
        path = Path(image)
        if not path.is_file():
            raise FileNotFoundError(f"{name}: no image file at {str(path)!r}")
        data = path.read_bytes()
        try:
            mime, size = image_size_from_bytes(data)
        except ValueError as error:
            raise ValueError(f"{name}: {path.name}: {error}") from None
        return data, mime, size
    if type(image).__module__.startswith("PIL."):
        image = np.asarray(image.convert("RGBA") if image.mode not in ("L", "RGB", "RGBA")
                           else image)
    if isinstance(image, np.ndarray) or hasattr(image, "__array__"):
        arr = to_uint8_image(image, name=name)
        return png_bytes(arr), "image/png", (int(arr.shape[1]), int(arr.shape[0]))
    raise TypeError(f"{name} must be a numpy array, a PIL image, a path or PNG/JPEG bytes, "
                    f"got {type(image).__name__}")
