"""Which county a document is about: name + adcode, from title, issuer and text."""

from __future__ import annotations

import re
from typing import Any, Dict, Optional

from .divisions import GENERIC_COUNTY_NAMES, Divisions, DivisionsNotFound, load_divisions

_GOV_AFTER = re.compile(r"(人民政府|政府|委员会|县委|市委|区委|党委|人大|政协)")
HEAD_CHARS = 400
#: a county name right after one of these is a verb phrase (要会同县督查落实办…), not the county
VERB_CONTEXT = set("要并请由应将须需可均已再还也都积极主动负责牵头")
#: a full county name must be in the head, before a government word, or occur 3 times
MIN_EVIDENCE = 3
#: short names (象山) alone: at least this many occurrences plus the prefecture or province
MIN_SHORT = 3


def _divisions(divisions: Optional[Divisions]) -> Optional[Divisions]:
    if divisions is not None:
        return divisions
    try:
        return load_divisions()
    except DivisionsNotFound:
        return None


def resolve_region(
    doc_text: str,
    region: Any = None,
    *,
    divisions: Optional[Divisions] = None,
) -> Optional[Dict[str, Optional[str]]]:
    """``{"name": "嵊泗县", "adcode": "330922"}`` or None.

    ``region`` (name, adcode or dict) wins when given and is normalised through the
    divisions. Otherwise every county-level full name found in the text is scored:
    +1 per occurrence, +3 when it is in the first 400 characters (title, issuer,
    index number) and +2 when followed by a government word (人民政府, 县委…);
    ties are broken by the county's prefecture/province names occurring in the
    text. Short names (嵊泗) only help a county already found by its full name.
    """
    div = _divisions(divisions)
    if region:
        if isinstance(region, dict):
            name, code = region.get("name"), region.get("adcode")
        elif str(region).isdigit():
            name, code = None, str(region)
        else:
            name, code = str(region), None
        if div is not None:
            if code and div.county(code):
                return {"name": div.county(code)["name"], "adcode": str(code)[:6]}
            if name:
                hits = div.find_county(name)
                if len(hits) == 1:
                    return {"name": div.counties[hits[0]]["name"], "adcode": hits[0]}
                if len(hits) > 1:
                    best = _best(doc_text, hits, div)
                    if best:
                        return best
        return {"name": name, "adcode": code}
    if div is None or not doc_text:
        return None
    scores: Dict[str, float] = {}
    grams = _bigrams(doc_text)  # a cheap, exact pre-filter for ``name in doc_text``
    for name, codes in div.county_by_name.items():
        if (
            name in GENERIC_COUNTY_NAMES
            or len(name) < 3
            or name[:2] not in grams
            or name not in doc_text
        ):
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
    if not scores:
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

    >>> _above_county("为加快推进我市人工智能产业发展" + "……" * 100 + "全市……由崂山区政府负责", "崂山区")
    True
    >>> _above_county("崂山区人民政府关于……全区……我市", "崂山区")
    False
    """
    if not county.endswith(("区", "县")) or county in doc_text[: HEAD_CHARS // 2]:
        return False
    city = sum(doc_text.count(w) for w in _CITY_VOICE)
    return city >= 2 and not any(w in doc_text for w in _COUNTY_VOICE)


def _bigrams(text: str) -> set:
    """Every two-character substring of ``text``."""
    return set(map(str.__add__, text, text[1:]))


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


def _short_name_scores(text: str, div: Divisions) -> Dict[str, float]:
    """Fallback when no full county name is found: frequent short names (象山 ×5) whose
    prefecture or province is also named (宁波)."""
    out: Dict[str, float] = {}
    grams = _bigrams(text)
    for c, rec in div.counties.items():
        short = rec["short"]
        if (
            len(short) < 2
            or rec["name"] in GENERIC_COUNTY_NAMES
            or short[:2] not in grams
            or short not in text
        ):
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
