"""Throughput and linearity of govnlp.numbers.quantities.

Reads ~200 KB of government text at run time (corpora/samples/*.txt, then the
county-level reports of ../shared/corpus per its MANIFEST; nothing is copied into the repo), prints
chars/s, then times adversarial strings of 10k/100k/1M chars of each kind.  If
``recognizers_number`` (ms-recognizers-text-number) or ``jionlp`` can be imported in this
interpreter, they are run on the same text for comparison.

Peers in their own virtualenv (``--peer-python PATH``): the same text, split into
its non-empty lines, is written to a temporary file and a small script (``PEER_SCRIPT``
below, written to a temporary file too) runs in that interpreter.  It times, on the
same lines and one call per line:

* Recognizers-Text's Python port, Chinese culture: the seven Chinese models it has —
  number, ordinal, percentage (``ms-recognizers-text-number``) and age, currency,
  dimension, temperature (``ms-recognizers-text-number-with-unit``); the Python port
  has no number-range model;
* ``jionlp.ner.extract_money`` without parsing (extraction only) and with parsing
  (each money string also goes through ``jionlp.parse_money``).

govnlp is timed in this interpreter on the same lines (``find_numbers`` and
``quantities``, one call per line) as well as on the whole text.  Model loading is
done before timing (one warm-up call).  The peer venv used for the figures in the
README was made with::

    python3 -m venv /tmp/peervenv
    /tmp/peervenv/bin/pip install ms-recognizers-text-number-with-unit jionlp

    python benchmarks/bench_numbers.py [--target-bytes 200000] [--no-linearity]
        [--peer-python /tmp/peervenv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govnlp.numbers import find_numbers, quantities  # noqa: E402

SHARED_RAW = ROOT.parent / "shared" / "corpus" / "raw"


def county_reports() -> list:
    """County-level documents of ../shared/corpus (MANIFEST ``level``), in MANIFEST order."""
    manifest = SHARED_RAW.parent / "MANIFEST.jsonl"
    if not manifest.is_file():
        return []
    out = []
    for line in manifest.read_text("utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            if rec.get("level") == "county":
                out.append(SHARED_RAW.parent / rec["path"])
    return out


def load_text(target_bytes: int) -> str:
    """The seeds, then the county reports of ../shared (then other ../shared documents), cut at
    ``target_bytes``.
    """
    parts, size = [], 0
    files = sorted((ROOT / "corpora" / "samples").glob("*.txt"))
    if SHARED_RAW.is_dir():
        county = county_reports()
        files += county
        files += sorted(
            p
            for p in SHARED_RAW.rglob("*")
            if p.is_file()
            and p not in county
            and p.suffix in (".txt", ".md", ".json", ".jsonl", "")
        )
    for p in files:
        try:
            t = p.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if not any("\u4e00" <= ch <= "\u9fff" for ch in t[:2000]):
            continue
        parts.append(t)
        size += len(t.encode("utf-8"))
        if size >= target_bytes:
            break
    text = "\n".join(parts)
    b = text.encode("utf-8")[:target_bytes]
    return b.decode("utf-8", errors="ignore")


def bench(name, fn, text, repeat=3):
    best = float("inf")
    n = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = len(fn(text))
        best = min(best, time.perf_counter() - t0)
    print(
        f"{name:34s} {len(text):>9,d} chars  {best:7.3f} s  {len(text) / best:>12,.0f} chars/s  "
        f"{n} items"
    )


ADVERSARIAL = {
    "digits 999…": lambda n: "9" * n,
    "万万万…": lambda n: "万" * n,
    "一一一…": lambda n: "一" * n,
    "一万一万…": lambda n: "一万" * (n // 2),
    "unbalanced “(【《": lambda n: "“(【《" * (n // 4),
    "1,1,1,…": lambda n: "1," * (n // 2),
    "1-1-1-…": lambda n: "1-" * (n // 2),
    "百分之百分之…": lambda n: "百分之" * (n // 3),
    "xxxx…": lambda n: "x" * n,
}


def linearity():
    print(
        "\nlinearity: seconds for quantities() at 10k / 100k / 1M chars (ratio 1M/10k; linear ~ "
        "100)"
    )
    for name, make in ADVERSARIAL.items():
        times = []
        for n in (10_000, 100_000, 1_000_000):
            s = make(n)
            t0 = time.perf_counter()
            quantities(s)
            times.append(time.perf_counter() - t0)
        ratio = times[2] / max(times[0], 1e-4)
        print(f"  {name:22s} " + "  ".join(f"{t:8.4f}" for t in times) + f"   ratio {ratio:6.1f}")


def peers(text):
    try:
        from recognizers_number import Culture, recognize_number  # type: ignore

        bench(
            "recognizers_number (zh-cn)",
            lambda t: recognize_number(t, Culture.Chinese),
            text,
            repeat=1,
        )
    except ImportError:
        print("recognizers_number not importable: skipped")
    try:
        import jionlp  # type: ignore

        bench("jionlp.ner.extract_money", lambda t: jionlp.ner.extract_money(t), text, repeat=1)
    except ImportError:
        print("jionlp not importable: skipped")


PEER_SCRIPT = r"""
import json, sys, time, importlib
lines = json.load(open(sys.argv[1], encoding="utf-8"))
nchars = sum(len(x) for x in lines)

