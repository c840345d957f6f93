"""The scanner's fast paths read what its state machine reads (govnlp.numbers.parse)."""

from dataclasses import asdict

import pytest

from govnlp.numbers import parse as P
from govnlp.numbers._data import CHARS, LEXICON, UNITS


def _table_chars() -> set:
    """Every character of the numeral, unit and lexicon tables, ASCII, spaces and some words."""
    chars: set = set(" \n\t。，、；：%％.．,-—~～/()（）“”")
    chars.update(chr(c) for c in range(33, 127))
    for table in (CHARS, LEXICON, UNITS):
        stack = [table]
        while stack:
            x = stack.pop()
            if isinstance(x, dict):
                stack.extend(x.keys())
                stack.extend(x.values())
            elif isinstance(x, (list, tuple)):
                stack.extend(x)
            elif isinstance(x, str):
                chars.update(x)
    chars.update("进步统加强是要大批些切样定带路体化方面份件项个家年月日")
    return chars


CHARS_AFTER = sorted(_table_chars())


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and asdict(a) == asdict(b))


@pytest.mark.parametrize("digit", sorted(P._LONE_DIGITS))
def test_a_lone_chinese_digit_reads_as_the_full_scan_reads_it(digit):
    for x in CHARS_AFTER + [""]:
        for tail in ("", "万元", "分之一"):
            for head in ("", "进"):
                s = head + digit + x + tail
                i = len(head)
                assert _same(P.scan_number(s, i), P._scan_number_full(s, i)), s


def test_the_fast_path_takes_only_what_nothing_extends():
    assert P._lone_digit("进一步", 1) is not None
    assert P._lone_digit("一", 0) is not None  # the end of the text
    for s in (
        "一万",
        "一十",
        "一二",
        "一多",
        "一点五",
        "两个亿",
        "一打",
        "三分之一",
        "一 万",
        "一5",
    ):
        assert P._lone_digit(s, 0) is None, s
    assert P._lone_digit("零", 0) is None and P._lone_digit("半", 0) is None
