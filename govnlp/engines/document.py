"""The per-document path every engine runs: an input document → the pipeline → its record.

:class:`DocumentTagger` is the one place where a document meets the pipeline, whatever the
engine (this process, a forked pool worker, a Dask worker): :meth:`~DocumentTagger.prepare`
gives the pipeline its input, :meth:`~DocumentTagger.record` turns the processed ``Doc`` into
the record (input metadata merged into ``meta``). :meth:`~DocumentTagger.pipe` is the
in-process batch loop (``nlp.pipe``), failures isolated per document.

>>> import govnlp; from govnlp.io import InputDocument
>>> tagger = DocumentTagger(govnlp.load(segmenter="char"), include_text=False)  # doctest: +SKIP
>>> rec = tagger(InputDocument("a", "一、抓投资。", meta={"title": "要点"}))      # doctest: +SKIP
>>> rec["doc_id"], rec["meta"]["title"], "text" in rec                          # doctest: +SKIP
('a', '要点', False)
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Optional, Union

from spacy.tokens import Doc

from ..io import InputDocument
from ..records import doc_to_record
from .base import Triple

#: Input metadata never replaces these record fields (the pipeline owns them); the input
#: value is kept as ``<key>_input``.
PIPELINE_META = ("region",)


class DocumentTagger:
    """Tags one document at a time (``tagger(d)``) or a batch in this process (``pipe``).

    ``nlp`` is the loaded pipeline; ``include_text``: the text goes into the record.
    The pipeline accepts every document it is given (spaCy's ``nlp.max_length`` is raised
    as far as needed): the length limit is the reader's (``ReadOptions.max_chars``).
    """

    def __init__(self, nlp: Any, *, include_text: bool = True) -> None:
        self.nlp = nlp
        self.include_text = include_text

    def prepare(self, d: InputDocument) -> Union[str, Doc]:
        """What the pipeline is given for ``d``: its text, or — when the input's metadata can
        name its county (:func:`pipeline_input`) — a ``Doc`` carrying that metadata, so the
        county steers unit linking."""
        text = d.text or ""
        if len(text) > self.nlp.max_length:
            self.nlp.max_length = len(text)
        return pipeline_input(self.nlp, text, d.meta)

    def record(self, doc: Doc, d: InputDocument) -> Dict[str, Any]:
        """The record of ``d`` once the pipeline has processed it into ``doc``."""
        record = doc_to_record(doc, d.doc_id, include_text=self.include_text)
        merge_meta(record, d.meta)
        return record

    def __call__(self, d: InputDocument) -> Dict[str, Any]:
        """Tag one readable document; may raise (the engine reports it for ``d``)."""
        return self.record(self.nlp(self.prepare(d)), d)

    def pipe(
        self, documents: Iterable[InputDocument], *, batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Triple]:
        """``(d, record, error)`` per document: batches through ``nlp.pipe`` (``n_process`` > 1:
        spaCy's own worker processes), readable documents in input order; a batch the pipeline
        fails on is redone one document at a time, so only the culprit is reported. Unreadable
        documents pass through as ``(d, None, d.error)`` as soon as they are read (before the
        batch they fall in)."""
        batch_size = max(1, int(batch_size))
        n_process = max(1, int(n_process))
        chunk = max(batch_size * n_process * 4, batch_size)
        batch: List[InputDocument] = []
        for d in documents:
            if d.error is not None:
                yield d, None, d.error
                continue
            batch.append(d)
            if len(batch) >= chunk:
                yield from self._batch(batch, batch_size, n_process)
                batch = []
        if batch:
            yield from self._batch(batch, batch_size, n_process)

    def _batch(
        self, batch: List[InputDocument], batch_size: int, n_process: int
    ) -> Iterator[Triple]:
        try:
            # plain texts, not as_tuples: with as_tuples spaCy tokenizes in this process
            # and only the components would run in the n_process workers
            inputs = [self.prepare(d) for d in batch]
            docs = list(self.nlp.pipe(inputs, batch_size=batch_size, n_process=n_process))
        except Exception:  # one bad document: redo the batch one by one
            for d in batch:
                try:
                    yield d, self(d), None
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    yield d, None, exc
            return
        for doc, d in zip(docs, batch):
            try:
                yield d, self.record(doc, d), None
            except Exception as exc:  # noqa: BLE001
                yield d, None, exc


def pipeline_input(nlp: Any, text: str, meta: Optional[Dict[str, Any]] = None) -> Any:
    """What the pipeline is given for one input document: its text, or — when the input's
    metadata can name its county (a table's ``region``, a page's 发布机构…) — a ``Doc`` with
    that metadata in ``doc._.input_meta``, so the units component resolves the county
    (:func:`govnlp.units.region.document_region`) before it links anything.

    >>> import spacy; nlp = spacy.blank("zh")
    >>> pipeline_input(nlp, "一、抓投资。", {"encoding": "utf-8"})
    '一、抓投资。'
    >>> pipeline_input(nlp, "一、抓投资。", {"issuer": "嵊泗县人民政府办公室"})._.input_meta
    {'issuer': '嵊泗县人民政府办公室'}
    """
    from ..units.region import region_metadata

    hints = region_metadata(meta)
    if not hints:
        return text
    doc = nlp.make_doc(text)
    doc._.input_meta = hints
    return doc


def merge_meta(record: Dict[str, Any], meta: Optional[Dict[str, Any]]) -> None:
    """Merge input metadata into the record's ``meta`` (the region was resolved in the
    pipeline, from the text and this metadata: see :func:`pipeline_input`; an input
    ``region`` value is kept as ``region_input``).

    >>> rec = {"meta": {"region": {"name": "嵊泗县"}}}
    >>> merge_meta(rec, {"title": "通知", "region": "岱山县", "date": None})
    >>> rec["meta"]["title"], rec["meta"]["region"]["name"], rec["meta"]["region_input"]
    ('通知', '嵊泗县', '岱山县')
    >>> "date" in rec["meta"]
    False
    """
    if not meta:
        return
    target = record.setdefault("meta", {})
    for key, value in meta.items():
        if value is None:
            continue
        if key in PIPELINE_META:
            target[f"{key}_input"] = value
        else:
            target[key] = value


__all__ = ["PIPELINE_META", "DocumentTagger", "merge_meta", "pipeline_input"]
