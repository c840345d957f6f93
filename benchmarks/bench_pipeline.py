"""Throughput, memory and load time of the govnlp pipeline, and of its engines.

    .venv/bin/python benchmarks/bench_pipeline.py                  # full run (~2.3 MB of text)
    .venv/bin/python benchmarks/bench_pipeline.py --quick          # ~0.3 MB, a smoke test
    .venv/bin/python benchmarks/bench_pipeline.py --json out/bench_pipeline.json
    # 3 documents, char segmenter: does it run? (make bench-small, tests)
    .venv/bin/python benchmarks/bench_pipeline.py --smoke

Corpus: the seeds (``corpora/samples``) plus the county-level reports of
``../shared/corpus`` (``MANIFEST.jsonl`` entries with ``level == "county"``),
read at run time and repeated until the UTF-8 text reaches ``--min-mb``
(nothing from ../shared is copied into the repository; the Dask and local
engine runs read the repeated documents from a temporary directory).

Each configuration runs in a fresh interpreter, so that its peak RSS is its own:

a. the pipeline's tokenizer alone (pkuseg segmentation + ``Doc`` construction);
b. the full pipeline, one process (``nlp.pipe``);
c. the full pipeline, two processes (``nlp.pipe(n_process=2)``; peak RSS of each worker);
d. ``govnlp tag``'s engines end to end (read, tag, write JSONL): the local engine
   as ``govnlp tag`` runs it by default (one forked worker process with the
   per-document budget), in this process (``--doc-timeout 0``) and with
   ``--n-process 2`` (two forked workers), and the Dask engine with a two-worker
   ``LocalCluster`` (workers warmed first: each has built its pipeline; the
   start-up is reported apart);

and the load time of ``govnlp.load()`` in a fresh interpreter (median of 3).
Every run first processes each distinct document once, untimed (lazy state such
as the units gazetteer's per-county views, page-ins of the memory-mapped
segmenter weights), so the rates are steady-state; the "CPU s" column sums all
processes (parent, spaCy's workers, Dask client and workers) and is the figure
to trust when the machine is shared and wall-clock rates are noisy.
The pipeline measured is whatever ``govnlp.load()`` returns (its components are
listed in the output). Goals checked: full pipeline ≥ 0.8 × tokenizer alone,
two processes ≥ 1.7 × one, load ≤ 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"

GOAL_FULL_VS_TOKENIZER = 0.8
GOAL_TWO_VS_ONE = 1.7
GOAL_LOAD_S = 2.0


# -- corpus ----------------------------------------------------------------------------------


def base_documents(max_docs: Optional[int] = None) -> List[Tuple[str, str]]:
    """(name, text) of the seeds and the county reports of ../shared/corpus (the first
    ``max_docs``).
    """
    docs = [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "corpora" / "samples").glob("*.txt"))
    ]
    manifest = SHARED / "MANIFEST.jsonl"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("level") == "county":
                docs.append((rec["path"], (SHARED / rec["path"]).read_text(encoding="utf-8")))
    else:
        print(f"note: {manifest} not found; the corpus is the seeds only", file=sys.stderr)
    return docs[:max_docs] if max_docs else docs


def corpus(min_mb: float, max_docs: Optional[int] = None) -> List[Tuple[str, str]]:
    """The base documents repeated until their UTF-8 size reaches ``min_mb`` MB (10^6 bytes);
    with ``max_docs``, those documents once each."""
    base = base_documents(max_docs)
    if max_docs:
        return [(f"r0/{name.replace('/', '__')}", text) for name, text in base]
    out: List[Tuple[str, str]] = []
    size, rep = 0, 0
    while size < min_mb * 1e6:
        for name, text in base:
            out.append((f"r{rep}/{name.replace('/', '__')}", text))
            size += len(text.encode("utf-8"))
        rep += 1
    return out


# -- runs (each in a fresh interpreter) ------------------------------------------------------


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux: KiB


def _load_pipeline(segmenter: Optional[str] = None) -> Tuple[Any, float]:
    import govnlp

    t0 = time.perf_counter()
    nlp = govnlp.load(segmenter=segmenter)
    return nlp, time.perf_counter() - t0


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished children (spaCy's n_process workers)."""
    me, ch = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


def _timed_passes(fn, passes: int) -> Tuple[float, float]:
    """Median wall and CPU seconds of ``passes`` calls of ``fn``."""
    times, cpus = [], []
    for _ in range(passes):
        t0, c0 = time.perf_counter(), _cpu_s()
        fn()
        times.append(time.perf_counter() - t0)
        cpus.append(_cpu_s() - c0)
    return statistics.median(times), statistics.median(cpus)


