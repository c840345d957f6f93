"""``govnlp report``: documents or records in, a self-contained HTML report out (one file, or an
index and one page per document past a size)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..rendering.report import DEFAULT_SPLIT_OVER
from ._options import add_pipeline_options, add_read_options, load_pipeline, read_options


def _megabytes(value: str) -> float:
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {value!r}") from None
    if not mb >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value!r}")
    return mb


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``report`` command."""
    rep = sub.add_parser(
        "report",
        help=(
            "write a self-contained HTML report: domain shares, items, targets and units per "
            "document"
        ),
        description=(
            "Tag the documents in INPUT (files, or directories walked recursively) with the "
            "bundled pipeline (or --model), or read existing records (--records: INPUT are "
            "govnlp tag JSONL files), and write one HTML file that needs no network: a summary "
            "(counts of documents, items, targets and units; the share of work items per "
            "primary domain) and, per document, its text with items coloured by domain and "
            "targets and units marked (displaCy span style), and tables of its items, targets "
            "and units. A report that would exceed --split-over megabytes as one file is split: "
            "REPORT.html is then an index (summary, domain shares, a table linking every "
            "document) and REPORT_files/doc_0001.html ... one page per document. Files are "
            "written atomically."
        ),
    )
    rep.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="documents or directories (or records JSONL with --records)",
    )
    rep.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="REPORT.html",
        help="the HTML file to write (the index of a split report)",
    )
    rep.add_argument(
        "--records",
        action="store_true",
        help="INPUT are records JSONL files written by govnlp tag (nothing is tagged)",
    )
    add_pipeline_options(rep)
    add_read_options(rep)
    rep.add_argument(
        "--title", default="govnlp report", help="the report's title (default: 'govnlp report')"
    )
    rep.add_argument(
        "--items",
        choices=["leaf", "all"],
        default="leaf",
        help="items underlined in the text: work items (leaf, default) or headings too (all)",
    )
    split = rep.add_mutually_exclusive_group()
    split.add_argument(
        "--split-over",
        type=_megabytes,
        default=DEFAULT_SPLIT_OVER / 1e6,
        metavar="MB",
        help=(
            "split the report into an index and one page per document when one file would "
            f"exceed MB megabytes (default: {DEFAULT_SPLIT_OVER / 1e6:g}; 0: always split)"
        ),
    )
    split.add_argument(
        "--single-file", action="store_true", help="never split: one file whatever its size"
    )
    rep.add_argument("--quiet", action="store_true", help="no summary line")
    rep.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp report``."""
    from ..io import iter_records
    from ..rendering.report import ReportError, render_report, report_summary, write_report
    from ..tagging import tag_documents

    errors: list = []
    if args.records:
        if args.model or args.segmenter:
            print(
                "govnlp report: --model/--segmenter have no effect with --records", file=sys.stderr
            )
        missing = [p for p in args.inputs if not Path(p).is_file()]
        if missing:
            print(f"govnlp report: no such records file: {', '.join(missing)}", file=sys.stderr)
            return 2
        entries = [
            rec
            for path in args.inputs
            for rec in iter_records(
                path,
                on_error=lambda where, exc: errors.append(
                    ReportError(where, type(exc).__name__, str(exc))
                ),
            )
        ]
    else:
        from ..segmenter import SegmenterModelMissing

        try:
            nlp = load_pipeline(args)
        except (SegmenterModelMissing, OSError, ValueError) as exc:
            print(f"govnlp report: cannot load the pipeline: {exc}", file=sys.stderr)
            return 2
        entries = list(
            tag_documents(
                nlp,
                args.inputs,
                read=read_options(args),
                on_error=lambda d: errors.append(
                    ReportError(d.doc_id, type(d.error).__name__, str(d.error))
                ),
            )
        )
    if not entries:
        for e in errors[:10]:
            print(f"govnlp report: {e.doc_id}: {e.error_type}: {e.message}", file=sys.stderr)
        print("govnlp report: no documents to report on", file=sys.stderr)
        return 1
    report = render_report(
        entries,
        title=args.title,
        errors=errors,
        items=args.items,
        source=", ".join(str(p) for p in args.inputs),
        index_name=Path(args.output).name,
        split_over=None if args.single_file else int(args.split_over * 1e6),
    )
    try:
        out = write_report(args.output, report)
    except (OSError, ValueError) as exc:
        print(f"govnlp report: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        s = report_summary(e[0] if isinstance(e, tuple) else e for e in entries)
        sizes = report.sizes()
        where = (
            f"{sizes[''] / 1e6:.1f} MB"
            if not report.split
            else f"index {sizes[''] / 1e6:.1f} MB + {len(report.pages)} document pages in "
            f"{out.parent / report.pages_dir}, {sum(sizes.values()) / 1e6:.1f} MB in all"
        )
        print(
            f"report {out} ({where}): {s['documents']} documents, {s['items']} items, "
            f"{s['work_items']} work items ({s['labelled_work_items']} labelled), {s['targets']} "
            f"targets, {s['units']} unit mentions"
            + (f"; {len(errors)} left out (listed in the report)" if errors else "")
        )
    return 0
