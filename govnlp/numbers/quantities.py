"""quantities: every measured quantity in a text, as records of ``spec/targets.md``."""

from __future__ import annotations

import re
from typing import Optional

from . import grammar as G
from ._data import LEXICON, UNITS
from .find import iter_numbers
from .parse import BIG, DIGITS, SMALL, Num, scan_core, scan_number

_UNITS = G.UNIT_TABLE
_CLASSIFIERS = set(G.CLASSIFIERS)
_PREFIX_CUR = UNITS["prefix_currency"]
_CUR_OVERRIDE = UNITS["currency_suffix_override"]
_MINOR = UNITS["minor_currency"]
_BOUND_PREFIX = LEXICON["bound_prefix"]
_BOUND_SUFFIX = LEXICON["bound_suffix"]
_QUOTES = LEXICON["quote_pairs"]
_QUOTE_MAX = LEXICON["quote_max_len"]
_CNY_UNITS = {k for k, v in _UNITS.items() if v[0] == "CNY"}
_LATIN_UNIT = re.compile(r"[A-Za-z]")
_URL_RE = re.compile(r"(?:https?|ftp)://[!-~]+|www\.[!-~]+")
_PP_RE = re.compile(r"个? {0,4}百 {0,4}分 {0,4}点")
_SPECIAL_SHARE_RE = re.compile(r"(?P<w>打对折|半折|半成|一半)")
_SPECIAL_SHARE = {
    "打对折": ("对折", 5.0, 10.0, "折"),
    "半折": ("半折", 5.0, 10.0, "折"),
    "半成": ("半成", 0.5, 10.0, "成"),
    "一半": ("一半", 0.5, 100.0, "一半"),
}
# words ending in a bound-prefix character that are not bounds (节约10万元 is not "约")
_NOT_PREFIX_BEFORE = set("节制合签预公条契婚")
_DATE_UNITS_AFTER_MONTH = {"日", "号"}
#: what joins the two ends of a range of dates (7月9日至17日)
_DATE_RANGE_LINKS = frozenset("至到-—–~～")
_DAY_DIGITS = frozenset("0123456789一二三四五六七八九十")
_FOLLOW_SLOGAN = tuple(LEXICON["slogan_follow"])
_NOT_CLASSIFIER = tuple(LEXICON["not_classifier_words"])
_ORDINAL_BEFORE = set(LEXICON["ordinal_before"])
_ORDINAL_BEFORE_HANZI = set(LEXICON["ordinal_before_hanzi"])
_NOT_COUNTED = tuple(LEXICON["not_counted_nouns"])
_CAPACITY_UNITS = set(LEXICON["capacity_units"])
_CAPACITY_PREFIX = tuple(LEXICON["capacity_prefix"])
_CAPACITY_FOLLOW_OK = set(LEXICON["capacity_follow_ok"])
_DESIGNATION_FOLLOW = tuple(LEXICON["designation_follow"])
_FACILITY_NOUNS = tuple(LEXICON["capacity_facility_nouns"])
_CAPACITY_WINDOW = int(LEXICON["capacity_window"])
_SEPARATORS = set('。；;，,！？!?\n：:、（）()“”"')
_MONEY_UNITS = {v[0] for v in UNITS["units"].values() if v[0].isupper() and len(v[0]) == 3}
_BARE_SCALE_CHARS = set("百佰千仟万亿")
_FRACTION_VERBS = tuple(LEXICON["fraction_verbs_before"])
_IMPLIED_PERSON_BEFORE = tuple(LEXICON["implied_unit_person_before"])
_IMPLIED_CNY_BEFORE = tuple(LEXICON["implied_unit_CNY_before"])
_IMPLIED_VERBS = tuple(sorted(LEXICON["implied_unit_verbs_between"], key=len, reverse=True))


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _quote_spans(t: str) -> list[tuple[int, int]]:
    """Spans of short quoted strings, book titles and document-number brackets (linear scan)."""
    spans = []
    for op, cl in _QUOTES:
        pos = 0
        while True:
            a = t.find(op, pos)
            if a < 0:
                break
            b = t.find(cl, a + 1, a + 1 + _QUOTE_MAX + 1)
            if b < 0:
                pos = a + 1
                continue
            spans.append((a, b + 1))
            pos = b + 1
    if "://" in t or "www." in t:  # in every match of _URL_RE
        spans.extend((m.start(), m.end()) for m in _URL_RE.finditer(t))
    spans.sort()
    return spans


