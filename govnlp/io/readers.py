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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Dict, Iterable, Iterator, Optional, Sequence, Tuple, Union

from . import encoding as _encoding

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

#: Longest document tagged, in characters (spaCy's own default ``nlp.max_length``).
#: Longer documents are reported as ``DocumentTooLarge``; ``--max-chars`` changes it.
DEFAULT_MAX_CHARS = 1_000_000

PathLike = Union[str, Path]


class DocumentError(Exception):
    """A document that cannot be read; the run reports it and goes on."""


class UnreadableDocument(DocumentError):
    """The file cannot be opened or read (missing, a directory, a broken link, permissions)."""


class EmptyDocument(DocumentError):
    """The file, page or row has no text."""


class BinaryDocument(DocumentError):
    """The bytes are not text (an image, an archive, an executable…)."""


class UndecodableDocument(DocumentError):
    """The bytes are text in no encoding that fits."""


class DocumentTooLarge(DocumentError):
    """Longer than ``max_chars`` characters (or than the corresponding number of bytes)."""


class MalformedDocument(DocumentError):
    """A broken container: invalid JSON line, corrupt .docx, unreadable table."""


@dataclass
class InputDocument:
    """One document to tag: an id, its text (or the error that prevented reading it).

    ``meta`` holds metadata found in the input (a page's 发布机构, a table's ``title``
    column…); it is merged into the record's ``meta``. ``source`` is where the document
    came from (a path, or ``path:row``), for messages only.
    """

    doc_id: str
    text: Optional[str] = None
    meta: Dict[str, Any] = field(default_factory=dict)
    error: Optional[DocumentError] = None
    source: Optional[str] = None


# -- decoding -----------------------------------------------------------------------------

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (.docx/.xlsx?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 file (.doc/.xls?)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "ELF executable"),
    (b"PAR1", "Parquet file"),
)

#: At most this share of invalid UTF-8 bytes is replaced by U+FFFD (counted in
#: ``meta["decode_errors"]``) rather than rejecting a file that is otherwise UTF-8.
TOLERATED_UTF8_ERRORS = _encoding.TOLERATED_UTF8_ERRORS


def sniff_binary(raw: bytes) -> Optional[str]:
    """A description of the file type when ``raw`` is a known binary format, else None."""
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return what
    return None


normalise_encoding = _encoding.normalise_encoding


def decode_bytes(raw: bytes, declared: Optional[str] = None) -> Tuple[str, Dict[str, Any]]:
    """Decode ``raw``: BOM, UTF-8, the ``declared`` encoding, UTF-16 without BOM,
    nearly-UTF-8, GB18030/Big5, else detected (:func:`govnlp.io.encoding.detect`).

    Returns the text and a dict of decoding facts for ``meta``: ``encoding``,
    ``encoding_confidence`` (0–1; ``encoding_unsure: true`` below
    :data:`govnlp.io.encoding.UNSURE`) and ``decode_errors`` when a few invalid UTF-8
    bytes were replaced. Raises :class:`BinaryDocument` or :class:`UndecodableDocument`.

    >>> decode_bytes("一、抓投资。".encode("gbk"))[1]["encoding"]
    'gb18030'
    """
    bom = raw.startswith(tuple(b for b, _ in _encoding.BOMS))
    what = None if bom else sniff_binary(raw)
    if what:
        raise BinaryDocument(f"binary file ({what}), not text")
    try:
        found = _encoding.detect(raw, normalise_encoding(declared))
    except _encoding.EncodingError as exc:
        if exc.binary:
            raise BinaryDocument(f"binary file ({exc})") from exc
        raise UndecodableDocument(f"undecodable bytes: {exc}") from exc
    return found.text, found.facts()


