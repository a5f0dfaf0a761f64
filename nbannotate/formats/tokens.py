"""A small Unicode-aware tokenizer, shared by the text formats and the TextAnnotator.

Tokens are runs of word characters (letters, digits, ``_`` and combining marks, so that
``"हिन्दी"`` or a decomposed ``"é"`` stay whole); single CJK ideographs and kana (text
written without spaces is tagged character by character, as Chinese and Japanese NER
data is); or single other characters (punctuation, symbols, emoji) together with the
marks, skin-tone modifiers and zero-width-joiner sequences that belong to them, and a pair
of regional indicators (a flag) as one token.
Whitespace separates tokens and is never part of one. Offsets are Python ``str`` offsets
(code points), ``end`` exclusive, like span records.

Examples
--------
>>> text = "😀 Anna lives in Köln."
>>> [text[s:e] for s, e in tokenize(text)]
['😀', 'Anna', 'lives', 'in', 'Köln', '.']
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

__all__ = ["snap_span", "tokenize"]


def _mark_ranges() -> str:
    """Character-class body covering the combining marks (Mn, Mc, Me)."""
    ranges: list[tuple[int, int]] = []
    for lo, hi in ((0, 0x20000), (0xE0000, 0xE1000)):
        for code in range(lo, min(hi, sys.maxunicode + 1)):
            if unicodedata.category(chr(code)).startswith("M"):
                if ranges and ranges[-1][1] == code - 1:
                    ranges[-1] = (ranges[-1][0], code)
                else:
                    ranges.append((code, code))
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


# Hiragana, Katakana, CJK ideographs (unified, extension A, compatibility, supplementary planes)
_CJK = ("\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f"
        "\\U00020000-\\U0003134f")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    marks = _mark_ranges()
    attach = f"[{marks}\\U0001f3fb-\\U0001f3ff]*"  # marks and emoji skin-tone modifiers
    flag = "[\\U0001f1e6-\\U0001f1ff]{2}"
    cjk = f"[{_CJK}]{attach}"
    word = f"(?:(?![{_CJK}])[\\w{marks}])+"
    symbol = f"[^\\w\\s{marks}]{attach}(?:\\u200d[^\\s]{attach})*"
    return re.compile(f"{flag}|{cjk}|{word}|{symbol}")


def tokenize(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into tokens and return their ``(start, end)`` code-point offsets.

    Parameters
    ----------
    text : str
        The document.

    Returns
    -------
    list of (int, int)
        Token offsets in order; ``text[start:end]`` is the token, never containing
        whitespace.

    Examples
    --------
    >>> tokenize("Hi, 世界!")
    [(0, 2), (2, 3), (4, 5), (5, 6), (6, 7)]
    >>> tokenize("cafe\\u0301 ok")  # the combining accent stays in its word
    [(0, 5), (6, 8)]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return [match.span() for match in _pattern().finditer(text)]


def snap_span(text: str, start: int, end: int,
              tokens: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """Widen ``[start, end)`` to the boundaries of the tokens it touches.

    Parameters
    ----------
    text : str
        The document.
    start, end : int
        Code-point offsets, ``end`` exclusive.
    tokens : list of (int, int), optional
        Precomputed ``tokenize(text)``.

    Returns
    -------
    (int, int)
        The smallest token-aligned range covering every token that overlaps the input.

    Raises
    ------
    ValueError
        When the range is empty or touches no token (only whitespace).

    Examples
    --------
    >>> text = "Anna lives in Köln"
    >>> s, e = snap_span(text, 15, 17)
    >>> text[s:e]
    'Köln'
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span [{start}:{end}] must satisfy 0 <= start < end <= "
                         f"{len(text)} (the text length)")
    touched = [(s, e) for s, e in (tokens if tokens is not None else tokenize(text))
               if s < end and e > start]
    if not touched:
        raise ValueError(f"span [{start}:{end}] ({text[start:end]!r}) covers no token, "
                         "only whitespace")
    return touched[0][0], touched[-1][1]
