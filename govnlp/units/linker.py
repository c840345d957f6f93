"""Find and link government-unit mentions in one work item's text (pure functions).

>>> from govnlp.units.gazetteer import Gazetteer
>>> gaz = Gazetteer.default(divisions=None)
>>> units = find_units("推进清洁能源。\\n责任单位:县发改局、县经信局", gaz, region="嵊泗县")
>>> [(u["text"], u["role"], u["canonical"]) for u in units]
[('县发改局', 'responsible', '县发展和改革局'), ('县经信局', 'responsible', '县经济和信息化局')]
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ..textnorm import PINYIN_GLOSS, to_simplified
from .gazetteer import BRANCH_SUFFIXES, Gazetteer, GazetteerView
from .names import (
    _is_cjk,
    _member_title_after,
    after_boundary_chars,
    boundary_starts,
    fuzzy_match,
    grammar,
    name_candidates,
)

ROLE_LABELS = {
    "责任单位": "responsible",
    "责任处室": "responsible",
    "承办单位": "responsible",
    "责任部门": "responsible",
    "主办单位": "responsible",
    "主责单位": "responsible",
    "牵头单位": "lead",
    "牵头部门": "lead",
    "配合单位": "cooperating",
    "协办单位": "cooperating",
    "配合部门": "cooperating",
}
LABEL_RE = re.compile("(" + "|".join(sorted(ROLE_LABELS, key=len, reverse=True)) + r")\s*[:：]")
#: a bracketed note closing a sentence (after 。 or at a line end) that may list the task's bodies
#: the closing verb of a duty note's clause → the role of the bodies before it
DUTY_NOTE_ROLES = {
    "负责": "responsible",
    "牵头": "lead",
    "配合": "cooperating",
    "协助": "cooperating",
    "参与": "cooperating",
}
DUTY_NOTE_TAIL_RE = re.compile(
    r"(?:按职责分工|按职责|分别|共同)?(?:牵头)?负责$|(?:分别|共同)?(?:牵头|配合|协助|参与)$"
)
DUTY_NOTE_RE = re.compile(
    r"(?<=[。；;])[ \t\u3000]*[（(]([^（）()\n]{2,80})[）)][ \t\u3000]*(?=\n|$)"
)
NOTE_RE = re.compile(r"[（(]([^（）()\n]{2,80}?)[）)]")
TITLE_RE = re.compile(r"《[^《》\n]*》")
LEVEL_CHARS = "县市区省镇乡旗"
#: a level word preceded by one of these is part of another word (城市, 社区, 全县, 省市县…)
PREV_BLOCK = set("城都社园景小辖地片街新郊山库牧矿全本我各该外跨市县乡村集湾港区省州盟旗镇自")
FUNCTION_CHARS = set("由各和与及向对经在将请据从被、，,；;：:（(")
MEETING_RE = re.compile(
    r"(?:\d{4}年)?(?:第?[一二三四五六七八九十百\d]+(?:届|次)[、，,]?)*"
    r"([\u4e00-\u9fff]{0,10}?)(?:全体会议|常务会议|会议|大会|例会|全委会|全会|常委会|座谈会|推进会|工作会|联席会)"
)
MEETING_VERBS = (
    "召开",
    "组织",
    "举办",
    "参加",
    "出席",
    "主持",
    "牵头",
    "配合",
    "负责",
    "关于",
    "提交",
    "汇报",
)
#: characters that cannot occur inside a meeting name right after the body (向大会报告, 及其常委会)
MEETING_BREAK = set("，,、。；向在对给于和及与其同把将为根据按照依")
MEMBER_TITLE_RE = re.compile(r"(?:委员(?!会)|代表(?!大会)|副?书记|常委(?!会)|党员)")
MEMBERS_RE = re.compile(r"(?:其他|各)?成员单位")
TWP_RE = re.compile(r"(?:镇|乡|街道)(?:人民政府|政府|办事处)")
LIST_SEP = "、，,；;/ \t\u3000[]【】"
CONNECTORS = ("以及", "和", "及", "与", "等单位", "等部门", "等")
#: a list ending in 分别牵头 / 牵头: every unit of it leads
LEAD_TAIL_RE = re.compile(r"(?:分别|共同|联合)?牵头(?:负责)?$")
#: pieces of a 责任处室 list, or pieces ending so, without a level word: the issuer's own divisions
OWN_DIVISION_RE = re.compile(r"^(?:办公室|综合科|[\u4e00-\u9fff]{1,10}(?:科|股|处|室))$")

Unit = Dict[str, Any]


def _as_view(gaz: Union[Gazetteer, GazetteerView], region: Any) -> GazetteerView:
    return gaz if isinstance(gaz, GazetteerView) else gaz.view(region)


def _key_prefixes_of(view: GazetteerView, table: Dict[str, Any]) -> frozenset:
    """Every non-empty prefix of the keys of one of ``view``'s tables, found once per table (a
    view's tables do not change: a gazetteer given more records makes new views).

    >>> from govnlp.units.gazetteer import Gazetteer
    >>> view = Gazetteer.default(divisions=None).view("嵊泗县")
    >>> prefixes = _key_prefixes_of(view, view.table)
    >>> "县委" in view.table and "县" in prefixes and "县委" in prefixes
    True
    >>> all(k[:n] in prefixes for k in view.table for n in range(1, len(k) + 1))
    True
    """
    found = view.__dict__.setdefault("_key_prefixes_of", {})
    hit = found.get(id(table))
    if hit is None or hit[0] is not table:
        prefixes = frozenset(k[:n] for k in table for n in range(1, len(k) + 1))
        hit = found[id(table)] = (table, prefixes)
    return hit[1]


class _Scanner:
    def __init__(
        self,
        text: str,
        view: GazetteerView,
        lookup: Optional[List[int]] = None,
        after: Optional[List[int]] = None,
    ) -> None:
        self.text = text
        self.view = view
        #: :func:`after_boundary_chars` of the text, when the document's lookup gave them
        self.after = after
        self.titles = [(m.start(), m.end()) for m in TITLE_RE.finditer(text)]
        self.twp = self._township_candidates()
        self._lookup_starts = lookup

    def lookup_starts(self) -> List[int]:
        """:func:`lookup_starts` of the text, computed once per scanner (unless given)."""
        if self._lookup_starts is None:
            self._lookup_starts = lookup_starts(self.text, self.view)
        return self._lookup_starts

    def in_title(self, s: int) -> bool:
        return any(a <= s < b for a, b in self.titles)

    def _township_candidates(self) -> Dict[int, Tuple[int, Dict[str, Any]]]:
        """Township governments of any county known to the divisions (by start offset)."""
        out: Dict[int, Tuple[int, Dict[str, Any]]] = {}
        div = self.view.gaz.divisions
        if div is None:
            return out
        t = self.text
        for m in TWP_RE.finditer(t):
            kind_end = m.start() + (2 if t.startswith("街道", m.start()) else 1)
            for ln in range(6, 0, -1):
                s = m.start() - ln
                if s < 0:
                    continue
                name = t[s:kind_end]
                counties = div.township_counties.get(name)
                if not counties:
                    continue
                own = self.view.adcode in counties if self.view.adcode else False
                code = self.view.adcode if own else (counties[0] if len(counties) == 1 else None)
                scope = "local" if (own or not self.view.adcode) else "other"
                link = GazetteerView.township_link(name, code, scope)
                if code is None:
                    link["id"] = f"div:?:{name}"
                out.setdefault(s, (m.end(), link))
                break
        # bare names of the county's own townships in a list or a table cell (黄茅镇、株潭镇、…)
        for name in self.view.townships:
            if len(name) < 3:
                continue
            s = t.find(name)
            while s >= 0:  # every occurrence, not overlapping (as re.finditer would find them)
                e = s + len(name)
                before = t[s - 1] if s else "\n"
                after = t[e] if e < len(t) else "\n"
                listed = (
                    before in "、（(\n|：:"
                    and after in "、，,）)|\n等"
                    and (before == "、" or after in "、等")
                )
                cell = before == "\n" and after in " |\n"
                if (listed or cell) and s not in out:
                    out[s] = (e, GazetteerView.township_link(name, self.view.adcode, "local"))
                s = t.find(name, e)
        return out

    def match_at(self, i: int) -> Optional[Tuple[int, int, Dict[str, Any]]]:
        """Best (start, end, link) starting at ``i``."""
        t, v = self.text, self.view
        best: Optional[Tuple[int, int, Dict[str, Any]]] = None
        # place-prefixed: 宁波市委, 嵊泗县人民政府, 浙江省教育厅, 内蒙古自治区党委
        pl = v.place_trie.longest(t, i)
        if pl:
            kind, code = v.places[t[i : i + pl]]
            table, scope = v.table_for_place(kind, code)
            prefixes = _key_prefixes_of(v, table)
            for k in (pl - 3, pl - 2, pl - 1, pl):
                if k < 1:
                    continue
                # no key starting at i + k is longer than the text there that begins a key
                a, top = i + k, 0
                lim = min(40, len(t) - a)
                while top < lim and t[a : a + top + 1] in prefixes:
                    top += 1
                for ln in range(top, 0, -1):
                    if i + k + ln <= i + pl:
                        break
                    link = table.get(t[i + k : i + k + ln])
                    if link is not None:
                        if best is None or i + k + ln > best[1]:
                            lk = dict(link)
                            if scope != "local" or lk["scope"] == "local":
                                lk["scope"] = scope if lk["scope"] != "upper" else "upper"
                            if scope == "other" and lk.get("type") == "government":
                                # another county's government is named by its place, like a
                                # township's (崂山区政府 → 崂山区人民政府)
                                place = t[i : i + pl]
                                lk["canonical"] = (
                                    place[:-1] + lk["canonical"]
                                    if place[-1:] == lk["canonical"][:1]
                                    else place + lk["canonical"]
                                )
                            best = (i, i + k + ln, lk)
                        break
        ln = v.trie.longest(t, i)
        if ln and (best is None or i + ln > best[1]):
            best = (i, i + ln, dict(v.table[t[i : i + ln]]))
        if i in self.twp and (best is None or self.twp[i][0] > best[1]):
            best = (i, self.twp[i][0], dict(self.twp[i][1]))
        if best is not None:
            best = self.members_suffix(self._branch(best))
        return best

    def _branch(self, m: Tuple[int, int, Dict[str, Any]]) -> Tuple[int, int, Dict[str, Any]]:
        """市生态环境局嵊泗分局: an upper body + the county's name + 分局/分中心/…"""
        s, e, link = m
        if link["level"] not in ("prefecture", "province", "national"):
            return m
        t = self.text
        names = list(self.view.own_place_names)
        for name in names or [None]:
            if name is None:
                mm = re.match(
                    r"[\u4e00-\u9fff]{2,4}?(" + "|".join(BRANCH_SUFFIXES) + ")", t[e : e + 8]
                )
                if not mm:
                    continue
                pe, suf = e + mm.end(), mm.group(1)
            else:
                if not t.startswith(name, e):
                    continue
                suf = next((x for x in BRANCH_SUFFIXES if t.startswith(x, e + len(name))), None)
                if suf is None:
                    continue
                pe = e + len(name) + len(suf)
            lk = dict(link)
            lk.update(
                id=f"{link['id']}/branch",
                canonical=link["canonical"] + suf,
                type="branch",
                scope="local" if self.view.adcode or name else "local",
                members=[],
            )
            return (s, pe, lk)
        return m

    def members_suffix(self, m: Tuple[int, int, Dict[str, Any]]) -> Tuple[int, int, Dict[str, Any]]:
        """县平安办成员单位: the members of a group, as a collective."""
        s, e, link = m
        mm = MEMBERS_RE.match(self.text, e)
        if not mm:
            return m
        lk = dict(link)
        lk.update(
            id=f"{link['id']}/members",
            canonical=link["canonical"] + "成员单位",
            type="collective",
            members=[],
        )
        return (s, mm.end(), lk)

    def rejected(self, s: int, e: int, link: Dict[str, Any], in_list: bool) -> bool:
        t = self.text
        if self.in_title(s):
            return True
        prev = t[s - 1] if s > 0 else ""
        if t[s] in LEVEL_CHARS and prev in PREV_BLOCK:
            return True
        if (
            link["id"].startswith("tpl:township:")
            and prev
            and _is_cjk(prev)
            and prev not in FUNCTION_CHARS
        ):
            return True
        if t[e - 1 : e + 1] == "部门":
            return True  # 财政部门: a kind of department, not the ministry
        if in_list:
            return False
        after = t[e : e + 16]
        if MEMBER_TITLE_RE.match(after) or _member_title_after(t, e):
            return True  # 县委书记, 政协委员: a person; 县政府县长… still names the government
        mm = MEETING_RE.match(after)
        if (
            mm
            and not any(vb in mm.group(0) for vb in MEETING_VERBS)
            and not (set(mm.group(1)) & MEETING_BREAK)
        ):
            return True
        return False


