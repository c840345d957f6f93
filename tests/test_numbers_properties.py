"""Property tests: render numbers as Chinese numerals and parse them back; adversarial inputs stay
fast.
"""

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnlp.numbers import find_numbers, parse_number, quantities

DIG = "零一二三四五六七八九"
DAXIE = "零壹贰叁肆伍陆柒捌玖"


def _section(n: int, digits: str, units: str) -> str:
    """0 < n < 10000 -> Chinese, with 零 for inner gaps (一千零五)."""
    out, zero = [], False
    for power, u in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            if out:
                zero = True
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + u)
    return "".join(out)


def to_chinese(n: int, daxie: bool = False) -> str:
    """Render a non-negative integer < 10**16 as a Chinese numeral (test oracle)."""
    digits = DAXIE if daxie else DIG
    units = "拾佰仟" if daxie else "十百千"
    if n == 0:
        return digits[0]
    parts = []
    groups = [(n // 10**12) % 10**4, (n // 10**8) % 10**4, (n // 10**4) % 10**4, n % 10**4]
    bigs = ["万亿", "亿", "万", ""]
    started = False
    pending_zero = False
    for g, big in zip(groups, bigs):
        if g == 0:
            if started:
                pending_zero = True
            continue
        if started and (pending_zero or g < 1000):
            parts.append(digits[0])
        parts.append(_section(g, digits, units) + big)
        started = True
        pending_zero = False
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**53))  # exact in float
def test_chinese_integers_roundtrip(n):
    assert parse_number(to_chinese(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_daxie_integers_roundtrip(n):
    assert parse_number(to_chinese(n, daxie=True)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=9999))
def test_chinese_decimals_roundtrip(i, frac):
    f = str(frac).rstrip("0") or "0"
    s = to_chinese(i) + "点" + "".join(DIG[int(c)] for c in f)
    assert math.isclose(parse_number(s), float(f"{i}.{f}"), rel_tol=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=99999),
    st.sampled_from([("万", 1e4), ("亿", 1e8), ("万亿", 1e12)]),
    st.integers(min_value=0, max_value=99),
)
def test_mixed_arabic_scale(i, scale, frac):
    s = f"{i}.{frac:02d}{scale[0]}"
    assert math.isclose(parse_number(s), float(f"{i}.{frac:02d}") * scale[1], rel_tol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_separators_and_fullwidth(n):
    s = f"{n:,}"
    assert parse_number(s) == n
    fw = s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert parse_number(fw) == n


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(["万元", "亿元", "万吨", "亩", "%", "个"]),
)
def test_quantity_value_base(n, unit):
    text = f"达到{to_chinese(n)}{unit}"
    (q,) = quantities(text)
    scale = {"万元": 1e4, "亿元": 1e8, "万吨": 1e4}.get(unit, 1)
    assert q["value_base"] == pytest.approx(n * scale)
    assert text[q["start"] : q["end"]] == q["text"]


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet="零一二三四五六七八九十百千万亿两点分之几多余-.,%0123456789元个以上左右约x*“”",
        max_size=60,
    )
)
def test_random_numeral_soup_never_crashes(s):
    for d in find_numbers(s):
        assert math.isfinite(d["value"])
        assert s[d["start"] : d["end"]] == d["text"]
    for q in quantities(s):
        for k in ("value", "low", "high", "value_base"):
            assert q[k] is None or math.isfinite(q[k])
        assert s[q["start"] : q["end"]] == q["text"]
    v = parse_number(s)
    assert v is None or math.isfinite(v)


ADVERSARIAL = {
    "digits": lambda n: "9" * n,
    "wan": lambda n: "万" * n,
    "yi_wan": lambda n: "一万" * (n // 2),
    "chinese_digits": lambda n: "一" * n,
    "brackets": lambda n: "“(【《" * (n // 4),
    "commas": lambda n: "1," * (n // 2),
    "dots": lambda n: "1." * (n // 2),
    "mask": lambda n: "x" * n,
    "percent": lambda n: "百分之" * (n // 3),
    "range": lambda n: "1-" * (n // 2),
}


# texts made only of numbers hold ~1 number per 2 chars; 30k chars of them is as much
# work as several hundred KB of prose, so they are tested at 30k chars.
SIZES = {"commas": 30_000, "dots": 30_000, "range": 30_000, "yi_wan": 30_000}


# CPU time of this process (time.process_time): the machine is shared, wall-clock time would
# count the neighbours too
@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_adversarial_inputs_are_fast(kind):
    s = ADVERSARIAL[kind](SIZES.get(kind, 100_000))
    t0 = time.process_time()
    for f in (find_numbers, quantities):
        for d in f(s):
            for k in ("value", "value_base", "low", "high"):
                assert d.get(k) is None or math.isfinite(d[k])
    v = parse_number(s)
    assert v is None or math.isfinite(v)
    assert time.process_time() - t0 < 2.0


def test_million_digit_string():
    s = "9" * 1_000_000
    t0 = time.process_time()
    assert parse_number(s) is None
    assert find_numbers(s) == []
    assert quantities(s + "万元") == []
    assert time.process_time() - t0 < 3.0


def test_time_is_linear_in_length():
    def cost(n):
        s = ("增长5%左右," + "万" * 50 + "一" * 50 + "“(" + "9" * 30) * (n // 140)
        t0 = time.process_time()
        quantities(s)
        return time.process_time() - t0

    small, big = cost(10_000), cost(100_000)
    assert big < 25 * max(small, 1e-3)


def _in_non_numeral_word_reference(t: str, start: int, end: int) -> bool:
    # the rule word by word, as first written: the grouped lookup must agree with it
    from govnlp.numbers.find import _NON_NUMERAL

    for j in range(start, min(end, start + 6)):
        for w, k in _NON_NUMERAL.get(t[j], ()):
            a = j - k
            if a < 0 or t[a : a + len(w)] != w:
                continue
            b = a + len(w)
            if a < start or b > end or (a == start and b == end):
                return True
    return False


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_non_numeral_words_grouped_lookup_agrees_with_the_word_by_word_rule(data):
    from govnlp.numbers.find import _NON_NUMERAL, _in_non_numeral_word

    words = sorted({w for pairs in _NON_NUMERAL.values() for w, _ in pairs})
    pieces = data.draw(
        st.lists(
            st.one_of(st.sampled_from(words), st.text("一二两万百千切步川统体化进", max_size=3)),
            max_size=8,
        )
    )
    t = "".join(pieces)
    start = data.draw(st.integers(0, len(t)))
    end = data.draw(st.integers(start, len(t)))
    assert _in_non_numeral_word(t, start, end) == _in_non_numeral_word_reference(t, start, end)
