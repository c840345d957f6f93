"""Counting character n-grams of a fixed vocabulary, fast, exactly as scikit-learn does.

scikit-learn's ``CountVectorizer(analyzer="char")`` builds every n-gram as a
Python string and looks it up in a dict. Here each n-gram of up to three
characters is packed into one 64-bit integer (21 bits per code point) and
looked up, for all the texts of a call at once, in a
:class:`~govnlp.segmenter.hashtable.HashTable` of the vocabulary's keys — the
same counts (lower-casing and the collapse of whitespace runs included), several
times faster. One-character n-grams of the Basic Multilingual Plane are looked up by
code point in a dense array instead.

>>> counter = CharNgramCounter(["安", "安全", "全", "生产"], (1, 2))
>>> counter.transform(["安全生产安全"]).toarray().tolist()
[[2.0, 2.0, 2.0, 1.0]]
"""

from __future__ import annotations

import re
from typing import Dict, List, Sequence, Tuple

import numpy as np
from scipy import sparse

from ..segmenter.hashtable import HashTable

__all__ = ["CharNgramCounter"]

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's own: runs of 2+ whitespace → one space
_BITS = 21  # every Unicode code point fits in 21 bits
MAX_N = 3  # 3 × 21 = 63 bits
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it permutes the uint64 keys


def _pack(chars: np.ndarray, n: int) -> np.ndarray:
    """Keys of every n-gram of a code-point array (length len - n + 1)."""
    length = len(chars) - n + 1
    keys = chars[:length].copy()
    for j in range(1, n):
        keys = (keys << np.uint64(_BITS)) | chars[j : j + length]
    return keys


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


class CharNgramCounter:
    """Counts of a fixed vocabulary of character n-grams (n ≤ 3) per text."""

    def __init__(self, vocabulary: Sequence[str], ngram_range: Tuple[int, int]) -> None:
        self.min_n, self.max_n = int(ngram_range[0]), int(ngram_range[1])
        if not 1 <= self.min_n <= self.max_n <= MAX_N:
            raise ValueError(f"ngram_range {ngram_range} not supported (1 ≤ n ≤ {MAX_N})")
        self.size = len(vocabulary)
        lengths = np.fromiter((len(g) for g in vocabulary), dtype=np.int64, count=len(vocabulary))
        if len(lengths) and (lengths.min() < 1 or lengths.max() > MAX_N):
            raise ValueError(f"vocabulary n-grams must have 1 to {MAX_N} characters")
        chars = _codepoints("".join(vocabulary))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else lengths
        self._tables: Dict[int, HashTable] = {}  # n → the n-grams' keys (mixed) → their ids
        for n in range(1, MAX_N + 1):
            ids = np.flatnonzero(lengths == n)
            if not len(ids):
                continue
            keys = chars[starts[ids]]
            for j in range(1, n):
                keys = (keys << np.uint64(_BITS)) | chars[starts[ids] + j]
            # mixed (a bijection of uint64) so that the table's top-bit buckets are even
            self._tables[n] = HashTable.build(keys * _MIX, values=ids)
        # one-character n-grams of the BMP by direct index (the others through their table)
        self._bmp = np.full(0x10000, -1, dtype=np.int32)
        singles = np.flatnonzero(lengths == 1)
        codes = chars[starts[singles]] if len(singles) else np.zeros(0, dtype=np.uint64)
        in_bmp = codes <= 0xFFFF
        self._bmp[codes[in_bmp].astype(np.int64)] = singles[in_bmp]

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """A (texts × vocabulary) matrix of counts, float32 (canonical CSR: sorted, summed).

        All texts are read in one pass: their code points side by side, every n-gram that
        does not straddle two texts looked up at once.
        """
        prepared = [_WHITE_SPACES.sub(" ", text.lower()) for text in texts]
        chars = _codepoints("".join(prepared))
        lengths = np.fromiter(map(len, prepared), dtype=np.int64, count=len(prepared))
        row_at = np.repeat(np.arange(len(prepared), dtype=np.int64), lengths)
        cells: List[np.ndarray] = []  # row × size + column of every n-gram found
        for n in range(self.min_n, self.max_n + 1):
            if len(chars) < n or n not in self._tables:
                continue
            keys = _pack(chars, n)
            rows = row_at[: len(keys)]
            if n > 1:  # keep the n-grams that start and end in the same text
                inside = rows == row_at[n - 1 :]
                keys, rows = keys[inside], rows[inside]
            ids = self._ids(n, keys)
            hit = ids >= 0
            cells.append(rows[hit] * self.size + ids[hit])
        return _count_matrix(cells, len(prepared), self.size)

    def _ids(self, n: int, keys: np.ndarray) -> np.ndarray:
        """The vocabulary id of each packed n-gram of ``keys`` (-1: not in the vocabulary)."""
        if n != 1:
            return self._tables[n].get(keys * _MIX)
        ids = self._bmp[(keys & np.uint64(0xFFFF)).astype(np.int64)]
        astral = np.flatnonzero(keys > 0xFFFF)
        if len(astral):
            ids[astral] = self._tables[1].get(keys[astral] * _MIX)
        return ids


def _count_matrix(cells: List[np.ndarray], n_rows: int, size: int) -> sparse.csr_matrix:
    """The canonical CSR matrix counting each ``row × size + column`` of ``cells``."""
    found = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
    if n_rows * size < 2**31:  # sorted as 32-bit integers: about twice as fast as 64-bit ones
        found = found.astype(np.int32)
    cell, counts = np.unique(found, return_counts=True)
    rows, cols = np.divmod(cell, size)
    indptr = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    out = sparse.csr_matrix(
        (counts.astype(np.float32), cols.astype(np.int32), indptr), shape=(n_rows, size)
    )
    out.has_canonical_format = True  # unique cells, ascending: sorted and without duplicates
    return out
