#!/usr/bin/env python
"""Evaluate target→outcome linking (``govnlp.outcomes``) against the 海拉尔 gold.

Usage::

    .venv/bin/python benchmarks/eval_outcomes.py [--gold FILE] [--records RECORDS.jsonl]
                                                 [--min-score S] [--sweep] [--errors] [--json OUT]

Gold: ``corpora/annotations/outcomes/hailar.jsonl`` — one target per line, by reference (no
text): ``target`` and ``outcome`` are ``{"doc", "start", "end"}`` with ``doc`` a ``shared:…``
reference (``outcome`` null when no outcome is reported), ``verdict`` one of met / partly /
not_met / no_outcome, ``outcome_qualitative`` true when the outcome is words, not a number.
The eight reports are read from ``../shared`` (skipped with a message when it is absent).

Prediction: the full pipeline tags the documents the gold names (or ``--records`` gives
``govnlp tag`` output of the same documents, with ``doc_id`` = the reference), and
:func:`govnlp.outcomes.link_outcomes` pairs their records.

Matching (character overlap, one-to-one, greedy by overlap): a predicted target *matches* a gold
target when their spans in the same document overlap. Reported:

* **pairs** — precision, recall, F1 of linked pairs: a predicted pair (target with an outcome)
  is correct when its target matches a gold target whose gold outcome overlaps the predicted
  outcome. Gold pairs are those with a numeric outcome; ``--with-qualitative`` counts the
  qualitative ones too (no numeric linker can find them).
* **verdicts** — accuracy over the gold targets matched by a predicted target (a predicted
  target without outcome has verdict ``no_outcome``), and over all gold targets (an unmatched
  gold target counts as wrong).
* **target coverage** — gold targets matched by a predicted target (``--errors`` lists the
  others as ``MISS`` lines, after the ``FP`` and ``FN`` pairs).

``--sweep`` prints the figures for a range of ``--min-score`` thresholds (chosen on this gold:
its figures are development figures).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from govnlp.references import resolve_reference  # noqa: E402

GOLD = ROOT / "corpora" / "annotations" / "outcomes" / "hailar.jsonl"


def load_gold(path: Path) -> List[Dict[str, Any]]:
    """The gold pairs, one JSON object per line."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def tag_documents(docs: Sequence[str], region: Optional[str]) -> List[Dict[str, Any]]:
    """Records (as ``govnlp tag`` writes them, with text) of the documents ``docs`` names."""
    import govnlp
    from govnlp.records import doc_to_record

    nlp = govnlp.load(config={"components.govnlp_units.region": region} if region else None)
    records = []
    for ref in docs:
        text = resolve_reference(ref).read_text(encoding="utf-8")
        records.append(doc_to_record(nlp(text), ref, include_text=True))
    return records


def _overlap(a: Dict[str, Any], b: Dict[str, Any]) -> int:
    if a.get("doc") != b.get("doc"):
        return 0
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def _predicted(pairs) -> List[Dict[str, Any]]:
    out = []
    for p in pairs:
        t = p.target.record
        row = {
            "target": {"doc": p.target.doc_id, "start": t["start"], "end": t["end"]},
            "outcome": None,
            "verdict": p.verdict,
            "score": p.score,
            "indicator": p.target.indicator_name,
            "year": p.target.year,
        }
        if p.outcome is not None:
            o = p.outcome.record
            row["outcome"] = {"doc": p.outcome.doc_id, "start": o["start"], "end": o["end"]}
        out.append(row)
    return out


