"""Word ``.docx`` files → text: paragraphs and table cells in document order.

Each paragraph is a line; a table row is a line with its cells separated by a tab (a
cell's own paragraphs joined by a space, merged cells once), which keeps 序号 | 工作任务 |
责任单位 rows of responsibility tables together. Content controls (``w:sdt``) are read
through; headers, footers, footnotes and comments are not part of the text. The core
property ``title`` becomes ``meta["title"]`` when set.

>>> import io, docx
>>> d = docx.Document(); _ = d.add_paragraph("一、抓投资。")
>>> t = d.add_table(rows=1, cols=2); t.cell(0, 0).text = "1"; t.cell(0, 1).text = "县发改局"
>>> buf = io.BytesIO(); d.save(buf)
>>> docx_text(buf.getvalue())
'一、抓投资。\\n1\\t县发改局'
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from .documents import DEFAULT_MAX_CHARS, MalformedDocument, check_length, read_bytes

#: Raw .docx size allowed per character of ``max_chars`` (zip with styles, images…).
DOCX_BYTES_PER_CHAR = 16

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx_file(
    path: Union[str, Path], *, max_chars: Optional[int] = DEFAULT_MAX_CHARS
) -> Tuple[str, Dict[str, Any]]:
    """``(text, meta)`` of a .docx file; :class:`MalformedDocument` when it is not one."""
    max_bytes = DOCX_BYTES_PER_CHAR * max_chars if max_chars else None
    raw = read_bytes(path, max_bytes, what=".docx file")
    text, meta = _extract(raw, max_chars)
    return check_length(text, max_chars), meta


def docx_text(raw: bytes) -> str:
    """The text of a .docx given as bytes."""
    return _extract(raw, None)[0]


def _extract(raw: bytes, max_chars: Optional[int]) -> Tuple[str, Dict[str, Any]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not raw.startswith(b"PK"):
        raise MalformedDocument(
            "not a .docx file (no zip signature; an old binary .doc? convert it to .docx)"
        )
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise MalformedDocument(f"corrupt .docx file: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - lxml/opc errors of broken packages
        raise MalformedDocument(f"corrupt .docx file: {type(exc).__name__}: {exc}") from exc
    lines: List[str] = []
    size = 0
    for line in _lines(document.element.body):
        lines.append(line)
        size += len(line) + 1
        if max_chars is not None and size > max_chars + 1:
            break  # check_length reports it; no need to read on
    meta: Dict[str, Any] = {}
    try:
        title = (document.core_properties.title or "").strip()
    except Exception:  # noqa: BLE001 - a broken core.xml is not worth failing on
        title = ""
    if title:
        meta["title"] = title
    return "\n".join(lines), meta


def _lines(body: Any) -> Iterator[str]:
    for child in body.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            text = _para_text(child).strip()
            if text:
                yield text
        elif tag == _W + "tbl":
            yield from _table_lines(child)
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _lines(content)


def _para_text(p: Any) -> str:
    """Text of a ``w:p``: runs, tabs and breaks, including runs inside hyperlinks/insertions."""
    parts: List[str] = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "delText"):
        tag = el.tag
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        # deleted text (tracked changes) is not part of the document
    return "".join(parts)


def _table_lines(tbl: Any) -> Iterator[str]:
    for tr in tbl.iterchildren(_W + "tr"):
        cells: List[str] = []
        nested: List[str] = []
        for tc in tr.iterchildren(_W + "tc"):
            tcpr = tc.find(_W + "tcPr")
            if tcpr is not None:
                vmerge = tcpr.find(_W + "vMerge")
                if vmerge is not None and vmerge.get(_W + "val") in (None, "continue"):
                    continue  # continuation of a vertically merged cell: said once, above
            texts = []
            for child in tc.iterchildren():
                if child.tag == _W + "p":
                    t = _para_text(child).strip()
                    if t:
                        texts.append(t.replace("\n", " "))
                elif child.tag == _W + "tbl":
                    nested.extend(_table_lines(child))
            cells.append(" ".join(texts))
        line = "\t".join(cells).rstrip()
        if line.strip():
            yield line
        yield from nested


__all__ = ["docx_text", "read_docx_file"]
