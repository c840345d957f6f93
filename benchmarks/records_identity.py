"""``govnlp tag`` before/after: every output record must stay byte-identical.

Capture the records with one checkout's code (the reference: main, or the commit before a
refactor), then compare another checkout's records with them, document by document:

    # before (the JSON stays outside the repository)
    .venv/bin/python benchmarks/records_identity.py capture /work/baseline/records_before.json \\
        --code /work/wt_base
    # after
    .venv/bin/python benchmarks/records_identity.py compare /work/baseline/records_before.json \\
        --code $PWD

The records are what ``govnlp tag`` writes: ``govnlp.cli.main(["tag", ...])`` runs in a
subprocess with ``PYTHONPATH=DIR`` and ``cwd=DIR`` (so DIR's code, and only DIR's, is imported),
with the command's defaults (the default pipeline, the text in the records, ``--max-chars``
1,000,000) except ``--doc-timeout 0`` (``--doc-timeout`` here): the pipeline runs in that
process, so a slow document on a busy machine cannot turn into a ``DocumentTimeout`` on one side
only. Going through the command line, not ``tag_paths``, keeps the script working while the
tagging API changes between the checkouts compared.

The documents (always this checkout's files, whatever ``--code`` is, so both sides read the same
input): ``corpora/samples``, ``../shared/seeds``, every document of ``../shared/corpus`` and
``../shared/corpus/counties`` listed in their MANIFEST (through a temporary tree of symbolic
links, so that a record's ``doc_id`` is its MANIFEST path), and everything
``govnlp.io.iter_documents`` reads under ``tests/data``. One ``tag`` run per group. Each document
keeps the SHA-256 of its canonical JSON record (``sort_keys``), the SHA-256 of each top-level
field and of each item, and short samples of them, so that ``compare`` can say which field (and
which item) differs. The errors file's lines are kept too (key ``errors:GROUP/DOC_ID``), with the
temporary directory's path replaced by ``$TMP``. ``compare`` exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = 160  # characters of a field or item kept for the diff


def _canon(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest()


def _link_tree(manifest: Path, dest: Path) -> int:
    """Symbolic links ``dest/PATH`` → ``manifest.parent/PATH`` for every MANIFEST entry."""
    n = 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rel = json.loads(line)["path"]
        link = dest / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to((manifest.parent / rel).resolve())
        n += 1
    return n


def groups(tmp: Path) -> List[Tuple[str, Path]]:
    """``(group, input directory)`` of every group of documents."""
    out = [("samples", ROOT / "corpora" / "samples"), ("seeds", SHARED / "seeds")]
    for name, manifest in (
        ("corpus", SHARED / "corpus" / "MANIFEST.jsonl"),
        ("counties", SHARED / "corpus" / "counties" / "MANIFEST.jsonl"),
    ):
        if manifest.is_file():
            _link_tree(manifest, tmp / "in" / name)
            out.append((name, tmp / "in" / name))
    out.append(("tests/data", ROOT / "tests" / "data"))
    return [(g, p) for g, p in out if p.is_dir()]


_WORKER = r"""
import json, sys
import govnlp, govnlp.cli
print("govnlp from", govnlp.__file__, file=sys.stderr)
for inp, out in json.loads(sys.argv[1]):
    rc = govnlp.cli.main(["tag", inp, "-o", out, "--quiet", *json.loads(sys.argv[2])])
    if rc not in (0, 1):
        sys.exit(f"govnlp tag {inp}: exit status {rc}")
