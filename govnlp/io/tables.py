"""Records (JSONL) flattened to tables, written as Parquet and/or Excel-friendly CSV.

Four tables, one row per… (their fixed columns are derived from the one record definition,
:mod:`govnlp.records`, and listed in ``docs/records.md``)

- ``documents`` — document: ``doc_id``, ``schema_version``, the ``meta`` fields (``region``
  split into ``region_name`` and ``region_adcode``; keys beyond records.md as their own
  columns), counts (``n_items``, ``n_work_items``, ``n_targets``, ``n_units``, ``n_chars``);
- ``items`` — item: ``doc_id``, ``item_id`` and the item fields of records.md (``path``,
  ``leaders``, ``labels``, ``duty_lines``…), ``n_targets``, ``n_units``, the item's ``text``
  (when the records carry the document text) and **one ``cat_<label>`` float column per
  label** of ``cats`` (null where an item has no score);
- ``targets`` — target mention: ``doc_id``, ``item_id``, ``target_index`` (its position in the
  item) and the target fields;
- ``units`` — unit mention: ``doc_id``, ``item_id``, ``unit_index``, ``unit_id`` (the record's
  ``id``: the gazetteer id) and the other unit fields.

Types: the spec's fields have fixed column types (offsets int64, values float64, flags bool,
the rest string), so files of different runs concatenate; other fields get a type inferred
from their values. Lists of strings (``path``, ``labels``, ``qualifiers``, ``members``) are
Parquet ``list<string>``; other lists and dicts (``leaders``, ``duty_lines``) are JSON strings.
In CSV every list or dict is a JSON string, booleans are ``true``/``false``, nulls are empty,
and the file is UTF-8 with a BOM (``utf-8-sig``) and CRLF line ends, so Excel opens Chinese
text correctly.

The JSONL is read twice, streaming (first for the label set and column types, then to
write), so memory does not grow with the corpus. Every file is written to a temporary file
in the same directory and moved into place with ``os.replace``.
"""

from __future__ import annotations

import csv
import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

from ..records import META_FIELDS, TABLE_ROWS, record_counts, table_columns
from .writers import atomic_path

PathLike = Union[str, Path]

TABLES: Tuple[str, ...] = tuple(TABLE_ROWS)
FORMATS = ("parquet", "csv")
#: Rows buffered per table before a Parquet row group is written.
ROWS_PER_BATCH = 5000

#: ``meta`` fields with a column of their own (``region`` is split into ``region_name`` and
#: ``region_adcode``); other meta keys are columns too, ``meta_<key>`` where a key clashes.
_META_FIXED = tuple(k for k in META_FIELDS if k != "region")

#: Fixed columns of each table and their types (``int``, ``float``, ``bool``, ``str``,
#: ``strlist``, ``json``), derived from the record definition (:mod:`govnlp.records`).
#: Columns not listed are appended, sorted, with inferred types.
FIXED_COLUMNS: Dict[str, Tuple[Tuple[str, str], ...]] = {t: table_columns(t) for t in TABLES}
CAT_PREFIX = "cat_"


class RecordsError(ValueError):
    """The records file is not valid JSONL records."""


