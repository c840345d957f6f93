"""Speed, load time and memory of the numpy segmenter, beside pkuseg's own loader and inference.

    .venv/bin/python benchmarks/bench_segmenter.py                      # ~1 M characters
    .venv/bin/python benchmarks/bench_segmenter.py --limit-chars 0      # everything (~3 M)
    .venv/bin/python benchmarks/bench_segmenter.py --json out/bench_segmenter.json

Corpus: the seeds and the documents of ``../shared/corpus`` (both manifests),
in the order of ``benchmarks/segmenter_agreement.py``, cut after
``--limit-chars`` characters. Each run is a fresh interpreter:

a. ``pkuseg``: pkuseg's own loader (``spacy_pkuseg.pkuseg``) on the original
   pickled model of the pkuseg 0.0.25 wheel (from ``out/wheels``, downloaded
   there by pip when absent), and its ``cut``;
b. ``fast``: :class:`govnlp.segmenter.FastSegmenter` on the provisioned model
   (``--model``, default: the data directory's), and its ``cut``;
c. ``fast x2``: the same model loaded once, then two forked workers that each
   segment the corpus: resident memory of each worker, and how much of it is
   shared (``Pss`` of ``/proc/self/smaps_rollup``: resident pages divided by
   the number of processes mapping them);
d. ``pipeline``: ``govnlp.load()`` (whose tokenizer runs the segmenter of b)
   and ``nlp.pipe`` over the corpus, one process.

Every run first segments the first ``--warm-chars`` characters untimed. Rates
are characters per CPU second of the process (the machine may be shared;
wall-clock rates are printed too). Peak RSS is ``VmHWM`` of ``/proc/self/status``
(``ru_maxrss`` would include the benchmark process that started the run). Goals checked: b ≥ 3 × a,
b's model load ≤ 0.5 s, b's and each c worker's RSS ≤ 300 MB, d ≥ 0.9 × b.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from segmenter_agreement import corpus_texts, find_wheel, unpack_original  # noqa: E402

GOAL_SPEEDUP = 3.0
GOAL_LOAD_S = 0.5
GOAL_RSS_MB = 300.0
GOAL_PIPELINE_VS_SEGMENTER = 0.9

WORKER = r"""
import json, os, resource, sys, time
mode, model, texts_file, warm_chars, root = sys.argv[1:6]
sys.path.insert(0, root)
warm_chars = int(warm_chars)

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def peak_mb():
    # VmHWM: the peak RSS of this address space; ru_maxrss would also count the parent
    # process that forked and exec'ed this one (Linux keeps the high-water mark across exec)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def smaps():
    out = {}
    try:
        for line in open("/proc/self/smaps_rollup"):
            parts = line.split()
            if len(parts) >= 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1]) / 1024
    except OSError:
        pass
    return {k: round(out[k], 1) for k in ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty") if k in out}

t_import = time.perf_counter()
if mode == "load":
    from govnlp.segmenter.fast import FastSegmenter
    t0, c0 = time.perf_counter(), cpu()
    FastSegmenter.load(model)
    json.dump({"mode": mode, "import_s": t0 - t_import, "load_s": time.perf_counter() - t0, "load_cpu_s": cpu() - c0}, sys.stdout)
    sys.exit(0)
if mode == "pkuseg":
    import spacy_pkuseg
elif mode == "pipeline":
    import govnlp
else:
    from govnlp.segmenter.fast import FastSegmenter
t0 = time.perf_counter()
import_s = t0 - t_import
if mode == "pkuseg":
    seg = spacy_pkuseg.pkuseg(model)
    run = seg.cut
elif mode == "pipeline":
    nlp = govnlp.load(pkuseg_model=model)
    run = None
else:
    seg = FastSegmenter.load(model)
    run = seg.cut
load_s = time.perf_counter() - t0
texts = json.load(open(texts_file, encoding="utf-8"))
warm, n = [], 0
for t in texts:
    if n >= warm_chars:
        break
    warm.append(t)
    n += len(t)
res = {"mode": mode, "import_s": import_s, "load_s": load_s}
if mode == "pipeline":
    list(nlp.pipe(warm))
    w0, c0 = time.perf_counter(), cpu()
    list(nlp.pipe(texts))
    res.update(wall_s=time.perf_counter() - w0, cpu_s=cpu() - c0, pipeline=list(nlp.pipe_names))
elif mode == "fast2":
    import multiprocessing as mp
    for t in warm:
        run(t)
    def work(q):
        w0, c0 = time.perf_counter(), cpu()
        for t in texts:
            run(t)
        q.put({"wall_s": time.perf_counter() - w0, "cpu_s": cpu() - c0,
               "peak_rss_mb": peak_mb(), "smaps_mb": smaps()})
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=work, args=(q,)) for _ in range(2)]
    for p in procs:
        p.start()
    res["workers"] = [q.get() for _ in procs]
    for p in procs:
        p.join()
else:
    for t in warm:
        run(t)
    w0, c0 = time.perf_counter(), cpu()
    for t in texts:
        run(t)
    res.update(wall_s=time.perf_counter() - w0, cpu_s=cpu() - c0)