def run(name, fn):
    try:
        fn("固定资产投资额达到100亿元以上")  # warm-up: model loading is not timed
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"name": name, "error": f"{type(e).__name__}: {e}"}), flush=True)
        return
    t0 = time.perf_counter()
    n = 0
    for x in lines:
        n += len(fn(x))
    dt = time.perf_counter() - t0
    print(json.dumps({"name": name, "chars": nchars, "seconds": dt, "items": n}), flush=True)

try:
    import recognizers_text  # noqa: F401
except ImportError:
    # ms-recognizers-text 1.0.1 on PyPI installs the package as ms_recognizers_text while
    # ms-recognizers-text-number imports recognizers_text: alias it
    try:
        _rt = importlib.import_module("ms_recognizers_text")
        sys.modules["recognizers_text"] = _rt
        for sub in ("culture", "extractor", "matcher", "meta_data", "model", "parser", "recognizer", "utilities"):
            try:
                sys.modules["recognizers_text." + sub] = importlib.import_module("ms_recognizers_text." + sub)
            except ImportError:
                pass
    except ImportError:
        pass
try:
    from recognizers_text import Culture
    import recognizers_number as rn
    for fname in ("recognize_number", "recognize_ordinal", "recognize_percentage"):
        f = getattr(rn, fname)
        run("recognizers " + fname[len("recognize_"):] + " (zh-cn)", lambda x, f=f: f(x, Culture.Chinese))
except ImportError as e:
    print(json.dumps({"name": "recognizers_number", "error": str(e)}), flush=True)
try:
    from recognizers_text import Culture
    import recognizers_number_with_unit as ru
    for fname in ("recognize_age", "recognize_currency", "recognize_dimension", "recognize_temperature"):
        f = getattr(ru, fname)
        run("recognizers " + fname[len("recognize_"):] + " (zh-cn)", lambda x, f=f: f(x, Culture.Chinese))
except ImportError as e:
    print(json.dumps({"name": "recognizers_number_with_unit", "error": str(e)}), flush=True)
try:
    import jionlp
    run("jionlp extract_money (no parsing)", lambda x: jionlp.ner.extract_money(x, with_parsing=False))
    run("jionlp extract_money + parse_money", lambda x: jionlp.ner.extract_money(x, with_parsing=True))
except ImportError as e:
    print(json.dumps({"name": "jionlp", "error": str(e)}), flush=True)
"""  # noqa: E501 (a script run in a subprocess)


def bench_lines(name, fn, lines):
    n_chars = sum(len(x) for x in lines)
    t0 = time.perf_counter()
    n = sum(len(fn(x)) for x in lines)
    dt = time.perf_counter() - t0
    _row(name + " (per line)", n_chars, dt, n)
    return dt


def _row(name, chars, seconds, items):
    print(
        f"{name:44s} {chars:>9,d} chars  {seconds:8.3f} s  {chars / seconds:>12,.0f} chars/s  "
        f"{items} items"
    )


def peer_venv(python: str, lines: list, timeout: int) -> None:
    """Run PEER_SCRIPT in another interpreter on ``lines``; print one row per peer."""
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "lines.json")
        script = os.path.join(tmp, "peer_bench.py")
        with open(data, "w", encoding="utf-8") as f:
            json.dump(lines, f, ensure_ascii=False)
        with open(script, "w", encoding="utf-8") as f:
            f.write(PEER_SCRIPT)
        proc = subprocess.Popen(
            [python, script, data], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            print(f"peer run stopped after {timeout}s")
        for line in out.splitlines():
            try:
                r = json.loads(line)
            except ValueError:
                continue  # a peer's own banner
            if "error" in r:
                print(f"{r['name']:44s} not run: {r['error']}")
            else:
                _row(r["name"] + " (per line)", r["chars"], r["seconds"], r["items"])
        if proc.returncode not in (0, None) and not out.strip():
            print(
                "peer run failed:",
                err.strip().splitlines()[-1:] if err.strip() else proc.returncode,
            )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target-bytes", type=int, default=200_000)
    ap.add_argument("--no-linearity", action="store_true")
    ap.add_argument(
        "--peer-python",
        default=None,
        help="python of a separate venv with ms-recognizers-text-number-with-unit and jionlp",
    )
    ap.add_argument("--peer-timeout", type=int, default=3600, help="seconds for the whole peer run")
    args = ap.parse_args()
    text = load_text(args.target_bytes)
    print(f"text: {len(text.encode('utf-8')):,} bytes, {len(text):,} chars")
    bench("govnlp find_numbers", find_numbers, text)
    bench("govnlp quantities", quantities, text)
    if args.peer_python:
        lines = [x for x in text.split("\n") if x.strip()]
        print(
            f"\nper line ({len(lines):,} non-empty lines, one call each; same lines for every "
            "tool):"
        )
        bench_lines("govnlp find_numbers", find_numbers, lines)
        bench_lines("govnlp quantities", quantities, lines)
        peer_venv(args.peer_python, lines, args.peer_timeout)
    else:
        peers(text)
    if not args.no_linearity:
        linearity()


if __name__ == "__main__":
    main()
