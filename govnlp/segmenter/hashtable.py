"""A read-only set of 64-bit keys, looked up vectorised, stored as memory-mappable ``.npy`` arrays.

The keys are sorted; ``buckets[b]`` is the position of the first key whose top
``bits`` bits are ``>= b``, so the keys of bucket ``b`` are
``keys[buckets[b]:buckets[b + 1]]`` (about one on average). :meth:`HashTable.find`
looks a whole array of keys up with a handful of numpy operations per probe
round, instead of one Python ``dict`` access per key; :meth:`HashTable.save`
writes ``<stem>.keys.npy`` and ``<stem>.buckets.npy`` (and ``<stem>.values.npy``
when the keys carry values), which :meth:`HashTable.load` memory-maps, so
processes share their pages and loading takes milliseconds.

>>> t = HashTable.build(np.array([5, 3, 9], dtype=np.uint64), values=np.array([50, 30, 90]))
>>> t.get(np.array([9, 4, 3], dtype=np.uint64)).tolist()
[90, -1, 30]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import numpy as np

_U64 = np.uint64


def bucket_bits(n: int) -> int:
    """Number of bucket bits for ``n`` keys: one to two keys per bucket, at least 4 bits.

    >>> bucket_bits(1000), bucket_bits(2_500_000)
    (9, 21)
    """
    return max(4, int(n).bit_length() - 1)


class HashTable:
    """Sorted uint64 keys with bucket offsets and optional int32 values (see the module doc)."""

    def __init__(
        self, keys: np.ndarray, buckets: np.ndarray, values: Optional[np.ndarray] = None
    ) -> None:
        self.keys = keys
        self.buckets = buckets
        self.values = values
        self.bits = int(len(buckets) - 1).bit_length() - 1
        self.shift = _U64(64 - self.bits)

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def build(cls, keys: np.ndarray, values: Optional[np.ndarray] = None) -> "HashTable":
        """Table of ``keys`` (finalised hashes); raises ``ValueError`` on duplicate keys."""
        keys = np.asarray(keys, dtype=_U64)
        order = np.argsort(keys, kind="stable")
        skeys = keys[order]
        if len(skeys) > 1 and bool(np.any(skeys[1:] == skeys[:-1])):
            raise ValueError("duplicate keys (a 64-bit hash collision or a repeated string)")
        bits = bucket_bits(len(skeys))
        bounds = np.arange(2**bits + 1, dtype=np.uint64)
        bounds[:-1] <<= _U64(64 - bits)
        offsets = np.searchsorted(skeys, bounds[:-1], side="left")
        buckets = np.empty(2**bits + 1, dtype=np.uint32 if len(skeys) < 2**32 else np.uint64)
        buckets[:-1] = offsets
        buckets[-1] = len(skeys)
        vals = (
            None
            if values is None
            else np.ascontiguousarray(np.asarray(values)[order], dtype=np.int32)
        )
        return cls(skeys, buckets, vals)

    def find(self, h: np.ndarray) -> np.ndarray:
        """Position of each key of ``h`` in :attr:`keys`, or -1 when absent.

        >>> HashTable.build(np.array([7, 1], dtype=np.uint64)).find(
        ...     np.array([1, 2, 7], dtype=np.uint64)
        ... ).tolist()
        [0, -1, 1]
        """
        h = np.asarray(h, dtype=_U64)
        n_key = len(self.keys)
        if not len(h) or not n_key:
            return np.full(len(h), -1, dtype=np.int64)
        b = (h >> self.shift).view(np.int64)
        lo = np.take(self.buckets, b).astype(np.int64)
        hi = np.take(self.buckets, b + 1)
        keys = self.keys
        # first probe for every query at once (an empty bucket probes a neighbour's key harmlessly)
        k = np.take(keys, np.minimum(lo, n_key - 1))
        found = (k == h) & (lo < hi)
        res = np.where(found, lo, -1)
        sel = np.flatnonzero((k < h) & (lo + 1 < hi))
        while sel.size:  # keys ascend within a bucket: past the query, it is absent
            pos = lo[sel] + 1
            lo[sel] = pos
            k = np.take(keys, pos)
            q = h[sel]
            eq = k == q
            res[sel[eq]] = pos[eq]
            more = (k < q) & (pos + 1 < hi[sel])
            sel = sel[more]
        return res

    def contains(self, h: np.ndarray) -> np.ndarray:
        """Boolean membership of each key of ``h``."""
        return self.find(h) >= 0

    def get(self, h: np.ndarray, default: int = -1) -> np.ndarray:
        """The value of each key of ``h`` (``default`` when absent)."""
        pos = self.find(h)
        if self.values is None:
            raise ValueError("this table has no values")
        out = np.full(len(pos), default, dtype=np.int64)
        hit = pos >= 0
        out[hit] = self.values[pos[hit]]
        return out

    def save(self, directory: Path, stem: str) -> None:
        """Write the arrays as ``<stem>.keys.npy``, ``<stem>.buckets.npy`` (and ``.values.npy``).

        Each file is replaced atomically: a process that has the old one
        memory-mapped keeps reading the old one.
        """
        directory = Path(directory)
        arrays = {"keys": self.keys, "buckets": self.buckets}
        if self.values is not None:
            arrays["values"] = self.values
        for part, array in arrays.items():
            target = directory / f"{stem}.{part}.npy"
            tmp = directory / f".{stem}.{part}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                np.save(fh, np.ascontiguousarray(array), allow_pickle=False)
            os.replace(tmp, target)

    @classmethod
    def load(cls, directory: Path, stem: str, *, mmap: bool = True) -> "HashTable":
        """Memory-map a table written by :meth:`save` (``allow_pickle=False``)."""
        directory = Path(directory)
        mode = "r" if mmap else None
        keys = np.load(directory / f"{stem}.keys.npy", mmap_mode=mode, allow_pickle=False)
        buckets = np.load(directory / f"{stem}.buckets.npy", mmap_mode=mode, allow_pickle=False)
        vpath = directory / f"{stem}.values.npy"
        values = np.load(vpath, mmap_mode=mode, allow_pickle=False) if vpath.exists() else None
        if keys.dtype != _U64 or keys.ndim != 1 or buckets.ndim != 1:
            raise ValueError(f"{directory / stem}: not a govnlp hash table")
        # plain views of the mapped pages (np.memmap adds Python overhead to every index)
        as_array = (lambda a: a.view(np.ndarray)) if mmap else (lambda a: a)
        return cls(as_array(keys), as_array(buckets), None if values is None else as_array(values))
