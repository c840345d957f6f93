"""``govnlp export``: records (JSONL) → tables (Parquet and/or CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import write_tables_cli


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``export`` command."""
    export = sub.add_parser(
        "export",
        help=(
            "flatten JSONL records into tables (documents, items, targets, units) as Parquet or CSV"
        ),
        description=(
            "Read RECORDS.jsonl (the output of govnlp tag) and write four tables: documents "
            "(one row per document: meta and counts), items (one row per item, a cat_<label> "
            "column per policy-domain label), targets (one row per numeric target) and units "
            "(one row per unit mention), each with doc_id and item_id to join them. Parquet "
            "keeps types (lists of strings as lists); CSV is UTF-8 with a byte-order mark so "
            "that Excel shows Chinese correctly, with lists and objects as JSON text. Files are "
            "written to a temporary file and renamed, never left half-written."
        ),
    )
    export.add_argument("records", metavar="RECORDS.jsonl", help="records written by govnlp tag")
    export.add_argument(
        "--format",
        choices=["parquet", "csv", "both"],
        default="parquet",
        help="table format (default parquet)",
    )
    export.add_argument(
        "-o",
        "--output-dir",
        metavar="DIR",
        help=(
            "write DIR/documents.parquet, DIR/items.parquet… (default: next to RECORDS: "
            "RECORDS.items.parquet…)"
        ),
    )
    export.add_argument("--quiet", action="store_true", help="no summary")
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp export``."""
    if not Path(args.records).is_file():
        print(f"govnlp export: no such records file: {args.records}", file=sys.stderr)
        return 2
    return write_tables_cli(
        args.records, args.format, args.output_dir, quiet=args.quiet, prog="govnlp export"
    )
