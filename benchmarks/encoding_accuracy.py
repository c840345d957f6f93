"""Encoding detection on short and long samples in every supported encoding: right, right
but unsure, wrong but unsure (acceptable), WRONG (said sure), rejected.

Samples: ``tests/encoding_samples.py`` (12 excerpts of 10–3,000 characters from each seed
of corpora/samples, per encoding). Each goes through ``govnlp.io.readers.decode_bytes`` of
this checkout, or of ``--against`` another one (e.g. /work/main, whose records say nothing
about confidence: there every decode counts as sure).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/encoding_accuracy.py
    PYTHONPATH=/work/main .venv/bin/python benchmarks/encoding_accuracy.py --against /work/main

Exit status 1 when a sample is WRONG or a GB18030/GBK/GB2312 sample is rejected.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("right", "right-unsure", "wrong-unsure", "WRONG", "rejected")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", help="another checkout's decode_bytes (e.g. /work/main)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.against).resolve()) if args.against else str(ROOT))
    from govnlp.io.readers import DocumentError, decode_bytes

    spec = importlib.util.spec_from_file_location(
        "encoding_samples", ROOT / "tests" / "encoding_samples.py"
    )
    assert spec and spec.loader
    es = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(es)
    bad = 0
    print(f"{'encoding':10} {'chars':>5} " + " ".join(f"{k:>12}" for k in KINDS))
    for encoding in es.ENCODINGS:
        for n in es.LENGTHS:
            c: Counter = Counter()
            for text, raw in es.samples(encoding, (n,)):
                try:
                    got, facts = decode_bytes(raw)
                except DocumentError:
                    c["rejected"] += 1
                    continue
                unsure = bool(facts.get("encoding_unsure"))
                c[("right" if got == text else "wrong") + ("-unsure" if unsure else "")] += 1
            c["WRONG"] = c.pop("wrong", 0)
            bad += c["WRONG"] + (c["rejected"] if encoding in es.GB_FAMILY else 0)
            print(f"{encoding:10} {n:5d} " + " ".join(f"{c[k]:12d}" for k in KINDS))
    print(f"{bad} samples WRONG (or GB-family rejected)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
