"""Score govnlp on the blind gold (spec v2) with the shared scorer ``../shared/eval/score.py``.

Gold: ``corpora/annotations/blind/gold.jsonl`` — documents of ``../shared/corpus`` (county pages
and corpus documents) and the seeds, annotated blind (annotators saw only the spec and the text),
stored by reference. Each document is in the ``dev`` or ``test`` split (the parser was tuned on
both, the second after a first look: their figures are development figures) or in ``heldout``
(annotated later), ``fresh`` and ``fresh2`` (documents no annotation had referenced, annotated
blind later still): each was scored once before any rule looked at it (its first look, in the
README), and its figures since are development figures.

The scorer reads a gold directory (KEY.json + docs/KEY.txt); this script builds one in a
temporary directory from the references, predicts, and scores each subset separately:

    python benchmarks/eval_blind.py                       # items, parser alone, every subset
    python benchmarks/eval_blind.py --pipeline            # `govnlp tag` end to end: items and units
    python benchmarks/eval_blind.py --split dev --errors  # misses and extras per document
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

from govnlp.items import parse_items
from govnlp.references import resolve_reference, shared_dir

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "annotations" / "blind" / "gold.jsonl"


def load_scorer():
    path = shared_dir() / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("shared_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def load_gold(split: str, subset: str) -> List[Dict]:
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if split != "all" and g["split"] != split:
            continue
        if subset != "all" and g["set"] != subset:
            continue
        path = resolve_reference(g["doc"])
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != g["sha1"]:
            print(f"skipped {g['key']}: its text differs from the annotated one", file=sys.stderr)
            continue
        g["text"] = text
        rows.append(g)
    return rows


def write_gold_dir(rows: List[Dict], where: Path) -> Path:
    gold_dir = where / "gold"
    (gold_dir / "docs").mkdir(parents=True)
    for g in rows:
        (gold_dir / "docs" / f"{g['key']}.txt").write_text(g["text"], encoding="utf-8")
        items = [{**it, "labels": [], "targets": []} for it in g["items"]]
        (gold_dir / f"{g['key']}.json").write_text(
            json.dumps({"doc_id": g["key"], "items": items}, ensure_ascii=False), encoding="utf-8"
        )
    return gold_dir


def predict_parser(rows: List[Dict], out: Path) -> None:
    with out.open("w", encoding="utf-8") as fh:
        for g in rows:
            fh.write(
                json.dumps(
                    {"doc_id": f"{g['key']}.txt", "items": parse_items(g["text"])},
                    ensure_ascii=False,
                )
                + "\n"
            )


def predict_pipeline(gold_dir: Path, out: Path) -> None:
    exe = Path(sys.executable).parent / "govnlp"
    subprocess.run(
        [str(exe), "tag", str(gold_dir / "docs"), "-o", str(out)], check=True, capture_output=True
    )


def show_errors(rows: List[Dict], pred_file: Path, scorer) -> None:
    preds = scorer.load_pred(str(pred_file))
    for g in rows:
        text = g["text"]
        p_leaves = scorer.leaves(preds.get(g["key"], {}).get("items", []))
        g_leaves = scorer.leaves(g["items"])
        used = set()
        for gl in g_leaves:
            best = max(
                (
                    (scorer.iou((gl["start"], gl["end"]), (p["start"], p["end"])), i)
                    for i, p in enumerate(p_leaves)
                    if i not in used
                ),
                default=(0, None),
            )
            if best[0] >= 0.8:
                used.add(best[1])
            else:
                print(
                    f"  MISS  {g['key']} {gl['start']}-{gl['end']} "
                    f"{text[gl['start'] : gl['end']][:50]!r}"
                )
        for i, p in enumerate(p_leaves):
            if i not in used:
                print(
                    f"  EXTRA {g['key']} {p['start']}-{p['end']} "
                    f"{text[p['start'] : p['end']][:50]!r}"
                )


def show_unit_errors(rows: List[Dict], pred_file: Path, scorer) -> None:
    """Unit mentions as the scorer counts them: local gold missed, extras, wrong links."""
    preds = scorer.load_pred(str(pred_file))
    for g in rows:
        text = g["text"]
        g_all = [u for it in g["items"] for u in it.get("units", [])]
        g_loc = [u for u in g_all if u.get("scope", "local") == "local"]
        g_up = [u for u in g_all if u.get("scope", "local") != "local"]
        p_u = [u for it in preds.get(g["key"], {}).get("items", []) for u in it.get("units", [])]
        used = set()
        for gu in g_loc:
            k = next(
                (
                    i
                    for i, pu in enumerate(p_u)
                    if i not in used
                    and scorer.overlap((gu["start"], gu["end"]), (pu["start"], pu["end"]))
                ),
                None,
            )
            if k is None:
                print(
                    f"  UMISS  {g['key']} {text[gu['start'] : gu['end']]!r} ({gu['canonical']}) "
                    f"…{text[max(0, gu['start'] - 8) : gu['end'] + 8]!r}"
                )
                continue
            used.add(k)
            if scorer.norm_unit(gu["canonical"]) != scorer.norm_unit(p_u[k].get("canonical")):
                print(
                    f"  ULINK  {g['key']} {text[gu['start'] : gu['end']]!r} gold "
                    f"{gu['canonical']!r} pred {p_u[k].get('canonical')!r}"
                )
        for i, pu in enumerate(p_u):
            if i not in used and not any(
                scorer.overlap((gu["start"], gu["end"]), (pu["start"], pu["end"])) for gu in g_up
            ):
                print(
                    f"  UEXTRA {g['key']} {pu['text']!r} "
                    f"…{text[max(0, pu['start'] - 8) : pu['end'] + 8]!r}"
                )


def pool_results(parts: list) -> dict:
    """Micro-averaged figures over subsets: matches, predictions and gold summed (each subset's
    matches are its recall × gold; predictions, matches / precision; links, accuracy × matches)."""
    out = {}
    for key, gold_key, link in (("items", "leaves", None), ("units", "units", "units_link_acc")):
        tp = pred = gold = linked = 0.0
        for r in parts:
            g = r["gold_counts"][gold_key]
            t = r[f"{key}_r"] * g
            tp, gold = tp + t, gold + g
            pred += t / r[f"{key}_p"] if r[f"{key}_p"] else 0.0
            if link:
                linked += r[link] * t
        p, rc = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
        out[f"{key}_f1"] = round(2 * p * rc / (p + rc), 4) if p + rc else 0.0
        if link:
            out[link] = round(linked / tp, 4) if tp else 0.0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--split", choices=["dev", "test", "heldout", "fresh", "fresh2", "all"], default="all"
    )
    ap.add_argument(
        "--pipeline",
        action="store_true",
        help="run `govnlp tag` (items, units) instead of the parser alone",
    )
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--json", help="write all figures to this file")
    args = ap.parse_args()
    scorer = load_scorer()
    results = {}
    for split in (
        ["dev", "test", "heldout", "fresh", "fresh2"] if args.split == "all" else [args.split]
    ):
        for subset in ("seeds", "counties", "corpus"):
            rows = load_gold(split, subset)
            if not rows:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                gold_dir = write_gold_dir(rows, Path(tmp))
                pred = Path(tmp) / "pred.jsonl"
                (predict_pipeline(gold_dir, pred) if args.pipeline else predict_parser(rows, pred))
                res = scorer.score(scorer.load_pred(str(pred)), gold_dir)
                if args.errors:
                    show_errors(rows, pred, scorer)
                    if args.pipeline:
                        show_unit_errors(rows, pred, scorer)
            res.pop("per_doc", None)
            results[f"{split}/{subset}"] = res
            line = (
                f"{split:4} {subset:8} docs {res['docs']:3}  items P {res['items_p']:.3f} R "
                f"{res['items_r']:.3f} F1 {res['items_f1']:.3f} (gold leaves "
                f"{res['gold_counts']['leaves']})"
            )
            if args.pipeline:
                line += (
                    f"  units P {res['units_p']:.3f} R {res['units_r']:.3f} F1 "
                    f"{res['units_f1']:.3f} link {res['units_link_acc']:.3f} (gold "
                    f"{res['gold_counts']['units']})"
                )
            print(line, flush=True)
    for name, keys in (
        ("all", list(results)),
        ("all but the seeds", [k for k in results if "seeds" not in k]),
        ("county pages", [k for k in results if "counties" in k]),
    ):
        if len(keys) > 1:
            pooled = pool_results([results[k] for k in keys])
            results[f"pooled/{name}"] = pooled
            line = f"pooled {name:18} items F1 {pooled['items_f1']:.3f}"
            if args.pipeline:
                line += f"  units F1 {pooled['units_f1']:.3f} link {pooled['units_link_acc']:.3f}"
            print(line)
    if args.json:
        Path(args.json).write_text(
            json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
