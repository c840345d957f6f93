"""Normalised indicator names: which records measure the same thing.

The table lives in ``indicators.json`` beside this module (canonical id, name, aliases,
direction of improvement, and for joint names such as 城乡居民收入 the indicators a 分别
distributes over). Users extend it with a file of the same shape.

>>> table = IndicatorTable.default()
>>> table.match("全年地区生产总值(GDP)").id
'gdp'
>>> table.match("规上工业增加值").id, table.match("地方财政收入").id
('industrial_value_added', 'public_budget_revenue')
>>> table.match("就业").id, table.match("高校毕业生就业") is None
('new_urban_jobs', True)
>>> clean_indicator("年内力争实现旅游接待人数")
'旅游接待人数'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Sequence, Union

from .allocations import AllocationWords
from .bundled import bundled_indicator_data
from .similarity import bigram_dice, bigrams

__all__ = ["Indicator", "IndicatorTable", "clean_indicator", "bigram_dice", "bigrams"]

#: Words around an indicator that do not change what is measured (commitment, scope, time).
_NOISE = re.compile(
    r"^(?:(?:年内|全年|今年|本年|当年|去年|上年|明年|力争|确保|努力|争取|实现|完成|达到|预计|计划|"
    r"全国|我国|全区|全县|全市|全镇|"
    r"全旗|我区|我县|其中|同时|继续|进一步|要|将|使|，|,|、|"
    r"(?:到|至)?[0-9〇○零一二三四五六七八九]{4}年?(?:底|末)?)+)"
)
_TRAILING = re.compile(
    r"(?:分别|同比|比上年|较上年|增长|增速|达到|达|为|完成|实现|突破|超过|累计)+$"
)


@dataclass(frozen=True)
class Indicator:
    """One normalised indicator."""

    id: str
    name: str
    direction: str = "up"
    aliases: Sequence[str] = ()
    exact: Sequence[str] = ()
    split: Sequence[str] = ()


_SHARE_OF = re.compile(r"占.{0,20}(?:比重|比例)|比重|占比|贡献率|贡献度")


def clean_indicator(raw: Optional[str]) -> str:
    """The indicator as written, without commitment, scope and time words around it.

    >>> clean_indicator("确保全区地方财政总收入")
    '地方财政总收入'
    """
    text = re.sub(r"\s+", "", raw or "")
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    previous = None
    while previous != text:
        previous = text
        text = _NOISE.sub("", text)
        text = _TRAILING.sub("", text)
    return text


@dataclass
class IndicatorTable:
    """Indicators by id, with their aliases sorted longest first for matching."""

    indicators: Dict[str, Indicator] = field(default_factory=dict)
    #: Names that never identify an indicator by themselves (投资, 项目, 面积 …).
    generic: frozenset = frozenset()
    #: Raw names shorter than this are never paired by name alone.
    min_raw_name: int = 4
    #: Words naming the same kind of thing in body targets' objects (公路 → 道路).
    object_synonyms: Dict[str, str] = field(default_factory=dict)
    #: The words of budget allocations (:mod:`.allocations`), as in the file's ``allocations``.
    allocation_data: Dict[str, Any] = field(default_factory=dict)
    #: Characters that make a sector of a name they stand before (工农业 / 农业, 轻工业 / 工业): two
    #: names that differ there name two things.
    sector_modifiers: frozenset = frozenset()

    def __post_init__(self) -> None:
        self._aliases = sorted(
            ((alias, ind.id) for ind in self.indicators.values() for alias in ind.aliases),
            key=lambda pair: -len(pair[0]),
        )
        self._exact = {alias: ind.id for ind in self.indicators.values() for alias in ind.exact}
        self._synonyms = sorted(self.object_synonyms.items(), key=lambda pair: -len(pair[0]))
        self._generic_longest_first = sorted(self.generic, key=len, reverse=True)
        self.allocations = AllocationWords.from_data(self.allocation_data)

    def strip_generic(self, thing: str) -> str:
        """``thing`` without the table's generic words, longest first.

        >>> IndicatorTable.default().strip_generic("重点农牧业项目")
        '农牧业'
        """
        for word in self._generic_longest_first:
            thing = thing.replace(word, "")
        return thing

    @classmethod
    def default(cls) -> "IndicatorTable":
        """The bundled table (``indicators.json``, read once per process)."""
        return cls.from_data(bundled_indicator_data())

    @classmethod
    def from_data(
        cls, data: Dict[str, Any], base: Optional["IndicatorTable"] = None
    ) -> "IndicatorTable":
        """A table from the JSON shape of ``indicators.json``, added to ``base`` (its entries
        win).
        """
        entries = dict(base.indicators) if base else {}
        rows = data.get("indicators") if isinstance(data, dict) else None
        generic = set(base.generic) if base else set()
        if not isinstance(rows, list):
            raise ValueError("an indicator file is a JSON object with a list under 'indicators'")
        for row in rows:
            if (
                not isinstance(row, dict)
                or not row.get("id")
                or not row.get("aliases")
                and not row.get("exact")
            ):
                raise ValueError(f"an indicator needs an 'id' and 'aliases' (or 'exact'): {row!r}")
            direction = row.get("direction", "up")
            if direction not in ("up", "down"):
                raise ValueError(
                    f"indicator {row['id']}: direction must be 'up' or 'down', not {direction!r}"
                )
            entries[row["id"]] = Indicator(
                id=row["id"],
                name=row.get("name") or row["id"],
                direction=direction,
                aliases=tuple(row.get("aliases") or ()),
                exact=tuple(row.get("exact") or ()),
                split=tuple(row.get("split") or ()),
            )
        generic.update(data.get("generic") or ())
        min_raw_name = int(data.get("min_raw_name", base.min_raw_name if base else 4))
        synonyms = dict(base.object_synonyms) if base else {}
        synonyms.update(data.get("object_synonyms") or {})
        allocations = {
            key: (dict(value) if isinstance(value, dict) else list(value))
            for key, value in ((base.allocation_data if base else {}) or {}).items()
        }
        for key, value in (data.get("allocations") or {}).items():
            if isinstance(value, dict):
                allocations[key] = {**allocations.get(key, {}), **value}
            else:
                allocations[key] = list(allocations.get(key, [])) + list(value)
        modifiers = set(base.sector_modifiers) if base else set()
        modifiers.update(data.get("sector_modifiers") or ())
        return cls(
            entries,
            generic=frozenset(generic),
            min_raw_name=min_raw_name,
            object_synonyms=synonyms,
            allocation_data=allocations,
            sector_modifiers=frozenset(modifiers),
        )

    def other_sectors(self, a: str, b: str) -> bool:
        """Whether two names share a core but differ in the sector word before it (工农业总产值 /
        农业总产值 / 轻工业总产值 / 工业总产值): two indicators, however much they overlap.

        >>> table = IndicatorTable.default()
        >>> table.other_sectors("工农业总产值", "农业总产值比上年")
        True
        >>> table.other_sectors("轻工业总产值", "工业总产值")
        True
        >>> table.other_sectors("工农业总产值", "工农业总产值的增长速度")
        False
        """
        if not self.sector_modifiers or not a or not b:
            return False
        match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        if match.size < 3:
            return False
        before_a = a[match.a - 1] if match.a > 0 else ""
        before_b = b[match.b - 1] if match.b > 0 else ""
        if before_a == before_b:
            return False
        return before_a in self.sector_modifiers or before_b in self.sector_modifiers

    @classmethod
    def load(
        cls, extra: Union[None, str, Path, Iterable[Union[str, Path]]] = None
    ) -> "IndicatorTable":
        """The bundled table extended by the user's files (``--indicators FILE``).

        >>> IndicatorTable.load().get("cpi").direction
        'down'
        """
        table = cls.default()
        if extra is None:
            return table
        paths = [extra] if isinstance(extra, (str, Path)) else list(extra)
        for path in paths:
            table = cls.from_data(json.loads(Path(path).read_text(encoding="utf-8")), base=table)
        return table

    def names_specific(self, cleaned: str) -> bool:
        """Whether a cleaned raw name can pair records by itself (long enough, not generic).

        >>> table = IndicatorTable.default()
        >>> (
        ...     table.names_specific("地产蔬菜产量"),
        ...     table.names_specific("总投资"),
        ...     table.names_specific("供水"),
        ... )
        (True, False, False)
        """
        return len(cleaned) >= self.min_raw_name and cleaned not in self.generic

    def normalise_object(self, thing: str) -> str:
        """An object with its synonyms replaced, longest first.

        >>> IndicatorTable.default().normalise_object("农村公路")
        '农村道路'
        """
        for word, same in self._synonyms:
            thing = thing.replace(word, same)
        return thing

    def get(self, indicator_id: Optional[str]) -> Optional[Indicator]:
        """The indicator of this id, or None."""
        return self.indicators.get(indicator_id) if indicator_id else None

    def match(self, raw: Optional[str]) -> Optional[Indicator]:
        """The indicator a name as written refers to: an exact alias of the cleaned name, else the
        longest alias contained in it, else None. A share of something (服务业增加值占国内生产总值
        比重) is not that something: it matches only an alias that is itself a share.

        >>> table = IndicatorTable.default()
        >>> table.match("全区地区生产总值").id, table.match("服务业增加值占国内生产总值比重")
        ('gdp', None)
        >>> table.match("对全球经济增长的贡献率") is None
        True
        >>> table.match("农业总产值").id, table.match("工农业总产值")
        ('agricultural_output', None)
        """
        text = clean_indicator(raw)
        if not text:
            return None
        if text in self._exact:
            return self.indicators[self._exact[text]]
        upper = text.upper()
        share = _SHARE_OF.search(text) is not None
        for alias, indicator_id in self._aliases:
            if (not share or _SHARE_OF.search(alias)) and self._contains(upper, alias.upper()):
                return self.indicators[indicator_id]
        return None

    def _contains(self, name: str, alias: str) -> bool:
        """``alias`` occurs in ``name`` other than after a sector word (农业总产值 is not in
        工农业总产值, 工业 is not in 轻工业)."""
        at = name.find(alias)
        while at >= 0:
            if at == 0 or name[at - 1] not in self.sector_modifiers:
                return True
            at = name.find(alias, at + 1)
        return False