def _record(
    text: str,
    s: int,
    e: int,
    link: Optional[Dict[str, Any]],
    role: str,
    upper_words: str = "省",
    level_word: str = "县",
) -> Unit:
    """A unit record for the matched (simplified) name ``text[s:e]``; offsets are ``s``/``e``
    until the caller maps them to the document."""
    surf = text[s:e]
    if link is None:
        return {
            "start": s,
            "end": e,
            "text": surf,
            "role": role,
            "id": None,
            "canonical": _nil_canonical(surf, level_word),
            "nil": True,
            "scope": "upper" if surf[:1] in upper_words else "local",
            "members": [],
            "link_score": None,
        }
    if link.get("as_written"):
        # a county's own company, known by its brand name only: reported as written (spec v2)
        return {
            "start": s,
            "end": e,
            "text": surf,
            "role": role,
            "id": None,
            "canonical": surf,
            "nil": True,
            "scope": link["scope"],
            "members": [],
            "link_score": None,
        }
    canonical = (
        _collective_as_written(surf) if link.get("type") == "collective" else link["canonical"]
    )
    return {
        "start": s,
        "end": e,
        "text": surf,
        "role": role,
        "id": link["id"],
        "canonical": canonical,
        "nil": False,
        "scope": link["scope"],
        "members": list(link.get("members") or []),
        "link_score": link.get("link_score", 1.0),
    }


