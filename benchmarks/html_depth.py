"""HTML text extraction time against nesting depth: it must grow linearly.

Pages of ~2,000 characters of text inside DEPTH nested elements (``tests/html_pages.py``
``deep_page``): closed ``<div>``s, and unclosed ``<font>``, ``<p>`` and ``<td>`` (a table
per level) as scraped government pages leave them. Each page goes through
``govnlp.io.html_reader.extract_html`` (bytes in: decoding, parsing, extraction) — best of
``--repeat`` runs — and the script prints seconds per depth and the ratio to the previous
depth (linear: ≈2 for each doubling; quadratic: ≈4).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/html_depth.py
    PYTHONPATH=$PWD .venv/bin/python benchmarks/html_depth.py --depths 1000 2000 4000 --styles div

Exit status 1 when a doubling costs more than ``--max-ratio`` (default 3) times as much.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govnlp.io.html_reader import extract_html  # noqa: E402
from tests.html_pages import deep_page  # noqa: E402


def best_time(page: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        extract_html(page)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--depths", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 16000, 32000])
    ap.add_argument("--styles", nargs="+", default=["div", "font", "p", "td"])
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-ratio", type=float, default=3.0)
    args = ap.parse_args()
    worst = 0.0
    print(f"{'style':6} {'depth':>7} {'KB':>7} {'seconds':>8} {'ratio':>6} {'µs/level':>9}")
    for style in args.styles:
        prev = None
        for depth in args.depths:
            page = deep_page(depth, args.chars, style=style).encode("utf-8")
            secs = best_time(page, args.repeat)
            ratio = secs / prev[1] * prev[0] / depth * 2 if prev else None  # normalised to a doubling
            if ratio is not None:
                worst = max(worst, ratio)
            print(f"{style:6} {depth:7d} {len(page) / 1024:7.0f} {secs:8.3f} "
                  f"{'' if ratio is None else f'{ratio:6.2f}':>6} {secs / depth * 1e6:9.1f}")
            prev = (depth, secs)
    print(f"worst ratio per doubling: {worst:.2f} (linear ≈ 2, quadratic ≈ 4)")
    return 1 if worst > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
