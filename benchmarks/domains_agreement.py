#!/usr/bin/env python
"""Inter-annotator agreement on policy domains: first pass against the blind second pass.

    .venv/bin/python benchmarks/domains_agreement.py

The second pass (``corpora/annotations/domains/second_pass.jsonl``) relabelled a
random sample of first-pass items without seeing the first labels. Reported per
label: items with the label in each pass, positive agreement (2·both / (A + B),
the F1 of one pass against the other) and Cohen's kappa on presence; overall:
primary-label agreement and identical label sets.
"""

from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "corpora" / "annotations" / "domains"


def main() -> int:
    first = {}
    for path in sorted(glob.glob(str(FOLDER / "labels_*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            first[(r["doc"], r["start"], r["end"])] = r["labels"]
    second = [json.loads(line) for line in open(FOLDER / "second_pass.jsonl", encoding="utf-8")]
    pairs = [
        (first[(r["doc"], r["start"], r["end"])], r["labels"])
        for r in second
        if (r["doc"], r["start"], r["end"]) in first
    ]
    n = len(pairs)
    if n == 0:
        print("no overlapping items", file=sys.stderr)
        return 1
    labels = sorted({lab for a, b in pairs for lab in a + b})
    print(f"{n} items labelled twice (second pass blind)")
    print(
        f"primary-label agreement {sum(a[0] == b[0] for a, b in pairs) / n:.3f}; identical "
        f"label sets {sum(set(a) == set(b) for a, b in pairs) / n:.3f}"
    )
    print(
        "\n| label | first | second | both | positive agreement | Cohen's kappa "
        "|\n|---|---|---|---|---|---|"
    )
    kappas = []
    for lab in labels:
        a = [lab in x for x, _ in pairs]
        b = [lab in y for _, y in pairs]
        both = sum(x and y for x, y in zip(a, b))
        na, nb = sum(a), sum(b)
        po = sum(x == y for x, y in zip(a, b)) / n
        pe = (na / n) * (nb / n) + (1 - na / n) * (1 - nb / n)
        kappa = (po - pe) / (1 - pe) if pe < 1 else 1.0
        kappas.append(kappa)
        pos = 2 * both / (na + nb) if na + nb else 1.0
        print(f"| {lab} | {na} | {nb} | {both} | {pos:.2f} | {kappa:.2f} |")
    print(f"\nmean kappa over labels {sum(kappas) / len(kappas):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
