"""``govnlp tag``: documents in, JSONL records out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from ..engines.base import DEFAULT_DOC_TIMEOUT, TagOptions
from ._options import (
    add_pipeline_options,
    add_read_options,
    load_pipeline,
    read_options,
    write_tables_cli,
)


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``tag`` command."""
    tag = sub.add_parser(
        "tag",
        help="tag documents into JSONL records (schema: records.md)",
        description=(
            "Tag every document in INPUT (files, or directories walked recursively) and write "
            "one JSON record per document to OUT. Unreadable documents go to the errors file "
            "and the run goes on; the exit status is non-zero only when nothing could be "
            "tagged. The output is written to OUT.partial and renamed to OUT when the run ends; "
            "--resume continues a run that was interrupted."
        ),
    )
    tag.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories")
    tag.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output JSONL file")
    tag.add_argument("--errors", metavar="FILE", help="errors file (default: OUT.errors.jsonl)")
    add_pipeline_options(tag)
    tag.add_argument(
        "--region",
        metavar="COUNTY",
        help="the county of every document (name or adcode); default: resolved per document",
    )
    tag.add_argument(
        "--county-file",
        action="append",
        metavar="FILE",
        help="gazetteer entries (JSONL or CSV) adding to or overriding the template (repeatable)",
    )
    add_read_options(tag)
    tag.add_argument(
        "--no-text", action="store_true", help="omit the document text from the records"
    )
    tag.add_argument(
        "--tables",
        choices=["parquet", "csv", "both"],
        help=(
            "also write the records as tables documents/items/targets/units: OUT.items.parquet, "
            "OUT.items.csv (UTF-8 with BOM, for Excel)…"
        ),
    )
    tag.add_argument(
        "--tables-dir",
        metavar="DIR",
        help=(
            "write the tables to DIR/items.parquet… instead of next to OUT (implies --tables "
            "parquet unless --tables is given)"
        ),
    )
    tag.add_argument("--batch-size", type=int, default=16, help="documents per batch (default 16)")
    tag.add_argument(
        "--n-process",
        type=int,
        default=1,
        help=(
            "worker processes (default 1); a worker that dies (killed, out of memory) is "
            "replaced and its document reported as WorkerDied"
        ),
    )
    tag.add_argument(
        "--doc-timeout",
        type=float,
        default=DEFAULT_DOC_TIMEOUT,
        metavar="SECONDS",
        help=(
            f"time budget per document (default {DEFAULT_DOC_TIMEOUT:g}); a document over it is "
            "stopped and reported as DocumentTimeout, the run goes on (--resume tries it "
            "again); 0: no budget (with --n-process 1: tag in this process)"
        ),
    )
    tag.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help=(
            "where the pipeline runs: this machine's processes (local, default) or a Dask "
            "cluster (dask; needs govnlp[dask])"
        ),
    )
    tag.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="--engine dask: worker processes of the local cluster (default: one per CPU core)",
    )
    tag.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=(
            "--engine dask: use the running cluster at ADDRESS (tcp://host:8786) instead of a "
            "local one"
        ),
    )
    tag.add_argument(
        "--resume",
        action="store_true",
        help=(
            "skip documents already in OUT or OUT.partial (a run killed even with kill -9 "
            "continues where it stopped); failed documents are tried again"
        ),
    )
    tag.add_argument(
        "--progress",
        action="store_true",
        help=(
            "show a progress bar with documents/s and an ETA (inputs are counted first: files, "
            "JSONL lines, Parquet rows)"
        ),
    )
    tag.add_argument("--quiet", action="store_true", help="no summary")

    tag.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp tag``."""
    from ..tagging import default_errors_path, tag_paths

    overrides = {}
    if args.region:
        overrides["components.govnlp_units.region"] = args.region
    if args.county_file:
        overrides["components.govnlp_units.county_files"] = [
            str(Path(f).resolve()) for f in args.county_file
        ]
    try:
        engine = _engine(args, overrides)
    except _Refused as exc:
        print(f"govnlp tag: {exc}", file=sys.stderr)
        return 2
    errors_path = Path(args.errors) if args.errors else default_errors_path(args.output)
    restore = _exit_on_sigterm()
    try:
        with engine:
            stats = tag_paths(
                None,
                args.inputs,
                args.output,
                read=read_options(args),
                options=TagOptions(
                    include_text=not args.no_text,
                    batch_size=args.batch_size,
                    doc_timeout=args.doc_timeout if args.doc_timeout > 0 else None,
                ),
                engine=engine,
                errors_path=errors_path,
                resume=args.resume,
                progress=args.progress,
            )
    except Exception as exc:  # noqa: BLE001 - engine failures: a clear message, exit 2
        if engine.name != "dask":
            raise
        from ..engines.dask import EngineError

        if not isinstance(exc, (EngineError, OSError, TimeoutError)):
            raise
        print(f"govnlp tag: the Dask engine failed: {exc}", file=sys.stderr)
        return 2
    finally:
        restore()
    if not args.quiet:
        error_types = json.dumps(stats.error_types, ensure_ascii=False)
        print(
            f"tagged {stats.documents} documents ({stats.characters:,} characters) in "
            f"{stats.seconds:.1f}s [{stats.docs_per_second:.1f} docs/s, "
            f"{stats.chars_per_second:,.0f} chars/s]\n  items {stats.items}, work items "
            f"{stats.work_items}, targets {stats.targets}, units {stats.units}\n  errors "
            f"{stats.errors}{' ' + error_types if stats.errors else ''}"
            f"{f', already done {stats.skipped_done}' if stats.skipped_done else ''}\n  output "
            f"{args.output}\n  errors file {errors_path}"
        )
    if stats.documents == 0 and stats.skipped_done == 0:
        print("govnlp tag: nothing could be tagged", file=sys.stderr)
        return 1
    if args.tables or args.tables_dir:
        return write_tables_cli(
            args.output, args.tables or "parquet", args.tables_dir, quiet=args.quiet
        )
    return 0


class _Refused(Exception):
    """The engine cannot be set up (a message for the user, exit status 2)."""


def _engine(args: argparse.Namespace, overrides: dict) -> Any:
    """The engine ``--engine`` names: the Dask engine ships a pipeline spec to its workers;
    the local engine loads the pipeline here (``--n-process`` processes)."""
    from ..segmenter import SegmenterModelMissing

    if getattr(args, "engine", "local") == "dask":
        try:
            from ..engines import PipelineSpec
            from ..engines.dask import DaskEngine
        except ImportError as exc:
            raise _Refused(
                f"--engine dask needs dask[distributed] (pip install govnlp[dask]): {exc}"
            ) from None
        spec = PipelineSpec(
            model=args.model, segmenter=None if args.model else args.segmenter, config=overrides
        )
        return DaskEngine(spec, workers=args.workers, scheduler=args.scheduler)
    from ..engines.local import LocalEngine

    try:
        nlp = load_pipeline(args, overrides)
    except (SegmenterModelMissing, OSError, ValueError) as exc:
        raise _Refused(f"cannot load the pipeline: {exc}") from None
    return LocalEngine(nlp, n_process=args.n_process)


def _exit_on_sigterm() -> Callable[[], None]:
    """Until the returned function is called, SIGTERM ends the run as Ctrl-C does: through
    ``finally`` blocks (worker processes stopped, the partial output kept for ``--resume``),
    exit status 143. Only on the main thread; otherwise a no-op."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    return lambda: signal.signal(signal.SIGTERM, previous)
