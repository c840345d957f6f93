"""Compare govnlp's segmenters with pkuseg's original pickled model, token span by token span.

Segments the seeds and every document of ``../shared/corpus`` (both manifests:
``MANIFEST.jsonl`` and ``counties/MANIFEST.jsonl``) with the original model,
loaded by pkuseg's own (pickle-based) loader from the trusted wheel of PyPI:
the reference. Then with each model directory given:

* ``--converted DIR``: the converted model on pkuseg's Cython inference (``load_pkuseg``);
* ``--fast DIR``: the converted model on govnlp's numpy inference (``FastSegmenter``,
  needs the index ``govnlp setup-segmenter`` builds).

Reports identical documents, differing token spans, load time, peak RSS and
chars/s of each (one fresh interpreter per run).

    python benchmarks/segmenter_agreement.py --wheel pkuseg-0.0.25-*.whl \
        --converted .venv/share/govnlp/pkuseg/default --fast .venv/share/govnlp/pkuseg/default

Without ``--wheel`` the wheel is looked for in ``out/wheels`` and otherwise
downloaded there with pip; without ``--converted``/``--fast`` the provisioned
default model is run on the numpy path.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


MANIFESTS = ("MANIFEST.jsonl", "counties/MANIFEST.jsonl")


def corpus_texts(limit_chars: int | None = None) -> list[tuple[str, str]]:
    """(name, text) of the seeds and of every document listed in ../shared/corpus's manifests."""
    texts = [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "corpora" / "samples").glob("*.txt"))
    ]
    for rel in MANIFESTS:
        manifest = SHARED / "corpus" / rel
        if not manifest.exists():
            print(f"note: {manifest} not found", file=sys.stderr)
            continue
        for line in manifest.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            path = manifest.parent / rec["path"]
            texts.append(
                (str(path.relative_to(SHARED / "corpus")), path.read_text(encoding="utf-8"))
            )
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
mode, path, texts_file, root = sys.argv[1:5]
sys.path.insert(0, root)
if mode == "original":  # imports first: the load time is the model's only
    import spacy_pkuseg
    t0 = time.perf_counter()
    seg = spacy_pkuseg.pkuseg(path)
elif mode == "fast":
    from govnlp.segmenter.fast import FastSegmenter
    t0 = time.perf_counter()
    seg = FastSegmenter.load(path)
else:
    from govnlp.segmenter.model_files import load_pkuseg
    t0 = time.perf_counter()
    seg = load_pkuseg(path)
load = time.perf_counter() - t0
texts = json.load(open(texts_file, encoding="utf-8"))
t0 = time.perf_counter()
out = [seg.cut(t) for _, t in texts]
cut = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
for line in open("/proc/self/status"):  # VmHWM: this process's own peak (ru_maxrss keeps the parent's across exec)
    if line.startswith("VmHWM:"):
        rss = int(line.split()[1]) / 1024
