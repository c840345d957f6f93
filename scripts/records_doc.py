"""Write ``docs/records.md`` from the record definition (:mod:`govnlp.records`).

python scripts/records_doc.py            # (re)write docs/records.md
python scripts/records_doc.py --check    # exit 1 when the committed file is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "records.md"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare with the committed file")
    ap.add_argument("--out", type=Path, default=DOC, help=f"output file (default {DOC})")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from govnlp.records import markdown

    text = markdown()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python scripts/records_doc.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
