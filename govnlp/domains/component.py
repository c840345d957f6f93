"""The ``govnlp_domains`` pipeline component: policy-domain probabilities for every work item.

Runs after ``govnlp_items``: for every leaf item it sets ``item["cats"]`` (a
probability for every label of the model, like ``doc.cats``) and
``item["labels"]`` (labels at or above their threshold, highest first, at
least ``min_labels`` and at most ``max_labels``). The item text is
``doc.text[start:end]``, its 责任单位 line included. The model is the bundled
default, a model directory (``govnlp train`` output), or set in code with
:meth:`DomainTagger.set_model`; ``to_disk`` writes it into the pipeline
directory, so a saved pipeline carries its own model.

>>> import spacy, govnlp
>>> nlp = spacy.blank("zh"); _ = nlp.add_pipe("govnlp_items"); _ = nlp.add_pipe("govnlp_domains")
>>> doc = nlp("1.做好防汛防台和安全生产工作。\\n2.推进污水零直排区建设。")
>>> [it["labels"][0] for it in doc._.items]
['safety', 'ecology']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .._doctext import doc_text
from .._extensions import register_extensions
from .context import context_of
from .model import DomainModel


@Language.factory(
    "govnlp_domains",
    assigns=["doc._.items"],
    requires=["doc._.items"],
    default_config={"model": "default", "batch_size": 256, "min_labels": None, "max_labels": None},
)
def make_domains_component(
    nlp: Language,
    name: str,
    model: Optional[str],
    batch_size: int,
    min_labels: Optional[int],
    max_labels: Optional[int],
) -> "DomainTagger":
    """Config entry point. ``model``: "default" (bundled), a model directory, or null
    (set later with ``set_model`` or loaded by ``from_disk``); ``min_labels`` /
    ``max_labels`` override the model's limits when not null."""
    loaded: Optional[DomainModel]
    if model == "default":
        loaded = DomainModel.load_default()
    elif model:
        loaded = DomainModel.from_disk(model)
    else:
        loaded = None
    return DomainTagger(
        loaded, name=name, batch_size=batch_size, min_labels=min_labels, max_labels=max_labels
    )


class DomainTagger:
    """Classifies the leaf items of each document with a :class:`DomainModel`."""

    def __init__(
        self,
        model: Optional[DomainModel],
        *,
        name: str = "govnlp_domains",
        batch_size: int = 256,
        min_labels: Optional[int] = None,
        max_labels: Optional[int] = None,
    ) -> None:
        register_extensions()
        self.name = name
        self.batch_size = batch_size
        self.min_labels = min_labels
        self.max_labels = max_labels
        self.model: Optional[DomainModel] = None
        if model is not None:
            self.set_model(model)

    @property
    def labels(self) -> List[str]:
        return list(self.model.labels) if self.model is not None else []

    def set_model(self, model: DomainModel) -> None:
        """Use ``model`` (applying this component's label-limit overrides)."""
        if self.min_labels is not None:
            model.min_labels = int(self.min_labels)
        if self.max_labels is not None:
            model.max_labels = int(self.max_labels)
        self.model = model

    def _require_model(self) -> DomainModel:
        if self.model is None:
            raise ValueError(f"{self.name}: no domain model (config model=null and nothing loaded)")
        return self.model

    def __call__(self, doc: Doc) -> Doc:
        self._tag([doc])
        return doc

    def pipe(self, docs: Any, batch_size: Optional[int] = None) -> Any:
        """Classify the items of many documents together (one model call per batch)."""
        for batch in minibatch(docs, size=batch_size or 64):
            self._tag(batch)
            yield from batch

    def _tag(self, docs: List[Doc]) -> None:
        model = self._require_model()
        targets: List[Dict[str, Any]] = []
        texts: List[str] = []
        words: Optional[List[List[str]]] = [] if model.uses_words else None
        contexts: Optional[List[str]] = [] if model.uses_context else None
        for doc in docs:
            text = doc_text(doc)  # doc.text, computed once per Doc (not again here)
            records = doc._.items or []
            by_id = {r["id"]: r for r in records} if contexts is not None else {}
            for it in records:
                if it.get("leaf"):
                    targets.append(it)
                    texts.append(text[it["start"] : it["end"]])
                    if words is not None:
                        words.append(_span_words(doc, it["start"], it["end"]))
                    if contexts is not None:
                        contexts.append(context_of(it, by_id))
        for lo in range(0, len(texts), self.batch_size):
            hi = lo + self.batch_size
            batch_words = words[lo:hi] if words is not None else None
            batch_contexts = contexts[lo:hi] if contexts is not None else None
            for it, (cats, labels) in zip(
                targets[lo:hi],
                model.predict(texts[lo:hi], batch_words, batch_contexts),
            ):
                it["cats"] = cats
                it["labels"] = labels

    # -- serialisation: the model travels with the pipeline ----------------------
    def to_disk(self, path: Union[str, Path], *, exclude: tuple = ()) -> None:
        self._require_model().to_disk(path)

    def from_disk(self, path: Union[str, Path], *, exclude: tuple = ()) -> "DomainTagger":
        self.set_model(DomainModel.from_disk(path))
        return self

    def to_bytes(self, *, exclude: tuple = ()) -> bytes:
        import io
        import tarfile
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            self.to_disk(tmp)
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w") as tar:
                tar.add(tmp, arcname="model")
            return buf.getvalue()

    def from_bytes(self, data: bytes, *, exclude: tuple = ()) -> "DomainTagger":
        import io
        import tarfile
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
                tar.extractall(tmp, filter="data")
            return self.from_disk(Path(tmp) / "model")


def _span_words(doc: Doc, start: int, end: int) -> List[str]:
    """The segmenter's words of ``doc`` inside characters ``start``–``end`` (the tokens the
    pipeline already has: no second segmentation)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t.text for t in span if not t.is_space]
