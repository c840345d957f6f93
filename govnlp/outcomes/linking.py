"""Pair each target with the outcome its county reported for the same indicator and year.

Input: the records ``govnlp tag`` writes (one per document, with ``text``). Every quantity of
kind ``target`` or ``outcome`` becomes a :class:`Quantity` with its county, the year it is about
(:mod:`.periods`) and its normalised indicator (:mod:`.indicators`). A target of year Y is then
paired with the best outcome of the same county and year: same indicator, same kind of measure
(a growth rate with a growth rate, a level with a level), the same unit, preferably reported in
the county's next-year work report or a summary of Y. Each outcome serves one target; pairs are
chosen best score first.

>>> def report(year, kind, value, bound):
...     text = (
...         f"政府工作报告\\n——{year}年3月1日\\n"
...         f"地区生产总值增长{value}%{'左右' if bound == 'approx' else ''}。"
...     )
...     quantity = {
...         "kind": kind,
...         "indicator": "地区生产总值",
...         "measure": "growth_rate",
...         "value": value,
...         "bound": bound,
...         "unit": "percent",
...         "start": text.index("增长") + 2,
...         "end": len(text) - 1,
...     }
...     return {
...         "doc_id": f"{year}.txt",
...         "meta": {"region": {"name": "甲县"}},
...         "text": text,
...         "items": [
...             {"id": "i1", "start": 0, "end": len(text), "path": [], "targets": [quantity]}
...         ],
...     }
>>> pairs = link_outcomes(
...     [report(2018, "target", 7, "approx"), report(2019, "outcome", 6.8, "point")]
... )
>>> [(p.target.year, p.target.indicator_id, p.outcome.doc_id, p.verdict, p.score) for p in pairs]
[(2018, 'gdp', '2019.txt', 'met', 1.0)]
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from govnlp.numbers.changes import starts_change

from ..textnorm import to_simplified
from .allocations import allocation_of, purposes_overlap, split_purposes
from .indicators import Indicator, IndicatorTable, bigram_dice, bigrams, clean_indicator
from .periods import (
    base_year,
    changes_from_a_year,
    clause_before,
    clause_year,
    deadline_year,
    document_year,
    heading_year,
    headings_of,
    is_average,
    is_multi_year,
    is_part_of_year,
    is_span_of_years,
    is_work_report,
    lead_sentence,
    own_part,
    paragraph_opening,
    plan_end_year,
    restates_target,
    section_lines,
    sentence_before,
)
from .verdicts import judge, units_comparable

__all__ = [
    "Quantity",
    "OutcomePair",
    "quantities_of",
    "link_outcomes",
    "pair_score",
    "object_of",
    "MIN_PAIR_SCORE",
]

#: Pairs scoring below this are not made (the target is reported with no outcome). Chosen on
#: the 海拉尔 development gold (``benchmarks/eval_outcomes.py --sweep``).
MIN_PAIR_SCORE = 0.45
#: A raw indicator name matches another (no table entry) at this bigram overlap or above.
MIN_NAME_OVERLAP = 0.6

_MEASURE_FAMILY = {
    "growth_rate": "rate",
    "reduction": "rate",
    "share": "share",
    "level": "amount",
    "count": "amount",
    "increment": "amount",
}


@dataclass
class Quantity:
    """A target or outcome record of one document, placed in a county and a year."""

    record: Dict[str, Any]
    doc_id: str
    county: Optional[str]
    doc_year: Optional[int]
    year: Optional[int]
    kind: str
    indicator_raw: str
    indicator_id: Optional[str]
    indicator_name: str
    direction: str
    order: int
    work_report: bool
    multi_year: bool = False
    object_name: str = ""
    counter: str = ""
    #: the object was read from the whole sentence (its own clause named nothing specific)
    object_from_sentence: bool = False
    #: the object and the raw indicator name without generic words and punctuation (what tells
    #: two objects apart: 重点农牧业项目 → 农牧业), once per quantity, not per candidate pair
    object_specific: str = ""
    indicator_specific: str = ""
    #: a target with a deadline in a later year (到2017年底前…) may be reported done from this
    #: year on (its document's year); else the same as ``year``
    year_from: Optional[int] = None
    #: the level a change starts from (由320元提高到380元: 320元): no report of a target
    starts_change: bool = False
    #: a target set for a five-year plan (“十四五”时期…): ``year`` is the plan's last year; it is
    #: in the table even when it is an average over the plan (``multi_year``), then never paired
    plan_target: bool = False
    #: a budget allocation (中央财政安排…): its payer (中央; "" when unnamed) and its purpose
    #: (三农, 再就业; "" when nothing says), which stands for its indicator; None otherwise
    payer: Optional[str] = None
    purpose: Optional[str] = None
    #: an earlier target said again (…曾提出，要把…控制在10%以内; 低于8%的预定目标): no outcome
    restated: bool = False
    #: in a paragraph or section that reviews several years (五年来…): among equal answers, one
    #: from the year's own review is taken first
    in_review_of_several: bool = False
    #: a figure about another year than its section's (last year's result in this year's plan)
    aside: bool = False
    #: about part of a year (第一季度, 上半年, 1-6月): it answers and sets no whole year's figure
    part_of_year: bool = False
    #: the clause the figure stands in, as written (what the table shows beside the figure)
    context: str = ""

    @property
    def years(self) -> range:
        """The years an outcome of this target may be about."""
        if self.year is None:
            return range(0)
        return range(self.year_from if self.year_from is not None else self.year, self.year + 1)

    @property
    def family(self) -> str:
        return _MEASURE_FAMILY.get(self.record.get("measure") or "", "amount")


@dataclass
class OutcomePair:
    """A target, the outcome paired with it (or None), the match score and the verdict."""

    target: Quantity
    outcome: Optional[Quantity]
    score: float
    verdict: str
    alternatives: List[Quantity] = field(default_factory=list)

    def row(self) -> Dict[str, Any]:
        """The flat row of the outcomes table."""
        t, o = self.target.record, self.outcome.record if self.outcome else {}
        return {
            "county": self.target.county,
            "indicator": self.target.indicator_name,
            "indicator_id": self.target.indicator_id,
            "year": self.target.year,
            "measure": t.get("measure"),
            "target_text": t.get("text"),
            "target_context": self.target.context,
            "target_indicator": t.get("indicator"),
            "target_value": t.get("value"),
            "target_low": t.get("low"),
            "target_high": t.get("high"),
            "bound": t.get("bound"),
            "unit": t.get("unit"),
            "outcome_text": o.get("text"),
            "outcome_context": self.outcome.context if self.outcome else None,
            "outcome_indicator": o.get("indicator"),
            "outcome_value": o.get("value"),
            "outcome_unit": o.get("unit"),
            "verdict": self.verdict,
            "score": round(self.score, 3),
            "target_doc_id": self.target.doc_id,
            "target_start": t.get("start"),
            "target_end": t.get("end"),
            "outcome_doc_id": self.outcome.doc_id if self.outcome else None,
            "outcome_start": o.get("start"),
            "outcome_end": o.get("end"),
        }


def _county(record: Dict[str, Any]) -> Optional[str]:
    region = (record.get("meta") or {}).get("region") or {}
    if isinstance(region, dict):
        return region.get("name") or region.get("adcode")
    return str(region) if region else None


def _split_groups(
    targets: Sequence[Dict[str, Any]], table: IndicatorTable
) -> Dict[int, List[Indicator]]:
    """For joint names (城乡居民收入分别增长8%、8.5%): record index → the component indicators it
    stands for — one each when an item holds one record per component for a measure, all of
    them when it holds one record for the joint name (城乡居民收入均增长8%)."""
    assigned: Dict[int, List[Indicator]] = {}
    groups: Dict[Tuple[str, str], List[int]] = {}
    for index, rec in enumerate(targets):
        joint = table.match(rec.get("indicator"))
        if joint is not None and joint.split:
            key = (clean_indicator(rec.get("indicator")), f"{rec.get('kind')}/{rec.get('measure')}")
            groups.setdefault(key, []).append(index)
    for key, indices in groups.items():
        joint = table.match(targets[indices[0]].get("indicator"))
        if joint is None:
            continue
        components = [c for c in (table.get(i) for i in joint.split) if c is not None]
        if len(indices) == 1:
            assigned[indices[0]] = components
        elif len(indices) == len(components):
            for index, component in zip(indices, components):
                assigned[index] = [component]
    return assigned


#: Words around a quantity that say what is done, not what is counted (stripped from its object).
_OBJECT_NOISE = re.compile(
    r"(?:将|要)?(?:比|较)(?:[0-9０-９一二三四五六七八九〇零○]{4}年|上一年)的?(?:预计数)?"
    r"(?:增加|增长|减少|下降|提高|降低)?了?|[0-9０-９一二三四五六七八九〇零○]{4}年|百分之|"
    r"(?:由|从)(?:上年|去年|今年)?的?|(?:提高|增加|增长|下降|降低|扩大|减少|上升|提升)(?:到|至)|"
    r"(?:比|较)(?:上年|去年)(?:同期|预算)?(?:增加|增长|减少|下降|提高|降低)?|同比|年内|全年|今年|当年|力争|确保|努力|计划|预计|累计|全面|完成了?|建成|新建|实施了?|实现|达到|新增|启动|推进|"
    r"开工建设|开工|完工|通车|投入使用|进行|改扩建|扩建|提升|集中|全部|共计?|其中|任务|工作|建设|以上|左右|以内|约|近|"
    r"超过|突破|了|的|等|和|及|与|"
    r"[0-9０-９.．%％一二三四五六七八九十百千万亿两零〇]+(?:点[0-9一二三四五六七八九十零〇]+)?"
)
_CLAUSE_STOP = "，,。；;：:！？!?\n（）()、"


def _reach(text: str, start: int, end: int, stops: str, before: int, after: int) -> Tuple[int, int]:
    """The span around ``text[start:end]`` out to the nearest of ``stops`` on each side, at most
    ``before`` characters before it and ``after`` after it.

    >>> _reach("甲，乙丙12丁。戊", 4, 6, "，。", 10, 10)
    (2, 7)
    """
    lo = start
    while lo > 0 and text[lo - 1] not in stops and start - lo < before:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in stops and hi - end < after:
        hi += 1
    return lo, hi


def object_of(text: str, start: int, end: int) -> str:
    """What a quantity counts, read around it in its clause: the words before it back to the
    last comma and after it up to the next, without verbs, time and bound words.

    >>> t = "年内建成20座公厕，改造新建公厕28座。"
    >>> object_of(t, 4, 7), object_of(t, 16, 19)
    ('公厕', '改造公厕')
    """
    lo, hi = _reach(text, start, end, _CLAUSE_STOP, 24, 16)
    return _OBJECT_NOISE.sub("", text[lo:start] + text[end:hi])


_SENTENCE_STOP = "。；;！？!?\n"
_CONTEXT_STOP = "，,。；;！？!?\n"


def clause_around(text: str, start: int, end: int, *, reach: int = 40) -> str:
    """The clause a figure ``text[start:end]`` stands in, as written, at most ``reach``
    characters either side: what a reader needs beside the bare figure.

    >>> t = "去年，全区完成棚户区改造58万平方米，超额完成任务。"
    >>> clause_around(t, t.index("58"), t.index("，超"))
    '全区完成棚户区改造58万平方米'
    """
    lo, hi = _reach(text, start, end, _CONTEXT_STOP, reach, reach)
    return " ".join(text[lo:hi].split())


def sentence_object(text: str, start: int, end: int, *, reach: int = 40) -> str:
    """The object of a quantity whose own clause names nothing specific (投资1亿元，启动实施黑羊站
    水厂改扩建工程; 逐步设置平价蔬菜超市，年内完成20个): the words of its whole sentence, at most
    ``reach`` characters either side, without verbs, time and bound words and other numbers.

    >>> t = (
    ...     "继续推进民生工程。投资1亿元，启动实施黑羊站水厂改扩建工程。"
    ...     "投资1260万元，完成5个村的饮水安全工程。"
    ... )
    >>> sentence_object(t, t.index("1亿元"), t.index("1亿元") + 3)
    '投资，黑羊站水厂工程'
    """
    lo, hi = _reach(text, start, end, _SENTENCE_STOP, reach, reach)
    return _OBJECT_NOISE.sub("", text[lo:start] + text[end:hi])


_PUNCTUATION = re.compile(
    r"[\s，,、：:“”‘’\"'（）()《》〈〉—…·]+|[个座条户家人项处所]+(?=[^\u4e00-\u9fff]|$)"
)


def _specific_words(thing: str, table: IndicatorTable) -> str:
    """A sentence object without punctuation and the table's generic words (投资, 项目, 工程):
    what is left names the particular thing (黑羊站水厂), or nothing."""
    return table.strip_generic(_PUNCTUATION.sub("", thing))


#: Objects read from a whole sentence pair only when they share this many bigrams (a name such
#: as 黑羊站水厂 shares four; 重点项目 and 年度 are not names).
MIN_SENTENCE_SHARED = 3


def _counter_of(record: Dict[str, Any]) -> str:
    """The measure word of a count (座, 条, 个, 户): counts of 公厕 in 座 and of roads in 条
    differ.
    """
    if record.get("unit") != "count":
        return ""
    written = (record.get("text") or "").rstrip("以上左右以内多余")
    return written[-1:] if written and not written[-1].isdigit() else ""


def _plan_end(clause: str, sentence: str, opening: str, headings: List[str]) -> Optional[int]:
    """The last year of the five-year plan a figure's clause, sentence, paragraph opening or
    nearest heading names (innermost first), else None."""
    for text in (clause, sentence, opening, *reversed(headings)):
        year = plan_end_year(text) if text else None
        if year is not None:
            return year
    return None


def _allocations(
    quantities: Sequence[Dict[str, Any]], text: str, table: IndicatorTable
) -> Dict[int, Tuple[Optional[str], str]]:
    """Record index → (payer, purpose) for the sums of an item that are budget allocations; the
    sums that follow one enumeration with 分别 (用于科技、教育和文化的支出分别为774亿元、536亿元和
    123亿元) take one purpose each, in order."""
    found: Dict[int, Tuple[Optional[str], str]] = {}
    for index, quantity in enumerate(quantities):
        if quantity.get("unit") not in ("CNY", "USD"):
            continue
        allocation = allocation_of(
            quantity.get("indicator") or "",
            text,
            quantity.get("start", 0),
            quantity.get("end", quantity.get("start", 0)),
            table.allocations,
            indicator_known=table.match(quantity.get("indicator")) is not None,
        )
        if allocation is not None:
            found[index] = allocation
    runs: Dict[Tuple[Any, Any], List[int]] = {}
    for index in found:
        q = quantities[index]
        runs.setdefault((q.get("indicator"), q.get("measure")), []).append(index)
    for indices in runs.values():
        payer, purpose = found[indices[0]]
        parts = split_purposes(purpose)
        first = quantities[indices[0]].get("start", 0)
        if (
            len(indices) > 1
            and len(parts) == len(indices)
            and "分别" in sentence_before(text, first)
        ):
            for index, part in zip(indices, parts):
                found[index] = (payer, part)
    return found


def quantities_of(record: Dict[str, Any], table: IndicatorTable) -> Iterator[Quantity]:
    """The targets and outcomes of one document record, each placed in its county and year."""
    written = record.get("text") or ""
    text = to_simplified(written)  # a page turned traditional reads as simplified (same offsets)
    doc_year = document_year(record)
    report = is_work_report(record)
    county = _county(record)
    items = record.get("items") or []
    by_id = {item.get("id"): item for item in items}
    lines = section_lines(text, doc_year) if text else []
    line_starts = [at for at, _ in lines]
    order = 0
    for item in items:
        quantities = [
            q for q in item.get("targets") or [] if q.get("kind") in ("target", "outcome")
        ]
        if not quantities:
            continue
        headings = headings_of(item, by_id, text) if text else []
        section = heading_year(headings)
        # a preamble item (unnumbered, no numbered heading above it) sits in the part a line
        # of its own opens: 首先报告２００１年的工作
        preamble = section is None and not item.get("path") and not item.get("marker")
        # the year the item's headings name, also as 今年 (二、对今年政府工作的建议)
        section_named = section
        for heading in headings:
            section_named = clause_year(heading, doc_year) or section_named
        section_multi_year = any(is_multi_year(h) for h in headings)
        components = _split_groups(quantities, table)
        allocations = _allocations(quantities, text, table)
        for index, quantity in enumerate(quantities):
            order += 1
            start = quantity.get("start", 0)
            clause = clause_before(text, start) if text else ""
            if is_span_of_years(clause, quantity.get("unit")):
                continue  # 连续7年增产: a streak, no figure of a year
            year = clause_year(clause, doc_year) if clause else None
            # else the sentence's own year (2012年，…全面实现年初确定的主要目标，国内生产总值增长
            # 7.8%), else a lead sentence without figures before it (过去一年，我们的各项工作取得了
            # 很大成绩。国内生产总值增长10.3%): they override the paragraph and the heading
            sentence = sentence_before(text, start) if text else ""
            if year is None and sentence and sentence != clause:
                year = clause_year(sentence, doc_year)
            lead = lead_sentence(text, start) if text and year is None else ""
            if year is None and lead:
                year = clause_year(lead, doc_year)
            kind = quantity["kind"]
            if year is not None and report and doc_year is not None and year == doc_year - 1:
                kind = "outcome"  # a work report sets no target for the year it reviews
            # the paragraph's opening may name its year (刚刚过去的2017年，…。国内生产总值增长6.9%)
            # or say it reviews several (五年来，…): it overrides a heading, not the clause
            opening = paragraph_opening(text, quantity.get("start", 0)) if text else ""
            opening_year = clause_year(opening, doc_year) if opening else None
            if year is None:
                year = opening_year
            if year is None and section is not None:
                year = section
            if year is None and preamble and lines:
                at = bisect.bisect_right(line_starts, start) - 1
                if at >= 0:
                    year = lines[at][1]
                    if report and doc_year is not None and year == doc_year - 1:
                        kind = "outcome"  # the review part of a report, opened by its own line
            if year is None and doc_year is not None:
                year = doc_year - 1 if kind == "outcome" and report else doc_year
            year_from = year
            if kind == "target" and clause and deadline_year(clause, doc_year):
                if not changes_from_a_year(clause):
                    year_from = doc_year  # done when first reported; but 由1982年的…增加到
                    # 1987年的55万人 sets the level of 1987, which no level of 1985 answers
            single = table.match(quantity.get("indicator"))
            if single is None and clause:
                # the clause's own words first (经济增长8.8%，商品零售价格涨幅为: retail prices),
                # then the figure's before it (预算收入完成17亿元,按可比口径增长13%: that revenue)
                single = table.match(own_part(clause)[-24:]) or table.match(clause[-24:])
            indicators: List[Optional[Indicator]] = list(components.get(index) or [single])
            payer, purpose = allocations.get(index, (None, None))
            if purpose is not None:
                indicators = [None]  # an allocation is measured by what it is for
            raw = clean_indicator(quantity.get("indicator"))
            multi_year = bool(clause) and is_multi_year(clause)
            part_of_year = bool(clause) and is_part_of_year(clause)
            base = base_year(clause) if clause else None
            if base is not None and year is not None and base < year - 1:
                multi_year = True  # 比2002年增长65.5%: a change over several years
            # a clause that names its year (2012年, 去年) is about that year in a review of
            # several
            named = (clause_year(clause, doc_year) if clause else None) or (
                clause_year(sentence, doc_year) if sentence else None
            )
            if not multi_year and named is None:
                # a paragraph that opens 五年来 / “十二五”时期 reviews several years, down to
                # its last figure, unless the figure's own clause names its year; one that
                # opens with a single year is about that year, whatever its heading says
                if opening and is_multi_year(opening):
                    multi_year = True
                elif opening_year is None:
                    multi_year = section is None and section_multi_year
            # a figure that names its own year inside a review of several years (五年来，…2015年
            # 旅游收入达到69亿元): the year's own section usually says it again
            in_review_of_several = (
                bool(opening) and is_multi_year(opening) or (section_multi_year and section is None)
            )
            # last year's result said in this year's plan (二、2013年工作…: 去年居民消费价格涨幅
            # 回落到2.6%): an aside, after the review's own figure
            aside = section_named is not None and year is not None and year != section_named
            plan_target = False
            if kind == "target" and multi_year and doc_year is not None:
                # a target set for a five-year plan is a target for the plan's last year
                plan = _plan_end(clause, sentence, opening, headings)
                if plan is not None and plan > doc_year:
                    year = year_from = plan
                    plan_target = True
                    multi_year = is_average(clause)
            end = quantity.get("end", start)
            restated = bool(text) and restates_target(clause, text[end : end + 12])
            thing = object_of(text, start, end) if text else raw
            from_sentence = bool(text) and (len(thing) < 2 or thing in table.generic)
            if from_sentence:
                thing = _specific_words(sentence_object(text, start, end), table)
            thing = table.normalise_object(thing)
            specific = _specific_words(thing, table)
            for indicator in indicators:
                yield Quantity(
                    record=quantity,
                    doc_id=str(record.get("doc_id")),
                    county=county,
                    doc_year=doc_year,
                    year=year,
                    kind=kind,
                    indicator_raw=raw,
                    indicator_id=indicator.id if indicator else None,
                    indicator_name=indicator.name if indicator else raw,
                    direction=indicator.direction if indicator else "up",
                    order=order,
                    work_report=report,
                    multi_year=multi_year,
                    object_name=thing,
                    counter=_counter_of(quantity),
                    object_from_sentence=from_sentence,
                    object_specific=specific,
                    indicator_specific=_specific_words(raw, table) or raw,
                    year_from=year_from,
                    plan_target=plan_target,
                    payer=payer,
                    purpose=purpose,
                    starts_change=bool(text) and starts_change(text, start, end),
                    restated=restated,
                    in_review_of_several=in_review_of_several,
                    aside=aside,
                    part_of_year=part_of_year,
                    context=clause_around(written, start, end) if written else "",
                )


#: An outcome more than this many times larger or smaller than an absolute target is implausible
#: as its answer (a five-year total, another project's cost): its score is multiplied by
#: IMPLAUSIBLE_FACTOR.
MAX_VALUE_RATIO = 4.0
IMPLAUSIBLE_FACTOR = 0.4


def _magnitudes(target: Dict[str, Any], outcome: Dict[str, Any]) -> Optional[Tuple[float, float]]:
    """|value| of an absolute target (its low end for a range) and of an outcome, or None when
    either is missing or zero."""
    try:
        t = abs(float(target.get("value_base") or target.get("low") or target.get("value")))
        o = abs(float(outcome.get("value_base") or outcome.get("value")))
    except (TypeError, ValueError):
        return None
    return (t, o) if t and o else None


def _value_distance(target: Dict[str, Any], outcome: Dict[str, Any]) -> float:
    """|log(outcome / target)| of two records' values (inf when either is missing or zero)."""
    values = _magnitudes(target, outcome)
    return abs(math.log(values[1] / values[0])) if values else float("inf")