res["peak_rss_mb"] = peak_mb()
res["smaps_mb"] = smaps()
json.dump(res, sys.stdout)
"""  # noqa: E501 (a script run in a subprocess)


def run(mode: str, model: str, texts_file: str, warm_chars: int) -> Dict[str, Any]:
    """One run in a fresh interpreter (see the module doc)."""
    out = subprocess.run(
        [sys.executable, "-c", WORKER, mode, model, texts_file, str(warm_chars), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"{mode} run failed:\n{out.stderr}")
    return json.loads(out.stdout)


def _rate(chars: int, res: Dict[str, Any]) -> Tuple[float, float]:
    return chars / res["cpu_s"], chars / res["wall_s"]


def main(argv: List[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--wheel", type=Path, help="pkuseg-0.0.25 wheel (default: out/wheels, downloaded if absent)"
    )
    ap.add_argument(
        "--model", type=Path, help="provisioned model directory (default: the data directory's)"
    )
    ap.add_argument("--limit-chars", type=int, default=1_000_000, help="0: the whole corpus")
    ap.add_argument("--warm-chars", type=int, default=50_000)
    ap.add_argument("--skip-pipeline", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from govnlp.segmenter import default_model_dir

    model = str(args.model or default_model_dir())
    texts = [t for _, t in corpus_texts(args.limit_chars or None)]
    chars = sum(map(len, texts))
    wheel = args.wheel or find_wheel()
    report: Dict[str, Any] = {"documents": len(texts), "characters": chars, "model": model}
    with tempfile.TemporaryDirectory() as tmp:
        tf = unpack_original(Path(wheel), Path(tmp), texts)
        print(f"corpus: {len(texts)} documents, {chars:,} characters; model {model}")
        loads = report["loads"] = [run("load", model, str(tf), 0) for _ in range(3)]
        ref = report["pkuseg"] = run("pkuseg", tmp, str(tf), args.warm_chars)
        fast = report["fast"] = run("fast", model, str(tf), args.warm_chars)
        two = report["fast2"] = run("fast2", model, str(tf), args.warm_chars)
        pipe = None if args.skip_pipeline else run("pipeline", model, str(tf), args.warm_chars)
        report["pipeline"] = pipe
    (rc, rw), (fc, fw) = _rate(chars, ref), _rate(chars, fast)
    print(
        f"{'run':<22}{'load s':>8}{'chars/CPU s':>13}{'chars/s':>10}{'peak RSS MB':>13}"
        f"{'Pss MB':>8}"
    )
    print(
        f"{'a. pkuseg (own loader)':<22}{ref['load_s']:>8.2f}{rc:>13,.0f}{rw:>10,.0f}"
        f"{ref['peak_rss_mb']:>13.0f}{ref['smaps_mb'].get('Pss', 0):>8.0f}"
    )
    print(
        f"{'b. fast':<22}{fast['load_s']:>8.2f}{fc:>13,.0f}{fw:>10,.0f}"
        f"{fast['peak_rss_mb']:>13.0f}{fast['smaps_mb'].get('Pss', 0):>8.0f}"
    )
    for k, w in enumerate(two["workers"]):
        wc, ww = _rate(chars, w)
        print(
            f"{'c. fast x2, worker ' + str(k + 1):<22}{'':>8}{wc:>13,.0f}{ww:>10,.0f}"
            f"{w['peak_rss_mb']:>13.0f}{w['smaps_mb'].get('Pss', 0):>8.0f}"
        )
    if pipe:
        pc, pw = _rate(chars, pipe)
        print(
            f"{'d. pipeline (1 proc)':<22}{pipe['load_s']:>8.2f}{pc:>13,.0f}{pw:>10,.0f}"
            f"{pipe['peak_rss_mb']:>13.0f}{pipe['smaps_mb'].get('Pss', 0):>8.0f}"
        )
        print(f"   components: {', '.join(pipe['pipeline'])}")
    load_s = statistics.median(r["load_s"] for r in loads)
    print(
        f"b. model load, median of 3 fresh interpreters: {load_s:.3f} s "
        f"({statistics.median(r['load_cpu_s'] for r in loads):.3f} CPU s; imports before it "
        f"{statistics.median(r['import_s'] for r in loads):.2f} s)"
    )
    goals = {
        "speedup": (
            fc / rc,
            fc / rc >= GOAL_SPEEDUP,
            f"fast / pkuseg chars per CPU s {fc / rc:.2f}x (goal >= {GOAL_SPEEDUP}x; wall "
            f"{fw / rw:.2f}x)",
        ),
        "load": (
            load_s,
            load_s <= GOAL_LOAD_S,
            f"model load {load_s:.3f} s (goal <= {GOAL_LOAD_S} s)",
        ),
        "rss": (
            max([fast["peak_rss_mb"]] + [w["peak_rss_mb"] for w in two["workers"]]),
            max([fast["peak_rss_mb"]] + [w["peak_rss_mb"] for w in two["workers"]]) <= GOAL_RSS_MB,
            "peak RSS per process "
            f"{max([fast['peak_rss_mb']] + [w['peak_rss_mb'] for w in two['workers']]):.0f} MB "
            f"(goal <= {GOAL_RSS_MB:.0f} MB)",
        ),
    }
    if pipe:
        ratio = pc / fc
        goals["pipeline"] = (
            ratio,
            ratio >= GOAL_PIPELINE_VS_SEGMENTER,
            f"pipeline / segmenter alone {ratio:.2f}x (goal >= {GOAL_PIPELINE_VS_SEGMENTER}x)",
        )
    for name, (value, ok, text) in goals.items():
        print(f"{'OK  ' if ok else 'MISS'} {text}")
    report["goals"] = {name: {"value": value, "met": ok} for name, (value, ok, _) in goals.items()}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