def match_targets(gold: List[Dict[str, Any]], pred: List[Dict[str, Any]]) -> Dict[int, int]:
    """gold index → predicted index, one-to-one by largest target overlap.

    Gold targets that share one span (a joint target, one pair per indicator) can each match a
    different predicted target inside it; when the span holds fewer predictions, an outcome
    overlap breaks the tie.
    """
    cands: List[Tuple[int, int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g["target"], p["target"])
            if ov:
                both = (
                    1
                    if g.get("outcome")
                    and p.get("outcome")
                    and _overlap(g["outcome"], p["outcome"])
                    else 0
                )
                cands.append((-both, -ov, gi, pi))
    cands.sort()
    used_g, used_p, out = set(), set(), {}
    for _b, _ov, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out[gi] = pi
    return out


def score(
    gold: List[Dict[str, Any]], pred: List[Dict[str, Any]], with_qualitative: bool = False
) -> Dict[str, Any]:
    """Pair P/R/F1, verdict accuracy and target coverage (see the module docstring)."""
    matched = match_targets(gold, pred)
    gold_linked = [
        gi
        for gi, g in enumerate(gold)
        if g.get("outcome") and (with_qualitative or not g.get("outcome_qualitative"))
    ]
    pred_linked = [pi for pi, p in enumerate(pred) if p.get("outcome")]
    by_pred = {pi: gi for gi, pi in matched.items()}
    correct = 0
    wrong: List[Tuple[str, Dict[str, Any], Optional[Dict[str, Any]]]] = []
    for pi in pred_linked:
        gi = by_pred.get(pi)
        g = gold[gi] if gi is not None else None
        if (
            g is not None
            and g.get("outcome")
            and _overlap(g["outcome"], pred[pi]["outcome"])
            and (with_qualitative or not g.get("outcome_qualitative"))
        ):
            correct += 1
        else:
            wrong.append(("FP", pred[pi], g))
    found = {by_pred[pi] for pi in pred_linked if pi in by_pred}
    for gi in gold_linked:
        pi = matched.get(gi)
        if (
            pi is None
            or not pred[pi].get("outcome")
            or not _overlap(gold[gi]["outcome"], pred[pi]["outcome"])
        ):
            wrong.append(("FN", pred[pi] if pi is not None else None, gold[gi]))
    linked = set(gold_linked)
    wrong.extend(
        ("MISS", None, g) for gi, g in enumerate(gold) if gi not in matched and gi not in linked
    )
    precision = correct / len(pred_linked) if pred_linked else 0.0
    recall = correct / len(gold_linked) if gold_linked else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    agree = sum(1 for gi, pi in matched.items() if gold[gi]["verdict"] == pred[pi]["verdict"])
    confusion = Counter((gold[gi]["verdict"], pred[pi]["verdict"]) for gi, pi in matched.items())
    del found
    return {
        "gold_targets": len(gold),
        "gold_pairs": len(gold_linked),
        "predicted_pairs": len(pred_linked),
        "correct_pairs": correct,
        "pair_precision": round(precision, 3),
        "pair_recall": round(recall, 3),
        "pair_f1": round(f1, 3),
        "targets_matched": len(matched),
        "target_coverage": round(len(matched) / len(gold), 3) if gold else 0.0,
        "verdict_accuracy_matched": round(agree / len(matched), 3) if matched else 0.0,
        "verdict_accuracy_all": round(agree / len(gold), 3) if gold else 0.0,
        "verdict_confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
        "errors": wrong,
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument(
        "--records",
        type=Path,
        help="govnlp tag output of the gold's documents (doc_id = reference)",
    )
    parser.add_argument(
        "--region", default="海拉尔区", help="the county the documents are from (default 海拉尔区)"
    )
    parser.add_argument("--min-score", type=float, default=None)
    parser.add_argument("--sweep", action="store_true", help="figures for min-score 0.3 … 0.95")
    parser.add_argument(
        "--with-qualitative", action="store_true", help="count qualitative gold outcomes as pairs"
    )
    parser.add_argument(
        "--errors",
        action="store_true",
        help="list wrong and missed pairs (FP, FN), and gold targets no prediction matches (MISS)",
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    from govnlp.outcomes import MIN_PAIR_SCORE, IndicatorTable, link_outcomes

    gold = load_gold(args.gold)
    docs = sorted(
        {g["target"]["doc"] for g in gold} | {g["outcome"]["doc"] for g in gold if g.get("outcome")}
    )
    missing = [d for d in docs if not resolve_reference(d).is_file()]
    if missing:
        print(
            f"eval_outcomes: {len(missing)} gold documents are not here (../shared absent?): "
            "skipped",
            file=sys.stderr,
        )
        return 0
    if args.records:
        from govnlp.io.tables import iter_records

        records = list(iter_records(str(args.records)))
    else:
        records = tag_documents(docs, args.region)
    table = IndicatorTable.default()
    thresholds = (
        [round(0.3 + 0.05 * i, 2) for i in range(14)]
        if args.sweep
        else [MIN_PAIR_SCORE if args.min_score is None else args.min_score]
    )
    results = {}
    for threshold in thresholds:
        pred = _predicted(link_outcomes(records, table, min_score=threshold))
        result = score(gold, pred, with_qualitative=args.with_qualitative)
        results[threshold] = result
        print(
            f"min-score {threshold:.2f}: pairs P {result['pair_precision']:.3f} R "
            f"{result['pair_recall']:.3f} F1 {result['pair_f1']:.3f} "
            f"({result['correct_pairs']}/{result['predicted_pairs']} predicted, "
            f"{result['gold_pairs']} gold) | verdict accuracy "
            f"{result['verdict_accuracy_matched']:.3f} on {result['targets_matched']} matched "
            f"targets, {result['verdict_accuracy_all']:.3f} on all {result['gold_targets']} | "
            f"target coverage {result['target_coverage']:.3f}"
        )
    last = results[thresholds[-1]]
    if not args.sweep:
        print("verdicts (gold->predicted):", last["verdict_confusion"])
    if args.errors:
        texts: Dict[str, str] = {}

        def show(span):
            if not span:
                return "-"
            text = texts.setdefault(
                span["doc"], resolve_reference(span["doc"]).read_text(encoding="utf-8")
            )
            return f"{Path(span['doc']).stem}:{span['start']} {text[span['start'] : span['end']]!r}"

        for kind, p, g in last["errors"]:
            print(
                kind,
                "pred",
                show(p and p["target"]),
                "->",
                show(p and p.get("outcome")),
                p and p.get("verdict"),
                "| gold",
                show(g and g["target"]),
                "->",
                show(g and g.get("outcome")),
                g and g.get("verdict"),
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    str(k): {kk: vv for kk, vv in v.items() if kk != "errors"}
                    for k, v in results.items()
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