def _same_value(target: Quantity, outcome: Quantity) -> bool:
    """The same number, at least 10 (a repeated count, whatever measure word it has)."""
    t, o = target.record, outcome.record
    try:
        value = float(t.get("value_base") if t.get("value_base") is not None else t.get("value"))
        other = float(o.get("value_base") if o.get("value_base") is not None else o.get("value"))
    except (TypeError, ValueError):
        return False
    return value >= 10 and value == other


def _same_count(target: Quantity, outcome: Quantity) -> bool:
    """The same number (at least 10) of the same thing counted the same way: 96户 and 96户,
    178座 and 178座 — how reports confirm a body target done, whatever words surround it."""
    t, o = target.record, outcome.record
    if target.counter != outcome.counter or (t.get("unit") or "") != (o.get("unit") or ""):
        return False
    if t.get("unit") in (None, "", "percent", "percentage_point") or (
        t.get("unit") == "count" and not target.counter
    ):
        return False  # a rate is no count; a bare count without its measure word says too little
    return _same_value(target, outcome)


def _plausibility(target: Dict[str, Any], outcome: Dict[str, Any]) -> float:
    """1.0 when an absolute outcome is within MAX_VALUE_RATIO of the target (or a value is
    missing), else the penalty (rates are not compared: a growth target of 20% can honestly
    meet 10%)."""
    if target.get("unit") in ("percent", "percentage_point"):
        return 1.0
    values = _magnitudes(target, outcome)
    if values is None:
        return 1.0
    ratio = max(values[0] / values[1], values[1] / values[0])
    return 1.0 if ratio <= MAX_VALUE_RATIO else IMPLAUSIBLE_FACTOR


