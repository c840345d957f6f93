"""Throughput and linearity of govnlp.numbers.quantities.

Reads ~200 KB of government text at run time (corpora/samples/*.txt plus documents
under ../shared/corpus/raw; nothing is copied into the repo), prints chars/s, then
times adversarial strings of 10k/100k/1M chars of each kind.  If
``recognizers_number`` (ms-recognizers-text-number) or ``jionlp`` can be imported,
they are run on the same text for comparison.

    python benchmarks/bench_numbers.py [--target-bytes 200000] [--no-linearity]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govnlp.numbers import find_numbers, quantities  # noqa: E402

SHARED_RAW = ROOT.parent / "shared" / "corpus" / "raw"


def load_text(target_bytes: int) -> str:
    parts, size = [], 0
    files = sorted((ROOT / "corpora" / "samples").glob("*.txt"))
    if SHARED_RAW.is_dir():
        files += sorted(p for p in SHARED_RAW.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".json", ".jsonl", ""))
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
    print(f"{name:34s} {len(text):>9,d} chars  {best:7.3f} s  {len(text) / best:>12,.0f} chars/s  {n} items")


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
    print("\nlinearity: seconds for quantities() at 10k / 100k / 1M chars (ratio 1M/10k; linear ~ 100)")
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
        bench("recognizers_number (zh-cn)", lambda t: recognize_number(t, Culture.Chinese), text, repeat=1)
    except ImportError:
        print("recognizers_number not importable: skipped")
    try:
        import jionlp  # type: ignore
        bench("jionlp.ner.extract_money", lambda t: jionlp.ner.extract_money(t), text, repeat=1)
    except ImportError:
        print("jionlp not importable: skipped")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target-bytes", type=int, default=200_000)
    ap.add_argument("--no-linearity", action="store_true")
    args = ap.parse_args()
    text = load_text(args.target_bytes)
    print(f"text: {len(text.encode('utf-8')):,} bytes, {len(text):,} chars")
    bench("govnlp find_numbers", find_numbers, text)
    bench("govnlp quantities", quantities, text)
    peers(text)
    if not args.no_linearity:
        linearity()


if __name__ == "__main__":
    main()