class _Spans:
    def __init__(self, spans):
        self.spans = spans
        self.k = 0

    def covers(self, i: int) -> bool:
        # queries come in increasing order of i
        sp = self.spans
        while self.k < len(sp) and sp[self.k][1] <= i:
            self.k += 1
        k = self.k
        while k < len(sp) and sp[k][0] <= i:
            if sp[k][0] < i < sp[k][1] or (sp[k][0] <= i < sp[k][1] and sp[k][0] != i):
                return True
            k += 1
        return False


def _match_unit(t: str, i: int) -> Optional[tuple[int, str, str, float]]:
    """Unit at t[i] (after at most 4 spaces for CJK units): (end, raw, unit, factor)."""
    j = i
    while j < len(t) and j - i < 4 and t[j] == " ":
        j += 1
    if j > i + 1 and j < len(t) and _LATIN_UNIT.match(t[j]):
        return None
    if j > i and j < len(t) and t[j] in "mMkKgGtT":
        return None
    m = _PP_RE.match(t, j)
    if m:
        return m.end(), t[j : m.end()], "percentage_point", 1.0
    if j < len(t) and t[j] == "%":
        return j + 1, "%", "percent", 1.0
    if G.NOT_UNIT_RE.match(t, j):
        nm = G.NOT_UNIT_RE.match(t, j)
        um = G.UNIT_RE.match(t, j)
        if not um or len(um.group()) <= len(nm.group()):
            return None
    m = G.UNIT_RE.match(t, j)
    if not m:
        return None
    raw = m.group()
    if _LATIN_UNIT.match(raw) and m.end() < len(t) and re.match(r"[A-Za-z0-9]", t[m.end()]):
        return None
    if t.startswith(_NOT_CLASSIFIER, m.start()):
        return None
    if raw in _UNITS:
        unit, factor = _UNITS[raw]
    else:
        unit, factor = "count", 1.0
    return m.end(), raw, unit, float(factor)


def _trailing_multiplier(t: str, num: Num) -> float:
    """Scale shared by both ends of a range: 万 of 两到三万, 百 of 两~3百."""
    if num.scale != 1.0:
        return num.scale
    if num.end - num.start >= 2 and t[num.end - 1] in SMALL:
        before = t[num.end - 2]
        if before.isdigit() or before in G.DIGIT_CHARS:
            return float(SMALL[t[num.end - 1]])
    return 1.0


def _fmt(x: Optional[float]) -> Optional[float]:
    if x is None:
        return None
    return float(f"{x:.12g}")


def _value_and_scale(num: Num, extra: float, scale_override: Optional[float]) -> tuple:
    """(value as written, scale) of a numeral: a share (三成: override 10), a fraction or
    written percentage, a per-base figure (千分之五), else the numeral's own scale."""
    if scale_override is not None:
        if num.kind == "fraction":
            return num.value, scale_override
        return num.value + extra * (1 if scale_override != 100.0 else 0), scale_override
    if num.kind == "per_base":
        scale = 100.0 / num.extras.get("base", 100)
        return num.value / scale, scale
    return num.value / num.scale + extra, num.scale


