"""Images as bytes: encoding arrays to PNG and reading sizes from PNG/JPEG headers.

Media cross the Python <-> browser boundary as binary buffers, never as base64 strings.
Arrays of any numeric dtype go through the display mapping (:mod:`nbannotate.media.display`).

Examples
--------
>>> import numpy as np
>>> data, mime, size = encode_image(np.zeros((4, 6, 3), dtype=np.uint8))
>>> mime, size
('image/png', (6, 4))
"""

from __future__ import annotations

import io
import struct
import zlib
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from .display import to_display

__all__ = ["encode_image", "image_size_from_bytes", "needs_decoding", "png_bytes", "read_image",
           "to_uint8_image"]

#: The file formats read through Pillow (besides PNG, JPEG, GIF and WebP sent as they are).
READABLE = ("PNG (8/16-bit)", "JPEG", "TIFF (8/16-bit, float)", "WebP", "BMP", "GIF")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def to_uint8_image(array: Any, *, name: str = "image", vmin: float | None = None,
                   vmax: float | None = None, colormap: str = "gray",
                   channels: Any = None) -> np.ndarray:
    """Any numeric image array as uint8 H×W, H×W×3 or H×W×4, ready to show.

    The mapping (contrast window, colormap, NaN shown transparent) is
    :func:`nbannotate.media.display.to_display`: uint8 as is, floats in [0, 1] as is, bool
    as 0/255, anything else auto-contrasted to its 0.5–99.5 percentiles.

    Parameters
    ----------
    array : array-like
        H×W, H×W×1, H×W×3, H×W×4 or more channels; any integer, float or bool dtype.
    name : str
        The argument's name, for error messages.
    vmin, vmax, colormap, channels
        See :func:`nbannotate.media.display.to_display`.

    Examples
    --------
    >>> to_uint8_image(np.ones((2, 2))).max()
    np.uint8(255)
    >>> to_uint8_image(np.array([[0, 4095]], dtype=np.uint16)).tolist()
    [[0, 255]]
    """
    return to_display(array, vmin=vmin, vmax=vmax, colormap=colormap, channels=channels,
                      name=name)[0]


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
    if data[:4] in (b"II*\x00", b"MM\x00*") or data[:2] == b"BM":
        from PIL import Image

        with Image.open(io.BytesIO(data)) as opened:
            kind = "image/tiff" if data[:2] != b"BM" else "image/bmp"
            return kind, _upright_size(opened)
    raise ValueError("image bytes are not a PNG, JPEG, GIF, WebP, TIFF or BMP file "
                     f"(they start with {data[:8]!r})")


def _orientation(opened: Any) -> int:
    try:
        return int(opened.getexif().get(0x0112, 1))
    except Exception:  # a broken EXIF block: shown as stored
        return 1


def _upright_size(opened: Any) -> tuple[int, int]:
    width, height = opened.size
    return (height, width) if _orientation(opened) in (5, 6, 7, 8) else (width, height)


def needs_decoding(data: bytes) -> bool:
    """True when encoded bytes cannot go to the browser as they are.

    8-bit PNG, GIF, WebP and upright JPEG are sent untouched (no decoding in the kernel:
    the fast path). 16-bit PNG (browsers drop to 8 bits without a contrast window), TIFF,
    BMP and JPEG with an EXIF orientation other than 1 are decoded with Pillow (see
    :func:`read_image`) and shown through the display mapping.

    Examples
    --------
    >>> needs_decoding(png_bytes(np.zeros((2, 2), dtype=np.uint8)))
    False
    """
    if data[:8] == PNG_SIGNATURE:
        return len(data) > 24 and data[24] == 16
    if data[:3] == b"\xff\xd8\xff":
        if b"Exif" not in data[:65536]:
            return False
        from PIL import Image

        with Image.open(io.BytesIO(data)) as opened:
            return _orientation(opened) != 1
    return data[:4] in (b"II*\x00", b"MM\x00*") or data[:2] == b"BM"


def read_image(source: Any, *, name: str = "image") -> np.ndarray:
    """Decode an image file (bytes or a path) with Pillow, keeping its values and upright.

    16-bit PNG and TIFF stay uint16, float TIFF stays float32, 32-bit integer TIFF int32;
    8-bit files give uint8 (gray, RGB or RGBA; palettes are expanded). The EXIF orientation
    is applied, so the array (and every coordinate on it) is the upright photo.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> out = io.BytesIO()
    >>> Image.fromarray(np.array([[0, 4095]], dtype=np.uint16)).save(out, "PNG")
    >>> read_image(out.getvalue()).tolist()
    [[0, 4095]]
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if isinstance(source, (str, PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"{name}: no image file at {str(path)!r}")
        where, data = path.name, path.read_bytes()
    else:
        where, data = name, bytes(source)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened) if _orientation(opened) != 1 else opened
            image.load()
            mode = image.mode
            if mode in ("I;16", "I;16B", "I;16L", "I;16N"):
                return np.asarray(image).astype(np.uint16)
            if mode == "I":
                arr = np.asarray(image)
                if arr.size and arr.min() >= 0 and arr.max() <= 65535:
                    return arr.astype(np.uint16)
                return arr.astype(np.int32)
            if mode == "F":
                return np.asarray(image, dtype=np.float32)
            if mode in ("L", "RGB", "RGBA"):
                return np.asarray(image)
            if mode == "1":
                return np.asarray(image.convert("L"))
            has_alpha = "A" in mode or "transparency" in image.info
            return np.asarray(image.convert("RGBA" if has_alpha else "RGB"))
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(f"{where}: not a readable image ({error}); expected one of "
                         f"{', '.join(READABLE)}") from None


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


def pil_values(image: Any) -> np.ndarray:
    """The values of a PIL image as an array, upright (16-bit and float modes kept).

    The EXIF orientation is applied, so coordinates refer to the upright image.

    Examples
    --------
    >>> from PIL import Image
    >>> pil_values(Image.new("I;16", (3, 2), 4000)).dtype
    dtype('uint16')
    """
    from PIL import ImageOps

    if _orientation(image) != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode in ("L", "RGB", "RGBA", "F") or image.mode.startswith("I;16"):
        arr = np.asarray(image)
        return arr.astype(np.uint16) if image.mode.startswith("I;16") else arr
    if image.mode == "I":
        return np.asarray(image).astype(np.int32)
    return np.asarray(image.convert("RGBA" if "A" in image.mode
                                    or "transparency" in image.info else "RGB"))


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
        if needs_decoding(data):
            return encode_image(read_image(data, name=name), name=name)
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
        if needs_decoding(data):
            return encode_image(read_image(data, name=f"{name}: {path.name}"), name=name)
        return data, mime, size
    if type(image).__module__.startswith("PIL."):
        image = pil_values(image)
    if isinstance(image, np.ndarray) or hasattr(image, "__array__"):
        arr = to_uint8_image(image, name=name)
        return png_bytes(arr), "image/png", (int(arr.shape[1]), int(arr.shape[0]))
    raise TypeError(f"{name} must be a numpy array, a PIL image, a path or PNG/JPEG bytes, "
                    f"got {type(image).__name__}")
