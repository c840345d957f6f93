"""What several commands share: which pipeline to run, how to read documents, labelled
items, the tables of records. Commands import this module, never each other.

>>> import argparse
>>> parser = argparse.ArgumentParser(); add_pipeline_options(parser); add_read_options(parser)
>>> args = parser.parse_args(["--segmenter", "char", "--include", "*.csv", "--text-column", "body"])
>>> args.model, args.segmenter, args.include
(None, 'char', ['*.csv'])
>>> opts = read_options(args)
>>> opts.text_column, opts.exclude, opts.max_chars
('body', None, 1000000)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Dict, List, Optional

from ..io.options import ReadOptions
from ..io.readers import DEFAULT_MAX_CHARS, SUPPORTED_SUFFIXES

SEGMENTERS = ("pkuseg", "char", "jieba")


def add_pipeline_options(parser: argparse.ArgumentParser) -> None:
    """``--model`` (a saved or trained pipeline) and ``--segmenter`` (override the segmenter)."""
    parser.add_argument(
        "--model",
        metavar="PATH",
        help="a saved pipeline directory, e.g. govnlp train output (default: the bundled pipeline)",
    )
    parser.add_argument("--segmenter", choices=SEGMENTERS, help="override the segmenter")


def load_pipeline(args: argparse.Namespace, overrides: Optional[Dict[str, Any]] = None) -> Any:
    """The pipeline ``--model``/``--segmenter`` name, with config ``overrides``."""
    from ..pipeline import load

    if getattr(args, "model", None):
        return load(args.model, config=overrides or None)
    return load(segmenter=getattr(args, "segmenter", None), config=overrides or None)


# -- reading documents: the same flags for every command that reads them -----------------------


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """The flags of :class:`~govnlp.io.options.ReadOptions`, for every command that reads
    documents: ``--include``/``--exclude`` globs, ``--id-column``/``--text-column``/
    ``--meta-column`` for tables, ``--max-chars``. :func:`read_options` reads them back."""
    group = parser.add_argument_group("reading documents")
    group.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help=(
            "only files matching GLOB (repeatable; default: every supported type: "
            f"{' '.join(SUPPORTED_SUFFIXES)})"
        ),
    )
    group.add_argument(
        "--exclude", action="append", metavar="GLOB", help="skip files matching GLOB (repeatable)"
    )
    group.add_argument(
        "--id-column",
        default="id",
        metavar="NAME",
        help=(
            "tables (JSONL/CSV/Parquet): the column of document ids (default id; rows without "
            "one get FILE:ROW)"
        ),
    )
    group.add_argument(
        "--text-column",
        default="text",
        metavar="NAME",
        help="tables: the column of document texts (default text)",
    )
    group.add_argument(
        "--meta-column",
        action="append",
        metavar="NAME",
        help=(
            "tables: a column to copy into meta (repeatable; title, issuer, date, doc_type, "
            "published, doc_number, index_no, topic, source, url are copied when present)"
        ),
    )
    group.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        metavar="N",
        help=(
            f"longest document read, in characters (default {DEFAULT_MAX_CHARS:,}); longer ones "
            "are reported as DocumentTooLarge without being read whole; 0: no limit"
        ),
    )


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The :class:`~govnlp.io.options.ReadOptions` of the flags :func:`add_read_options`
    declared.
    """
    return ReadOptions(
        include=args.include,
        exclude=args.exclude,
        id_column=args.id_column,
        text_column=args.text_column,
        meta_columns=args.meta_column,
        max_chars=args.max_chars if args.max_chars > 0 else None,
    )


# -- labelled items (train, evaluate) ------------------------------------------------------------


def add_labelled_options(parser: argparse.ArgumentParser) -> None:
    """The columns of labelled-item files (``govnlp train`` and ``evaluate``)."""
    parser.add_argument("--text-column", default="text", help="text column (default text)")
    parser.add_argument("--labels-column", default="labels", help="labels column (default labels)")
    parser.add_argument("--id-column", default="id", help="id column (default id)")
    parser.add_argument(
        "--source-column",
        default="source",
        help=(
            "column naming each item's source or county, for --leave-one-source-out (default "
            "source)"
        ),
    )


def load_labelled(args: argparse.Namespace) -> list:
    """The labelled items named on the command line (``args.data``; none: the corpus
    annotations).
    """
    from ..domains.labelled import load_reference_annotations, read_labelled_file

    if not args.data:
        return load_reference_annotations()
    items = []
    for path in args.data:
        items.extend(
            read_labelled_file(
                path,
                text_column=args.text_column,
                labels_column=args.labels_column,
                id_column=args.id_column,
            )
        )
    source_column = getattr(args, "source_column", None)
    if source_column:
        for it in items:
            if source_column in it.meta and it.meta[source_column] not in (None, ""):
                it.meta["source"] = str(it.meta[source_column])
    return items


# -- tables of records (export, tag --tables) ----------------------------------------------------


def write_tables_cli(
    records: str, fmt: str, out_dir: Optional[str], *, quiet: bool = False, prog: str = "govnlp tag"
) -> int:
    """Write the tables of ``records``; print where they went (``export``, ``tag --tables``)."""
    from ..io.tables import RecordsError, export_tables, read_row_counts

    try:
        paths = export_tables(records, out_dir, formats=[fmt])
    except RecordsError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{prog}: cannot write the tables: {exc}", file=sys.stderr)
        return 1
    if not quiet:
        for f, tables in paths.items():
            counts = read_row_counts(tables) if f == "parquet" else None
            for table, path in tables.items():
                rows = f" ({counts[table]:,} rows)" if counts else ""
                print(f"  table {table}: {path}{rows}")
    return 0


__all__: List[str] = [
    "SEGMENTERS",
    "add_labelled_options",
    "add_pipeline_options",
    "add_read_options",
    "load_labelled",
    "load_pipeline",
    "read_options",
    "write_tables_cli",
]