#: The local-engine runs of ``govnlp tag``: mode -> (n_process, doc_timeout).
LOCAL_RUNS = {"local_engine": (1, 120.0), "local_inproc": (1, 0.0), "local2": (2, 120.0)}
MODES = ("tokenizer", "full1", "full2", *LOCAL_RUNS, "dask2")


def run_mode(
    mode: str, corpus_file: str, passes: int, batch_size: int, segmenter: Optional[str] = None
) -> Dict[str, Any]:
    data = json.loads(Path(corpus_file).read_text(encoding="utf-8"))
    docs, warm = data["docs"], [t for _, t in data["docs"][: data["base_n"]]]
    texts = [t for _, t in docs]
    res: Dict[str, Any] = {
        "mode": mode,
        "documents": len(texts),
        "characters": sum(map(len, texts)),
    }
    if mode == "tokenizer":
        nlp, res["load_s"] = _load_pipeline(segmenter)
        for t in warm:  # untimed warm-up: every distinct document once
            nlp.tokenizer(t)
        res["seconds"], res["cpu_s"] = _timed_passes(
            lambda: [nlp.tokenizer(t) for t in texts], passes
        )
        res["pipeline"] = list(nlp.pipe_names)
        res["peak_rss_mb"] = {"main": _peak_rss_mb()}
    elif mode in ("full1", "full2"):
        nlp, res["load_s"] = _load_pipeline(segmenter)
        list(
            nlp.pipe(warm)
        )  # untimed warm-up (lazy per-region state, page-ins); forked workers inherit it
        n = 1 if mode == "full1" else 2
        res["seconds"], res["cpu_s"] = _timed_passes(
            lambda: list(nlp.pipe(texts, n_process=n, batch_size=batch_size)), passes
        )
        res["pipeline"] = list(nlp.pipe_names)
        res["peak_rss_mb"] = {"main": _peak_rss_mb()}
        if n > 1:
            res["peak_rss_mb"]["each worker (max)"] = _peak_rss_mb(resource.RUSAGE_CHILDREN)
    elif mode in (*LOCAL_RUNS, "dask2"):
        from govnlp.tagging import tag_paths

        with tempfile.TemporaryDirectory(prefix="govnlp-bench-") as tmp:
            src = Path(tmp) / "in"
            for name, text in docs:
                p = src / (name + ("" if name.endswith(".txt") else ".txt"))
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(text, encoding="utf-8")
            out = Path(tmp) / "out.jsonl"
            if mode in LOCAL_RUNS:
                n_process, doc_timeout = LOCAL_RUNS[mode]
                nlp, res["load_s"] = _load_pipeline(segmenter)
                list(nlp.pipe(warm))  # untimed warm-up; forked workers inherit it
                runs, cpus = [], []
                for _ in range(passes):
                    c0 = _cpu_s()
                    stats = tag_paths(
                        nlp,
                        [src],
                        out,
                        batch_size=batch_size,
                        n_process=n_process,
                        doc_timeout=doc_timeout,
                    )
                    runs.append(stats.seconds)
                    cpus.append(_cpu_s() - c0)
                res["seconds"], res["cpu_s"] = statistics.median(runs), statistics.median(cpus)
                res["peak_rss_mb"] = {"main": _peak_rss_mb()}
                if doc_timeout or n_process > 1:
                    res["peak_rss_mb"]["each worker (max)"] = _peak_rss_mb(resource.RUSAGE_CHILDREN)
            else:
                from govnlp.engines import PipelineSpec, TagOptions
                from govnlp.engines.dask import DaskEngine, tag_batch

                from govnlp.io import InputDocument

                spec = PipelineSpec(segmenter=segmenter)
                t0 = time.perf_counter()
                engine = DaskEngine(spec, workers=2)
                engine.start()
                res["cluster_start_s"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                engine.warm()  # every worker builds its pipeline now
                res["workers_load_s"] = time.perf_counter() - t0
                # untimed warm-up, as for the local runs: every worker tags every distinct document
                # once
                warm_docs = [InputDocument(f"warm{i}", t) for i, t in enumerate(warm)]
                for w in engine.client.scheduler_info(n_workers=-1)["workers"]:
                    results = engine.client.submit(
                        tag_batch,
                        spec,
                        warm_docs,
                        TagOptions(include_text=False, batch_size=batch_size, doc_timeout=None),
                        workers=[w],
                        allow_other_workers=False,
                        pure=False,
                    ).result()
                    failed = [r for r in results if r[2] is not None]
                    if failed:
                        raise RuntimeError(
                            f"dask warm-up: {len(failed)} documents failed, e.g. "
                            f"{failed[0][2]}: {failed[0][3]}"
                        )

                def cluster_cpu() -> float:
                    usage = engine.client.run(_worker_cpu_s)
                    return _cpu_s() + sum(usage.values())

                runs, cpus = [], []
                for _ in range(passes):
                    c0 = cluster_cpu()
                    stats = tag_paths(None, [src], out, batch_size=batch_size, engine=engine)
                    runs.append(stats.seconds)
                    cpus.append(cluster_cpu() - c0)
                res["seconds"], res["cpu_s"] = statistics.median(runs), statistics.median(cpus)
                worker_rss = engine.client.run(
                    lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
                )
                engine.close()
                res["peak_rss_mb"] = {"client": _peak_rss_mb()}
                for i, (_, mb) in enumerate(sorted(worker_rss.items())):
                    res["peak_rss_mb"][f"worker {i + 1}"] = mb
            res["errors"] = stats.errors
            res["records"] = stats.documents
            if stats.errors or stats.documents != len(docs):
                raise RuntimeError(
                    f"{mode}: {stats.errors} errors, {stats.documents} of {len(docs)} documents "
                    "tagged"
                )
    else:
        raise ValueError(mode)
    return res


def _worker_cpu_s() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


LOAD_SNIPPET = r"""
import json, time
t0, c0 = time.perf_counter(), time.process_time()
import govnlp
t1, c1 = time.perf_counter(), time.process_time()
nlp = govnlp.load()
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "total_s": t2 - t0, "load_cpu_s": c2 - c1,
                  "pipeline": nlp.pipe_names}))
"""


BUSY_SNIPPET = (
    "import time; t = time.perf_counter(); sum(i * i for i in range(6_000_000)); "
    "print(time.perf_counter() - t)"
)


def free_cores() -> float:
    """How many cores two CPU-bound processes get right now: 2 × t(one alone) / t(two at once)
    (≈ 2 on an idle two-core machine, ≈ 1 when other work takes a core)."""

    def run(k: int) -> float:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", BUSY_SNIPPET], stdout=subprocess.PIPE, text=True
            )
            for _ in range(k)
        ]
        return max(float(p.communicate()[0]) for p in procs)

    one = run(1)
    two = run(2)
    return round(2 * one / two, 2)


