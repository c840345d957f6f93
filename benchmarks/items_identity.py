"""``parse_items`` before/after: the items of every document must stay byte-identical.

Capture the items with one checkout's code (the reference: main, before a change), then compare
another checkout's items with them, document by document, as canonical JSON:

    # before changing anything (main's code; the JSON stays outside the repository)
    .venv/bin/python benchmarks/items_identity.py capture /tmp/items_before.json --code /work/main
    # after
    .venv/bin/python benchmarks/items_identity.py compare /tmp/items_before.json --code $PWD

The documents: the seeds (``corpora/samples``, ``../shared/seeds``), every document of
``../shared/corpus`` and ``../shared/corpus/counties`` (their MANIFESTs; HTML through the
project's reader), everything ``govnlp.io.iter_documents`` reads under ``tests/data``, and small
marker floods (``benchmarks/items_floods.py``, 2k and 20k characters; the deep ones 2k only)
and their splices into a seed. Each entry keeps the SHA-256 of its text, so a changed *input* (a
reader changed) is told apart from changed *items*. ``compare`` exits 1 on any difference and prints
the first ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLOOD_SIZES = (2_000, 20_000)


def _canon(items: object) -> str:
    return json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest()


def documents() -> Iterator[Tuple[str, str]]:
    """``(key, text)`` of every document compared."""
    from govnlp.io import iter_documents
    from govnlp.io.readers import load_document

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from items_floods import DEEP, FLOODS, flood

    for p in sorted((ROOT / "corpora" / "samples").glob("*.txt")):
        yield f"samples/{p.name}", p.read_text(encoding="utf-8")
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        yield f"seeds/{p.name}", p.read_text(encoding="utf-8")
    for manifest in (
        SHARED / "corpus" / "MANIFEST.jsonl",
        SHARED / "corpus" / "counties" / "MANIFEST.jsonl",
    ):
        if not manifest.is_file():
            continue
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rel = json.loads(line)["path"]
            doc = load_document(manifest.parent / rel, rel, max_chars=None)
            if doc.error is None:
                yield f"{manifest.parent.relative_to(SHARED)}/{rel}", doc.text
    for doc in iter_documents([ROOT / "tests" / "data"], max_chars=None):
        if doc.error is None and doc.text:
            yield f"tests/data/{doc.doc_id}", doc.text
    seed = next(iter(sorted((ROOT / "corpora" / "samples").glob("*.txt"))), None)
    seed_text = seed.read_text(encoding="utf-8") if seed else ""
    for name, sizes in [*((f, FLOOD_SIZES) for f in FLOODS), *((f, FLOOD_SIZES[:1]) for f in DEEP)]:
        for n in sizes:
            text = flood(name, n)
            yield f"flood/{name}/{n}", text
            if seed_text:  # a flood inside a real document, after its first half
                half = len(seed_text) // 2
                cut = seed_text.find("\n", half) + 1 or half
                yield f"flood-in-seed/{name}/{n}", seed_text[:cut] + text + "\n" + seed_text[cut:]


def run(code: str) -> Dict[str, Dict[str, str]]:
    sys.path.insert(0, code)
    import govnlp.items

    where = Path(govnlp.items.__file__).resolve()
    print(f"parse_items from {where}", file=sys.stderr)
    out: Dict[str, Dict[str, str]] = {}
    t0 = time.perf_counter()
    for key, text in documents():
        out[key] = {"text_sha256": _sha(text), "items": _canon(govnlp.items.parse_items(text))}
    print(f"{len(out)} documents in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return out


def main(argv: List[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["capture", "compare"])
    ap.add_argument(
        "reference", metavar="JSON", help="the captured items (written by capture, read by compare)"
    )
    ap.add_argument(
        "--code",
        metavar="DIR",
        default=str(ROOT),
        help="the checkout whose parse_items runs (default: this one)",
    )
    args = ap.parse_args(argv)
    got = run(args.code)
    if args.mode == "capture":
        Path(args.reference).write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
        print(f"captured {len(got)} documents into {args.reference}")
        return 0
    ref = json.loads(Path(args.reference).read_text(encoding="utf-8"))
    missing = sorted(set(ref) - set(got))
    new = sorted(set(got) - set(ref))
    changed_input = [k for k in ref if k in got and ref[k]["text_sha256"] != got[k]["text_sha256"]]
    differ = [
        k for k in ref if k in got and k not in changed_input and ref[k]["items"] != got[k]["items"]
    ]
    same = sum(1 for k in ref if k in got and k not in changed_input and k not in differ)
    print(
        f"{same} identical, {len(differ)} different items, {len(changed_input)} changed inputs, "
        f"{len(missing)} missing, {len(new)} new"
    )
    for k in differ[:10]:
        a, b = ref[k]["items"], got[k]["items"]
        i = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
        print(
            f"  differ: {k} at char {i}: before …{a[max(0, i - 80) : i + 80]}… after "
            f"…{b[max(0, i - 80) : i + 80]}…"
        )
    for k in changed_input[:10] + missing[:10]:
        print(f"  input changed or missing: {k}")
    return 0 if not (differ or changed_input or missing) else 1


if __name__ == "__main__":
    sys.exit(main())
