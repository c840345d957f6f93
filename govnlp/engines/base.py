"""The engine protocol, the pipeline spec shipped to workers, and the local engine."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, Optional, Protocol, Tuple, Union

from ..io import DEFAULT_MAX_CHARS, InputDocument

#: What an engine yields per document: (document, record or None, error or None).
Triple = Tuple[InputDocument, Optional[Dict[str, Any]], Optional[BaseException]]


class Engine(Protocol):
    """Turns documents into records. Unreadable documents (``d.error`` set) are passed
    through as ``(d, None, d.error)``; a document the pipeline fails on comes back as
    ``(d, None, exc)``; the order of the output need not be the order of the input.
    A document that takes longer than ``doc_timeout`` seconds (None: no budget) comes back
    as ``(d, None, DocumentTimeout(...))``; ``max_chars`` (None: no limit) is the longest
    document the pipeline must accept (spaCy's ``nlp.max_length``)."""

    def process(
        self,
        documents: Iterable[InputDocument],
        *,
        batch_size: int,
        include_text: bool,
        doc_timeout: Optional[float] = None,
        max_chars: Optional[int] = DEFAULT_MAX_CHARS,
    ) -> Iterator[Triple]: ...  # pragma: no cover


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


class LocalEngine:
    """The pipeline in this process, or in ``n_process`` forked worker processes
    (:func:`govnlp.tagging.local_results`)."""

    def __init__(self, nlp: Any, *, n_process: int = 1) -> None:
        self.nlp = nlp
        self.n_process = n_process

    @classmethod
    def from_spec(
        cls, spec: Union[PipelineSpec, Dict[str, Any]], *, n_process: int = 1
    ) -> "LocalEngine":
        spec = spec if isinstance(spec, PipelineSpec) else PipelineSpec(**spec)
        return cls(spec.load(), n_process=n_process)

    def process(
        self,
        documents: Iterable[InputDocument],
        *,
        batch_size: int,
        include_text: bool,
        doc_timeout: Optional[float] = None,
        max_chars: Optional[int] = DEFAULT_MAX_CHARS,
    ) -> Iterator[Triple]:
        from ..tagging import local_results, pipeline_max_length

        self.nlp.max_length = pipeline_max_length(max_chars, self.nlp.max_length)
        return local_results(
            self.nlp,
            documents,
            batch_size=batch_size,
            n_process=self.n_process,
            include_text=include_text,
            doc_timeout=doc_timeout,
        )

    def __enter__(self) -> "LocalEngine":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None
