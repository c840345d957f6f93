"""The ``govnlp`` command line.

    govnlp tag INPUT... -o OUT.jsonl      tag documents (files or directories)
    govnlp setup-segmenter                provision the pkuseg model (set-up only)
    govnlp info                           versions, model locations, pipeline
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from .about import __version__


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govnlp",
        description=(
            "Turn Chinese local-government documents into research data: work items, "
            "policy domains, numeric targets and government units."
        ),
    )
    parser.add_argument("--version", action="version", version=f"govnlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    tag = sub.add_parser(
        "tag",
        help="tag documents into JSONL records (schema: records.md)",
        description=(
            "Tag every document in INPUT (files, or directories walked recursively) and write one "
            "JSON record per document to OUT. Unreadable documents go to the errors file and the run "
            "goes on; the exit status is non-zero only when nothing could be tagged. The output is "
            "written to OUT.partial and renamed to OUT when the run ends; --resume continues a run "
            "that was interrupted."
        ),
    )
    tag.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories")
    tag.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output JSONL file")
    tag.add_argument("--errors", metavar="FILE", help="errors file (default: OUT.errors.jsonl)")
    tag.add_argument("--model", metavar="PATH", help="a saved pipeline directory (default: the bundled pipeline)")
    tag.add_argument("--segmenter", choices=["pkuseg", "char", "jieba"], help="override the segmenter")
    tag.add_argument("--region", metavar="COUNTY", help="the county of every document (name or adcode); default: resolved per document")
    tag.add_argument("--county-file", action="append", metavar="FILE", help="gazetteer entries (JSONL or CSV) adding to or overriding the template (repeatable)")
    tag.add_argument("--include", action="append", metavar="GLOB", help="only files matching GLOB (repeatable; default *.txt)")
    tag.add_argument("--exclude", action="append", metavar="GLOB", help="skip files matching GLOB (repeatable)")
    tag.add_argument("--no-text", action="store_true", help="omit the document text from the records")
    tag.add_argument("--batch-size", type=int, default=16, help="documents per batch (default 16)")
    tag.add_argument("--n-process", type=int, default=1, help="worker processes (default 1)")
    tag.add_argument("--resume", action="store_true", help="skip documents already in OUT or OUT.partial")
    tag.add_argument("--progress", action="store_true", help="show a progress bar with documents/s")
    tag.add_argument("--quiet", action="store_true", help="no summary")

    setup = sub.add_parser(
        "setup-segmenter",
        help="download pkuseg's default model from PyPI and convert it (pickle-free)",
        description=(
            "Provision the pkuseg 'default' segmentation model once, at set-up: pip downloads the "
            "pkuseg==0.0.25 wheel (a zip; nothing is installed or executed), its features are read "
            "without executing code and written as msgpack + float32 numpy into the data directory "
            "($GOVNLP_DATA_DIR or <venv>/share/govnlp). pkuseg's models are for research use only."
        ),
    )
    setup.add_argument("--wheel", type=Path, help="use this pkuseg-0.0.25 wheel instead of downloading")
    setup.add_argument("--out", type=Path, help="target directory (default: the data directory)")
    setup.add_argument("--force", action="store_true", help="convert again even if present")

    sub.add_parser("info", help="show versions, data locations and the default pipeline")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``govnlp`` command."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return {"tag": _cmd_tag, "setup-segmenter": _cmd_setup, "info": _cmd_info}[args.command](args)
    except KeyboardInterrupt:
        print("interrupted; rerun with --resume to continue", file=sys.stderr)
        return 130


def _cmd_tag(args: argparse.Namespace) -> int:
    from .pipeline import load
    from .segmenter import SegmenterModelMissing
    from .tagging import default_errors_path, tag_paths

    overrides = {}
    if args.region:
        overrides["components.govnlp_units.region"] = args.region
    if args.county_file:
        overrides["components.govnlp_units.county_files"] = [str(Path(f).resolve()) for f in args.county_file]
    try:
        if args.model:
            nlp = load(args.model, config=overrides or None)
        else:
            nlp = load(segmenter=args.segmenter, config=overrides or None)
    except (SegmenterModelMissing, OSError, ValueError) as exc:
        print(f"govnlp tag: cannot load the pipeline: {exc}", file=sys.stderr)
        return 2
    errors_path = Path(args.errors) if args.errors else default_errors_path(args.output)
    stats = tag_paths(
        nlp,
        args.inputs,
        args.output,
        errors_path=errors_path,
        include=args.include,
        exclude=args.exclude,
        include_text=not args.no_text,
        batch_size=args.batch_size,
        n_process=args.n_process,
        resume=args.resume,
        progress=args.progress,
    )
    if not args.quiet:
        print(
            f"tagged {stats.documents} documents ({stats.characters:,} characters) in {stats.seconds:.1f}s "
            f"[{stats.docs_per_second:.1f} docs/s, {stats.chars_per_second:,.0f} chars/s]\n"
            f"  items {stats.items}, work items {stats.work_items}, targets {stats.targets}, units {stats.units}\n"
            f"  errors {stats.errors}{' ' + json.dumps(stats.error_types, ensure_ascii=False) if stats.errors else ''}"
            f"{f', already done {stats.skipped_done}' if stats.skipped_done else ''}\n"
            f"  output {args.output}\n  errors file {errors_path}"
        )
    if stats.documents == 0 and stats.skipped_done == 0:
        print("govnlp tag: nothing could be tagged", file=sys.stderr)
        return 1
    return 0


def _cmd_setup(args: argparse.Namespace) -> int:
    from .segmenter.provision import provision_segmenter

    out = provision_segmenter(args.out, wheel=args.wheel, force=args.force)
    print(f"pkuseg default model ready in {out}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    import spacy

    from .pipeline import default_config
    from .segmenter import data_dir, default_model_dir

    model = default_model_dir()
    print(f"govnlp {__version__}, spaCy {spacy.__version__}, Python {sys.version.split()[0]}")
    print(f"data directory: {data_dir()}")
    print(f"pkuseg model: {model} ({'present' if (model / 'features.msgpack').exists() else 'missing: run govnlp setup-segmenter'})")
    print("default pipeline: " + ", ".join(default_config()["nlp"]["pipeline"]))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