class _Builder:
    def __init__(self, text: str):
        self.text = text
        self.t = G.normalize(text)
        self.quotes = _Spans(_quote_spans(self.t))

    # -- context tests -------------------------------------------------
    def excluded(self, num: Num) -> bool:
        t = self.t
        s, e = num.start, num.end
        if self.quotes.covers(s):
            return True
        if s > 0 and t[s - 1] in "第+×*/#":
            return True
        if s > 0 and (
            t[s - 1] in _ORDINAL_BEFORE or (t[s - 1] in _ORDINAL_BEFORE_HANZI and not num.arabic)
        ):
            return True  # 十四届四次会议, 前七批: ordinals
        if (
            e - s <= 2
            and t[s] in _BARE_SCALE_CHARS
            and t[e - 1] in _BARE_SCALE_CHARS
            and not num.arabic
        ):
            return True  # 千家排水库, 千人千面, 百府悦: a bare 千/百/万 is not a numeral
        if e < len(t) and t[e] in "+×":
            return True
        if s > 0 and t[s - 1].isascii() and t[s - 1].isalpha():
            return True
        if num.kind == "fraction" and not num.chinese and not self.measured_fraction(num):
            return True  # 1/2, 3/4: a ratio, a date or a page unless it measures a change
        if t.startswith(_FOLLOW_SLOGAN, e) and not (num.arabic and not num.chinese):
            return True
        return False

    def measured_fraction(self, num: Num) -> bool:
        """An Arabic fraction that measures something: a proper fraction after a change or share
        verb (减少1/3, 占1/4) or before a bound word (1/3以上), not inside a date (2019/3/4).

        >>> [q["text"] for q in quantities("项目比上年减少1/3以上，占1/4，2019/3/4")]
        ['1/3以上', '1/4']
        """
        t = self.t
        if not (0 < num.value < 1) or (num.end < len(t) and t[num.end] in "/-."):
            return False
        if num.start > 0 and (t[num.start - 1].isdigit() or t[num.start - 1] in "/-."):
            return False
        if G.BOUND_SUFFIX_RE.match(t, num.end):
            return True
        return t[max(0, num.start - 2) : num.start].endswith(_FRACTION_VERBS)

    def is_date(self, num: Num, unit_raw: str) -> bool:
        t = self.t
        if unit_raw == "年":
            v = num.value
            if num.kind == "sequence":
                return True
            if (
                float(v).is_integer()
                and 1900 <= v <= 2100
                and num.int_text
                and len(num.int_text) == 4
            ):
                return True
        if unit_raw in _DATE_UNITS_AFTER_MONTH:
            k = num.start - 1
            if k >= 0 and t[k] == "月":
                return True
            if t[num.start] == "-":  # 3月1日—5日: the dash was read as a minus sign
                k = num.start
            if k >= 1 and t[k] in _DATE_RANGE_LINKS and t[k - 1] in _DATE_UNITS_AFTER_MONTH:
                j = k - 1  # 7月9日至17日: the end of a range whose start is a date
                while j > 0 and t[j - 1] in _DAY_DIGITS:
                    j -= 1
                if j < k - 1 and j > 0 and t[j - 1] == "月":
                    return True
            if unit_raw == "号":
                return True
        return False

    # -- pieces --------------------------------------------------------
    def prefix_bound(self, s: int) -> tuple[int, Optional[str], list[str]]:
        """Bound word written right before position s: (new start, bound, qualifiers)."""
        t = self.t
        w = t[max(0, s - 6) : s]
        m = G.BOUND_PREFIX_RE.search(w)
        if not m:
            return s, None, []
        word = m.group()
        a = s - len(word)
        if a > 0 and t[a - 1] in _NOT_PREFIX_BEFORE and word in ("约", "超"):
            return s, None, []
        if word == "左右":
            return s, None, []
        return a, _BOUND_PREFIX[word], [self.text[a:s]]

    def commitment_before(self, s: int) -> list[str]:
        w = self.t[max(0, s - 6) : s]
        m = G.COMMIT_PREFIX_RE.search(w)
        return [self.text[s - len(m.group()) : s]] if m else []

    def suffix_bound(self, e: int) -> tuple[int, Optional[str], list[str]]:
        t = self.t
        m = G.BOUND_SUFFIX_RE.match(t, e)
        if not m:
            return e, None, []
        word = m.group()
        if word == "内" and (m.end() < len(t) and t[m.end()] in "资外容部地河陆"):
            return e, None, []
        if word == "上下" and m.end() < len(t) and t[m.end()] in "游级层班":
            return e, None, []
        return m.end(), _BOUND_SUFFIX[word], [self.text[e : m.end()]]

    def unit_after(self, num: Num):
        """(end, unit_raw_without_scale, unit, factor, extra_value, scale_override) or None."""
        t = self.t
        e = num.end
        if num.kind in ("percent", "per_base"):
            return e, "", "percent", 1.0, 0.0, None
        if num.kind == "fraction":
            return e, "", "percent", 1.0, 0.0, 100.0
        sm = G.SHARE_RE.match(t, e)
        if sm and not (sm.group("w") == "折" and sm.end() < len(t) and t[sm.end()] in "合算旧价扣"):
            return self.share_after(num, sm)
        u = _match_unit(t, e)
        if u is None:
            return None
        end, raw, unit, factor = u
        extra = 0.0
        if (
            raw == "块"
            and end < len(t)
            and _cjk(t[end])
            and t[end] != "钱"
            and not G.MINOR_CURRENCY_RE.match(t, end)
        ):
            # 14块绿地: 块 is a classifier before a noun (块钱 / 块 at a clause end is yuan)
            unit = "count"
        if (raw in _CNY_UNITS and unit == "CNY") or unit in ("USD",):
            end, unit, extra = self.currency_tail(end, raw, unit)
        if end < len(t) and t[end] == "半" and unit not in ("percent", "CNY"):
            extra += 0.5
            end += 1
        return end, raw, unit, factor, extra, None

    def share_after(self, num: Num, sm: "re.Match[str]"):
        """A share word after the numeral (三成, 八折, 七成五, 五成半): :meth:`unit_after`'s
        tuple, or None when the value cannot be that share."""
        t = self.t
        v = num.value
        w = sm.group("w")
        if w == "成" and sm.end() < len(t) and t[sm.end()] in "为果效立绩本员":
            return None
        if w == "折":
            if 0 < v < 10:
                scale = 10.0
            elif 10 < v < 100:
                scale = 1.0
            else:
                return None
        else:
            if not (0 < v <= 10):
                return None
            scale = 10.0
        extra = 0.5 if sm.group("half") else 0.0
        if sm.group("tail") and w == "成":
            extra = DIGITS[sm.group("tail")] / 10
        return sm.end(), w, "percent", 1.0, extra, scale

    def currency_tail(self, end: int, raw: str, unit: str) -> tuple[int, str, float]:
        """After 元/美元 at ``end``: minor units (123元1角1分, 五元三毛, 两美元又三美分), 钱, 整,
        or another currency (三万元欧元). Returns (new end, unit, value added)."""
        t = self.t
        extra = 0.0
        k = end
        for _ in range(2):
            mm = G.MINOR_CURRENCY_RE.match(t, k)
            if not mm:
                break
            d = mm.group("num")
            dv = float(d) if d.isdigit() else float(DIGITS[d])
            unit_word = mm.group("unit")
            if unit_word == "美分" and unit != "USD":
                break
            if unit_word in ("角", "毛", "分") and unit != "CNY":
                break
            extra += dv * _MINOR[unit_word]
            k = mm.end()
        if k < len(t) and t[k] == "钱" and raw in ("块",):
            k += 1
        elif k > end and k < len(t) and t[k] == "钱":
            k += 1
        if k < len(t) and t[k] in "整正" and k > end:
            k += 1
        if k == end and raw in ("元", "圆"):
            om = G.CURRENCY_OVERRIDE_RE.match(t, k)
            if om:
                unit = _CUR_OVERRIDE[om.group()]
                k = om.end()
        return k, unit, extra

    # -- records -------------------------------------------------------
    def record(
        self, start, end, value, low, high, bound, unit_raw, unit, scale, quals, masked=False
    ):
        vb = None if value is None else _fmt(value * scale)
        return {
            "start": start,
            "end": end,
            "text": self.text[start:end],
            "value": _fmt(value),
            "low": _fmt(low),
            "high": _fmt(high),
            "bound": bound,
            "unit_raw": unit_raw,
            "unit": unit,
            "scale": float(scale),
            "value_base": vb,
            "qualifiers": quals,
            "masked": masked,
        }

    def scale_text(self, num: Num) -> str:
        """The trailing scale word(s) of a numeral as written (万, 亿, 万亿, k)."""
        t = self.t
        k = num.end
        if num.approx == "gt" and k - num.start >= 2 and t[k - 1] in "余多" and t[k - 2] in BIG:
            k -= 1  # 10万余株, 3万多居民: the scale word sits before the filler
        while k > num.start and t[k - 1] in BIG:
            k -= 1
        if k < num.end:
            return self.text[k : num.end].rstrip("余多")
        if num.scale == 1000.0 and t[num.end - 1] in "千仟":
            return self.text[num.end - 1 : num.end]
        if num.scale != 1.0 and t[num.end - 1] in "kKw":
            return self.text[num.end - 1 : num.end]
        return ""

    def build(self, num: Num) -> tuple[Optional[dict], int]:
        """Record for numeral ``num``; returns (record or None, position consumed up to)."""
        t = self.t
        if self.excluded(num):
            return None, num.end
        ua = self.unit_after(num)
        if ua is None and num.end - num.start >= 2 and t[num.end - 1] == "两":
            num, ua = self.liang(num)
        # range: N1 [unit] connector N2 unit
        rng = self.try_range(num, ua)
        if rng is not None:
            return rng
        start, ua = self.with_prefix_currency(num, ua)
        inner_bound = None
        if ua is None:
            implied = self.implied_unit(num)
            if implied is None:
                return None, num.end
            ua, inner_bound = implied
        end, raw, unit, factor, extra, scale_override = ua
        if unit == "year" and self.is_date(num, raw):
            return None, end
        if raw in _DATE_UNITS_AFTER_MONTH and self.is_date(num, raw):
            return None, end
        if unit in ("day",) and raw == "日" and num.int_text is None and not num.chinese:
            return None, end
        rec, e2 = self.finish(num, start, end, raw, unit, factor, extra, scale_override)
        if rec is not None and inner_bound is not None and rec["bound"] == "point":
            rec["bound"] = _BOUND_SUFFIX[inner_bound]  # 1000万以上农村贫困人口
            rec["qualifiers"].append(inner_bound)
        if rec is not None and self.not_measured(num, rec):
            return None, e2
        return rec, e2

    def implied_unit(self, num: Num):
        """The unit of a 万/亿 numeral written without one, from the words around it: a
        population noun after a bound word (1000万以上农村贫困人口), or the noun before it
        past verbs and bound words (减少农村贫困人口1000万以上, 完成固定资产投资50亿):
        ``(unit tuple of unit_after, bound word between numeral and noun or None)``, or None.

        >>> [(q["text"], q["unit"], q["value_base"]) for q in quantities("总投资5亿")]
        [('5亿', 'CNY', 500000000.0)]
        """
        t = self.t
        if num.kind in ("percent", "per_base", "fraction"):
            return None
        if not any(ch in "万亿" for ch in self.scale_text(num)):
            return None
        m = G.BOUND_SUFFIX_RE.match(t, num.end)
        if m:
            u = _match_unit(t, m.end())
            if u is not None and u[2] == "person" and len(u[1]) >= 2:
                return (u[0], u[1], "person", u[3], 0.0, None), m.group()
        head = t[max(0, num.start - 16) : num.start].rstrip()
        changed = True
        while changed and head:
            changed = False
            for w in _IMPLIED_VERBS:
                if head.endswith(w):
                    head, changed = head[: -len(w)].rstrip(), True
                    break
        if head.endswith(_IMPLIED_PERSON_BEFORE):
            return (num.end, "", "person", 1.0, 0.0, None), None
        if head.endswith(_IMPLIED_CNY_BEFORE):
            return (num.end, "", "CNY", 1.0, 0.0, None), None
        return None

    def liang(self, num: Num):
        """三十两 (liang, a weight): the numeral re-read without its final 两, with the unit
        两; ``(num, None)`` as it was when that is not it."""
        short = scan_core(self.t, num.start, num.end - 1)
        if short is not None and short.end == num.end - 1:
            short.start = num.start
            u = _match_unit(self.t, short.end)
            if u and u[2] == "liang":
                return short, (u[0], u[1], u[2], u[3], 0.0, None)
        return num, None

    def with_prefix_currency(self, num: Num, ua):
        """(start, unit tuple) with a currency sign before the numeral: ¥300, $20 (no unit
        after it: the sign is the unit; ``(start, None)`` without one either), US$5元."""
        pc = self.prefix_currency(num.start)
        if ua is None:
            if pc is None:
                return num.start, None
            a, cur = pc
            return a, (num.end, "", cur, 1.0, 0.0, None)
        if pc is not None and ua[2] in ("CNY",) and ua[1] in ("元", "圆", "块"):
            start, cur = pc
            return start, (ua[0], ua[1], cur, ua[3], ua[4], ua[5])
        return num.start, ua

    def not_measured(self, num: Num, rec: dict) -> bool:
        """Numerals with a unit that still measure nothing (spec: names, periods, designations)."""
        t = self.t
        e = rec["end"]
        nxt = t[e] if e < len(t) else ""
        hanzi = num.chinese and not num.arabic
        if rec["unit"] == "year" and hanzi and rec["bound"] == "point":
            return True  # 五年来, 今后五年, 三年行动: periods, not quantities
        if (
            rec["unit"] == "count"
            and hanzi
            and t[num.start : num.end] == "一"
            and rec["bound"] == "point"
            and nxt
            and _cjk(nxt)
        ):
            return True  # 一支队伍, 一个新的起点, 抓一件是一件: article use of 一 before a noun
        if rec["unit"] == "count" and t.startswith(_NOT_COUNTED, e):
            return True  # 八个方面的工作, 三项原则
        if rec["unit"] in _CAPACITY_UNITS and nxt and _cjk(nxt) and nxt not in _CAPACITY_FOLLOW_OK:
            k = e
            while k < len(t) and k - e < _CAPACITY_WINDOW and t[k] not in _SEPARATORS:
                if t.startswith(_FACILITY_NOUNS, k):
                    # 大唐700万吨露天矿, 110千伏线路工程: rated capacity in a facility name
                    return True
                k += 1
        if t[max(0, rec["start"] - 4) : rec["start"]].endswith(_CAPACITY_PREFIX):
            return True  # 日处理3万吨水厂, 年产3000辆专用车项目
        if rec["unit"] not in _MONEY_UNITS and t.startswith(_DESIGNATION_FOLLOW, e):
            return True  # 万吨级泊位, 24班规模小学
        return False

    def prefix_currency(self, s: int):
        w = self.t[max(0, s - 6) : s]
        m = G.PREFIX_CURRENCY_RE.search(w)
        if not m:
            return None
        word = m.group().strip()
        return s - len(m.group()), _PREFIX_CUR[word]

    def finish(
        self,
        num,
        start,
        end,
        raw,
        unit,
        factor,
        extra,
        scale_override,
        low=None,
        high=None,
        rng_bound=False,
    ):
        scale_txt = self.scale_text(num) if scale_override is None else ""
        value, scale = _value_and_scale(num, extra, scale_override)
        unit_raw = self.unit_raw(num, raw, unit, scale_txt)
        scale = scale * factor
        a, pbound, pq = self.prefix_bound(start)
        e2, sbound, sq = self.suffix_bound(end)
        quals = self.commitment_before(a) + pq + sq
        if rng_bound or num.approx == "range":
            bound = "range"
            if low is None:
                low, high = num.low / num.scale, num.high / num.scale
            value = None
        else:
            bound = sbound or pbound or ("gt" if num.approx == "gt" else "point")
        return self.record(a, e2, value, low, high, bound, unit_raw, unit, scale, quals), e2

    def unit_raw(self, num: Num, raw: str, unit: str, scale_txt: str) -> Optional[str]:
        """The unit as written, its scale word included (万元, 百分之, 分之)."""
        if unit == "count":
            return scale_txt + raw
        if num.kind == "percent":
            return "百分之"
        if num.kind == "per_base":
            return self.t[num.start : self.t.find("之", num.start) + 1].replace(" ", "")
        if num.kind == "fraction":
            return "分之"
        return scale_txt + raw if raw else (scale_txt or None)

    def try_range(self, num: Num, ua):
        """``N1 [unit] connector N2 unit`` (两到三万吨, 6%-6.5%, 5至10亩): (record, end) of the
        range, or None when ``num`` does not start one."""
        found = self.range_end(num, ua)
        if found is None:
            return None
        n2, ua2 = found
        return self.range_record(num, ua, n2, ua2)

    def range_end(self, num: Num, ua):
        """The second numeral of a range starting at ``num`` and its unit, ``(n2, ua2)``, or
        None (no connector, units or kinds that differ, dates, a low end above the high one)."""
        t = self.t
        k = num.end
        unit1 = None
        if ua is not None:
            unit1 = ua
            k = ua[0]
        im = G.INCLUSIVE_RE.match(t, k)
        if im:
            k = im.end()
        cm = G.RANGE_CONNECTOR_RE.match(t, k)
        if not cm:
            return None
        n2 = scan_number(t, cm.end())
        if n2 is None or n2.approx is not None or num.approx is not None:
            return None
        ua2 = self.unit_after(n2)
        if ua2 is None:
            return None
        if unit1 is not None and (unit1[2] != ua2[2]):
            return None
        if num.kind in ("percent", "per_base", "fraction") or n2.kind in ("per_base", "fraction"):
            if not (num.kind == n2.kind == "percent"):
                return None
        if ua2[2] == "year" and (self.is_date(n2, ua2[1]) or self.is_date(num, ua2[1])):
            return None
        if ua2[1] in _DATE_UNITS_AFTER_MONTH and self.is_date(num, ua2[1]):
            return None  # 3月1日—5日: dates, not a range of days
        if num.value >= n2.value and not (
            unit1 is None and n2.scale > 1 and num.value < n2.value / n2.scale
        ):
            if unit1 is not None or _trailing_multiplier(t, n2) == 1.0:
                return None
        return n2, ua2

    def range_record(self, num: Num, unit1, n2: Num, ua2):
        """The record of the range ``num`` (unit ``unit1``, or None) to ``n2`` (unit ``ua2``),
        or None when its low end is above its high one."""
        t = self.t
        end, raw, unit, factor, extra, scale_override = ua2
        mult = _trailing_multiplier(t, n2)
        lo_full = num.value
        if unit1 is None and num.scale == 1.0 and mult != 1.0 and num.value < n2.value / mult:
            lo_full = num.value * mult
        if lo_full > n2.value:
            return None
        scale = n2.scale if scale_override is None else scale_override
        if num.kind == "percent":
            scale = 1.0
        if scale_override is not None:
            lo, hi = lo_full + extra, n2.value + extra
        else:
            lo, hi = lo_full / scale, n2.value / scale + extra
        return self.finish_range(num.start, end, raw, unit, factor, lo, hi, scale, n2)

    def finish_range(self, start, end, raw, unit, factor, lo, hi, scale, n2):
        scale_txt = self.scale_text(n2)
        if unit == "count":
            unit_raw = scale_txt + raw
        elif n2.kind == "percent":
            unit_raw = "百分之"
        else:
            unit_raw = (scale_txt + raw) if (scale_txt or raw) else None
        a, pbound, pq = self.prefix_bound(start)
        e2, sbound, sq = self.suffix_bound(end)
        quals = self.commitment_before(a) + pq + sq
        return self.record(a, e2, None, lo, hi, "range", unit_raw, unit, scale * factor, quals), e2

    def special_share(self, m: "re.Match[str]") -> Optional[dict]:
        """一半, 打对折, 半成: a share written without a numeral (not 另一半; not in quotes)."""
        w = m.group("w")
        if w == "一半" and m.start() > 0 and self.t[m.start() - 1] in "另":
            return None
        txt, v, scale, raw = _SPECIAL_SHARE[w]
        s = m.start() + (len(w) - len(txt))
        if self.quotes.covers(s):
            return None
        return self.record(s, m.end(), v, None, None, "point", raw, "percent", scale, [])

    # -- masked --------------------------------------------------------
    def masked(self, m) -> Optional[dict]:
        t = self.t
        s, e = m.start(), m.end()
        if self.quotes.covers(s):
            return None
        k = e
        scale_chars = ""
        while k < len(t) and t[k] in BIG and len(scale_chars) < 2:
            scale_chars += t[k]
            k += 1
        u = _match_unit(t, k)
        if u is None:
            return None
        end, raw, unit, factor = u
        if (
            raw in ("年",)
            or G.NOT_UNIT_RE.match(t, k)
            and len(G.NOT_UNIT_RE.match(t, k).group()) >= len(raw)
        ):
            return None
        scale = 1.0
        for ch in scale_chars:
            scale *= BIG[ch]
        a, pbound, pq = self.prefix_bound(s)
        e2, sbound, sq = self.suffix_bound(end)
        quals = self.commitment_before(a) + pq + sq
        bound = sbound or pbound or "point"
        unit_raw = self.text[e:end] if unit != "percent" or raw != "%" else "%"
        return {
            "start": a,
            "end": e2,
            "text": self.text[a:e2],
            "value": None,
            "low": None,
            "high": None,
            "bound": bound,
            "unit_raw": unit_raw,
            "unit": unit,
            "scale": float(scale * factor),
            "value_base": None,
            "qualifiers": quals,
            "masked": True,
        }


