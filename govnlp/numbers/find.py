"""find_numbers: every numeric expression in a text."""

from __future__ import annotations

from typing import Iterator

from . import grammar as G
from ._data import LEXICON
from .parse import Num, scan_number

_NON_NUMERAL: dict[str, list[tuple[str, int]]] = {}
for _w in LEXICON["non_numeral_words"]:
    for _k, _c in enumerate(_w):
        if _c in G.CN_NUMERAL_CHARS:
            _NON_NUMERAL.setdefault(_c, []).append((_w, _k))
# the same words grouped by (numeral char, its index k in the word, word length): one set
# lookup per group instead of one comparison per word (一 alone is in a hundred words)
_NON_NUMERAL_AT: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
for _c, _pairs in _NON_NUMERAL.items():
    _groups: dict[tuple[int, int], set[str]] = {}
    for _w, _k in _pairs:
        _groups.setdefault((_k, len(_w)), set()).add(_w)
    _NON_NUMERAL_AT[_c] = [(k, n, frozenset(ws)) for (k, n), ws in _groups.items()]
#: per numeral character, the characters right before it and right after it in those words:
#: where neither neighbour is one of them, no listed word holds the character there (every word
#: has two characters or more), and its groups are not tried
_NON_NUMERAL_NEAR: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
for _c, _pairs in _NON_NUMERAL.items():
    _NON_NUMERAL_NEAR[_c] = (
        frozenset(_w[_k - 1] for _w, _k in _pairs if _k > 0),
        frozenset(_w[_k + 1] for _w, _k in _pairs if _k + 1 < len(_w)),
    )
    if any(len(_w) < 2 for _w, _k in _pairs):  # a one-character word: always tried
        _NON_NUMERAL_NEAR[_c] = (frozenset(), frozenset())
_ENUM_SUFFIX = set(LEXICON["enumerator_suffix"])
_CLAUSE_START = set("\n\r\t 。;；,，:：、!！?？)）」』”(（“《")


def _in_non_numeral_word(t: str, start: int, end: int) -> bool:
    """True when a listed non-numeral word (一切, 四川, 进一步) overlaps t[start:end] and is not
    inside it.
    """
    n = len(t)
    for j in range(start, min(end, start + 6)):
        groups = _NON_NUMERAL_AT.get(t[j])
        if groups is None:
            continue
        before, after = _NON_NUMERAL_NEAR[t[j]]
        if (before or after) and not (
            (j > 0 and t[j - 1] in before) or (j + 1 < n and t[j + 1] in after)
        ):
            continue  # neither neighbour belongs to a listed word holding t[j]
        for k, length, words in groups:
            a = j - k
            b = a + length
            if a >= 0 and (a < start or b > end or (a == start and b == end)) and t[a:b] in words:
                return True
    return False


def _is_enumerator(t: str, num: Num) -> bool:
    """一是…, 二要… at the start of a clause."""
    if num.end - num.start > 2 or num.arabic:
        return False
    if num.end < len(t) and t[num.end] in _ENUM_SUFFIX:
        return num.start == 0 or t[num.start - 1] in _CLAUSE_START
    return False


def iter_numbers(t: str) -> Iterator[Num]:
    """Yield numerals of the *normalised* text ``t`` left to right (internal)."""
    pos = 0
    n = len(t)
    search = G.START_RE.search
    while pos < n:
        m = search(t, pos)
        if not m:
            return
        i = m.start()
        if t[i] == "." and i > 0 and (t[i - 1].isdigit() or t[i - 1] == "."):
            pos = i + 1
            continue
        # never start inside an Arabic number or a word of Latin letters
        if i > 0 and (t[i - 1].isascii() and t[i - 1].isalnum()) and t[i] != "-":
            r = G.DIGIT_RUN_RE.match(t, i)
            pos = r.end() if r else i + 1
            continue
        num = scan_number(t, i)
        if num is None:
            if t[i].isdigit() or t[i] in G.CN_NUMERAL_CHARS:
                r = G.NUMERAL_RUN_RE.match(t, i)
                if r and r.end() - i > G.MAX_NUMERAL_LEN:
                    pos = r.end()
                    continue
            pos = i + 1
            continue
        if num.chinese and not num.arabic and _in_non_numeral_word(t, num.start, num.end):
            pos = num.end
            continue
        if num.chinese and _is_enumerator(t, num):
            pos = num.end
            continue
        yield num
        pos = max(num.end, i + 1)


def find_numbers(text: str) -> list[dict]:
    """Find every numeric expression in ``text``.

    Returns one dict per numeral with ``start``, ``end`` (character offsets into
    ``text``, end exclusive), ``text`` and ``value`` (float; for written
    percentages the value in percent, for fractions the quotient), plus ``low`` /
    ``high`` for approximate forms (``十几`` -> 11..19, ``两三万`` -> 20000..30000;
    equal to ``value`` otherwise).  Dates and ordinals are numbers here; use
    :func:`quantities` for measured quantities only.  Words such as 一切, 四川 or
    进一步 are not numbers.

    >>> [(d["text"], d["value"]) for d in find_numbers("新增5家企业,投资一千二百万元")]
    [('5', 5.0), ('一千二百万', 12000000.0)]
    >>> [d["value"] for d in find_numbers("这不是四川这是五台山")]
    [5.0]
    """
    if not isinstance(text, str):
        raise TypeError("find_numbers expects a str")
    t = G.normalize(text)
    out = []
    for num in iter_numbers(t):
        low = num.low if num.low is not None else num.value
        high = num.high if num.high is not None else num.value
        out.append(
            {
                "start": num.start,
                "end": num.end,
                "text": text[num.start : num.end],
                "value": float(num.value),
                "low": float(low),
                "high": float(high),
            }
        )
    return out
