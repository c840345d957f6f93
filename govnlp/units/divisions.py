"""China's administrative divisions (province > prefecture > county > township).

The data is not shipped in the repository: ``scripts/build_divisions.py``
writes ``divisions.msgpack`` at set-up from the PyPI package ``jionlp``
(Apache-2.0). :func:`load_divisions` finds it in ``$GOVNLP_DIVISIONS`` (a
file) or ``<data dir>/divisions/divisions.msgpack``, the data dir being
``$GOVNLP_DATA_DIR`` or ``<sys.prefix>/share/govnlp``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import msgpack

DIVISIONS_ENV = "GOVNLP_DIVISIONS"
DATA_DIR_ENV = "GOVNLP_DATA_DIR"
FILE_NAME = "divisions.msgpack"
FORMAT = "govnlp-divisions/1"

#: county-level names that are ordinary words; never used to detect a region
GENERIC_COUNTY_NAMES = {
    "城区",
    "郊区",
    "矿区",
    "市辖区",
    "新区",
    "市中区",
    "城中区",
    "城关区",
    "东区",
    "西区",
    "南区",
    "北区",
    "中区",
}


class DivisionsNotFound(FileNotFoundError):
    """The divisions file has not been built (run the set-up)."""


def default_divisions_path() -> Path:
    env = os.environ.get(DIVISIONS_ENV)
    if env:
        return Path(env)
    base = os.environ.get(DATA_DIR_ENV)
    root = Path(base) if base else Path(sys.prefix) / "share" / "govnlp"
    return root / "divisions" / FILE_NAME


def level_word(name: str) -> str:
    """The level word a county-level body of ``name`` uses (嵊泗县 → 县, 慈溪市 → 市)."""
    for suf in ("自治县", "自治旗", "林区", "特区"):
        if name.endswith(suf):
            return {"自治县": "县", "自治旗": "旗"}.get(suf, "区")
    return name[-1] if name and name[-1] in "县市区旗" else "县"


class Divisions:
    """Indexes over the divisions data (plain dict from the msgpack file)."""

    def __init__(self, data: Dict[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a govnlp divisions file (format {data.get('format')!r})")
        self.data = data
        self.provinces = {c: {"adcode": c, "name": n, "short": s} for c, n, s in data["provinces"]}
        self.prefectures = {
            c: {"adcode": c, "name": n, "short": s, "province": p}
            for c, n, s, p in data["prefectures"]
        }
        self.counties = {
            c: {"adcode": c, "name": n, "short": s, "prefecture": p}
            for c, n, s, p in data["counties"]
        }
        self.townships: Dict[str, List[str]] = {c: list(v) for c, v in data["townships"]}
        self.county_by_name: Dict[str, List[str]] = {}
        for c, rec in self.counties.items():
            self.county_by_name.setdefault(rec["name"], []).append(c)
        self.township_counties: Dict[str, List[str]] = {}
        for c, names in self.townships.items():
            for n in names:
                self.township_counties.setdefault(n, []).append(c)

    # -- lookups ---------------------------------------------------------
    def county(self, adcode: str) -> Optional[Dict[str, Any]]:
        return self.counties.get(str(adcode)[:6])

    def prefecture_of(self, county_adcode: str) -> Optional[Dict[str, Any]]:
        c = self.county(county_adcode)
        return self.prefectures.get(c["prefecture"]) if c else None

    def province_of(self, county_adcode: str) -> Optional[Dict[str, Any]]:
        p = self.prefecture_of(county_adcode)
        return self.provinces.get(p["province"]) if p else None

    def townships_of(self, county_adcode: str) -> List[str]:
        return list(self.townships.get(str(county_adcode)[:6], []))

    def find_county(self, name: str) -> List[str]:
        """Adcodes of counties called ``name`` (full name, or short name as a fallback)."""
        if name in self.county_by_name:
            return list(self.county_by_name[name])
        return [c for c, r in self.counties.items() if r["short"] == name]

    def to_bytes(self) -> bytes:
        return msgpack.packb(self.data, use_bin_type=True)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Divisions":
        return cls(msgpack.unpackb(data, raw=False))


_CACHE: Dict[str, Divisions] = {}


def load_divisions(path: Optional[Union[str, Path]] = None) -> Divisions:
    """Load (and cache) the divisions file; raise :class:`DivisionsNotFound` with set-up help."""
    p = Path(path) if path else default_divisions_path()
    key = str(p.resolve()) if p.exists() else str(p)
    if key in _CACHE:
        return _CACHE[key]
    if not p.exists():
        raise DivisionsNotFound(
            f"govnlp: administrative-divisions file not found at {p}. It is built at set-up from "
            f"the PyPI package jionlp: `pip install --no-deps jionlp==1.5.31 && python "
            f"scripts/build_divisions.py {p.parent}` (or set ${DIVISIONS_ENV} to the file, or "
            f"load the gazetteer with divisions=None)."
        )
    div = Divisions(msgpack.unpackb(p.read_bytes(), raw=False))
    _CACHE[key] = div
    return div
