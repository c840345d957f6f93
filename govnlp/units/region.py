"""Which county a document is about: one :class:`Region`, resolved once per document.

:func:`document_region` is the one place a document's county is decided, from (in this
order of precedence) the ``region`` option of the pipeline, the input's metadata (a table's
``region`` column, a page's 发布机构 / title / source / site) and the text itself. The units
component calls it before it links anything and stores the result in ``doc._.region``
(plain data: :meth:`Region.to_dict`; :meth:`Region.of` reads it back), so every later
component reads the same county.

``divisions`` means the same everywhere in govnlp: a :class:`Divisions` object, a path,
``"default"`` (the file built at set-up), or ``None`` — *no divisions*: nothing is detected
in the text or in free-text metadata, and a county given as an option or a ``region`` column
is kept as written (not normalised).

>>> r = document_region("一、抓投资。", option="嵊泗县", divisions=None)
>>> r.name, r.adcode, r.source, r.record()
('嵊泗县', None, 'option', {'name': '嵊泗县', 'adcode': None})
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import numpy as np

from .divisions import GENERIC_COUNTY_NAMES, Divisions, DivisionsNotFound, load_divisions
from ..textnorm import readable

#: Where a document's region came from (``Region.source``), strongest first.
SOURCES = ("option", "metadata", "text")

#: Input-metadata keys that can name a document's county: ``region`` (a table column: a
#: county name, adcode or ``{"name", "adcode"}``) and the free-text keys scored like the text.
METADATA_REGION_KEY = "region"
METADATA_HINT_KEYS = ("issuer", "title", "source", "site")

#: ``meta["region_from"]`` of a record whose region came from the input's metadata.
REGION_FROM_METADATA = "input_meta"

DivisionsArg = Union[Divisions, str, Path, None]


@dataclass(frozen=True)
class Region:
    """A document's county.

    ``name``/``adcode`` are what records carry (``meta.region``); ``level``, ``prefecture``
    and ``province`` are filled when the divisions know the county; ``source`` is ``option``
    (the pipeline's ``region`` setting), ``metadata`` (the input's metadata named it and the
    text did not name the same county) or ``text``.

    >>> Region.from_dict(Region("嵊泗县", "330922", source="metadata").to_dict()).source
    'metadata'
    """

    name: Optional[str]
    adcode: Optional[str] = None
    level: Optional[str] = None
    prefecture: Optional[str] = None
    province: Optional[str] = None
    source: str = "text"

    def record(self) -> Dict[str, Optional[str]]:
        """The ``meta.region`` of a record (records.md): ``{"name", "adcode"}``."""
        return {"name": self.name, "adcode": self.adcode}

    def to_dict(self) -> Dict[str, Optional[str]]:
        """Plain data for ``doc._.region`` (survives ``DocBin`` and worker processes)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Region":
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})

    @classmethod
    def of(cls, doc: Any) -> Optional["Region"]:
        """The region the pipeline resolved for ``doc`` (``doc._.region``), or None."""
        data = doc._.region
        if isinstance(data, Region):
            return data
        return cls.from_dict(data) if data else None

    def with_source(self, source: str) -> "Region":
        return Region(self.name, self.adcode, self.level, self.prefecture, self.province, source)


_GOV_AFTER = re.compile(r"(人民政府|政府|委员会|县委|市委|区委|党委|人大|政协)")
HEAD_CHARS = 400
#: a county name right after one of these is a verb phrase (要会同县督查落实办…), not the county
VERB_CONTEXT = set("要并请由应将须需可均已再还也都积极主动负责牵头")
#: a full county name must be in the head, before a government word, or occur 3 times
MIN_EVIDENCE = 3
#: short names (象山) alone: at least this many occurrences plus the prefecture or province
MIN_SHORT = 3


def divisions_of(divisions: DivisionsArg, *, missing_ok: bool = True) -> Optional[Divisions]:
    """The divisions a ``divisions`` argument means: ``None`` → none; ``"default"`` → the
    set-up's file (none when it has not been built, unless ``missing_ok=False``: then
    :class:`DivisionsNotFound`); a path → that file.

    >>> divisions_of(None) is None
    True
    """
    if divisions is None or isinstance(divisions, Divisions):
        return divisions
    if divisions == "default":
        try:
            return load_divisions()
        except DivisionsNotFound:
            if not missing_ok:
                raise
            return None
    return load_divisions(divisions)


