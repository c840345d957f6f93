"""Bulk tagging: documents in, JSONL records out, bad documents reported and skipped.

>>> import govnlp, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
>>> stats = tag_paths(govnlp.load(segmenter="char"), ["corpora/samples"], out)   # doctest: +SKIP
>>> stats.documents                                                               # doctest: +SKIP
5
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc

from .io import (
    DEFAULT_MAX_CHARS,
    AtomicJsonlWriter,
    DocumentError,
    InputDocument,
    count_documents,
    iter_documents,
)
from .io.tables import table_paths
from .records import doc_to_record, record_counts

log = logging.getLogger(__name__)

#: Default per-document time budget of bulk runs, in seconds (``--doc-timeout``; 0: none).
DEFAULT_DOC_TIMEOUT = 120.0

#: ``nlp.max_length`` when there is no ``max_chars`` limit (spaCy refuses longer texts).
NO_LIMIT_LENGTH = 2**62


@dataclass
class TagStats:
    """What a run did."""

    documents: int = 0
    skipped_done: int = 0
    errors: int = 0
    items: int = 0
    work_items: int = 0
    targets: int = 0
    units: int = 0
    characters: int = 0
    seconds: float = 0.0
    error_types: Dict[str, int] = field(default_factory=dict)
    moved_aside: List[Path] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def chars_per_second(self) -> float:
        return self.characters / self.seconds if self.seconds else 0.0


def default_errors_path(out: Union[str, Path]) -> Path:
    """``out.jsonl`` → ``out.errors.jsonl``."""
    out = Path(out)
    stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(stem + ".errors.jsonl")


def tag_paths(
    nlp: Optional[Language],
    inputs: Sequence[Union[str, Path]],
    out: Union[str, Path],
    *,
    errors_path: Optional[Union[str, Path]] = None,
    include: Optional[Sequence[str]] = None,
    exclude: Optional[Sequence[str]] = None,
    include_text: bool = True,
    batch_size: int = 16,
    n_process: int = 1,
    resume: bool = False,
    progress: bool = False,
    engine: Optional[Any] = None,
    id_column: str = "id",
    text_column: str = "text",
    meta_columns: Optional[Sequence[str]] = None,
    max_chars: Optional[int] = DEFAULT_MAX_CHARS,
    doc_timeout: Optional[float] = DEFAULT_DOC_TIMEOUT,
) -> TagStats:
    """Tag every document under ``inputs`` into ``out`` (JSONL), errors into ``errors_path``.

    ``engine`` runs the pipeline elsewhere (a :mod:`govnlp.engines` engine, e.g.
    ``DaskEngine``; ``nlp`` may then be None); reading, skipping documents
    already done, writing and statistics are the same for every engine.

    Inputs are read by :func:`govnlp.io.iter_documents` (text, HTML, .docx, JSONL/CSV/Parquet
    tables; ``id_column``/``text_column``/``meta_columns`` for tables; documents longer than
    ``max_chars`` are reported as ``DocumentTooLarge``; ``None`` or ``0``: no limit, in every
    engine). Metadata read from the input (a
    page's 发布机构, a table's ``title`` column) is merged into the record's ``meta``.
    With ``resume``, documents already in ``out`` (or ``out.partial``) are skipped and
    documents that failed before are tried again: the errors file is rewritten, so it
    always lists each failed document once. Without ``resume``, the unfinished output of an
    interrupted run is moved aside (``out.jsonl.partial.interrupted-<time>``, logged and listed
    in ``stats.moved_aside``), never deleted.

    A document that takes longer than ``doc_timeout`` seconds (``None`` or ``0``: no budget)
    is stopped and reported as ``DocumentTimeout``; a worker process that dies has its
    document reported as ``WorkerDied``; the run goes on (see :mod:`govnlp.engines.pool`).
    With the local engine, a budget or ``n_process > 1`` runs the pipeline in forked worker
    processes; ``doc_timeout=0`` and ``n_process=1`` run it in this process, as before.
    """
    errors_path = Path(errors_path) if errors_path else default_errors_path(out)
    stats = TagStats()
    start = time.perf_counter()
    max_chars = max_chars or None  # 0: no limit
    doc_timeout = doc_timeout or None
    saved_length = nlp.max_length if nlp is not None else None
    if nlp is not None:
        nlp.max_length = pipeline_max_length(max_chars, nlp.max_length)
    if not resume:
        for path in (Path(out), errors_path):
            moved = move_aside_partial(path)
            if moved is not None:
                stats.moved_aside.append(moved)
                log.warning(
                    "govnlp tag: %s.partial, the unfinished output of an earlier run, was moved to %s "
                    "(use --resume to continue a run instead)",
                    path,
                    moved,
                )
    try:
        _run(
            nlp,
            inputs,
            out,
            errors_path,
            stats,
            include=include,
            exclude=exclude,
            include_text=include_text,
            batch_size=batch_size,
            n_process=n_process,
            resume=resume,
            progress=progress,
            engine=engine,
            id_column=id_column,
            text_column=text_column,
            meta_columns=meta_columns,
            max_chars=max_chars,
            doc_timeout=doc_timeout,
        )
    finally:
        if nlp is not None:
            nlp.max_length = saved_length
    stats.seconds = time.perf_counter() - start
    return stats


def pipeline_max_length(max_chars: Optional[int], current: int) -> int:
    """The ``nlp.max_length`` a run with ``max_chars`` needs (spaCy refuses longer texts).

    >>> pipeline_max_length(None, 1_000_000) > 10**12, pipeline_max_length(2_000_000, 1_000_000)
    (True, 2000000)
    >>> pipeline_max_length(500, 1_000_000)
    1000000
    """
    if not max_chars:
        return NO_LIMIT_LENGTH
    return max(int(max_chars), current)


def move_aside_partial(out: Union[str, Path], now: Optional[float] = None) -> Optional[Path]:
    """Rename ``out.partial`` (left by an interrupted run) to ``out.partial.interrupted-<UTC time>``
    and return the new path; None when there is no such file or it is empty (then removed).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> _ = (out.parent / "out.jsonl.partial").write_text('{"doc_id": "a"}\\n')
    >>> move_aside_partial(out, now=0).name
    'out.jsonl.partial.interrupted-19700101T000000Z'
    >>> move_aside_partial(out) is None
    True
    """
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    try:
        if partial.stat().st_size == 0:
            partial.unlink()
            return None
    except FileNotFoundError:
        return None
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    target = partial.with_name(f"{partial.name}.interrupted-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = partial.with_name(f"{partial.name}.interrupted-{stamp}-{n}")
    partial.rename(target)
    return target


def _run(
    nlp: Optional[Language],
    inputs: Sequence[Union[str, Path]],
    out: Union[str, Path],
    errors_path: Path,
    stats: TagStats,
    *,
    include: Optional[Sequence[str]],
    exclude: Optional[Sequence[str]],
    include_text: bool,
    batch_size: int,
    n_process: int,
    resume: bool,
    progress: bool,
    engine: Optional[Any],
    id_column: str,
    text_column: str,
    meta_columns: Optional[Sequence[str]],
    max_chars: Optional[int],
    doc_timeout: Optional[float],
) -> None:
    with AtomicJsonlWriter(out, resume=resume) as writer, AtomicJsonlWriter(errors_path) as errors:
        done = writer.done
        own = [writer.path, writer.partial, errors.path, errors.partial]
        own += [p for fmt in ("parquet", "csv") for p in table_paths(out, None, fmt).values()]
        read_opts = dict(include=include, exclude=exclude, skip_paths=own)
        documents = iter_documents(
            inputs,
            id_column=id_column,
            text_column=text_column,
            meta_columns=meta_columns,
            max_chars=max_chars,
            **read_opts,
        )
        pending = _skip_done(documents, done, stats)
        bar = _progress(
            progress,
            max(count_documents(inputs, **read_opts)[0] - len(done), 0) if progress else None,
        )
        if engine is not None:
            results = engine.process(
                pending,
                batch_size=batch_size,
                include_text=include_text,
                doc_timeout=doc_timeout,
                max_chars=max_chars,
            )
        else:
            results = local_results(
                nlp,
                pending,
                batch_size=batch_size,
                n_process=n_process,
                include_text=include_text,
                doc_timeout=doc_timeout,
            )
        try:
            for doc_in, record, exc in results:
                if exc is not None:
                    stats.errors += 1
                    name = type(exc).__name__
                    stats.error_types[name] = stats.error_types.get(name, 0) + 1
                    errors.write({"doc_id": doc_in.doc_id, "error_type": name, "message": str(exc)})
                else:
                    _merge_meta(record, doc_in.meta)
                    writer.write(record)
                    _count(stats, record, doc_in)
                if bar is not None:
                    bar.update(1)
        finally:  # whatever ends the loop, worker processes end now (not when the traceback is freed)
            close = getattr(results, "close", None)
            if close is not None:
                close()
        if bar is not None:
            bar.total = bar.n  # the count was an estimate (CSV rows, documents done before)
            bar.close()


def tag_documents(
    nlp: Language,
    inputs: Sequence[Union[str, Path]],
    *,
    include: Optional[Sequence[str]] = None,
    exclude: Optional[Sequence[str]] = None,
    on_error: Optional[Callable[[InputDocument], None]] = None,
    batch_size: int = 16,
) -> Iterator[Tuple[Dict[str, Any], Doc]]:
    """``(record, doc)`` for every readable document under ``inputs``, in memory.

    For tools that want the ``Doc`` too (the HTML report, annotation export);
    bulk runs use :func:`tag_paths`. An unreadable document is passed to
    ``on_error`` (its ``error`` says why) and skipped.
    """

    def readable() -> Iterator[Tuple[str, InputDocument]]:
        for d in iter_documents(inputs, include=include, exclude=exclude):
            if d.error is not None:
                if on_error is not None:
                    on_error(d)
                continue
            yield d.text, d

    inputs_ = ((pipeline_input(nlp, text, d.meta), d) for text, d in readable())
    for doc, d in nlp.pipe(inputs_, as_tuples=True, batch_size=batch_size):
        record = doc_to_record(doc, d.doc_id)
        _merge_meta(record, d.meta)
        yield record, doc


class DuplicateDocument(DocumentError):
    """A second document with a ``doc_id`` already tagged in this run (ids must be unique)."""


def _skip_done(
    documents: Iterable[InputDocument], done: set, stats: TagStats
) -> Iterator[InputDocument]:
    seen: set = set()
    for d in documents:
        if d.doc_id in done:
            stats.skipped_done += 1
            continue
        if d.doc_id in seen:
            yield InputDocument(
                d.doc_id,
                error=DuplicateDocument(
                    f"doc_id {d.doc_id!r} already used by another document of this run ({d.source or 'input'} skipped)"
                ),
            )
            continue
        seen.add(d.doc_id)
        yield d


#: Input metadata never replaces these record fields (the pipeline owns them); the input
#: value is kept as ``<key>_input``.
PIPELINE_META = ("region",)


def pipeline_input(nlp: Language, text: str, meta: Optional[Dict[str, Any]] = None) -> Any:
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
    from .units.region import region_metadata

    hints = region_metadata(meta)
    if not hints:
        return text
    doc = nlp.make_doc(text)
    doc._.input_meta = hints
    return doc


def _merge_meta(record: Dict[str, Any], meta: Optional[Dict[str, Any]]) -> None:
    """Merge input metadata into the record's ``meta`` (the region was resolved in the
    pipeline, from the text and this metadata: see :func:`pipeline_input`; an input
    ``region`` value is kept as ``region_input``)."""
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


def _progress(enabled: bool, total: Optional[int] = None) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def _count(stats: TagStats, record: Dict[str, Any], doc_in: InputDocument) -> None:
    stats.documents += 1
    stats.characters += len(doc_in.text or "")
    for key, n in record_counts(record).items():
        setattr(stats, key, getattr(stats, key) + n)


def local_results(
    nlp: Language,
    documents: Iterable[InputDocument],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    include_text: bool = True,
    doc_timeout: Optional[float] = DEFAULT_DOC_TIMEOUT,
) -> Iterator[Tuple[InputDocument, Optional[Dict[str, Any]], Optional[BaseException]]]:
    """The local engine: ``(document, record, error)`` per document, in input order.

    With a ``doc_timeout`` or ``n_process > 1`` (``-1``: one per core) the pipeline runs in
    forked worker processes (:class:`govnlp.engines.pool.WorkerPool`: a slow document is
    stopped, a dead worker replaced); otherwise, or where processes cannot be forked, in
    this process (batches through ``nlp.pipe``).

    >>> import govnlp; from govnlp.io import InputDocument
    >>> docs = [InputDocument("a", "一、抓投资。")]
    >>> [(d.doc_id, exc) for d, rec, exc in local_results(govnlp.load(segmenter="char"), docs)]  # doctest: +SKIP
    [('a', None)]
    """
    from .engines.pool import WorkerPool, fork_available

    if n_process is not None and n_process < 0:
        n_process = os.cpu_count() or 1
    n_process = max(1, int(n_process or 1))
    if (doc_timeout or n_process > 1) and fork_available():
        pool = WorkerPool(_tagger(nlp, include_text), n_process=n_process, doc_timeout=doc_timeout)
        return pool.process(documents)
    if doc_timeout:  # pragma: no cover - no fork (Windows)
        log.warning(
            "govnlp tag: --doc-timeout needs forked worker processes, not available here; no time budget"
        )
    return _process(
        nlp, documents, batch_size=batch_size, n_process=n_process, include_text=include_text
    )


def _tagger(nlp: Language, include_text: bool) -> Callable[..., Dict[str, Any]]:
    """What a pool worker runs per document: ``tag_one(doc_id, text, meta=None)``."""

    def tag_one(doc_id: str, text: str, meta: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        return doc_to_record(
            nlp(pipeline_input(nlp, text, meta)), doc_id, include_text=include_text
        )

    return tag_one


def _process(
    nlp: Language,
    documents: Iterable[InputDocument],
    *,
    batch_size: int,
    n_process: int,
    include_text: bool,
) -> Iterator[Tuple[InputDocument, Optional[Dict[str, Any]], Optional[BaseException]]]:
    """Run the pipeline over readable documents in batches; isolate failures per document."""
    batch: List[InputDocument] = []

    def flush(
        batch: List[InputDocument],
    ) -> Iterator[Tuple[InputDocument, Optional[Dict[str, Any]], Optional[BaseException]]]:
        try:
            # plain texts, not as_tuples: with as_tuples spaCy tokenizes in this process
            # and only the components would run in the n_process workers (a document whose
            # metadata names its county is a Doc made here: see pipeline_input)
            texts = (pipeline_input(nlp, d.text, d.meta) for d in batch)
            docs = list(zip(nlp.pipe(texts, batch_size=batch_size, n_process=n_process), batch))
        except Exception:  # one bad document: redo the batch one by one
            for d in batch:
                try:
                    doc = nlp(pipeline_input(nlp, d.text, d.meta))
                    yield d, doc_to_record(doc, d.doc_id, include_text=include_text), None
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    yield d, None, exc
            return
        for doc, d in docs:
            try:
                yield d, doc_to_record(doc, d.doc_id, include_text=include_text), None
            except Exception as exc:  # noqa: BLE001
                yield d, None, exc

    chunk = max(batch_size * max(n_process, 1) * 4, batch_size)
    for d in documents:
        if d.error is not None:
            yield d, None, d.error
            continue
        batch.append(d)
        if len(batch) >= chunk:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)
