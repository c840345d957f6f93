"""``govnlp gazetteer``: inspect the gazetteer and mine candidate entries from documents."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ._options import add_read_options, read_options


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``gazetteer`` command and its ``suggest``/``stats`` sub-commands."""
    gaz = sub.add_parser(
        "gazetteer",
        help="mine unknown unit names from documents (suggest); count entries (stats)",
        description=(
            "suggest: run the unit linker over DOCS and write every unit name it cannot link "
            "(NIL) as a candidate gazetteer entry, most frequent first, with its frequency, "
            "roles and example contexts, for review. Keep the lines you accept (the review "
            "fields may stay) and pass the file with --county-file to govnlp tag, or in the "
            "config (components.govnlp_units.county_files). stats: entry counts of the "
            "gazetteer by type and level."
        ),
    )
    gsub = gaz.add_subparsers(dest="action", metavar="ACTION")
    sug = gsub.add_parser("suggest", help="candidate entries for unknown unit names in DOCS")
    sug.add_argument("inputs", nargs="+", metavar="DOCS", help="documents or directories")
    sug.add_argument(
        "-o", "--output", required=True, metavar="FILE.jsonl", help="candidates (JSONL)"
    )
    sug.add_argument(
        "--region",
        metavar="COUNTY",
        help="the county of the documents (default: resolved per document)",
    )
    sug.add_argument(
        "--county-file", action="append", metavar="FILE", help="entries already known (repeatable)"
    )
    sug.add_argument(
        "--min-freq", type=int, default=1, help="only names seen at least this often (default 1)"
    )
    add_read_options(sug)
    sug.set_defaults(run=run_suggest)
    st = gsub.add_parser("stats", help="entry counts by type and level")
    st.add_argument(
        "--county-file",
        action="append",
        metavar="FILE",
        help="user entries to include (repeatable)",
    )
    st.set_defaults(run=run_stats)
    gaz.set_defaults(run=lambda args: (gaz.print_help(), 2)[1])


def _gazetteer(county_files):
    from ..units.gazetteer import Gazetteer

    return Gazetteer.default(county_files=[str(Path(f).resolve()) for f in county_files or []])


def run_suggest(args: argparse.Namespace) -> int:
    """Run ``govnlp gazetteer suggest``."""
    from ..units.region import resolve_region
    from ..io.writers import write_json_atomic
    from ..units.suggest import suggest_entries

    gaz = _gazetteer(args.county_file)
    documents = 0

    def readable():
        nonlocal documents
        for d in read_options(args).documents(args.inputs):
            if d.error is not None:
                print(f"skipped {d.doc_id}: {d.error}", file=sys.stderr)
                continue
            documents += 1
            yield d.text

    def region_of(text: str):
        return resolve_region(text, args.region, divisions=gaz.divisions)

    cands = suggest_entries(readable(), gaz, region_of=region_of, min_freq=args.min_freq)
    write_json_atomic(args.output, cands, jsonl=True)
    print(f"{len(cands)} candidate entries from {documents} documents written to {args.output}")
    return 0 if documents else 1


def run_stats(args: argparse.Namespace) -> int:
    """Run ``govnlp gazetteer stats``."""
    gaz = _gazetteer(args.county_file)
    print(f"{'entries by type':<40}{'count':>8}")
    for key, n in sorted(gaz.counts_by_type().items(), key=lambda kv: -kv[1]):
        print(f"  {key:<38}{n:>8}")
    levels = Counter(r.get("level") or "any" for r in gaz.records)
    print("entries by level")
    for key, n in levels.most_common():
        print(f"  {key:<38}{n:>8}")
    div = gaz.divisions
    if div is not None:
        print(f"{'divisions: counties':<40}{len(div.counties):>8}")
    print(
        f"{'aliases in the template (all forms)':<40}"
        f"{sum(len(r.get('aliases') or []) for r in gaz.records):>8}"
    )
    return 0
