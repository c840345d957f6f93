"""``govnlp gazetteer suggest``: mine unit names the gazetteer does not know yet.

>>> from govnlp.units.gazetteer import Gazetteer
>>> gaz = Gazetteer.default(divisions=None)
>>> cands = suggest_entries(
...     ["责任单位:县洋管中心、县发改局", "责任单位:县洋管中心"], gaz, region="嵊泗县"
... )
>>> [(c["canonical"], c["freq"]) for c in cands]
[('县洋管中心', 2)]
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from .gazetteer import Gazetteer
from .linker import find_units

_SUFFIX_TYPE = [
    ("公司", "soe"),
    ("集团", "soe"),
    ("指挥部", "group"),
    ("领导小组", "group"),
    ("委员会", "group"),
    ("分局", "branch"),
    ("分中心", "branch"),
    ("人民政府", "township"),
    ("办事处", "township"),
    ("成员单位", "collective"),
    ("单位", "collective"),
    ("部门", "collective"),
]


def _guess_type(name: str) -> str:
    for suf, typ in _SUFFIX_TYPE:
        if name.endswith(suf):
            return typ
    return "department"


def _slug(name: str) -> str:
    return "user:" + name


def suggest_entries(
    texts: Iterable[str],
    gazetteer: Gazetteer,
    region: Any = None,
    *,
    region_of: Optional[Callable[[str], Any]] = None,
    min_freq: int = 1,
) -> List[Dict[str, Any]]:
    """Candidate gazetteer records for every NIL unit found in ``texts``, most frequent first.

    ``region`` is the county of every text; ``region_of(text)`` gives each text its
    own instead (one gazetteer view is built per county). Each candidate is a
    gazetteer record (``id`` ``user:<name>``, ``canonical``, ``aliases`` [], guessed
    ``type``, ``level``, ``region``) plus review fields ``freq``, ``documents`` (texts
    it occurs in), ``roles`` (role → count) and ``examples`` (up to three contexts).
    A name found in two counties gives two candidates.
    """
    views: Dict[Any, Any] = {}
    found: Dict[Tuple[str, Any], Dict[str, Any]] = {}
    for text in texts:
        text_region = region_of(text) if region_of is not None else region
        county = gazetteer.normalize_region(text_region)
        key_region = (county or {}).get("adcode") or (county or {}).get("name")
        if key_region not in views:
            views[key_region] = gazetteer.view(text_region)
        view = views[key_region]
        seen_here = set()
        for line in re.split(r"\n+", text):
            if not line.strip():
                continue
            for u in find_units(line, view):
                if not u["nil"]:
                    continue
                name = u["text"]
                cand = found.get((name, key_region))
                if cand is None:
                    cand = found[(name, key_region)] = {
                        "id": _slug(name),
                        "canonical": name,
                        "aliases": [],
                        "type": _guess_type(name),
                        "level": "province" if name.startswith("省") else "county",
                        "region": view.region,
                        "parent": None,
                        "members": [],
                        "freq": 0,
                        "documents": 0,
                        "roles": Counter(),
                        "examples": [],
                    }
                cand["freq"] += 1
                cand["roles"][u["role"]] += 1
                if name not in seen_here:
                    seen_here.add(name)
                    cand["documents"] += 1
                if len(cand["examples"]) < 3:
                    a = max(0, u["start"] - 15)
                    cand["examples"].append(line[a : u["end"] + 15])
    out = [dict(c, roles=dict(c["roles"])) for c in found.values() if c["freq"] >= min_freq]
    return sorted(out, key=lambda c: (-c["freq"], c["canonical"]))
