#!/usr/bin/env python
"""CPU time per character of each pipeline stage (tokenizer, then each component), for one
checkout's code — to compare two checkouts on the same machine, back to back.

    .venv/bin/python benchmarks/bench_components.py                  # this checkout
    .venv/bin/python benchmarks/bench_components.py --code /work/old  # another checkout's code

The texts: the 海拉尔 work reports of ``../shared/corpus`` and the seeds (``corpora/samples``),
twice; the first document is tagged once before timing (models and gazetteer views load on
first use). CPU time (``time.process_time``) of this process, so other load matters less than
for wall-clock rates; single runs vary by ±20 % on a shared machine: run each side three times.
``--passes N`` runs the whole pipeline N times over the texts and keeps each stage's fastest
pass (a burst of load on the machine inflates some passes, never the minimum much).
"""

from __future__ import annotations

import argparse
import glob
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose govnlp is imported")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--passes", type=int, default=1, help="each stage's fastest of N passes")
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    import govnlp

    reports = sorted(
        glob.glob(
            str(
                ROOT.parent
                / "shared/corpus/raw/derek-s__Python-GovWorkReportAnalyze/reportData/*.txt"
            )
        )
    )
    paths = reports + sorted(glob.glob(str(ROOT / "corpora/samples/*.txt")))
    texts = [Path(p).read_text(encoding="utf-8") for p in paths] * args.repeat
    n = sum(map(len, texts))
    nlp = govnlp.load()
    nlp(texts[0])
    cost: dict = {}
    for _ in range(max(1, args.passes)):
        t0 = time.process_time()
        docs = [nlp.make_doc(t) for t in texts]
        seconds = {"tokenizer": time.process_time() - t0}
        for name, proc in nlp.pipeline:
            t0 = time.process_time()
            docs = [proc(d) for d in docs]
            seconds[name] = time.process_time() - t0
        cost = {k: min(v, cost.get(k, v)) for k, v in seconds.items()}
    components = sum(v for k, v in cost.items() if k != "tokenizer")
    passes = f", fastest of {args.passes} passes" if args.passes > 1 else ""
    print(
        f"{govnlp.__file__}: {len(texts)} documents, {n:,} characters{passes}; "
        "CPU µs per character:"
    )
    for name, seconds in cost.items():
        print(f"  {name:<16} {seconds * 1e6 / n:6.2f}")
    print(
        f"  components       {components * 1e6 / n:6.2f}  "
        f"(pipeline = {cost['tokenizer'] / (cost['tokenizer'] + components):.2f} × tokenizer alone)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