def _full(
    name: Optional[str], code: Optional[str], div: Optional[Divisions], source: str
) -> Region:
    county = div.county(code) if (div is not None and code) else None
    if county is None:
        return Region(name, code, source=source)
    pref = div.prefectures.get(county["prefecture"])
    prov = div.provinces.get(pref["province"]) if pref else None
    return Region(
        county["name"],
        county["adcode"],
        "county",
        pref["name"] if pref else None,
        prov["name"] if prov else None,
        source,
    )


def normalise_region(
    value: Any, divisions: Optional[Divisions], *, text: str = "", source: str = "option"
) -> Optional[Region]:
    """A county given by name, adcode, ``{"name", "adcode"}`` or :class:`Region`, through the
    divisions: an adcode they know, else a name they know once (or, among several counties of
    that name, the one whose prefecture or province ``text`` names); otherwise kept as written.

    >>> normalise_region({"name": "甲县", "adcode": None}, None)
    Region(name='甲县', adcode=None, level=None, prefecture=None, province=None, source='option')
    >>> normalise_region("", None) is None
    True
    """
    if isinstance(value, Region):
        return value if value.source == source else value.with_source(source)
    if not value:
        return None
    if isinstance(value, Mapping):
        name, code = value.get("name"), value.get("adcode")
    elif str(value).isdigit():
        name, code = None, str(value)
    else:
        name, code = str(value), None
    code = str(code)[:6] if code else None
    if divisions is not None:
        if code and divisions.county(code):
            return _full(None, code, divisions, source)
        if name:
            hits = divisions.find_county(name)
            if len(hits) == 1:
                return _full(None, hits[0], divisions, source)
            if len(hits) > 1:
                best = _best(text, hits, divisions)
                if best:
                    return _full(None, best["adcode"], divisions, source)
    if name or code:
        return Region(name, code, source=source)
    return None


def text_region(doc_text: str, divisions: Optional[Divisions]) -> Optional[Region]:
    """The county a text names most strongly (None without divisions or evidence).

    Every county-level full name found in the text is scored: +1 per occurrence, +3 when it
    is in the first 400 characters (title, issuer, index number) and +2 when followed by a
    government word (人民政府, 县委…); ties are broken by the county's prefecture/province
    names occurring in the text. Short names (嵊泗) only help a county already found by its
    full name, or alone when frequent and with their prefecture or province named.
    """
    found = _scored(readable(doc_text)[0], divisions)  # 蘭陵縣(xiàn)人民政府 names 兰陵县
    return _full(None, found["adcode"], divisions, "text") if found else None


def metadata_region(
    meta: Optional[Mapping[str, Any]], divisions: Optional[Divisions]
) -> Optional[Region]:
    """The county the input's metadata names: its ``region`` value (a county the divisions
    know; any value without divisions), else its issuer, title, source and site read
    as a text (a page's 发布机构 嵊泗县人民政府办公室 → 嵊泗县).

    >>> metadata_region({"region": "甲县"}, None).source
    'metadata'
    >>> metadata_region({"issuer": "县政府办"}, None) is None
    True
    """
    if not meta:
        return None
    value = meta.get(METADATA_REGION_KEY)
    if value:
        region = normalise_region(value, divisions, source="metadata")
        if region is not None and (divisions is None or region.level == "county"):
            return region
    hints = " ".join(str(meta[k]) for k in METADATA_HINT_KEYS if meta.get(k))
    found = _scored(hints, divisions) if hints else None
    return _full(None, found["adcode"], divisions, "metadata") if found else None


