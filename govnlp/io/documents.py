"""What every reader shares: the document, the errors, decoding and the length checks.

:mod:`govnlp.io.readers` (walking inputs, dispatching by kind) and the format readers
(:mod:`~govnlp.io.html_reader`, :mod:`~govnlp.io.docx_reader`, :mod:`~govnlp.io.tabular`) import
these from here, so that the readers module can import the format readers without a cycle; it
re-exports every name, so ``from govnlp.io.readers import DocumentError`` still works.

>>> check_length("一、抓投资。", 10)
'一、抓投资。'
>>> try:
...     check_length("一、抓投资。", 3)
... except DocumentTooLarge as exc:
...     print(type(exc).__name__)
DocumentTooLarge
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union

from . import encoding as _encoding

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
                f"{what} too large: {size:,} bytes, over the {max_bytes:,}-byte bound for a "
                "document within --max-chars characters (raise --max-chars to tag it)"
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
    "PathLike",
    "TOLERATED_UTF8_ERRORS",
    "UndecodableDocument",
    "UnreadableDocument",
    "check_length",
    "decode_bytes",
    "json_safe",
    "normalise_encoding",
    "read_bytes",
    "sniff_binary",
]