def _nil_canonical(surface: str, level_word: str) -> str:
    """An unknown body's canonical: its text, with 政府 written out (县政府督查室 →
    县人民政府督查室), the document's level word before a bare 政府 (政府督查室) and a zone's
    管委会 written out (太湖经济开发区管委会 → …管理委员会: the standard name).

    >>> _nil_canonical("太湖经济开发区管委会", "县"), _nil_canonical("政府督查室", "县")
    ('太湖经济开发区管理委员会', '县人民政府督查室')
    """
    if surface.startswith("政府") and len(surface) > 2:
        surface = level_word + surface
    surface = re.sub(r"(?<=.)管委会$", "管理委员会", surface)  # a bare 管委会 stays as written
    return re.sub(r"^([县区市镇乡])政府(?=.)", r"\1人民政府", surface)


def _collective_as_written(surface: str) -> str:
    """A collective's canonical is its text as written, without the place name (spec v2):
    ``各乡镇人民政府（街道办事处）`` stays so; the place before the level word goes."""
    m = re.match(
        r"^(?!各)[\u4e00-\u9fff]{2,6}?(?=[县区市](?:直|属|政府|委|各|有关|级|人民政府))", surface
    )
    return surface[m.end() :] if m and m.end() < len(surface) - 1 else surface


