#!/usr/bin/env python
"""Evaluate numeric quantity/target extraction against the gold in corpora/annotations/targets/.

Usage::

    .venv/bin/python benchmarks/eval_targets.py [--segmenter pkuseg|char|jieba] [--errors]
        [--only seeds|corpus]

Gold: ``seeds.jsonl`` (the five seeds, with the surface ``text``) and
``shared_corpus.jsonl`` (documents of ../shared/corpus by reference: offsets only,
the text is read from ../shared at run time; those documents are skipped with a
message when ../shared is absent). The conventions are in the README there.

Prediction: the *full* pipeline (``govnlp.load(segmenter=...)``) runs on each whole
document, and every record in ``doc._.items[i]["targets"]`` of every item is a
predicted quantity. So the figures measure item splitting + quantity detection +
target classification together, as a user of the pipeline sees them.

Matching rule (one-to-one, overlap based): every (gold, predicted) pair whose
character spans overlap is a candidate; candidates are taken greedily by the
largest overlap (ties: the smaller |start difference|, then document order), and
a pair is kept when neither side is matched yet. A gold span therefore matches at
most one prediction and vice versa; bound words included or not in a span
(``100亿元以上`` vs ``100亿元``) do not prevent a match.

Reported per document and overall:

* detection: precision = matched / predicted, recall = matched / gold, F1;
* on matched pairs, the accuracy of ``kind``, ``value_base`` (equal within a
  relative 1e-6, or both null), ``unit`` and ``bound``;
* per attribute X, "strict" precision and recall: a predicted quantity is correct
  for X when it matches a gold span AND X agrees, so P_X = correct_X / predicted
  and R_X = correct_X / gold.

``--errors`` lists false positives (FP), misses (FN) and attribute disagreements.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from govnlp.references import resolve_reference  # noqa: E402

GOLD = ROOT / "corpora" / "annotations" / "targets"
ATTRS = ("kind", "value_base", "unit", "bound")


def load_jsonl(path: Path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def same(attr: str, p, g) -> bool:
    a, b = p.get(attr), g.get(attr)
    if attr == "value_base":
        if a is None or b is None:
            return a is None and b is None
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    return a == b


def match(gold: list, pred: list) -> list:
    """One-to-one greedy matching by largest character overlap; returns (gi, pi) pairs."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if ov > 0:
                cands.append((-ov, abs(g["start"] - p["start"]), g["start"], p["start"], gi, pi))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for *_, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def predict(nlp, text: str) -> list:
    doc = nlp(text)
    out = []
    for it in doc._.items or []:
        out.extend(it.get("targets") or [])
    # the same span can only be predicted once even if items overlapped
    seen, uniq = set(), []
    for p in sorted(out, key=lambda r: (r["start"], r["end"])):
        if (p["start"], p["end"]) not in seen:
            seen.add((p["start"], p["end"]))
            uniq.append(p)
    return uniq


def score_set(nlp, gold_file: Path, show_errors: bool, all_docs=()) -> tuple:
    """Score one gold file; ``all_docs`` adds documents annotated with no quantity at all."""
    gold_by_doc = defaultdict(list)
    for doc in all_docs:
        gold_by_doc[doc]
    for g in load_jsonl(gold_file):
        gold_by_doc[g["doc"]].append(g)
    rows, skipped = [], []
    tot = defaultdict(int)
    for doc in sorted(gold_by_doc):
        path = resolve_reference(doc)
        if not path.exists():
            skipped.append(doc)
            continue
        text = path.read_text(encoding="utf-8")
        gold = sorted(gold_by_doc[doc], key=lambda r: r["start"])
        for g in gold:
            assert 0 <= g["start"] < g["end"] <= len(text), (doc, g)
            if "text" in g:
                assert text[g["start"] : g["end"]] == g["text"], (doc, g)
        pred = predict(nlp, text)
        pairs = match(gold, pred)
        d = defaultdict(int, gold=len(gold), pred=len(pred), tp=len(pairs))
        for gi, pi in pairs:
            for a in ATTRS:
                d[a] += same(a, pred[pi], gold[gi])
        for k, v in d.items():
            tot[k] += v
        rows.append((doc, d))
        if show_errors:
            name = doc.split("/")[-1]
            mg = {gi for gi, _ in pairs}
            mp = {pi for _, pi in pairs}
            for pi, p in enumerate(pred):
                if pi not in mp:
                    print(
                        f"  FP   {name} {p['start']}-{p['end']} {text[p['start'] : p['end']]!r} "
                        f"{p.get('kind')}/{p.get('unit')}/{p.get('value_base')} | {_ctx(text, p)}"
                    )
            for gi, g in enumerate(gold):
                if gi not in mg:
                    print(
                        f"  FN   {name} {g['start']}-{g['end']} {text[g['start'] : g['end']]!r} "
                        f"{g['kind']}/{g['unit']}/{g['value_base']} | {_ctx(text, g)}"
                    )
            for gi, pi in pairs:
                p, g = pred[pi], gold[gi]
                bad = [a for a in ATTRS if not same(a, p, g)]
                if bad:
                    diff = " ".join(f"{a}: pred {p.get(a)!r} gold {g.get(a)!r}" for a in bad)
                    print(
                        f"  ATTR {name} "
                        f"{text[p['start'] : p['end']]!r}~{text[g['start'] : g['end']]!r} {diff} "
                        f"| {_ctx(text, g)}"
                    )
    return rows, tot, skipped


