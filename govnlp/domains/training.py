"""Training a domain model: split, fit, choose thresholds, evaluate, save.

>>> from govnlp.domains.labelled import LabelledItem
>>> items = [
...     LabelledItem("安全生产检查" * 2, ["safety"]),
...     LabelledItem("污水治理工程", ["ecology"]),
... ] * 12
>>> model, report = train_domain_model(items, seed=0)
>>> model.labels, report["test"]["n_items"] > 0
(['ecology', 'safety'], True)
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .evaluation import choose_secondary_rule, choose_thresholds, multilabel_report, split_indices
from .labelled import LabelledItem, label_set
from .sklearn_backend import segment_words
from .sources import item_levels, item_sources
from .model import BACKENDS, DomainModel, default_taxonomy_for

#: The levels whose items are in the county domain of ``domain_weight`` (a user's items without a
#: level are taken to be the county documents they tag).
COUNTY_LIKE = ("county", "unknown")

__all__ = [
    "evaluate_model",
    "item_contexts",
    "item_words",
    "label_matrix",
    "level_weight_list",
    "train_domain_model",
]


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
    level_weights: Optional[Dict[str, float]] = None,
    secondary_rule: bool = False,
    validation_levels: Optional[Sequence[str]] = None,
) -> "tuple[DomainModel, Dict[str, Any]]":
    """Train on a reproducible split; thresholds from the validation part; report on the test part.

    ``labels`` fixes the label set (items' other labels are ignored); by
    default it is read from the data, sorted alphabetically. ``refit`` trains
    the final classifier again on training + validation items once the
    thresholds are chosen (the test items stay unseen). ``threshold_prior``
    shrinks the validation cut-offs towards 0.5 (see
    :func:`~govnlp.domains.evaluation.choose_thresholds`). ``level_weights``
    (e.g. ``{"national": 0.5}``) counts items of a level less in fitting (levels
    from :mod:`.sources`). ``secondary_rule`` chooses the relative secondary-label
    rule on the validation part (:func:`~govnlp.domains.evaluation.choose_secondary_rule`).
    ``validation_levels`` (e.g. ``["county"]``) draws the validation part only from items of
    those levels (thresholds and the secondary rule then fit the documents users tag, not the
    national bulk of the training data); ``validation`` is then the share of those items.
    A classifier with ``domain_weight`` (sklearn backend) is told which items are county-level
    (levels in :data:`COUNTY_LIKE`) for its domain blocks.
    Returns the model and a report with the split sizes, the validation and test reports,
    training time and tagging speed.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    labels = sorted(label_set(items)) if labels is None else list(labels)
    if not labels:
        raise ValueError("no labels: the data has no labelled items")
    items = [it for it in items if any(lab in labels for lab in it.labels)]
    primaries = [next(lab for lab in it.labels if lab in labels) for it in items]
    train_idx, val_idx, test_idx = split_indices(
        primaries, seed=seed, validation=validation, test=test
    )
    if validation_levels:
        wanted = set(validation_levels)
        levels = item_levels(items)
        pool = [i for i in train_idx + val_idx if levels[i] in wanted]
        if len(pool) >= 20:
            _, sub_val, _ = split_indices(
                [primaries[i] for i in pool], seed=seed, validation=validation, test=0.0
            )
            val_set = {pool[j] for j in sub_val}
            everything = train_idx + val_idx
            val_idx = sorted(val_set)
            train_idx = sorted(i for i in everything if i not in val_set)
    if not train_idx or not val_idx:
        raise ValueError(
            f"too few items to split ({len(items)}): label at least a few items per label"
        )
    y = label_matrix(items, labels)
    texts = [it.text for it in items]

    def new_classifier() -> Any:
        return BACKENDS[backend](labels, seed=seed, **(settings or {}))

    classifier = new_classifier()
    words = item_words(items) if getattr(classifier, "uses_words", False) else None
    contexts = item_contexts(items) if getattr(classifier, "uses_context", False) else None
    groups = item_sources(items) if getattr(classifier, "min_sources", 1) > 1 else None
    weights = level_weight_list(items, level_weights) if level_weights else None
    county = (
        [level in COUNTY_LIKE for level in item_levels(items)]
        if getattr(classifier, "uses_domains", False)
        else None
    )

    def fit(clf: Any, idx: Sequence[int]) -> Any:
        extra: Dict[str, Any] = {}
        if words is not None:
            extra["words"] = [words[i] for i in idx]
        if weights is not None:
            extra["sample_weight"] = [weights[i] for i in idx]
        if contexts is not None:
            extra["contexts"] = [contexts[i] for i in idx]
        if groups is not None:
            extra["groups"] = [groups[i] for i in idx]
        if county is not None:
            extra["county"] = [county[i] for i in idx]
        return clf.fit([texts[i] for i in idx], y[idx], **extra)

    t0 = time.perf_counter()
    fit(classifier, train_idx)
    train_seconds = time.perf_counter() - t0

    model = DomainModel(
        classifier,
        taxonomy=default_taxonomy_for(labels),
        min_labels=min_labels,
        max_labels=max_labels,
    )
    val_probs = model.predict_proba(
        [texts[i] for i in val_idx],
        [words[i] for i in val_idx] if words else None,
        [contexts[i] for i in val_idx] if contexts else None,
    )
    model.thresholds = choose_thresholds(y[val_idx], val_probs, prior_weight=threshold_prior)
    if secondary_rule:
        ratio, floor, _ = choose_secondary_rule(
            y[val_idx], val_probs, model.thresholds, min_labels=min_labels, max_labels=max_labels
        )
        model.secondary_ratio, model.secondary_floor = ratio, floor
    val_report = multilabel_report(
        y[val_idx],
        model.decide(val_probs),
        val_probs,
        labels,
        primary_true=[primaries[i] for i in val_idx],
    )
    if refit:
        fit_idx = sorted(train_idx + val_idx)
        t0 = time.perf_counter()
        model.classifier = fit(new_classifier(), fit_idx)
        train_seconds += time.perf_counter() - t0
    report: Dict[str, Any] = {
        "backend": backend,
        "seed": seed,
        "labels": labels,
        "split": {"train": len(train_idx), "validation": len(val_idx), "test": len(test_idx)},
        "refit": refit,
        "threshold_prior": threshold_prior,
        "settings": dict(settings or {}),
        "level_weights": dict(level_weights or {}),
        "validation_levels": list(validation_levels or []),
        "secondary_rule": {"ratio": model.secondary_ratio, "floor": model.secondary_floor}
        if secondary_rule
        else None,
        "train_seconds": round(train_seconds, 2),
        "validation": val_report,
    }
    if test_idx:
        report["test"] = evaluate_model(model, [items[i] for i in test_idx])
    report["split_ids"] = {
        "validation": [items[i].id for i in val_idx],
        "test": [items[i].id for i in test_idx],
    }
    model.info = {k: v for k, v in report.items() if k != "split_ids"}
    model.info["split_test_ids"] = report["split_ids"]["test"]
    return model, report


def item_words(items: Sequence[LabelledItem]) -> List[List[str]]:
    """Each item's words (segmented once, kept in ``meta["words"]``)."""
    missing = [it for it in items if "words" not in it.meta]
    if missing:
        for it, words in zip(missing, segment_words([it.text for it in missing])):
            it.meta["words"] = words
    return [it.meta["words"] for it in items]


def item_contexts(items: Sequence[LabelledItem]) -> List[str]:
    """Each item's context — the titles of the headings it sits under — kept in
    ``meta["context"]``: a user's ``context`` column, else the item parser's tree of the annotated
    document (:func:`~govnlp.domains.context.contexts_in_document`, each document parsed once),
    else ``""``."""
    from .context import contexts_in_document

    todo: Dict[str, List[LabelledItem]] = {}
    for it in items:
        if "context" in it.meta:
            continue
        path = it.meta.get("doc_path")
        if path and "start" in it.meta and "end" in it.meta:
            todo.setdefault(str(path), []).append(it)
        else:
            it.meta["context"] = ""
    for path, group in todo.items():
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        spans = [(int(it.meta["start"]), int(it.meta["end"])) for it in group]
        for it, context in zip(group, contexts_in_document(text, spans)):
            it.meta["context"] = context
    return [str(it.meta["context"] or "") for it in items]


def level_weight_list(items: Sequence[LabelledItem], weights: Dict[str, float]) -> List[float]:
    """Per item, the fitting weight of its level (1.0 for levels ``weights`` does not name)."""
    return [float(weights.get(level, 1.0)) for level in item_levels(items)]


def evaluate_model(
    model: DomainModel, items: Sequence[LabelledItem], *, with_probs: bool = False
) -> Dict[str, Any]:
    """The per-label report of ``model`` on labelled ``items``, with its tagging speed
    (``with_probs``: also the probabilities and decisions, for paired comparisons)."""
    texts = [it.text for it in items]
    y = label_matrix(items, model.labels)
    words = item_words(items) if model.uses_words else None
    contexts = item_contexts(items) if model.uses_context else None
    t0 = time.perf_counter()
    probs = model.predict_proba(texts, words, contexts)
    seconds = time.perf_counter() - t0
    primary = [next((lab for lab in it.labels if lab in model.labels), None) for it in items]
    report = multilabel_report(y, model.decide(probs), probs, model.labels, primary_true=primary)
    chars = sum(len(t) for t in texts)
    report["items_per_second"] = round(len(texts) / seconds, 1) if seconds else None
    report["chars_per_second"] = round(chars / seconds) if seconds else None
    if with_probs:
        report["_probs"], report["_decided"], report["_y"], report["_primary"] = (
            probs,
            model.decide(probs),
            y,
            primary,
        )
    return report