def iter_records(
    path: PathLike, on_error: Optional[Callable[[str, Exception], None]] = None
) -> Iterator[Dict[str, Any]]:
    """Records of a ``govnlp tag`` JSONL file, one at a time.

    A bad line raises :class:`RecordsError` naming it, or — with ``on_error`` —
    is passed to ``on_error(f"{file name}:{line}", error)`` and skipped.
    """
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                try:
                    rec = json.loads(line.decode("utf-8-sig" if n == 1 else "utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise RecordsError(f"{path}:{n}: not a JSON record ({exc})") from exc
                if not isinstance(rec, dict) or "doc_id" not in rec or "items" not in rec:
                    raise RecordsError(f"{path}:{n}: not a govnlp record (no doc_id or items)")
            except RecordsError as exc:
                if on_error is None:
                    raise
                on_error(f"{Path(path).name}:{n}", exc)
                continue
            yield rec


# -- flattening ---------------------------------------------------------------------------


def flatten_record(rec: Dict[str, Any]) -> Dict[str, List[Dict[str, Any]]]:
    """The rows a record contributes to each table (cats as ``cat_<label>`` keys)."""
    doc_id = rec["doc_id"]
    text = rec.get("text")
    items = rec.get("items") or []
    meta = dict(rec.get("meta") or {})
    region = meta.pop("region", None)
    doc_row: Dict[str, Any] = {
        "doc_id": doc_id,
        "schema_version": rec.get("schema_version"),
        "region_name": region.get("name") if isinstance(region, dict) else region,
        "region_adcode": region.get("adcode") if isinstance(region, dict) else None,
        **{f"n_{key}": n for key, n in record_counts(rec).items()},
        "n_chars": len(text) if isinstance(text, str) else None,
    }
    fixed_doc = {c for c, _ in FIXED_COLUMNS["documents"]}
    for key, value in meta.items():
        col = key if key in _META_FIXED or key not in fixed_doc else f"meta_{key}"
        doc_row[col] = value
    out: Dict[str, List[Dict[str, Any]]] = {
        "documents": [doc_row],
        "items": [],
        "targets": [],
        "units": [],
    }
    for it in items:
        item_id = it.get("id")
        row = {"doc_id": doc_id, "item_id": item_id}
        for key, value in it.items():
            if key in ("id", "cats", "targets", "units"):
                continue
            row[key if key not in ("doc_id", "item_id") else f"item_{key}"] = value
        for label, score in (it.get("cats") or {}).items():
            row[CAT_PREFIX + str(label)] = score
        targets = it.get("targets") or []
        units = it.get("units") or []
        row["n_targets"], row["n_units"] = len(targets), len(units)
        if (
            isinstance(text, str)
            and isinstance(it.get("start"), int)
            and isinstance(it.get("end"), int)
        ):
            row["text"] = text[it["start"] : it["end"]]
        out["items"].append(row)
        for i, t in enumerate(targets):
            trow = {"doc_id": doc_id, "item_id": item_id, "target_index": i}
            trow.update({k if k not in trow else f"target_{k}": v for k, v in t.items()})
            out["targets"].append(trow)
        for i, u in enumerate(units):
            urow = {"doc_id": doc_id, "item_id": item_id, "unit_index": i}
            for k, v in u.items():
                col = "unit_id" if k == "id" else (k if k not in urow else f"unit_{k}")
                urow[col] = v
            out["units"].append(urow)
    return out


def _kind(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "strlist"
    return "json"


def _resolve(kinds: Set[str], fixed: Optional[str]) -> str:
    """A column's type from the kinds of its values (and its fixed type when they fit)."""
    if fixed is not None:
        fits = {
            "int": {"int"},
            "float": {"int", "float"},
            "bool": {"bool"},
            "str": {"str"},
            "strlist": {"strlist"},
            "json": kinds,
        }[fixed]
        if kinds <= fits:
            return fixed
    if not kinds:
        return "str"
    if kinds == {"bool"}:
        return "bool"
    if kinds == {"int"}:
        return "int"
    if kinds <= {"int", "float"}:
        return "float"
    if kinds == {"strlist"}:
        return "strlist"
    if kinds <= {"str", "int", "float", "bool"}:
        return "str"
    return "json"


class Schema:
    """Columns and types of the four tables, learnt from a pass over the records."""

    def __init__(self) -> None:
        self.kinds: Dict[str, Dict[str, Set[str]]] = {t: {} for t in TABLES}

    def observe(self, rows: Dict[str, List[Dict[str, Any]]]) -> None:
        for table, table_rows in rows.items():
            kinds = self.kinds[table]
            for row in table_rows:
                for col, value in row.items():
                    k = _kind(value)
                    s = kinds.setdefault(col, set())
                    if k:
                        s.add(k)

    def columns(self, table: str) -> List[Tuple[str, str]]:
        fixed = dict(FIXED_COLUMNS[table])
        seen = self.kinds[table]
        cols = [(c, _resolve(seen.get(c, set()), t)) for c, t in FIXED_COLUMNS[table]]
        if table == "items":
            cats = sorted(c for c in seen if c.startswith(CAT_PREFIX))
            others = sorted(c for c in seen if c not in fixed and not c.startswith(CAT_PREFIX))
            # cat columns before the item text, which is the widest column
            text = cols.pop()
            cols += [(c, _resolve(seen[c], "float")) for c in cats] + [text]
        else:
            others = sorted(c for c in seen if c not in fixed)
        cols += [(c, _resolve(seen[c], None)) for c in others]
        return cols


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "str": pa.string(),
        "strlist": pa.list_(pa.string()),
        "json": pa.string(),
    }[kind]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _parquet_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "json":
        return value if isinstance(value, str) else _json(value)
    if kind == "str" and not isinstance(value, str):
        return _json(value)
    if kind == "float":
        return float(value)
    return value


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(float(value)) if kind == "float" else str(value)
    return _json(value)


# -- writing ------------------------------------------------------------------------------


def table_paths(
    records: PathLike,
    out_dir: Optional[PathLike] = None,
    fmt: str = "parquet",
    tables: Sequence[str] = TABLES,
) -> Dict[str, Path]:
    """Where each table goes: ``DIR/<table>.<fmt>`` with ``out_dir``, else next to the
    records file: ``out.jsonl`` → ``out.items.parquet``."""
    records = Path(records)
    ext = "parquet" if fmt == "parquet" else "csv"
    if out_dir is not None:
        return {t: Path(out_dir) / f"{t}.{ext}" for t in tables}
    stem = records.name[: -len(".jsonl")] if records.name.endswith(".jsonl") else records.stem
    return {t: records.with_name(f"{stem}.{t}.{ext}") for t in tables}


def export_tables(
    records: PathLike,
    out_dir: Optional[PathLike] = None,
    *,
    formats: Sequence[str] = ("parquet",),
    tables: Sequence[str] = TABLES,
) -> Dict[str, Dict[str, Path]]:
    """Flatten a records JSONL file into tables; returns ``{format: {table: path}}``.

    ``formats``: any of ``parquet``, ``csv`` (``both`` is accepted for the two).
    """
    fmts = _formats(formats)
    schema = Schema()
    for rec in iter_records(records):
        schema.observe(flatten_record(rec))
    columns = {t: schema.columns(t) for t in tables}
    paths = {fmt: table_paths(records, out_dir, fmt, tables) for fmt in fmts}
    with ExitStack() as stack:
        sinks: Dict[str, List[Any]] = {t: [] for t in tables}
        for fmt in fmts:
            for t in tables:
                tmp = stack.enter_context(atomic_path(paths[fmt][t]))
                sink = (
                    _ParquetSink(tmp, columns[t]) if fmt == "parquet" else _CsvSink(tmp, columns[t])
                )
                stack.callback(sink.close)
                sinks[t].append(sink)
        buffers: Dict[str, List[Dict[str, Any]]] = {t: [] for t in tables}
        for rec in iter_records(records):
            rows = flatten_record(rec)
            for t in tables:
                buffers[t].extend(rows[t])
                if len(buffers[t]) >= ROWS_PER_BATCH:
                    for sink in sinks[t]:
                        sink.write(buffers[t])
                    buffers[t] = []
        for t in tables:
            for sink in sinks[t]:
                sink.write(buffers[t])
                sink.close()
    return paths


def _formats(formats: Union[str, Sequence[str]]) -> List[str]:
    if isinstance(formats, str):
        formats = [formats]
    out: List[str] = []
    for f in formats:
        for g in FORMATS if f == "both" else (f,):
            if g not in FORMATS:
                raise ValueError(f"unknown table format {g!r} (parquet, csv or both)")
            if g not in out:
                out.append(g)
    return out


class _ParquetSink:
    def __init__(self, path: Path, columns: List[Tuple[str, str]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.columns = columns
        self.schema = pa.schema([(c, _arrow_type(k)) for c, k in columns])
        self.writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self.closed = False

    def write(self, rows: List[Dict[str, Any]]) -> None:
        import pyarrow as pa

        if not rows:
            return
        arrays = [
            pa.array([_parquet_value(r.get(c), k) for r in rows], type=_arrow_type(k))
            for c, k in self.columns
        ]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.writer.close()


class _CsvSink:
    def __init__(self, path: Path, columns: List[Tuple[str, str]]) -> None:
        self.columns = columns
        self.fh = open(path, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.fh, lineterminator="\r\n")
        self.writer.writerow([c for c, _ in columns])

    def write(self, rows: List[Dict[str, Any]]) -> None:
        for r in rows:
            self.writer.writerow([_csv_value(r.get(c), k) for c, k in self.columns])

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.close()


def read_row_counts(paths: Dict[str, Path]) -> Dict[str, int]:
    """Rows of each Parquet table (from the file footers)."""
    import pyarrow.parquet as pq

    return {t: pq.ParquetFile(p).metadata.num_rows for t, p in paths.items()}


def read_csv_table(path: PathLike) -> List[Dict[str, str]]:
    """A CSV table back as dicts (for tests and quick looks; values are strings)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


__all__ = [
    "FIXED_COLUMNS",
    "RecordsError",
    "TABLES",
    "export_tables",
    "flatten_record",
    "iter_records",
    "read_csv_table",
    "read_row_counts",
    "table_paths",
]
