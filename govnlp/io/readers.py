"""Input documents: files, directories and tables, streamed one document at a time.

Supported inputs (by extension, case-insensitive):

- plain text ``.txt .text .md`` — UTF-8 (with or without BOM), UTF-16 (with or without
  BOM), UTF-32 with BOM, GB18030/GBK/GB2312, Big5, else the encoding is detected by
  charset-normalizer (:mod:`govnlp.io.encoding`; ``meta`` says which encoding, and how sure);
- web pages ``.html .htm .shtml .xhtml`` — main content only; the page's metadata table
  (索引号, 发布机构, 成文日期, 发文字号, 主题分类, 标题…) becomes ``meta``
  (:mod:`govnlp.io.html_reader`);
- Word ``.docx`` — paragraphs and table cells in document order (:mod:`govnlp.io.docx_reader`);
- tables ``.jsonl .ndjson .csv .parquet`` — one document per row, with an id column, a text
  column and optional meta columns (:mod:`govnlp.io.tabular`), streamed row by row.

:func:`iter_documents` is a generator: it never holds more than one document (or one
Parquet batch) in memory. A document that cannot be read is yielded with ``error`` set
(a :class:`DocumentError` subclass whose name says what went wrong), so the caller
reports it and goes on.

>>> from pathlib import Path
>>> docs = list(iter_documents([Path("corpora/samples")]))     # doctest: +SKIP
>>> docs[0].doc_id                                               # doctest: +SKIP
'000_1b6371df3f24c22f.txt'
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any, Collection, Dict, Iterator, Optional, Sequence, Tuple

from .documents import (  # re-exported: the readers' shared names live in .documents
    DEFAULT_MAX_CHARS,
    TOLERATED_UTF8_ERRORS,
    BinaryDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    InputDocument,
    MalformedDocument,
    PathLike,
    UndecodableDocument,
    UnreadableDocument,
    check_length,
    decode_bytes,
    json_safe,
    normalise_encoding,
    read_bytes,
    sniff_binary,
)
from .unicode_safety import NOTES_KEY, repair

#: Extensions read as plain text.
TEXT_SUFFIXES = (".txt", ".text", ".md")
#: Extensions read as web pages.
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: Extensions read as Word documents.
DOCX_SUFFIXES = (".docx",)
#: Extensions read as tables: one document per row.
TABULAR_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
#: Every supported extension (the default ``include``).
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES + TABULAR_SUFFIXES

#: Files never picked up when walking a directory (Word lock files, editor back-ups).
DEFAULT_EXCLUDE = ("~$*", ".~lock.*", "*~", ".*")


def read_text_file(
    path: PathLike, max_bytes: Optional[int] = None, *, max_chars: Optional[int] = None
) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else detected.

    Detection of legacy encodings (GB18030/GBK, Big5…) uses charset-normalizer.
    Newlines are universal (``\\r\\n`` and ``\\r`` become ``\\n``), exactly as
    ``open(path, encoding=…)`` reads them, which is what offsets refer to.
    Raises :class:`DocumentError` for empty, binary, undecodable or too large files.
    """
    return _read_text(Path(path), max_bytes=max_bytes, max_chars=max_chars)[0]


