"""The spaCy backend: ``textcat_multilabel`` trained on the items' texts.

A blank Chinese pipeline (character segmentation) with spaCy's
``textcat_multilabel`` component, its architecture given in a config
(``textcat.cfg`` beside this module: spaCy's default ensemble of a
bag-of-words model and a CNN). Saved with spaCy's own ``to_disk`` (config and
msgpack weights), so loading it never unpickles anything.

>>> clf = TextcatClassifier(labels=["safety", "ecology"], epochs=2, seed=0)
>>> clf.fit(["安全生产检查", "污水治理"] * 4, [[1, 0], [0, 1]] * 4).predict_proba(["安全"]).shape
(1, 2)
"""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Sequence, Union

import numpy as np

__all__ = ["TextcatClassifier"]

FORMAT = "govnlp-domains-textcat/1"


class TextcatClassifier:
    """Multi-label classifier: spaCy ``textcat_multilabel`` over character tokens."""

    backend = "textcat"

    def __init__(
        self,
        labels: Sequence[str],
        *,
        architecture: str = "ensemble",
        epochs: int = 12,
        batch_size: int = 32,
        dropout: float = 0.2,
        seed: int = 0,
    ) -> None:
        self.labels = list(labels)
        self.architecture = architecture
        self.epochs = int(epochs)
        self.batch_size = int(batch_size)
        self.dropout = float(dropout)
        self.seed = int(seed)
        self.nlp: Any = None

    def settings(self) -> Dict[str, Any]:
        return {
            "architecture": self.architecture,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "dropout": self.dropout,
            "seed": self.seed,
        }

    def _blank_pipeline(self) -> Any:
        import spacy
        from thinc.api import Config

        text = resources.files("govnlp.domains").joinpath("textcat.cfg").read_text(encoding="utf-8")
        cfg = Config().from_str(text)
        model_cfg = cfg["architectures"][self.architecture]
        nlp = spacy.blank("zh")  # spaCy's Chinese tokenizer, character segmentation
        textcat = nlp.add_pipe("textcat_multilabel", config={"model": model_cfg, "threshold": 0.5})
        for lab in self.labels:
            textcat.add_label(lab)
        return nlp

    def fit(
        self, texts: Sequence[str], y: Union[np.ndarray, Sequence[Sequence[int]]]
    ) -> "TextcatClassifier":
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(self.seed)
        y = np.asarray(y, dtype=int)
        self.nlp = self._blank_pipeline()
        examples = [
            Example.from_dict(
                self.nlp.make_doc(t),
                {"cats": {lab: float(y[i, j]) for j, lab in enumerate(self.labels)}},
            )
            for i, t in enumerate(texts)
        ]
        optimizer = self.nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _epoch in range(self.epochs):
            order = list(examples)
            rng.shuffle(order)
            for batch in minibatch(order, size=self.batch_size):
                self.nlp.update(batch, drop=self.dropout, sgd=optimizer)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, len(self.labels)))
        out = np.zeros((len(texts), len(self.labels)))
        for i, doc in enumerate(self.nlp.pipe(list(texts), batch_size=64)):
            out[i] = [doc.cats.get(lab, 0.0) for lab in self.labels]
        return out

    def to_disk(self, path: Union[str, Path]) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        meta = {"format": FORMAT, "labels": self.labels, "settings": self.settings()}
        (path / "classifier.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        self.nlp.to_disk(path / "textcat")

    @classmethod
    def from_disk(cls, path: Union[str, Path]) -> "TextcatClassifier":
        import spacy

        path = Path(path)
        meta = json.loads((path / "classifier.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} classifier (format {meta.get('format')!r})")
        clf = cls(meta["labels"], **meta["settings"])
        clf.nlp = spacy.load(path / "textcat")
        return clf
