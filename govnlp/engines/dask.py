"""The Dask engine: documents tagged on the workers of a Dask cluster.

``govnlp tag --engine dask`` starts a :class:`distributed.LocalCluster` of
``--workers`` processes (one thread each; default: one per CPU core), or
connects to a running cluster with ``--scheduler ADDRESS``. Dask does all the
scheduling; this module only decides what a task is:

- the client reads documents (streaming), groups the readable ones into
  batches of ``batch_size`` and submits one task per batch, keeping at most
  ``max_pending`` batches in flight (``distributed.as_completed``), so memory
  stays bounded however large the input;
- a task (:func:`tag_batch`) runs on a worker, which builds the pipeline once
  from the :class:`~govnlp.engines.PipelineSpec` it receives (the spec is
  shipped, never the pipeline) and keeps it for every later task;
- a task tags its documents through the same per-document path as the local
  engine (:class:`~govnlp.engines.document.DocumentTagger`); a document the
  pipeline fails on comes back as an error entry, not as a failed task; with a
  ``doc_timeout`` each document is tagged under a
  :class:`~govnlp.engines.watchdog.ThreadBudget` and one over budget comes back
  as ``DocumentTimeout`` (a document stuck in one C call past a grace period
  ends its worker process, which Dask replaces); a task that fails as a whole
  (a worker that died on a document, say) is split and its documents retried
  one by one, so only the culprit is reported; a pipeline that cannot be built
  on a worker aborts the run (:class:`EngineError`);
- the client writes records and errors exactly as for the local engine
  (:func:`govnlp.tagging.tag_paths` does the reading and writing for every
  engine), so ``--resume``, the errors file and the statistics behave
  identically. Records come back in completion order, not input order.

>>> from govnlp.engines import PipelineSpec
>>> from govnlp.engines.dask import DaskEngine
>>> with DaskEngine(PipelineSpec(segmenter="char"), workers=2) as engine:    # doctest: +SKIP
...     stats = tag_paths(None, ["corpora/samples"], "out.jsonl", engine=engine)
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ..io import InputDocument
from .base import PipelineSpec, TagOptions, Triple, tag_options
from .document import DocumentTagger
from .errors import DocumentTimeout, RemoteDocumentError, remote_error

#: After a document's budget is spent, how long it may take to stop before the worker
#: process is ended (it is stuck in one C call); Dask starts a new worker.
STUCK_GRACE_S = 10.0

#: Pipelines a worker keeps (the least recently used goes first); a pkuseg pipeline holds ~0.8 GB.
MAX_PIPELINES_PER_WORKER = 2

_PIPELINES: "OrderedDict[str, Any]" = OrderedDict()
_LOCK = threading.Lock()

#: What :func:`tag_batch` returns per document: (position in the batch, record, error type,
#: message).
Result = Tuple[int, Optional[Dict[str, Any]], Optional[str], Optional[str]]


class EngineError(RuntimeError):
    """The Dask engine cannot go on (the pipeline cannot be built on the workers, no workers)."""


class PipelineLoadError(RuntimeError):
    """Raised on a worker whose pipeline cannot be built; aborts the run on the client."""


# -- worker side -----------------------------------------------------------------------------


def worker_pipeline(spec: PipelineSpec) -> Any:
    """The pipeline of ``spec`` in this worker process, built on first use and kept."""
    key = spec.key()
    with _LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            try:
                nlp = spec.load()
            except Exception as exc:  # noqa: BLE001 - becomes one clear error on the client
                raise PipelineLoadError(f"{type(exc).__name__}: {exc}") from None
            _PIPELINES[key] = nlp
            while len(_PIPELINES) > MAX_PIPELINES_PER_WORKER:
                _PIPELINES.popitem(last=False)
        else:
            _PIPELINES.move_to_end(key)
    return nlp


def warm_pipeline(spec: PipelineSpec) -> str:
    """Build (or find) the pipeline of ``spec`` in this worker; return its key, not the pipeline."""
    worker_pipeline(spec)
    return spec.key()


def cached_pipelines() -> List[str]:
    """Keys of the pipelines this worker holds (``client.run(cached_pipelines)`` to inspect)."""
    with _LOCK:
        return list(_PIPELINES)


def tag_batch(
    spec: PipelineSpec, docs: List[InputDocument], options: Optional[TagOptions] = None
) -> List[Result]:
    """The task: tag documents with the worker's pipeline, through the same per-document
    path as the local engine (:class:`~govnlp.engines.document.DocumentTagger`).

    Without a time budget (``options.doc_timeout``), in batches
    (:meth:`~govnlp.engines.document.DocumentTagger.pipe`); with one, one by one as the
    local engine's workers do, each under a :class:`~govnlp.engines.watchdog.ThreadBudget`
    (a document over budget comes back as ``DocumentTimeout``). Either way the records are
    exactly those of ``govnlp tag --engine local``, and failures are isolated per document.
    Results carry each document's position in ``docs``, not the document.
    """
    options = tag_options(options)
    tagger = DocumentTagger(worker_pipeline(spec), include_text=options.include_text)
    if options.budget:
        return _tag_one_by_one(tagger, docs, options.budget)
    position = {id(d): i for i, d in enumerate(docs)}  # pipe yields the documents it is given
    out: List[Result] = []
    for d, record, exc in tagger.pipe(docs, batch_size=options.batch_size):
        if exc is None:
            out.append((position[id(d)], record, None, None))
        else:
            out.append((position[id(d)], None, type(exc).__name__, str(exc)))
    return out


def _end_this_worker() -> None:  # pragma: no cover - runs in a Dask worker process
    import signal

    logging.getLogger(__name__).error(
        "a document is stuck past its budget in a C call: ending this worker process"
    )
    os.kill(os.getpid(), signal.SIGKILL)


def _tag_one_by_one(
    tagger: DocumentTagger, docs: List[InputDocument], doc_timeout: float
) -> List[Result]:
    import multiprocessing

    from .watchdog import BudgetExceeded, ThreadBudget

    # a worker process of its own (not a thread of the client's process, as in tests) may be ended
    on_stuck = _end_this_worker if multiprocessing.parent_process() is not None else None
    out: List[Result] = []
    for i, d in enumerate(docs):
        try:
            with ThreadBudget(doc_timeout, grace=STUCK_GRACE_S, on_stuck=on_stuck):
                record = tagger(d)
            out.append((i, record, None, None))
        except BudgetExceeded:
            out.append(
                (
                    i,
                    None,
                    "DocumentTimeout",
                    f"tagging took longer than --doc-timeout {doc_timeout:g} s; stopped "
                    f"(--resume tries it again, a larger --doc-timeout or 0 lets it finish)",
                )
            )
        except Exception as exc:  # noqa: BLE001 - reported, the batch goes on
            out.append((i, None, type(exc).__name__, str(exc)))
    return out


# -- client side -----------------------------------------------------------------------------


class DaskEngine:
    """Tag on a Dask cluster: a :class:`distributed.LocalCluster` of ``workers`` processes,
    or the cluster whose scheduler is at ``scheduler``.

    ``max_pending`` bounds the batches in flight (default: twice the workers'
    threads, at least 2); ``processes=False`` runs a local cluster's workers as
    threads of this process (no parallelism for the pipeline, but no start-up
    cost: for tests and tiny inputs). Use as a context manager, or call
    :meth:`close` (a cluster this engine started is shut down with it).
    """

    name = "dask"

    def __init__(
        self,
        spec: Union[PipelineSpec, Dict[str, Any]],
        *,
        workers: Optional[int] = None,
        scheduler: Optional[str] = None,
        processes: bool = True,
        threads_per_worker: int = 1,
        max_pending: Optional[int] = None,
        timeout: float = 30.0,
        cluster_kwargs: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.spec = spec if isinstance(spec, PipelineSpec) else PipelineSpec(**spec)
        self.workers = workers
        self.scheduler = scheduler
        self.processes = processes
        self.threads_per_worker = threads_per_worker
        self.max_pending = max_pending
        self.timeout = timeout
        self.cluster_kwargs = dict(cluster_kwargs or {})
        self.client: Any = None
        self.cluster: Any = None

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> "DaskEngine":
        """Start the local cluster or connect to the scheduler (idempotent)."""
        if self.client is not None:
            return self
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler, timeout=self.timeout)
            try:
                self.client.wait_for_workers(1, timeout=self.timeout)
            except Exception as exc:  # noqa: BLE001 - distributed raises TimeoutError variants
                self.close()
                raise EngineError(
                    f"no Dask workers at {self.scheduler} after {self.timeout:.0f}s"
                ) from exc
        else:
            n = self.workers or os.cpu_count() or 1
            kwargs: Dict[str, Any] = dict(
                n_workers=n,
                threads_per_worker=self.threads_per_worker,
                processes=self.processes,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            kwargs.update(self.cluster_kwargs)
            self.cluster = LocalCluster(**kwargs)
            self.client = Client(self.cluster, timeout=self.timeout)
        return self

    def close(self) -> None:
        """Disconnect; shut down the cluster if this engine started it."""
        client, cluster = self.client, self.cluster
        self.client = self.cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> "DaskEngine":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def warm(self) -> int:
        """Have every worker build its pipeline now (one task per worker, run in the
        workers' task threads); return the number of workers warmed. Optional: a
        worker otherwise builds its pipeline on its first batch."""
        self.start()
        workers = list(self.client.scheduler_info(n_workers=-1)["workers"])
        futures = [
            self.client.submit(
                warm_pipeline, self.spec, workers=[w], allow_other_workers=False, pure=False
            )
            for w in workers
        ]
        for fut in futures:
            exc = fut.exception()
            if isinstance(exc, PipelineLoadError):
                raise EngineError(f"cannot build the pipeline on a Dask worker: {exc}")
            if exc is not None:
                raise exc
        return len(workers)

    def n_threads(self) -> int:
        """Worker threads in the cluster now."""
        info = (
            self.client.scheduler_info(n_workers=-1) if self.client is not None else {"workers": {}}
        )
        return sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())

    # -- the engine ------------------------------------------------------------------------
    def process(
        self,
        documents: Iterable[InputDocument],
        options: Optional[TagOptions] = None,
        **changes: Any,
    ) -> Iterator[Triple]:
        """Tag ``documents`` on the cluster; yield ``(document, record, error)`` as batches
        complete. ``options`` (:class:`~govnlp.engines.base.TagOptions`) go to every task
        (:func:`tag_batch`)."""
        from distributed import as_completed

        self.start()
        client = self.client
        options = tag_options(options, **changes)
        batch_size = max(1, int(options.batch_size))
        limit = self.max_pending or max(2, 2 * self.n_threads())
        pending: Dict[Any, List[InputDocument]] = {}
        done = as_completed()

        def submit(batch: List[InputDocument]) -> None:
            fut = client.submit(tag_batch, self.spec, batch, options, pure=False)
            pending[fut] = batch
            done.add(fut)

        def collect() -> Iterator[Triple]:
            fut = next(done)
            batch = pending.pop(fut)
            if fut.status == "finished":
                results = fut.result()
                fut.release()
                seen = set()
                for pos, record, error_type, message in results:
                    seen.add(pos)
                    d = batch[pos]
                    if error_type is None:
                        yield d, record, None
                    else:
                        yield d, None, remote_error(error_type, message or "")
                for pos in sorted(set(range(len(batch))) - seen):  # never drop a document silently
                    yield (
                        batch[pos],
                        None,
                        RuntimeError("the worker returned no result for this document"),
                    )
                return
            exc = fut.exception()
            fut.release()
            if isinstance(exc, PipelineLoadError):
                raise EngineError(f"cannot build the pipeline on a Dask worker: {exc}")
            if len(batch) > 1:  # isolate the document that broke the task
                for d in batch:
                    submit([d])
            else:
                yield (
                    batch[0],
                    None,
                    exc if isinstance(exc, BaseException) else RuntimeError(str(exc)),
                )

        try:
            batch: List[InputDocument] = []
            for d in documents:
                if d.error is not None:
                    yield d, None, d.error
                    continue
                batch.append(d)
                if len(batch) >= batch_size:
                    submit(batch)
                    batch = []
                    while len(pending) >= limit:
                        yield from collect()
            if batch:
                submit(batch)
            while pending:
                yield from collect()
        finally:
            if pending:
                client.cancel(list(pending))
                pending.clear()


__all__ = [
    "warm_pipeline",
    "cached_pipelines",
    "DaskEngine",
    "DocumentTimeout",
    "EngineError",
    "PipelineLoadError",
    "RemoteDocumentError",
    "remote_error",
    "tag_batch",
    "worker_pipeline",
]