#: Factor for a pair of counts written with other measure words or units (座/户, 个/人).
OTHER_COUNT_UNIT = 0.9
#: Object overlap two such counts need.
MIN_OTHER_UNIT_OVERLAP = 0.7
#: Name score of a count repeated exactly (96户 → 96户) when the words around it differ.
SAME_COUNT_SCORE = 0.5
#: Objects (what a body target counts: 公厕, 蔬菜大棚) match at this bigram overlap or above.
MIN_OBJECT_OVERLAP = 0.5


def _name_score(target: Quantity, outcome: Quantity, table: IndicatorTable) -> float:
    """How well two quantities without a table indicator name the same thing: their raw
    indicator names (0.85 × overlap), else the objects read around them (0.7 × overlap), 0 when
    neither is specific enough or the measure words of two counts differ."""
    t_unit, o_unit = target.record.get("unit"), outcome.record.get("unit")
    if target.counter != outcome.counter or t_unit != o_unit:
        # counts written with other measure words (335座 / 335户 保暖房, 20个 / 10家 蔬菜超市)
        # pair only on a closely matching object
        a, b = target.object_name, outcome.object_name
        if min(len(a), len(b)) < 3 or a in table.generic or b in table.generic:
            return 0.0
        shared = len(bigrams(a) & bigrams(b))
        overlap = object_overlap(a, b)
        if shared < 2:
            return 0.0
        if overlap >= MIN_OTHER_UNIT_OVERLAP or shared >= 4 or _same_value(target, outcome):
            return OTHER_COUNT_UNIT * 0.7 * (0.5 + 0.5 * max(overlap, MIN_OTHER_UNIT_OVERLAP))
        return 0.0
    if table.other_sectors(target.indicator_raw, outcome.indicator_raw) or table.other_sectors(
        target.object_name, outcome.object_name
    ):
        return 0.0  # 工农业总产值 / 农业总产值: one core, two sectors
    best = 0.0
    if table.names_specific(target.indicator_raw) and table.names_specific(outcome.indicator_raw):
        overlap = bigram_dice(target.indicator_specific, outcome.indicator_specific)
        if overlap >= MIN_NAME_OVERLAP:
            best = 0.85 * overlap
    a, b = target.object_name, outcome.object_name
    if len(a) >= 2 and len(b) >= 2 and a not in table.generic and b not in table.generic:
        # what tells two objects apart is in their specific words: 重点农牧业项目 and 重点工业项目
        # share 重点…项目 and are two things
        # (an object of generic words only, 重点项目, names nothing to pair on; one left with a
        # single word, 规模企业 → 企业, pairs only with that word)
        specific_a, specific_b = target.object_specific, outcome.object_specific
        overlap = 0.0
        if len(specific_a) >= 2 and len(specific_b) >= 2:
            overlap = object_overlap(specific_a, specific_b)
            for specific, whole, other in (
                (specific_a, a, specific_b),
                (specific_b, b, specific_a),
            ):
                if len(specific) == 2 < len(whole) and specific != other:
                    overlap = 0.0
        a, b = specific_a, specific_b
        if (target.object_from_sentence or outcome.object_from_sentence) and not _sentence_shares(
            a, b
        ):
            overlap = 0.0
        if overlap >= MIN_OBJECT_OVERLAP:
            best = max(best, 0.7 * (0.5 + 0.5 * overlap))
    if _same_count(target, outcome):
        best = max(best, SAME_COUNT_SCORE)
    return best


