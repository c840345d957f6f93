"""``govnlp tag``: documents in, JSONL records out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``tag`` command."""
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

    tag.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp tag``."""
    from ..pipeline import load
    from ..segmenter import SegmenterModelMissing
    from ..tagging import default_errors_path, tag_paths

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
