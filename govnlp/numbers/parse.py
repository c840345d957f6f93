"""Numeral scanner: reads one numeral (Chinese, Arabic, mixed, fraction, written percentage).

The scanner is a hand-written left-to-right state machine.  It never reads more
than :data:`~govnlp.numbers.grammar.MAX_NUMERAL_LEN` characters from its start,
so scanning a text is linear in its length whatever the input.
"""

from __future__ import annotations

import math
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
    #: "number", "percent" (百分之…, value already in percent), "permille_like", "fraction", "sequence"
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


def scan_core(s: str, i: int, end: Optional[int] = None) -> Optional[Num]:
    """Read one integer/decimal numeral (no sign, no fraction) at ``s[i]``.

    Handles Chinese numerals with units (一千二百万, 两千三, 四万万, 五亿零六), 大写
    digits, digit sequences (一七二零, 二〇二五), Arabic numbers with separators and
    mixed forms (3.5万, 13万2千, 1,100万, 3万4000), approximations (十几, 三十多,
    500余万, 两三万) and Chinese decimals (零点五, 十五点八万).  Never reads more
    than ``MAX_NUMERAL_LEN`` characters.
    """
    n = len(s)
    end = min(n, i + G.MAX_NUMERAL_LEN) if end is None else min(end, n, i + G.MAX_NUMERAL_LEN)
    total = 0.0
    section = 0.0
    digit: Optional[float] = None
    digit_simple = False  # pending digit is an integer 1..9 written right after a unit
    last_small: Optional[int] = None
    last_big = 0.0
    last_unit: Optional[float] = None
    prev: Optional[str] = (
        None  # D digit, A arabic, U small unit, B big unit, Z zero, F filler, P decimal
    )
    zero = False
    seq: Optional[str] = None
    approx: Optional[str] = None
    rng: Optional[list] = None  # [low_add, high_add] for 几
    pair: Optional[list] = None  # [delta, multiplier] for 两三万
    trailing_big = 1.0
    suffix_scale = 1.0
    thousand_scale = False
    chinese = arabic = False
    int_text: Optional[str] = None
    pos = last_end = i
    dec_done = False
    leading_zero = False

    def assemble() -> float:
        if seq is not None:
            return float(int(seq))
        if digit is None:
            return total + section
        if digit_simple and last_unit is not None and last_unit >= 10 and total + section > 0:
            return total + section + digit * (last_unit / 10)
        return total + section + digit

    while pos < end:
        j = pos
        spaced = False
        if s[j] == " ":
            if prev is None:
                break
            j = _skip_spaces(s, j, end)
            spaced = True
            if j >= end:
                break
        c = s[j]
        if spaced:
            if c.isdigit() and prev not in ("U", "B"):
                break
            if prev == "A" and c not in SMALL and c not in BIG:
                break
        if c.isdigit() or (c == "." and prev is None and j + 1 < n and s[j + 1].isdigit()):
            if not c.isascii():
                break
            if prev not in (None, "U", "B", "Z") or seq is not None or dec_done:
                break
            m, too_long = _arabic_at(s, j, end)
            if too_long:
                return None
            if m is None:
                break
            special = bool(m.group("exp") or m.group("pow") is not None or m.group("k"))
            if prev is not None and special:
                break
            v = _arabic_value(m)
            if v is None:
                return None
            raw = m.group("num")
            arabic = True
            if prev is None and special:
                if m.group("k"):
                    suffix_scale = SUFFIX_SCALES[m.group("k")]
                total, digit = v, None
                pos = last_end = m.end()
                prev = "X"
                break
            if prev is None and "," not in raw and "." not in raw:
                int_text = raw
            if prev in ("U", "B") and len(raw) > 1 and raw[0] == "0":
                zero = True
            digit_simple = (
                prev in ("U", "B") and not zero and raw.isdigit() and len(raw) == 1 and raw != "0"
            )
            digit = v
            prev = "A"
            pos = last_end = m.end()
            continue
        if c in DIGITS or c in ZEROS:
            d = DIGITS.get(c, 0)
            is_zero = c in ZEROS
            if dec_done or prev in ("A", "F"):
                break
            if seq is not None:
                if c in NO_SEQ:
                    break
                seq += str(d)
                pos = last_end = j + 1
                continue
            if prev == "D":
                nxt = s[j + 1] if j + 1 < n else ""
                if (
                    pair is None
                    and total == 0
                    and section == 0
                    and digit is not None
                    and (int(digit), d) in APPROX_PAIRS
                    and (nxt in SMALL or nxt in BIG or nxt in PAIR_CLASSIFIERS)
                ):
                    pair = [d - digit, 1.0]
                    pos = last_end = j + 1
                    continue
                if c in NO_SEQ or s[last_end - 1] in NO_SEQ:
                    break
                seq = str(int(digit)) + str(d)
                chinese = True
                pos = last_end = j + 1
                continue
            chinese = True
            if is_zero and prev is not None:
                zero = True
                prev = "Z"
                pos = last_end = j + 1
                continue
            digit_simple = prev in ("U", "B") and not zero and not is_zero
            digit = float(d)
            leading_zero = is_zero and prev is None
            prev = "D"
            pos = last_end = j + 1
            continue
        if (
            c == "个"
            and prev == "D"
            and j + 1 < end
            and s[j + 1] in BIG
            and total == 0
            and section == 0
        ):
            # 两个亿
            pos = j + 1
            continue
        if c in SMALL:
            u = SMALL[c]
            nxt = s[j + 1] if j + 1 < n else ""
            if nxt and nxt in GUARD.get(c, ""):
                break
            if seq is not None or dec_done or prev == "F":
                break
            if last_small is not None and u >= last_small:
                break
            thousand_scale = prev == "A" and u == 1000 and total == 0 and section == 0
            mult = digit if (digit is not None and not leading_zero) else 1.0
            if pair is not None and pair[1] == 1.0:
                pair[1] = float(u)
            section += mult * u
            last_small = u
            last_unit = u
            digit = None
            digit_simple = zero = leading_zero = False
            chinese = True
            prev = "U"
            pos = last_end = j + 1
            continue
        if c in TENS:
            if prev not in (None, "B", "Z") or seq is not None or dec_done:
                break
            section += TENS[c]
            last_small = last_unit = 10
            chinese = True
            prev = "U"
            pos = last_end = j + 1
            continue
        if c in BIG:
            b = float(BIG[c])
            nxt = s[j + 1] if j + 1 < n else ""
            if nxt and nxt in GUARD.get(c, ""):
                break
            if prev is None or seq is not None:
                break
            if prev == "P":
                if last_big != 0:
                    break
                total *= b
                last_big = trailing_big = b
            elif prev == "B":
                total *= b
                last_big *= b
                trailing_big *= b
            else:
                cur = section + (digit or 0.0)
                if last_big == 0 or b > last_big:
                    total = (total + cur) * b
                    last_big = trailing_big = b
                else:
                    total += cur * b
                    trailing_big = b
            if rng:
                rng = [x * b for x in rng]
            if pair:
                pair[1] *= b
            section, digit = 0.0, None
            digit_simple = zero = leading_zero = thousand_scale = False
            last_small = None
            last_unit = b
            chinese = True
            prev = "B"
            pos = last_end = j + 1
            continue
        if c in FILLERS:
            # 10万余株 / 3万多居民: a "more than" filler may also follow a big unit (万/亿)
            after_big = prev == "B" and FILLERS[c] == "gt"
            if (
                (prev not in ("U", "A", "Z") and not after_big)
                or approx is not None
                or dec_done
                or seq is not None
            ):
                break
            if prev == "A" and digit is not None and not float(digit).is_integer():
                break
            if FILLERS[c] == "range":
                if prev == "U":
                    place = (last_small or 10) / 10
                elif prev == "Z":
                    place = 1.0
                else:
                    break
                rng = [1 * place, 9 * place]
                approx = "range"
            else:
                approx = "gt"
            if digit is not None:
                total, section, digit = total + section + digit, 0.0, None
            prev = "F"
            pos = last_end = j + 1
            continue
        if c == "点":
            if dec_done or (prev not in ("D", "U", "B") and seq is None):
                break
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
                break
            base = assemble()
            frac = "".join(digs)
            if base.is_integer() and base < 1e15:
                total = float(f"{int(base)}.{frac}")
            else:
                total = base + float("0." + frac)
            section, digit, seq = 0.0, None, None
            digit_simple = False
            dec_done = True
            chinese = True
            prev = "P"
            pos = last_end = k
            continue
        break

    if last_end == i:
        return None
    kind = "sequence" if seq is not None else "number"
    value = assemble()
    if not math.isfinite(value):
        return None
    num = Num(start=i, end=last_end, value=value, kind=kind, chinese=chinese, arabic=arabic)
    num.int_text = int_text if (not chinese and prev == "A") else None
    num.approx = approx
    if rng is not None:
        num.low, num.high = value + rng[0], value + rng[1]
    elif pair is not None:
        num.low, num.high = value, value + pair[0] * pair[1]
        num.approx = "range"
    if trailing_big != 1.0 and prev in ("B", "F"):
        num.scale = trailing_big
    elif suffix_scale != 1.0:
        num.scale = suffix_scale
    elif thousand_scale and prev == "U":
        num.scale = 1000.0
    for x in (num.low, num.high):
        if x is not None and not math.isfinite(x):
            return None
    return num


def scan_number(s: str, i: int) -> Optional[Num]:
    """Read a numeral with sign, written percentage (百分之…), fraction (三分之一, 1/2) at ``s[i]``."""
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