def measure_load(n: int = 3, segmenter: Optional[str] = None) -> Dict[str, Any]:
    runs = []
    snippet = LOAD_SNIPPET.replace("govnlp.load()", f"govnlp.load(segmenter={segmenter!r})")
    for _ in range(n):
        out = subprocess.run(
            [sys.executable, "-c", snippet], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "runs": runs,
        "load_s": statistics.median(r["load_s"] for r in runs),
        "load_cpu_s": statistics.median(r["load_cpu_s"] for r in runs),
        "import_s": statistics.median(r["import_s"] for r in runs),
        "total_s": statistics.median(r["total_s"] for r in runs),
    }


def spawn(
    mode: str, corpus_file: str, passes: int, batch_size: int, segmenter: Optional[str] = None
) -> Dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--_run",
        mode,
        "--_corpus",
        corpus_file,
        "--passes",
        str(passes),
        "--batch-size",
        str(batch_size),
    ]
    if segmenter:
        cmd += ["--segmenter", segmenter]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"benchmark run {mode} failed")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["wall_s"] = time.perf_counter() - t0
    return res


# -- report ----------------------------------------------------------------------------------


def _rate(r: Dict[str, Any]) -> Tuple[float, float]:
    return r["documents"] / r["seconds"], r["characters"] / r["seconds"]


