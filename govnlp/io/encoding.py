"""Which encoding a document's bytes are in, and how sure that is.

:func:`detect` tries, in order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE,
GB18030), strict UTF-8, the encoding the page declares, UTF-16 without a byte-order mark
(NUL bytes on alternate positions, or whole-CJK code units, with text-like content), nearly
UTF-8 (a few bad bytes replaced), then the Chinese legacy encodings GB18030 (GBK, GB2312)
and Big5 scored by how common the decoded characters are — GB18030 preferred on short
runs, where little tells them apart —, and only then charset-normalizer.

It returns a :class:`Detection`: the text, the codec name and a ``confidence`` between 0 and
1. Below :data:`UNSURE` the detection is a guess (short bytes that several encodings decode
into plausible characters); the record's ``meta`` carries ``encoding``,
``encoding_confidence`` and then ``encoding_unsure: true``.

>>> d = detect("一、抓投资。二、抓招商。".encode("gbk"))
>>> d.text, d.encoding, d.confidence >= UNSURE
('一、抓投资。二、抓招商。', 'gb18030', True)
>>> detect("一、抓投资。\\n".encode("utf-16-le")).encoding
'utf-16-le'
"""

from __future__ import annotations

import codecs
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Optional, Tuple

#: Below this confidence, a detection is reported as unsure (``meta["encoding_unsure"]``).
UNSURE = 0.5

