"""Bulk tagging: documents in, JSONL records out, bad documents reported and skipped.

>>> import govnlp, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
>>> stats = tag_paths(govnlp.load(segmenter="char"), ["corpora/samples"], out)   # doctest: +SKIP
>>> stats.documents                                                               # doctest: +SKIP
5
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language

from .io import AtomicJsonlWriter, InputDocument, iter_documents
from .records import doc_to_record


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
    nlp: Language,
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
) -> TagStats:
    """Tag every document under ``inputs`` into ``out`` (JSONL), errors into ``errors_path``."""
    errors_path = Path(errors_path) if errors_path else default_errors_path(out)
    stats = TagStats()
    start = time.perf_counter()
    with AtomicJsonlWriter(out, resume=resume) as writer, AtomicJsonlWriter(errors_path, resume=resume) as errors:
        done = writer.done
        documents = iter_documents(inputs, include=include, exclude=exclude)
        pending = _skip_done(documents, done, stats)
        bar = _progress(progress)
        for doc_in, record, exc in _process(nlp, pending, batch_size=batch_size, n_process=n_process, include_text=include_text):
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
        if bar is not None:
            bar.close()
    stats.seconds = time.perf_counter() - start
    return stats


def _skip_done(documents: Iterable[InputDocument], done: set, stats: TagStats) -> Iterator[InputDocument]:
    for d in documents:
        if d.doc_id in done:
            stats.skipped_done += 1
            continue
        yield d


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def _count(stats: TagStats, record: Dict[str, Any], doc_in: InputDocument) -> None:
    stats.documents += 1
    stats.characters += len(doc_in.text or "")
    for it in record["items"]:
        stats.items += 1
        stats.work_items += bool(it.get("leaf"))
        stats.targets += len(it.get("targets") or [])
        stats.units += len(it.get("units") or [])


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

    def flush(batch: List[InputDocument]) -> Iterator[Tuple[InputDocument, Optional[Dict[str, Any]], Optional[BaseException]]]:
        try:
            docs = list(nlp.pipe(((d.text, d) for d in batch), as_tuples=True, batch_size=batch_size, n_process=n_process))
        except Exception:  # one bad document: redo the batch one by one
            for d in batch:
                try:
                    yield d, doc_to_record(nlp(d.text), d.doc_id, include_text=include_text), None
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