def report(results: Dict[str, Any]) -> str:
    runs = results["runs"]
    tok, one = runs["tokenizer"], runs["full1"]
    rows = [
        (
            "a. tokenizer alone "
            f"({results.get('segmenter', 'pkuseg').replace('default (pkuseg)', 'pkuseg')}), 1 "
            "process",
            "tokenizer",
            tok["seconds"] / tok["seconds"],
            "1.00 (reference)",
        ),
        (
            "b. full pipeline, 1 process",
            "full1",
            None,
            f"{tok['seconds'] / one['seconds']:.2f} × a",
        ),
    ]
    lines = [
        f"corpus: {tok['documents']} documents, {tok['characters']:,} characters "
        f"({results['corpus_mb']:.2f} MB UTF-8; {results['base_documents']} distinct, repeated); "
        f"pipeline: {' → '.join(['tokenizer'] + tok['pipeline'])} (segmenter: "
        f"{results.get('segmenter', 'default')})",
        f"machine: {results['machine']['cpus']} CPUs, load average "
        f"{results['machine']['loadavg_start']} at start, {results['machine']['loadavg_end']} at "
        f"end; two busy processes got {results['machine']['free_cores_start']} cores at start, "
        f"{results['machine']['free_cores_end']} at end (2.0 = idle two-core machine; wall-clock "
        "rates are only as good as this)",
        "",
        "| run | docs/s | chars/s | relative | CPU s (all processes) | peak RSS (MB) |",
        "|---|---:|---:|---|---:|---|",
    ]

    def rss(r: Dict[str, Any]) -> str:
        return ", ".join(f"{k} {v:,.0f}" for k, v in r["peak_rss_mb"].items())

    def row(label: str, r: Dict[str, Any], rel: str) -> None:
        d, c = _rate(r)
        lines.append(f"| {label} | {d:.2f} | {c:,.0f} | {rel} | {r['cpu_s']:.1f} | {rss(r)} |")

    row(rows[0][0], tok, rows[0][3])
    row(rows[1][0], one, rows[1][3])
    if "full2" in runs:
        row(
            "c. full pipeline, 2 processes (`nlp.pipe(n_process=2)`)",
            runs["full2"],
            f"{one['seconds'] / runs['full2']['seconds']:.2f} × b",
        )
    if "local_engine" in runs:
        row(
            "d. `govnlp tag`, local engine, 1 worker process (the default: read + tag + write)",
            runs["local_engine"],
            "1.00 (reference for d)",
        )
    for key, label in (
        ("local_inproc", "d. `govnlp tag --doc-timeout 0` (in this process, no budget)"),
        ("local2", "d. `govnlp tag --n-process 2` (2 worker processes)"),
    ):
        if key in runs:
            rel = (
                f"{runs['local_engine']['seconds'] / runs[key]['seconds']:.2f} × local engine"
                if "local_engine" in runs
                else ""
            )
            row(label, runs[key], rel)
    if "dask2" in runs:
        dk = runs["dask2"]
        rel = (
            f"{runs['local_engine']['seconds'] / dk['seconds']:.2f} × local engine"
            if "local_engine" in runs
            else ""
        )
        row("d. `govnlp tag --engine dask`, 2 workers", dk, rel)
    ld = results["load"]
    lines += [
        "",
        f"load: `govnlp.load()` {ld['load_s']:.2f} s wall, {ld['load_cpu_s']:.2f} s CPU (median "
        f"of {len(ld['runs'])} fresh interpreters; `import govnlp` {ld['import_s']:.2f} s more, "
        f"{ld['total_s']:.2f} s in all)",
    ]
    if "dask2" in runs:
        lines.append(
            f"dask start-up (not in the rate): cluster {runs['dask2']['cluster_start_s']:.1f} s, "
            f"workers building their pipelines {runs['dask2']['workers_load_s']:.1f} s"
        )
    lines.append(
        "CPU-time view (independent of other load): full pipeline = "
        f"{tok['cpu_s'] / one['cpu_s']:.2f} × tokenizer's CPU"
    )
    for key, label, ref in (
        ("full2", "c", one),
        ("local2", "d (--n-process 2)", runs.get("local_engine")),
        ("dask2", "d (dask)", runs.get("local_engine")),
    ):
        if key in runs and ref is not None:
            lines.append(
                f"  {label}: best possible speed-up on 2 idle cores = 2 × CPU(1 process) / "
                f"CPU(all processes) = {2 * ref['cpu_s'] / runs[key]['cpu_s']:.2f} ×"
            )
    lines += ["", "| goal | measured | met |", "|---|---:|---|"]
    for g in results["goals"]:
        lines.append(f"| {g['goal']} | {g['measured']} | {'yes' if g['met'] else 'no'} |")
    return "\n".join(lines)


