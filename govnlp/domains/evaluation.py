"""Splits, thresholds and the per-label report of a multi-label domain model.

>>> import numpy as np
>>> y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
>>> p = np.array([[0.9, 0.2], [0.3, 0.8], [0.7, 0.4], [0.1, 0.1]])
>>> choose_thresholds(y, p, min_positives=1).round(2).tolist()
[0.7, 0.4]
>>> choose_thresholds(y, p).round(2).tolist()  # two positives per label: too few, the default stays
[0.5, 0.5]
>>> report = multilabel_report(y, p >= 0.5, p, ["a", "b"])
>>> report["macro"]["f1"], report["primary_accuracy"]
(0.834, 0.75)
"""

from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    "choose_secondary_rule",
    "choose_thresholds",
    "format_report",
    "labels_from_probabilities",
    "multilabel_report",
    "split_indices",
]


def split_indices(
    primary: Sequence[Optional[str]],
    *,
    seed: int = 0,
    validation: float = 0.15,
    test: float = 0.15,
) -> Tuple[List[int], List[int], List[int]]:
    """A reproducible train/validation/test split, stratified by primary label.

    Within each primary label the items are ordered by a seeded hash of their
    position and cut by the fractions, so the same data and seed always give
    the same split, on any machine and Python version. Labels with fewer than
    three items go to training.
    """
    groups: Dict[Optional[str], List[int]] = {}
    for i, lab in enumerate(primary):
        groups.setdefault(lab, []).append(i)
    train: List[int] = []
    val: List[int] = []
    tst: List[int] = []
    for lab in sorted(groups, key=lambda x: (x is None, str(x))):
        idx = sorted(
            groups[lab], key=lambda i: hashlib.sha256(f"{seed}:{lab}:{i}".encode()).hexdigest()
        )
        n = len(idx)
        if n < 3:
            train.extend(idx)
            continue
        n_test = max(1, int(round(n * test))) if test > 0 else 0
        n_val = max(1, int(round(n * validation))) if validation > 0 else 0
        tst.extend(idx[:n_test])
        val.extend(idx[n_test : n_test + n_val])
        train.extend(idx[n_test + n_val :])
    return sorted(train), sorted(val), sorted(tst)


def choose_thresholds(
    y_true: np.ndarray,
    probs: np.ndarray,
    *,
    default: float = 0.5,
    min_positives: int = 3,
    prior_weight: float = 0.0,
) -> np.ndarray:
    """Per label, the probability cut-off that maximises F1 on validation data.

    Candidates are the observed probabilities; among equal F1 the middle of
    the best run is taken. A label with fewer than ``min_positives`` positives
    in the validation data keeps ``default``. ``prior_weight`` k shrinks each
    cut-off towards ``default`` in proportion to how few positives chose it:
    ``(n_pos * best + k * default) / (n_pos + k)`` — with calibrated
    probabilities and a small validation split this guards against cut-offs
    fitted to a handful of items.
    """
    y_true = np.asarray(y_true).astype(bool)
    probs = np.asarray(probs, dtype=float)
    out = np.full(probs.shape[1], float(default))
    for j in range(probs.shape[1]):
        y = y_true[:, j]
        if y.sum() < min_positives:
            continue
        cands = np.unique(probs[:, j])
        best_f1 = -1.0
        best: List[float] = []
        for c in cands:
            pred = probs[:, j] >= c
            tp = float(np.sum(pred & y))
            f1 = 2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0
            if f1 > best_f1 + 1e-12:
                best_f1, best = f1, [float(c)]
            elif abs(f1 - best_f1) <= 1e-12:
                best.append(float(c))
        chosen = best[len(best) // 2]
        n_pos = float(y.sum())
        out[j] = (n_pos * chosen + prior_weight * default) / (n_pos + prior_weight)
    return out


def choose_secondary_rule(
    y_true: np.ndarray,
    probs: np.ndarray,
    thresholds: np.ndarray,
    *,
    min_labels: int = 1,
    max_labels: Optional[int] = 3,
    ratios: Sequence[float] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    floors: Sequence[float] = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4),
) -> Tuple[Optional[float], float, float]:
    """The relative secondary-label rule (ratio, floor) that maximises the mean of micro- and
    macro-F1 on validation data; ``(None, 0.0, score)`` when no rule beats the thresholds alone.

    >>> y = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1]] * 3)
    >>> p = np.array([[0.5, 0.35, 0.05], [0.6, 0.1, 0.1], [0.1, 0.5, 0.4], [0.1, 0.1, 0.7]] * 3)
    >>> ratio, floor, _ = choose_secondary_rule(y, p, np.array([0.45, 0.45, 0.45]))
    >>> ratio is not None and ratio <= 0.8 and floor <= 0.35
    True
    """
    y_true = np.asarray(y_true).astype(bool)

    def value(decided: np.ndarray) -> float:
        report = multilabel_report(y_true, decided, probs, [str(j) for j in range(probs.shape[1])])
        return (report["micro"]["f1"] + report["macro"]["f1"]) / 2

    best = (
        None,
        0.0,
        value(
            labels_from_probabilities(
                probs, thresholds, min_labels=min_labels, max_labels=max_labels
            )
        ),
    )
    for ratio in ratios:
        for floor in floors:
            score = value(
                labels_from_probabilities(
                    probs,
                    thresholds,
                    min_labels=min_labels,
                    max_labels=max_labels,
                    secondary_ratio=ratio,
                    secondary_floor=floor,
                )
            )
            if score > best[2] + 1e-9:
                best = (ratio, floor, score)
    return best