def _elided(
    sc: _Scanner, i: int, prev: Optional[Tuple[int, int, Dict[str, Any]]]
) -> Optional[Tuple[int, int, Dict[str, Any]]]:
    """县法院、检察院: the level word of the previous mention is left out."""
    if prev is None or prev[1] != i - 1 or sc.text[i - 1] != "、":
        return None
    v, t = sc.view, sc.text
    lvl = prev[2]["level"]
    word = t[prev[0]] if t[prev[0]] in "县市区省旗" else None
    if word is None:
        canon = prev[2]["canonical"]
        word = canon[0] if canon[:1] in "县市区省旗" else None
    if word is None or lvl not in ("county", "prefecture", "province"):
        return None
    table = (
        v.table
        if lvl == "county"
        else (v.prefecture_table if lvl == "prefecture" else v.province_table)
    )
    for ln in range(min(30, len(t) - i), 1, -1):
        link = table.get(word + t[i : i + ln])
        if link is not None and not link["id"].startswith("tpl:township"):
            lk = dict(link)
            if lvl != "county":
                lk["scope"] = "upper"
            else:
                lk["scope"] = prev[2]["scope"]
            return (i, i + ln, lk)
    return None


def _key_prefixes(view: GazetteerView) -> Tuple[frozenset, frozenset]:
    """The one-character keys and the two-character prefixes of the keys of the view's tries:
    a lookup at ``i`` can only match where ``text[i]`` or ``text[i:i+2]`` is one of them."""
    found = view.__dict__.get("_key_prefixes")
    if found is None:
        singles, pairs = set(), set()
        for trie in (view.trie, view.place_trie):
            for a, node in trie.root.items():
                if "\0" in node:
                    singles.add(a)
                pairs.update(a + b for b in node if b != "\0")
        found = view.__dict__["_key_prefixes"] = (frozenset(singles), frozenset(pairs))
    return found


def _prefix_keys(view: GazetteerView) -> Tuple[np.ndarray, np.ndarray]:
    """:func:`_key_prefixes` as sorted integer arrays, once per view: the one-character keys'
    code points, the two-character prefixes' as ``first << 21 | second``."""
    found = view.__dict__.get("_prefix_keys")
    if found is None:
        singles, pairs = _key_prefixes(view)
        found = view.__dict__["_prefix_keys"] = (
            np.array(sorted(map(ord, singles)), dtype=np.int64),
            np.array(sorted((ord(p[0]) << 21) | ord(p[1]) for p in pairs), dtype=np.int64),
        )
    return found


