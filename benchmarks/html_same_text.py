"""Same extracted text as another checkout's HTML reader, page by page.

Extracts text and meta from every HTML page of ``tests/data/html``, every ``.html``/``.htm``
under ``../shared`` (when present) and ``--random N`` synthetic tag-soup pages
(``tests/html_pages.py``, seeds 0..N-1, plus moderately deep pages), once with this
checkout and once with ``--against`` (default ``/work/main``, run in a subprocess with that
checkout first on the path), and prints every page whose text or meta differs.
Meta keys added since (``encoding``, ``encoding_confidence``) are left out of the comparison.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/html_same_text.py --against /work/main --random 300

``--dump OUT.json`` writes this checkout's outputs instead — full for ``tests/data/html``,
a hash for synthetic pages, nothing from ``../shared`` — which made the test fixture
``tests/data/html_expected_extract.json`` (from main, before the reader was made linear).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: Meta keys the reader adds that older checkouts do not write.
NEW_META_KEYS = ("encoding", "encoding_confidence")
HTML_GLOBS = ("*.html", "*.htm", "*.HTML", "*.HTM")


def pages(n_random: int) -> Iterator[Tuple[str, Any]]:
    """``(key, page)``: files as bytes, synthetic pages as str."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("html_pages", ROOT / "tests" / "html_pages.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    deep_page, random_page = mod.deep_page, mod.random_page

    for p in sorted(
        p
        for p in (ROOT / "tests" / "data" / "html").iterdir()
        if p.suffix.lower() in (".html", ".htm")
    ):
        yield f"tests/{p.name}", p.read_bytes()
    if SHARED.is_dir():
        found = sorted({p for g in HTML_GLOBS for p in SHARED.rglob(g)})
        for p in found:
            yield f"shared/{p.relative_to(SHARED)}", p.read_bytes()
    for seed in range(n_random):
        yield f"random/{seed}", random_page(seed)
    for style in ("div", "font", "p", "td"):
        for depth in (10, 100, 400):
            yield f"deep/{style}/{depth}", deep_page(depth, 300, style=style)


def extract_all(n_random: int) -> Dict[str, Any]:
    """Key → ``{"text", "meta"}`` or ``{"error": type name, "message"}``."""
    from govnlp.io.html_reader import extract_html
    from govnlp.io.readers import DocumentError

    out: Dict[str, Any] = {}
    for key, page in pages(n_random):
        try:
            text, meta = extract_html(page)
        except DocumentError as exc:
            out[key] = {"error": type(exc).__name__, "message": str(exc)}
            continue
        out[key] = {"text": text, "meta": {k: v for k, v in meta.items() if k not in NEW_META_KEYS}}
    return out


def digest(value: Any) -> str:
    """A short stable hash of an output (for fixtures that should not hold page text)."""
    return hashlib.sha256(
        json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()[:16]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--against", default="/work/main", help="the other checkout (default /work/main)"
    )
    ap.add_argument("--random", type=int, default=300, help="synthetic pages (default 300)")
    ap.add_argument("--dump", help="write this checkout's outputs to this JSON file and stop")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        json.dump(extract_all(args.random), sys.stdout, ensure_ascii=False)
        return 0
    if args.dump:
        fixture = {
            k: (v if k.startswith("tests/") else digest(v))
            for k, v in extract_all(args.random).items()
            if not k.startswith("shared/")
        }
        Path(args.dump).write_text(
            json.dumps(fixture, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
        )
        return 0
    env = dict(os.environ, PYTHONPATH=str(Path(args.against).resolve()))
    res = subprocess.run(
        [sys.executable, __file__, "--child", "--random", str(args.random)],
        capture_output=True,
        text=True,
        env=env,
        cwd=args.against,
    )
    if res.returncode:
        print(res.stderr, file=sys.stderr)
        return 2
    theirs = json.loads(res.stdout)
    ours = extract_all(args.random)
    differ = [k for k in ours if ours[k] != theirs.get(k)]
    for k in differ:
        print(f"DIFFERS {k}: ours {digest(ours[k])} theirs {digest(theirs.get(k))}")
    print(
        f"{len(ours)} pages ({sum(k.startswith('shared/') for k in ours)} from ../shared), "
        f"{len(differ)} differ from {args.against}"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
