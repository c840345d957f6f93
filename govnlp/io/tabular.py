"""Tables of documents — JSONL, CSV, Parquet — one document per row, streamed.

Each row needs a text column (``--text-column``, default ``text``); its id column
(``--id-column``, default ``id``) becomes the ``doc_id`` (a row without one gets
``<file>:<row>``). Columns named like record metadata (:data:`DEFAULT_META_COLUMNS`, plus
``--meta-column`` names) go to the record's ``meta``.

Rows are read one at a time (JSONL, CSV) or one batch of :data:`PARQUET_BATCH_ROWS` rows at
a time (Parquet), so memory does not grow with the file. A bad row — a malformed JSON
line, a row without text, an over-long text — is yielded as an error document with
``doc_id`` ``<file>:<row>`` (or its id) and the rest of the file goes on; a file that cannot
be read at all (no text column, not Parquet) is one error with the file's id.

Row numbers: JSONL line number; CSV row as a spreadsheet shows it (header = row 1);
Parquet 1-based data-row number.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

from .documents import (
    DEFAULT_MAX_CHARS,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    InputDocument,
    MalformedDocument,
    UnreadableDocument,
    UndecodableDocument,
    check_length,
    json_safe,
    normalise_encoding,
)
from .encoding import detect_chinese
from .unicode_safety import NOTES_KEY, repair, repair_tree

#: Columns carried into ``meta`` when a table has them.
DEFAULT_META_COLUMNS = (
    "title",
    "issuer",
    "date",
    "doc_type",
    "region",
    "published",
    "doc_number",
    "index_no",
    "topic",
    "source",
    "url",
)
#: Rows per Parquet batch.
PARQUET_BATCH_ROWS = 256
#: Bytes read to find a CSV file's encoding.
SNIFF_CSV_BYTES = 64 * 1024
#: Consecutive unparseable CSV records after which a file is given up.
MAX_CONSECUTIVE_CSV_ERRORS = 1000


def iter_rows(
    path: Path,
    file_id: str,
    *,
    id_column: str = "id",
    text_column: str = "text",
    meta_columns: Optional[Sequence[str]] = None,
    max_chars: Optional[int] = DEFAULT_MAX_CHARS,
) -> Iterator[InputDocument]:
    """Documents of a table file (by extension: .jsonl/.ndjson, .csv, .parquet)."""
    meta_cols = list(DEFAULT_META_COLUMNS) + [
        c for c in (meta_columns or []) if c not in DEFAULT_META_COLUMNS
    ]
    meta_cols = [c for c in meta_cols if c not in (id_column, text_column)]
    suffix = path.suffix.lower()
    reader = {".parquet": _parquet_rows, ".csv": _csv_rows}.get(suffix, _jsonl_rows)
    n = 0
    try:
        columns = [id_column, text_column] + meta_cols
        for n, row in reader(
            path, file_id, text_column=text_column, max_chars=max_chars, columns=columns
        ):
            if isinstance(row, DocumentError):
                yield InputDocument(
                    f"{file_id}:{n}" if n else file_id, error=row, source=f"{path}:{n}"
                )
                continue
            try:
                yield _row_document(
                    row,
                    file_id,
                    n,
                    path,
                    id_column=id_column,
                    text_column=text_column,
                    meta_cols=meta_cols,
                    max_chars=max_chars,
                )
            except RecursionError:
                yield InputDocument(
                    f"{file_id}:{n}",
                    error=MalformedDocument(f"row {n}: a value nested too deeply to read"),
                    source=f"{path}:{n}",
                )
    except DocumentError as exc:
        yield InputDocument(f"{file_id}:{n}" if n else file_id, error=exc, source=str(path))
    except OSError as exc:
        yield InputDocument(
            f"{file_id}:{n}" if n else file_id,
            error=UnreadableDocument(f"cannot read file: {exc.strerror or exc}"),
            source=str(path),
        )


def _row_document(
    row: Dict[str, Any],
    file_id: str,
    n: int,
    path: Path,
    *,
    id_column: str,
    text_column: str,
    meta_cols: List[str],
    max_chars: Optional[int],
) -> InputDocument:
    rid = json_safe(row.get(id_column))
    if isinstance(rid, float) and rid.is_integer():
        rid = int(rid)
    rid = "" if rid is None else str(rid).strip()
    doc_id = rid or f"{file_id}:{n}"
    doc_id, id_note = repair(doc_id)  # a lone surrogate in the id: written replaced, noted
    source = f"{path}:{n}"
    try:
        if text_column not in row:
            raise MalformedDocument(
                f"row {n} has no {text_column!r} field (choose the column with --text-column)"
            )
        text = row[text_column]
        if (
            text is None
            or (isinstance(text, float) and text != text)
            or (isinstance(text, str) and not text.strip())
        ):
            raise EmptyDocument(f"row {n}: {text_column!r} is empty")
        if not isinstance(text, str):
            raise MalformedDocument(
                f"row {n}: {text_column!r} is a {type(text).__name__}, not a string"
            )
        text = check_length(text.replace("\r\n", "\n").replace("\r", "\n"), max_chars)
    except DocumentError as exc:
        return InputDocument(doc_id, error=exc, source=source)
    text, text_note = repair(text, keep_length=True)  # lone surrogates: U+FFFD, offsets hold
    meta = {}
    for col in meta_cols:
        if col in row:
            value = json_safe(row[col])
            if value is not None and value != "":
                meta[col] = value
    meta, notes = repair_tree(meta, "meta")
    if text_note:
        notes.insert(0, {**text_note, "field": "text"})
    if id_note:
        notes.insert(0, {**id_note, "field": "doc_id"})
    if notes:
        meta[NOTES_KEY] = notes
    return InputDocument(doc_id, text, meta=meta, source=source)


# -- JSONL --------------------------------------------------------------------------------


def _jsonl_rows(
    path: Path, file_id: str, *, text_column: str, max_chars: Optional[int], **_: Any
) -> Iterator[Any]:
    limit = (
        4 * max_chars if max_chars else 1 << 30
    ) + 64 * 1024  # the text plus room for other fields
    with open(path, "rb") as fh:
        n = 0
        rows = 0
        while True:
            line = fh.readline(limit)
            if not line:
                if not rows:  # like an empty CSV file: one error, not nothing at all
                    raise EmptyDocument("empty JSONL file: no rows")
                break
            n += 1
            if len(line) >= limit and not line.endswith(b"\n"):
                while True:  # skip the rest of the over-long line without holding it
                    more = fh.readline(1 << 20)
                    if not more or more.endswith(b"\n"):
                        break
                rows += 1
                yield (
                    n,
                    DocumentTooLarge(
                        f"line {n} longer than {limit:,} bytes (raise --max-chars to tag it)"
                    ),
                )
                continue
            if n == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            if not line.strip():
                continue
            rows += 1
            try:
                s = line.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                yield (
                    n,
                    UndecodableDocument(f"line {n} is not UTF-8: {exc.reason} at byte {exc.start}"),
                )
                continue
            try:
                row = json.loads(s)
            except json.JSONDecodeError as exc:
                yield (
                    n,
                    MalformedDocument(f"line {n}: invalid JSON: {exc.msg} (column {exc.colno})"),
                )
                continue
            except RecursionError:
                yield n, MalformedDocument(f"line {n}: JSON nested too deeply to read")
                continue
            if not isinstance(row, dict):
                yield n, MalformedDocument(f"line {n}: a JSON {type(row).__name__}, not an object")
                continue
            yield n, row


# -- CSV ----------------------------------------------------------------------------------


def sniff_csv_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-16`` or the detected encoding (Excel's GBK CSVs → ``gb18030``).

    Legacy Chinese encodings are scored first (:func:`govnlp.io.encoding.detect_chinese`),
    which short files need; charset-normalizer only when that is unsure.
    """
    with open(path, "rb") as fh:
        sample = fh.read(SNIFF_CSV_BYTES)
        whole = not fh.read(1)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if not whole and b"\n" in sample:  # a line break is never inside a GBK/Big5 character
        sample = sample[: sample.rindex(b"\n") + 1]
    found = detect_chinese(sample)
    if found is not None and not found.unsure:
        return found.encoding
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise UndecodableDocument("CSV file in no recognisable encoding")
    return normalise_encoding(best.encoding) or best.encoding


