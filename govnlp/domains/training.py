"""Training a domain model: split, fit, choose thresholds, evaluate, save.

>>> from govnlp.domains.labelled import LabelledItem
>>> items = [LabelledItem("安全生产检查" * 2, ["safety"]), LabelledItem("污水治理工程", ["ecology"])] * 12
>>> model, report = train_domain_model(items, seed=0)
>>> model.labels, report["test"]["n_items"] > 0
(['ecology', 'safety'], True)
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Union

import numpy as np

from .evaluation import choose_thresholds, multilabel_report, split_indices
from .labelled import LabelledItem, label_set
from .model import BACKENDS, DomainModel, default_taxonomy_for

__all__ = ["evaluate_model", "label_matrix", "train_domain_model", "write_pipeline"]


def label_matrix(items: Sequence[LabelledItem], labels: Sequence[str]) -> np.ndarray:
    """0/1 matrix items × labels."""
    index = {lab: j for j, lab in enumerate(labels)}
    y = np.zeros((len(items), len(labels)), dtype=int)
    for i, it in enumerate(items):
        for lab in it.labels:
            if lab in index:
                y[i, index[lab]] = 1
    return y


def train_domain_model(
    items: Sequence[LabelledItem],
    *,
    backend: str = "sklearn",
    labels: Optional[Sequence[str]] = None,
    seed: int = 0,
    validation: float = 0.15,
    test: float = 0.15,
    settings: Optional[Dict[str, Any]] = None,
    min_labels: int = 1,
    max_labels: Optional[int] = 3,
    refit: bool = False,
    threshold_prior: float = 0.0,
) -> "tuple[DomainModel, Dict[str, Any]]":
    """Train on a reproducible split; thresholds from the validation part; report on the test part.

    ``labels`` fixes the label set (items' other labels are ignored); by
    default it is read from the data, sorted alphabetically. ``refit`` trains
    the final classifier again on training + validation items once the
    thresholds are chosen (the test items stay unseen). ``threshold_prior``
    shrinks the validation cut-offs towards 0.5 (see
    :func:`~govnlp.domains.evaluation.choose_thresholds`). Returns the model
    and a report with the split sizes, the validation and test reports,
    training time and tagging speed.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    labels = sorted(label_set(items)) if labels is None else list(labels)
    if not labels:
        raise ValueError("no labels: the data has no labelled items")
    items = [it for it in items if any(lab in labels for lab in it.labels)]
    primaries = [next(lab for lab in it.labels if lab in labels) for it in items]
    train_idx, val_idx, test_idx = split_indices(primaries, seed=seed, validation=validation, test=test)
    if not train_idx or not val_idx:
        raise ValueError(f"too few items to split ({len(items)}): label at least a few items per label")
    y = label_matrix(items, labels)
    texts = [it.text for it in items]

    classifier = BACKENDS[backend](labels, seed=seed, **(settings or {}))
    t0 = time.perf_counter()
    classifier.fit([texts[i] for i in train_idx], y[train_idx])
    train_seconds = time.perf_counter() - t0

    val_probs = classifier.predict_proba([texts[i] for i in val_idx])
    model = DomainModel(
        classifier,
        thresholds=choose_thresholds(y[val_idx], val_probs, prior_weight=threshold_prior),
        taxonomy=default_taxonomy_for(labels),
        min_labels=min_labels,
        max_labels=max_labels,
    )
    val_report = multilabel_report(y[val_idx], model.decide(val_probs), val_probs, labels,
                                   primary_true=[primaries[i] for i in val_idx])
    if refit:
        fit_idx = sorted(train_idx + val_idx)
        t0 = time.perf_counter()
        model.classifier = BACKENDS[backend](labels, seed=seed, **(settings or {})).fit([texts[i] for i in fit_idx], y[fit_idx])
        train_seconds += time.perf_counter() - t0
    report: Dict[str, Any] = {
        "backend": backend,
        "seed": seed,
        "labels": labels,
        "split": {"train": len(train_idx), "validation": len(val_idx), "test": len(test_idx)},
        "refit": refit,
        "threshold_prior": threshold_prior,
        "train_seconds": round(train_seconds, 2),
        "validation": val_report,
    }
    if test_idx:
        test_items = [items[i] for i in test_idx]
        report["test"] = evaluate_model(model, test_items)
    report["split_ids"] = {
        "validation": [items[i].id for i in val_idx],
        "test": [items[i].id for i in test_idx],
    }
    model.info = {k: v for k, v in report.items() if k != "split_ids"}
    model.info["split_test_ids"] = report["split_ids"]["test"]
    return model, report


def evaluate_model(model: DomainModel, items: Sequence[LabelledItem]) -> Dict[str, Any]:
    """The per-label report of ``model`` on labelled ``items``, with its tagging speed."""
    texts = [it.text for it in items]
    y = label_matrix(items, model.labels)
    t0 = time.perf_counter()
    probs = model.predict_proba(texts)
    seconds = time.perf_counter() - t0
    primary = [next((lab for lab in it.labels if lab in model.labels), None) for it in items]
    report = multilabel_report(y, model.decide(probs), probs, model.labels, primary_true=primary)
    chars = sum(len(t) for t in texts)
    report["items_per_second"] = round(len(texts) / seconds, 1) if seconds else None
    report["chars_per_second"] = round(chars / seconds) if seconds else None
    return report


def write_pipeline(model: DomainModel, out: Union[str, Path], *, base: Optional[Union[str, Path]] = None,
                   report: Optional[Dict[str, Any]] = None) -> Path:
    """Save a full govnlp pipeline using ``model`` for domains (``govnlp.load(out)`` reads it).

    ``base`` is a saved pipeline to start from; default: the bundled pipeline.
    The report (if given) is written beside it as ``training_report.json``.
    """
    from ..pipeline import load

    out = Path(out)
    nlp = load(base) if base is not None else load()
    if "govnlp_domains" not in nlp.pipe_names:
        nlp.add_pipe("govnlp_domains", after="govnlp_items", config={"model": None})
    nlp.get_pipe("govnlp_domains").set_model(model)
    nlp.to_disk(out)
    if report is not None:
        (out / "training_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return out
