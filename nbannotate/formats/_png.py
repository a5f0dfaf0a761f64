"""PNG reading (numpy + zlib) and the pieces the label-mask writer adds to ``_binary``.

:func:`read_png` decodes every PNG that the specification allows: bit depths 1 to 16,
gray, RGB, palette, gray + alpha and RGBA, the five row filters and Adam7 interlacing. It
returns the stored sample values (palette indices stay indices), and the text chunks
(``tEXt``, ``zTXt``, ``iTXt``). The chunks are walked here (CRC, header and text checks, with
errors that name the chunk); the pixels are decoded by Pillow. Pillow keeps every sample value
except 16-bit colour (RGB, RGBA, gray + alpha), which it reduces to 8 bits: those, and files
Pillow refuses (the numpy path then names the broken row), are unfiltered here.

Examples
--------
>>> import numpy as np
>>> from nbannotate.media.images import png_bytes
>>> png = read_png(png_bytes(np.array([[0, 7], [255, 1]], dtype=np.uint8)))
>>> png.values.tolist(), png.color_type, png.bit_depth
([[0, 7], [255, 1]], 0, 8)
"""

from __future__ import annotations

import struct
import zlib
from typing import NamedTuple

import numpy as np

from ..media.images import PNG_SIGNATURE, _chunk, png_bytes

__all__ = ["PngImage", "gray_png", "read_png", "text_chunk"]

# Samples per pixel for each colour type.
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_COLOR_NAMES = {0: "gray", 2: "RGB", 3: "palette", 4: "gray + alpha", 6: "RGBA"}
# Adam7 passes: (first column, first row, column step, row step).
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


class PngImage(NamedTuple):
    """A decoded PNG: ``values`` is (H, W) for one sample per pixel, else (H, W, C)."""

    values: np.ndarray
    color_type: int
    bit_depth: int
    texts: dict[str, str]

    @property
    def color_name(self) -> str:
        """``"gray"``, ``"RGB"``, ``"palette"``, ``"gray + alpha"`` or ``"RGBA"``."""
        return _COLOR_NAMES[self.color_type]


def _text(kind: bytes, body: bytes) -> tuple[str, str]:
    keyword, _, rest = body.partition(b"\0")
    name = keyword.decode("latin-1")
    if kind == b"tEXt":
        return name, rest.decode("latin-1")
    if kind == b"zTXt":
        return name, zlib.decompress(rest[1:]).decode("latin-1")
    compressed = rest[:1] == b"\1"
    _, _, rest = rest[2:].partition(b"\0")  # language tag
    _, _, rest = rest.partition(b"\0")  # translated keyword
    return name, (zlib.decompress(rest) if compressed else rest).decode("utf-8")


def _paeth_row(row: np.ndarray, up: np.ndarray, bpp: int) -> None:
    line = row.tolist()
    above = up.tolist()
    for i in range(len(line)):
        b = above[i]
        if i >= bpp:
            a, c = line[i - bpp], above[i - bpp]
        else:
            a = c = 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
    row[:] = line


def _average_row(row: np.ndarray, up: np.ndarray, bpp: int) -> None:
    line = row.tolist()
    above = up.tolist()
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        line[i] = (line[i] + ((left + above[i]) >> 1)) & 0xFF
    row[:] = line


def _unfilter(raw: bytes, offset: int, height: int, stride: int, bpp: int,
              where: str) -> tuple[np.ndarray, int]:
    """Undo the row filters of ``height`` rows of ``stride`` bytes starting at ``offset``."""
    size = height * (stride + 1)
    if len(raw) < offset + size:
        raise ValueError(f"{where}: the image data is truncated ({len(raw) - offset} bytes for "
                         f"{height} rows of {stride + 1})")
    rows = np.frombuffer(raw, dtype=np.uint8, count=size, offset=offset)
    rows = rows.reshape(height, stride + 1)
    filters = rows[:, 0]
    out = rows[:, 1:].copy()
    bad = np.flatnonzero(filters > 4)
    if bad.size:
        raise ValueError(f"{where}: row {int(bad[0])} has an unknown filter type "
                         f"{int(filters[bad[0]])} (expected 0 to 4)")
    zero = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind = int(filters[y])
        if kind == 0:
            continue
        up = out[y - 1] if y else zero
        row = out[y]
        if kind == 1:  # Sub: a running sum per byte of the pixel, modulo 256
            whole = stride - stride % bpp
            row[:whole] = np.cumsum(row[:whole].reshape(-1, bpp), axis=0,
                                    dtype=np.uint8).ravel()
        elif kind == 2:  # Up
            row += up
        elif kind == 3:
            _average_row(row, up, bpp)
        else:
            _paeth_row(row, up, bpp)
    return out, offset + size


def _samples(rows: np.ndarray, width: int, channels: int, depth: int) -> np.ndarray:
    """Unpack filtered-out rows into an (H, W, C) array of sample values."""
    height = rows.shape[0]
    count = width * channels
    if depth == 8:
        values = rows[:, :count]
    elif depth == 16:
        values = rows[:, :2 * count].copy().view(">u2").astype(np.uint16)
    else:
        bits = np.unpackbits(rows, axis=1)[:, :count * depth].reshape(height, count, depth)
        weights = (1 << np.arange(depth - 1, -1, -1)).astype(np.uint8)
        values = (bits * weights).sum(axis=2, dtype=np.uint8)
    return values.reshape(height, width, channels)