def _ctx(text: str, r: dict, w: int = 14) -> str:
    s, e = r["start"], r["end"]
    return (text[max(0, s - w) : s] + "[" + text[s:e] + "]" + text[e : e + 6]).replace("\n", " ")


def fmt_detect(d) -> str:
    p = d["tp"] / d["pred"] if d["pred"] else 0.0
    r = d["tp"] / d["gold"] if d["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    acc = " ".join(f"{d[a] / d['tp'] if d['tp'] else 0:.3f}" for a in ATTRS)
    return f"{d['gold']:5d} {d['pred']:5d} {d['tp']:5d}  {p:.3f} {r:.3f} {f:.3f} | {acc}"


def fmt_strict(d) -> str:
    cells = []
    for a in ATTRS:
        pa = d[a] / d["pred"] if d["pred"] else 0.0
        ra = d[a] / d["gold"] if d["gold"] else 0.0
        cells.append(f"{pa:.3f}/{ra:.3f}")
    return "  ".join(f"{c:>11s}" for c in cells)


def print_table(title: str, rows, tot) -> None:
    print(f"\n== {title}")
    head = (
        f"{'document':40s} {'gold':>5s} {'pred':>5s} {'match':>5s}  {'P':>5s} {'R':>5s} "
        f"{'F1':>5s} | {'kind':>5s} {'v_base':>5s} {'unit':>5s} {'bound':>5s}   (accuracy on "
        "matched pairs)"
    )
    print(head)
    for doc, d in rows:
        name = doc.replace("corpora/samples/", "").replace("shared:corpus/raw/", "")[-40:]
        print(f"{name:40s} {fmt_detect(d)}")
    print(f"{'ALL':40s} {fmt_detect(tot)}")
    print(f"{'strict P/R per attribute':40s} " + "  ".join(f"{a:>11s}" for a in ATTRS))
    for doc, d in rows:
        name = doc.replace("corpora/samples/", "").replace("shared:corpus/raw/", "")[-40:]
        print(f"{name:40s} {fmt_strict(d)}")
    print(f"{'ALL':40s} {fmt_strict(tot)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--segmenter", default="pkuseg", help="pkuseg (default), char or jieba")
    ap.add_argument("--errors", action="store_true", help="list FP / FN / attribute disagreements")
    ap.add_argument("--only", choices=("seeds", "corpus"), default=None)
    args = ap.parse_args(argv)

    import govnlp

    t0 = time.perf_counter()
    nlp = govnlp.load(segmenter=args.segmenter)
    sets = [
        ("seeds", "seeds.jsonl", "seed documents (corpora/samples)"),
        ("corpus", "shared_corpus.jsonl", "../shared corpus documents"),
    ]
    for key, fname, title in sets:
        if args.only and args.only != key:
            continue
        if args.errors:
            print(f"\n-- errors: {title}")
        # every seed is annotated (003 has no quantity at all), so all of them are scored
        every = (
            [
                f"corpora/samples/{p.name}"
                for p in sorted((ROOT / "corpora" / "samples").glob("*.txt"))
            ]
            if key == "seeds"
            else []
        )
        rows, tot, skipped = score_set(nlp, GOLD / fname, args.errors, every)
        for doc in skipped:
            print(f"{doc}: not available (../shared absent?), skipped")
        if rows:
            print_table(f"{title}, segmenter={args.segmenter}", rows, tot)
    print(
        f"\n({time.perf_counter() - t0:.1f}s; overlap-based one-to-one matching, see the docstring)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
