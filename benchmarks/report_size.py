"""Size of a 200-document HTML report and the time headless Chromium takes to open it (issue 18).

The documents are made at run time from the seeds (``corpora/samples``; ``../shared/seeds`` too
when present — the same five files today), repeated and varied: as they are, with their lines
shuffled, two seeds joined, a seed's first two thirds followed by another seed's last third
(nothing is written into the repository). They are tagged with the bundled pipeline (pkuseg;
``--segmenter char`` is faster) and the report is written twice: as ``govnlp report`` writes it
(split past ``--split-over`` MB, default 4) and as one file (``--single-file``). Printed: total
size, the index and the largest page, and the seconds headless Chromium (``/usr/bin/chromium
--headless --dump-dom``, as ``tests/test_report.py`` drives it) takes from start to the DOM after
the page script ran, for the index, the largest document page and the single file (limit
``--browser-timeout``), minus nothing: a blank page's time is printed beside them.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/report_size.py [--documents 200] [--segmenter char]
        [--out out/report_size] [--json out/report_size.json] [--no-single]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govnlp.rendering.report import DEFAULT_SPLIT_OVER, render_report, write_report  # noqa: E402


def seed_texts() -> List[Tuple[str, str]]:
    seen, out = set(), []
    for folder in (ROOT / "corpora" / "samples", ROOT.parent / "shared" / "seeds"):
        for p in sorted(folder.glob("*.txt")):
            text = p.read_text(encoding="utf-8")
            if text not in seen:
                seen.add(text)
                out.append((p.stem, text))
    return out


def varied(n: int) -> List[Tuple[str, str]]:
    """``n`` documents ``(id, text)`` made from the seeds (see the module docstring)."""
    seeds = seed_texts()
    out = []
    for k in range(n):
        name, text = seeds[k % len(seeds)]
        other_name, other = seeds[(k + 1) % len(seeds)]
        how = (k // len(seeds)) % 4
        rnd = random.Random(k)
        if how == 1:
            lines = text.split("\n")
            rnd.shuffle(lines)
            text, tag = "\n".join(lines), "shuffled"
        elif how == 2:
            text, tag = text + "\n" + other, f"plus-{other_name}"
        elif how == 3:
            a, b = text.split("\n"), other.split("\n")
            text, tag = (
                "\n".join(a[: 2 * len(a) // 3] + b[2 * len(b) // 3 :]),
                f"mixed-{other_name}",
            )
        else:
            tag = "as-is"
        out.append((f"{k + 1:03d}_{name}_{tag}.txt", text))
    return out


def chromium() -> Optional[str]:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def open_in_chromium(binary: str, page: Path, timeout: float) -> Dict[str, Any]:
    """Seconds from starting headless Chromium to the DOM after load; the page script's verdict."""
    profile = tempfile.mkdtemp(prefix="govnlp-chromium-")
    cmd = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        seconds = time.perf_counter() - t0
        dom = res.stdout.decode("utf-8", "replace")
        status = "ready" if 'data-status="ready"' in dom else "not ready"
        consistent = 'data-consistent="true"' in dom
        return {
            "seconds": round(seconds, 2),
            "status": status,
            "consistent": consistent,
            "returncode": res.returncode,
        }
    except subprocess.TimeoutExpired:
        return {
            "seconds": None,
            "status": f"timed out after {timeout:.0f} s",
            "consistent": False,
            "returncode": None,
        }
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=200)
    ap.add_argument(
        "--segmenter", default=None, help="segmenter of the pipeline (default: the bundled pkuseg)"
    )
    ap.add_argument("--split-over", type=float, default=DEFAULT_SPLIT_OVER / 1e6, metavar="MB")
    ap.add_argument(
        "--out", default=None, help="directory for the reports (default: a temporary one, removed)"
    )
    ap.add_argument("--json", default=None)
    ap.add_argument(
        "--no-single", action="store_true", help="do not write and open the single-file report"
    )
    ap.add_argument("--browser-timeout", type=float, default=120.0)
    args = ap.parse_args(argv)

    import govnlp

    out_dir = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="govnlp-report-size-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    docs_in = varied(args.documents)
    t0 = time.perf_counter()
    nlp = govnlp.load(**({"segmenter": args.segmenter} if args.segmenter else {}))
    entries = []
    for doc, doc_id in nlp.pipe(((t, i) for i, t in docs_in), as_tuples=True, batch_size=16):
        entries.append((govnlp.doc_to_record(doc, doc_id), doc))
    tagged = time.perf_counter() - t0
    chars = sum(len(t) for _, t in docs_in)
    print(f"{len(entries)} documents, {chars:,} characters, tagged in {tagged:.1f} s")

    result: Dict[str, Any] = {
        "documents": len(entries),
        "characters": chars,
        "split_over_mb": args.split_over,
    }
    t0 = time.perf_counter()
    rep = render_report(
        entries,
        title="report_size",
        split_over=int(args.split_over * 1e6),
        index_name="report.html",
    )
    index = write_report(out_dir / "report.html", rep)
    sizes = rep.sizes()
    largest = max((k for k in sizes if k), key=lambda k: sizes[k], default="")
    result["split"] = {
        "seconds_to_write": round(time.perf_counter() - t0, 2),
        "pages": len(rep.pages),
        "total_mb": round(sum(sizes.values()) / 1e6, 2),
        "index_mb": round(sizes[""] / 1e6, 3),
        "largest_page": largest,
        "largest_page_mb": round(sizes.get(largest, 0) / 1e6, 3),
    }
    print(
        f"split report: {len(rep.pages)} document pages + index, "
        f"{sum(sizes.values()) / 1e6:.1f} MB in all; index {sizes[''] / 1e6:.2f} MB, largest "
        f"page {largest} {sizes.get(largest, 0) / 1e6:.2f} MB"
    )
    single_path = None
    if not args.no_single:
        single = render_report(
            entries, title="report_size", split_over=None, index_name="single.html"
        )
        single_path = write_report(out_dir / "single.html", single)
        result["single_mb"] = round(single.sizes()[""] / 1e6, 2)
        print(f"single file: {result['single_mb']:.1f} MB")

    binary = chromium()
    if binary is None:
        print("no chromium: browser timings skipped (bash scripts/setup_browser.sh installs it)")
    else:
        blank = out_dir / "blank.html"
        blank.write_text(
            "<!DOCTYPE html><title>blank</title><p id='dom-check' data-status='ready'>",
            encoding="utf-8",
        )
        pages = [("blank page", blank), ("index", index)]
        if largest:
            pages.append(("largest document page", out_dir / largest))
        if single_path is not None:
            pages.append(("single file", single_path))
        result["chromium"] = {}
        for what, page in pages:
            r = open_in_chromium(binary, page, args.browser_timeout)
            result["chromium"][what] = r
            secs = "—" if r["seconds"] is None else f"{r['seconds']:.1f} s"
            print(
                f"chromium, {what:<22} {secs:>8}  "
                f"{r['status']}{', consistent' if r['consistent'] else ''}"
            )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    if not args.out:
        shutil.rmtree(out_dir, ignore_errors=True)
    ok = all(
        r["seconds"] is not None and r["seconds"] <= 10 and r["status"] == "ready"
        for what, r in result.get("chromium", {}).items()
        if what in ("index", "largest document page")
    )
    print("index and document page open within 10 s" if ok else "NOT within 10 s (or no browser)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