def _read_text(
    path: Path, *, max_bytes: Optional[int] = None, max_chars: Optional[int] = None
) -> Tuple[str, Dict[str, Any]]:
    if max_bytes is None and max_chars is not None:
        max_bytes = 4 * max_chars  # no supported encoding needs more than 4 bytes a character
    raw = read_bytes(path, max_bytes)
    text, facts = decode_bytes(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return check_length(text, max_chars), facts


# -- walking ------------------------------------------------------------------------------


def kind_of(path: PathLike) -> str:
    """``text``, ``html``, ``docx`` or ``tabular`` by extension (unknown → ``text``)."""
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in TABULAR_SUFFIXES:
        return "tabular"
    return "text"


def iter_files(
    inputs: Sequence[PathLike],
    *,
    include: Optional[Sequence[str]] = None,
    exclude: Optional[Sequence[str]] = None,
    skip_paths: Collection[PathLike] = (),
    root_ids: bool = True,
) -> Iterator[Tuple[Path, str]]:
    """``(path, id)`` for every input file, in a stable order (directories walked sorted).

    A file named directly is always taken (its type by extension); in directories, files
    must match an ``include`` glob (default: every supported extension) and no ``exclude``
    glob (plus :data:`DEFAULT_EXCLUDE`). Globs match the path relative to the directory or
    the file name. ``skip_paths`` (the run's own output files) are never taken. A missing
    input is yielded too; reading it reports the error. Symbolic links to directories are
    followed; a link back into a directory being walked (a loop), a second link to one
    already walked, and a directory that cannot be listed are not yielded here —
    :func:`iter_documents` reports each as one error document.
    """
    for path, doc_id, error in _iter_entries(
        inputs, include=include, exclude=exclude, skip_paths=skip_paths, root_ids=root_ids
    ):
        if error is None:
            yield path, doc_id


def _iter_entries(
    inputs: Sequence[PathLike],
    *,
    include: Optional[Sequence[str]] = None,
    exclude: Optional[Sequence[str]] = None,
    skip_paths: Collection[PathLike] = (),
    root_ids: bool = True,
) -> Iterator[Tuple[Path, str, Optional[DocumentError]]]:
    """:func:`iter_files` with the directories that could not be walked as
    ``(path, id + "/", error)``."""
    skip = {os.path.abspath(p) for p in skip_paths}
    exclude = list(exclude or []) + list(DEFAULT_EXCLUDE)
    for inp in inputs:
        base = Path(inp)
        if base.is_dir():
            for path, error in _walk(base):
                rel = path.relative_to(base).as_posix()
                if error is not None:
                    if rel == ".":
                        rel = base.name
                    if not _matches(rel, path.name, exclude):
                        yield path, (rel if root_ids else str(path)) + "/", error
                    continue
                if os.path.abspath(path) in skip:
                    continue
                if include:
                    if not _matches(rel, path.name, include):
                        continue
                elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if _matches(rel, path.name, exclude):
                    continue
                yield path, (rel if root_ids else str(path)), None
        else:
            if os.path.abspath(base) in skip:
                continue
            yield base, (base.name if root_ids else str(base)), None


def _matches(rel: str, name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(name, pat) for pat in patterns)


class SymlinkNotFollowed(UnreadableDocument):
    """A symbolic link to a directory that is not followed, so that no document is read
    twice or forever: it points inside the input (its documents are read under their own
    path), to a directory holding the input or the link (a loop), or to one already walked
    through another link."""


def _walk(base: Path) -> Iterator[Tuple[Path, Optional[DocumentError]]]:
    """Files under ``base`` in ``os.walk`` order (files of a directory sorted, then its
    sub-directories sorted, depth first), following symbolic links to directories outside
    ``base``.

    Yields ``(file, None)``, or ``(directory, error)`` for a directory that is not walked:
    one that cannot be listed (:class:`UnreadableDocument`), a link not followed
    (:class:`SymlinkNotFollowed`). Iterative: no recursion limit on depth.
    """
    real_base = os.path.realpath(base)
    seen: Dict[Tuple[int, int], str] = {}
    stack: list = [(str(base), real_base)]
    while stack:
        top, real_top = stack.pop()
        try:
            st = os.stat(top)
            seen.setdefault((st.st_dev, st.st_ino), top)
            with os.scandir(top) as it:
                entries = list(it)
        except OSError as exc:
            yield Path(top), UnreadableDocument(f"cannot read directory: {exc.strerror or exc}")
            continue
        dirs: list = []
        files: list = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry)
        for entry in sorted(files, key=lambda e: e.name):
            yield Path(top) / entry.name, None
        todo = []
        for entry in sorted(dirs, key=lambda e: e.name):
            path = os.path.join(top, entry.name)
            try:
                link = entry.is_symlink()
            except OSError:
                link = False
            if not link:
                todo.append((path, os.path.join(real_top, entry.name)))
                continue
            why = _unfollowed_link(path, real_top, real_base, seen)
            if why:
                yield (
                    Path(path),
                    SymlinkNotFollowed(f"symbolic link to a directory not followed: {why}"),
                )
                continue
            st = os.stat(path)
            seen[(st.st_dev, st.st_ino)] = path  # a second link to it, even in this directory
            todo.append((path, os.path.realpath(path)))
        stack.extend(reversed(todo))


def _unfollowed_link(
    path: str, real_parent: str, real_base: str, seen: Dict[Tuple[int, int], str]
) -> Optional[str]:
    """Why the directory link ``path`` is not followed, or None to follow it."""
    target = os.path.realpath(path)

    def within(a: str, b: str) -> bool:  # a is b or inside it
        return a == b or a.startswith(b.rstrip(os.sep) + os.sep)

    if within(real_parent, target) or within(real_base, target):
        return "it points to a directory that holds it (a loop)"
    if within(target, real_base):
        rel = os.path.relpath(target, real_base)
        return (
            f"it points inside the input, whose documents are read as {rel!r}"
            if rel != "."
            else "a loop"
        )
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    first = seen.get((st.st_dev, st.st_ino))
    if first is not None:
        return f"its directory is read already through {os.path.basename(first)!r}"
    return None


