#!/usr/bin/env python
"""Compare the two domain-classifier backends on the same held-out split.

    .venv/bin/python benchmarks/compare_domain_backends.py [--seed 0] [--json out.json]

Both backends are trained by :func:`govnlp.domains.train_domain_model` on the
corpus annotations (``corpora/annotations/domains/labels_*.jsonl``, rebuilt
from ``../shared``), with the same seed, hence the same train / validation /
test split; thresholds come from the validation part; the table reports the
test part: per-label P/R/F1, macro-F1, primary-label accuracy, training time
(both fits: training part, then training + validation) and tagging speed
(classifier only, items of the test part). The protocol is the default
model's: thresholds shrunk towards 0.5 with weight 20, refit before testing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govnlp.domains import load_reference_annotations, train_domain_model  # noqa: E402

# The settings of the bundled model (training/train_default.sh) for sklearn; spaCy's for textcat.
BACKENDS = {
    "sklearn": {"C": 1.0},
    "textcat (ensemble)": {"architecture": "ensemble"},
    "textcat (bow)": {"architecture": "bow"},
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", action="append", help="backends to run (default all)")
    ap.add_argument("--json", type=Path, help="write the reports as JSON")
    args = ap.parse_args()
    items = load_reference_annotations()
    if not items:
        print("no annotated items (is ../shared present?)", file=sys.stderr)
        return 1
    reports = {}
    for name, settings in BACKENDS.items():
        if args.only and name.split()[0] not in args.only and name not in args.only:
            continue
        backend = name.split()[0]
        _, rep = train_domain_model(
            items,
            backend=backend,
            seed=args.seed,
            settings=settings,
            refit=True,
            threshold_prior=20.0,
        )
        reports[name] = rep
        print(
            f"{name}: macro-F1 {rep['test']['macro']['f1']:.3f} in {rep['train_seconds']}s",
            file=sys.stderr,
        )
    names = list(reports)
    first = reports[names[0]]
    print(
        f"{len(items)} items; split train {first['split']['train']} / validation "
        f"{first['split']['validation']} / test {first['split']['test']} (seed {args.seed})\n"
    )
    print("| label | " + " | ".join(f"{n} P / R / F1" for n in names) + " | n |")
    print("|---|" + "---|" * (len(names) + 1))
    for lab in first["labels"]:
        cells = []
        for n in names:
            v = reports[n]["test"]["per_label"][lab]
            cells.append(f"{v['precision']:.2f} / {v['recall']:.2f} / **{v['f1']:.2f}**")
        print(
            f"| {lab} | " + " | ".join(cells) + f" | {first['test']['per_label'][lab]['support']} |"
        )
    rows = [
        ("macro-F1", lambda r: f"**{r['test']['macro']['f1']:.3f}**"),
        ("micro-F1", lambda r: f"{r['test']['micro']['f1']:.3f}"),
        ("primary-label accuracy", lambda r: f"{r['test']['primary_accuracy']:.3f}"),
        ("exact label set", lambda r: f"{r['test']['exact_match']:.3f}"),
        ("validation macro-F1", lambda r: f"{r['validation']['macro']['f1']:.3f}"),
        ("training time (s)", lambda r: f"{r['train_seconds']:.1f}"),
        ("tagging speed (items/s)", lambda r: f"{r['test']['items_per_second']:,.0f}"),
        ("tagging speed (chars/s)", lambda r: f"{r['test']['chars_per_second']:,.0f}"),
    ]
    for label, fn in rows:
        print(f"| {label} | " + " | ".join(fn(reports[n]) for n in names) + " | |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {n: {k: v for k, v in r.items() if k != "split_ids"} for n, r in reports.items()},
                ensure_ascii=False,
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
