"""``govnlp report``: documents or records in, one self-contained HTML report out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import add_file_filters, add_pipeline_options, load_pipeline


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``report`` command."""
    rep = sub.add_parser(
        "report",
        help="write a self-contained HTML report: domain shares, items, targets and units per document",
        description=(
            "Tag the documents in INPUT (files, or directories walked recursively) with the bundled "
            "pipeline (or --model), or read existing records (--records: INPUT are govnlp tag JSONL "
            "files), and write one HTML file that needs no network: a summary (counts of documents, "
            "items, targets and units; the share of work items per primary domain) and, per document, "
            "its text with items coloured by domain and targets and units marked (displaCy span "
            "style), and tables of its items, targets and units. The file is written atomically."
        ),
    )
    rep.add_argument("inputs", nargs="+", metavar="INPUT", help="documents or directories (or records JSONL with --records)")
    rep.add_argument("-o", "--output", required=True, metavar="REPORT.html", help="the HTML file to write")
    rep.add_argument("--records", action="store_true", help="INPUT are records JSONL files written by govnlp tag (nothing is tagged)")
    add_pipeline_options(rep)
    add_file_filters(rep)
    rep.add_argument("--title", default="govnlp report", help="the report's title (default: 'govnlp report')")
    rep.add_argument("--items", choices=["leaf", "all"], default="leaf", help="items underlined in the text: work items (leaf, default) or headings too (all)")
    rep.add_argument("--quiet", action="store_true", help="no summary line")
    rep.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp report``."""
    from ..io import iter_records
    from ..rendering.report import ReportError, build_report, report_summary, write_report
    from ..tagging import tag_documents

    errors: list = []
    if args.records:
        if args.model or args.segmenter:
            print("govnlp report: --model/--segmenter have no effect with --records", file=sys.stderr)
        missing = [p for p in args.inputs if not Path(p).is_file()]
        if missing:
            print(f"govnlp report: no such records file: {', '.join(missing)}", file=sys.stderr)
            return 2
        entries = [rec for path in args.inputs for rec in iter_records(
            path, on_error=lambda where, exc: errors.append(ReportError(where, type(exc).__name__, str(exc))))]
    else:
        from ..segmenter import SegmenterModelMissing

        try:
            nlp = load_pipeline(args)
        except (SegmenterModelMissing, OSError, ValueError) as exc:
            print(f"govnlp report: cannot load the pipeline: {exc}", file=sys.stderr)
            return 2
        entries = list(tag_documents(
            nlp, args.inputs, include=args.include, exclude=args.exclude,
            on_error=lambda d: errors.append(ReportError(d.doc_id, type(d.error).__name__, str(d.error)))))
    if not entries:
        for e in errors[:10]:
            print(f"govnlp report: {e.doc_id}: {e.error_type}: {e.message}", file=sys.stderr)
        print("govnlp report: no documents to report on", file=sys.stderr)
        return 1
    html = build_report(entries, title=args.title, errors=errors, items=args.items,
                        source=", ".join(str(p) for p in args.inputs))
    out = write_report(args.output, html)
    if not args.quiet:
        s = report_summary(e[0] if isinstance(e, tuple) else e for e in entries)
        print(
            f"report {out} ({len(html.encode('utf-8')) / 1e6:.1f} MB): {s['documents']} documents, {s['items']} items, "
            f"{s['work_items']} work items ({s['labelled_work_items']} labelled), {s['targets']} targets, "
            f"{s['units']} unit mentions" + (f"; {len(errors)} left out (listed in the report)" if errors else "")
        )
    return 0
