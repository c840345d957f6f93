"""The local engine: the pipeline on this machine, in this process or in forked workers.

With a time budget (``doc_timeout``) or ``n_process > 1`` (``-1``: one per core) the
pipeline runs in forked worker processes (:class:`govnlp.engines.pool.WorkerPool`: a slow
document is stopped, a dead worker replaced); otherwise, or where processes cannot be
forked, in this process (batches through ``nlp.pipe``,
:meth:`govnlp.engines.document.DocumentTagger.pipe`).

>>> import govnlp; from govnlp.io import InputDocument
>>> engine = LocalEngine(govnlp.load(segmenter="char"))                     # doctest: +SKIP
>>> docs = [InputDocument("a", "一、抓投资。")]
>>> [
...     (d.doc_id, exc) for d, rec, exc in engine.process(docs, TagOptions(doc_timeout=0))
... ]  # doctest: +SKIP
[('a', None)]
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, Iterable, Iterator, Optional, Union

from ..io import InputDocument
from .base import PipelineSpec, TagOptions, Triple, tag_options
from .document import DocumentTagger

log = logging.getLogger(__name__)


def resolve_n_process(n_process: Optional[int]) -> int:
    """``n_process`` as a number of processes: ``-1`` (any negative) is one per core.

    >>> resolve_n_process(None), resolve_n_process(0), resolve_n_process(3)
    (1, 1, 3)
    """
    if n_process is not None and n_process < 0:
        n_process = os.cpu_count() or 1
    return max(1, int(n_process or 1))


class LocalEngine:
    """The pipeline ``nlp`` in this process, or in ``n_process`` forked worker processes.

    The caller's pipeline is left as it was (``nlp.max_length`` included) when a run ends.
    """

    name = "local"

    def __init__(self, nlp: Any, *, n_process: Optional[int] = 1) -> None:
        self.nlp = nlp
        self.n_process = resolve_n_process(n_process)

    @classmethod
    def from_spec(
        cls, spec: Union[PipelineSpec, Dict[str, Any]], *, n_process: int = 1
    ) -> "LocalEngine":
        """An engine with the pipeline ``spec`` describes, built here."""
        spec = spec if isinstance(spec, PipelineSpec) else PipelineSpec(**spec)
        return cls(spec.load(), n_process=n_process)

    def process(
        self,
        documents: Iterable[InputDocument],
        options: Optional[TagOptions] = None,
        **changes: Any,
    ) -> Iterator[Triple]:
        """``(document, record, error)`` per document (see :class:`~govnlp.engines.base.Engine`):
        records in input order; in this process, unreadable documents come as soon as they are
        read, in worker processes everything comes in input order."""
        from .pool import WorkerPool, fork_available

        options = tag_options(options, **changes)
        tagger = DocumentTagger(self.nlp, include_text=options.include_text)
        if (options.budget or self.n_process > 1) and fork_available():
            pool = WorkerPool(tagger, n_process=self.n_process, doc_timeout=options.budget)
            return pool.process(documents)  # the workers' pipelines are copies: ours is untouched
        if options.budget:  # pragma: no cover - no fork (Windows)
            log.warning(
                "govnlp tag: --doc-timeout needs forked worker processes, not available here; "
                "no time budget"
            )
        return self._in_process(tagger, documents, options)

    def _in_process(
        self, tagger: DocumentTagger, documents: Iterable[InputDocument], options: TagOptions
    ) -> Iterator[Triple]:
        saved = self.nlp.max_length
        try:
            yield from tagger.pipe(
                documents, batch_size=options.batch_size, n_process=self.n_process
            )
        finally:
            self.nlp.max_length = saved

    def start(self) -> "LocalEngine":
        """Nothing to start: workers are forked per run (kept for the engine interface)."""
        return self

    def close(self) -> None:
        """Nothing to stop between runs: a run's workers end with it."""

    def __enter__(self) -> "LocalEngine":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()


__all__ = ["LocalEngine", "resolve_n_process"]
