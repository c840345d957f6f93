"""Bulk tagging: documents in, JSONL records out, bad documents reported and skipped.

This module only wires the three steps of a run together: reading
(:class:`~govnlp.io.options.ReadOptions`), an engine that tags the documents
(:mod:`govnlp.engines`: :class:`~govnlp.engines.local.LocalEngine` or
:class:`~govnlp.engines.dask.DaskEngine`, options in
:class:`~govnlp.engines.base.TagOptions`), and writing (the atomic output and errors files,
``--resume``, statistics), which is the same for every engine.

>>> import govnlp, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
>>> stats = tag_paths(govnlp.load(segmenter="char"), ["corpora/samples"], out)   # doctest: +SKIP
>>> stats.documents                                                               # doctest: +SKIP
5
>>> read = ReadOptions(include=["*.csv"], text_column="body")
>>> stats = tag_paths(
...     nlp, ["tables/"], out, read=read, options=TagOptions(include_text=False)
... )  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc

from .engines.base import DEFAULT_DOC_TIMEOUT, Engine, TagOptions
from .engines.document import PIPELINE_META, DocumentTagger, pipeline_input
from .engines.local import LocalEngine
from .io import AtomicJsonlWriter, DocumentError, InputDocument
from .io.options import ReadOptions
from .io.tables import table_paths
from .records import record_counts

log = logging.getLogger(__name__)

_READ_KEYS = {f.name for f in fields(ReadOptions)}
_TAG_KEYS = {f.name for f in fields(TagOptions)}


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


def split_options(
    read: Optional[ReadOptions] = None,
    options: Optional[TagOptions] = None,
    keywords: Optional[Dict[str, Any]] = None,
) -> Tuple[ReadOptions, TagOptions]:
    """``read`` and ``options`` with the keyword arguments of the functions' older,
    flat signatures (``include=``, ``text_column=``, ``batch_size=``…) applied on top.

    >>> r, t = split_options(keywords={"text_column": "body", "batch_size": 4})
    >>> r.text_column, t.batch_size
    ('body', 4)
    """
    keywords = dict(keywords or {})
    unknown = set(keywords) - (_READ_KEYS | _TAG_KEYS)
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    read = replace(read or ReadOptions(), **{k: v for k, v in keywords.items() if k in _READ_KEYS})
    options = replace(
        options or TagOptions(), **{k: v for k, v in keywords.items() if k in _TAG_KEYS}
    )
    return read, options


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
    read: Optional[ReadOptions] = None,
    options: Optional[TagOptions] = None,
    engine: Optional[Engine] = None,
    n_process: int = 1,
    errors_path: Optional[Union[str, Path]] = None,
    resume: bool = False,
    progress: bool = False,
    **keywords: Any,
) -> TagStats:
    """Tag every document under ``inputs`` into ``out`` (JSONL), errors into ``errors_path``.

    ``read`` says which files are read and how (:class:`~govnlp.io.options.ReadOptions`:
    include/exclude globs, table columns, ``max_chars``); ``options`` how documents are
    tagged (:class:`~govnlp.engines.base.TagOptions`: ``include_text``, ``batch_size``,
    ``doc_timeout``). The fields of both may also be given as keywords, as before
    (``tag_paths(nlp, inputs, out, text_column="body", doc_timeout=0)``).

    ``engine`` runs the pipeline (a :mod:`govnlp.engines` engine, e.g. ``DaskEngine``;
    ``nlp`` may then be None); by default a :class:`~govnlp.engines.local.LocalEngine`
    of ``nlp`` with ``n_process`` processes. Reading, skipping documents already done,
    writing and statistics are the same for every engine.

    Inputs are read by :func:`govnlp.io.iter_documents` (text, HTML, .docx, JSONL/CSV/Parquet
    tables; documents longer than ``max_chars`` are reported as ``DocumentTooLarge``;
    ``None`` or ``0``: no limit, in every engine). Metadata read from the input (a
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
    processes; ``doc_timeout=0`` and ``n_process=1`` run it in this process.
    """
    read, options = split_options(read, options, keywords)
    if engine is None:
        engine = LocalEngine(nlp, n_process=n_process)
    errors_path = Path(errors_path) if errors_path else default_errors_path(out)
    stats = TagStats()
    start = time.perf_counter()
    if not resume:
        for path in (Path(out), errors_path):
            moved = move_aside_partial(path)
            if moved is not None:
                stats.moved_aside.append(moved)
                log.warning(
                    "govnlp tag: %s.partial, the unfinished output of an earlier run, was moved "
                    "to %s (use --resume to continue a run instead)",
                    path,
                    moved,
                )
    with AtomicJsonlWriter(out, resume=resume) as writer, AtomicJsonlWriter(errors_path) as errors:
        own = [writer.path, writer.partial, errors.path, errors.partial]
        own += [p for fmt in ("parquet", "csv") for p in table_paths(out, None, fmt).values()]
        pending = _skip_done(read.documents(inputs, skip_paths=own), writer.done, stats)
        bar = _progress(progress, read, inputs, own, len(writer.done))
        results = engine.process(pending, options)
        try:
            for doc_in, record, exc in results:
                if exc is not None:
                    stats.errors += 1
                    name = type(exc).__name__
                    stats.error_types[name] = stats.error_types.get(name, 0) + 1
                    errors.write({"doc_id": doc_in.doc_id, "error_type": name, "message": str(exc)})
                else:
                    writer.write(record)
                    _count(stats, record, doc_in)
                if bar is not None:
                    bar.update(1)
        finally:
            # whatever ends the loop, worker processes end now (not when the traceback is freed)
            close = getattr(results, "close", None)
            if close is not None:
                close()
        if bar is not None:
            bar.total = bar.n  # the count was an estimate (CSV rows, documents done before)
            bar.close()
    stats.seconds = time.perf_counter() - start
    return stats


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


def tag_documents(
    nlp: Language,
    inputs: Sequence[Union[str, Path]],
    *,
    read: Optional[ReadOptions] = None,
    on_error: Optional[Callable[[InputDocument], None]] = None,
    batch_size: int = 16,
    **keywords: Any,
) -> Iterator[Tuple[Dict[str, Any], Doc]]:
    """``(record, doc)`` for every readable document under ``inputs``, in memory.

    For tools that want the ``Doc`` too (the HTML report, annotation export);
    bulk runs use :func:`tag_paths`. ``read`` (or its fields as keywords, e.g.
    ``include=``, ``text_column=``) says what is read, as for :func:`tag_paths`; the
    records are those :func:`tag_paths` writes (with text). An unreadable document is
    passed to ``on_error`` (its ``error`` says why) and skipped.
    """
    unknown = set(keywords) - _READ_KEYS
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    read, _ = split_options(read, None, keywords)
    tagger = DocumentTagger(nlp)

    def readable() -> Iterator[Tuple[Any, InputDocument]]:
        for d in read.documents(inputs):
            if d.error is not None:
                if on_error is not None:
                    on_error(d)
                continue
            yield tagger.prepare(d), d

    saved = nlp.max_length
    try:
        for doc, d in nlp.pipe(readable(), as_tuples=True, batch_size=batch_size):
            yield tagger.record(doc, d), doc
    finally:
        nlp.max_length = saved


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
                    f"doc_id {d.doc_id!r} already used by another document of this run "
                    f"({d.source or 'input'} skipped)"
                ),
            )
            continue
        seen.add(d.doc_id)
        yield d


def _progress(
    enabled: bool, read: ReadOptions, inputs: Sequence[Any], own: Sequence[Path], done: int
) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    total = max(read.count(inputs, skip_paths=own)[0] - done, 0)
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
    """Compatibility wrapper: ``LocalEngine(nlp, n_process=n_process).process(documents,
    TagOptions(...))`` (:class:`govnlp.engines.local.LocalEngine`)."""
    options = TagOptions(include_text=include_text, batch_size=batch_size, doc_timeout=doc_timeout)
    return LocalEngine(nlp, n_process=n_process).process(documents, options)


__all__ = [
    "DEFAULT_DOC_TIMEOUT",
    "PIPELINE_META",
    "pipeline_input",
    "DuplicateDocument",
    "ReadOptions",
    "TagOptions",
    "TagStats",
    "default_errors_path",
    "local_results",
    "move_aside_partial",
    "split_options",
    "tag_documents",
    "tag_paths",
]