def iter_documents(
    inputs: Sequence[PathLike],
    *,
    include: Optional[Sequence[str]] = None,
    exclude: Optional[Sequence[str]] = None,
    root_ids: bool = True,
    id_column: str = "id",
    text_column: str = "text",
    meta_columns: Optional[Sequence[str]] = None,
    max_chars: Optional[int] = DEFAULT_MAX_CHARS,
    skip_paths: Collection[PathLike] = (),
) -> Iterator[InputDocument]:
    """Yield documents from files, directories (recursively) and tables, in a stable order.

    ``doc_id`` is the path relative to the input directory it was found in (or the file
    name for a file given directly); a table row's ``doc_id`` is its ``id_column`` value,
    or ``<file>:<row>`` when it has none (row = line number for JSONL, spreadsheet row
    number for CSV — the header is row 1 —, 1-based row number for Parquet). Unreadable
    documents are yielded with ``error`` set, so that the caller can report them and go on.
    """
    for path, doc_id, error in _iter_entries(
        inputs, include=include, exclude=exclude, skip_paths=skip_paths, root_ids=root_ids
    ):
        doc_id, id_notes = _safe_id(doc_id)
        if error is not None:
            yield InputDocument(doc_id, error=error, source=str(path))
            continue
        kind = kind_of(path)
        if kind == "tabular" and path.is_file():
            from .tabular import iter_rows

            yield from iter_rows(
                path,
                doc_id,
                id_column=id_column,
                text_column=text_column,
                meta_columns=meta_columns,
                max_chars=max_chars,
            )
        else:
            doc = load_document(path, doc_id, kind=kind, max_chars=max_chars)
            if id_notes:
                doc.meta.setdefault(NOTES_KEY, []).extend(id_notes)
            yield doc


def _safe_id(doc_id: str) -> Tuple[str, list]:
    """A ``doc_id`` that can be written: a file name with non-UTF-8 bytes (a GBK name from a
    Windows zip) becomes its GB18030 reading, or ``\\xNN`` escapes; the note keeps the
    original bytes (:func:`govnlp.io.unicode_safety.repair`)."""
    fixed, note = repair(doc_id)
    return fixed, ([{**note, "field": "doc_id"}] if note else [])


def load_document(
    path: Path,
    doc_id: str,
    *,
    kind: Optional[str] = None,
    max_chars: Optional[int] = DEFAULT_MAX_CHARS,
) -> InputDocument:
    """Read one (non-tabular) file into an :class:`InputDocument`, errors captured."""
    kind = kind or kind_of(path)
    try:
        if not path.exists():
            if path.is_symlink():
                raise UnreadableDocument("cannot read file: broken symbolic link")
            raise UnreadableDocument("no such file or directory")
        if kind == "html":
            from .html_reader import read_html_file

            text, meta = read_html_file(path, max_chars=max_chars)
        elif kind == "docx":
            from .docx_reader import read_docx_file

            text, meta = read_docx_file(path, max_chars=max_chars)
        else:
            text, meta = _read_text(path, max_chars=max_chars)
        return InputDocument(doc_id, text, meta=meta, source=str(path))
    except DocumentError as exc:
        return InputDocument(doc_id, error=exc, source=str(path))
    except RecursionError:  # a parser library recursing per level of a deeply nested file
        return InputDocument(
            doc_id, error=MalformedDocument("nested too deeply to read"), source=str(path)
        )


def count_documents(
    inputs: Sequence[PathLike],
    *,
    include: Optional[Sequence[str]] = None,
    exclude: Optional[Sequence[str]] = None,
    skip_paths: Collection[PathLike] = (),
) -> Tuple[int, bool]:
    """How many documents :func:`iter_documents` will yield, cheaply: ``(count, exact)``.

    One per file; a JSONL file counts its non-blank lines, a Parquet file reads its row
    count from the footer, a CSV file counts its lines minus the header (an estimate:
    quoted fields may span lines, so ``exact`` is then False).
    """
    total, exact = 0, True
    for path, _, error in _iter_entries(
        inputs, include=include, exclude=exclude, skip_paths=skip_paths
    ):
        if error is not None or kind_of(path) != "tabular" or not path.is_file():
            total += 1
            continue
        suffix = path.suffix.lower()
        try:
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            elif suffix == ".csv":
                total += max(_count_lines(path) - 1, 0)
                exact = False
            else:
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
        except Exception:  # noqa: BLE001 - a count is only an estimate; reading will report it
            total += 1
            exact = False
    return total, exact


def _count_lines(path: Path) -> int:
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


__all__ = [
    "BinaryDocument",
    "DEFAULT_MAX_CHARS",
    "DocumentError",
    "DocumentTooLarge",
    "EmptyDocument",
    "InputDocument",
    "MalformedDocument",
    "PathLike",
    "SUPPORTED_SUFFIXES",
    "SymlinkNotFollowed",
    "TOLERATED_UTF8_ERRORS",
    "UndecodableDocument",
    "UnreadableDocument",
    "check_length",
    "count_documents",
    "decode_bytes",
    "iter_documents",
    "iter_files",
    "json_safe",
    "load_document",
    "normalise_encoding",
    "read_bytes",
    "read_text_file",
    "sniff_binary",
]