def _prefix_tables(view: GazetteerView) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Over the BMP, once per view: which characters begin a two-character prefix of
    :func:`_prefix_keys`, which end one, and which are one-character keys (dense boolean
    arrays; astral characters are not tabled)."""
    found = view.__dict__.get("_prefix_tables")
    if found is None:
        singles, pairs = _prefix_keys(view)
        tables = [np.zeros(0x10000, dtype=bool) for _ in range(3)]
        for table, chars in zip(tables, (pairs >> 21, pairs & ((1 << 21) - 1), singles)):
            table[chars[chars <= 0xFFFF]] = True
        found = view.__dict__["_prefix_tables"] = tuple(tables)
    return found


def _sorted_members(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in the sorted array ``table``."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values


class DocumentLookup:
    """Every offset of a document's matching text where a lookup (:meth:`_Scanner.match_at`)
    can find a key of the view's tries: ``text[k]`` is a one-character key or ``text[k:k+2]``
    the start of a longer one, tested for all offsets at once on the code points, once per
    document; :meth:`within` gives an item's share (a slice of the text), as
    :func:`lookup_starts` of the slice would find it.

    >>> from govnlp.units.gazetteer import Gazetteer
    >>> view = Gazetteer.default(divisions=None).view("嵊泗县")
    >>> lookup = DocumentLookup("请县发改局牵头", view)
    >>> lookup.within(0, 7), lookup.within(1, 7), lookup.within(0, 2)  # 县 alone is no key
    ([1], [0], [])
    """

    def __init__(self, text: str, view: GazetteerView) -> None:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        singles, pairs = _prefix_keys(view)
        first, second, single_bmp = _prefix_tables(view)
        low = codes & 0xFFFF
        astral = codes > 0xFFFF
        wide = codes.astype(np.int64)
        # BMP characters through dense tables; astral ones (and the pairs whose two characters
        # can begin and end a pair) through the sorted arrays
        self.single = single_bmp[low] & ~astral
        far = np.flatnonzero(astral)
        if len(far):
            self.single[far] = _sorted_members(wide[far], singles)
        hit = self.single.copy()
        maybe = np.flatnonzero((first[low] | astral)[:-1] & (second[low] | astral)[1:])
        if len(maybe):
            grams = (wide[maybe] << 21) | wide[maybe + 1]
            hit[maybe] |= _sorted_members(grams, pairs)
        self.starts: List[int] = np.flatnonzero(hit).tolist()
        self._codes = codes
        self._after: Optional[List[int]] = None

    def after_within(self, s: int, e: int) -> List[int]:
        """:func:`after_boundary_chars` of the slice ``[s, e)`` of the text, relative to ``s``
        (found for the whole text once).

        >>> from govnlp.units.gazetteer import Gazetteer
        >>> view = Gazetteer.default(divisions=None).view()
        >>> lookup = DocumentLookup("请县发改局、县财政局牵头", view)
        >>> lookup.after_within(0, 12), lookup.after_within(2, 7), lookup.after_within(6, 12)
        ([6], [4], [])
        """
        if self._after is None:
            self._after = after_boundary_chars(self._codes)
        a = bisect.bisect_left(self._after, s + 1)
        b = bisect.bisect_left(self._after, e + 1, a)
        return [k - s for k in self._after[a:b]]

    def within(self, s: int, e: int) -> List[int]:
        """The offsets in ``[s, e)``, relative to ``s``: the last character of the slice only
        when it is a one-character key (the pair it starts ends outside the slice)."""
        a = bisect.bisect_left(self.starts, s)
        b = bisect.bisect_left(self.starts, e, a)
        if b > a and self.starts[b - 1] == e - 1 and not self.single[e - 1]:
            b -= 1
        return [k - s for k in self.starts[a:b]]


def lookup_starts(text: str, view: GazetteerView) -> List[int]:
    """:class:`DocumentLookup` offsets of ``text`` alone, sorted.

    >>> from govnlp.units.gazetteer import Gazetteer
    >>> view = Gazetteer.default(divisions=None).view("嵊泗县")
    >>> lookup_starts("请县发改局牵头", view)
    [1]
    """
    return DocumentLookup(text, view).within(0, len(text))


def _scan(
    sc: _Scanner, lo: int, hi: int, in_list: bool
) -> List[Tuple[int, int, Optional[Dict[str, Any]]]]:
    out: List[Tuple[int, int, Optional[Dict[str, Any]]]] = []
    i = lo
    prev = None
    twp = sc.twp
    # only where a mention can start (a first character of the view's tries, a township) or
    # right after a mention and its 、 (an elided level word) does anything happen: the scan
    # jumps from one such position to the next
    found = sc.lookup_starts()
    starts = found[bisect.bisect_left(found, lo) : bisect.bisect_left(found, hi)]
    townships = [k for k in twp if lo <= k < hi]
    if townships:
        starts = sorted(set(starts).union(townships))
    at = 0
    while i < hi:
        at = bisect.bisect_left(starts, i, at)
        nxt = starts[at] if at < len(starts) else hi
        if prev is not None and i <= prev[1] + 1 < nxt:
            nxt = prev[1] + 1
        if nxt >= hi:
            break
        i = nxt
        m = sc.match_at(i) if (at < len(starts) and starts[at] == i) else None
        if m is not None and m[1] <= hi and not sc.rejected(m[0], m[1], m[2], in_list):
            # (县创建办) right after a mention is the same unit's other name
            if (
                out
                and sc.text[i - 1 : i] in "(（"
                and out[-1][1] == i - 1
                and sc.text[m[1] : m[1] + 1] in ")）"
            ):
                i = m[1] + 1
                continue
            out.append(m)
            prev = m
            i = m[1]
            continue
        el = _elided(sc, i, prev) if i > lo else None
        if el is not None and el[1] <= hi:
            out.append(el)
            prev = el
            i = el[1]
            continue
        i += 1
    return out


def _strip_piece(t: str, s: int, e: int) -> Tuple[int, int]:
    while s < e and (t[s] in LIST_SEP or t[s] in "。.)）:："):
        s += 1
    while e > s and t[e - 1] in LIST_SEP + "。.(（":
        e -= 1
    for c in CONNECTORS:
        if t.startswith(c, s) and e - s > len(c) + 1:
            s += len(c)
            break
    for c in ("等单位", "等部门", "等"):
        if t.endswith(c, s, e) and e - s > len(c) + 1:
            e -= len(c)
            break
    return s, e


def cell_role(label: str) -> str:
    """The role of the units in a table column: 牵头(责任)单位 lead, 配合/协同/协办 cooperating,
    other 责任单位-like columns responsible.

    >>> cell_role("牵头责任单位"), cell_role("责任主体与协同单位"), cell_role("责任单位")
    ('lead', 'cooperating', 'responsible')
    """
    if "牵头" in label:
        return "lead"
    if any(w in label for w in ("配合", "协同", "协办")):
        return "cooperating"
    return "responsible"


def _note_depth(t: str, lo: int, pos: int) -> int:
    """Bracket depth at ``pos`` counted from ``lo`` (a note inside a list: ``（…下同）``)."""
    depth = 0
    for ch in t[lo:pos]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth


def _list_nils(
    sc: _Scanner, lo: int, hi: int, found
) -> List[Tuple[int, int, Optional[Dict[str, Any]]]]:
    """Pieces of a role list that the gazetteer does not know: names the grammar reads in them
    (glued names are split), else the whole piece as a NIL unit. Bracketed notes, a trailing
    分别牵头 and the issuer's own divisions (办公室, 政策法规科) are not units."""
    t = sc.text
    out: List[Tuple[int, int, Optional[Dict[str, Any]]]] = []
    cuts = [lo] + [x for m in found for x in (m[0], m[1])] + [hi]
    for a, b in zip(cuts[0::2], cuts[1::2]):
        seg_start = a
        for j in range(a, b + 1):
            if j == b or t[j] in "、，,；;":
                s, e = _strip_piece(t, seg_start, j)
                tail = LEAD_TAIL_RE.search(t, s, e)
                if tail:
                    e = tail.start()
                    s, e = _strip_piece(t, s, e)
                piece = t[s:e]
                wrapped = piece[:1] in "(（" and piece[-1:] in ")）"
                balanced = piece.count("(") + piece.count("（") == piece.count(")") + piece.count(
                    "）"
                )
                if (
                    e - s >= 2
                    and not wrapped
                    and balanced
                    and any(_is_cjk(c) for c in piece)
                    and len(piece) <= 40
                    and piece not in CONNECTORS
                    and _note_depth(t, lo, s) == 0
                    and not OWN_DIVISION_RE.match(piece)
                ):
                    out.extend(_piece_units(sc, s, e))
                seg_start = j + 1
    return out