def _csv_rows(
    path: Path, file_id: str, *, text_column: str, max_chars: Optional[int], **_: Any
) -> Iterator[Any]:
    csv.field_size_limit(
        min(sys.maxsize, 2**31 - 1)
    )  # long texts are checked against max_chars instead
    encoding = sniff_csv_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise EmptyDocument("empty CSV file") from None
        header = [h.strip() for h in header]
        if text_column not in header:
            raise MalformedDocument(
                f"no {text_column!r} column in the header {header[:12]} (choose it with "
                "--text-column)"
            )
        n = 1
        errors = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                n += 1
                errors += 1
                if errors > MAX_CONSECUTIVE_CSV_ERRORS:
                    raise MalformedDocument(
                        f"unparseable CSV from row {n - errors + 1} on: {exc}"
                    ) from exc
                yield n, MalformedDocument(f"row {n}: unparseable CSV: {exc}")
                continue
            n += 1
            errors = 0
            if not values or not any(v.strip() for v in values):
                continue
            yield n, dict(zip(header, values))


# -- Parquet ------------------------------------------------------------------------------


def _parquet_rows(
    path: Path,
    file_id: str,
    *,
    text_column: str,
    max_chars: Optional[int],
    columns: Sequence[str] = (),
    **_: Any,
) -> Iterator[Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, pa.ArrowException, OSError) as exc:
        raise MalformedDocument(f"not a readable Parquet file: {exc}") from exc
    names = pf.schema_arrow.names
    if text_column not in names:
        raise MalformedDocument(
            f"no {text_column!r} column in {names[:12]} (choose it with --text-column)"
        )
    n = 0
    try:
        wanted = [c for c in dict.fromkeys(columns) if c in names] or None
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
            for row in batch.to_pylist():
                n += 1
                yield n, row
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise MalformedDocument(f"corrupt Parquet data after row {n}: {exc}") from exc


__all__ = ["DEFAULT_META_COLUMNS", "iter_rows", "sniff_csv_encoding"]
