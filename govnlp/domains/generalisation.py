"""Leave-one-source-out: how a domain model does on a source it was not trained on.

A random split draws its test items from the same sources as training, so it cannot show how a
model does on a county it has never seen. Here each source in turn (a document collection or a
county: :mod:`.sources`) is held out; the model is trained on the others with the same settings
(thresholds and the secondary rule chosen on a validation part of the training sources) and
tested on the held-out source. The pooled figure concatenates the predictions on every held-out
source of the chosen levels; a paired bootstrap over its items gives confidence intervals, and
the difference between two settings.

>>> from govnlp.domains.labelled import LabelledItem
>>> items = [LabelledItem(t, [l], meta={"source": s}) for s in ("a", "b", "c")
...          for t, l in [("安全生产检查排查", "safety"), ("污水治理与生态修复", "ecology")] * 8]
>>> result = leave_one_source_out(items, test_sources=["c"], seed=0)
>>> sorted(result["sources"]), result["pooled"]["n_items"]
(['c'], 16)
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .evaluation import multilabel_report
from .labelled import LabelledItem, label_set
from .sources import item_levels, item_sources
from .training import evaluate_model, train_domain_model

__all__ = [
    "leave_one_source_out",
    "bootstrap_interval",
    "paired_difference",
    "plain_result",
    "format_result",
    "COUNTY_LEVEL",
]

COUNTY_LEVEL = ("county",)
_FIGURES = ("micro_f1", "macro_f1", "primary_accuracy")


def _figures(
    y: np.ndarray,
    decided: np.ndarray,
    probs: np.ndarray,
    labels: Sequence[str],
    primary: Sequence[Optional[str]],
) -> Dict[str, float]:
    report = multilabel_report(y, decided, probs, labels, primary_true=primary)
    return {
        "micro_f1": report["micro"]["f1"],
        "macro_f1": report["macro"]["f1"],
        "primary_accuracy": report["primary_accuracy"],
    }


def leave_one_source_out(
    items: Sequence[LabelledItem],
    *,
    test_sources: Optional[Sequence[str]] = None,
    test_levels: Sequence[str] = COUNTY_LEVEL,
    labels: Optional[Sequence[str]] = None,
    train_items: Optional[Sequence[LabelledItem]] = None,
    **train_options: Any,
) -> Dict[str, Any]:
    """Per held-out source, the report of a model trained on every other source; pooled figures.

    ``test_sources`` (default: every source of ``test_levels``) are held out one at a time;
    (a user's data without levels: every source) ``train_options`` go to
    :func:`~govnlp.domains.training.train_domain_model` (backend, settings, threshold_prior,
    level_weights, secondary_rule, seed…). The result keeps the pooled predictions (``"_pooled"``)
    for :func:`paired_difference`. ``train_items`` (default ``items``) are the items training may
    use — another data set tested on the same held-out items (yesterday's annotations, say) for a
    paired comparison.
    """
    labels = sorted(label_set(items)) if labels is None else list(labels)
    sources = item_sources(items)
    levels = item_levels(items)
    if test_sources is None:
        test_sources = sorted({s for s, lv in zip(sources, levels) if lv in test_levels})
        if not test_sources and all(lv == "unknown" for lv in levels):
            test_sources = sorted(set(sources))  # a user's file without levels: every source
    out: Dict[str, Any] = {"sources": {}, "labels": labels, "_folds": {}}
    ys, decided, probs, primary, ids = [], [], [], [], []
    pool = list(items) if train_items is None else list(train_items)
    pool_sources = item_sources(pool)
    for held_out in test_sources:
        train = [it for it, s in zip(pool, pool_sources) if s != held_out]
        test = [it for it, s in zip(items, sources) if s == held_out]
        if not test:
            continue
        model, _ = train_domain_model(
            train, labels=labels, test=0.0, **train_options
        )  # tested below, once
        report = evaluate_model(model, test, with_probs=True)
        out["_folds"][held_out] = {  # what turned the fold's probabilities into labels
            "thresholds": [float(t) for t in model.thresholds],
            "secondary_ratio": model.secondary_ratio,
            "secondary_floor": model.secondary_floor,
            "min_labels": model.min_labels,
            "max_labels": model.max_labels,
        }
        out["sources"][held_out] = {
            "n_items": report["n_items"],
            "n_train": len(train),
            "micro_f1": report["micro"]["f1"],
            "macro_f1": report["macro"]["f1"],
            "primary_accuracy": report["primary_accuracy"],
        }
        ys.append(report["_y"])
        decided.append(report["_decided"])
        probs.append(report["_probs"])
        primary.extend(report["_primary"])
        ids.extend(it.id for it in test)
    if not ys:
        raise ValueError("no held-out source has items")
    pooled = {
        "y": np.vstack(ys),
        "decided": np.vstack(decided),
        "probs": np.vstack(probs),
        "primary": primary,
        "ids": ids,
    }
    out["pooled"] = dict(
        n_items=len(primary),
        **_figures(pooled["y"], pooled["decided"], pooled["probs"], labels, primary),
    )
    out["pooled"]["interval_95"] = bootstrap_interval(pooled, labels)
    out["_pooled"] = pooled
    return out


def _resample(pooled: Dict[str, Any], index: np.ndarray) -> Dict[str, Any]:
    return {
        "y": pooled["y"][index],
        "decided": pooled["decided"][index],
        "probs": pooled["probs"][index],
        "primary": [pooled["primary"][i] for i in index],
    }


def bootstrap_interval(
    pooled: Dict[str, Any], labels: Sequence[str], *, n: int = 1000, seed: int = 0
) -> Dict[str, List[float]]:
    """95 % percentile intervals of the pooled figures, resampling items with replacement."""
    rng = np.random.default_rng(seed)
    size = len(pooled["primary"])
    draws: Dict[str, List[float]] = {k: [] for k in _FIGURES}
    for _ in range(n):
        sample = _resample(pooled, rng.integers(0, size, size))
        for key, value in _figures(
            sample["y"], sample["decided"], sample["probs"], labels, sample["primary"]
        ).items():
            draws[key].append(value)
    return {
        k: [round(float(np.percentile(v, 2.5)), 3), round(float(np.percentile(v, 97.5)), 3)]
        for k, v in draws.items()
    }


def paired_difference(
    new: Dict[str, Any], old: Dict[str, Any], *, n: int = 1000, seed: int = 0
) -> Dict[str, Any]:
    """New minus old on the same held-out items: the difference of each pooled figure and its
    95 % paired-bootstrap interval (the same resampled items for both)."""
    a, b = new["_pooled"], old["_pooled"]
    if a["ids"] != b["ids"]:
        raise ValueError("the two evaluations did not hold out the same items")
    labels = new["labels"]
    rng = np.random.default_rng(seed)
    size = len(a["primary"])
    base_a = _figures(a["y"], a["decided"], a["probs"], labels, a["primary"])
    base_b = _figures(b["y"], b["decided"], b["probs"], old["labels"], b["primary"])
    draws: Dict[str, List[float]] = {k: [] for k in _FIGURES}
    for _ in range(n):
        index = rng.integers(0, size, size)
        sa, sb = _resample(a, index), _resample(b, index)
        fa = _figures(sa["y"], sa["decided"], sa["probs"], labels, sa["primary"])
        fb = _figures(sb["y"], sb["decided"], sb["probs"], old["labels"], sb["primary"])
        for key in _FIGURES:
            draws[key].append(fa[key] - fb[key])
    return {
        k: {
            "difference": round(base_a[k] - base_b[k], 3),
            "interval_95": [
                round(float(np.percentile(draws[k], 2.5)), 3),
                round(float(np.percentile(draws[k], 97.5)), 3),
            ],
        }
        for k in _FIGURES
    }


def plain_result(result: Dict[str, Any]) -> Dict[str, Any]:
    """A :func:`leave_one_source_out` result without its pooled predictions (for JSON reports)."""
    return {k: v for k, v in result.items() if not k.startswith("_")}


def format_result(result: Dict[str, Any]) -> str:
    """Leave-one-source-out figures as lines of text: pooled with intervals, then per source."""
    pooled = result["pooled"]
    ci = pooled["interval_95"]
    lines = [
        f"leave-one-source-out, pooled over {len(result['sources'])} held-out sources "
        f"({pooled['n_items']} items): micro-F1 {pooled['micro_f1']:.3f} "
        f"[{ci['micro_f1'][0]:.3f}, {ci['micro_f1'][1]:.3f}], macro-F1 {pooled['macro_f1']:.3f} "
        f"[{ci['macro_f1'][0]:.3f}, {ci['macro_f1'][1]:.3f}], primary "
        f"{pooled['primary_accuracy']:.3f} [{ci['primary_accuracy'][0]:.3f}, "
        f"{ci['primary_accuracy'][1]:.3f}]"
    ]
    for source, fig in result["sources"].items():
        lines.append(
            f"  {source:<24} {fig['n_items']:>5} items  micro-F1 {fig['micro_f1']:.3f}  "
            f"macro-F1 {fig['macro_f1']:.3f}  primary {fig['primary_accuracy']:.3f}"
        )
    return "\n".join(lines)