def _piece_units(sc: _Scanner, s: int, e: int) -> List[Tuple[int, int, Optional[Dict[str, Any]]]]:
    cands = name_candidates(sc.text, s, e, ends=[s])
    if cands and cands[0][0] == s and cands[-1][1] == e:
        return [(a, b, _grammar_link(sc, a, b, kind)) for a, b, kind in cands]
    return [(s, e, None)]


def _grammar_link(sc: _Scanner, s: int, e: int, kind: str) -> Optional[Dict[str, Any]]:
    """A link for a name the grammar found: the organs every county has and known collectives
    through the gazetteer, other level-word names by character overlap with the standard names
    (at or above the threshold, with its score); None: a NIL unit."""
    v, surface = sc.view, sc.text[s:e]
    if surface in v.table:
        return dict(v.table[surface])
    if kind == "implied":
        organ = grammar()["implied_organs"][surface]
        link = v.table.get(v.level_word + organ) or v.table.get(v.level_word + surface)
        return dict(link) if link else None
    if kind == "collective":
        return {
            "id": "collective:" + surface,
            "canonical": surface,
            "type": "collective",
            "level": "county",
            "scope": "upper" if surface.lstrip("各")[:1] == "省" else "local",
            "members": [],
        }
    if kind == "named" and len(surface) >= 5:
        hit = fuzzy_match(surface, _standard_names(v), grammar()["fuzzy_threshold"])
        if hit is not None:
            link, score = hit
            return {**link, "link_score": round(score, 3)}
    if kind == "bare":
        # 城管局 in a 区 document's table: the document's level word makes it a known department
        link = v.table.get(v.level_word + surface)
        if link is not None and link.get("level") == "county" and link.get("type") != "township":
            return dict(link)
    return None


def _standard_names(view: GazetteerView) -> Dict[str, Dict[str, Any]]:
    """Canonical name → link of every standard body the view knows (the fuzzy fallback's
    targets).
    """
    names = view.__dict__.get("_standard_names")
    if names is None:
        names = {}
        for table in (view.table, view.prefecture_table, view.province_table):
            for surface, link in table.items():
                if (
                    surface == link["canonical"]
                    and link.get("type") != "collective"
                    and not link.get("as_written")
                ):
                    names.setdefault(surface, link)
        view.__dict__["_standard_names"] = names
    return names


def _second_chars(view: GazetteerView) -> Dict[str, Tuple[int, ...]]:
    """Characters that follow the level word in the view's county department names (发 of 县发改局):
    where a department named without its level word can start; each with the lengths of those
    names without the level word, longest first (the only lengths worth looking up)."""
    chars = view.__dict__.get("_second_chars")
    if chars is None:
        lw = view.level_word
        lengths: Dict[str, set] = {}
        for k, link in view.table.items():
            if (
                len(k) > 2
                and k[0] == lw
                and link.get("level") == "county"
                and link.get("type") in ("department", "institution")
            ):
                lengths.setdefault(k[1], set()).add(len(k) - 1)
        chars = {ch: tuple(sorted(ns, reverse=True)) for ch, ns in lengths.items()}
        view.__dict__["_second_chars"] = chars
    return chars


