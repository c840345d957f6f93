"""Numeric target records from the text of one work item (pure function on strings).

:func:`extract_targets` adds ``indicator``, ``kind`` and ``measure`` to the
quantity records of :func:`govnlp.numbers.quantities` (spec ``targets.md``).
Cue words are in ``govnlp/targets/cues.json``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from typing import Optional

from govnlp.numbers import quantities
from govnlp.numbers.changes import CHANGE_TO_WORDS, starts_change
from govnlp.numbers.split_words import join_split_words

from ._words import contains_any

__all__ = ["extract_targets"]


@lru_cache(maxsize=None)
def _cues() -> dict:
    return json.loads(resources.files("govnlp.targets").joinpath("cues.json").read_text("utf-8"))


def _longest_first(words):
    return sorted(set(words), key=len, reverse=True)


class _Cues:
    def __init__(self):
        c = _cues()
        self.clause_sep = frozenset(c["clause_separators"])
        self.sent_sep = frozenset(c["sentence_separators"])
        self.hard_sep = frozenset(c["hard_sentence_separators"])
        self.target = c["target"]
        self.outcome_immediate = tuple(c["outcome_immediate"])
        self.outcome_period_re = re.compile(c["outcome_period_regex"])
        self.target_clause_re = re.compile(c["target_clause_regex"])
        self.growth_rate_indicators = tuple(c["growth_rate_indicators"])
        self.estimate_base_re = re.compile(c["estimate_base_regex"])
        self.subset = tuple(c["subset_words"])
        self.not_attributive = tuple(c["not_attributive_after"])
        self.threshold_words = set(c["threshold_bound_words"])
        self.population_units = tuple(c["population_units"])
        self.forecast = c["forecast"]
        self.comparison = tuple(c["comparison"])
        self.outcome = c["outcome"]
        self.outcome_particles = c["outcome_particles"]
        self.summary_outcome = c["summary_outcome"]
        self.commitment = c["commitment"]
        self.measure = {k: _longest_first(v) for k, v in c["measure"].items()}
        self.strip_prefix = _longest_first(c["strip_prefix"])
        self.strip_suffix = _longest_first(c["strip_suffix"])
        self.strip_prefix_any = tuple(self.strip_prefix)  # for one str.startswith test
        self.strip_suffix_any = tuple(self.strip_suffix)
        self.enum_re = re.compile(c["enumerator_regex"])
        self.max_heading = c["max_heading_len"]
        self.period_re = re.compile(c["period_prefix_regex"])
        self.comparison_prefix_re = re.compile(c["comparison_prefix_regex"])
        self.forecast_lead_re = re.compile(c["forecast_lead_regex"])
        self.change_from_re = re.compile(c["change_from_suffix_regex"])


_C: Optional[_Cues] = None


def _c() -> _Cues:
    global _C
    if _C is None:
        _C = _Cues()
    return _C


def _clause_start(text: str, i: int, seps) -> int:
    """Start of the clause holding ``i``: just after the last separator character before it,
    else 0 (else ``i`` itself when ``i`` ≤ 0)."""
    if i <= 0:
        return i
    return max((text.rfind(sep, 0, i) for sep in seps if len(sep) == 1), default=-1) + 1


@lru_cache(maxsize=None)
def _separator_re(seps: frozenset) -> "re.Pattern[str]":
    """A character class of the one-character separators of ``seps`` (none: matches nothing)."""
    chars = sorted(sep for sep in seps if len(sep) == 1)
    return re.compile("[" + "".join(map(re.escape, chars)) + "]") if chars else re.compile("(?!)")


#: a year inside a name (基本建设1979年交付使用的固定资产): no part of what is measured
_YEAR_IN_NAME = re.compile(r"(?<![0-9])[0-9]{4}年(?:度|底|末)?的?")


def _short_name(cand: str) -> Optional[str]:
    """``cand`` when it can name an indicator by itself: short, without figures."""
    if (
        cand
        and len(cand) <= _c().max_heading
        and not any(ch.isdigit() or ch in "*xX" for ch in cand)
    ):
        return cand
    return None


def _clean_indicator(s: str) -> str:
    c = _c()
    s = s.strip(" \t、,，。；;:：")
    s = c.enum_re.sub("", s)
    changed = True
    s = c.period_re.sub("", s)
    while changed and s:
        changed = False
        if s.startswith(c.strip_prefix_any):  # which one: the longest first
            for w in c.strip_prefix:
                if s.startswith(w):
                    s, changed = s[len(w) :], True
                    break
        s2 = c.comparison_prefix_re.sub("", c.period_re.sub("", s))
        if s2 != s:
            s, changed = s2, True
        if s.endswith(c.strip_suffix_any):
            for w in c.strip_suffix:
                if s.endswith(w):
                    s, changed = s[: -len(w)], True
                    break
        s = s.strip(" \t、,，")
    s = c.change_from_re.sub("", s)  # 投入从2006年的18亿元: 投入
    for w in c.measure["increment"]:
        if s.startswith(w) and len(s) > len(w):
            s = s[len(w) :]
            break
    return s


def _measure(pre: str, q: dict, indicator: str) -> str:
    c = _c()
    tail = pre[-8:]
    if q["unit"] == "percent" and tail.rstrip().endswith(CHANGE_TO_WORDS):
        # 赤字率下降到1.5%, 城镇化率提高到60%: the level the rate is to reach
        if any(w in indicator for w in c.growth_rate_indicators):
            return "growth_rate"
        return "share"
    if q["unit"] in ("percent", "percentage_point", "times"):
        if contains_any(tail, c.measure["reduction"]):
            return "reduction"
        if contains_any(tail, c.measure["growth_rate"]):
            return "growth_rate"
        if any(w in indicator for w in c.growth_rate_indicators):
            return "growth_rate"  # 经济增长速度的调控目标定为8%
        for w in c.measure["share"]:
            if indicator.endswith(w) or w in tail:
                return "share"
        return "share" if q["unit"] == "percent" else "growth_rate"
    if contains_any(tail, c.measure["reduction"]):
        return "reduction"
    if contains_any(pre.replace("增加值", ""), c.measure["increment"]):
        return "increment"
    if q["unit"] in ("count", "person", "household"):
        return "count"
    return "level"


def _kind(sentence_pre: str, doc_kind: str, lead: str = "") -> tuple[str, bool]:
    """(kind, decided by a cue) for a quantity after ``sentence_pre``.

    ``lead`` is the part of the enclosing sentence before a colon that opens it
    (``预期目标是：…；…``): its cues govern every clause of the list.
    """
    c = _c()
    scope = lead + "\n" + sentence_pre
    if contains_any(scope, c.target):
        return "target", True  # 预期目标是…, 年度计划完成投资, 力争…
    clause = sentence_pre[max(sentence_pre.rfind(sep) for sep in "，,") + 1 :]
    if c.target_clause_re.search(clause):
        return "target", True  # 去年已经支持300户，今年要扩大到511户: the nearest clause plans
    # 比1980年预计增长5.5%: the estimate is the base the plan is compared with, no forecast
    if contains_any(c.estimate_base_re.sub("", scope), c.forecast):
        return "forecast", True
    if (
        contains_any(scope, c.outcome)
        or contains_any(sentence_pre[-6:], c.outcome_particles)
        or sentence_pre.rstrip().endswith(c.outcome_immediate)
        or c.outcome_period_re.search(scope)
    ):
        return "outcome", True  # 截至…, 同比…, 现有20个项目, 1-5月完成…
    if doc_kind == "summary":
        return "outcome", False
    return "target", False


def _is_noun_follow(text: str, i: int) -> bool:
    """True when text[i] continues a noun phrase (not a separator, verb cue or end)."""
    if i >= len(text):
        return False
    ch = text[i]
    if ch in _c().clause_sep or ch in '、)）”"':
        return False
    return "\u4e00" <= ch <= "\u9fff" and not text.startswith(
        ("的", "和", "及", "或", "以", "左右", "同比"), i
    )


def _is_population_threshold(q: dict) -> bool:
    c = _c()
    if q["unit"] in ("count", "household", "percent", "percentage_point"):
        return False
    if (q["unit_raw"] or "").endswith(c.population_units):
        return False
    if q["bound"] == "range":
        return q["unit"] == "year"  # 0—6岁婴幼儿
    return any(w in c.threshold_words for w in q["qualifiers"])


def extract_targets(
    text: str, *, heading: Optional[str] = None, doc_kind: str = "plan"
) -> list[dict]:
    """Target records of one work item's text (offsets relative to ``text``).

    Each record is a :func:`govnlp.numbers.quantities` record plus
    ``indicator`` (what is measured, as written, or None), ``kind``
    (target/outcome/forecast) and ``measure`` (level/growth_rate/share/count/
    increment/reduction).  ``heading`` supplies the indicator when the text
    gives none; ``doc_kind="summary"`` reads 实现/完成 as outcomes.

    >>> r = extract_targets("地区生产总值(GDP)增长10%左右,固定资产投资额达到100亿元以上。")
    >>> [(x["indicator"], x["measure"], x["value"], x["bound"]) for x in r]
    [('地区生产总值(GDP)', 'growth_rate', 10.0, 'approx'), ('固定资产投资额', 'level', 100.0, 'ge')]
    >>> [
    ...     (x["indicator"], x["value_base"])
    ...     for x in extract_targets("港口货物吞吐量。实现11160万吨。")
    ... ]
    [('港口货物吞吐量', 111600000.0)]
    """
    if not isinstance(text, str):
        raise TypeError("extract_targets expects a str")
    if doc_kind not in ("plan", "summary"):
        raise ValueError("doc_kind must be 'plan' or 'summary'")
    split = join_split_words(text)
    if split.changed:
        # 74.4\n\u200b\n万亿元: read the words the zero-width cuts split, report where they are
        out = extract_targets(split.joined, heading=heading, doc_kind=doc_kind)
        for rec in out:
            rec["start"] = split.to_original(rec["start"])
            rec["end"] = split.to_original_end(rec["end"])
            rec["text"] = text[rec["start"] : rec["end"]]
        return out
    qs = quantities(text)
    drop, population = _thresholds(text, qs)
    targets = _Targets(text, qs, drop, heading, doc_kind)
    for k, q in enumerate(qs):
        if k not in drop:
            targets.add(q, population.get(k))
    return targets.out


def _thresholds(text: str, qs: list[dict]) -> tuple[set[int], dict[int, str]]:
    """Quantities that are thresholds inside an indicator, not targets: ``(drop, population)``,
    the indices of the quantities dropped and, for a share over a threshold (65%以上行政村…), the
    indicator it takes (the text up to the end of the threshold)."""
    c = _c()
    drop: set[int] = set()
    population: dict[int, str] = {}
    for k, q in enumerate(qs):
        if k in drop:
            continue
        nxt = qs[k + 1] if k + 1 < len(qs) else None
        if not _is_noun_follow(text, q["end"]) or text.startswith(c.not_attributive, q["end"]):
            continue  # 由162.4亿元增加到…, 投资1.29亿元完成了17条道路: not a threshold
        between = text[q["end"] : nxt["start"]] if nxt is not None else "。"
        if any(ch in c.clause_sep for ch in between):
            if _is_population_threshold(q):
                # 20年以上小区, 10人及以上渔船, 0—6岁婴幼儿: a threshold that defines the population
                drop.add(k)
            continue
        if q["unit"] == "percent" and q["bound"] in ("ge", "gt"):
            drop.add(k + 1)  # 确保65%以上行政村年经营性收入达到50万元
            population[k] = text[q["end"] : nxt["end"]]
        elif q["bound"] in ("ge", "gt", "le", "lt") or q["unit"] in ("CNY", "USD", "person"):
            drop.add(k)  # 产值4亿以上企业1家, 10人及以上渔船…
    return drop, population


class _Targets:
    """The target records of one text, built quantity by quantity, in text order: the
    indicator, kind and measure of a quantity may come from the records before it."""

    def __init__(
        self,
        text: str,
        qs: list[dict],
        drop: set[int],
        heading: Optional[str],
        doc_kind: str,
    ) -> None:
        self.text = text
        self.qs = qs
        self.drop = drop
        self.heading = heading
        self.doc_kind = doc_kind
        self.out: list[dict] = []
        #: per clause start, the end of its last quantity so far
        self.prev_end_in_clause: dict[int, int] = {}
        #: per separator set, the offsets of its separators in the text
        self._separators: dict[frozenset, list[int]] = {}

    def clause_start(self, i: int, seps: frozenset) -> int:
        """:func:`_clause_start` in the text, by bisection in the offsets of its separators
        (found once per separator set)."""
        offsets = self._separators.get(seps)
        if offsets is None:
            found = _separator_re(seps).finditer(self.text)
            offsets = self._separators[seps] = [m.start() for m in found]
        if i <= 0:
            return i
        k = bisect_left(offsets, i)  # offsets[:k] lie before i
        return offsets[k - 1] + 1 if k else 0

    def add(self, q: dict, population: Optional[str]) -> None:
        """Add the target record of quantity ``q`` (``population``: its indicator, when it is
        a share over a threshold)."""
        c = _c()
        text = self.text
        cs = self.clause_start(q["start"], c.clause_sep)
        ss = self.clause_start(q["start"], c.sent_sep)
        clause_text = text[cs : q["start"]]
        indicator = self.indicator(q, cs, ss, population)
        self.prev_end_in_clause[cs] = q["end"]
        sentence_pre = text[ss : q["start"]]
        kind = self.kind(q, sentence_pre)
        measure = _measure(clause_text if clause_text else sentence_pre, q, indicator or "")
        self.out.append(_target_record(q, indicator, kind, measure, sentence_pre))

    def indicator(self, q: dict, cs: int, ss: int, population: Optional[str]) -> Optional[str]:
        """What ``q`` measures: the words before it in its clause, the counted noun after it,
        else from the context (:meth:`indicator_from_context`)."""
        text, out, prev = self.text, self.out, self.prev_end_in_clause
        left = max(cs, prev.get(cs, cs))
        indicator = _clean_indicator(text[left : q["start"]])
        if population is not None:
            indicator = population
        elif q["unit"] in ("count", "person", "household") and _is_noun_follow(text, q["end"]):
            # 两个省级运动休闲旅游示范基地, 193个重点建设项目: the counted noun follows
            post = self.counted_noun(q)
            if post:
                indicator = post
        if not indicator or indicator in ("同比", "分别"):
            return self.indicator_from_context(q, cs, ss)
        if self.ends_change(q, cs):
            return out[-1]["indicator"]
        if "分别" in text[ss : q["start"]] and prev.get(cs) is not None and out:
            return out[-1]["indicator"]
        return indicator

    def ends_change(self, q: dict, cs: int) -> bool:
        """Whether ``q`` is where a change that the record before it in its clause starts from
        ends (投入从2006年的18亿元增加到2010年的306亿元): both measure one thing.

        >>> [r["indicator"] for r in extract_targets("投入从2006年的18亿元增加到2010年的30亿元")]
        ['投入', '投入']
        """
        out = self.out
        if not out or self.prev_end_in_clause.get(cs) is None or out[-1]["kind"] != "outcome":
            return False
        return starts_change(self.text, out[-1]["start"], out[-1]["end"])

    def counted_noun(self, q: dict) -> str:
        """The noun after a count, up to the end of its clause (at most 40 characters)."""
        text, seps = self.text, _c().clause_sep
        ce = q["end"]
        while ce < len(text) and text[ce] not in seps and ce - q["end"] < 40:
            ce += 1
        return _clean_indicator(text[q["end"] : ce])

    def indicator_from_context(self, q: dict, cs: int, ss: int) -> Optional[str]:
        """The indicator of a quantity with none before it: from 分别 (respectively), the record
        before it in the clause or sentence, a heading sentence, or the item's heading."""
        text, out = self.text, self.out
        indicator = None
        if out and "分别" in text[ss : q["start"]]:
            indicator = self.respectively(q, cs)
        elif out and self.prev_end_in_clause.get(cs) is not None:
            indicator = out[-1]["indicator"]  # 分别增长8%、8.5%
        if (
            indicator is None
            and out
            and ("分别" in text[ss : q["start"]] or out[-1]["start"] >= ss)
        ):
            indicator = out[-1]["indicator"]  # 增加值x.x亿元,同比增长xx.x%
        if indicator is None:
            indicator = self.subject_clause(cs, ss)
        if indicator is None:
            indicator = self.heading_sentence(ss)
        if indicator is None and self.heading:
            indicator = _clean_indicator(self.heading) or None
        return indicator

    def respectively(self, q: dict, cs: int) -> Optional[str]:
        """同比分别下降45.5%、50% after 发生6起、死亡6人: the quantities of the clause map onto
        the records before it, in order."""
        text, out, seps = self.text, self.out, _c().clause_sep
        group = [
            x
            for j, x in enumerate(self.qs)
            if j not in self.drop and self.clause_start(x["start"], seps) == cs
        ]
        idx = next(j for j, x in enumerate(group) if x is q)
        prev = [r for r in out if r["start"] < cs]
        if len(prev) >= len(group) and group and not _clean_indicator(text[cs : group[0]["start"]]):
            return prev[len(prev) - len(group) + idx]["indicator"]
        if self.prev_end_in_clause.get(cs) is not None:
            return out[-1]["indicator"]
        return None

    def subject_clause(self, cs: int, ss: int) -> Optional[str]:
        """The clause before the quantity's in its sentence, when it is a short name without
        figures: the subject the clause of the figure speaks of.

        >>> [r["indicator"] for r in extract_targets("1958年的基本建设总投资额，拟定为145亿元")]
        ['基本建设总投资额']
        """
        c = _c()
        if cs <= ss:
            return None
        before = self.text[ss : cs - 1]
        start = _clause_start(before, len(before), c.clause_sep)
        return _short_name(_clean_indicator(_YEAR_IN_NAME.sub("", before[start:])))

    def heading_sentence(self, ss: int) -> Optional[str]:
        """A short sentence before the quantity's, without digits, as its indicator:
        港口货物吞吐量。实现11160万吨。"""
        c = _c()
        before = self.text[:ss].rstrip("。 \n")
        hs = _clause_start(before, len(before), c.sent_sep)
        return _short_name(_clean_indicator(before[hs:]))

    def kind(self, q: dict, sentence_pre: str) -> str:
        """target, outcome or forecast, by the cue words before the quantity; a subset (其中:…)
        keeps the kind of the quantity before it."""
        c = _c()
        hs = self.clause_start(q["start"], c.hard_sep)
        head = self.text[hs : q["start"]]
        colon = max(head.rfind("："), head.rfind(":"))
        lead = head[:colon] if colon > 0 else ""
        opening = c.forecast_lead_re.match(head)
        if opening:
            lead = opening.group()  # 根据预计，…；棉花…达到3280万担: every clause estimates
        kind, cued = _kind(sentence_pre, self.doc_kind, lead)
        if not cued and self.out and c.enum_re.sub("", head.lstrip()).startswith(c.subset):
            kind = self.out[-1]["kind"]  # 其中:税收收入完成…
        elif kind == "outcome" and self.compares_previous(q, sentence_pre, head, colon):
            kind = self.out[-1]["kind"]  # 拟安排赤字3000亿元，比上年减少198亿元
        if starts_change(self.text, q["start"], q["end"]):
            kind = "outcome"  # 由每人每年420元提高到450元: 420元 is today's level
        return kind

    def compares_previous(self, q: dict, sentence_pre: str, head: str, colon: int) -> bool:
        """Whether ``q`` follows a planned quantity in its sentence and is read as an outcome
        only for a comparison word (比上年, 较去年) in the sentence: 拟安排赤字3000亿元，比上年
        减少198亿元 plans the deficit and its change alike, and 赤字率拟按4%安排、比上年提高1个
        百分点，赤字规模5.66万亿元 plans the deficit after the rate.

        >>> [r["kind"] for r in extract_targets("今年拟安排赤字300亿元，比上年减少20亿元。")]
        ['target', 'target']
        >>> [r["kind"] for r in extract_targets("截至去年底赤字300亿元，比上年减少20亿元。")]
        ['outcome', 'outcome']
        """
        c = _c()
        if not self.out or self.out[-1]["start"] < q["start"] - len(sentence_pre):
            return False
        if not any(w in sentence_pre for w in c.comparison):
            return False
        for w in c.comparison:
            sentence_pre = sentence_pre.replace(w, "")
        kind, cued = _kind(sentence_pre, self.doc_kind, head[:colon] if colon > 0 else "")
        return not (kind == "outcome" and cued)


def _target_record(
    q: dict, indicator: Optional[str], kind: str, measure: str, sentence_pre: str
) -> dict:
    """The quantity record ``q`` with the commitment words of its sentence in front of its
    qualifiers, and its indicator, kind and measure."""
    rec = dict(q)
    quals = list(q["qualifiers"])
    for w in _c().commitment:
        if w in sentence_pre and w not in quals:
            quals.insert(0, w)
    rec["qualifiers"] = quals
    rec["indicator"] = indicator
    rec["kind"] = kind
    rec["measure"] = measure
    return rec
