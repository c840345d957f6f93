"""Numeral scanner: reads one numeral (Chinese, Arabic, mixed, fraction, written percentage).

The scanner is a hand-written left-to-right state machine.  It never reads more
than :data:`~govnlp.numbers.grammar.MAX_NUMERAL_LEN` characters from its start,
so scanning a text is linear in its length whatever the input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Optional

from . import grammar as G
from ._data import CHARS

DIGITS: dict[str, int] = CHARS["digits"]
SMALL: dict[str, int] = CHARS["small_units"]
BIG: dict[str, int] = CHARS["big_units"]
TENS: dict[str, int] = CHARS["tens_shortcuts"]
ZEROS = set(CHARS["zero_chars"])
NO_SEQ = set(CHARS["no_sequence_digits"])
GUARD: dict[str, str] = {
    k: v for k, v in CHARS["unit_prefix_guard"].items() if not k.startswith("_")
}
FILLERS: dict[str, str] = {k: v for k, v in CHARS["fillers"].items() if k != "来"}
SUFFIX_SCALES: dict[str, int] = CHARS["arabic_suffix_scales"]
NEG = set(CHARS["negative"] + "-")
#: characters that make a word with 负 before it (税负, 减负, 抱负): 负 is no sign there
NOT_SIGN_AFTER = set(CHARS["negative_not_after"])
DOZEN_STOP = set("造击开通破响好赢出算工球车电扫卡call")
PAIR_CLASSIFIERS = set("个家项次人名天年户条座所场批")
APPROX_PAIRS = {(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (3, 5)}


@dataclass
class Num:
    """A numeral found in normalised text (internal)."""

    start: int
    end: int
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    #: "gt" (多/余), "range" (几, 两三), or None
    approx: Optional[str] = None
    #: trailing scale word(s) (万, 亿, 万亿, k ...) folded into ``value``; 1 if none
    scale: float = 1.0
    #: "number", "percent" (百分之…, value already in percent), "permille_like", "fraction",
    #: "sequence"
    kind: str = "number"
    chinese: bool = False
    arabic: bool = False
    #: integer written with Arabic digits only (for year detection)
    int_text: Optional[str] = None
    extras: dict = field(default_factory=dict)


_INT_RE = __import__("re").compile(r"(?P<num>[0-9]+)(?P<exp>(?!))?(?P<pow>(?!))?(?P<k>(?!))?")


def _finite(x: Optional[float]) -> bool:
    return x is not None and math.isfinite(x)


def _skip_spaces(s: str, i: int, end: int) -> int:
    j = i
    while j < end and j - i < 5 and s[j] == " ":
        j += 1
    return j


def _arabic_at(s: str, i: int, end: int):
    """Match an Arabic number at i.  Returns (match, too_long)."""
    m = G.ARABIC_RE.match(s, i, min(len(s), i + G.MAX_DIGITS + 16))
    if not m:
        return None, False
    num = m.group("num")
    digits = sum(c.isdigit() for c in num)
    if digits > G.MAX_DIGITS or (m.end() < len(s) and s[m.end()].isdigit()):
        return None, True
    if m.end() > end:
        return None, True
    if "." in num and m.end() + 1 < len(s) and s[m.end()] == "." and s[m.end() + 1].isdigit():
        # 2222.2222.22222: dotted digit groups, not a decimal
        m = _INT_RE.match(s, i)
    return m, False


def _arabic_value(m) -> Optional[float]:
    num = m.group("num").replace(",", "").replace("，", "")
    try:
        v = float(num)
    except ValueError:
        return None
    if m.group("exp"):
        v = v * (10.0 ** int(m.group("exp")[1:]))
    if m.group("pow") is not None:
        p = m.group("pow")
        sign = -1 if p.count("-") % 2 else 1
        try:
            v = v ** (sign * int(p.lstrip("+-")))
        except (OverflowError, ZeroDivisionError):
            return None
    if m.group("k"):
        v *= SUFFIX_SCALES[m.group("k")]
    return v if math.isfinite(v) else None


# what a step of scan_core does next
_NEXT, _STOP, _FAIL = 0, 1, 2

#: The characters a numeral can start with, besides digits and "." (a Chinese digit or zero,
#: a small unit: 十五; 廿): :meth:`_Core.step` stops at once at any other one.
_STARTS = frozenset(DIGITS) | frozenset(ZEROS) | frozenset(SMALL) | frozenset(TENS)


class _Core:
    """The state of :func:`scan_core` while it reads one numeral (one step per character or
    Arabic number; each ``step_*`` method returns ``_NEXT``, ``_STOP`` or ``_FAIL``)."""

    __slots__ = (
        "s",
        "n",
        "i",
        "end",
        "total",
        "section",
        "digit",
        "digit_simple",
        "last_small",
        "last_big",
        "last_unit",
        "prev",
        "zero",
        "seq",
        "approx",
        "rng",
        "pair",
        "trailing_big",
        "suffix_scale",
        "thousand_scale",
        "chinese",
        "arabic",
        "int_text",
        "pos",
        "last_end",
        "dec_done",
        "leading_zero",
    )

    def __init__(self, s: str, i: int, end: int) -> None:
        self.s = s
        self.n = len(s)
        self.i = i
        self.end = end
        self.total = 0.0
        self.section = 0.0
        self.digit: Optional[float] = None
        self.digit_simple = False  # pending digit is an integer 1..9 written right after a unit
        self.last_small: Optional[int] = None
        self.last_big = 0.0
        self.last_unit: Optional[float] = None
        # D digit, A arabic, U small unit, B big unit, Z zero, F filler, P decimal, X special
        self.prev: Optional[str] = None
        self.zero = False
        self.seq: Optional[str] = None
        self.approx: Optional[str] = None
        self.rng: Optional[list] = None  # [low_add, high_add] for 几
        self.pair: Optional[list] = None  # [delta, multiplier] for 两三万
        self.trailing_big = 1.0
        self.suffix_scale = 1.0
        self.thousand_scale = False
        self.chinese = self.arabic = False
        self.int_text: Optional[str] = None
        self.pos = self.last_end = i
        self.dec_done = False
        self.leading_zero = False

    def assemble(self) -> float:
        """The value read so far."""
        if self.seq is not None:
            return float(int(self.seq))
        if self.digit is None:
            return self.total + self.section
        if (
            self.digit_simple
            and self.last_unit is not None
            and self.last_unit >= 10
            and self.total + self.section > 0
        ):
            return self.total + self.section + self.digit * (self.last_unit / 10)
        return self.total + self.section + self.digit

    def next_start(self) -> Optional[int]:
        """Where the next step reads (after at most 5 spaces), or None to stop."""
        s, end, prev = self.s, self.end, self.prev
        j = self.pos
        if s[j] != " ":
            return j
        if prev is None:
            return None
        j = _skip_spaces(s, j, end)
        if j >= end:
            return None
        c = s[j]
        if c.isdigit() and prev not in ("U", "B"):
            return None
        if prev == "A" and c not in SMALL and c not in BIG:
            return None
        return j

    def step(self, j: int) -> int:
        """Read at ``s[j]``: dispatch by the kind of character."""
        s = self.s
        c = s[j]
        if c.isdigit() or (
            c == "." and self.prev is None and j + 1 < self.n and s[j + 1].isdigit()
        ):
            return self.step_arabic(j, c)
        if c in DIGITS or c in ZEROS:
            return self.step_chinese_digit(j, c)
        if (
            c == "个"
            and self.prev == "D"
            and j + 1 < self.end
            and s[j + 1] in BIG
            and self.total == 0
            and self.section == 0
        ):
            # 两个亿
            self.pos = j + 1
            return _NEXT
        if c in SMALL:
            return self.step_small_unit(j, c)
        if c in TENS:
            return self.step_tens(j, c)
        if c in BIG:
            return self.step_big_unit(j, c)
        if c in FILLERS:
            return self.step_filler(j, c)
        if c == "点":
            return self.step_decimal(j)
        return _STOP

    def step_arabic(self, j: int, c: str) -> int:
        """An Arabic number (3, 3.5, 1,100, 1e5, 3k)."""
        prev = self.prev
        if not c.isascii():
            return _STOP
        if prev not in (None, "U", "B", "Z") or self.seq is not None or self.dec_done:
            return _STOP
        m, too_long = _arabic_at(self.s, j, self.end)
        if too_long:
            return _FAIL
        if m is None:
            return _STOP
        special = bool(m.group("exp") or m.group("pow") is not None or m.group("k"))
        if prev is not None and special:
            return _STOP
        v = _arabic_value(m)
        if v is None:
            return _FAIL
        raw = m.group("num")
        self.arabic = True
        if prev is None and special:
            if m.group("k"):
                self.suffix_scale = SUFFIX_SCALES[m.group("k")]
            self.total, self.digit = v, None
            self.pos = self.last_end = m.end()
            self.prev = "X"
            return _STOP
        if prev is None and "," not in raw and "." not in raw:
            self.int_text = raw
        if prev in ("U", "B") and len(raw) > 1 and raw[0] == "0":
            self.zero = True
        self.digit_simple = (
            prev in ("U", "B") and not self.zero and raw.isdigit() and len(raw) == 1 and raw != "0"
        )
        self.digit = v
        self.prev = "A"
        self.pos = self.last_end = m.end()
        return _NEXT

    def step_chinese_digit(self, j: int, c: str) -> int:
        """A Chinese digit or zero: a digit, a digit sequence (二〇二五) or a pair (两三)."""
        d = DIGITS.get(c, 0)
        is_zero = c in ZEROS
        prev = self.prev
        if self.dec_done or prev in ("A", "F"):
            return _STOP
        if self.seq is not None:
            if c in NO_SEQ:
                return _STOP
            self.seq += str(d)
            self.pos = self.last_end = j + 1
            return _NEXT
        if prev == "D":
            return self.step_second_digit(j, c, d)
        self.chinese = True
        if is_zero and prev is not None:
            self.zero = True
            self.prev = "Z"
            self.pos = self.last_end = j + 1
            return _NEXT
        self.digit_simple = prev in ("U", "B") and not self.zero and not is_zero
        self.digit = float(d)
        self.leading_zero = is_zero and prev is None
        self.prev = "D"
        self.pos = self.last_end = j + 1
        return _NEXT

    def step_second_digit(self, j: int, c: str, d: int) -> int:
        """A digit right after a digit: an approximate pair (两三万) or a digit sequence."""
        s, n, digit = self.s, self.n, self.digit
        nxt = s[j + 1] if j + 1 < n else ""
        if (
            self.pair is None
            and self.total == 0
            and self.section == 0
            and digit is not None
            and (int(digit), d) in APPROX_PAIRS
            and (nxt in SMALL or nxt in BIG or nxt in PAIR_CLASSIFIERS)
        ):
            self.pair = [d - digit, 1.0]
            self.pos = self.last_end = j + 1
            return _NEXT
        if c in NO_SEQ or s[self.last_end - 1] in NO_SEQ:
            return _STOP
        self.seq = str(int(digit)) + str(d)
        self.chinese = True
        self.pos = self.last_end = j + 1
        return _NEXT

    def step_small_unit(self, j: int, c: str) -> int:
        """十, 百, 千 (and their 大写 forms)."""
        u = SMALL[c]
        s = self.s
        nxt = s[j + 1] if j + 1 < self.n else ""
        if nxt and nxt in GUARD.get(c, ""):
            return _STOP
        if self.seq is not None or self.dec_done or self.prev == "F":
            return _STOP
        if self.last_small is not None and u >= self.last_small:
            return _STOP
        self.thousand_scale = (
            self.prev == "A" and u == 1000 and self.total == 0 and self.section == 0
        )
        digit = self.digit
        mult = digit if (digit is not None and not self.leading_zero) else 1.0
        if self.pair is not None and self.pair[1] == 1.0:
            self.pair[1] = float(u)
        self.section += mult * u
        self.last_small = u
        self.last_unit = u
        self.digit = None
        self.digit_simple = self.zero = self.leading_zero = False
        self.chinese = True
        self.prev = "U"
        self.pos = self.last_end = j + 1
        return _NEXT

    def step_tens(self, j: int, c: str) -> int:
        """廿 (20), 卅 (30)…"""
        if self.prev not in (None, "B", "Z") or self.seq is not None or self.dec_done:
            return _STOP
        self.section += TENS[c]
        self.last_small = self.last_unit = 10
        self.chinese = True
        self.prev = "U"
        self.pos = self.last_end = j + 1
        return _NEXT

    def step_big_unit(self, j: int, c: str) -> int:
        """万, 亿 (万万, 万亿: big units multiply)."""
        b = float(BIG[c])
        s, prev = self.s, self.prev
        nxt = s[j + 1] if j + 1 < self.n else ""
        if nxt and nxt in GUARD.get(c, ""):
            return _STOP
        if prev is None or self.seq is not None:
            return _STOP
        if prev == "P":
            if self.last_big != 0:
                return _STOP
            self.total *= b
            self.last_big = self.trailing_big = b
        elif prev == "B":
            self.total *= b
            self.last_big *= b
            self.trailing_big *= b
        else:
            cur = self.section + (self.digit or 0.0)
            if self.last_big == 0 or b > self.last_big:
                self.total = (self.total + cur) * b
                self.last_big = self.trailing_big = b
            else:
                self.total += cur * b
                self.trailing_big = b
        if self.rng:
            self.rng = [x * b for x in self.rng]
        if self.pair:
            self.pair[1] *= b
        self.section, self.digit = 0.0, None
        self.digit_simple = self.zero = self.leading_zero = self.thousand_scale = False
        self.last_small = None
        self.last_unit = b
        self.chinese = True
        self.prev = "B"
        self.pos = self.last_end = j + 1
        return _NEXT

    def step_filler(self, j: int, c: str) -> int:
        """多, 余 (more than), 几 (a range)."""
        prev = self.prev
        # 10万余株 / 3万多居民: a "more than" filler may also follow a big unit (万/亿)
        after_big = prev == "B" and FILLERS[c] == "gt"
        if (
            (prev not in ("U", "A", "Z") and not after_big)
            or self.approx is not None
            or self.dec_done
            or self.seq is not None
        ):
            return _STOP
        if prev == "A" and self.digit is not None and not float(self.digit).is_integer():
            return _STOP
        if FILLERS[c] == "range":
            if prev == "U":
                place = (self.last_small or 10) / 10
            elif prev == "Z":
                place = 1.0
            else:
                return _STOP
            self.rng = [1 * place, 9 * place]
            self.approx = "range"
        else:
            self.approx = "gt"
        if self.digit is not None:
            self.total, self.section, self.digit = (
                self.total + self.section + self.digit,
                0.0,
                None,
            )
        self.prev = "F"
        self.pos = self.last_end = j + 1
        return _NEXT

    def step_decimal(self, j: int) -> int:
        """点 and the digits after it (零点五, 十五点八万, 3点5)."""
        s, end = self.s, self.end
        if self.dec_done or (self.prev not in ("D", "U", "B") and self.seq is None):
            return _STOP
        k = _skip_spaces(s, j + 1, end)
        digs = []
        if k < end and s[k].isdigit() and s[k].isascii():
            while k < end and s[k].isdigit() and s[k].isascii() and len(digs) < G.MAX_DIGITS:
                digs.append(s[k])
                k += 1
        else:
            while k < end and (s[k] in DIGITS or s[k] in ZEROS) and s[k] not in NO_SEQ:
                digs.append(str(DIGITS.get(s[k], 0)))
                k += 1
        if not digs:
            return _STOP
        base = self.assemble()
        frac = "".join(digs)
        if base.is_integer() and base < 1e15:
            self.total = float(f"{int(base)}.{frac}")
        else:
            self.total = base + float("0." + frac)
        self.section, self.digit, self.seq = 0.0, None, None
        self.digit_simple = False
        self.dec_done = True
        self.chinese = True
        self.prev = "P"
        self.pos = self.last_end = k
        return _NEXT

    def result(self) -> Optional[Num]:
        """The numeral read, or None (nothing read, or a value that is not finite)."""
        if self.last_end == self.i:
            return None
        kind = "sequence" if self.seq is not None else "number"
        value = self.assemble()
        if not math.isfinite(value):
            return None
        num = Num(
            start=self.i,
            end=self.last_end,
            value=value,
            kind=kind,
            chinese=self.chinese,
            arabic=self.arabic,
        )
        num.int_text = self.int_text if (not self.chinese and self.prev == "A") else None
        num.approx = self.approx
        if self.rng is not None:
            num.low, num.high = value + self.rng[0], value + self.rng[1]
        elif self.pair is not None:
            num.low, num.high = value, value + self.pair[0] * self.pair[1]
            num.approx = "range"
        if self.trailing_big != 1.0 and self.prev in ("B", "F"):
            num.scale = self.trailing_big
        elif self.suffix_scale != 1.0:
            num.scale = self.suffix_scale
        elif self.thousand_scale and self.prev == "U":
            num.scale = 1000.0
        for x in (num.low, num.high):
            if x is not None and not math.isfinite(x):
                return None
        return num


def scan_core(s: str, i: int, end: Optional[int] = None) -> Optional[Num]:
    """Read one integer/decimal numeral (no sign, no fraction) at ``s[i]``.

    Handles Chinese numerals with units (一千二百万, 两千三, 四万万, 五亿零六), 大写
    digits, digit sequences (一七二零, 二〇二五), Arabic numbers with separators and
    mixed forms (3.5万, 13万2千, 1,100万, 3万4000), approximations (十几, 三十多,
    500余万, 两三万) and Chinese decimals (零点五, 十五点八万).  Never reads more
    than ``MAX_NUMERAL_LEN`` characters. A left-to-right state machine: :class:`_Core`
    holds the state, one ``step_*`` method per kind of character.

    >>> [scan_core(t, 0).value for t in ("一千二百万", "3.5万", "两千三", "五亿零六")]
    [12000000.0, 35000.0, 2300.0, 500000006.0]
    >>> n = scan_core("两三万人", 0); (n.low, n.high, n.approx)
    (20000.0, 30000.0, 'range')
    """
    n = len(s)
    end = min(n, i + G.MAX_NUMERAL_LEN) if end is None else min(end, n, i + G.MAX_NUMERAL_LEN)
    if i >= end or not (s[i] in _STARTS or s[i].isdigit() or s[i] == "."):
        return None  # no step reads anything at a character that cannot start a numeral
    core = _Core(s, i, end)
    while core.pos < end:
        j = core.next_start()
        if j is None:
            break
        done = core.step(j)
        if done == _FAIL:
            return None
        if done == _STOP:
            break
    return core.result()


#: an Arabic number without separators: digits, then decimals (what :data:`G.ARABIC_RE` reads
#: when no separator, exponent, power or k/w suffix follows)
_PLAIN_ARABIC_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: characters after such a number at which :func:`scan_number` may read on (a unit 万, a
#: filler 多, a suffix k, a fraction 分之, 又, 打, a separator or a space): there the full
#: scan runs; at any other character (and any digit) the number ends where the run does
_PLAIN_ARABIC_GOES_ON = (
    frozenset(" ,，/^eEkKw分之又打点个") | _STARTS | frozenset(BIG) | frozenset(CHARS["fillers"])
)


def _plain_arabic(s: str, i: int) -> Optional[Num]:
    """The number of :func:`scan_number` at ``s[i]`` when it is a plain Arabic number (``2023``,
    ``3.5``) that nothing after it extends, read by one regex match; None: not such a number
    (the full scan decides).

    >>> n = _plain_arabic("增长3.5%", 2); (n.start, n.end, n.value, n.arabic, n.int_text)
    (2, 5, 3.5, True, None)
    >>> _plain_arabic("100亿元", 0) is None  # 亿 extends it
    True
    """
    m = _PLAIN_ARABIC_RE.match(s, i)
    if m is None:
        return None
    e = m.end()
    raw = m.group()
    if e - i > G.MAX_DIGITS:
        return None
    if e < len(s):
        c = s[e]
        if c in _PLAIN_ARABIC_GOES_ON or c.isdigit() or (c == "." and "." in raw):
            return None
    return Num(
        start=i,
        end=e,
        value=float(raw),
        arabic=True,
        int_text=None if "." in raw else raw,
    )


#: Chinese digits that :func:`_lone_digit` reads alone (not a zero, a sign, 半 or a digit that
#: ``str.isdigit`` takes for an Arabic one)
_LONE_DIGITS = frozenset(
    c for c in DIGITS if c not in ZEROS and c not in NEG and c != "半" and not c.isdigit()
)
#: characters after a Chinese digit at which :func:`scan_number` may read on (another digit or
#: zero, a unit, a filler, 点, 个 of 两个亿, 打, 分之, 又, a space, a decimal point): at any other
#: character, and at the end of the text, the numeral is the digit alone
_LONE_DIGIT_GOES_ON = (
    frozenset(DIGITS)
    | frozenset(ZEROS)
    | frozenset(SMALL)
    | frozenset(TENS)
    | frozenset(BIG)
    | frozenset(CHARS["fillers"])
    | frozenset(" .点个打分又")
)


def _lone_digit(s: str, i: int) -> Optional[Num]:
    """The number of :func:`scan_number` at ``s[i]`` when it is one Chinese digit that nothing
    after it extends (一 of 进一步, 三 of 三是), without the state machine; None: not such a
    digit (the full scan decides).

    >>> n = _lone_digit("进一步", 1); (n.start, n.end, n.value, n.chinese, n.arabic)
    (1, 2, 1.0, True, False)
    >>> _lone_digit("三十", 0) is None  # 十 extends it
    True
    """
    c = s[i]
    if c not in _LONE_DIGITS:
        return None
    if i + 1 < len(s):
        x = s[i + 1]
        if x in _LONE_DIGIT_GOES_ON or x.isdigit():
            return None
    return Num(start=i, end=i + 1, value=float(DIGITS[c]), chinese=True)


def scan_number(s: str, i: int) -> Optional[Num]:
    """Read a numeral with sign, written percentage (百分之…), fraction (三分之一, 1/2) at
    ``s[i]``.
    """
    n = len(s)
    if i < n:
        if "0" <= s[i] <= "9":
            plain = _plain_arabic(s, i)
            if plain is not None:
                return plain
        elif s[i] in _LONE_DIGITS:
            lone = _lone_digit(s, i)
            if lone is not None:
                return lone
    return _scan_number_full(s, i)


def _scan_number_full(s: str, i: int) -> Optional[Num]:
    """:func:`scan_number` without its fast paths (the state machine for every numeral)."""
    n = len(s)
    j = i
    sign = 1.0
    if j < n and s[j] in NEG:
        k = j + 1
        if k < n and (s[k].isdigit() or s[k] in G.CN_NUMERAL_CHARS or s[k] == "."):
            if (
                s[j] == "-"
                and j > 0
                and (s[j - 1] == "-" or s[j - 1].isascii() and s[j - 1].isalnum())
            ):
                return None
            if j > 0 and s[j - 1] in NOT_SIGN_AFTER and s[j] != "-":
                return None  # 降低企业税负5700多亿元: the tax burden, not minus 5700
            sign, j = -1.0, k
    # 百分之X, 千分之X, 万分之X
    m = G.PCT_PREFIX_RE.match(s, j)
    if m and m.end() < n:
        k = m.end()
        sign2 = 1.0
        if s[k] in NEG:
            sign2, k = -1.0, k + 1
        inner = scan_core(s, k)
        if inner is not None and not (inner.kind == "sequence"):
            base = {
                "百": 100,
                "佰": 100,
                "千": 1000,
                "仟": 1000,
                "万": 1e4,
                "百万": 1e6,
                "千万": 1e7,
                "万万": 1e8,
                "百万万": 1e10,
            }[m.group("base")]
            factor = 100.0 / base
            num = inner
            num.value = sign * sign2 * inner.value * factor
            if inner.low is not None:
                num.low, num.high = inner.low * factor * sign, inner.high * factor * sign
            num.scale = 1.0
            num.start = i
            num.kind = "percent" if base == 100 else "per_base"
            num.extras["base"] = base
            return num if _finite(num.value) else None
    # Arabic slash fraction 1/2, 1 4/3
    if j < n and s[j].isdigit():
        fm = G.SLASH_FRACTION_RE.match(s, j)
        if fm and int(fm.group("den")) != 0:
            v = int(fm.group("num")) / int(fm.group("den"))
            if fm.group("whole"):
                v += int(fm.group("whole"))
            return Num(start=i, end=fm.end(), value=sign * v, kind="fraction", arabic=True)
    if s.startswith("半百", j):
        return Num(start=i, end=j + 2, value=sign * 50.0, chinese=True)
    core = scan_core(s, j)
    if core is None:
        return None
    core.start = i
    if (
        core.end < n
        and s[core.end] == "打"
        and core.approx is None
        and (core.end + 1 >= n or s[core.end + 1] not in DOZEN_STOP)
    ):
        core.end += 1
        core.value *= 12
        core.scale = 1.0
    # fraction: N 分之 M ; mixed: W 又 N 分之 M
    fm = G.FRACTION_RE.match(s, core.end)
    whole = None
    if not fm and core.end < n and s[core.end] == "又":
        k = _skip_spaces(s, core.end + 1, n)
        den = scan_core(s, k)
        if den is not None:
            fm2 = G.FRACTION_RE.match(s, den.end)
            if fm2:
                whole = core
                core = den
                fm = fm2
        if whole is None:
            # "两美元又三美分" etc.: handled by callers
            pass
    elif not fm and core.end < n and s[core.end] == " ":
        k = _skip_spaces(s, core.end, n)
        if k < n and s[k] == "又":
            k = _skip_spaces(s, k + 1, n)
            den = scan_core(s, k)
            if den is not None:
                fm2 = G.FRACTION_RE.match(s, den.end)
                if fm2:
                    whole, core, fm = core, den, fm2
    if fm:
        k = fm.end()
        sign2 = 1.0
        if k < n and s[k] in NEG:
            sign2, k = -1.0, k + 1
        numer = scan_core(s, k)
        if numer is not None and core.value * core.scale != 0:
            den_v = core.value
            v = numer.value / den_v
            if whole is not None:
                v += whole.value
            v = sign * sign2 * v
            if not _finite(v):
                return None
            return Num(
                start=i,
                end=numer.end,
                value=v,
                kind="fraction",
                chinese=True,
                extras={"numerator": numer.value, "denominator": den_v},
            )
    if sign < 0:
        core.value = -core.value
        if core.low is not None:
            core.low, core.high = -core.high, -core.low
    return core


def parse_number(s: str) -> Optional[float]:
    """Parse one numeral written in any form and return its value, or ``None``.

    Accepts Chinese numerals (小写 and 大写), Arabic numbers with thousands
    separators, full-width digits, mixed forms, written percentages (the value
    in percent), fractions, and 大写 money amounts (``壹拾壹元壹角``).  The whole
    string (surrounding spaces aside) must be one numeral.

    >>> parse_number("五千四百万")
    54000000.0
    >>> parse_number("两")
    2.0
    >>> parse_number("零点五")
    0.5
    >>> parse_number("贰仟")
    2000.0
    >>> parse_number("1,100")
    1100.0
    >>> parse_number("５０")
    50.0
    >>> parse_number("13万2千")
    132000.0
    >>> parse_number("1.2亿")
    120000000.0
    >>> parse_number("百分之六十二")
    62.0
    >>> round(parse_number("三分之一"), 4)
    0.3333
    >>> parse_number("四川") is None
    True
    """
    if not isinstance(s, str):
        return None
    t = G.normalize(s).strip()
    if not t or len(t) > 4 * G.MAX_NUMERAL_LEN:
        return None
    money = _parse_rmb(t)
    if money is not None:
        return money
    num = scan_number(t, 0)
    if num is None or num.end != len(t):
        return None
    if num.approx is not None:
        return None
    v = num.value
    return float(v) if _finite(v) else None


def _parse_rmb(t: str) -> Optional[float]:
    """``玖仟陆佰陆拾伍圆壹角捌分`` -> 9665.18; ``壹拾壹元整`` -> 11."""
    k = max(t.find("元"), t.find("圆"))
    if k <= 0:
        return None
    head = scan_number(t, 0)
    if head is None or head.end != k or head.approx:
        return None
    v = head.value
    rest = t[k + 1 :]
    if rest in ("", "整", "正"):
        return float(v)
    pos = 0
    for unit, f in (("角", 0.1), ("分", 0.01)):
        if (
            pos < len(rest)
            and rest[pos] in DIGITS
            and pos + 1 < len(rest)
            and rest[pos + 1] == unit
        ):
            v += DIGITS[rest[pos]] * f
            pos += 2
    if rest[pos:] in ("", "整", "正"):
        return round(v, 2)
    return None