#: Name score of two allocations for one purpose (× their overlap).
ALLOCATION_SCORE = 0.85


def _allocation_score(target: Quantity, outcome: Quantity, table: IndicatorTable) -> float:
    """How well two budget allocations name one purpose: ALLOCATION_SCORE × the overlap of their
    purposes, 0 when either is no allocation, says nothing particular (补助, or nothing) or the
    two payers differ (中央 / 地方).

    >>> def sum_for(payer, purpose):
    ...     return Quantity({}, "d", None, None, 2006, "target", "", None, "", "up", 0, True,
    ...                     payer=payer, purpose=purpose)
    >>> table = IndicatorTable.default()
    >>> _allocation_score(sum_for("中央", "三农"), sum_for("中央", "三农"), table)
    0.85
    >>> _allocation_score(sum_for("中央", "三农"), sum_for("地方", "三农"), table)
    0.0
    """
    a, b = target.purpose, outcome.purpose
    generic = table.allocations.generic
    if not a or not b or a in generic or b in generic or len(a) < 2 or len(b) < 2:
        return 0.0
    if target.payer and outcome.payer and target.payer != outcome.payer:
        return 0.0
    overlap = purposes_overlap(a, b)
    return ALLOCATION_SCORE * overlap if overlap >= MIN_OBJECT_OVERLAP else 0.0