def labels_from_probabilities(
    probs: np.ndarray,
    thresholds: np.ndarray,
    *,
    min_labels: int = 1,
    max_labels: Optional[int] = None,
    secondary_ratio: Optional[float] = None,
    secondary_floor: float = 0.0,
) -> np.ndarray:
    """Boolean decisions: labels at or above their threshold, highest first, capped.

    At least ``min_labels`` (the most probable) and at most ``max_labels`` per row. With
    ``secondary_ratio`` r, a label is also kept when its probability is at least r times the
    item's top probability and at least ``secondary_floor`` (the relative rule: an item whose
    top label is unsure still gets the close runner-up, as annotators give it).

    >>> p = np.array([[0.45, 0.30, 0.05]])
    >>> labels_from_probabilities(p, [0.5, 0.5, 0.5], min_labels=1).tolist()
    [[True, False, False]]
    >>> labels_from_probabilities(
    ...     p, [0.5, 0.5, 0.5], secondary_ratio=0.6, secondary_floor=0.2
    ... ).tolist()
    [[True, True, False]]
    """
    probs = np.asarray(probs, dtype=float)
    decided = probs >= np.asarray(thresholds)[None, :]
    if secondary_ratio is not None and probs.size:
        top = probs.max(axis=1, keepdims=True)
        decided |= (probs >= secondary_ratio * top) & (probs >= secondary_floor)
    order = np.argsort(-probs, axis=1, kind="stable")
    # per row, in the order of probability: the decided labels, or the first min_labels when
    # fewer are decided; then the first max_labels of those (all rows at once)
    ranked = np.take_along_axis(decided, order, axis=1)
    too_few = ranked.sum(axis=1) < min_labels
    ranked[too_few] = np.arange(probs.shape[1]) < min_labels
    if max_labels is not None:  # as a slice [:max_labels] of the row's labels would cut
        limit = max_labels if max_labels >= 0 else ranked.sum(axis=1, keepdims=True) + max_labels
        ranked &= np.cumsum(ranked, axis=1) <= limit
    out = np.zeros_like(decided)
    np.put_along_axis(out, order, ranked, axis=1)
    return out


def multilabel_report(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    probs: np.ndarray,
    labels: Sequence[str],
    *,
    primary_true: Optional[Sequence[Optional[str]]] = None,
) -> Dict[str, Any]:
    """Per-label precision, recall, F1 and support; macro and micro averages; primary accuracy.

    Primary accuracy: the most probable label equals the gold primary label
    given in ``primary_true``; without it, the most probable label must be one
    of the gold labels.
    """
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(y_pred).astype(bool)
    per_label: Dict[str, Dict[str, float]] = {}
    tps = fps = fns = 0.0
    for j, lab in enumerate(labels):
        tp = float(np.sum(y_true[:, j] & y_pred[:, j]))
        fp = float(np.sum(~y_true[:, j] & y_pred[:, j]))
        fn = float(np.sum(y_true[:, j] & ~y_pred[:, j]))
        tps, fps, fns = tps + tp, fps + fp, fns + fn
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_label[lab] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "support": int(tp + fn),
        }
    present = [v for v in per_label.values() if v["support"] > 0]
    macro = {
        k: round(float(np.mean([v[k] for v in present])), 3) if present else 0.0
        for k in ("precision", "recall", "f1")
    }
    mp = tps / (tps + fps) if tps + fps else 0.0
    mr = tps / (tps + fns) if tps + fns else 0.0
    micro = {
        "precision": round(mp, 3),
        "recall": round(mr, 3),
        "f1": round(2 * mp * mr / (mp + mr), 3) if mp + mr else 0.0,
    }
    top = np.asarray(probs).argmax(axis=1) if len(y_true) else np.array([], dtype=int)
    if primary_true is not None:
        hits = [labels[t] == g for t, g in zip(top, primary_true)]
    else:
        hits = [bool(y_true[r, t]) for r, t in enumerate(top)]
    exact = float(np.mean(np.all(y_true == y_pred, axis=1))) if len(y_true) else 0.0
    return {
        "n_items": int(len(y_true)),
        "per_label": per_label,
        "macro": macro,
        "micro": micro,
        "primary_accuracy": round(float(np.mean(hits)), 3) if hits else 0.0,
        "exact_match": round(exact, 3),
    }


def format_report(report: Dict[str, Any], title: str = "") -> str:
    """The report as a fixed-width table."""
    lines = [title] if title else []
    lines.append(f"{'label':<26}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for lab, v in report["per_label"].items():
        lines.append(
            f"{lab:<26}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>6d}"
        )
    m, u = report["macro"], report["micro"]
    lines.append(
        f"{'macro':<26}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{report['n_items']:>6d}"
    )
    lines.append(f"{'micro':<26}{u['precision']:>7.3f}{u['recall']:>7.3f}{u['f1']:>7.3f}")
    lines.append(
        f"primary-label accuracy {report['primary_accuracy']:.3f}   exact label set "
        f"{report['exact_match']:.3f}"
    )
    return "\n".join(lines)
