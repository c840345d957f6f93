"""A domain model: a classifier backend, its labels, per-label thresholds and its taxonomy.

Both backends (:class:`~govnlp.domains.sklearn_backend.CharNgramClassifier`
and :class:`~govnlp.domains.textcat_backend.TextcatClassifier`) sit behind one
interface — ``fit(texts, y)``, ``predict_proba(texts)``, ``to_disk``,
``from_disk`` — and :class:`DomainModel` adds what turns probabilities into
labels. A model directory holds ``model.json`` (backend, labels, thresholds,
label limits, taxonomy, evaluation) and the backend's files in ``classifier/``.

>>> model = DomainModel.load_default()
>>> cats, labels = model.predict(["全力做好防汛防台工作,落实安全生产责任"])[0]
>>> labels[0]
'safety'
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ..taxonomy import Taxonomy, load_taxonomy
from .evaluation import labels_from_probabilities
from .sklearn_backend import CharNgramClassifier
from .textcat_backend import TextcatClassifier

__all__ = ["BACKENDS", "DomainModel", "default_model_path", "round_like_python"]

BACKENDS = {"sklearn": CharNgramClassifier, "textcat": TextcatClassifier}
FORMAT = "govnlp-domain-model/1"


def default_model_path() -> Path:
    """Where the bundled default model lives (package data, ``govnlp/domains/default_model``)."""
    return Path(str(resources.files("govnlp.domains").joinpath("default_model")))


class DomainModel:
    """Labels, thresholds and a trained classifier; ``predict`` gives ``(cats, labels)`` per
    text.
    """

    def __init__(
        self,
        classifier: Any,
        *,
        thresholds: Optional[Sequence[float]] = None,
        taxonomy: Optional[Taxonomy] = None,
        min_labels: int = 1,
        max_labels: Optional[int] = 3,
        secondary_ratio: Optional[float] = None,
        secondary_floor: float = 0.0,
        info: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.classifier = classifier
        self.labels: List[str] = list(classifier.labels)
        self.thresholds = np.asarray(
            thresholds if thresholds is not None else [0.5] * len(self.labels), dtype=float
        )
        self.taxonomy = taxonomy or Taxonomy.from_ids(self.labels)
        self.min_labels = int(min_labels)
        self.max_labels = max_labels
        self.secondary_ratio = None if secondary_ratio is None else float(secondary_ratio)
        self.secondary_floor = float(secondary_floor)
        self.info: Dict[str, Any] = dict(info or {})

    @property
    def backend(self) -> str:
        return str(self.classifier.backend)

    @property
    def uses_context(self) -> bool:
        """Whether the classifier reads the items' context (the titles of their headings)."""
        return bool(getattr(self.classifier, "uses_context", False))

    @property
    def uses_words(self) -> bool:
        """Whether the classifier reads the texts' words (word n-gram features)."""
        return bool(getattr(self.classifier, "uses_words", False))

    def predict_proba(
        self,
        texts: Sequence[str],
        words: Optional[Sequence[Sequence[str]]] = None,
        contexts: Optional[Sequence[str]] = None,
    ) -> np.ndarray:
        """Calibrated probabilities (texts × labels); ``words``: each text's tokens, if at hand;
        ``contexts``: each item's heading titles (:mod:`govnlp.domains.context`), if at hand."""
        extra: Dict[str, Any] = {}
        if self.uses_words:
            extra["words"] = words
        if self.uses_context:
            extra["contexts"] = contexts
        return self.classifier.predict_proba(list(texts), **extra)

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return labels_from_probabilities(
            probs,
            self.thresholds,
            min_labels=self.min_labels,
            max_labels=self.max_labels,
            secondary_ratio=self.secondary_ratio,
            secondary_floor=self.secondary_floor,
        )

    def predict(
        self,
        texts: Sequence[str],
        words: Optional[Sequence[Sequence[str]]] = None,
        contexts: Optional[Sequence[str]] = None,
    ) -> List[Tuple[Dict[str, float], List[str]]]:
        """Per text: ``cats`` (every label's probability, rounded to 4 places) and ``labels``
        (highest first).
        """
        probs = np.asarray(self.predict_proba(texts, words, contexts), dtype=float)
        decided = self.decide(probs)
        # the decided labels of a row, most probable first (ties: label order)
        order = np.argsort(-probs, axis=1, kind="stable").tolist()
        labels = self.labels
        out = []
        for cats, dec, by_rank in zip(round_like_python(probs, 4), decided.tolist(), order):
            out.append((dict(zip(labels, cats)), [labels[j] for j in by_rank if dec[j]]))
        return out

    # -- serialisation --------------------------------------------------------
    def to_disk(self, path: Union[str, Path]) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.classifier.to_disk(path / "classifier")
        meta = {
            "format": FORMAT,
            "backend": self.backend,
            "labels": self.labels,
            "thresholds": [round(float(t), 6) for t in self.thresholds],
            "min_labels": self.min_labels,
            "max_labels": self.max_labels,
            "secondary_ratio": self.secondary_ratio,
            "secondary_floor": self.secondary_floor,
            "taxonomy": self.taxonomy.to_dict(),
            "info": self.info,
        }
        (path / "model.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )

    @classmethod
    def from_disk(cls, path: Union[str, Path]) -> "DomainModel":
        path = Path(path)
        meta_path = path / "model.json"
        if not meta_path.is_file():
            raise FileNotFoundError(f"{path}: no model.json (not a govnlp domain model directory)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} model (format {meta.get('format')!r})")
        backend = BACKENDS.get(meta["backend"])
        if backend is None:
            raise ValueError(
                f"{path}: unknown backend {meta['backend']!r} (known: {', '.join(BACKENDS)})"
            )
        classifier = backend.from_disk(path / "classifier")
        return cls(
            classifier,
            thresholds=meta["thresholds"],
            taxonomy=Taxonomy.from_dict(meta["taxonomy"]),
            min_labels=meta.get("min_labels", 1),
            max_labels=meta.get("max_labels"),
            secondary_ratio=meta.get("secondary_ratio"),
            secondary_floor=meta.get("secondary_floor", 0.0),
            info=meta.get("info", {}),
        )

    @classmethod
    def load_default(cls) -> "DomainModel":
        """The bundled default model (trained from ``corpora/`` by
        ``training/train_default.sh``).
        """
        path = default_model_path()
        if not (path / "model.json").is_file():
            raise FileNotFoundError(f"the bundled domain model is missing from {path}")
        return cls.from_disk(path)


def round_like_python(values: np.ndarray, ndigits: int) -> List[List[float]]:
    """``[[round(v, ndigits) for v in row] for row in values.tolist()]``, the same floats, most
    of them rounded at once.

    ``np.round`` (scale by ``10**ndigits``, round to the nearest integer, divide by the scale)
    gives Python's correctly rounded result whenever the scaled value is not within 1e-6 of a
    half: the scaling's error (below 1.2e-7 for scaled values under 2**30) cannot then change
    the nearest integer, and the division is correctly rounded, as Python's conversion of its
    decimal is. The values near a half, and any not finite or larger, are rounded by Python
    (all of them when ``ndigits`` is not in 0…15).

    >>> round_like_python(np.array([[0.123456, 0.03125, 2.675, 1.0]]), 4)
    [[0.1235, 0.0312, 2.675, 1.0]]
    >>> round_like_python(np.array([[2.675]]), 2) == [[round(2.675, 2)]] == [[2.67]]
    True
    """
    values = np.asarray(values, dtype=np.float64)
    if not 0 <= ndigits <= 15:
        return [[round(v, ndigits) for v in row] for row in values.tolist()]
    scaled = values * 10.0**ndigits
    with np.errstate(invalid="ignore"):
        # not (far from a half and small enough): NaN and infinities are "close" too
        close = ~((np.abs(scaled - np.floor(scaled) - 0.5) > 1e-6) & (np.abs(scaled) < 2.0**30))
    out = np.round(values, ndigits).tolist()
    if close.any():
        for r, c in zip(*np.nonzero(close)):
            out[r][c] = round(float(values[r, c]), ndigits)
    return out


def default_taxonomy_for(labels: Sequence[str]) -> Taxonomy:
    """The default taxonomy when ``labels`` are its ids, else a bare taxonomy of ``labels``."""
    tax = load_taxonomy()
    if set(labels) <= set(tax.ids):
        return Taxonomy(
            [tax[lab] for lab in labels],
            name=tax.name,
            version=tax.version,
            rules=tax.rules,
            boundary_rules=tax.boundary_rules,
        )
    return Taxonomy.from_ids(labels)
