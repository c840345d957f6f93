"""The numbering grammar: which strings are enumeration markers, and their value.

Pure functions over strings, driven by ``rules.json`` beside this module.

>>> ordinal_value("十一", "chinese")
11
>>> [(c.style, c.number) for c in find_marker_candidates("一、总体要求\\n（一）稳增长。1.抓投资。")]
[('cn_dun', 1), ('cn_paren', 1), ('ar_dot', 1)]
>>> find_marker_candidates("完成1-6月目标，2024年“1245+4431”机制")
[]
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Dict, List, Optional, Pattern, Tuple

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class MarkerCandidate:
    """A string that may be an enumeration marker.

    ``start``/``end`` delimit the marker itself (``（一）``, ``1.``, ``一是``);
    ``line_start`` tells whether only whitespace precedes it on its line;
    ``bare`` is an Arabic numeral without punctuation (``9积极…``), accepted
    only where the sequence expects exactly that number; ``weak`` is an inline
    ``1.`` glued to the preceding word (``工作情况1.确保…``), accepted only as
    the expected next number or as a ``1.`` that a ``2.`` follows.
    """

    start: int
    end: int
    style: str
    number: int
    line_start: bool
    bare: bool = False
    weak: bool = False

    @property
    def text(self) -> str:  # pragma: no cover - convenience
        return f"{self.style}:{self.number}"


@lru_cache(maxsize=1)
def load_rules() -> Dict[str, Any]:
    """The parser's rule data (``govnlp/items/rules.json``)."""
    with resources.files(__package__).joinpath("rules.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _compiled() -> Tuple[List[Tuple[Dict[str, Any], Pattern[str]]], Pattern[str]]:
    rules = load_rules()
    styles = [(s, re.compile(s["regex"])) for s in rules["marker_styles"]]
    union = re.compile(
        "|".join(
            f"(?:{s['regex'].replace('(?P<num>', '(?:').replace('(?P<bare>', '(?:')})"
            for s in rules["marker_styles"]
        )
    )
    return styles, union


@lru_cache(maxsize=None)
def _gate(regex: str) -> Pattern[str]:
    """A style's compiled ``gate`` (the styles that share one compile it once)."""
    return re.compile(regex)


def ordinal_value(numeral: str, kind: str) -> Optional[int]:
    """Value of a marker numeral: ``"chinese"`` (一…九十九), ``"arabic"`` or ``"circled"``.

    >>> (
    ...     ordinal_value("二十三", "chinese"),
    ...     ordinal_value("12", "arabic"),
    ...     ordinal_value("③", "circled"),
    ... )
    (23, 12, 3)
    >>> ordinal_value("一二", "chinese") is None
    True
    """
    if kind == "arabic":
        return int(numeral) if numeral.isdigit() else None
    if kind == "circled":
        idx = _CIRCLED.find(numeral)
        return idx + 1 if idx >= 0 else None
    s = numeral
    if not s:
        return None
    if "百" in s:
        head, _, rest = s.partition("百")
        h = _CN_DIGITS.get(head, None) if head else 1
        if h is None:
            return None
        r = ordinal_value(rest, "chinese") if rest else 0
        if rest and rest.startswith("零"):
            r = _CN_DIGITS.get(rest[1:], None) if len(rest) == 2 else None
        return None if r is None else h * 100 + r
    if "十" in s:
        head, _, tail = s.partition("十")
        if "十" in tail or len(head) > 1 or len(tail) > 1:
            return None
        h = _CN_DIGITS.get(head, None) if head else 1
        t = _CN_DIGITS.get(tail, None) if tail else 0
        if h is None or t is None or h == 0:
            return None
        return h * 10 + t
    if len(s) == 1 and s in _CN_DIGITS and s not in "零〇":
        return _CN_DIGITS[s]
    return None


@lru_cache(maxsize=1)
def _quote_marks() -> Tuple[Dict[str, str], Pattern[str]]:
    """The quotation openers (→ their closers) and a character class of every character
    :func:`quoted_mask` acts on: a newline, an opener, a closer."""
    openers = {o: c for o, c in load_rules()["quote_pairs"]}
    chars = sorted({"\n", *openers, *openers.values()})
    return openers, re.compile("[" + "".join(re.escape(ch) for ch in chars) + "]")


def quoted_mask(text: str, start: int = 0, end: Optional[int] = None) -> List[Tuple[int, int]]:
    """Spans inside quotation marks or 《》 titles, closed at the end of each line.

    >>> quoted_mask("推进“1245+4431”机制")
    [(2, 13)]
    """
    end = len(text) if end is None else end
    openers, marks = _quote_marks()
    spans: List[Tuple[int, int]] = []
    stack: List[Tuple[str, int]] = []
    for m in marks.finditer(text, start, end):  # the other characters change nothing
        i = m.start()
        ch = text[i]
        if ch == "\n":
            if stack:
                spans.append((stack[0][1], i))
            stack = []
        elif stack and ch == openers[stack[-1][0]]:
            opener, pos = stack.pop()
            if not stack:
                spans.append((pos, i + 1))
        elif ch in openers:
            if len(stack) < 8:
                stack.append((ch, i))
    if stack:
        spans.append((stack[0][1], end))
    return spans


def find_marker_candidates(
    text: str, start: int = 0, end: Optional[int] = None
) -> List[MarkerCandidate]:
    """Every position in ``text[start:end]`` where a marker may begin.

    Applies the position rules (line start, or inline after punctuation for
    ``一、``/``1.`` styles; anywhere but inside a word for ``一是``) and skips
    quotations and 《titles》. Sequence rules (a ``一是`` needs a ``二是``; a
    bare ``9`` must be expected) are applied by the parser.
    """
    end = len(text) if end is None else end
    rules = load_rules()
    styles, _ = _compiled()
    punct = rules["inline_punct_before"]
    word_prefixes = rules["word_prefixes_before_yi_shi"]
    masked = quoted_mask(text, start, end)
    masked_starts = [a for a, _ in masked]
    out: List[MarkerCandidate] = []
    gated: Dict[str, bool] = {}  # gate regex → whether it matches in the range
    for spec, rx in styles:
        gate = spec.get("gate")
        if gate is not None:
            if gate not in gated:
                gated[gate] = _gate(gate).search(text, start, end) is not None
            if not gated[gate]:
                continue  # no match of the style can end anywhere in the range
        for m in rx.finditer(text, start, end):
            pos = m.start()
            prev_at = _prev_index(text, pos, start)
            # only spaces between the line's start (or ``start``) and the marker
            line_start = prev_at < start or text[prev_at] == "\n"
            prev = text[prev_at] if prev_at >= start else None
            bare = bool(m.groupdict().get("bare") is not None and m.group("bare") is not None)
            if bare and not line_start:
                continue
            weak = False
            if not line_start:
                rule = spec["inline_after"]
                boundary = prev is None or prev in punct or text[pos - 1] in " \t\u3000"
                if rule == "line_only" or (rule == "punct" and not boundary):
                    continue
                if rule == "punct_or_sequence" and not boundary:
                    weak = True
                if rule == "ordinal":
                    if (
                        spec["style"] in ("ordinal_shi", "ordinal_yao")
                        and prev is not None
                        and prev in word_prefixes
                    ):
                        continue
                    if prev is not None and prev in "第一二三四五六七八九十":
                        continue
            if (
                spec["style"] == "ar_dot"
                and prev is not None
                and (prev.isdigit() or prev in ".．-—~～至/")
            ):
                continue
            if (
                spec["style"] in ("cn_dun", "ordinal_shi", "ordinal_yao")
                and prev is not None
                and prev in "第一二三四五六七八九十百"
            ):
                continue
            if _inside(masked, masked_starts, pos):
                continue
            if "title_line_max_chars" in spec and not _title_line(
                text, m.end(), end, spec["title_line_max_chars"]
            ):
                continue  # 1　总则 opens a section; 5 次会议审议通过，… is a wrapped line
            number = ordinal_value(m.group("num"), spec["numeral"])
            if number is None or number == 0:
                continue
            out.append(MarkerCandidate(pos, m.end(), spec["style"], number, line_start, bare, weak))
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    # one candidate per position: the longest marker wins (（一） over 一、 inside it)
    dedup: List[MarkerCandidate] = []
    last_end = -1
    for c in out:
        if c.start < last_end:
            continue
        dedup.append(c)
        last_end = c.end
    return dedup


def _title_line(text: str, pos: int, end: int, max_chars: int) -> bool:
    """The rest of the line from ``pos`` is a title: at most ``max_chars`` characters, no
    sentence-final punctuation.

    >>> _title_line("1　总则\\n为了…。", 1, 9, 30), _title_line("5 次会议通过，现印发。", 1, 12, 30)
    (True, False)
    """
    stop = text.find("\n", pos, end)
    line = text[pos : end if stop < 0 else stop].strip()
    return len(line) <= max_chars and not any(ch in "。；;！？!?，," for ch in line)


def _prev_index(text: str, pos: int, floor: int) -> int:
    """Index of the last character before ``pos`` that is not a space or tab (``floor - 1`` if none
    from ``floor`` on): the steps back are the spaces right before ``pos``, never the whole line.

    >>> _prev_index("甲  ①", 3, 0), _prev_index("  ①", 2, 0)
    (0, -1)
    """
    i = pos - 1
    while i >= floor and text[i] in " \t\u3000":
        i -= 1
    return i


def _inside(spans: List[Tuple[int, int]], starts: List[int], pos: int) -> bool:
    """``pos`` lies strictly inside one of ``spans`` (sorted, disjoint; ``starts`` their starts).

    >>> _inside([(2, 5), (8, 9)], [2, 8], 3), _inside([(2, 5), (8, 9)], [2, 8], 5)
    (True, False)
    """
    k = bisect_right(starts, pos - 1) - 1  # the last span starting before pos
    return k >= 0 and pos < spans[k][1]
