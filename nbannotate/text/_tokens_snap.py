"""Token boundaries for the TextAnnotator: custom tokenizers, UTF-16 buffers, alignment checks.

The browser snaps a selection to whole tokens at mouse-up. With the default tokenizer
(:func:`nbannotate.formats.tokens.tokenize`) it finds the same tokens itself, near the
selection only (``js/text/tokens.ts``: the same pattern, run as a scanner;
``tests/fixtures/tokens.json`` proves they agree). A custom tokenizer (a callable) cannot run
in the browser, so its tokens cross once, as a binary buffer of little-endian Int32 UTF-16
offsets ``[s0, e0, s1, e1, ...]``.

The kernel checks that a span arriving from the browser is token-aligned. With the default
tokenizer this check tokenizes only a window around the span: tokens never contain
whitespace, so tokenizing from just after a whitespace character gives the same tokens as
tokenizing the whole document.

Examples
--------
>>> buffer, starts, ends = custom_tokens("a😀 b", lambda t: [(0, 2), (3, 4)])
>>> np.frombuffer(buffer, dtype="<i4").tolist()
[0, 3, 4, 5]
>>> is_token_aligned("Anna lives", 0, 4)
True
>>> is_token_aligned("Anna lives", 1, 4)
False
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..formats.tokens import tokenize

__all__ = ["custom_tokens", "is_token_aligned", "utf16_offsets"]

Tokenizer = Callable[[str], Sequence[tuple[int, int]]]

#: How far the default-tokenizer check looks for whitespace around a span before it
#: tokenizes the whole document once (texts without spaces, such as Japanese).
WINDOW = 512


def utf16_offsets(text: str, offsets: np.ndarray) -> np.ndarray:
    """Convert code-point offsets of ``text`` to UTF-16 code-unit offsets.

    Examples
    --------
    >>> utf16_offsets("😀a", np.array([0, 1, 2])).tolist()
    [0, 2, 3]
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return offsets  # no astral characters: the offsets are the same
    units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    astral_before = np.concatenate([[0], np.cumsum(units > 0xFFFF)])
    return offsets + astral_before[offsets]


def custom_tokens(text: str, tokenizer: Tokenizer) -> tuple[bytes, frozenset[int], frozenset[int]]:
    """Run a custom tokenizer once and check what it returns.

    Returns
    -------
    (bytes, frozenset, frozenset)
        The Int32 little-endian buffer of UTF-16 offsets sent to the browser, and the sets of
        token starts and ends in code points (for the kernel's checks).

    Raises
    ------
    TypeError, ValueError
        When the result is not a list of ``(start, end)`` code-point pairs, in order, not
        overlapping, inside the text.
    """
    result: Any = tokenizer(text)
    try:
        pairs = np.asarray(list(result), dtype=np.int64)
    except (TypeError, ValueError) as error:
        raise TypeError("snap: the tokenizer must return a list of (start, end) integer "
                        f"pairs, got {type(result).__name__} ({error})") from None
    if pairs.size == 0:
        pairs = pairs.reshape(0, 2)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise TypeError("snap: the tokenizer must return a list of (start, end) integer pairs, "
                        f"got an array of shape {pairs.shape}")
    starts, ends = pairs[:, 0], pairs[:, 1]
    bad = np.flatnonzero((starts < 0) | (ends <= starts) | (ends > len(text)))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"snap: token {i} = {tuple(pairs[i].tolist())} must satisfy "
                         f"0 <= start < end <= {len(text)} (the text length)")
    unordered = np.flatnonzero(starts[1:] < ends[:-1])
    if unordered.size:
        i = int(unordered[0]) + 1
        raise ValueError(f"snap: tokens must be in order and not overlap; token {i} = "
                         f"{tuple(pairs[i].tolist())} starts before token {i - 1} = "
                         f"{tuple(pairs[i - 1].tolist())} ends")
    if pairs.size and (int(ends[-1]) > 2**31 - 1):
        raise ValueError("snap: the text is too long for Int32 offsets")
    utf16 = utf16_offsets(text, pairs.reshape(-1)).astype("<i4")
    return (utf16.tobytes(), frozenset(starts.tolist()), frozenset(ends.tolist()))


class _FullTokens:
    """Token starts and ends of a whole document, computed once when first needed."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.starts: frozenset[int] = frozenset()
        self.ends: frozenset[int] = frozenset()

    def get(self, text: str) -> tuple[frozenset[int], frozenset[int]]:
        if self.text is not text:
            tokens = tokenize(text)
            self.starts = frozenset(s for s, _ in tokens)
            self.ends = frozenset(e for _, e in tokens)
            self.text = text
        return self.starts, self.ends


_full = _FullTokens()


def is_token_aligned(text: str, start: int, end: int,
                     tokens: tuple[frozenset[int], frozenset[int]] | None = None) -> bool:
    """True when ``start`` begins a token and ``end`` ends one.

    Parameters
    ----------
    text : str
        The document.
    start, end : int
        Code-point offsets, ``end`` exclusive.
    tokens : (starts, ends), optional
        Token starts and ends of a custom tokenizer; by default the formats tokenizer, run
        on a window around the span.

    Examples
    --------
    >>> is_token_aligned("😀 Anna lives in Köln", 16, 20)
    True
    """
    if tokens is not None:
        return start in tokens[0] and end in tokens[1]
    lo = start
    while lo > 0 and not text[lo - 1].isspace() and start - lo < WINDOW:
        lo -= 1
    hi = end
    while hi < len(text) and not text[hi].isspace() and hi - end < WINDOW:
        hi += 1
    clean_lo = lo == 0 or text[lo - 1].isspace()
    clean_hi = hi == len(text) or text[hi].isspace()
    if not (clean_lo and clean_hi):
        starts, ends = _full.get(text)
        return start in starts and end in ends
    window = tokenize(text[lo:hi])
    return (any(s + lo == start for s, _ in window)
            and any(e + lo == end for _, e in window))
