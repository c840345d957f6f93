"""The engine interface, the options of a tagging run, and the pipeline spec shipped to workers."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, Optional, Protocol, Tuple

from ..io import InputDocument

#: What an engine yields per document: (document, record or None, error or None).
Triple = Tuple[InputDocument, Optional[Dict[str, Any]], Optional[BaseException]]

#: Default per-document time budget of bulk runs, in seconds (``--doc-timeout``; 0: none).
DEFAULT_DOC_TIMEOUT = 120.0


@dataclass(frozen=True)
class TagOptions:
    """How every engine tags documents (``govnlp tag`` flags of the same names).

    ``include_text``: the document text goes into the record (``--no-text``: False);
    ``batch_size``: documents per ``nlp.pipe`` batch or Dask task; ``doc_timeout``: time
    budget per document in seconds (``None`` or ``0``: none), a document over it comes back
    as ``DocumentTimeout``.

    >>> TagOptions(doc_timeout=0).budget is None, TagOptions().budget
    (True, 120.0)
    """

    include_text: bool = True
    batch_size: int = 16
    doc_timeout: Optional[float] = DEFAULT_DOC_TIMEOUT

    @property
    def budget(self) -> Optional[float]:
        """``doc_timeout`` as seconds, or None for no budget (``0`` included)."""
        return float(self.doc_timeout) if self.doc_timeout else None


def tag_options(options: Optional[TagOptions] = None, **changes: Any) -> TagOptions:
    """``options`` with the keyword ``changes`` applied: the keywords ``engine.process``
    took before :class:`TagOptions` (``batch_size=…``) keep working, with their defaults
    (without ``options``, no time budget). ``max_chars`` is accepted and ignored: engines
    accept every document they are given (the limit is the reader's,
    :class:`govnlp.io.options.ReadOptions`).

    >>> tag_options(batch_size=4, max_chars=10)
    TagOptions(include_text=True, batch_size=4, doc_timeout=None)
    >>> tag_options(TagOptions(), include_text=False)
    TagOptions(include_text=False, batch_size=16, doc_timeout=120.0)
    """
    changes.pop("max_chars", None)
    return replace(options or TagOptions(doc_timeout=None), **changes)


class Engine(Protocol):
    """Turns documents into records: where the pipeline runs during a bulk run.

    Unreadable documents (``d.error`` set) are passed through as ``(d, None, d.error)``; a
    document the pipeline fails on comes back as ``(d, None, exc)``; one over the time budget
    as ``(d, None, DocumentTimeout(...))``. Every engine runs the same per-document path
    (:class:`govnlp.engines.document.DocumentTagger`), so records are the same whatever the
    engine; the order of the output need not be the order of the input. An engine is a
    context manager (``with engine:`` starts and stops its workers).
    Implementations: :class:`~govnlp.engines.local.LocalEngine`,
    :class:`~govnlp.engines.dask.DaskEngine`.
    """

    #: ``"local"``, ``"dask"``: the ``--engine`` that names it.
    name: str

    def process(
        self, documents: Iterable[InputDocument], options: Optional[TagOptions] = None
    ) -> Iterator[Triple]: ...  # pragma: no cover

    def __enter__(self) -> Any: ...  # pragma: no cover

    def __exit__(self, *exc: Any) -> None: ...  # pragma: no cover


@dataclass
class PipelineSpec:
    """How to build a pipeline: the arguments of :func:`govnlp.load`, nothing live.

    Engines that run the pipeline elsewhere ship the spec, never the pipeline;
    each worker builds the pipeline once and keeps it, keyed by :meth:`key`.
    Paths are made absolute, as the worker's working directory may differ
    (on a remote cluster they must exist on the workers' machines).
    """

    model: Optional[str] = None
    segmenter: Optional[str] = None
    pkuseg_model: Optional[str] = None
    config: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.model is not None:
            self.model = str(Path(self.model).resolve())
        if self.pkuseg_model is not None:
            self.pkuseg_model = str(Path(self.pkuseg_model).resolve())
        self.config = dict(self.config or {})

    def key(self) -> str:
        """A stable string identifying the pipeline (the worker-side cache key)."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)

    def load(self) -> Any:
        """Build the pipeline (what a worker does once)."""
        from ..pipeline import load

        if self.model is not None:
            return load(self.model, config=self.config or None)
        return load(
            segmenter=self.segmenter, pkuseg_model=self.pkuseg_model, config=self.config or None
        )