"""


def _entry(record: Dict[str, Any]) -> Dict[str, Any]:
    canon = _canon(record)
    fields = {k: _canon(v) for k, v in record.items()}
    items = [_canon(it) for it in record.get("items") or []]
    return {
        "sha256": _sha(canon),
        "fields": {k: _sha(v) for k, v in fields.items()},
        "samples": {k: v[:SAMPLE] for k, v in fields.items()},
        "items": [_sha(it)[:16] for it in items],
        "item_samples": [it[:SAMPLE] for it in items],
    }


def run(code: str, doc_timeout: str) -> Dict[str, Dict[str, Any]]:
    code = str(Path(code).resolve())
    out: Dict[str, Dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="records_identity_") as tmp_s:
        tmp = Path(tmp_s)
        todo = [(g, p, tmp / "out" / (g.replace("/", "_") + ".jsonl")) for g, p in groups(tmp)]
        (tmp / "out").mkdir()
        env = dict(os.environ, PYTHONPATH=code)
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                _WORKER,
                json.dumps([(str(p), str(o)) for _, p, o in todo]),
                json.dumps(["--doc-timeout", doc_timeout]),
            ],
            cwd=code,
            env=env,
            check=True,
        )
        seconds = time.perf_counter() - t0
        for group, _, path in todo:
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    rec = json.loads(line)
                    out[f"{group}/{rec['doc_id']}"] = _entry(rec)
            errors = path.with_name(path.name[: -len(".jsonl")] + ".errors.jsonl")
            if errors.is_file():
                for line in errors.read_text(encoding="utf-8").splitlines():
                    rec = json.loads(line.replace(tmp_s, "$TMP"))
                    out[f"errors:{group}/{rec.get('doc_id')}"] = _entry(rec)
    print(f"{len(out)} records from {code} in {seconds:.1f} s", file=sys.stderr)
    return out


def _first_diff(a: List[str], b: List[str]) -> Optional[int]:
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def compare(ref: Dict[str, Any], got: Dict[str, Any], show: int = 10) -> int:
    missing = sorted(set(ref) - set(got))
    new = sorted(set(got) - set(ref))
    differ = [k for k in ref if k in got and ref[k]["sha256"] != got[k]["sha256"]]
    same = sum(1 for k in ref if k in got and k not in differ)
    print(f"{same} identical, {len(differ)} different, {len(missing)} missing, {len(new)} new")
    for k in differ[:show]:
        a, b = ref[k], got[k]
        fields = sorted(
            f
            for f in set(a["fields"]) | set(b["fields"])
            if a["fields"].get(f) != b["fields"].get(f)
        )
        print(f"  differ: {k}: fields {', '.join(fields)}")
        for f in fields:
            if f == "items":
                i = _first_diff(a["items"], b["items"])
                print(f"    items: {len(a['items'])} before, {len(b['items'])} after; first at {i}")
                if i is not None:
                    print(f"      before: {(a['item_samples'][i : i + 1] or ['(none)'])[0]}")
                    print(f"      after:  {(b['item_samples'][i : i + 1] or ['(none)'])[0]}")
            else:
                print(f"    {f} before: {a['samples'].get(f, '(none)')}")
                print(f"    {f} after:  {b['samples'].get(f, '(none)')}")
    for k in missing[:show]:
        print(f"  missing: {k}")
    for k in new[:show]:
        print(f"  new: {k}")
    return 0 if not (differ or missing or new) else 1


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["capture", "compare"])
    ap.add_argument(
        "reference",
        metavar="JSON",
        help="the captured records (written by capture, read by compare)",
    )
    ap.add_argument(
        "--code",
        metavar="DIR",
        default=str(ROOT),
        help="the checkout whose govnlp tags (default: this one)",
    )
    ap.add_argument(
        "--doc-timeout",
        default="0",
        metavar="SECONDS",
        help="govnlp tag --doc-timeout (default 0: tag in the worker process itself)",
    )
    args = ap.parse_args(argv)
    got = run(args.code, args.doc_timeout)
    if args.mode == "capture":
        Path(args.reference).parent.mkdir(parents=True, exist_ok=True)
        Path(args.reference).write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
        print(f"captured {len(got)} records into {args.reference}")
        return 0
    ref = json.loads(Path(args.reference).read_text(encoding="utf-8"))
    return compare(ref, got)


if __name__ == "__main__":
    sys.exit(main())
