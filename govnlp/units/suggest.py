"""``govnlp gazetteer suggest``: mine unit names the gazetteer does not know yet.

>>> from govnlp.units.gazetteer import Gazetteer
>>> gaz = Gazetteer.default(divisions=None)
>>> cands = suggest_entries(["责任单位:县洋管中心、县发改局", "责任单位:县洋管中心"], gaz, region="嵊泗县")
>>> [(c["canonical"], c["freq"]) for c in cands]
[('县洋管中心', 2)]
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Union

from .gazetteer import Gazetteer
from .linker import find_units

_SUFFIX_TYPE = [
    ("公司", "soe"), ("集团", "soe"), ("指挥部", "group"), ("领导小组", "group"), ("委员会", "group"),
    ("分局", "branch"), ("分中心", "branch"), ("人民政府", "township"), ("办事处", "township"),
    ("成员单位", "collective"), ("单位", "collective"), ("部门", "collective"),
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
    min_freq: int = 1,
) -> List[Dict[str, Any]]:
    """Candidate gazetteer records for every NIL unit found in ``texts``, most frequent first.

    Each candidate is a gazetteer record (``id`` ``user:<name>``, ``canonical``,
    ``aliases`` [], guessed ``type``, ``level``, ``region``) plus review fields
    ``freq``, ``roles`` (role → count) and ``examples`` (up to three contexts).
    """
    view = gazetteer.view(region)
    freq: Counter = Counter()
    roles: Dict[str, Counter] = defaultdict(Counter)
    examples: Dict[str, List[str]] = defaultdict(list)
    for text in texts:
        for line in re.split(r"\n+", text):
            if not line.strip():
                continue
            for u in find_units(line, view):
                if not u["nil"]:
                    continue
                name = u["text"]
                freq[name] += 1
                roles[name][u["role"]] += 1
                if len(examples[name]) < 3:
                    a = max(0, u["start"] - 15)
                    examples[name].append(line[a:u["end"] + 15])
    reg = view.region
    out = []
    for name, n in freq.most_common():
        if n < min_freq:
            continue
        level = "province" if name.startswith("省") else ("county" if name[:1] in "县区" else "county")
        out.append({
            "id": _slug(name), "canonical": name, "aliases": [], "type": _guess_type(name),
            "level": level, "region": reg, "parent": None, "members": [],
            "freq": n, "roles": dict(roles[name]), "examples": examples[name],
        })
    return out


def write_suggestions(cands: List[Dict[str, Any]], path: Union[str, Path]) -> int:
    """Write candidates as JSONL (review, delete the review fields or keep them, then load)."""
    with open(path, "w", encoding="utf-8") as f:
        for c in cands:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    return len(cands)