#: Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
BOMS: Tuple[Tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (b"\x84\x31\x95\x33", "gb18030"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Share of invalid UTF-8 bytes replaced by U+FFFD rather than rejecting otherwise-UTF-8 bytes.
TOLERATED_UTF8_ERRORS = 0.001

#: Bytes looked at to sniff UTF-16 without a byte-order mark.
SNIFF_BYTES = 64 * 1024


class EncodingError(ValueError):
    """The bytes are in no encoding that fits; ``binary`` when they do not look like text."""

    def __init__(self, message: str, *, binary: bool = False) -> None:
        super().__init__(message)
        self.binary = binary


@dataclass(frozen=True)
class Detection:
    """Decoded text, codec name, confidence (0–1), and invalid UTF-8 bytes replaced."""

    text: str
    encoding: str
    confidence: float
    replaced: int = 0

    @property
    def unsure(self) -> bool:
        return self.confidence < UNSURE

    def facts(self) -> Dict[str, object]:
        """What goes into ``meta``.

        >>> Detection("x", "utf-8", 1.0).facts()
        {'encoding': 'utf-8', 'encoding_confidence': 1.0}
        """
        out: Dict[str, object] = {
            "encoding": self.encoding,
            "encoding_confidence": round(self.confidence, 2),
        }
        if self.replaced:
            out["decode_errors"] = self.replaced
        if self.unsure:
            out["encoding_unsure"] = True
        return out


def detect(raw: bytes, declared: Optional[str] = None) -> Detection:
    """Decode ``raw`` (see the module doc); raises :class:`EncodingError`.

    ``declared`` is a codec name the container declares (an HTML ``<meta charset>``),
    already normalised; it is used when the bytes are not UTF-8 and decode in it.

    >>> detect("縣政府工作報告".encode("big5")).encoding
    'big5'
    """
    for bom, name in BOMS:
        if raw.startswith(bom):
            try:
                return Detection(raw[len(bom) :].decode(name), name, 1.0)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"{name.upper()} byte-order mark but {exc.reason}") from exc
    try:  # text in a legacy encoding is practically never valid UTF-8: UTF-8 first
        return Detection(raw.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        try:
            return Detection(raw.decode(declared), declared, 0.9)
        except (UnicodeDecodeError, LookupError):
            pass
    utf16 = sniff_utf16(raw)
    if utf16 is not None:
        return utf16
    if b"\x00" in raw[:8192]:
        raise EncodingError("NUL bytes, and neither UTF-16 nor UTF-32 text", binary=True)
    replaced = raw.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - raw.count("\ufffd".encode("utf-8"))
    if bad <= max(1, int(len(raw) * TOLERATED_UTF8_ERRORS)):
        return Detection(replaced, "utf-8", 0.9, replaced=bad)
    legacy = detect_chinese(raw)
    if legacy is not None:
        return legacy
    return _charset_normalizer(raw)


# -- UTF-16 without a byte-order mark ------------------------------------------------------


def sniff_utf16(raw: bytes) -> Optional[Detection]:
    """UTF-16 LE or BE without a byte-order mark, when the bytes decode to text.

    Both byte orders are decoded; one is taken when its text is made of CJK characters,
    CJK punctuation, full-width forms, ASCII and white space (at least 95 %, no control
    characters). NUL bytes on odd (LE) or even (BE) positions — the zero high byte of
    ASCII, digits and line breaks — make it near certain; without them, the share of CJK
    characters and the length decide how sure it is.

    >>> sniff_utf16("第一条 总则\\r\\n".encode("utf-16-be")).encoding
    'utf-16-be'
    >>> sniff_utf16("abc".encode("utf-8")) is None
    True
    """
    if len(raw) < 4 or len(raw) % 2:
        return None
    sample = raw[:SNIFF_BYTES]
    nul = {"utf-16-le": sample[1::2].count(0), "utf-16-be": sample[0::2].count(0)}
    best: Optional[Detection] = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        plausible, cjk = _utf16_shares(text)
        if plausible < 0.95:
            continue
        other = sum(nul.values()) - nul[name]
        if nul[name] >= max(1, 4 * other):  # the NUL pattern of this byte order
            conf = 0.95
        elif cjk >= 0.95:
            conf = 0.6 + 0.35 * (1 - math.exp(-len(text) / 20))
        else:
            continue
        if best is None or conf > best.confidence:
            best = Detection(text, name, conf)
    return best


def _utf16_shares(text: str) -> Tuple[float, float]:
    """Share of text-like characters, and of CJK ones among the non-ASCII non-spaces."""
    plausible = cjk = non_ascii = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            plausible += 32 <= o < 127 or ch in "\t\n\r\f"
            continue
        if ch.isspace():
            plausible += 1
            continue
        non_ascii += 1
        if (
            0x4E00 <= o <= 0x9FFF
            or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF
            or 0x2000 <= o <= 0x206F
        ):
            plausible += 1
            cjk += 1
    return plausible / max(len(text), 1), cjk / max(non_ascii, 1)


# -- GB18030 / GBK / Big5 ------------------------------------------------------------------


def _table(codec: str, leads: range, trails: range) -> FrozenSet[str]:
    out = set()
    for lead in leads:
        for trail in trails:
            try:
                out.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                pass
    return frozenset(out)


@lru_cache(maxsize=None)
def common_characters(codec: str) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """``(common, rarer)`` characters of a legacy encoding, from its own code table.

    GB18030: GB2312 punctuation, numbers and full-width ASCII (rows 1–3) and level-1 hanzi
    (rows 16–55, the 3,755 most used characters) are common; kana, Greek, Cyrillic, pinyin,
    box drawing (rows 4–9) and level-2 hanzi (rows 56–87) rarer. Big5: symbols (A140–A3BF)
    and the 5,401 frequent characters (A440–C67E) common, the rest rarer.

    >>> common, rarer = common_characters("gb18030")
    >>> "县" in common, "亍" in rarer, len(common) > 4000
    (True, True, True)
    """
    if codec == "gb18030":
        common = _table("gb2312", range(0xA1, 0xA4), range(0xA1, 0xFF)) | _table(
            "gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)
        )
        rarer = _table("gb2312", range(0xA4, 0xAA), range(0xA1, 0xFF)) | _table(
            "gb2312", range(0xD8, 0xF8), range(0xA1, 0xFF)
        )
    elif codec == "big5":
        trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
        common = frozenset(
            _table("big5", range(0xA1, 0xA4), trails) | _table("big5", range(0xA4, 0xC7), trails)
        )
        rarer = _table("big5", range(0xC9, 0xFA), trails)
    else:
        raise ValueError(codec)
    return frozenset(common), frozenset(rarer - common)


#: Legacy encodings tried, in order of preference (a tie goes to the first).
LEGACY = ("gb18030", "big5")


def legacy_score(text: str, codec: str) -> Tuple[float, int]:
    """``(score, n)``: how common the ``n`` non-ASCII characters of ``text`` are in ``codec``'s
    table (common 1, rarer 0.5, others 0); text that is all ASCII scores 0.

    >>> legacy_score("县政府", "gb18030")
    (1.0, 3)
    """
    common, rarer = common_characters(codec)
    n = 0
    score = 0.0
    for ch in text:
        if ch < "\x80":
            continue
        n += 1
        if ch in common:
            score += 1.0
        elif ch in rarer:
            score += 0.5
    return (score / n if n else 0.0), n


def detect_chinese(raw: bytes) -> Optional[Detection]:
    """GB18030 or Big5 when the bytes decode strictly and to common characters, else None.

    Confidence grows with the number of characters and with the lead over the other
    encoding: ten characters that both encodings decode into common characters are a guess
    (GB18030, unsure); a sentence is not.

    >>> d = detect_chinese("抓投资".encode("gbk"))
    >>> d.text, d.encoding
    ('抓投资', 'gb18030')
    """
    scored = []
    for codec in LEGACY:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        score, n = legacy_score(text, codec)
        scored.append((score, n, codec, text))
    if not scored:
        return None
    best = max(scored, key=lambda x: x[0])  # max keeps the first of equals: GB18030
    score, n, codec, text = best
    if n == 0 or score < 0.6:
        return None
    others = [s for s in scored if s is not best]
    margin = score - max((s[0] for s in others), default=0.0)
    if codec != LEGACY[0] and margin < 0.15:
        gb = next(s for s in scored if s[2] == LEGACY[0])  # close: the preferred one
        score, n, codec, text = gb
        margin = 0.0
    size = 1 - math.exp(-n / 8)  # ~0.71 for 10 characters, ~1 from 40
    lead = min(1.0, 0.4 + 2 * margin)  # a 0.3 lead or more: no doubt left
    return Detection(text, codec, score * size * lead if others else score * size)


def _charset_normalizer(raw: bytes) -> Detection:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise EncodingError("neither UTF-8 nor any encoding charset-normalizer knows")
    encoding = normalise_encoding(best.encoding) or best.encoding
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise EncodingError(f"undecodable as {encoding}: {exc}") from exc
    conf = max(0.0, min(0.6, 0.6 * (1 - float(getattr(best, "chaos", 0.5)))))
    return Detection(text, encoding, conf)


_LEGACY_CHINESE = {
    "gb2312",
    "gbk",
    "hz",
    "x-gbk",
    "gb_2312",
    "gb_2312-80",
    "euc-cn",
    "cp936",
    "ms936",
    "gb2312-80",
}


def normalise_encoding(name: Optional[str]) -> Optional[str]:
    """Python codec name; GB2312/GBK labels become GB18030 (their superset).

    >>> normalise_encoding("GBK"), normalise_encoding("UTF8"), normalise_encoding("nope")
    ('gb18030', 'utf-8', None)
    """
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _LEGACY_CHINESE:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


__all__ = [
    "Detection",
    "EncodingError",
    "UNSURE",
    "detect",
    "detect_chinese",
    "normalise_encoding",
    "sniff_utf16",
]
