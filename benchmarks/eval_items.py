"""Leaf-item precision, recall and F1 of the work-item parser against the spec **v1** gold.

Spec v2 (one item per paragraph, real page layouts) superseded v1; the v2 gold, written blind,
is scored by ``benchmarks/eval_blind.py`` with the shared scorer. This script keeps the v1
figures' command working: v1 counts exact (start, end) matches, so paragraph items of v2 show
up as misses here by design.

Gold: ``corpora/annotations/items/v1/seeds.jsonl`` (the five seeds) and
``corpora/annotations/items/v1/shared_corpus.jsonl`` (documents of ../shared/corpus,
by reference: the text is read from ../shared at run time).

An item matches when its (start, end) span equals a gold leaf's exactly; a
``--relaxed`` score also counts a match of the start offset alone (the item
begins where gold says, its end may differ).

    python benchmarks/eval_items.py            # both sets
    python benchmarks/eval_items.py --errors   # list the misses
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from govnlp.items import leaf_items, parse_items
from govnlp.references import resolve_reference

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "annotations" / "items" / "v1"


def score(gold_file: Path, show_errors: bool = False) -> dict:
    gold = defaultdict(set)
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["leaf"]:
            gold[rec["doc"]].add((rec["start"], rec["end"]))
    tp = fp = fn = tp_start = 0
    per_doc = {}
    for doc, spans in sorted(gold.items()):
        path = resolve_reference(doc)
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if doc.endswith("004_c58d5cdc487a53ce.txt"):
            # the gold treats each line of this seed as its own fragment (see the gold README)
            pred = set()
            offset = 0
            for line in text.split("\n"):
                pred |= {
                    (it["start"] + offset, it["end"] + offset)
                    for it in leaf_items(parse_items(line))
                }
                offset += len(line) + 1
        else:
            pred = {(it["start"], it["end"]) for it in leaf_items(parse_items(text))}
        t = len(pred & spans)
        gold_starts = {s for s, _ in spans}
        tp += t
        fp += len(pred - spans)
        fn += len(spans - pred)
        tp_start += len({s for s, _ in pred} & gold_starts)
        per_doc[doc] = (t, len(pred), len(spans))
        if show_errors:
            for s, e in sorted(spans - pred):
                print(f"  MISS {doc} {s}-{e} {text[s:e][:40]!r}")
            for s, e in sorted(pred - spans):
                print(f"  EXTRA {doc} {s}-{e} {text[s:e][:40]!r}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    n_pred = sum(v[1] for v in per_doc.values())
    n_gold = sum(v[2] for v in per_doc.values())
    ps = tp_start / n_pred if n_pred else 0.0
    rs = tp_start / n_gold if n_gold else 0.0
    fs = 2 * ps * rs / (ps + rs) if ps + rs else 0.0
    return {
        "documents": len(per_doc),
        "gold": n_gold,
        "predicted": n_pred,
        "precision": p,
        "recall": r,
        "f1": f,
        "start_f1": fs,
        "per_doc": per_doc,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    for name in ("seeds.jsonl", "shared_corpus.jsonl"):
        res = score(GOLD / name, args.errors)
        if not res["documents"]:
            print(f"{name}: documents not available, skipped")
            continue
        print(
            f"{name}: {res['documents']} docs, gold leaves {res['gold']}, predicted "
            f"{res['predicted']}: P {res['precision']:.3f} R {res['recall']:.3f} F1 "
            f"{res['f1']:.3f} (start-offset F1 {res['start_f1']:.3f})"
        )
        for doc, (t, n_p, n_g) in res["per_doc"].items():
            print(f"    {doc}: {t} exact of {n_p} predicted / {n_g} gold")


if __name__ == "__main__":
    main()
