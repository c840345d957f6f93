"""Input documents: files and directories, decoded without guessing by hand.

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
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

#: Extensions read as plain text.
TEXT_SUFFIXES = (".txt", ".text", ".md")


class DocumentError(Exception):
    """A document that cannot be read; the run reports it and goes on."""


@dataclass
class InputDocument:
    """One document to tag: an id, its text (or the error that prevented reading it)."""

    doc_id: str
    text: Optional[str] = None
    meta: Dict[str, Any] = field(default_factory=dict)
    error: Optional[DocumentError] = None


def read_text_file(path: Union[str, Path], max_bytes: int = 200 * 1024 * 1024) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else detected.

    Detection of legacy encodings (GB18030/GBK, Big5…) uses charset-normalizer.
    Newlines are universal (``\\r\\n`` and ``\\r`` become ``\\n``), exactly as
    ``open(path, encoding=…)`` reads them, which is what offsets refer to.
    Raises :class:`DocumentError` for empty, binary or undecodable files.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"file larger than {max_bytes} bytes ({size})")
        raw = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise DocumentError("empty file")
    text = _decode(raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw[:4096]:
        raise DocumentError("binary file (NUL bytes, no UTF-16 byte-order mark)")
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise DocumentError("undecodable bytes: no encoding fits (not text?)")
    encoding = best.encoding
    if encoding in ("gb2312", "gbk", "hz"):
        encoding = "gb18030"
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DocumentError(f"undecodable bytes as {encoding}: {exc}") from exc


def iter_documents(
    inputs: Sequence[Union[str, Path]],
    *,
    include: Optional[Sequence[str]] = None,
    exclude: Optional[Sequence[str]] = None,
    root_ids: bool = True,
) -> Iterator[InputDocument]:
    """Yield documents from files and directories (recursively), in a stable order.

    ``doc_id`` is the path relative to the input directory it was found in
    (or the file name for a file given directly). Unreadable documents are
    yielded with ``error`` set, so that the caller can report them and go on.
    """
    include = list(include or [f"*{s}" for s in TEXT_SUFFIXES])
    exclude = list(exclude or [])
    for inp in inputs:
        base = Path(inp)
        if base.is_dir():
            for path in sorted(_walk(base)):
                rel = path.relative_to(base).as_posix()
                if not any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(path.name, pat) for pat in include):
                    continue
                if any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(path.name, pat) for pat in exclude):
                    continue
                yield _load(path, rel if root_ids else str(path))
        elif base.exists() or base.is_symlink():
            yield _load(base, base.name if root_ids else str(base))
        else:
            yield InputDocument(str(inp), error=DocumentError("no such file or directory"))


def _walk(base: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in filenames:
            yield Path(dirpath) / name


def _load(path: Path, doc_id: str) -> InputDocument:
    try:
        return InputDocument(doc_id, read_text_file(path), meta={"path": str(path)})
    except DocumentError as exc:
        return InputDocument(doc_id, error=exc)
