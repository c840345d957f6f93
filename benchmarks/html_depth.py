"""HTML text extraction time against nesting depth: it must grow linearly.

Pages of ~2,000 characters of text inside DEPTH nested elements (``tests/html_pages.py``
``deep_page``): closed ``<div>``s, and unclosed ``<font>``, ``<p>`` and ``<td>`` (a table
per level) as scraped government pages leave them. Each page goes through
``govnlp.io.html_reader.extract_html`` (bytes in: decoding, parsing, extraction) — best CPU
time of ``--repeat`` runs — and the script prints seconds per depth and the ratio to the previous
depth (linear: ≈2 for each doubling; quadratic: ≈4).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/html_depth.py
    PYTHONPATH=$PWD .venv/bin/python benchmarks/html_depth.py --depths 1000 2000 4000 --styles div

    PYTHONPATH=/work/main .venv/bin/python benchmarks/html_depth.py --against /work/main \\
        --depths 1000 2000 4000 --styles div

Per style it also prints the growth exponent k of time ∝ depth^k from the first to the
last depth (linear 1, quadratic 2; single doublings are noisy on a shared machine); exit
status 1 when k exceeds ``--max-exponent`` (default 1.3).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import importlib.util
import math

ROOT = Path(__file__).resolve().parents[1]


def _load_pages():
    spec = importlib.util.spec_from_file_location("html_pages", ROOT / "tests" / "html_pages.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.deep_page


def best_time(extract_html, page: bytes, repeat: int) -> float:
    """Best CPU seconds of this process (not wall time: the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        extract_html(page)
        best = min(best, time.process_time() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--depths", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 16000, 32000])
    ap.add_argument("--styles", nargs="+", default=["div", "font", "p", "td"])
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--max-exponent",
        type=float,
        default=1.3,
        help="fail above this growth exponent (time ∝ depth^k; default 1.3)",
    )
    ap.add_argument("--against", help="time another checkout's reader instead (e.g. /work/main)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.against).resolve()) if args.against else str(ROOT))
    from govnlp.io.html_reader import extract_html

    deep_page = _load_pages()
    extract_html(deep_page(10).encode("utf-8"))  # warm-up: imports, compiled patterns
    worst = 0.0
    worst_k = 0.0
    print(f"{'style':6} {'depth':>7} {'KB':>7} {'seconds':>8} {'ratio':>6} {'µs/level':>9}")
    for style in args.styles:
        prev = None
        first = None
        for depth in args.depths:
            page = deep_page(depth, args.chars, style=style).encode("utf-8")
            secs = best_time(extract_html, page, args.repeat)
            first = first or (depth, secs)
            ratio = (
                secs / prev[1] * prev[0] / depth * 2 if prev else None
            )  # normalised to a doubling
            if ratio is not None:
                worst = max(worst, ratio)
            print(
                f"{style:6} {depth:7d} {len(page) / 1024:7.0f} {secs:8.3f} "
                f"{'' if ratio is None else f'{ratio:6.2f}':>6} {secs / depth * 1e6:9.1f}"
            )
            prev = (depth, secs)
        if prev and first and prev[0] > first[0]:
            k = math.log(prev[1] / first[1]) / math.log(prev[0] / first[0])
            worst_k = max(worst_k, k)
            print(
                f"{style:6} depth {first[0]}→{prev[0]} (×{prev[0] // first[0]}): time "
                f"×{prev[1] / first[1]:.1f}, growth exponent {k:.2f} (linear 1, quadratic 2)"
            )
    print(
        f"worst ratio per doubling: {worst:.2f} (linear ≈ 2, quadratic ≈ 4); worst exponent "
        f"{worst_k:.2f}"
    )
    return 1 if worst_k > args.max_exponent else 0


if __name__ == "__main__":
    sys.exit(main())
