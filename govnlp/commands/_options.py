"""Options several commands share: which pipeline to run, which files to read.

>>> import argparse
>>> parser = argparse.ArgumentParser(); add_pipeline_options(parser); add_file_filters(parser)
>>> args = parser.parse_args(["--segmenter", "char", "--include", "*.txt"])
>>> args.model, args.segmenter, args.include
(None, 'char', ['*.txt'])
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, Optional

SEGMENTERS = ("pkuseg", "char", "jieba")


def add_pipeline_options(parser: argparse.ArgumentParser) -> None:
    """``--model`` (a saved or trained pipeline) and ``--segmenter`` (override the segmenter)."""
    parser.add_argument(
        "--model",
        metavar="PATH",
        help="a saved pipeline directory, e.g. govnlp train output (default: the bundled pipeline)",
    )
    parser.add_argument("--segmenter", choices=SEGMENTERS, help="override the segmenter")


def add_file_filters(parser: argparse.ArgumentParser) -> None:
    """``--include`` / ``--exclude`` globs for the files under INPUT directories."""
    parser.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="only files matching GLOB (repeatable; default: every supported type: .txt .text .md .html .htm .shtml .xhtml .docx .jsonl .ndjson .csv .parquet)",
    )
    parser.add_argument(
        "--exclude", action="append", metavar="GLOB", help="skip files matching GLOB (repeatable)"
    )


def load_pipeline(args: argparse.Namespace, overrides: Optional[Dict[str, Any]] = None) -> Any:
    """The pipeline ``--model``/``--segmenter`` name, with config ``overrides``."""
    from ..pipeline import load

    if getattr(args, "model", None):
        return load(args.model, config=overrides or None)
    return load(segmenter=getattr(args, "segmenter", None), config=overrides or None)
