"""The unit gazetteer: template + administrative divisions + user county files.

Records follow ``units.md`` (one JSON object per line)::

    {"id": "tpl:county:fagai", "canonical": "发展和改革局", "aliases": ["发改局", ...],
     "type": "department", "level": "county", "region": null, "parent": null, "members": []}

*Template* records (``region`` null, id ``tpl:...``) are written without the
level word: county records get the county's own level word (县/市/区/旗)
prepended when a :class:`GazetteerView` is built for a county, prefecture
records get 市, province records 省 or 自治区; ``{L}`` inside a string marks
where the level word goes when it is not a prefix (``团{L}委``). Township and
national records are literal. *User* records (any record with a ``region``,
or a non-``tpl:`` id) are literal surfaces. A user record whose id is a
template id overrides that entry in its county: its canonical name wins and its
aliases are added (``区执法应急局`` → ``区综合执法与应急管理局``).

>>> gaz = Gazetteer.default(divisions=None)
>>> view = gaz.view({"name": "嵊泗县", "adcode": "330922"})
>>> view.table["县发改局"]["canonical"]
'县发展和改革局'
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

import msgpack

from .divisions import GENERIC_COUNTY_NAMES, Divisions, level_word
from .region import Region, divisions_of, normalise_region

PathLike = Union[str, Path]
Record = Dict[str, Any]
FIELDS = ("id", "canonical", "aliases", "type", "level", "region", "parent", "members")
LOCAL_LEVELS = {"county", "township"}
BRANCH_SUFFIXES = ("分中心", "分局", "支队", "大队", "分院", "分所")
_MAGIC = "govnlp-gazetteer/1"
#: template strings starting with these take no level word (各乡镇人民政府, 有关乡镇人民政府)
LITERAL_PREFIXES = ("各", "有关", "相关")


def template_path() -> Path:
    return Path(str(resources.files("govnlp.units").joinpath("data/template.jsonl")))


def normalize_record(rec: Record) -> Record:
    """Fill defaults and check a gazetteer record."""
    if not rec.get("id") or not rec.get("canonical"):
        raise ValueError(f"gazetteer record needs id and canonical: {rec!r}")
    out = {k: rec.get(k) for k in FIELDS}
    aliases = out["aliases"] or []
    if isinstance(aliases, str):
        aliases = [a for a in _split_multi(aliases)]
    out["aliases"] = [str(a).strip() for a in aliases if str(a).strip()]
    members = out["members"] or []
    if isinstance(members, str):
        members = _split_multi(members)
    out["members"] = list(members)
    out["type"] = out["type"] or "department"
    out["level"] = out["level"] or "county"
    region = out["region"]
    if isinstance(region, str):
        region = {"name": region, "adcode": None} if region else None
    if isinstance(region, dict):
        region = {
            "name": region.get("name"),
            "adcode": (str(region["adcode"])[:6] if region.get("adcode") else None),
        }
    out["region"] = region
    for extra in ("scope", "note", "as_written"):
        if rec.get(extra) is not None:
            out[extra] = rec[extra]
    return out


def _split_multi(s: str) -> List[str]:
    for sep in ("|", "；", ";"):
        if sep in s:
            return [x.strip() for x in s.split(sep) if x.strip()]
    return [s.strip()] if s.strip() else []


def read_records(path: PathLike) -> List[Record]:
    """Read a JSONL or CSV gazetteer file (CSV columns: id, canonical, aliases (| separated),
    type, level, region or region_name, adcode or region_adcode, parent, members)."""
    p = Path(path)
    text = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() == ".csv":
        out = []
        for row in csv.DictReader(io.StringIO(text)):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            name = row.get("region") or row.get("region_name")
            code = row.get("adcode") or row.get("region_adcode")
            rec = dict(row)
            rec["region"] = {"name": name, "adcode": code or None} if (name or code) else None
            rec["parent"] = row.get("parent") or None
            out.append(normalize_record(rec))
        return out
    return [normalize_record(json.loads(line)) for line in text.splitlines() if line.strip()]


def is_template(rec: Record) -> bool:
    return rec.get("region") is None and str(rec["id"]).startswith("tpl:")


def expand(s: str, word: str) -> str:
    """Put the level word into a template string."""
    if "{L}" in s:
        return s.replace("{L}", word)
    if s.startswith(LITERAL_PREFIXES):
        return s
    return word + s


class _Trie:
    """Character trie for longest-match lookup."""

    __slots__ = ("root", "n")

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.root: Dict[str, Any] = {}
        self.n = 0
        for k in keys:
            self.add(k)

    def add(self, key: str) -> None:
        node = self.root
        for ch in key:
            node = node.setdefault(ch, {})
        if "\0" not in node:
            self.n += 1
        node["\0"] = True

    def __contains__(self, key: str) -> bool:
        node: Optional[Dict[str, Any]] = self.root
        for ch in key:
            node = node.get(ch)
            if node is None:
                return False
        return "\0" in node

    def extended(self, keys: Iterable[str]) -> "_Trie":
        """A trie of this trie's keys and ``keys``; this one is left as it is (and returned
        when it has every key already). The new trie shares this one's nodes except those on
        the paths of the new keys, which are copied: a few keys added to a large trie cost a
        few node copies, not a new trie.

        >>> base = _Trie(["宁波市", "宁海县"])
        >>> more = base.extended(["宁波", "宁波市"])
        >>> more.longest("宁波人", 0), base.longest("宁波人", 0), more.n, base.n
        (2, 0, 3, 2)
        >>> base.extended(["宁海县"]) is base
        True
        """
        new = [k for k in dict.fromkeys(keys) if k not in self]
        if not new:
            return self
        out = _Trie()
        out.root, out.n = dict(self.root), self.n
        own = {id(out.root)}  # the nodes copied into ``out`` (free to change)
        for key in new:
            node = out.root
            for ch in key:
                child = node.get(ch)
                if child is None or id(child) not in own:
                    child = {} if child is None else dict(child)
                    node[ch] = child
                    own.add(id(child))
                node = child
            out.n += 1
            node["\0"] = True
        return out

    def longest(self, text: str, pos: int) -> int:
        """Length of the longest key starting at ``text[pos]`` (0 if none)."""
        node, best, i, n = self.root, 0, pos, len(text)
        while i < n:
            node = node.get(text[i])
            if node is None:
                break
            i += 1
            if "\0" in node:
                best = i - pos
        return best


class _TrieCache:
    """Tries of key sets that mostly overlap (every county's table has the same template
    surfaces, plus its own townships and records): each is built as an extension
    (:meth:`_Trie.extended`) of the trie of the keys common to every set asked for so far,
    which is built again only when a set lacks some of them. Whatever was asked before, the
    trie returned holds exactly the keys given.

    >>> cache = _TrieCache()
    >>> sorted(cache.trie_of(["县委", "县政府", "甲镇"]).root), cache.trie_of(["县委", "乙镇"]).n
    (['县', '甲'], 2)
    """

    def __init__(self) -> None:
        self.common: Optional[frozenset] = None
        self.trie = _Trie()

    def trie_of(self, keys: Iterable[str]) -> _Trie:
        keys = frozenset(keys)
        if self.common is None or not self.common <= keys:
            self.common = keys if self.common is None else self.common & keys
            self.trie = _Trie(self.common)
        return self.trie.extended(keys - self.common)


class Gazetteer:
    """Template + divisions + user records, with per-county views (alias → entry)."""

    def __init__(
        self, records: Iterable[Record] = (), divisions: Optional[Divisions] = None
    ) -> None:
        self.records: List[Record] = []
        self.divisions = divisions
        self._views: Dict[Any, "GazetteerView"] = {}
        self._division_places: Optional[Tuple[Divisions, Dict[str, Tuple[str, str]], _Trie]] = None
        self.table_tries = _TrieCache()  # the views' surface tries, built on a shared one
        self.add_records(records)

    # -- construction ------------------------------------------------------
    @classmethod
    def default(
        cls,
        *,
        template: Optional[PathLike] = "default",
        divisions: Optional[Union[PathLike, Divisions, str]] = "default",
        county_files: Iterable[PathLike] = (),
    ) -> "Gazetteer":
        """Bundled template, the set-up's divisions (``divisions=None`` to go without; as
        everywhere, :func:`govnlp.units.region.divisions_of`; a missing default file is an
        error here) and the user's county files, in that order (later records override
        earlier ones)."""
        recs: List[Record] = []
        if template:
            recs += read_records(template_path() if template == "default" else template)
        gaz = cls(recs, divisions_of(divisions, missing_ok=False))
        for f in county_files:
            gaz.load_file(f)
        return gaz

    def add_records(self, records: Iterable[Record]) -> None:
        for r in records:
            self.records.append(normalize_record(r))
        self._views.clear()

    def load_file(self, path: PathLike) -> int:
        recs = read_records(path)
        self.add_records(recs)
        return len(recs)

    def __len__(self) -> int:
        return len(self.records)

    def counts_by_type(self) -> Dict[str, int]:
        out: Dict[str, int] = {}
        for r in self.records:
            out[r["type"]] = out.get(r["type"], 0) + 1
        if self.divisions is not None:
            out["township (divisions)"] = sum(len(v) for v in self.divisions.townships.values())
        return out

    # -- serialisation (msgpack, never pickle) ---------------------------------
    def to_bytes(self, *, include_divisions: bool = True) -> bytes:
        data = {
            "format": _MAGIC,
            "records": self.records,
            "divisions": (self.divisions.data if include_divisions and self.divisions else None),
        }
        return msgpack.packb(data, use_bin_type=True)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Gazetteer":
        d = msgpack.unpackb(data, raw=False)
        if d.get("format") != _MAGIC:
            raise ValueError("not a govnlp gazetteer")
        div = Divisions(d["divisions"]) if d.get("divisions") else None
        return cls(d["records"], div)

    def to_disk(self, path: PathLike) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def from_disk(cls, path: PathLike) -> "Gazetteer":
        return cls.from_bytes(Path(path).read_bytes())

    def to_jsonl(self) -> str:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records)

    # -- regions and views ----------------------------------------------------
    def region(self, value: Any, *, source: str = "option") -> Optional[Region]:
        """A county name, adcode, dict or :class:`Region` through this gazetteer's divisions
        (:func:`govnlp.units.region.normalise_region`; kept as written without divisions)."""
        return normalise_region(value, self.divisions, source=source)

    def normalize_region(self, region: Any) -> Optional[Dict[str, Any]]:
        """``{"name", "adcode"}`` for a county name, adcode, dict or :class:`Region`
        (None if empty)."""
        found = self.region(region)
        return found.record() if found else None

    def view(self, region: Any = None, *, level_word_: Optional[str] = None) -> "GazetteerView":
        reg = self.normalize_region(region)
        lw = level_word_ or (level_word(reg["name"]) if reg and reg.get("name") else "县")
        key = (reg["adcode"] if reg else None, reg["name"] if reg else None, lw)
        if key not in self._views:
            self._views[key] = GazetteerView(self, reg, lw)
        return self._views[key]

    def division_places(self) -> Tuple[Dict[str, Tuple[str, str]], _Trie]:
        """The place names of the divisions that may precede a unit name (provinces,
        prefectures, counties with specific names), ``name → (kind, adcode)``, and their
        trie: the same for every view, built once per divisions (views add their own
        county's names on top, without changing these)."""
        div = self.divisions
        if div is None:
            return {}, _Trie()
        cached = self._division_places
        if cached is None or cached[0] is not div:
            places = _places_of_divisions(div)
            cached = self._division_places = (div, places, _Trie(places))
        return cached[1], cached[2]

    def surface_forms(self, region: Any = None, *, min_len: int = 3) -> List[str]:
        """Unit surface forms for the pkuseg user dictionary (sorted, deduplicated)."""
        v = self.view(region)
        forms = set(v.table)
        for t in (v.prefecture_table, v.province_table):
            forms |= set(t)
        return sorted(f for f in forms if len(f) >= min_len and "(" not in f and "（" not in f)


def surfaces(rec: Record) -> List[str]:
    """A record's canonical name, its aliases, and the short form of a 委员会 name
    (卫生健康委员会 → 卫生健康委), as the texts write them.

    >>> surfaces({"canonical": "卫生健康委员会", "aliases": ["卫健委"]})
    ['卫生健康委员会', '卫健委', '卫生健康委']
    """
    out = [rec["canonical"], *rec["aliases"]]
    out += [x[:-2] for x in out if x.endswith("委员会") and len(x) > 5]
    return list(dict.fromkeys(out))


def _link(
    rec: Record,
    canonical: str,
    id_: str,
    level: str,
    scope: str,
    members: Optional[List[str]] = None,
    type_: Optional[str] = None,
) -> Dict[str, Any]:
    return {
        "id": id_,
        "canonical": canonical,
        "type": type_ or rec["type"],
        "level": level,
        "scope": scope,
        "members": list(members if members is not None else rec.get("members") or []),
        "as_written": bool(rec.get("as_written")),
    }


class GazetteerView:
    """A gazetteer materialised for one county: surface → link, plus place names."""

    def __init__(self, gaz: Gazetteer, region: Optional[Dict[str, Any]], lw: str) -> None:
        self.gaz = gaz
        self.region = region
        self.level_word = lw
        div = gaz.divisions
        self.county = (
            div.county(region["adcode"]) if (div and region and region.get("adcode")) else None
        )
        adcode = self.county["adcode"] if self.county else (region or {}).get("adcode")
        self.adcode = adcode

        tpl: Dict[str, Record] = {}
        regional: Dict[str, Record] = {}
        user_global: List[Record] = []
        for r in gaz.records:
            if is_template(r):
                tpl[r["id"]] = r
            elif r.get("region"):
                rg = r["region"]
                if (rg.get("adcode") and rg["adcode"] == adcode) or (
                    not rg.get("adcode") and region and rg.get("name") == region.get("name")
                ):
                    regional[r["id"]] = r
            else:
                user_global.append(r)
        self.template = tpl

        table: Dict[str, Dict[str, Any]] = {}

        def put(surface: str, link: Dict[str, Any]) -> None:
            if surface and surface not in table:
                table[surface] = link

        # 1. user records of this county (literal); overrides of template ids keep template aliases
        for rid, r in regional.items():
            scope = r.get("scope") or ("local" if r["level"] in LOCAL_LEVELS else "upper")
            link = _link(r, r["canonical"], rid, r["level"], scope)
            for s in [r["canonical"], *r["aliases"]]:
                put(s, link)
            if rid in tpl and tpl[rid]["level"] == "county":
                t = tpl[rid]
                for s in [t["canonical"], *t["aliases"]]:
                    put(expand(s, lw), link)
        # 2. user records without region (literal)
        for r in user_global:
            scope = r.get("scope") or ("local" if r["level"] in LOCAL_LEVELS else "upper")
            link = _link(r, r["canonical"], r["id"], r["level"], scope)
            for s in [r["canonical"], *r["aliases"]]:
                put(s, link)
        # 3. county template with the county's level word
        self.townships = div.townships_of(adcode) if (div and adcode) else []
        # region unknown: every county-level word is local (县委, 区委, 旗委)
        # the level word follows the text, not the county (a 县 whose pages say 区公安局,
        # 区直各单位):
        # the county's own word first, then the other county-level words
        words = [lw] + [w for w in ("县", "区", "旗") if w != lw]
        for w in words:
            for rid, r in tpl.items():
                if r["level"] != "county":
                    continue
                link = _link(
                    r,
                    expand(r["canonical"], w),
                    rid,
                    "county",
                    "local",
                    members=self._members(rid, r),
                )
                for s in surfaces(r):
                    put(expand(s, w), link)

        def put_level_entries(level: str, scope: str) -> None:
            """Template entries of ``level`` used as written (no level word prepended)."""
            for rid, r in tpl.items():
                if r["level"] == level:
                    link = _link(r, r["canonical"], rid, level, scope)
                    for surface in [r["canonical"], *r["aliases"]]:
                        put(surface, link)

        # 4. townships of the county
        for name in self.townships:
            link = self.township_link(name, adcode, "local")
            for s in self.township_surfaces(name):
                put(s, link)
        put_level_entries("township", "local")
        # 5. upper levels
        self.prefecture_table = self._level_table(tpl, "prefecture", ("市",))
        self.province_table = self._level_table(tpl, "province", ("省", "自治区"))
        for t in (self.prefecture_table, self.province_table):
            for s, link in t.items():
                put(s, link)
        put_level_entries("national", "upper")
        self.table = table
        self.trie = gaz.table_tries.trie_of(table)
        self._county_tables: Dict[Tuple[str, str], Dict[str, Any]] = {}
        self._build_places()

    # -- helpers -------------------------------------------------------------
    @staticmethod
    def township_surfaces(name: str) -> List[str]:
        if name.endswith("街道"):
            return [name + "办事处", name[:-2] + "街道办", name + "办", name + "党工委办事处"]
        if name.endswith(("镇", "乡")):
            return [name + "人民政府", name + "政府", name + "党委政府"]
        return []

    @staticmethod
    def township_link(name: str, adcode: Optional[str], scope: str) -> Dict[str, Any]:
        canonical = name + ("办事处" if name.endswith("街道") else "人民政府")
        return {
            "id": f"div:{adcode}:{name}" if adcode else f"div:?:{name}",
            "canonical": canonical,
            "type": "township",
            "level": "township",
            "scope": scope,
            "members": [],
        }

    def _members(self, rid: str, r: Record) -> List[str]:
        if r.get("members"):
            return list(r["members"])
        if r["type"] != "collective" or not self.townships:
            return []
        a = self.adcode
        kind = rid.rsplit(":", 1)[-1]
        if kind == "ge_xiangzhen":
            return [f"div:{a}:{n}" for n in self.townships]
        if kind == "ge_zhen":
            return [f"div:{a}:{n}" for n in self.townships if n.endswith("镇")]
        if kind == "ge_jiedao":
            return [f"div:{a}:{n}" for n in self.townships if n.endswith("街道")]
        if kind == "ge_zhen_jiedao":
            return [f"div:{a}:{n}" for n in self.townships if n.endswith(("镇", "街道"))]
        return []

    def _level_table(
        self, tpl: Dict[str, Record], level: str, words: Tuple[str, ...]
    ) -> Dict[str, Any]:
        base: Dict[str, Record] = {}
        if level == "prefecture":
            base = {
                rid.split(":", 2)[2]: r
                for rid, r in tpl.items()
                if r["level"] == "county" and r["type"] != "collective"
            }
        base.update({rid.split(":", 2)[2]: r for rid, r in tpl.items() if r["level"] == level})
        out: Dict[str, Any] = {}
        for key, r in base.items():
            rid = f"tpl:{level}:{key}"
            for w in words:
                canon = r["canonical"]
                if w == "自治区" and canon == "委":
                    canon = "党委"  # 自治区党委, not 自治区委
                link = _link(r, expand(canon, w), rid, level, "upper")
                for s in surfaces(r):
                    out.setdefault(expand(s, w), link)
        return out

    def county_table(self, adcode: str, lw: str) -> Dict[str, Any]:
        """Template table for another county (place-prefixed mentions)."""
        key = (adcode, lw)
        if key not in self._county_tables:
            t: Dict[str, Any] = {}
            for rid, r in self.template.items():
                if r["level"] == "county" and r["type"] != "collective":
                    link = _link(r, expand(r["canonical"], lw), rid, "county", "other")
                    for s in [r["canonical"], *r["aliases"]]:
                        t.setdefault(expand(s, lw), link)
            self._county_tables[key] = t
        return self._county_tables[key]

    def _build_places(self) -> None:
        """Place names that may precede a unit name (宁波市委, 嵊泗县人民政府): the divisions'
        (:meth:`Gazetteer.division_places`, shared by the views), then this county's own
        names, short ones included, over them."""
        base, base_trie = self.gaz.division_places()
        own_places: Dict[str, Tuple[str, str]] = {}
        div = self.gaz.divisions
        if div is not None:
            if self.county:
                own_places[self.county["name"]] = ("county", self.county["adcode"])
                own_places[self.county["short"]] = ("county", self.county["adcode"])
                pref = div.prefecture_of(self.county["adcode"])
                if pref:
                    own_places[pref["name"]] = ("prefecture", pref["adcode"])
                    own_places[pref["short"]] = ("prefecture", pref["adcode"])
                    prov = div.provinces.get(pref["province"])
                    if prov:
                        own_places[prov["name"]] = ("province", prov["adcode"])
                        own_places[prov["short"]] = ("province", prov["adcode"])
        elif self.region and self.region.get("name"):
            own_places[self.region["name"]] = ("county", self.region.get("adcode") or "")
        self.places = {**base, **own_places}
        self.place_trie = base_trie.extended(own_places)
        own = []
        if self.county:
            own = [self.county["name"], self.county["short"]]
        elif self.region and self.region.get("name"):
            n = self.region["name"]
            own = [n, n[:-1]] if len(n) > 2 else [n]
        self.own_place_names = sorted(set(own), key=len, reverse=True)

    def table_for_place(self, kind: str, code: str) -> Tuple[Dict[str, Any], str]:
        if kind == "province":
            return self.province_table, "upper"
        if kind == "prefecture":
            return self.prefecture_table, "upper"
        if self.adcode and code == self.adcode:
            return self.table, "local"
        div = self.gaz.divisions
        name = div.counties[code]["name"] if (div and code in div.counties) else ""
        return self.county_table(code, level_word(name)), "other"


def _places_of_divisions(div: Divisions) -> Dict[str, Tuple[str, str]]:
    """``name → (kind, adcode)`` of every province, prefecture and specific county name."""
    places: Dict[str, Tuple[str, str]] = {}
    for c, r in div.provinces.items():
        places.setdefault(r["name"], ("province", c))
    for c, r in div.prefectures.items():
        if r["name"] not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            places.setdefault(r["name"], ("prefecture", c))
    for c, r in div.counties.items():
        if r["name"] not in GENERIC_COUNTY_NAMES and len(r["name"]) >= 3:
            places.setdefault(r["name"], ("county", c))
    return places