def _candidates(t: str) -> list[tuple[int, int, object]]:
    """Where quantities may start, in text order: ``(start, kind, match)``, kind 0 a numeral
    (:class:`Num`), 1 a masked number (xx万元), 2 a share word (一半, 打对折)."""
    items: list = []
    for num in iter_numbers(t):
        items.append((num.start, 0, num))
    for m in G.MASK_RE.finditer(t):
        items.append((m.start(), 1, m))
    for m in _SPECIAL_SHARE_RE.finditer(t):
        items.append((m.start(), 2, m))
    items.sort(key=lambda x: (x[0], x[1]))
    return items


def quantities(text: str) -> list[dict]:
    """Find every measured quantity in ``text`` (spec ``targets.md``).

    Each record has ``start``, ``end``, ``text`` (span including scale word,
    unit and adjacent bound words), ``value`` (number as written, scale not
    applied; None when masked or a range), ``low``/``high`` (ranges),
    ``bound`` (point/approx/ge/gt/le/lt/range), ``unit_raw`` (unit as
    written, scale included), ``unit`` (normalised: percent,
    percentage_point, CNY, USD, t, mu, person, count, ...), ``scale``,
    ``value_base`` (value x scale in the normalised unit), ``qualifiers``
    (bound and commitment words as written) and ``masked``.

    Dates, periods (1-6月, 2025年), ordinals (第三轮), ranks, document
    numbers, numbers in quoted slogans (“8+4”) and bare numbers without a
    unit are not quantities.

    >>> [
    ...     (q["text"], q["value_base"], q["unit"], q["bound"])
    ...     for q in quantities("固定资产投资额达到100亿元以上")
    ... ]
    [('100亿元以上', 10000000000.0, 'CNY', 'ge')]
    >>> [(q["low"], q["high"], q["unit"]) for q in quantities("增长6%-6.5%")]
    [(6.0, 6.5, 'percent')]
    >>> quantities("推动“两重”“两新”工作,2025年1-6月")
    []
    """
    if not isinstance(text, str):
        raise TypeError("quantities expects a str")
    b = _Builder(text)
    out: list[dict] = []
    consumed = 0
    for pos, typ, obj in _candidates(b.t):
        if pos < consumed:
            continue
        if typ == 0:
            rec, end = b.build(obj)
        elif typ == 1:
            rec = b.masked(obj)
            end = rec["end"] if rec else obj.end()
        else:
            rec, end = b.special_share(obj), obj.end()
        if rec is not None:
            if out and rec["start"] < out[-1]["end"]:
                rec = None
            else:
                out.append(rec)
        if rec is not None:
            consumed = max(consumed, end)
    return out