def region_metadata(meta: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The part of an input's metadata :func:`document_region` reads (``region``, issuer,
    title, source, site; empty values dropped), JSON-safe.

    >>> region_metadata({"issuer": "嵊泗县人民政府办公室", "encoding": "utf-8", "title": None})
    {'issuer': '嵊泗县人民政府办公室'}
    """
    if not meta:
        return {}
    out: Dict[str, Any] = {}
    for key in (METADATA_REGION_KEY, *METADATA_HINT_KEYS):
        value = meta.get(key)
        if value:
            out[key] = dict(value) if isinstance(value, Mapping) else str(value)
    return out


def document_region(
    text: str,
    *,
    option: Any = None,
    meta: Optional[Mapping[str, Any]] = None,
    divisions: DivisionsArg = "default",
) -> Optional[Region]:
    """The one resolution of a document's county.

    1. ``option`` (the pipeline's ``region``: name, adcode or dict) wins, normalised through
       the divisions (``source="option"``);
    2. else the county the text names (:func:`text_region`), unless the input's metadata
       (:func:`metadata_region`) names another one: the metadata is what the user knows about
       the document, so it wins a disagreement and fills a gap (``source="metadata"``);
       when both name the same county the source is ``text``.

    >>> document_region("没有地名", meta={"region": "乙县"}, divisions=None).record()
    {'name': '乙县', 'adcode': None}
    >>> document_region("没有地名", divisions=None) is None
    True
    """
    div = divisions_of(divisions)
    if option:
        return normalise_region(option, div, text=text, source="option")
    found = text_region(text, div)
    from_meta = metadata_region(meta, div)
    if from_meta is not None and (found is None or found.record() != from_meta.record()):
        return from_meta
    return found


def resolve_region(
    doc_text: str,
    region: Any = None,
    *,
    divisions: DivisionsArg = "default",
) -> Optional[Dict[str, Optional[str]]]:
    """``{"name": "嵊泗县", "adcode": "330922"}`` or None: :func:`document_region` of a text
    (and a ``region`` option) as a record's ``meta.region``."""
    found = document_region(doc_text, option=region, divisions=divisions)
    return found.record() if found else None


def _scored(doc_text: str, div: Optional[Divisions]) -> Optional[Dict[str, Optional[str]]]:
    if div is None or not doc_text:
        return None
    scores: Dict[str, float] = {}
    names, keys = _county_names(div)
    # a cheap, exact pre-filter for ``name in doc_text``: the name's first two characters
    # are a bigram of the text
    for k in _bigram_hits(doc_text, keys):
        name, codes = names[k]
        if name not in doc_text:
            continue
        for c in codes:
            s = 0.0
            for m in re.finditer(re.escape(name), doc_text):
                if m.start() > 0 and doc_text[m.start() - 1] in VERB_CONTEXT:
                    continue  # 要会同县督查落实办: 会同 is the verb, not the county
                s += 1
                if m.start() < HEAD_CHARS:
                    s += 3
                if _GOV_AFTER.match(doc_text, m.end()) or _GOV_AFTER.match(doc_text, m.end() - 1):
                    s += 2
            if s < MIN_EVIDENCE:
                continue
            short = div.counties[c]["short"]
            if short and len(short) >= 2:
                s += 0.2 * min(10, doc_text.count(short) - doc_text.count(name))
            pref = div.prefectures.get(div.counties[c]["prefecture"])
            if pref:
                if pref["name"] in doc_text or (
                    len(pref["short"]) >= 2 and pref["short"] in doc_text
                ):
                    s += 1.5
                prov = div.provinces.get(pref["province"])
                if prov and (prov["name"] in doc_text or prov["short"] in doc_text):
                    s += 1
            scores[c] = s
    if not scores and _speaks_as_county(doc_text):
        scores = _short_name_scores(doc_text, div)
    if not scores:
        return None
    code = max(scores, key=lambda c: (scores[c], c))
    name = div.counties[code]["name"]
    if _above_county(doc_text, name):
        return None
    return {"name": name, "adcode": code}


_CITY_VOICE = ("我市", "本市", "全市")
_COUNTY_VOICE = ("我县", "我区", "本县", "本区", "全县", "全区", "我旗", "全旗")


def _above_county(doc_text: str, county: str) -> bool:
    """A city's document that names one of its districts or counties (青岛市…崂山区政府负责) is
    not that county's: it speaks as the city (我市, 全市) and never as a county (我区, 全县), and
    the county is not in its head. (A county-level city says 我市 too: only 区 and 县 names.)

    >>> _above_county(
    ...     "为加快推进我市人工智能产业发展" + "……" * 100 + "全市……由崂山区政府负责", "崂山区"
    ... )
    True
    >>> _above_county("崂山区人民政府关于……全区……我市", "崂山区")
    False
    """
    if not county.endswith(("区", "县")) or county in doc_text[: HEAD_CHARS // 2]:
        return False
    city = sum(doc_text.count(w) for w in _CITY_VOICE)
    return city >= 2 and not any(w in doc_text for w in _COUNTY_VOICE)


def _pair_key(pair: str) -> int:
    """Two characters as one integer (what :func:`_bigram_hits` compares)."""
    return (ord(pair[0]) << 21) | ord(pair[1])


def _bigram_hits(text: str, keys: "_Keys") -> List[int]:
    """The indices, ascending, of the :func:`_pair_key` keys whose two characters occur side
    by side in ``text`` (all the text's bigrams at once, as integers, instead of a set of
    strings), looked up in the keys' distinct values (sorted once).

    >>> _bigram_hits("嵊泗县人民政府", _Keys(np.array([_pair_key("县政"), _pair_key("泗县")] * 2)))
    [1, 3]
    """
    if len(text) < 2 or not len(keys.distinct):
        return []
    uniq = keys.distinct
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # only where the first character can start a key and the second can end one (a dense
    # table of the BMP each; characters above it always pass) is a bigram looked up
    low = codes & 0xFFFF
    astral = codes > 0xFFFF
    at_pos = np.flatnonzero((keys.first[low] | astral)[:-1] & (keys.second[low] | astral)[1:])
    if not len(at_pos):
        return []
    wide = codes.astype(np.int64)
    grams = (wide[at_pos] << 21) | wide[at_pos + 1]
    at = np.minimum(np.searchsorted(uniq, grams), len(uniq) - 1)
    present = np.zeros(len(uniq), dtype=bool)
    present[at[uniq[at] == grams]] = True
    return np.flatnonzero(present[keys.inverse]).tolist()


class _Keys:
    """:func:`_pair_key` keys with their distinct values, sorted, and each key's index in them
    (``np.unique(keys, return_inverse=True)``), and which characters begin and end a key,
    computed once."""

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = keys
        uniq, inverse = np.unique(keys, return_inverse=True)
        self.distinct = uniq
        self.inverse = inverse.reshape(-1)
        # the BMP characters that begin / end a key (astral ones are not tabled)
        heads, tails = uniq >> 21, uniq & ((1 << 21) - 1)
        self.first = np.zeros(0x10000, dtype=bool)
        self.first[heads[heads <= 0xFFFF]] = True
        self.second = np.zeros(0x10000, dtype=bool)
        self.second[tails[tails <= 0xFFFF]] = True


def _county_names(div: Divisions) -> Tuple[List[Tuple[str, List[str]]], _Keys]:
    """The full county names :func:`_scored` looks for (``name → codes`` of the divisions,
    generic and two-character names left out) and their first two characters' keys, once per
    divisions."""
    found = div.__dict__.get("_region_county_names")
    if found is None:
        names = [
            (name, codes)
            for name, codes in div.county_by_name.items()
            if name not in GENERIC_COUNTY_NAMES and len(name) >= 3
        ]
        keys = np.array([_pair_key(name) for name, _ in names], dtype=np.int64)
        found = div.__dict__["_region_county_names"] = (names, _Keys(keys))
    return found


def _short_names(div: Divisions) -> Tuple[List[Tuple[str, Dict[str, Any]]], _Keys]:
    """The counties :func:`_short_name_scores` looks for (short name of two characters or more,
    not a generic name) and their short names' first two characters' keys, once per divisions."""
    found = div.__dict__.get("_region_short_names")
    if found is None:
        counties = [
            (c, rec)
            for c, rec in div.counties.items()
            if len(rec["short"]) >= 2 and rec["name"] not in GENERIC_COUNTY_NAMES
        ]
        keys = np.array([_pair_key(rec["short"]) for _, rec in counties], dtype=np.int64)
        found = div.__dict__["_region_short_names"] = (counties, _Keys(keys))
    return found


def _best(text: str, codes, div: Divisions) -> Optional[Dict[str, Optional[str]]]:
    def score(c: str) -> float:
        pref = div.prefectures.get(div.counties[c]["prefecture"])
        s = 0.0
        if pref and (pref["name"] in text or pref["short"] in text):
            s += 2
            prov = div.provinces.get(pref["province"])
            if prov and (prov["name"] in text or prov["short"] in text):
                s += 1
        return s

    ranked = sorted(codes, key=lambda c: (-score(c), c))
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
        return None
    c = ranked[0]
    return {"name": div.counties[c]["name"], "adcode": c}


#: How a county's own text speaks of itself (我县, 全区, 县委, 区政府), not 健全县级, 市县人民政府,
#: 特别行政区政府 or 自治区政府 as national texts do.
_COUNTY_FIRST_PERSON = re.compile(r"(?:我|本)[县区旗](?![级域])")
_COUNTY_SPEECH = re.compile(
    r"(?<![健齐安周完])全[县区旗](?![级域])|(?<![省市、特政治地社])[县区旗](?:委|政府|人民政府|直属|人大|政协)"
)
#: How often a text names its county's bodies (全县, 县委…) to speak as one, without 我县: a
#: national report that once tells of 一个县的县委…全县企业 does not.
MIN_COUNTY_SPEECH = 3


def _speaks_as_county(text: str) -> bool:
    """Whether a text speaks as a county (我县, 全区, 县委, 区政府…): only then can a short name
    alone (象山) name its county. A national or provincial text says 和平 (和平共处), 合作 and
    共和 (共和国) and names provinces, never 我县.

    >>> _speaks_as_county("我县象山渔业"), _speaks_as_county("县委……全县……县政府")
    (True, True)
    >>> _speaks_as_county("和平共处……健全县级财力"), _speaks_as_county("县委统一领导全县企业")
    (False, False)
    """
    if _COUNTY_FIRST_PERSON.search(text):
        return True
    found = 0
    for _ in _COUNTY_SPEECH.finditer(text):
        found += 1
        if found >= MIN_COUNTY_SPEECH:
            return True
    return False


def _short_name_scores(text: str, div: Divisions) -> Dict[str, float]:
    """Fallback when no full county name is found, in a text that speaks as a county: frequent
    short names (象山 ×5) whose prefecture or province is also named (宁波)."""
    out: Dict[str, float] = {}
    counties, keys = _short_names(div)
    for k in _bigram_hits(text, keys):
        c, rec = counties[k]
        short = rec["short"]
        if short not in text:
            continue
        n = text.count(short)
        if n < MIN_SHORT:
            continue
        pref = div.prefectures.get(rec["prefecture"])
        prov = div.provinces.get(pref["province"]) if pref else None
        ctx = any(
            x and len(x) >= 2 and x in text
            for x in (
                pref and pref["name"],
                pref and pref["short"],
                prov and prov["name"],
                prov and prov["short"],
            )
        )
        if ctx and (not pref or pref["short"] != short):
            out[c] = float(n)
    if len(out) > 1:
        top = sorted(out.values(), reverse=True)
        if top[0] == top[1]:
            return {}
    return out


_LEVEL_USE = re.compile(
    r"(?<![城社园景小辖地片街新郊山库牧矿全本我各该外跨市县乡村集湾港省州盟旗镇自])([县区旗])(?:委|政府|人民政府|直|属|人大|政协|级)"
)


def document_level_word(doc_text: str) -> Optional[str]:
    """The county-level word a document uses for its own bodies (区委, 区直…), when its county is
    unknown: the most frequent of 县/区/旗 before a government word, or None.

    >>> document_level_word("区委区政府召开会议，区直各单位参加。县政府")
    '区'
    """
    counts: Dict[str, int] = {}
    for m in _LEVEL_USE.finditer(doc_text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return max(counts, key=lambda w: (counts[w], w)) if counts else None
