"""The numbering state machine: which marker candidates open numbered units, and where.

A stack holds the open units, outermost first. A candidate of a style already open is a sibling
of the deepest open unit of that style (closing everything below it) when its number fits: the
next number, a skipped one (gaps happen), or the same number repeated (``（二）`` twice). A
style not open opens a new level under the stack top when it starts at 1 (an ordinal run or an
inline ``1.`` glued to a word needs its second member), or when it continues the numbering it
had under an earlier section (``3.`` under 二、 after ``1.`` ``2.`` under 一、). A new ``一是`` run
inside an open run opens one level down (spec items.md v2). ``一、`` at a line start is always
top level.

>>> from govnlp.items.grammar import find_marker_candidates
>>> t = "一、目标\\n1.甲。\\n2.乙。\\n二、任务\\n3.丙。"
>>> [(u.marker, u.depth) for u in accept_markers(t, find_marker_candidates(t))]
[('一、', 0), ('1.', 1), ('2.', 1), ('二、', 0), ('3.', 1)]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from .grammar import MarkerCandidate, load_rules

_TOP_STYLE = "cn_dun"
#: the usual nesting order of the styles (items.md), used where the document's own order is unknown
_RANK: Dict[str, float] = {
    "part": -4,
    "chapter": -3,
    "section": -2.5,
    "article": -2,
    "cn_dun": 0,
    "dec_1": 0,
    "cn_paren": 1,
    "dec_2": 1,
    "ar_dot": 2,
    "dec_3": 2,
    "ar_paren": 3,
    "dec_4": 3,
    "circled": 4,
    "ordinal_shi": 5,
    "ordinal_yao": 5,
    "ordinal_di": 5,
    "row": -1,
}


@dataclass
class NumberedUnit:
    """An accepted marker: the unit it opens, its depth (0 = top) and its tree links."""

    start: int
    marker_end: int
    style: str
    number: int
    depth: int
    marker: str
    parent: Optional["NumberedUnit"] = None
    children: List["NumberedUnit"] = field(default_factory=list)
    end: int = 0


@lru_cache(maxsize=1)
def _settings() -> Dict[str, Any]:
    r = load_rules()
    return {
        "gap_line_start": r["max_gap_line_start"],
        "gap_inline": r["max_gap_inline"],
        "gap_inline_paren": r["max_gap_inline_paren"],
        "lookahead": r["ordinal_lookahead_chars"],
        "sentence_final": r["sentence_final"],
    }


def _is_ordinal(style: str) -> bool:
    return style.startswith("ordinal")


def _max_number(c: MarkerCandidate, expected: int) -> int:
    s = _settings()
    if c.line_start:
        return expected + s["gap_line_start"]
    if c.style in ("cn_dun", "cn_paren"):
        return expected + s["gap_inline_paren"] - 1
    return expected + s["gap_inline"] - 1


def _after_sentence(text: str, c: MarkerCandidate) -> bool:
    i = c.start - 1
    while i >= 0 and text[i] in " \t\u3000":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _settings()["sentence_final"]


def sequence_continues(cands: List[MarkerCandidate], idx: int) -> bool:
    """The candidate at ``idx`` (number 1) is followed by its second member (number 2, same
    style) before another 1 of that style, within the look-ahead window."""
    c = cands[idx]
    horizon = c.start + _settings()["lookahead"]
    for k in range(idx + 1, len(cands)):  # no copy of the list's tail: the window is what is read
        d = cands[k]
        if d.start > horizon:
            return False
        if d.style == c.style and d.number == 2:
            return True
        if d.style == c.style and d.number == 1:
            return False
    return False


_GAP_FILL = " \t\u3000\xa0|｜"  # what may stand between the two line breaks of a blank line


@lru_cache(maxsize=2)
def _breaks(text: str, blocks: bool) -> Tuple[List[int], List[int]]:
    """Where paragraphs end in ``text``, as sorted ``(starts, ends)``: every line break
    (``[p, p + 1)``), or (``blocks``) every blank line, from its first line break to just after
    its second (only spaces or ``|`` between them). Cached: the numbering of one document asks
    for the breaks of the same text once per body stretch and table row.

    >>> _breaks("甲\\n乙\\n \\n丙", False), _breaks("甲\\n乙\\n \\n丙", True)
    (([1, 3, 5], [2, 4, 6]), ([3], [6]))
    """
    nl = [m.start() for m in re.finditer("\n", text)]
    if not blocks:
        return nl, [p + 1 for p in nl]
    pairs = [(p, q + 1) for p, q in zip(nl, nl[1:]) if not text[p + 1 : q].strip(_GAP_FILL)]
    return [p for p, _ in pairs], [q for _, q in pairs]


def _paragraph_break(text: str, a: int, b: int, blocks: bool) -> bool:
    """A paragraph boundary lies between ``a`` and ``b``: a line break (``blocks``: a blank line,
    both its line breaks) inside ``text[a:b]``. A look-up in the breaks of the whole text, so a
    point that stays open over a long stretch costs no scan of that stretch per candidate.

    >>> _paragraph_break("一是甲\\n乙", 0, 5, False), _paragraph_break("一是甲\\n乙", 0, 5, True)
    (True, False)
    """
    starts, ends = _breaks(text, blocks)
    k = bisect_left(starts, a)  # the first break from a on ends first: breaks do not nest
    return k < len(ends) and ends[k] <= b


class _Stack(List[NumberedUnit]):
    """The open units, outermost first, with the stack positions of each style: the deepest open
    unit of a style is found without walking the stack (runs of 一是 nested in open runs make it
    deep, and every candidate asks).

    >>> st = _Stack()
    >>> st.push(NumberedUnit(0, 2, "cn_dun", 1, 0, "一、"))
    >>> st.deepest("cn_dun"), st.deepest("circled")
    (0, None)
    """

    def __init__(self) -> None:
        super().__init__()
        self._at: Dict[str, List[int]] = {}

    def push(self, unit: NumberedUnit) -> None:
        self._at.setdefault(unit.style, []).append(len(self))
        self.append(unit)

    def pop_top(self) -> NumberedUnit:
        unit = self.pop()
        self._at[unit.style].pop()
        return unit

    def truncate(self, depth: int) -> None:
        """Close every unit at ``depth`` and below."""
        while len(self) > depth:
            self.pop_top()

    def deepest(self, style: str) -> Optional[int]:
        """Stack position of the deepest open unit of ``style``, or None."""
        at = self._at.get(style)
        return at[-1] if at else None


def accept_markers(
    text: str, cands: List[MarkerCandidate], blocks: bool = False
) -> List[NumberedUnit]:
    """The accepted units among ``cands`` (candidates of one body segment, in order).

    ``blocks``: paragraphs are blocks of lines separated by blank lines (else lines). An ordinal
    point (一是…) is inline: nothing in a later paragraph opens below it."""
    stack = _Stack()
    accepted: List[NumberedUnit] = []
    last_number: Dict[str, int] = {}
    # a glued 一、 (no punctuation before it) counts only on flattened pages, where no 一、
    # opens a line
    glued_dun_ok = not any(c.style == _TOP_STYLE and c.line_start for c in cands)
    for idx, c in enumerate(cands):
        if c.weak and c.style == _TOP_STYLE and not glued_dun_ok:
            continue
        while (
            stack
            and _is_ordinal(stack[-1].style)
            and c.style != stack[-1].style
            and _paragraph_break(text, stack[-1].start, c.start, blocks)
        ):
            stack.pop_top()
        depth = _placement(text, cands, idx, stack, accepted, last_number)
        if depth is None:
            continue
        stack.truncate(depth)
        parent = stack[-1] if stack else None
        unit = NumberedUnit(c.start, c.end, c.style, c.number, depth, text[c.start : c.end], parent)
        if parent is not None:
            parent.children.append(unit)
        stack.push(unit)
        accepted.append(unit)
        last_number[c.style] = c.number
    return accepted


def _placement(
    text: str,
    cands: List[MarkerCandidate],
    idx: int,
    stack: _Stack,
    accepted: List[NumberedUnit],
    last_number: Dict[str, int],
) -> Optional[int]:
    """The depth at which ``cands[idx]`` opens a unit, or None when it is not a marker."""
    c = cands[idx]
    open_at = stack.deepest(c.style)
    if open_at is not None:
        current = stack[open_at].number
        expected = current + 1
        if c.bare or c.weak:
            if c.number == expected:
                return open_at
            if c.number == 1 and c.weak and sequence_continues(cands, idx):
                return open_at
            return None
        if _is_ordinal(c.style) and c.number == 1:
            # a new run inside the open one (…三是…同时，不足：一是…二是…) opens one level down
            return len(stack) if sequence_continues(cands, idx) else None
        if expected <= c.number <= _max_number(c, expected):
            return open_at
        if (
            c.number == current
            and not _is_ordinal(c.style)
            and (c.line_start or _after_sentence(text, c))
        ):
            return open_at  # the same number repeated: still a sibling
        if c.number == 1 and (c.line_start or open_at == 0):
            return open_at
        if c.number < current and c.line_start and not _is_ordinal(c.style):
            return open_at  # a lower number opening a line: a restarted (spliced) list, a sibling
        return None
    if c.style == _TOP_STYLE and c.line_start and not c.weak and stack:
        # 一、 at a line start closes whatever is open below a chapter (an excerpt began lower down)
        return next((k for k, u in enumerate(stack) if _RANK.get(u.style, 9) >= 0), len(stack))
    if c.line_start and c.number > 1 and not (c.weak or c.bare) and stack:
        # an excerpt starting mid-sequence at a line start ((二) after another fragment's points):
        # it closes the open units of its own or a lower rank and opens under the rest
        rank = _RANK[c.style]
        return next((k for k, u in enumerate(stack) if _RANK.get(u.style, 9) >= rank), len(stack))
    if c.number == last_number.get(c.style, -1) + 1 and c.number > 1 and not c.bare:
        return len(stack)  # numbering continued from an earlier section
    if not stack and not accepted and c.line_start and not c.bare and not _is_ordinal(c.style):
        return 0  # an excerpt may start at 二、
    if c.number == 1 and not c.bare:
        needs_second = _is_ordinal(c.style) or c.weak
        if not needs_second or sequence_continues(cands, idx):
            return len(stack)
    return None