def _level_implied(
    sc: _Scanner, lo: int, hi: int, found, boundaries: Optional[Sequence[int]] = None
) -> List[Tuple[int, int, Dict[str, Any]]]:
    """Departments named without their level word where the document implies it (``教育局按照
    要求…`` in a county bureau's report, ``城管局`` in a district's table): the document's level
    word + the name is a county department of the gazetteer."""
    t, v = sc.text, sc.view
    out: List[Tuple[int, int, Dict[str, Any]]] = []
    taken = [(m[0], m[1]) for m in found]
    second = _second_chars(v)
    # positions where a name may start (as _at_boundary says) and a department name can begin
    if boundaries is None:
        boundaries = boundary_starts(t, lo, hi)
    starts = [k for k in boundaries if t[k] in second]
    at = 0
    i = lo
    while i < hi:
        at = bisect.bisect_left(starts, i, at)
        if at == len(starts):
            break
        i = starts[at]
        if any(a <= i < b for a, b in taken):
            i += 1
            continue
        hit = None
        for ln in second[t[i]]:  # the lengths of the names starting so, longest first
            if ln > min(10, hi - i):
                continue
            link = v.table.get(v.level_word + t[i : i + ln])
            if (
                link is not None
                and link.get("level") == "county"
                and link.get("type") in ("department", "institution")
            ):
                hit = (i, i + ln, dict(link))
                break
        if (
            hit
            and not sc.rejected(hit[0], hit[1], hit[2], in_list=False)
            and not any(a < hit[1] and hit[0] < b for a, b in taken)
        ):
            out.append(hit)
            i = hit[1]
            continue
        i += 1
    return out


def _merge_names(
    sc: _Scanner, lo: int, hi: int, found
) -> List[Tuple[int, int, Optional[Dict[str, Any]]]]:
    """Lookup matches plus what the name grammar reads in running text: a longer name wins over
    the lookup match it starts with (县政府督查室 over 县政府); new names are added."""
    t = sc.text
    boundaries = boundary_starts(t, lo, hi, after=sc.after)  # once, for both scans below
    out = list(found) + _level_implied(sc, lo, hi, found, boundaries)
    for s, e, kind in name_candidates(t, lo, hi, ends=[m[1] for m in out], starts=boundaries):
        if sc.in_title(s) or sc.rejected(s, e, {"id": "grammar"}, in_list=False):
            continue
        inside = [m for m in out if m[0] < e and s < m[1]]
        covers = all(s <= m[0] and m[1] <= e for m in inside) and e - s > max(
            (m[1] - m[0] for m in inside), default=0
        )
        # a longer name wins over the lookup match it starts with (县政府督查室 over 县政府); a
        # collective over the names inside it (各区、市教体局 over 市教体局)
        if inside and not (covers and (inside[0][0] == s or kind == "collective")):
            continue
        for m in inside:
            out.remove(m)
        members = MEMBERS_RE.match(t, e)
        if (
            members and members.end() <= hi
        ):  # X工作领导小组其他成员单位: the group's members, as written
            e, kind = members.end(), "collective"
        out.append((s, e, _grammar_link(sc, s, e, kind)))
    return sorted(out, key=lambda x: x[0])


