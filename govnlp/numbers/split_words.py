"""Words split by zero-width characters: scraped pages cut words and numbers with a zero-width
space on a line of its own (``74.4\\n\\u200b\\n万亿元``, ``经\\n\\u200b\\n济``); and digits a PDF
wrote spaced (``1 0 ％``, ``8 ．8 ％``).

:func:`join_split_words` removes each such cut (the zero-width characters and the spaces and
single line breaks around them, never a blank line) and keeps the way back to the original
offsets, so a quantity found in the joined text is reported at its place in the text as written.
"""

from __future__ import annotations

import re
from typing import Optional

__all__ = ["join_split_words", "SplitWords"]

#: zero-width space, non-joiner, joiner, word joiner, byte-order mark
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_CUT_RE = re.compile(
    f"[ \\t\\u3000]*\\n?[ \\t\\u3000]*[{ZERO_WIDTH}]+[ \\t\\u3000]*\\n?[ \\t\\u3000]*"
)
_ANY_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")


class SplitWords:
    """A text with its zero-width cuts removed (``joined``) and the map back to ``original``.

    >>> s = join_split_words("达到74.4\\n\\u200b\\n万亿元")
    >>> s.joined
    '达到74.4万亿元'
    >>> s.original[s.to_original(2) : s.to_original_end(9)]
    '74.4\\n\\u200b\\n万亿元'
    """

    def __init__(self, original: str, joined: str, origin: Optional[list[int]]) -> None:
        self.original = original
        self.joined = joined
        #: original offset of each joined character (None: the texts are the same)
        self._origin = origin

    @property
    def changed(self) -> bool:
        """True when cuts were removed."""
        return self._origin is not None

    def to_original(self, i: int) -> int:
        """The original offset of the joined text's character ``i`` (a start offset)."""
        if self._origin is None:
            return i
        if i >= len(self._origin):
            return len(self.original)
        return self._origin[i]

    def to_original_end(self, e: int) -> int:
        """The original offset just after the joined text's character ``e - 1`` (an end)."""
        if self._origin is None or e == 0:
            return e
        return self._origin[e - 1] + 1


def join_split_words(text: str) -> SplitWords:
    """``text`` with every zero-width cut removed (see the module docstring); a text without
    zero-width characters comes back unchanged (and nothing is copied).

    >>> join_split_words("经\\n\\u200b\\n济").joined
    '经济'
    >>> join_split_words("报告\\n\\n\\u200b\\n\\n政府").joined  # a blank line stays a blank line
    '报告\\n\\n政府'
    >>> join_split_words("GDP增长6%").changed
    False
    """
    cuts = []
    if _ANY_ZERO_WIDTH_RE.search(text):
        cuts = [(m.start(), m.end()) for m in _CUT_RE.finditer(text)]
    cuts = sorted(cuts + _spaced_digit_cuts(text))
    if not cuts:
        return SplitWords(text, text, None)
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    for start, end in cuts:
        if start < pos:
            continue
        pieces.append(text[pos:start])
        origin.extend(range(pos, start))
        pos = end
    pieces.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return SplitWords(text, "".join(pieces), origin)


#: A digit or decimal point written alone between single spaces (a PDF's spaced digits:
#: ``1 0 ％``, ``8 ．8 ％``, ``7 4 7 7 2 亿``), and what may follow such a space.
_DIGIT_PARTS = frozenset("0123456789０１２３４５６７８９.．·")
_AFTER_SPACED = _DIGIT_PARTS | frozenset("%％万亿千百年月日元个人户吨台家所项条座")
_SPACE_RE = re.compile("[ \u3000]")
#: A text is read as spaced only with at least this many such spaces (one is a table's gap).
MIN_SPACED_CUTS = 2


def _spaced_digit_cuts(text: str) -> list[tuple[int, int]]:
    """The single spaces inside spaced digits: after a digit that stands alone (or a decimal
    point and one digit: ``．8 ％``) and before a digit, a decimal point, ％ or a unit; none
    when the text has fewer than :data:`MIN_SPACED_CUTS` (``12 15`` and ``2024 年`` are never
    cut: their digits do not stand alone).

    >>> t = "增长1 0 ％，达到7 4 7 7 2 亿元，12 15"
    >>> len(_spaced_digit_cuts(t)), _spaced_digit_cuts("12 15 18"), _spaced_digit_cuts("1 月")
    (7, [], [])
    """
    cuts = []
    for space in _SPACE_RE.finditer(text, 1, len(text) - 1):
        at = space.start()
        if text[at - 1] not in _DIGIT_PARTS or text[at + 1] not in _AFTER_SPACED:
            continue
        # the run of digit parts that ends at the space: one digit, or a point and one digit
        run = 1
        while at - run - 1 >= 0 and text[at - run - 1] in _DIGIT_PARTS:
            run += 1
        token = text[at - run : at]
        if len(token) == 1 or (len(token) == 2 and token[0] in ".．·"):
            cuts.append((at, at + 1))
    return cuts if len(cuts) >= MIN_SPACED_CUTS else []