def _sentence_shares(a: str, b: str) -> bool:
    """Two objects, one read from a whole sentence, name the same thing: they share
    MIN_SENTENCE_SHARED bigrams, or the shorter one (two bigrams at least) lies whole in the
    other (棚户区 in 新年棚户区攻坚).

    >>> _sentence_shares("新年棚户区攻坚", "棚户区"), _sentence_shares("新年棚户区攻坚", "户区")
    (True, False)
    """
    shared = bigrams(a) & bigrams(b)
    if len(shared) >= MIN_SENTENCE_SHARED:
        return True
    short = min(bigrams(a), bigrams(b), key=len)
    return len(short) >= 2 and short <= shared


def object_overlap(a: str, b: str) -> float:
    """How far two objects name the same thing: the larger of the bigram Dice and 0.9 × the
    share of the shorter one's bigrams found in the longer (蔬菜大棚 / 大棚), which needs two
    shared bigrams unless the shorter object is a single word of two characters.

    >>> (
    ...     object_overlap("蔬菜大棚", "大棚"),
    ...     round(object_overlap("根河路背街巷道", "改造背街巷道完工"), 2),
    ... )
    (0.9, 0.46)
    """
    grams_a, grams_b = bigrams(a), bigrams(b)
    if not grams_a or not grams_b:
        return 0.0
    shared = len(grams_a & grams_b)
    dice = 2 * shared / (len(grams_a) + len(grams_b))
    smaller = min(len(grams_a), len(grams_b))
    contained = shared / smaller if shared >= 2 or smaller == 1 else 0.0
    return max(dice, 0.9 * contained)


