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


def _random_texts(alphabet: str, n: int = 3000, seed: int = 1) -> list:
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14))) for _ in range(n)]


def test_the_masked_number_pattern_finds_what_its_look_behind_first_form_found():
    import re

    from govnlp.numbers import grammar as G

    before = re.compile(r"(?<![A-Za-z*])(?:[*xX×]{1,8})(?:\.[*xX×]{1,4})?(?![A-Za-z])")
    for t in _random_texts("*xX×.aZ万元 1"):
        assert [m.span() for m in G.MASK_RE.finditer(t)] == [
            m.span() for m in before.finditer(t)
        ], t


def test_the_full_width_comma_pattern_finds_what_its_look_behind_first_form_found():
    import re

    from govnlp.numbers import grammar as G

    before = re.compile(r"(?<=[０-９])，(?=[０-９])")
    for t in _random_texts("０５９，,万1"):
        assert G._FW_COMMA_RE.sub(",", t) == before.sub(",", t), t


def test_quote_spans_look_for_links_only_where_one_can_be():
    import importlib

    Q = importlib.import_module("govnlp.numbers.quantities")  # the module, not the function
    assert Q._quote_spans("见http://a.cn/x和www.b.cn") == [(1, 14), (15, 23)]
    assert Q._quote_spans("“两重”“两新”") == [(0, 4), (4, 8)]


def test_non_numeral_words_are_found_as_by_trying_every_word():
    # _in_non_numeral_word skips a numeral character whose neighbours belong to no listed word
    # holding it: the same answers as trying every word at every place
    import random

    from govnlp.numbers import find as F

    words = LEXICON["non_numeral_words"]
    alphabet = sorted({ch for w in words for ch in w}) + ["的", "，"]

    def brute(t: str, start: int, end: int) -> bool:
        for w in words:
            a = t.find(w)
            while a >= 0:
                b = a + len(w)
                overlaps = a < end and start < b and a < start + 6 and b > start
                inside = start <= a and b <= end and (a, b) != (start, end)
                if (
                    overlaps
                    and not inside
                    and any(
                        t[j] in F._NON_NUMERAL and start <= j < min(end, start + 6)
                        for j in range(a, b)
                    )
                ):
                    return True
                a = t.find(w, a + 1)
        return False

    rng = random.Random(5)
    texts = [
        rng.choice(words) + "".join(rng.choice(alphabet) for _ in range(6)) for _ in range(300)
    ]
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(3000)
    ]
    for t in texts:
        for start in range(len(t)):
            for end in range(start + 1, min(len(t), start + 4) + 1):
                assert F._in_non_numeral_word(t, start, end) == brute(t, start, end), (
                    t,
                    start,
                    end,
                )
