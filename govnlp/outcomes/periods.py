"""Which year a document is from, and which year each of its quantities is about.

A work report given in year Y reviews year Y−1 (its outcomes) and sets the targets for Y; a plan
or a work summary of Y is about Y. Headings (``一、2017年工作回顾``, ``二、2018年工作安排``) and
a year written in the quantity's own clause (``2017年全区地区生产总值…``, ``去年``, ``今年``) say
it more precisely. Multi-year figures (年均, 五年来, 累计, 十三五期间) are about no single year.

>>> document_year({"doc_id": "x.txt", "meta": {}, "text": "政府工作报告\\n——2018年3月7日在…"})
2018
>>> document_year({"doc_id": "x.txt", "meta": {}, "text": "政府工作报告\\n二〇二三年一月十二日在…"})
2023
>>> clause_year("今年全区地区生产总值增长", 2018), clause_year("2017年全区地区生产总值", 2018)
(2018, 2017)
>>> clause_year("2023年1-6月，完成", 2023) is None
True
>>> is_multi_year("过去五年，地区生产总值年均增长")
True
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Tuple

from govnlp.numbers.changes import CHANGE_TO_WORDS
from govnlp.textnorm import readable

__all__ = [
    "document_year",
    "is_work_report",
    "clause_before",
    "clause_year",
    "sentence_before",
    "lead_sentence",
    "heading_year",
    "is_multi_year",
    "is_average",
    "plan_end_year",
    "arabic_years",
    "section_lines",
    "base_year",
    "restates_target",
    "changes_from_a_year",
    "is_part_of_year",
    "own_part",
]

_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_HANZI_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {
    "○": "0",
    "零": "0",
    "Ｏ": "0",
    "O": "0",
}
_HANZI_DATE = re.compile(
    r"([〇○零OＯ一二三四五六七八九]{4})\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
)
#: A year written in Chinese digits (一九九〇年, 二〇二三年): read as Arabic digits, same length.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HANZI_YEAR = re.compile(r"[〇○零OＯ一二三四五六七八九]{4}(?=\s*年)")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*[月—\-－~～至到])")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_RELATIVE = (
    ("今年", 0),
    ("本年", 0),
    ("去年", -1),
    ("上年", -1),
    ("过去的一年", -1),
    ("过去一年", -1),
    ("明年", 1),
)
#: A comparison with last year (比上年增加200亿元, 较去年同期, 比上年预算减少): 上年 names the base
#: a figure is compared with, not the year the figure is about.
#: So are this year in a comparison (比今年增长4%: a figure of next year) and the year a change
#: starts from (由今年预计的3%提高到4%).
_COMPARISON_BASE = re.compile(
    r"(?:比|较|同|与)(?:上年|去年|今年|本年)|(?:由|从)(?:今年|本年|去年|上年)(?:预计|实际)?的"
)
#: A year named as the base of a comparison (比1980年翻两番, 为1997年的2.9倍, 与2000年相比): not
#: the year the figure is about (but 由1997年的65%提高到 is the 1997 level).
_BASE_YEAR = re.compile(r"(?:比|较|为|是|相当于|同|与)\s*(?:19|20)\d\d\s*年(?:末|底|同期)?")
_MULTI_YEAR = re.compile(
    r"年均|年平均|过去[三四五十]年|[两三四五十]年(?:来|间|中|里|内|共|累计|合计|新增|完成|实现)|累计|十[一二三四五六]五(?:期间|时期|以来)|"
    r"“十[一二三四五六]五”(?:期间|时期|以来|末)|“?[六七八九]五”?(?:期间|时期|以来)|平均每年|每年平均|"
    r"每年(?:要|都|将)?(?:增长|递增|提高)|"
    r"\d{4}\s*[-—至到]\s*\d{4}年"
)
_CLAUSE_END = "。；;！？!?\n"
#: A five-year plan named as a period (“十四五”时期, 十三五期间, “十五”计划, “七五”期间): its
#: last year.
_PLAN = re.compile(
    r"“?((?:十[一二三四五六]?)|[六七八九])五”?\s*(?:时期|期间|规划|计划|末|主要目标|发展目标|目标)"
)
_PLAN_END = {"十": 2005, "十一": 2010, "十二": 2015, "十三": 2020, "十四": 2025, "十五": 2030}
_PLAN_END |= {"十六": 2035, "六": 1985, "七": 1990, "八": 1995, "九": 2000}
#: Words that make a figure an average or a total over several years (年均增长7%, 平均每年增长,
#: 累计完成).
_AVERAGE = re.compile(r"年均|年平均|平均每年|每年平均|累计|合计")


def arabic_years(text: str) -> str:
    """``text`` with full-width digits and each year written in Chinese digits before 年 in
    ASCII digits (the same length, so offsets stay): old reports write 到一九九〇年 and
    首先报告２００１年的工作.

    >>> arabic_years("到一九九〇年达到"), arabic_years("２００１年")
    ('到1990年达到', '2001年')
    """
    text = text.translate(_FULLWIDTH_DIGITS)
    if not _HANZI_YEAR.search(text):
        return text
    return _HANZI_YEAR.sub(lambda m: "".join(_HANZI_DIGIT[c] for c in m.group(0)), text)


def document_year(record: Dict[str, Any]) -> Optional[int]:
    """The year a record's document is from: ``meta.date``/``meta.year``, else the first full
    date in its opening lines (a work report's ``2018年3月7日在…会议上``), else a year in its
    id or title, else None."""
    meta = record.get("meta") or {}
    for key in ("year", "date"):
        value = meta.get(key)
        if isinstance(value, int) and 1900 < value < 2100:
            return value
        if isinstance(value, str):
            found = _ANY_YEAR.search(value)
            if found:
                return int(found.group(1))
    text = record.get("text") or ""
    found = _DATE.search(text[:400])
    if found:
        return int(found.group(1))
    found = _HANZI_DATE.search(text[:400])  # 二〇二三年一月十二日在…会议上
    if found:
        year = int("".join(_HANZI_DIGIT[c] for c in found.group(1)))
        if 1900 < year < 2100:
            return year
    for value in (meta.get("title"), record.get("doc_id")):
        found = _ANY_YEAR.search(str(value or ""))
        if found:
            return int(found.group(1))
    found = _YEAR.search(text[:200])
    return int(found.group(1)) if found else None


def is_work_report(record: Dict[str, Any]) -> bool:
    """A government work report (reviews last year, plans this one): ``meta.doc_type`` says
    ``work_report`` or its opening lines say 政府工作报告."""
    meta = record.get("meta") or {}
    if meta.get("doc_type"):
        return meta["doc_type"] == "work_report"
    head = re.sub(r"\s+", "", readable((record.get("text") or "")[:300])[0])
    return "政府工作报告" in head or "工作报告" in head[:30]


def clause_before(text: str, start: int, limit: int = 80) -> str:
    """The text of the clause that leads up to offset ``start`` (back to the last 。；！？ or
    line break, at most ``limit`` characters)."""
    return _back_to(text, start, limit, _CLAUSE_END)


def _back_to(text: str, start: int, limit: int, stops: str) -> str:
    """The text before offset ``start``, back to the last character of ``stops`` (at most
    ``limit`` characters)."""
    lo = max(0, start - limit)
    cut = max(text.rfind(ch, lo, start) for ch in stops)
    return text[(cut + 1 if cut >= 0 else lo) : start]


def paragraph_opening(text: str, start: int, sentences: int = 2, limit: int = 60) -> str:
    """The first ``sentences`` sentences (at most ``limit`` characters) of the paragraph holding
    offset ``start``: where a review paragraph says which years it is about.

    >>> t = (
    ...     "一、工作回顾\\n——民生事业扎实推进。五年来，我们致力推进民生改善。"
    ...     "完成101条背街巷道改造。"
    ... )
    >>> paragraph_opening(t, t.index("101"))
    '——民生事业扎实推进。五年来，我们致力推进民生改善。'
    """
    lo = text.rfind("\n", 0, start) + 1
    opening = text[lo : min(start, lo + limit)]
    cut, seen = len(opening), 0
    for i, ch in enumerate(opening):
        if ch in "。！？!?":
            seen += 1
            if seen == sentences:
                cut = i + 1
                break
    return opening[:cut]


_SENTENCE_END = "。！？!?"
_YEAR_WORD = re.compile(r"(?:19|20)\d\d\s*年")


def sentence_before(text: str, start: int, limit: int = 200) -> str:
    """The sentence that leads up to offset ``start``, from the last 。！？ or line break (at
    most ``limit`` characters): ``2012年，…全面实现年初确定的主要目标，国内生产总值增长``."""
    return _back_to(text, start, limit, _SENTENCE_END + "\n")


def lead_sentence(text: str, start: int, limit: int = 60) -> str:
    """The sentence before the one holding ``start``, in the same paragraph, when it holds no
    figure (a lead such as ``过去一年，我们的各项工作取得了很大成绩。``), else ``""``.

    >>> t = "2011年是开局之年。过去一年，我们取得了很大成绩。国内生产总值增长10.3%"
    >>> lead_sentence(t, t.index("10.3"))
    '过去一年，我们取得了很大成绩。'
    """
    own = start - len(sentence_before(text, start))
    if own <= 0 or text[own - 1] not in _SENTENCE_END:
        return ""
    lead = sentence_before(text, own - 1, limit) + text[own - 1]  # with its sentence end
    if "\n" in lead or re.search(r"\d", _YEAR_WORD.sub("", lead)):
        return ""
    return lead.strip()


def base_year(clause: str) -> Optional[int]:
    """The year a clause compares its figure with, when it names one (比2002年增长65.5%,
    为1997年的2.9倍, 与2000年相比), else None.

    >>> base_year("2007年，国内生产总值达到24.66万亿元，比2002年增长"), base_year("比上年增长")
    (2002, None)
    """
    found = list(_BASE_YEAR.finditer(arabic_years(clause)))
    return int(re.search(r"(?:19|20)\d\d", found[-1].group(0)).group(0)) if found else None


#: Words that make a figure a target said again, not a result: before it in its clause
#: (去年…曾提出，要把…控制在10%以内; 没有实现年初确定的…降低4%左右…的目标; not 实现年初确定的
#: 目标，…增长7.8%) or right after it
#: (低于8%的预定目标).
_RESTATED_BEFORE = re.compile(
    r"曾提出|曾经提出|提出要|年初提出|原计划|(?:确定|提出|预定|原定)的[^，,。；;：:]*$"
)
_RESTATED_AFTER = re.compile(r"^[^，,。；;！？]{0,4}?的?(?:预定|预期|既定|年度|计划)?目标")


def restates_target(clause: str, after: str) -> bool:
    """Whether a figure with ``clause`` before it and ``after`` after it restates a target set
    earlier (a review recalls the goal before its result), so it is no outcome.

    >>> restates_target("国内生产总值增长7.8％，虽然略低于", "的预定目标，但")
    True
    >>> restates_target("去年我在政府工作报告中曾提出，要把物价上涨幅度控制在", "。")
    True
    >>> restates_target("国内生产总值增长", "，比上年加快")
    False
    >>> restates_target("没有实现年初确定的单位国内生产总值能耗降低", "、主要污染物")
    True
    >>> restates_target("全面实现年初确定的主要目标，国内生产总值增长", "，城镇")
    False
    """
    return bool(_RESTATED_BEFORE.search(clause) or _RESTATED_AFTER.search(after))


def clause_year(clause: str, doc_year: Optional[int]) -> Optional[int]:
    """The year a clause names for its quantity: the last ``YYYY年`` in it that is not a date
    or a month range, else 今年/去年… relative to ``doc_year`` (not the 上年 of a comparison:
    比上年减少200亿元 is a figure of this year), else None.

    >>> clause_year("去年全区实现", 2006), clause_year("拟发行国债600亿元，比上年减少", 2006)
    (2005, None)
    >>> clause_year("2000年利润2392亿元，为1997年的", 2001), clause_year("为1997年的", 2001)
    (2000, None)
    >>> clause_year("此项支出从2006年20.5亿元增加到去年的", 2008)
    2007
    >>> clause_year("要求明年的农业继续增长，重工业要由今年的生产下降转为上升", 1981)
    1982
    >>> clause_year("1958年，钢产量由1957年的535万吨增长到", 1959), clause_year("由1957年的", 1959)
    (1958, 1957)
    """
    clause = _BASE_YEAR.sub("", arabic_years(clause))
    starts = list(_CHANGE_FROM_YEAR.finditer(clause))
    if starts and _CHANGE_TO.search(clause, starts[-1].end()):
        # 由1957年的535万吨增长到: the year the change starts from, not the year of its end
        clause = clause[: starts[-1].start()] + clause[starts[-1].end() :]
    years = list(_YEAR.finditer(clause))
    if years:
        # 从2006年20.5亿元增加到去年的: a relative year after the last written one wins
        after = clause[years[-1].end() :]
        if doc_year is not None:
            after = _COMPARISON_BASE.sub("", after)
            for word, delta in _RELATIVE:
                if word in after:
                    return doc_year + delta
        return int(years[-1].group(1))
    if re.search(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*[月—\-－~～至到]", clause):
        return None
    if doc_year is not None:
        clause = _COMPARISON_BASE.sub("", clause)
        for word, delta in _RELATIVE:
            if word in clause:
                return doc_year + delta
    return None


_DEADLINE = re.compile(
    r"(?:到|至|在)\s*((?:19|20)\d\d)\s*年(?:底|末)?(?:前|以前)?|((?:19|20)\d\d)\s*年(?:底|末)?(?:前|以前)"
)


def deadline_year(clause: str, doc_year: Optional[int]) -> Optional[int]:
    """The deadline a target of a year-``doc_year`` document sets for itself in a later year
    (到2017年底前实现…, 2020年前完成…), else None: such a target can be reported done in any
    year from ``doc_year`` to the deadline.

    >>> deadline_year("到2017年底前实现农村贫困人口", 2016), deadline_year("2016年完成", 2016)
    (2017, None)
    """
    if doc_year is None:
        return None
    years = [int(m.group(1) or m.group(2)) for m in _DEADLINE.finditer(arabic_years(clause))]
    return years[-1] if years and years[-1] > doc_year else None


#: the year a change starts from (由1957年的…增长到; :func:`changes_from_a_year` wants its 的)
#: and the words that lead to its end
_FROM_A_YEAR = r"(?:由|从)\s*(?:19|20)\d\d\s*年(?:底|末)?"
_CHANGE_FROM_YEAR = re.compile(_FROM_A_YEAR + "的?")
_CHANGE_FROM_A_YEAR = re.compile(_FROM_A_YEAR + "的")
_CHANGE_TO = re.compile("|".join(map(re.escape, CHANGE_TO_WORDS)))


def changes_from_a_year(clause: str) -> bool:
    """Whether a clause sets a change from a named year's level (由1982年的31.5万人，增加到1987年
    的): its figure is the level of the end year, not a completion that may come early.

    >>> changes_from_a_year("招生人数由一九八二年的三十一万五千人，增加到一九八七年的")
    True
    >>> changes_from_a_year("到2017年底前实现农村贫困人口")
    False
    """
    return bool(_CHANGE_FROM_A_YEAR.search(arabic_years(clause)))


def heading_year(headings: Iterable[str]) -> Optional[int]:
    """The year the nearest heading with a year names (headings from outermost to innermost).

    >>> heading_year(["一、2017年工作回顾", "（一）经济发展"])
    2017
    """
    year = None
    for heading in headings:
        found = _YEAR.search(arabic_years(heading or ""))
        if found:
            year = int(found.group(1))
    return year


#: A line of its own that opens a part of a report and names its year, without a number before
#: it (首先报告２００１年的工作, 2018年工作回顾, 过去一年的工作): short, no sentence punctuation, a
#: year or 去年/过去一年, and 工作 or 回顾 — not the report's own title (…年政府工作报告), not a
#: numbered heading (一、2017年工作回顾: the items' headings say that).
_SECTION_LINE = re.compile(
    r"^[ \t\u3000]*(?!.*工作报告|[一二三四五六七八九十]+[、.．]|[（(]|\d{1,2}[.、．])"
    r"(?=[^\n。；;！？!?：:，,]{4,24}[ \t\u3000]*$)"
    r"[^\n]*?(?:((?:19|20)\d\d)\s*年|(去年|过去一年|上一年))[^\n]*?(?:工作|回顾)[^\n]*$",
    re.M,
)


def section_lines(text: str, doc_year: Optional[int]) -> List[Tuple[int, int]]:
    """``(offset, year)`` of each unnumbered section line of ``text`` that names a year
    (首先报告２００１年的工作 on a line of its own; 去年/过去一年 is ``doc_year - 1``), in order:
    the part of a report before its first numbered heading can be a review that says its year
    only there.

    >>> section_lines(
    ...     "2002年政府工作报告\\n首先报告２００１年的工作\\n财政收入达到１６３７１亿元。", 2002
    ... )
    [(12, 2001)]
    """
    lines = []
    for found in _SECTION_LINE.finditer(arabic_years(text)):
        if found.group(1):
            lines.append((found.start(), int(found.group(1))))
        elif doc_year is not None:
            lines.append((found.start(), doc_year - 1))
    return lines


#: A part of a year (第一季度, 上半年, 前三季度, 10月份, 1-6月): its figure is no whole year's.
#: Words before a number of years that make it a span, not a figure of the year (连续7年增产,
#: 长达2600年的, 历时3年): no target and no outcome.
_SPAN_OF_YEARS = re.compile(r"(?:连续|长达|历时|持续|延续了?|已有|相继)\s*$")


def is_span_of_years(clause: str, unit: str | None) -> bool:
    """Whether a figure in years, after ``clause``, counts a span (连续7年, 长达2600年).

    >>> is_span_of_years("粮食产量连续", "year"), is_span_of_years("学制", "year")
    (True, False)
    """
    return unit == "year" and bool(_SPAN_OF_YEARS.search(clause))


_PART_OF_YEAR = re.compile(
    r"第?[一二三四1-4]季度|[上下]半年|前[三两二]季度|\d{1,2}\s*月份|"
    r"\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月(?!\s*\d{1,2}\s*日)"
)


def is_part_of_year(clause: str) -> bool:
    """A clause about part of a year (第一季度下降0.2%, 上半年完成, 1-6月): no answer to, and no
    setting of, a whole year's target.

    >>> is_part_of_year("与去年同期相比，工业总产值第一季度下降"), is_part_of_year("全年增长")
    (True, False)
    """
    return bool(_PART_OF_YEAR.search(clause))


_AFTER_A_FIGURE = re.compile(r"[\d％%][^\d，,。；;年月日号]{0,3}[，,]")  # not a date (2015年，)


def own_part(clause: str) -> str:
    """The part of a clause after the last figure before it: the words that name this figure,
    not the one before (去年经济增长8.8%，商品零售价格涨幅为 → 商品零售价格涨幅为).

    >>> own_part("去年经济增长8.8%，商品零售价格涨幅为"), own_part("国内生产总值增长")
    ('商品零售价格涨幅为', '国内生产总值增长')
    """
    cut = 0
    for found in _AFTER_A_FIGURE.finditer(clause):
        cut = found.end()
    return clause[cut:]


def is_multi_year(clause: str) -> bool:
    """A clause about several years (年均, 五年来, 累计, 十三五期间): no single-year figure."""
    return bool(_MULTI_YEAR.search(clause))


def plan_end_year(text: str) -> Optional[int]:
    """The last year of the latest five-year plan ``text`` names as a period, else None: a target
    set for the plan (“十四五”时期…城镇化率提高到65%) is a target for that year.

    >>> plan_end_year("“十三五”时期发展成就和“十四五”时期主要目标任务")
    2025
    >>> plan_end_year("十二五期间"), plan_end_year("五年来"), plan_end_year("“七五”期间")
    (2015, None, 1990)
    """
    return max((_PLAN_END[m.group(1)] for m in _PLAN.finditer(text)), default=None)


def is_average(clause: str) -> bool:
    """A figure averaged or summed over several years (年均增长7%以上, 累计完成): it answers no
    single year's figure.

    >>> is_average("全社会研发经费投入年均增长"), is_average("城镇化率提高到")
    (True, False)
    """
    return bool(_AVERAGE.search(clause))


def headings_of(
    item: Dict[str, Any], items_by_id: Dict[str, Dict[str, Any]], text: str
) -> List[str]:
    """The first line of each ancestor of ``item`` (outermost first): the headings it sits under."""
    lines = []
    for parent_id in item.get("path") or []:
        parent = items_by_id.get(parent_id)
        if parent is None:
            continue
        heading = (
            parent.get("heading")
            or text[parent["start"] : min(parent["end"], parent["start"] + 40)]
        )
        lines.append(heading.split("\n", 1)[0])
    return lines
