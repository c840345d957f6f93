"""Tagging engines: where the pipeline runs during a bulk run (``govnlp tag``).

An engine owns the batch loop: it turns a stream of :class:`~govnlp.io.InputDocument`
into ``(document, record, error)`` triples (:class:`Engine`, options in
:class:`TagOptions`); :func:`govnlp.tagging.tag_paths` only wires reading, the engine
and writing (skipping documents already done, the atomic output and errors files,
statistics), so every engine writes the same files. Every engine tags a document
through the same per-document path, :class:`~govnlp.engines.document.DocumentTagger`.

- ``local`` (:class:`~govnlp.engines.local.LocalEngine`): the pipeline in ``n_process``
  forked worker processes that survive slow and dying documents
  (:mod:`govnlp.engines.pool`), or in this process when there is neither a time budget
  nor ``n_process > 1``.
- ``dask`` (:class:`~govnlp.engines.dask.DaskEngine`): batches of documents
  tagged on the workers of a Dask cluster (a local one, or ``--scheduler``);
  each worker loads the pipeline once from its :class:`PipelineSpec`.

>>> from govnlp.engines import PipelineSpec
>>> PipelineSpec(segmenter="char").key()
'{"config": {}, "model": null, "pkuseg_model": null, "segmenter": "char"}'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import DEFAULT_DOC_TIMEOUT, Engine, PipelineSpec, TagOptions, Triple
from .document import DocumentTagger
from .local import LocalEngine

if TYPE_CHECKING:  # pragma: no cover
    from .dask import DaskEngine, EngineError

ENGINES = ("local", "dask")

__all__ = [
    "DEFAULT_DOC_TIMEOUT",
    "ENGINES",
    "DaskEngine",
    "DocumentTagger",
    "Engine",
    "EngineError",
    "LocalEngine",
    "PipelineSpec",
    "TagOptions",
    "Triple",
]


def __getattr__(name: str) -> Any:
    # distributed is imported only when the Dask engine is used
    if name in ("DaskEngine", "EngineError"):
        from . import dask as _dask

        return getattr(_dask, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
