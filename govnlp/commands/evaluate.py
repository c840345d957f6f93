"""``govnlp evaluate``: the per-label report of a domain model on labelled items."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._options import add_labelled_options, load_labelled


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``evaluate`` command."""
    ev = sub.add_parser(
        "evaluate",
        help="per-label precision, recall and F1 of a domain model on labelled items",
        description=(
            "Evaluate the domain model of MODEL (a pipeline directory written by govnlp train, "
            "a domain model directory, or 'default' for the bundled model) on labelled DATA "
            "(same formats as govnlp train). Without DATA: the held-out test items recorded "
            "when MODEL was trained (rebuilt from the corpus annotations)."
        ),
    )
    ev.add_argument("model", metavar="MODEL", help="pipeline or model directory, or 'default'")
    ev.add_argument("data", nargs="*", metavar="DATA", help="labelled files")
    add_labelled_options(ev)
    ev.add_argument(
        "--leave-one-source-out",
        action="store_true",
        help=(
            "retrain MODEL's recipe once per county-level source of DATA (default: the corpus "
            "annotations) without it and test on it: how the recipe does on a source it has "
            "never seen"
        ),
    )
    ev.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    ev.set_defaults(run=run)


def load_domain_model(spec: str):  # -> DomainModel
    """A domain model from 'default', a model directory or a pipeline directory."""
    from ..domains import DomainModel

    if spec == "default":
        return DomainModel.load_default()
    path = Path(spec)
    if (path / "model.json").is_file():
        return DomainModel.from_disk(path)
    if (path / "govnlp_domains" / "model.json").is_file():
        return DomainModel.from_disk(path / "govnlp_domains")
    raise FileNotFoundError(
        f"{spec}: no domain model (expected model.json or govnlp_domains/model.json)"
    )


def recipe_of(model) -> dict:  # model: DomainModel
    """The training options a model records (backend, settings, thresholds prior, weights, rule)."""
    info = model.info or {}
    settings = dict(info.get("settings") or {})
    if not settings and hasattr(
        model.classifier, "settings"
    ):  # models trained before the recipe was recorded
        settings = {k: v for k, v in model.classifier.settings().items() if k != "seed"}
        if settings.get("ngram_range") is not None:
            settings["ngram_range"] = tuple(settings["ngram_range"])
    if "word_ngram_range" in settings and settings["word_ngram_range"] is not None:
        settings["word_ngram_range"] = tuple(settings["word_ngram_range"])
    return dict(
        backend=info.get("backend", model.backend),
        seed=info.get("seed", 0),
        settings=settings,
        threshold_prior=info.get("threshold_prior", 0.0),
        refit=bool(info.get("refit", False)),
        level_weights=info.get("level_weights") or None,
        secondary_rule=bool(info.get("secondary_rule")),
        max_labels=model.max_labels,
    )


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp evaluate``."""
    from ..domains import evaluate_model, format_report
    from ..domains.labelled import load_reference_annotations

    try:
        model = load_domain_model(args.model)
        if args.leave_one_source_out:
            from ..domains.generalisation import format_result, leave_one_source_out, plain_result

            recipe = recipe_of(model)
            result = plain_result(
                leave_one_source_out(load_labelled(args), labels=model.labels, **recipe)
            )
            print(format_result(result))
            if args.json:
                Path(args.json).write_text(
                    json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
                )
            return 0
        if args.data:
            items = load_labelled(args)
            title = f"{len(items)} items from {', '.join(args.data)}"
        else:
            wanted = model.info.get("split_test_ids") or []
            if not wanted:
                print(
                    "govnlp evaluate: this model records no held-out items; give DATA",
                    file=sys.stderr,
                )
                return 2
            by_id = {it.id: it for it in load_reference_annotations()}
            items = [by_id[i] for i in wanted if i in by_id]
            title = f"held-out test split ({len(items)} of {len(wanted)} items present)"
        if not items:
            print("govnlp evaluate: no labelled items", file=sys.stderr)
            return 2
        report = evaluate_model(model, items)
    except (OSError, ValueError, KeyError) as exc:
        print(f"govnlp evaluate: {exc}", file=sys.stderr)
        return 2
    print(format_report(report, title))
    print(
        f"tagging speed: {report['items_per_second']} items/s, {report['chars_per_second']} chars/s"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0