def pair_score(
    target: Quantity, outcome: Quantity, table: Optional[IndicatorTable] = None
) -> float:
    """How well an outcome answers a target, 0–1 (0: not comparable).

    Same county and year and measure family and unit are required; the indicator counts most
    (same table entry 1.0, else the bigram overlap of the names as written), and an outcome
    from a later document (the next year's report, a summary) is preferred to one in the
    target's own document.
    """
    if target.county != outcome.county or outcome.year not in target.years:
        return 0.0
    if (
        outcome.doc_year is not None
        and target.doc_year is not None
        and outcome.doc_year < target.doc_year
    ):
        return 0.0  # a document cannot report on a target set after it was written
    if outcome.multi_year or target.multi_year or target.family != outcome.family:
        return 0.0
    if outcome.part_of_year or target.part_of_year:
        return 0.0
    t, o = target.record, outcome.record
    same_unit = (t.get("unit") or "") == (o.get("unit") or "")
    if not units_comparable(t.get("unit"), o.get("unit")):
        return 0.0
    if target.purpose is not None or outcome.purpose is not None:
        name = _allocation_score(target, outcome, table or IndicatorTable.default())
        if name == 0.0:
            return 0.0
    elif target.indicator_id or outcome.indicator_id:
        if target.indicator_id != outcome.indicator_id:
            return 0.0
        name = 1.0 if same_unit else OTHER_COUNT_UNIT
    else:
        name = _name_score(target, outcome, table or IndicatorTable.default())
        if name == 0.0:
            return 0.0
    if outcome.starts_change:
        return 0.0
    measure = 1.0 if t.get("measure") == o.get("measure") else 0.9
    if outcome.doc_id == target.doc_id:
        if target.work_report:
            return 0.0  # a work report reviews last year and plans this one: never both at once
        source = 0.8
    elif outcome.doc_year is not None and outcome.doc_year - 1 == outcome.year:
        source = 1.0
    else:
        source = 0.9
    return name * measure * source * _plausibility(t, o)


