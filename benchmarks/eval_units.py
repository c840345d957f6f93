#!/usr/bin/env python
"""Evaluate unit detection and linking against the gold in corpora/annotations/units/.

Usage::

    .venv/bin/python benchmarks/eval_units.py [--gold FILE ...] [--no-divisions] [--errors]

The linker runs the way the ``govnlp_units`` component does: per item of the
*gold* work-item annotations (corpora/annotations/items/), on the text each item
owns (a leaf its span, a heading the part before its first child), with the
region resolved from the whole document by :func:`resolve_region`. So the
figures measure the unit linker alone, not the item splitter.

Reported: detection precision/recall/F1 (exact span), partial-overlap recall,
and on exactly matched spans the linking accuracy (canonical and nil flag equal),
role accuracy and scope accuracy; per document and overall.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from govnlp.units import Gazetteer, find_units, resolve_region  # noqa: E402
from govnlp.units.component import item_own_spans  # noqa: E402
from govnlp.references import resolve_reference  # noqa: E402


def load_jsonl(path: Path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", nargs="*", default=None)
    ap.add_argument("--no-divisions", action="store_true")
    ap.add_argument("--errors", action="store_true", help="print false positives/negatives")
    args = ap.parse_args(argv)
    gold_files = (
        [Path(g) for g in args.gold]
        if args.gold
        else sorted((REPO / "corpora/annotations/units").glob("*.jsonl"))
    )
    gold = [r for f in gold_files for r in load_jsonl(f)]
    items = load_jsonl(REPO / "corpora/annotations/items/v1/seeds.jsonl") + load_jsonl(
        REPO / "corpora/annotations/items/v1/shared_corpus.jsonl"
    )
    items_by_doc = defaultdict(list)
    for it in items:
        items_by_doc[it["doc"]].append(it)
    gaz = Gazetteer.default(divisions=None if args.no_divisions else "default")

    gold_by_doc = defaultdict(list)
    for g in gold:
        gold_by_doc[g["doc"]].append(g)
    tot = defaultdict(int)
    t0 = time.perf_counter()
    rows = []
    for doc in sorted(gold_by_doc):
        text = resolve_reference(doc).read_text(encoding="utf-8")
        for g in gold_by_doc[doc]:
            assert text[g["start"] : g["end"]][:6] == g["check"], (doc, g)
        region = resolve_region(text, divisions=gaz.divisions)
        view = gaz.view(region)
        its = sorted(items_by_doc[doc], key=lambda r: r["start"])
        pred = []
        for s, e in item_own_spans(its):
            if e > s:
                pred += find_units(text[s:e], view, offset=s)
        G = {(g["start"], g["end"]): g for g in gold_by_doc[doc]}
        P = {(p["start"], p["end"]): p for p in pred}
        tp = set(G) & set(P)
        partial = sum(1 for gs, ge in G if any(ps < ge and gs < pe for ps, pe in P))
        link = sum(
            1 for k in tp if P[k]["canonical"] == G[k]["canonical"] and P[k]["nil"] == G[k]["nil"]
        )
        role = sum(1 for k in tp if P[k]["role"] == G[k]["role"])
        scope = sum(1 for k in tp if P[k]["scope"] == G[k].get("scope", P[k]["scope"]))
        d = dict(
            gold=len(G), pred=len(P), tp=len(tp), partial=partial, link=link, role=role, scope=scope
        )
        for k, v in d.items():
            tot[k] += v
        rows.append((doc, region, d))
        if args.errors:
            for k in sorted(set(P) - set(G)):
                print(f"  FP {doc.split('/')[-1]} {k} {P[k]['text']!r} -> {P[k]['canonical']}")
            for k in sorted(set(G) - set(P)):
                print(f"  FN {doc.split('/')[-1]} {k} {text[k[0] : k[1]]!r} ({G[k]['canonical']})")
            for k in sorted(tp):
                p, g = P[k], G[k]
                if (
                    (p["canonical"], p["nil"]) != (g["canonical"], g["nil"])
                    or p["role"] != g["role"]
                    or p["scope"] != g.get("scope", p["scope"])
                ):
                    print(
                        f"  LINK {doc.split('/')[-1]} {p['text']!r}: pred "
                        f"{p['canonical']}/{p['nil']}/{p['role']}/{p['scope']} gold "
                        f"{g['canonical']}/{g['nil']}/{g['role']}/{g.get('scope')}"
                    )
    secs = time.perf_counter() - t0

    def fmt(d):
        p = d["tp"] / d["pred"] if d["pred"] else 0.0
        r = d["tp"] / d["gold"] if d["gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        la = d["link"] / d["tp"] if d["tp"] else 0.0
        ra = d["role"] / d["tp"] if d["tp"] else 0.0
        sa = d["scope"] / d["tp"] if d["tp"] else 0.0
        return (
            f"gold {d['gold']:4d} pred {d['pred']:4d} P {p:.3f} R {r:.3f} F1 {f:.3f} "
            f"overlapR {d['partial'] / d['gold'] if d['gold'] else 0:.3f} | link {la:.3f} "
            f"role {ra:.3f} scope {sa:.3f}"
        )

    for doc, region, d in rows:
        name = doc.replace("corpora/samples/", "").replace("shared:corpus/raw/", "")[-48:]
        print(f"{name:50s} {(region or {}).get('name') or '-':6s} {fmt(d)}")
    print(f"{'ALL':50s} {'':6s} {fmt(tot)}")
    print(
        f"({secs:.2f}s for {len(rows)} documents; exact longest-match over aliases, no fuzzy "
        "fallback)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