def goals(results: Dict[str, Any]) -> List[Dict[str, Any]]:
    runs = results["runs"]
    out = []
    full_vs_tok = runs["tokenizer"]["seconds"] / runs["full1"]["seconds"]
    out.append(
        {
            "goal": f"full pipeline ≥ {GOAL_FULL_VS_TOKENIZER} × tokenizer alone",
            "measured": f"{full_vs_tok:.3f} ×",
            "value": full_vs_tok,
            "met": full_vs_tok >= GOAL_FULL_VS_TOKENIZER,
        }
    )
    if "full2" in runs:
        two = runs["full1"]["seconds"] / runs["full2"]["seconds"]
        out.append(
            {
                "goal": f"2 processes ≥ {GOAL_TWO_VS_ONE} × 1 process",
                "measured": f"{two:.3f} ×",
                "value": two,
                "met": two >= GOAL_TWO_VS_ONE,
            }
        )
    ld = results["load"]["load_s"]
    out.append(
        {
            "goal": f"`govnlp.load()` ≤ {GOAL_LOAD_S:.0f} s",
            "measured": f"{ld:.2f} s",
            "value": ld,
            "met": ld <= GOAL_LOAD_S,
        }
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="small corpus (0.3 MB), for a smoke test")
    ap.add_argument(
        "--min-mb",
        type=float,
        default=None,
        help="corpus size in MB of UTF-8 text (default 2, --quick 0.3)",
    )
    ap.add_argument(
        "--passes",
        type=int,
        default=1,
        help="timed passes per run; the median is reported (default 1)",
    )
    ap.add_argument(
        "--batch-size",
        type=int,
        default=4,
        help="documents per batch for nlp.pipe and the engines (default 4: "
        "spaCy's n_process and Dask spread whole batches, so small batches balance the processes)",
    )
    ap.add_argument(
        "--skip", nargs="*", default=[], choices=list(MODES[2:]), help="runs to leave out"
    )
    ap.add_argument(
        "--max-docs",
        type=int,
        default=None,
        help="only the first N distinct documents, once each (no repetition)",
    )
    ap.add_argument(
        "--load-runs",
        type=int,
        default=3,
        help="fresh interpreters timing govnlp.load() (default 3, the median is reported)",
    )
    ap.add_argument(
        "--segmenter",
        choices=["pkuseg", "char", "jieba"],
        default=None,
        help="override the segmenter (default: the bundled pipeline's, pkuseg)",
    )
    ap.add_argument(
        "--smoke",
        action="store_true",
        help=(
            "does every stage run? 3 documents, char segmenter, one load run (make bench-small; "
            "figures meaningless)"
        ),
    )
    ap.add_argument("--json", metavar="PATH", help="write all results as JSON here")
    ap.add_argument("--_run", help=argparse.SUPPRESS)
    ap.add_argument("--_corpus", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.smoke:
        args.max_docs, args.load_runs, args.segmenter = (
            args.max_docs or 3,
            1,
            args.segmenter or "char",
        )
    if args._run:  # a child run
        print(
            json.dumps(
                run_mode(args._run, args._corpus, args.passes, args.batch_size, args.segmenter),
                ensure_ascii=False,
            )
        )
        return

    min_mb = args.min_mb if args.min_mb is not None else (0.3 if args.quick else 2.0)
    docs = corpus(min_mb, args.max_docs)
    results: Dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "corpus_mb": sum(len(t.encode("utf-8")) for _, t in docs) / 1e6,
        "base_documents": len(base_documents(args.max_docs)),
        "segmenter": args.segmenter or "default (pkuseg)",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "free_cores_start": free_cores(),
        },
        "runs": {},
    }
    with tempfile.TemporaryDirectory(prefix="govnlp-bench-") as tmp:
        corpus_file = str(Path(tmp) / "corpus.json")
        base_n = len(base_documents(args.max_docs))
        Path(corpus_file).write_text(
            json.dumps({"base_n": base_n, "docs": docs}, ensure_ascii=False), encoding="utf-8"
        )
        for mode in MODES:
            if mode in args.skip:
                continue
            print(f"running {mode} …", file=sys.stderr, flush=True)
            results["runs"][mode] = spawn(
                mode, corpus_file, args.passes, args.batch_size, args.segmenter
            )
    print("measuring load time …", file=sys.stderr, flush=True)
    results["load"] = measure_load(args.load_runs, args.segmenter)
    results["machine"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results["machine"]["free_cores_end"] = free_cores()
    results["goals"] = goals(results)
    text = report(results)
    print(text)
    results["table"] = text
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        print(f"\nresults written to {args.json}")


if __name__ == "__main__":
    main()