def read_bytes(path: PathLike, max_bytes: Optional[int] = None, *, what: str = "file") -> bytes:
    """The bytes of ``path``; :class:`UnreadableDocument`, :class:`EmptyDocument` or
    :class:`DocumentTooLarge` (checked on the size, before reading) when they cannot be had."""
    p = Path(path)
    try:
        if p.is_dir():
            raise UnreadableDocument("cannot read file: it is a directory")
        size = p.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise DocumentTooLarge(
                f"{what} too large: {size:,} bytes, over the {max_bytes:,}-byte bound for a document "
                f"within --max-chars characters (raise --max-chars to tag it)"
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"cannot read file: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise EmptyDocument("empty file")
    return raw


def check_length(text: str, max_chars: Optional[int]) -> str:
    """``text`` unless it is empty or longer than ``max_chars``."""
    if not text.strip():
        raise EmptyDocument("no text")
    if max_chars is not None and len(text) > max_chars:
        raise DocumentTooLarge(
            f"document too large: {len(text):,} characters, more than --max-chars {max_chars:,}"
        )
    return text


def read_text_file(path: PathLike, max_bytes: Optional[int] = None, *, max_chars: Optional[int] = None) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else detected.

    Detection of legacy encodings (GB18030/GBK, Big5…) uses charset-normalizer.
    Newlines are universal (``\\r\\n`` and ``\\r`` become ``\\n``), exactly as
    ``open(path, encoding=…)`` reads them, which is what offsets refer to.
    Raises :class:`DocumentError` for empty, binary, undecodable or too large files.
    """
    return _read_text(Path(path), max_bytes=max_bytes, max_chars=max_chars)[0]


def _read_text(path: Path, *, max_bytes: Optional[int] = None, max_chars: Optional[int] = None) -> Tuple[str, Dict[str, Any]]:
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
    input is yielded too; reading it reports the error.
    """
    skip = {os.path.abspath(p) for p in skip_paths}
    exclude = list(exclude or []) + list(DEFAULT_EXCLUDE)
    for inp in inputs:
        base = Path(inp)
        if base.is_dir():
            for path in _walk(base):
                if os.path.abspath(path) in skip:
                    continue
                rel = path.relative_to(base).as_posix()
                if include:
                    if not _matches(rel, path.name, include):
                        continue
                elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if _matches(rel, path.name, exclude):
                    continue
                yield path, (rel if root_ids else str(path))
        else:
            if os.path.abspath(base) in skip:
                continue
            yield base, (base.name if root_ids else str(base))


def _matches(rel: str, name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(name, pat) for pat in patterns)


def _walk(base: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


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
    for path, doc_id in iter_files(inputs, include=include, exclude=exclude, skip_paths=skip_paths, root_ids=root_ids):
        kind = kind_of(path)
        if kind == "tabular" and path.is_file():
            from .tabular import iter_rows

            yield from iter_rows(path, doc_id, id_column=id_column, text_column=text_column,
                                 meta_columns=meta_columns, max_chars=max_chars)
        else:
            yield load_document(path, doc_id, kind=kind, max_chars=max_chars)


def load_document(path: Path, doc_id: str, *, kind: Optional[str] = None, max_chars: Optional[int] = DEFAULT_MAX_CHARS) -> InputDocument:
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
    for path, _ in iter_files(inputs, include=include, exclude=exclude, skip_paths=skip_paths):
        if kind_of(path) != "tabular" or not path.is_file():
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


def json_safe(value: Any) -> Any:
    """A value as plain JSON data (dates as ISO strings, numpy scalars as numbers)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if value != value else value  # NaN → None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):
        try:
            return json_safe(value.item())
        except (TypeError, ValueError):
            pass
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


__all__ = [
    "BinaryDocument",
    "DEFAULT_MAX_CHARS",
    "DocumentError",
    "DocumentTooLarge",
    "EmptyDocument",
    "InputDocument",
    "MalformedDocument",
    "SUPPORTED_SUFFIXES",
    "UndecodableDocument",
    "UnreadableDocument",
    "count_documents",
    "decode_bytes",
    "iter_documents",
    "iter_files",
    "json_safe",
    "load_document",
    "read_text_file",
]
