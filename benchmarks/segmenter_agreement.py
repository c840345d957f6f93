"""Compare a converted (pruned, float32) pkuseg model with the original pickled one.

Segments the seeds and the documents of ``../shared/corpus`` with both and
reports token-level agreement (identical segmentations / documents, and the
share of tokens that differ), plus load time and resident memory of each.
The original model is loaded with pkuseg's own (pickle-based) loader, so run
this only on the trusted wheel from PyPI.

    python benchmarks/segmenter_agreement.py --wheel pkuseg-0.0.25-*.whl \
        --converted .venv/share/govnlp/pkuseg/default
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def corpus_texts(limit_chars: int | None = None) -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpora" / "samples").glob("*.txt"))]
    manifest = SHARED / "corpus" / "MANIFEST.jsonl"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            texts.append((rec["path"], (SHARED / "corpus" / rec["path"]).read_text(encoding="utf-8")))
    if limit_chars:
        out, n = [], 0
        for name, t in texts:
            out.append((name, t))
            n += len(t)
            if n >= limit_chars:
                break
        texts = out
    return texts


WORKER = r"""
import json, resource, sys, time
mode, path, texts_file = sys.argv[1:4]
t0 = time.perf_counter()
if mode == "original":
    import spacy_pkuseg
    seg = spacy_pkuseg.pkuseg(path)
else:
    from govnlp.segmenter.model_files import load_pkuseg
    seg = load_pkuseg(path)
load = time.perf_counter() - t0
texts = json.load(open(texts_file, encoding="utf-8"))
t0 = time.perf_counter()
out = [seg.cut(t) for _, t in texts]
cut = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
json.dump({"load_s": load, "cut_s": cut, "max_rss_mb": rss, "tokens": out}, sys.stdout, ensure_ascii=False)
"""


def run(mode: str, path: str, texts_file: str) -> dict:
    res = subprocess.run([sys.executable, "-c", WORKER, mode, path, texts_file], capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", required=True, help="pkuseg-0.0.25 wheel (the original model)")
    ap.add_argument("--converted", nargs="+", required=True, help="converted model directories")
    ap.add_argument("--limit-chars", type=int, default=None)
    ap.add_argument("--only", nargs="*", help="only these document names/paths")
    args = ap.parse_args()
    texts = corpus_texts(args.limit_chars)
    if args.only:
        texts = [(n, t) for n, t in texts if n in args.only]
    nchars = sum(len(t) for _, t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(args.wheel) as zf:
            for name in ("features.pkl", "weights.npz"):
                (Path(tmp) / name).write_bytes(zf.read(f"pkuseg/models/default/{name}"))
        tf = Path(tmp) / "texts.json"
        tf.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        ref = run("original", tmp, str(tf))
        print(f"documents {len(texts)}, characters {nchars}")
        print(f"original : load {ref['load_s']:.2f}s  peak RSS {ref['max_rss_mb']:.0f} MB  {nchars / ref['cut_s']:,.0f} chars/s")
        for conv in args.converted:
            got = run("converted", conv, str(tf))
            same_docs = sum(a == b for a, b in zip(ref["tokens"], got["tokens"]))
            ref_tok = sum(len(a) for a in ref["tokens"])
            diff_tok = 0
            for a, b in zip(ref["tokens"], got["tokens"]):
                if a != b:
                    diff_tok += len(set(_spans(a)) ^ set(_spans(b)))
            meta = json.loads((Path(conv) / "meta.json").read_text()) if (Path(conv) / "meta.json").exists() else {}
            differing = [name for (name, _), a, b in zip(texts, ref["tokens"], got["tokens"]) if a != b]
            print(
                f"{conv}: threshold {meta.get('prune_threshold')} features {meta.get('features_kept')}/{meta.get('features_original')}"
                f"  load {got['load_s']:.2f}s  peak RSS {got['max_rss_mb']:.0f} MB  {nchars / got['cut_s']:,.0f} chars/s"
                f"  identical docs {same_docs}/{len(texts)}  differing token spans {diff_tok}/{ref_tok}"
            )
            if differing:
                print("    differing documents: " + ", ".join(differing))


def _spans(tokens: list[str]) -> list[tuple[int, int]]:
    out, i = [], 0
    for t in tokens:
        out.append((i, i + len(t)))
        i += len(t)
    return out


if __name__ == "__main__":
    main()
