#!/usr/bin/env python
"""Build govnlp's administrative-divisions file from an installed PyPI package.

Usage::

    pip install --no-deps jionlp==1.5.31        # only its data file is read
    python scripts/build_divisions.py .venv/share/govnlp/divisions

Source: ``jionlp/dictionary/china_location.zip`` of the ``jionlp`` distribution
(Apache-2.0). The zip holds ``china_location.txt``, a tab-indented tree
province > prefecture > county > township > village; the first three levels
carry the 6-digit adcode and a short name (``嵊泗县 330922 嵊泗``), townships
are names only. Villages are dropped. jionlp itself is never imported (its
``__init__`` pulls optional dependencies); the file is located through the
distribution's metadata.

Output: ``<out_dir>/divisions.msgpack`` (about 0.7 MB), a dict::

    {"format": "govnlp-divisions/1",
     "source": {"package": "jionlp", "version": "1.5.31", "file": "...", "licence": "Apache-2.0"},
     "provinces":   [[adcode, name, short], ...],
     "prefectures": [[adcode, name, short, province_adcode], ...],
     "counties":    [[adcode, name, short, prefecture_adcode], ...],
     "townships":   [[county_adcode, [name, ...]], ...]}

The loader (:func:`govnlp.units.divisions.load_divisions`) looks for it in
``$GOVNLP_DIVISIONS`` (a file), else ``<data dir>/divisions/divisions.msgpack``
where the data dir is ``$GOVNLP_DATA_DIR`` or ``<sys.prefix>/share/govnlp``.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import msgpack

PACKAGE = "jionlp"
MEMBER = "jionlp/dictionary/china_location.zip"
FORMAT = "govnlp-divisions/1"
OUT_NAME = "divisions.msgpack"


def locate_source(package: str = PACKAGE) -> Path:
    """Path of ``china_location.zip`` inside the installed distribution."""
    from importlib import metadata

    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError as exc:  # pragma: no cover - exercised by hand
        raise SystemExit(
            f"build_divisions: the PyPI package {package!r} is not installed in this "
            f"environment ({sys.prefix}). Install it with "
            f"`{sys.executable} -m pip install --no-deps {package}==1.5.31`."
        ) from exc
    path = Path(str(dist.locate_file(MEMBER)))
    if not path.exists():  # pragma: no cover
        raise SystemExit(f"build_divisions: {path} is missing from the installed {package}")
    return path


def parse_location_tree(lines: Iterable[str]) -> Dict[str, Any]:
    """Parse jionlp's tab-indented location tree into the compact lists."""
    provinces: List[list] = []
    prefectures: List[list] = []
    counties: List[list] = []
    townships: Dict[str, List[str]] = {}
    cur: List[Optional[str]] = [None, None, None]
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth == 0 and len(parts) >= 2:
            code = parts[1][:6]
            provinces.append([code, parts[0], parts[2] if len(parts) > 2 else parts[0]])
            cur = [code, None, None]
        elif depth == 1 and len(parts) >= 2:
            code = parts[1][:6]
            prefectures.append([code, parts[0], parts[2] if len(parts) > 2 else parts[0], cur[0]])
            cur = [cur[0], code, None]
        elif depth == 2 and len(parts) >= 2:
            code = parts[1][:6]
            counties.append([code, parts[0], parts[2] if len(parts) > 2 else parts[0], cur[1]])
            cur = [cur[0], cur[1], code]
        elif depth == 3 and cur[2]:
            name = parts[0]
            lst = townships.setdefault(cur[2], [])
            if name not in lst:
                lst.append(name)
    return {
        "format": FORMAT,
        "provinces": provinces,
        "prefectures": prefectures,
        "counties": counties,
        "townships": [[k, v] for k, v in townships.items()],
    }


def read_source(path: Path) -> Dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.endswith(".txt")]
        if not names:
            raise SystemExit(f"build_divisions: no .txt member in {path}")
        raw = zf.read(names[0]).decode("utf-8")
    return parse_location_tree(io.StringIO(raw))


def build(out_dir: Path, source: Optional[Path] = None) -> Path:
    """Write ``divisions.msgpack`` into ``out_dir``; return its path."""
    from importlib import metadata

    src = Path(source) if source else locate_source()
    data = read_source(src)
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # pragma: no cover
        version = None
    data["source"] = {
        "package": PACKAGE,
        "version": version,
        "file": MEMBER,
        "licence": "Apache-2.0",
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / OUT_NAME
    tmp = out.with_suffix(".partial")
    tmp.write_bytes(msgpack.packb(data, use_bin_type=True))
    tmp.replace(out)
    return out


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", help="directory to write divisions.msgpack into")
    ap.add_argument("--source", help="china_location.zip to read (default: from installed jionlp)")
    args = ap.parse_args(argv)
    out = build(Path(args.out_dir), Path(args.source) if args.source else None)
    d = msgpack.unpackb(out.read_bytes(), raw=False)
    n_twp = sum(len(v) for _, v in d["townships"])
    print(
        f"wrote {out} ({out.stat().st_size // 1024} KB): {len(d['provinces'])} provinces, "
        f"{len(d['prefectures'])} prefectures, {len(d['counties'])} counties, {n_twp} townships"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