def _with_pillow(data: bytes, color: int, depth: int, shape: tuple[int, int]
                 ) -> np.ndarray | None:
    """The sample values decoded by Pillow, or None where it would not keep them exactly."""
    if depth == 16 and color != 0:
        return None  # Pillow reduces 16-bit colour to 8 bits
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            mode = image.mode
            values = np.asarray(image)
    except Exception:  # the numpy path reports what is wrong, precisely
        return None
    if values.shape[:2] != shape:
        return None
    if mode == "1":
        return values.astype(np.uint8)
    if depth == 16:
        return values.astype(np.uint16)
    if color == 0 and depth in (2, 4) and mode == "L":
        values = values // (255 // (2 ** depth - 1))  # Pillow scales 2/4-bit gray to 0..255
    if (color, mode) not in ((0, "L"), (3, "P"), (2, "RGB"), (4, "LA"), (6, "RGBA")):
        return None
    return np.ascontiguousarray(values, dtype=np.uint8)


def read_png(data: bytes, *, what: str = "PNG") -> PngImage:
    """Decode PNG bytes to their sample values and text chunks.

    Parameters
    ----------
    data : bytes
        A whole PNG file.
    what : str
        How error messages name the data.

    Returns
    -------
    PngImage
        ``(values, color_type, bit_depth, texts)``; ``values`` is uint8 (uint16 at depth 16).

    Examples
    --------
    >>> read_png(b"GIF89a")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: PNG: not a PNG file (it starts with b'GIF89a')
    """
    data = bytes(data)
    if data[:8] != PNG_SIGNATURE:
        raise ValueError(f"{what}: not a PNG file (it starts with {data[:8]!r})")
    position = 8
    header: tuple[int, ...] | None = None
    parts: list[bytes] = []
    texts: dict[str, str] = {}
    while True:
        if position + 8 > len(data):
            raise ValueError(f"{what}: the file is truncated (no IEND chunk)")
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        crc = data[position + 8 + length:position + 12 + length]
        if len(body) != length or len(crc) != 4:
            raise ValueError(f"{what}: the file is truncated inside a {kind!r} chunk")
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body) & 0xFFFFFFFF:
            raise ValueError(f"{what}: the {kind.decode('latin-1')} chunk at byte {position} "
                             "fails its CRC check (the file is corrupt)")
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            parts.append(body)
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            try:
                key, value = _text(kind, body)
            except (zlib.error, UnicodeDecodeError) as error:
                raise ValueError(f"{what}: unreadable {kind.decode()} chunk ({error})") from None
            texts[key] = value
        elif kind == b"IEND":
            break
    if header is None or not parts:
        raise ValueError(f"{what}: the file has no {'IHDR' if header is None else 'IDAT'} chunk")
    width, height, depth, color, _, _, interlace = header
    if color not in _CHANNELS or depth not in _DEPTHS[color]:
        raise ValueError(f"{what}: colour type {color} with bit depth {depth} is not valid PNG")
    if width == 0 or height == 0 or interlace not in (0, 1):
        raise ValueError(f"{what}: invalid header (size {width}x{height}, interlace "
                         f"{interlace})")
    try:
        raw = zlib.decompress(b"".join(parts))
    except zlib.error as error:
        raise ValueError(f"{what}: the image data does not decompress ({error})") from None
    decoded = _with_pillow(data, color, depth, (height, width))
    if decoded is not None:
        return PngImage(decoded, color, depth, texts)
    channels = _CHANNELS[color]
    bpp = max(1, channels * depth // 8)  # bytes per complete pixel, for the filters
    where = f"{what}: {width}x{height} {_COLOR_NAMES[color]}"
    dtype = np.uint16 if depth == 16 else np.uint8
    if interlace == 0:
        stride = (width * channels * depth + 7) // 8
        rows, _ = _unfilter(raw, 0, height, stride, bpp, where)
        values = _samples(rows, width, channels, depth)
    else:
        values = np.zeros((height, width, channels), dtype=dtype)
        offset = 0
        for x0, y0, dx, dy in _ADAM7:
            sub_w, sub_h = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
            if sub_w <= 0 or sub_h <= 0:
                continue
            stride = (sub_w * channels * depth + 7) // 8
            rows, offset = _unfilter(raw, offset, sub_h, stride, bpp, where)
            values[y0::dy, x0::dx] = _samples(rows, sub_w, channels, depth)
    if channels == 1:
        values = values[:, :, 0]
    return PngImage(np.ascontiguousarray(values, dtype=dtype), color, depth, texts)


def text_chunk(keyword: str, text: str) -> bytes:
    """An uncompressed ``iTXt`` chunk (UTF-8 text under a Latin-1 keyword).

    Examples
    --------
    >>> _text(b"iTXt", text_chunk("k", "ü")[8:-4])
    ('k', 'ü')
    """
    return _chunk(b"iTXt", keyword.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8"))


def gray_png(values: np.ndarray, chunks: bytes = b"") -> bytes:
    """Encode a 2-D uint8 or uint16 array as an 8- or 16-bit gray PNG, with extra chunks.

    8-bit images go through :func:`nbannotate.media.images.png_bytes`; the extra chunks are
    placed right after ``IHDR``, where readers that stop at the image data still see them.

    Examples
    --------
    >>> read_png(gray_png(np.array([[0, 300]], dtype=np.uint16))).values.tolist()
    [[0, 300]]
    """
    if values.dtype == np.uint8:
        encoded = png_bytes(values, compression=6)
        return encoded[:33] + chunks + encoded[33:]  # signature (8) + IHDR chunk (25)
    height, width = values.shape
    raw = np.zeros((height, 2 * width + 1), dtype=np.uint8)
    raw[:, 1:] = values.astype(">u2").view(np.uint8).reshape(height, 2 * width)
    header = struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)
    return (PNG_SIGNATURE + _chunk(b"IHDR", header) + chunks
            + _chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)) + _chunk(b"IEND", b""))
