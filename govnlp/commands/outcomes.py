"""``govnlp outcomes``: records (JSONL) → a table of targets paired with their outcomes."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``outcomes`` command."""
    cmd = sub.add_parser(
        "outcomes",
        help=(
            "pair each target with the outcome its county reported, and judge it (met / partly "
            "/ not met)"
        ),
        description=(
            "Read RECORDS.jsonl (govnlp tag output of a county's documents over several years, "
            "with their text) and write one row per target: the county, the normalised "
            "indicator, the year the target is for, the target, the outcome the county reported "
            "for the same indicator and year (usually in the next year's work report), a match "
            "score, the verdict (met, partly, not_met, no_outcome) and the document ids and "
            "offsets of both. Indicators are matched through the bundled indicator table "
            "(govnlp/outcomes/indicators.json), extended with --indicators FILE. The table is "
            "CSV or Parquet by the output's suffix, written atomically."
        ),
    )
    cmd.add_argument(
        "records", nargs="+", metavar="RECORDS.jsonl", help="records written by govnlp tag"
    )
    cmd.add_argument(
        "-o", "--output", required=True, metavar="TABLE", help="TABLE.csv or TABLE.parquet"
    )
    cmd.add_argument(
        "--indicators",
        action="append",
        metavar="FILE",
        help=(
            "an indicator table of your own (same shape as the bundled one), added to it; "
            "repeatable"
        ),
    )
    cmd.add_argument(
        "--min-score",
        type=float,
        default=None,
        metavar="S",
        help="pairs below this score are not made (default: the bundled threshold)",
    )
    cmd.add_argument("--quiet", action="store_true", help="no summary")
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp outcomes``."""
    from ..io.tables import RecordsError, iter_records
    from ..outcomes import (
        MIN_PAIR_SCORE,
        IndicatorTable,
        link_outcomes,
        outcome_rows,
        write_outcome_table,
    )

    prog = "govnlp outcomes"
    if Path(args.output).suffix.lower() not in (".csv", ".parquet"):
        print(f"{prog}: the output is a .csv or .parquet file, not {args.output}", file=sys.stderr)
        return 2
    try:
        table = IndicatorTable.load(args.indicators)
    except (OSError, ValueError) as exc:
        print(f"{prog}: cannot read the indicator table: {exc}", file=sys.stderr)
        return 2
    records = []
    bad = []
    for path in args.records:
        if not Path(path).is_file():
            print(f"{prog}: no such records file: {path}", file=sys.stderr)
            return 2
        try:
            records.extend(
                iter_records(path, on_error=lambda where, exc: bad.append(f"{where}: {exc}"))
            )
        except RecordsError as exc:
            print(f"{prog}: {exc}", file=sys.stderr)
            return 1
    for line in bad:
        print(f"{prog}: skipped {line}", file=sys.stderr)
    if records and not any(r.get("text") for r in records):
        print(
            f"{prog}: the records have no text (tagged with --no-text?): years and sections are "
            "read from the text, so only document-level years are used",
            file=sys.stderr,
        )
    min_score = MIN_PAIR_SCORE if args.min_score is None else args.min_score
    rows = outcome_rows(link_outcomes(records, table, min_score=min_score))
    try:
        write_outcome_table(rows, args.output)
    except OSError as exc:
        print(f"{prog}: cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        verdicts = Counter(r["verdict"] for r in rows)
        summary = ", ".join(
            f"{verdicts[v]} {v}" for v in ("met", "partly", "not_met", "no_outcome")
        )
        print(f"{len(records)} documents, {len(rows)} targets: {summary}")
        print(f"  table {args.output}")
    return 0
