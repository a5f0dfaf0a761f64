"""Label Studio brush masks: the bit-packed run-length code of its ``brushlabels`` results.

A brush result's ``value.rle`` is a list of bytes holding the image as RGBA, row by row
(``original_height * original_width * 4`` values), compressed with the scheme of the
``@thi.ng/rle-pack`` package that Label Studio's front end uses. The bit stream (most
significant bit first) starts with a 32-bit value count, the word size minus 1 (5 bits)
and four run-length field sizes minus 1 (4 bits each). Then chunks follow until the count
is reached: a flag bit (1 = one value repeated, 0 = literal values), 2 bits choosing one of
the four field sizes, the run length minus 1 in that many bits, then the value (repeat) or
that many values (literal), each in word-size bits.

A pixel is inside the mask when its alpha is not 0; masks are written with all four
channels 255 inside and 0 outside, as Label Studio's converter writes them.

Examples
--------
>>> import numpy as np
>>> mask = np.array([[0, 1, 1], [0, 0, 1]], dtype=bool)
>>> code = mask_to_brush(mask)
>>> bool((brush_to_mask(code, 3, 2) == mask).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["brush_to_mask", "mask_to_brush"]

_WORD = 8
_SIZES = (3, 4, 8, 16)  # run-length field sizes in bits (rle-pack's defaults)


class _Bits:
    """Write bit fields, most significant bit first."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def put(self, value: int, bits: int) -> None:
        self.acc = (self.acc << bits) | value
        self.count += bits
        while self.count >= 8:
            self.count -= 8
            self.out.append((self.acc >> self.count) & 0xFF)
        self.acc &= (1 << self.count) - 1

    def finish(self) -> list[int]:
        if self.count:
            self.out.append((self.acc << (8 - self.count)) & 0xFF)
        return list(self.out)


def mask_to_brush(mask: Any) -> list[int]:
    """Encode a 2-D boolean mask (height, width) as a Label Studio brush ``rle`` list.

    Examples
    --------
    >>> mask_to_brush(np.zeros((1, 1), dtype=bool))
    [0, 0, 0, 4, 57, 27, 252, 96, 0]
    """
    flat = np.asarray(mask, dtype=bool).ravel()  # row by row, as the RGBA canvas data
    changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    starts = np.concatenate(([0], changes))
    lengths = np.diff(np.concatenate((starts, [flat.size]))) * 4  # four channels per pixel
    bits = _Bits()
    bits.put(flat.size * 4, 32)
    bits.put(_WORD - 1, 5)
    for size in _SIZES:
        bits.put(size - 1, 4)
    longest = 1 << _SIZES[-1]
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        value = 255 if flat[start] else 0
        while length > 0:
            run = min(length, longest)
            choice = next(i for i, size in enumerate(_SIZES) if run - 1 < 1 << size)
            bits.put(1, 1)
            bits.put(choice, 2)
            bits.put(run - 1, _SIZES[choice])
            bits.put(value, _WORD)
            length -= run
    return bits.finish()


def brush_to_mask(rle: Any, width: int, height: int, where: str = "rle") -> np.ndarray:
    """Decode a Label Studio brush ``rle`` list to a boolean mask (height, width).

    Examples
    --------
    >>> brush_to_mask([0, 0, 0, 4, 57, 27, 252, 96, 0], 1, 1).tolist()
    [[False]]
    >>> brush_to_mask([0, 0, 0, 8], 1, 1, "value.rle")
    Traceback (most recent call last):
    ...
    ValueError: value.rle: the code counts 8 values; a 1x1 RGBA image has 4
    """
    if not isinstance(rle, (list, tuple)) or not all(
            isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 255 for b in rle):
        raise ValueError(f"{where}: must be a list of byte values (0-255)")
    data = bytes(rle)
    total = len(data) * 8
    position = 0

    def read(bits: int) -> int:
        nonlocal position
        end = position + bits
        if end > total:
            raise ValueError(f"{where}: the code is truncated (needs bit {end}, has {total})")
        first, last = position >> 3, (end + 7) >> 3
        chunk = int.from_bytes(data[first:last], "big")
        position = end
        return (chunk >> (last * 8 - end)) & ((1 << bits) - 1)

    count = read(32)
    if count != width * height * 4:
        raise ValueError(f"{where}: the code counts {count} values; a {width}x{height} RGBA "
                         f"image has {width * height * 4}")
    word = read(5) + 1
    sizes = [read(4) + 1 for _ in range(4)]
    out = np.zeros(count, dtype=np.uint32)
    index = 0
    while index < count:
        repeat = read(1)
        end = index + 1 + read(sizes[read(2)])
        if end > count:
            raise ValueError(f"{where}: a run passes the end of the image (value {end} of "
                             f"{count})")
        if repeat:
            out[index:end] = read(word)
        else:
            out[index:end] = [read(word) for _ in range(end - index)]
        index = end
    return out.reshape(height, width, 4)[:, :, 3] > 0
