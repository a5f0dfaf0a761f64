"""Hashed token features for sequence tagging: form, shape, affixes, and neighbours ±2.

Each token gives a list of feature strings ("w=anna", "s=Xx", "p2=an", "w-1=dr", ...),
hashed into columns exactly as scikit-learn's ``FeatureHasher(input_type="string",
alternate_sign=False)`` does (MurmurHash3, seed 0). :class:`TokenHasher` builds the sparse
matrix directly, caching each word's columns, so a long document costs little more than its
distinct words (``token_feature_lists`` is the readable definition it matches).

Examples
--------
>>> text = "Dr. Anna said"
>>> feats = token_feature_lists(text, [(0, 2), (2, 3), (4, 8), (9, 13)])
>>> "w=anna" in feats[2] and "w-2=dr" in feats[2] and "s=Xx" in feats[2]
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["TokenHasher", "token_feature_lists", "word_shape"]


def word_shape(word: str) -> str:
    """A compressed shape: upper ``X``, lower ``x``, digit ``d``, other kept; runs collapsed.

    Examples
    --------
    >>> word_shape("McDonald's"), word_shape("2019"), word_shape("😀")
    ("XxXx'x", 'd', '😀')
    """
    out: list[str] = []
    for char in word:
        code = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() \
            else char
        if not out or out[-1] != code:
            out.append(code)
    return "".join(out)[:8]


@lru_cache(maxsize=65536)
def _own(word: str) -> tuple[tuple[str, ...], str, str]:
    """Features of the token's own string, its lowercase form and its shape."""
    low = word.lower()
    shape = word_shape(word)
    feats = ["b", "w=" + low, "s=" + shape, "l=" + str(min(len(word), 8))]
    for k in (1, 2, 3):
        if len(low) > k:
            feats.append(f"p{k}={low[:k]}")
            feats.append(f"x{k}={low[-k:]}")
    if word[:1].isupper():
        feats.append("t")
        if word.isupper() and len(word) > 1:
            feats.append("u")
    if any(c.isdigit() for c in word):
        feats.append("d")
    if not any(c.isalnum() for c in word):
        feats.append("y")
    return tuple(feats), low, shape


def token_feature_lists(text: str, tokens: list[tuple[int, int]]) -> list[list[str]]:
    """Feature strings for each token of ``text`` (its ``(start, end)`` code-point offsets)."""
    own = [_own(text[start:end]) for start, end in tokens]
    lows = ["<s>", "<s>"] + [o[1] for o in own] + ["</s>", "</s>"]
    shapes = ["<s>", "<s>"] + [o[2] for o in own] + ["</s>", "</s>"]
    out: list[list[str]] = []
    for i, (feats, low, _shape) in enumerate(own):
        j = i + 2
        row = list(feats)
        row += ("w-1=" + lows[j - 1], "w+1=" + lows[j + 1], "w-2=" + lows[j - 2],
                "w+2=" + lows[j + 2], "s-1=" + shapes[j - 1], "s+1=" + shapes[j + 1],
                "s-2=" + shapes[j - 2], "s+2=" + shapes[j + 2],
                "b-1=" + lows[j - 1] + "|" + low, "b+1=" + low + "|" + lows[j + 1],
                "z=" + shapes[j - 1] + "|" + shapes[j] + "|" + shapes[j + 1])
        out.append(row)
    return out


_CONTEXT = ("w-1=", "w+1=", "w-2=", "w+2=")
_SHAPE_CONTEXT = ("s-1=", "s+1=", "s-2=", "s+2=")
#: Caches are cleared when they grow past this many entries.
_CACHE_LIMIT = 500_000


