"""Short and long samples of real text in every supported encoding, made from the seed texts
of corpora/samples (Big5 from their traditional form through govnlp/trad2simp.json).

Used by ``tests/test_encodings.py`` and ``benchmarks/encoding_accuracy.py``; imports nothing
from govnlp, so the benchmark can run it against another checkout.

>>> text, raw = next(samples("gbk"))
>>> raw.decode("gbk") == text, len(text)
(True, 10)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Tuple

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "samples"
LENGTHS = (10, 20, 50, 100, 300, 1000, 3000)
PER_SEED = 12
GB_FAMILY = ("gb18030", "gbk", "gb2312")
UNICODE = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "utf-32-le",
    "utf-32-be",
)
#: UTF-32 is supported with a byte-order mark only: these get one.
WITH_BOM = {"utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}
ENCODINGS = GB_FAMILY + ("big5",) + UNICODE


def seed_paths() -> list:
    return sorted(SEEDS.glob("*.txt"))


def traditional(text: str) -> str:
    """Simplified → traditional, one character for one (the first traditional form)."""
    table = json.loads((ROOT / "govnlp" / "trad2simp.json").read_text(encoding="utf-8"))
    s2t: dict = {}
    for t, s in zip(table["map"], table["to"]):
        s2t.setdefault(s, t)
    return "".join(s2t.get(c, c) for c in text)


def excerpt(text: str, start: int, n: int, encoding: str) -> str:
    """``n`` characters of ``text`` from ``start`` that ``encoding`` can encode."""
    out = []
    for ch in text[start:]:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        out.append(ch)
        if len(out) == n:
            break
    return "".join(out)


def samples(encoding: str, lengths: Tuple[int, ...] = LENGTHS) -> Iterator[Tuple[str, bytes]]:
    """``(text, bytes)``: PER_SEED excerpts of each length from each seed."""
    for si, path in enumerate(seed_paths()):
        src = path.read_text(encoding="utf-8")
        if encoding == "big5":
            src = traditional(src)
        for n in lengths:
            for k in range(PER_SEED):
                start = (k * 997 + si * 131) % max(1, len(src) - n)
                text = excerpt(src, start, n, encoding)
                yield text, WITH_BOM.get(encoding, b"") + text.encode(encoding)
