"""``govnlp train``: labelled items in, a pipeline with a trained domain model out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List

from ._options import add_labelled_options, load_labelled


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``train`` command."""
    train = sub.add_parser(
        "train",
        help="train a domain classifier on labelled items and save a pipeline using it",
        description=(
            "Train the policy-domain classifier on labelled items: JSONL, CSV or Parquet files "
            "with a text column and a labels column (a list, or one string such as "
            "'safety;ecology', primary first), or annotation files in the corpus's by-reference "
            "format. The items are split reproducibly (stratified by primary label, --seed), "
            "the classifier is trained on the training part, a threshold per label is chosen on "
            "the validation part, and the test part is reported. OUT becomes a full govnlp "
            "pipeline directory: use it with govnlp.load(OUT) or govnlp tag --model OUT."
        ),
    )
    train.add_argument(
        "data",
        nargs="*",
        metavar="DATA",
        help="labelled files (default: the corpus annotations in corpora/annotations/domains)",
    )
    train.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="pipeline directory to write"
    )
    train.add_argument(
        "--backend",
        choices=["sklearn", "textcat"],
        default="sklearn",
        help="classifier (default sklearn)",
    )
    train.add_argument(
        "--labels", metavar="A,B,C", help="the label set (default: every label in the data)"
    )
    add_labelled_options(train)
    train.add_argument("--seed", type=int, default=0, help="split and training seed (default 0)")
    train.add_argument(
        "--validation", type=float, default=0.15, help="validation fraction (default 0.15)"
    )
    train.add_argument("--test", type=float, default=0.15, help="test fraction (default 0.15)")
    train.add_argument(
        "--max-labels",
        type=int,
        default=3,
        help="at most this many labels per item (default 3; 0: no cap)",
    )
    train.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="backend setting, e.g. C=0.3 or epochs=20 (repeatable)",
    )
    train.add_argument(
        "--refit",
        action="store_true",
        help="after choosing thresholds, train again on training + validation items",
    )
    train.add_argument(
        "--threshold-prior",
        type=float,
        default=0.0,
        metavar="K",
        help="shrink per-label thresholds towards 0.5 with weight K positives (default 0: none)",
    )
    train.add_argument(
        "--secondary-rule",
        action="store_true",
        help=(
            "choose a relative secondary-label rule on validation: keep a label with p >= "
            "r*p_top and p >= floor"
        ),
    )
    train.add_argument(
        "--level-weight",
        action="append",
        default=[],
        metavar="LEVEL=W",
        help=(
            "fitting weight of items of a level (national, provincial, county), e.g. "
            "national=0.5 (repeatable)"
        ),
    )
    train.add_argument(
        "--leave-one-source-out",
        action="store_true",
        help=(
            "also train once per county-level source without it and test on it; the figures go "
            "into the training report"
        ),
    )
    train.add_argument(
        "--base",
        metavar="PIPELINE",
        help="saved pipeline to add the model to (default: the bundled pipeline)",
    )
    train.add_argument(
        "--model-only",
        action="store_true",
        help="write only the domain model directory, not a pipeline",
    )
    train.set_defaults(run=run)


def _key_values(pairs: List[str], option: str, what: str) -> List[tuple]:
    """``["a=1", "b=x"]`` → ``[("a", "1"), ("b", "x")]``; a pair without ``=`` is an error."""
    out = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"{option} {pair!r}: expected {what}")
        out.append((key.strip(), value))
    return out


def _settings(pairs: List[str]) -> dict:
    out = {}
    for key, value in _key_values(pairs, "--set", "KEY=VALUE"):
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
        if isinstance(out[key], list):
            out[key] = tuple(out[key])
    return out


def level_weights(pairs: List[str]) -> dict:
    """``["national=0.5"]`` → ``{"national": 0.5}``."""
    return {
        key: float(value) for key, value in _key_values(pairs, "--level-weight", "LEVEL=WEIGHT")
    }


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp train``."""
    from ..domains import format_report, train_domain_model
    from ..pipeline import write_pipeline

    try:
        items = load_labelled(args)
        labels = [s.strip() for s in args.labels.split(",") if s.strip()] if args.labels else None
        options = dict(
            backend=args.backend,
            seed=args.seed,
            validation=args.validation,
            settings=_settings(args.set),
            max_labels=args.max_labels or None,
            refit=args.refit,
            threshold_prior=args.threshold_prior,
            level_weights=level_weights(args.level_weight) or None,
            secondary_rule=args.secondary_rule,
        )
        model, report = train_domain_model(items, labels=labels, test=args.test, **options)
        if args.leave_one_source_out:
            from ..domains.generalisation import leave_one_source_out, plain_result

            report["leave_one_source_out"] = plain_result(
                leave_one_source_out(items, labels=model.labels, **options)
            )
            model.info["leave_one_source_out"] = report["leave_one_source_out"]
    except (OSError, ValueError, KeyError) as exc:
        print(f"govnlp train: {exc}", file=sys.stderr)
        return 2
    out = Path(args.output)
    if args.model_only:
        model.to_disk(out)
        (out / "training_report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    else:
        write_pipeline(model, out, base=args.base, report=report)
    split = report["split"]
    print(
        f"trained {args.backend} on {split['train']} items ({len(report['labels'])} labels) in "
        f"{report['train_seconds']}s; thresholds from {split['validation']} validation items"
    )
    if "test" in report:
        print(format_report(report["test"], f"held-out test ({split['test']} items)"))
    if "leave_one_source_out" in report:
        from ..domains.generalisation import format_result

        print(format_result(report["leave_one_source_out"]))
    print(f"saved {'model' if args.model_only else 'pipeline'} to {out}")
    return 0