json.dump({"load_s": load, "cut_s": cut, "max_rss_mb": rss, "tokens": out}, sys.stdout, ensure_ascii=False)
"""  # noqa: E501 (a script run in a subprocess)


def run(mode: str, path: str, texts_file: str) -> dict:
    res = subprocess.run(
        [sys.executable, "-c", WORKER, mode, path, texts_file, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--wheel",
        help="pkuseg-0.0.25 wheel (the original model); default: out/wheels, downloaded if absent",
    )
    ap.add_argument(
        "--converted",
        nargs="*",
        default=[],
        help="converted model directories, on pkuseg's Cython inference",
    )
    ap.add_argument(
        "--fast",
        nargs="*",
        default=None,
        help="model directories with an index, on the numpy inference",
    )
    ap.add_argument("--json", type=Path, help="also write the figures (not the tokens) here")
    ap.add_argument("--limit-chars", type=int, default=None)
    ap.add_argument("--only", nargs="*", help="only these document names/paths")
    args = ap.parse_args()
    if args.fast is None:
        from govnlp.segmenter import default_model_dir

        args.fast = [] if args.converted else [str(default_model_dir())]
    wheel = Path(args.wheel) if args.wheel else find_wheel()
    texts = corpus_texts(args.limit_chars)
    if args.only:
        texts = [(n, t) for n, t in texts if n in args.only]
    nchars = sum(len(t) for _, t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        tf = unpack_original(wheel, Path(tmp), texts)
        ref = run("original", tmp, str(tf))
        print(f"documents {len(texts)}, characters {nchars}")
        print(
            f"original : load {ref['load_s']:.2f}s  peak RSS {ref['max_rss_mb']:.0f} MB  "
            f"{nchars / ref['cut_s']:,.0f} chars/s"
        )
        report = {
            "documents": len(texts),
            "characters": nchars,
            "original": {k: ref[k] for k in ("load_s", "cut_s", "max_rss_mb")},
            "runs": [],
        }
        for mode, conv in [("converted", c) for c in args.converted] + [
            ("fast", c) for c in args.fast
        ]:
            got = run(mode, conv, str(tf))
            same_docs = sum(a == b for a, b in zip(ref["tokens"], got["tokens"]))
            ref_tok = sum(len(a) for a in ref["tokens"])
            diff_tok = 0
            for a, b in zip(ref["tokens"], got["tokens"]):
                if a != b:
                    diff_tok += len(set(_spans(a)) ^ set(_spans(b)))
            meta = (
                json.loads((Path(conv) / "meta.json").read_text())
                if (Path(conv) / "meta.json").exists()
                else {}
            )
            differing = [
                name for (name, _), a, b in zip(texts, ref["tokens"], got["tokens"]) if a != b
            ]
            print(
                f"{mode} {conv}: threshold {meta.get('prune_threshold')} features "
                f"{meta.get('features_kept')}/{meta.get('features_original')}  load "
                f"{got['load_s']:.2f}s  peak RSS {got['max_rss_mb']:.0f} MB  "
                f"{nchars / got['cut_s']:,.0f} chars/s ({ref['cut_s'] / got['cut_s']:.2f}x)  "
                f"identical docs {same_docs}/{len(texts)}  differing token spans "
                f"{diff_tok}/{ref_tok}"
            )
            if differing:
                print("    differing documents: " + ", ".join(differing))
            report["runs"].append(
                {
                    "mode": mode,
                    "model": conv,
                    "load_s": got["load_s"],
                    "cut_s": got["cut_s"],
                    "max_rss_mb": got["max_rss_mb"],
                    "identical_docs": same_docs,
                    "differing_spans": diff_tok,
                    "reference_tokens": ref_tok,
                    "differing_documents": differing,
                }
            )
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def unpack_original(wheel: Path, folder: Path, texts: list) -> Path:
    """pkuseg's original model files from ``wheel`` into ``folder``, and the texts beside them
    as ``texts.json`` (what the measuring subprocesses read); returns the texts file."""
    with zipfile.ZipFile(wheel) as zf:
        for name in ("features.pkl", "weights.npz"):
            (folder / name).write_bytes(zf.read(f"pkuseg/models/default/{name}"))
    texts_file = folder / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return texts_file


def find_wheel() -> Path:
    """The pkuseg 0.0.25 wheel in ``out/wheels``, downloaded there by pip when absent."""
    dest = ROOT / "out" / "wheels"
    found = sorted(dest.glob("pkuseg-0.0.25-*.whl"))
    if found:
        return found[0]
    sys.path.insert(0, str(ROOT))
    from govnlp.segmenter.provision import download_pkuseg_wheel

    dest.mkdir(parents=True, exist_ok=True)
    return download_pkuseg_wheel(dest)


def _spans(tokens: list[str]) -> list[tuple[int, int]]:
    out, i = [], 0
    for t in tokens:
        out.append((i, i + len(t)))
        i += len(t)
    return out


if __name__ == "__main__":
    main()