def _place_unplaced(quantities: List[Quantity]) -> None:
    """Documents whose county is unknown (the text names none the divisions know) join the one
    county the other documents name, when they name exactly one: a county's reports are read
    together even if one of them never writes its name. With several counties they stay apart."""
    counties = {q.county for q in quantities if q.county is not None}
    if len(counties) == 1:
        (only,) = counties
        for q in quantities:
            if q.county is None:
                q.county = only


def link_outcomes(
    records: Iterable[Dict[str, Any]],
    table: Optional[IndicatorTable] = None,
    *,
    min_score: float = MIN_PAIR_SCORE,
) -> List[OutcomePair]:
    """Every target of the records, with the outcome paired with it (or none) and a verdict.

    Pairs are chosen greedily, best score first (ties: the earlier outcome in its document,
    which is where reports give the whole-year headline figure); each target and each outcome
    is used once.
    """
    table = table or IndicatorTable.default()
    targets: List[Quantity] = []
    outcomes: List[Quantity] = []
    for record in records:
        for quantity in quantities_of(record, table):
            (targets if quantity.kind == "target" else outcomes).append(quantity)
    _place_unplaced(targets + outcomes)
    by_key: Dict[Tuple[Optional[str], Optional[int]], List[Quantity]] = {}
    for outcome in outcomes:
        if not outcome.restated:
            by_key.setdefault((outcome.county, outcome.year), []).append(outcome)
    candidates: List[Tuple[float, float, int, Tuple[bool, bool], int, int, int]] = []
    for ti, target in enumerate(targets):
        if target.year is None or target.multi_year:
            continue
        for year in target.years:
            for outcome in by_key.get((target.county, year), []):
                score = pair_score(target, outcome, table)
                if score >= min_score:
                    candidates.append(
                        (
                            score,
                            _value_distance(target.record, outcome.record),
                            year,
                            (outcome.aside, outcome.in_review_of_several),
                            outcome.order,
                            ti,
                            id(outcome),
                        )
                    )
    # best score first; among equal scores the closer value (45个 answers 45个, not 36个), then
    # the earlier year (a deadline target is done when a report first says so), then one in the
    # review of its own year (not an aside in a plan, not a review of several years), then the
    # earlier outcome in its document (where reports give the whole-year headline figure)
    candidates.sort(key=lambda c: (-c[0], c[1], c[2], c[3], c[4]))
    outcome_by_id = {id(o): o for o in outcomes}
    chosen: Dict[int, Tuple[Quantity, float]] = {}
    used: set = set()
    alternatives: Dict[int, List[Quantity]] = {}
    for score, _distance, _year, _several, _order, ti, oid in candidates:
        if ti in chosen or oid in used:
            if ti in chosen and oid not in used:
                alternatives.setdefault(ti, []).append(outcome_by_id[oid])
            continue
        chosen[ti] = (outcome_by_id[oid], score)
        used.add(oid)
    pairs = []
    for ti, target in enumerate(targets):
        if target.year is None or (target.multi_year and not target.plan_target):
            continue
        outcome, score = chosen.get(ti, (None, 0.0))
        pairs.append(
            OutcomePair(
                target=target,
                outcome=outcome,
                score=score,
                verdict=judge(target.record, outcome.record if outcome else None, target.direction),
                alternatives=alternatives.get(ti, []),
            )
        )
    return pairs