def _list_spans(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, role) of every labelled list (责任单位:…)."""
    spans = []
    labels = list(LABEL_RE.finditer(text))
    for k, m in enumerate(labels):
        lo = m.end()
        hi = len(text)
        nxt = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        hi = min(hi, nxt)
        depth = 0
        for j in range(lo, hi):
            ch = text[j]
            if ch in "\n。":
                hi = j
                break
            if ch in "(（":
                depth += 1
            elif ch in ")）":
                if depth == 0:
                    hi = j
                    break
                depth -= 1
        spans.append((lo, hi, ROLE_LABELS[m.group(1)]))
    # a task's closing note that only lists bodies: …课程体系。（装备信息中心、教科院）
    for m in DUTY_NOTE_RE.finditer(text):
        inner = m.group(1)
        pieces = re.split("[、，,]", inner)
        if all(
            0 < len(x.strip()) <= 14 and not re.search("[。；：:的是在]", x) for x in pieces
        ) and not any(a < m.end(1) and m.start(1) < b for a, b, _ in spans):
            # （人力资源社会保障部、财政部负责）, （县发改局牵头，县财政局配合）: each
            # clause's closing verb gives its role and is no body
            pos = m.start(1)
            for clause in re.split("([，,；;])", inner):
                if clause in "，,；;":
                    pos += len(clause)
                    continue
                tail = DUTY_NOTE_TAIL_RE.search(clause)
                if tail:  # 牵头负责 leads; otherwise the closing verb says the role
                    role = (
                        "lead" if "牵头" in tail.group(0) else DUTY_NOTE_ROLES[tail.group(0)[-2:]]
                    )
                elif "牵头" in inner and not any(
                    v in inner for v, r in DUTY_NOTE_ROLES.items() if r == "cooperating"
                ):
                    role = "lead"
                else:
                    role = "responsible"
                end = pos + (tail.start() if tail else len(clause))
                if end > pos:
                    spans.append((pos, end, role))
                pos += len(clause)
    return sorted(spans)


def find_units(
    text: str,
    gazetteer: Union[Gazetteer, GazetteerView],
    region: Any = None,
    *,
    offset: int = 0,
    nil_in_text: bool = True,
    cells: Sequence[Tuple[int, int, str]] = (),
    lookup: Optional[DocumentLookup] = None,
) -> List[Unit]:
    """Every unit mention in ``text`` (one work item), as unit records.

    Offsets are ``offset`` + positions in ``text``. ``region`` (county name,
    adcode or ``{"name", "adcode"}``) selects the county view of the gazetteer.
    ``cells``: ``(start, end, column label)`` of table cells that list units (a task table's
    责任单位 column), read as role lists like a ``责任单位:`` line. ``lookup``: the
    :class:`DocumentLookup` of the whole document's simplified text in the same view, ``text``
    being the document's slice at ``offset`` (the lookup offsets are then not computed again).
    """
    view = _as_view(gazetteer, region)
    original = text
    text, index = matching_text(text)
    found_in_doc = after = None
    if lookup is not None and index is None:  # glosses removed: the offsets are the text's own
        found_in_doc = lookup.within(offset, offset + len(text))
        after = lookup.after_within(offset, offset + len(text))
    sc = _Scanner(text, view, found_in_doc, after)
    found: List[Tuple[int, int, Optional[Dict[str, Any]], str]] = []
    lists = _list_spans(text)
    if cells:
        lists = sorted(
            lists
            + [
                (a, b, cell_role(label))
                for a, b, label in cells
                if not any(x < b and a < y for x, y, _ in lists)
            ]
        )
    covered = []
    for lo, hi, role in lists:
        ms = _scan(sc, lo, hi, in_list=True)
        if nil_in_text:
            ms = _merge_names(sc, lo, hi, ms)
        nils = _list_nils(sc, lo, hi, ms)
        all_lead = bool(LEAD_TAIL_RE.search(text[lo:hi].rstrip(LIST_SEP + "。.)）")))
        for s, e, link in sorted(ms + nils, key=lambda x: x[0]):
            r = "lead" if all_lead else role
            if (
                text.startswith("牵头", e)
                or text.startswith("（牵头", e)
                or text.startswith("(牵头", e)
            ):
                r = "lead"
            found.append((s, e, link, r))
        covered.append((lo, hi))
    # the rest of the text
    pos = 0
    for lo, hi in sorted(covered) + [(len(text), len(text))]:
        if pos < lo:
            ms = _scan(sc, pos, lo, in_list=False)
            if nil_in_text:
                ms = _merge_names(sc, pos, lo, ms)
            for s, e, link in ms:
                found.append((s, e, link, "mentioned"))
        pos = max(pos, hi)
    found.sort(key=lambda x: x[0])
    _assign_text_roles(text, found)
    upper_words = "省" if view.level_word == "市" else "省市"
    out = []
    for s, e, link, role in found:
        rec = _record(text, s, e, link, role, upper_words, view.level_word)
        a, b = (s, e) if index is None else (index[s], index[e - 1] + 1)
        rec.update(start=offset + a, end=offset + b, text=original[a:b])
        out.append(rec)
    return out


def matching_text(text: str) -> Tuple[str, Optional[List[int]]]:
    """The text the rules match: simplified characters, pinyin glosses removed; with the
    original offset of every character kept when glosses were removed (None: same offsets).

    >>> matching_text("區(qū)委辦")
    ('区委办', [0, 5, 6])
    """
    simplified = to_simplified(text)
    if "(" not in simplified and "（" not in simplified or not PINYIN_GLOSS.search(simplified):
        return simplified, None
    keep: List[int] = []
    pos = 0
    for m in PINYIN_GLOSS.finditer(simplified):
        keep.extend(range(pos, m.start()))
        pos = m.end()
    keep.extend(range(pos, len(simplified)))
    return "".join(simplified[k] for k in keep), keep


def _assign_text_roles(text: str, found: List[list]) -> None:
    """牵头 notes and 'X牵头' in running text."""
    for k in range(len(found)):
        found[k] = list(found[k])
    # (…牵头) notes
    for m in NOTE_RE.finditer(text):
        inner = m.group(1)
        if "牵头" not in inner:
            continue
        inside = [
            f for f in found if m.start(1) <= f[0] and f[1] <= m.end(1) and f[3] == "mentioned"
        ]
        if not inside:
            continue
        lead_pos = m.start(1) + inner.index("牵头")
        if len(inside) == 1 and inside[0][1] <= lead_pos:
            inside[0][3] = "responsible"
            continue
        for f in inside:
            if f[1] <= lead_pos:
                f[3] = "lead"
            elif re.search(r"配合|协办|参与", text[f[1] : m.end(1)]) or re.search(
                r"配合单位|协办单位", text[lead_pos : f[0]]
            ):
                f[3] = "cooperating"
    # "X牵头" / "X、Y牵头" in running text
    for k, f in enumerate(found):
        if f[3] != "mentioned":
            continue
        if text.startswith("牵头", f[1]) or text.startswith("负责牵头", f[1]):
            f[3] = "lead"
            j = k - 1
            while (
                j >= 0
                and found[j][3] == "mentioned"
                and text[found[j][1] : found[j + 1][0]] in ("、", "和", "及", "，")
            ):
                found[j][3] = "lead"
                j -= 1
