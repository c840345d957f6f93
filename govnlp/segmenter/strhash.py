"""64-bit polynomial string hashes that compose, computed with numpy.

A string ``s`` of code points hashes to ``H(s) = sum((ord(c) + 1) * B**(n-1-k))``
modulo 2**64 (numpy's ``uint64`` arithmetic wraps, which is exactly that). Two
properties make it fit the segmenter:

* it composes: ``H(a + b) == H(a) * B**len(b) + H(b)``, so the hash of a feature
  name such as ``"c-1c." + prev + "." + c`` is built from the hashes of its
  parts, for every character of a document at once (:func:`concat`);
* the hash of any substring comes from one prefix array: with
  ``S[k] = sum(d[j] * B**-(j+1) for j < k)`` (``B`` is odd, so it has an inverse
  modulo 2**64), ``H(s[a:b]) == B**b * (S[b] - S[a])`` (:class:`Prefix`).

The raw hash is mixed with murmur3's 64-bit finaliser (:func:`finalize`) before
it is used as a key, so that its high bits (the hash table's buckets) are
uniform. Digits are ``ord(c) + 1`` so that no non-empty string hashes like ``""``.

>>> int(finalize(hash_strings(["ab"]))[0]) == int(
...     finalize(concat(hash_strings(["a"]), hash_strings(["b"]), np.array([1])))[0]
... )
True
"""

from __future__ import annotations

from typing import List, Sequence

import numpy as np

#: The base (odd, so invertible modulo 2**64): the 64-bit golden ratio.
BASE = 0x9E3779B97F4A7C15
BASE_INV = pow(BASE, -1, 2**64)
_U64 = np.uint64

_pow = np.ones(1, dtype=_U64)
_ipow = np.ones(1, dtype=_U64)


def powers(n: int) -> "tuple[np.ndarray, np.ndarray]":
    """``(B**k, B**-k)`` for ``k`` in ``0..n`` (at least), modulo 2**64; cached and grown.

    >>> p, ip = powers(3)
    >>> int(p[2]) * int(ip[2]) % 2**64
    1
    """
    global _pow, _ipow
    if n >= _pow.size:
        size = max(n + 1, 2 * _pow.size, 1024)
        p = np.full(size, BASE, dtype=_U64)
        p[0] = 1
        ip = np.full(size, BASE_INV, dtype=_U64)
        ip[0] = 1
        _pow = np.multiply.accumulate(p)
        _ipow = np.multiply.accumulate(ip)
    return _pow, _ipow


def finalize(h: np.ndarray) -> np.ndarray:
    """Murmur3's ``fmix64`` of each raw hash (a bijection of uint64; mixes all bits).

    >>> finalize(np.array([0], dtype=np.uint64)).tolist()
    [0]
    """
    h = np.asarray(h, dtype=_U64)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


def concat(h1: np.ndarray, h2: np.ndarray, len2: np.ndarray) -> np.ndarray:
    """Raw hash of ``a + b`` from the raw hashes of ``a`` and ``b`` and ``len(b)``.

    >>> a, b = hash_strings(["县发", "改局"])
    >>> int(concat(np.array([a]), np.array([b]), np.array([2]))[0]) == int(
    ...     hash_strings(["县发改局"])[0]
    ... )
    True
    """
    p, _ = powers(int(np.max(len2, initial=0)))
    return np.asarray(h1, dtype=_U64) * p[len2] + np.asarray(h2, dtype=_U64)


def const(s: str) -> int:
    """Raw hash of one string, as a Python int (for constants such as feature prefixes).

    >>> const("") == 0 and const("a") == ord("a") + 1
    True
    """
    h = 0
    for c in s:
        h = (h * BASE + ord(c) + 1) % 2**64
    return h


def codes(text: str) -> np.ndarray:
    r"""The code points of ``text`` as ``uint32`` (one C-level encode; lone surrogates included).

    >>> codes("县a\ud800").tolist()
    [21439, 97, 55296]
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class Prefix:
    """Prefix sums over a sequence of *units* with their own raw hashes and lengths.

    A unit is one character (``hashes = codes + 1``, ``lengths = 1``) or a longer
    string standing for one character (pkuseg's ``"**Num"``). ``hash(a, b)`` is
    the raw hash of the concatenation of units ``a..b-1``, ``length(a, b)`` its
    length in characters; both are vectorised over index arrays.

    >>> pre = Prefix.of_text("县发改局")
    >>> int(pre.hash(np.array([1]), np.array([3]))[0]) == const("发改")
    True
    """

    def __init__(self, hashes: np.ndarray, lengths: np.ndarray) -> None:
        n = len(hashes)
        self.ends = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.ends[1:])
        total = int(self.ends[-1])
        self.pow, ipow = powers(total)
        self.sums = np.zeros(n + 1, dtype=_U64)
        np.cumsum(np.asarray(hashes, dtype=_U64) * ipow[self.ends[1:]], out=self.sums[1:])

    @classmethod
    def of_text(cls, text: str) -> "Prefix":
        """Units = the characters of ``text``."""
        c = codes(text)
        return cls(c.astype(_U64) + _U64(1), np.ones(len(c), dtype=np.int64))

    def hash(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Raw hashes of units ``a[i]..b[i]-1`` (empty when ``a == b``)."""
        return self.pow[self.ends[b]] * (self.sums[b] - self.sums[a])

    def length(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Lengths in characters of units ``a[i]..b[i]-1``."""
        return self.ends[b] - self.ends[a]


def hash_strings(strings: Sequence[str], chunk: int = 200_000) -> np.ndarray:
    """Raw hashes of many strings, vectorised (set-up time: 2.5 M names in seconds).

    >>> hash_strings(["", "a", "县"]).tolist() == [const(""), const("a"), const("县")]
    True
    """
    out: List[np.ndarray] = []
    for lo in range(0, len(strings), chunk):
        part = list(strings[lo : lo + chunk])
        lengths = np.fromiter((len(s) for s in part), dtype=np.int64, count=len(part))
        starts = np.zeros(len(part) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        pre = Prefix.of_text("".join(part))
        out.append(pre.hash(starts[:-1], starts[1:]))
    return np.concatenate(out) if out else np.zeros(0, dtype=_U64)
