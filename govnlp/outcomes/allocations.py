"""Budget allocations: what a sum of money is *for*.

A work report plans and reviews many sums of one payer (中央财政安排X亿元…, 中央财政用于“三农”的支出
达到Y亿元). The payer names no indicator: two allocations measure the same thing when they are
for the same thing — their *purpose*, read from the name around the sum (中央财政安排“三农”支出 →
三农), else from the words after it (中央财政安排109亿元资金支持再就业 → 再就业; …，增加对产粮大县
的转移支付), else from a clause before it that says what it is for (为加快社会保障体系建设，中央
财政将安排…). The words are in ``indicators.json`` (``allocations``) beside this module.

>>> words = AllocationWords.default()
>>> text = "今年中央财政安排109亿元资金支持再就业，比上年增加26亿元。"
>>> start = text.index("109")
>>> allocation_of("中央财政安排", text, start, start + len("109亿元"), words)
('中央', '再就业')
>>> allocation_of("中央财政用于“三农”的支出", "", 0, 0, words)
('中央', '三农')
>>> allocation_of("财政收入", "", 0, 0, words, indicator_known=True) is None
True
>>> allocation_of("中央财政对参保农民的补助标准", "", 0, 0, words) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .bundled import bundled_indicator_data
from .similarity import bigram_dice

__all__ = ["AllocationWords", "allocation_of", "split_purposes", "purposes_overlap"]

_DIGIT = re.compile(r"[0-9０-９]")
_CLAUSE_STOPS = "，,。；;：:！？!?\n"


def _longest_first(words: Sequence[str]) -> Tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class AllocationWords:
    """The words that make a sum an allocation and those stripped from its purpose."""

    #: payers, longest first, each with the payer it stands for (中央财政 → 中央)
    sources: Tuple[Tuple[str, str], ...] = ()
    #: verbs that make a sum an allocation (安排, 投入, 用于 …)
    verbs: Tuple[str, ...] = ()
    #: words that say nothing of what a sum is for, at the start of its name (今年, 拟, 将,
    #: 为此 …) and at its end (资金, 支出, 经费 …); 的 and quotes go everywhere
    lead: Tuple[str, ...] = ()
    trail: Tuple[str, ...] = ()
    #: words that open a purpose after the sum (用于, 支持, 增加对 …)
    purpose_openers: Tuple[str, ...] = ()
    #: words that open a clause saying what the next sum is for (为, 为了)
    aim_openers: Tuple[str, ...] = ()
    #: words that refer to a purpose named elsewhere (这, 此, 上述): no purpose of its own
    pronouns: Tuple[str, ...] = ()
    #: words that make a sum of money a rate, not an allocation (补助标准 120元: per person)
    rates: Tuple[str, ...] = ()
    #: purposes that name no particular thing (补助, 补贴, 转移支付): never pair by themselves
    generic: frozenset = frozenset()

    @classmethod
    def from_data(cls, data: Dict[str, Any]) -> "AllocationWords":
        """The words of the ``allocations`` object of an indicator file."""
        sources = data.get("sources") or {}
        return cls(
            sources=tuple((w, sources[w]) for w in _longest_first(list(sources))),
            verbs=_longest_first(data.get("verbs") or ()),
            lead=_longest_first(data.get("lead") or ()),
            trail=_longest_first(data.get("trail") or ()),
            purpose_openers=_longest_first(data.get("purpose_openers") or ()),
            aim_openers=_longest_first(data.get("aim_openers") or ()),
            pronouns=tuple(data.get("pronouns") or ()),
            rates=tuple(data.get("rates") or ()),
            generic=frozenset(data.get("generic") or ()),
        )

    @classmethod
    def default(cls) -> "AllocationWords":
        """The bundled words (``indicators.json``)."""
        return cls.from_data(bundled_indicator_data().get("allocations") or {})

    def source_of(self, name: str) -> Tuple[Optional[str], str]:
        """The payer a name states (or None) and the name without every payer word.

        >>> AllocationWords.default().source_of("中央财政拟安排“三农”投入")
        ('中央', '拟安排“三农”投入')
        """
        source = None
        for word, payer in self.sources:
            if word in name:
                source = source or payer
                name = name.replace(word, "")
        return source, name

    def purpose(self, words: str) -> str:
        """``words`` without payers, the verbs and noise words at their start and end, quotes and
        figures (``""`` when they refer to a purpose named elsewhere: 用于这方面的支出).

        >>> words = AllocationWords.default()
        >>> words.purpose("今年中央财政拟安排“三农”投入"), words.purpose("还将安排再就业资金")
        ('三农', '再就业')
        """
        _source, words = self.source_of(words)
        if any(p in words for p in self.pronouns):
            return ""
        words = re.sub(r"[\s“”‘’\"'《》（）()]|的|[0-9０-９.．]+[^\u4e00-\u9fff]?", "", words)
        previous = None
        while previous != words:
            previous = words
            for word in self.lead + self.verbs:
                # a one-character word (拟, 将, 再) only before a verb: 再安排, not 再就业
                if words.startswith(word) and (
                    len(word) > 1 or words[1:].startswith(self.lead + self.verbs)
                ):
                    words = words[len(word) :]
            for word in self.trail + self.verbs:
                if words.endswith(word):
                    words = words[: -len(word)]
        return words.strip("，,、和及与")


def _is_sum(record: Dict[str, Any]) -> bool:
    return record.get("unit") in ("CNY", "USD")


def _clause_after(text: str, end: int, limit: int = 40) -> Tuple[str, int]:
    """The words after offset ``end`` up to the end of its clause, and where the clause ends."""
    hi = end
    while hi < len(text) and text[hi] not in _CLAUSE_STOPS and hi - end < limit:
        hi += 1
    return text[end:hi], hi


def _purpose_after(text: str, end: int, words: AllocationWords) -> str:
    """What a sum is for, said after it: the rest of its clause (109亿元资金支持再就业), else the
    next clause when it opens with a purpose word and holds no figure (…，支持卫生事业改革),
    past one comparison clause (，比上年增加167亿元，支持…)."""
    rest, hi = _clause_after(text, end)
    rest = _strip_opener(rest, words)
    if _DIGIT.search(rest):
        return ""  # another figure's words (18亿元增加到95亿元)
    if words.purpose(rest):
        return words.purpose(rest)
    for _ in range(2):
        if hi >= len(text) or text[hi] not in "，,":
            return ""
        clause, hi = _clause_after(text, hi + 1)
        if clause.startswith(("比", "较")):
            continue  # 比上年增加167亿元: the sum's change, not its purpose
        if _DIGIT.search(clause) or not clause.startswith(words.purpose_openers):
            return ""
        return words.purpose(_strip_opener(clause, words))
    return ""


def _strip_opener(words_after: str, words: AllocationWords) -> str:
    """Words after a sum without the money noun and the purpose word that open them (资金支持
    再就业 → 再就业)."""
    for noise in words.trail + ("的",):
        if words_after.startswith(noise):
            words_after = words_after[len(noise) :]
            break
    for opener in words.purpose_openers:
        if words_after.startswith(opener):
            return words_after[len(opener) :]
    return words_after


def _aim_before(text: str, start: int, words: AllocationWords) -> str:
    """What a sum is for, said in the clause before its own when that clause opens with 为/为了
    and holds no figure (为加快社会保障体系建设，今年中央财政将安排2762亿元)."""
    lo = start
    while lo > 0 and text[lo - 1] not in _CLAUSE_STOPS:
        lo -= 1
    if lo == 0 or text[lo - 1] not in "，,":
        return ""
    prev = lo - 1
    while prev > 0 and text[prev - 1] not in _CLAUSE_STOPS:
        prev -= 1
    clause = text[prev : lo - 1].strip()
    if _DIGIT.search(clause) or not clause.startswith(words.aim_openers):
        return ""
    for opener in words.aim_openers:
        if clause.startswith(opener):
            return words.purpose(clause[len(opener) :])
    return ""


def allocation_of(
    raw: str,
    text: str,
    start: int,
    end: int,
    words: AllocationWords,
    *,
    indicator_known: bool = False,
) -> Optional[Tuple[Optional[str], str]]:
    """``(payer, purpose)`` of a sum whose indicator as written is ``raw`` when it is a budget
    allocation (an allocation verb in its name, or a payer in a name that is no known indicator:
    中央财政赤字, not 财政收入), else None. The purpose is ``""`` when nothing says what the money
    is for."""
    source, _rest = words.source_of(raw or "")
    if not any(v in (raw or "") for v in words.verbs) and (not source or indicator_known):
        return None
    if any(w in (raw or "") for w in words.rates):
        return None  # 财政补助标准提高到200元: a standard per person
    purpose = words.purpose(raw or "")
    if text and (not purpose or purpose in words.generic):
        extra = _purpose_after(text, end, words) or _aim_before(text, start, words)
        purpose = (purpose + extra) if extra else purpose
    return source, purpose


def split_purposes(purpose: str) -> List[str]:
    """The purposes an enumeration names (科技、教育、卫生和文化事业 → four), to be distributed
    over the sums that follow it with 分别.

    >>> split_purposes("科技、教育、卫生和文化事业")
    ['科技', '教育', '卫生', '文化事业']
    """
    return [p for p in re.split(r"[、，,]|和|及|与", purpose) if p]


def purposes_overlap(a: str, b: str) -> float:
    """How far two purposes name the same thing: 1.0 identical; 0.9 when the shorter one, of
    three characters at least, lies in the other and that one is no list of purposes (再就业 /
    就业再就业, not 再就业 / 下岗职工生活保障、再就业补助); else their bigram Dice.

    >>> purposes_overlap("三农", "三农"), purposes_overlap("再就业", "就业再就业")
    (1.0, 0.9)
    >>> purposes_overlap("建设", "乡镇卫生院建设") < 0.5
    True
    """
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and short in long and len(split_purposes(long)) == 1:
        return 0.9
    return bigram_dice(a, b)


def is_allocation_record(record: Dict[str, Any]) -> bool:
    """Whether a record can be an allocation at all: a sum of money."""
    return _is_sum(record)