class TokenHasher:
    """Hashed token features of a document as a sparse matrix (one row per token).

    Examples
    --------
    >>> from sklearn.feature_extraction import FeatureHasher
    >>> text, tokens = "Dr. Anna said", [(0, 2), (2, 3), (4, 8), (9, 13)]
    >>> fast = TokenHasher(1024).transform(text, tokens)
    >>> slow = FeatureHasher(1024, input_type="string", alternate_sign=False).transform(
    ...     token_feature_lists(text, tokens))
    >>> bool(abs(fast - slow).sum() == 0)
    True
    """

    def __init__(self, n_features: int) -> None:
        self.n_features = int(n_features)
        self._columns: dict[str, int] = {}
        self._words: dict[str, tuple[np.ndarray, np.ndarray, str, str]] = {}

    def column(self, feature: str) -> int:
        """The hashed column of one feature string."""
        found = self._columns.get(feature)
        if found is None:
            from sklearn.utils import murmurhash3_32

            h = int(murmurhash3_32(feature, seed=0))
            found = ((2**31 - 1 - (self.n_features - 1)) % self.n_features if h == -2**31
                     else abs(h) % self.n_features)
            if len(self._columns) > _CACHE_LIMIT:
                self._columns.clear()
            self._columns[feature] = found
        return found

    def _word(self, word: str) -> tuple[np.ndarray, np.ndarray, str, str]:
        found = self._words.get(word)
        if found is None:
            feats, low, shape = _own(word) if word not in ("<s>", "</s>") else ((), word, word)
            own = np.array([self.column(f) for f in feats], dtype=np.int64)
            context = np.array([self.column(p + low) for p in _CONTEXT]
                               + [self.column(p + shape) for p in _SHAPE_CONTEXT],
                               dtype=np.int64)
            found = (own, context, low, shape)
            if len(self._words) > _CACHE_LIMIT:
                self._words.clear()
            self._words[word] = found
        return found

    def transform(self, text: str, tokens: list[tuple[int, int]]) -> Any:
        """CSR matrix (n_tokens, n_features), float32, of the tokens' features."""
        import scipy.sparse as sp

        n = len(tokens)
        if n == 0:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        unique: dict[str, int] = {"<s>": 0, "</s>": 1}
        ids = np.array([unique.setdefault(text[a:b], len(unique)) for a, b in tokens])
        info = [self._word(w) for w in unique]
        own_len = np.array([i[0].size for i in info])
        own_flat = np.concatenate([i[0] for i in info])
        own_start = np.concatenate(([0], np.cumsum(own_len)[:-1]))
        context = np.stack([i[1] for i in info])  # (n_unique, 8)
        padded = np.concatenate(([0, 0], ids, [1, 1]))
        j = np.arange(n) + 2
        fixed = np.stack([context[padded[j - 1], 0], context[padded[j + 1], 1],
                          context[padded[j - 2], 2], context[padded[j + 2], 3],
                          context[padded[j - 1], 4], context[padded[j + 1], 5],
                          context[padded[j - 2], 6], context[padded[j + 2], 7]], axis=1)
        lows = [i[2] for i in info]
        shapes = [i[3] for i in info]
        pads = padded.tolist()
        column = self.column
        pairs = np.array([(column("b-1=" + lows[pads[k - 1]] + "|" + lows[pads[k]]),
                           column("b+1=" + lows[pads[k]] + "|" + lows[pads[k + 1]]),
                           column("z=" + shapes[pads[k - 1]] + "|" + shapes[pads[k]] + "|"
                                  + shapes[pads[k + 1]]))
                          for k in range(2, n + 2)], dtype=np.int64)
        counts = own_len[ids]
        take = np.repeat(own_start[ids] - np.concatenate(([0], np.cumsum(counts)[:-1])),
                         counts) + np.arange(int(counts.sum()))
        rows = np.concatenate((np.repeat(np.arange(n), counts), np.repeat(np.arange(n), 11)))
        cols = np.concatenate((own_flat[take], np.concatenate((fixed, pairs), axis=1).ravel()))
        matrix = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (rows, cols)),
                               shape=(n, self.n_features))
        matrix.sum_duplicates()
        return matrix
