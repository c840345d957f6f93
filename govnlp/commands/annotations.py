"""``govnlp annotations``: items out to Label Studio or doccano, labelled items back in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import add_pipeline_options, add_read_options, load_pipeline, read_options


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``annotations`` command and its ``export``/``import`` sub-commands."""
    ann = sub.add_parser(
        "annotations",
        help="export work items to Label Studio/doccano for labelling; import the labels back",
        description=(
            "export: write the work items of tagged records (govnlp tag output, with text) or "
            "of documents (tagged on the fly) as Label Studio tasks or doccano JSONL, with the "
            "model's labels as pre-annotations. import: read the tool's export and write "
            "labelled items (JSONL: id, text, labels, doc_id, item_id, start, end) for govnlp "
            "train."
        ),
    )
    ann_sub = ann.add_subparsers(dest="action", metavar="ACTION")
    ex = ann_sub.add_parser("export", help="items → Label Studio tasks or doccano JSONL")
    ex.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="records JSONL from govnlp tag, or documents/directories",
    )
    ex.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="tasks file (.json or .jsonl)"
    )
    ex.add_argument("--format", choices=["label-studio", "doccano"], default="label-studio")
    add_pipeline_options(ex)
    add_read_options(ex)
    ex.add_argument(
        "--no-predictions", action="store_true", help="leave labels empty (no pre-annotations)"
    )
    ex.add_argument("--limit", type=int, help="at most this many items")
    ex.set_defaults(run=run_export)
    im = ann_sub.add_parser(
        "import", help="Label Studio / doccano export → labelled JSONL for govnlp train"
    )
    im.add_argument("input", metavar="EXPORT", help="the tool's export file (JSON or JSONL)")
    im.add_argument("-o", "--output", required=True, metavar="FILE.jsonl")
    im.add_argument("--format", choices=["label-studio", "doccano"], default="label-studio")
    im.set_defaults(run=run_import)
    ann.set_defaults(run=lambda args: (ann.print_help(), 2)[1])


def _records(args: argparse.Namespace):
    """Records of the ``govnlp tag`` JSONL files given as input, else of the documents, tagged
    now.
    """
    from ..io import RecordsError, iter_records
    from ..tagging import tag_documents

    paths = [Path(p) for p in args.inputs]
    if all(p.is_file() and p.suffix == ".jsonl" for p in paths):
        try:
            first = next(iter_records(paths[0]), None)
        except RecordsError:
            first = None  # a JSONL file of documents, not of records
        if first is not None:
            for p in paths:
                yield from iter_records(p)
            return

    def skipped(d) -> None:
        print(f"skipped {d.doc_id}: {d.error}", file=sys.stderr)

    nlp = load_pipeline(args)
    for record, _doc in tag_documents(nlp, args.inputs, read=read_options(args), on_error=skipped):
        yield record


def run_export(args: argparse.Namespace) -> int:
    """Run ``govnlp annotations export``."""
    from ..domains.annotation_tools import (
        items_from_records,
        label_studio_config,
        to_doccano,
        to_label_studio,
    )
    from ..io import atomic_path, write_json_atomic
    from ..taxonomy import load_taxonomy

    items = []
    try:
        for it in items_from_records(_records(args)):
            if args.no_predictions:
                it["labels"], it["cats"] = [], {}
            items.append(it)
            if args.limit and len(items) >= args.limit:
                break
    except (OSError, ValueError) as exc:
        print(f"govnlp annotations export: {exc}", file=sys.stderr)
        return 2
    out = Path(args.output)
    if args.format == "label-studio":
        write_json_atomic(out, to_label_studio(items))
        tax = load_taxonomy()
        config = out.with_name(out.stem + ".label_config.xml")
        with atomic_path(config) as tmp:
            tmp.write_text(
                label_studio_config(tax.ids, {lab.id: lab.name_zh for lab in tax}), encoding="utf-8"
            )
        print(f"wrote {len(items)} tasks to {out} and the labelling interface to {config}")
    else:
        write_json_atomic(
            out, to_doccano(items, with_predictions=not args.no_predictions), jsonl=True
        )
        print(f"wrote {len(items)} items to {out}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Run ``govnlp annotations import``."""
    from ..domains.annotation_tools import read_annotation_export
    from ..io import write_json_atomic

    try:
        items = read_annotation_export(args.input, args.format)
    except (OSError, ValueError) as exc:
        print(f"govnlp annotations import: {exc}", file=sys.stderr)
        return 2
    rows = [{"id": it.id, "text": it.text, "labels": it.labels, **it.meta} for it in items]
    write_json_atomic(args.output, rows, jsonl=True)
    print(f"wrote {len(rows)} labelled items to {args.output}")
    return 0 if rows else 1
