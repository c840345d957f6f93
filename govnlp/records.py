"""Output records of ``govnlp tag``: the one definition of their fields (schema version 1).

The record of a document, its ``meta``, items, targets, units, leaders and duty lines are
typed dicts below; each field carries its type and a :class:`F` note (what it is, whether
``records.md`` v1 lists it or it is an addition, whether it is a fixed column of the
tables). Everything else is derived from them: the fields :func:`doc_to_record` writes and
their order, the flat table rows and column types of :mod:`govnlp.io.tables`
(:func:`table_columns`), the counts of the HTML report, and ``docs/records.md``
(``python scripts/records_doc.py`` writes it; a test checks the committed file).

>>> import govnlp
>>> nlp = govnlp.load(segmenter="char")
>>> rec = doc_to_record(nlp("一、抓投资。"), "a.txt")
>>> rec["schema_version"], rec["doc_id"], rec["items"][0]["marker"]
('1', 'a.txt', '一、')
>>> list(rec["items"][0]) == list(ITEM_FIELDS)
True
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple, TypedDict

from typing import Annotated

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class F:
    """What a record field is.

    ``doc``: one line for ``docs/records.md``; ``spec``: listed by ``records.md`` v1 (else an
    addition: fields are only added, never renamed); ``fixed``: a fixed column of the tables,
    typed from its annotation (else the column, if any, is typed from its values and sorted
    after the fixed ones); ``optional``: may be missing from the record.
    """

    doc: str
    spec: bool = True
    fixed: bool = True
    optional: bool = False


class RegionRecord(TypedDict):
    """``meta.region``: the document's county (:class:`govnlp.units.region.Region`)."""

    name: Annotated[Optional[str], F("county-level name, 嵊泗县")]
    adcode: Annotated[Optional[str], F("six-digit division code, 330922 (null if unknown)")]


class Meta(TypedDict):
    """``meta``: document metadata. Input metadata (a page's 索引号, a table's columns…) is
    merged in under its own keys; an input ``region`` value is kept as ``region_input``."""

    title: Annotated[Optional[str], F("title (from the input)")]
    issuer: Annotated[Optional[str], F("issuing body (from the input: 发布机构)")]
    date: Annotated[Optional[str], F("date, YYYY-MM-DD (from the input)")]
    doc_type: Annotated[Optional[str], F("document type (from the input)")]
    region: Annotated[
        Optional[RegionRecord], F("the document's county, or null (resolved by the pipeline)")
    ]
    region_from: Annotated[
        str,
        F(
            '"input_meta" when the input\'s metadata, not the text, decided the region',
            spec=False,
            fixed=False,
            optional=True,
        ),
    ]
    region_input: Annotated[
        Any, F("the input's own region value", spec=False, fixed=False, optional=True)
    ]


class Leader(TypedDict):
    """``items[].leaders[]``: a leader named in a work item."""

    name: Annotated[str, F("person's name, 宋晖")]
    title: Annotated[Optional[str], F("title, 常务副县长")]


class DutyLine(TypedDict):
    """``items[].duty_lines[]``: a 责任单位/牵头单位 line (offsets into ``text``)."""

    label: Annotated[Optional[str], F("its label, 责任单位", spec=False)]
    start: Annotated[int, F("line start", spec=False)]
    end: Annotated[int, F("line end", spec=False)]
    value_start: Annotated[int, F("start of the part after the label", spec=False)]
    value_end: Annotated[int, F("end of that part", spec=False)]


class Target(TypedDict):
    """``items[].targets[]``: a numeric target or outcome (``targets.md``)."""

    start: Annotated[int, F("offset into text")]
    end: Annotated[int, F("end offset")]
    text: Annotated[str, F("the quantity as written, 10%左右")]
    indicator: Annotated[Optional[str], F("indicator name, 地区生产总值(GDP)")]
    kind: Annotated[str, F("target, outcome or forecast")]
    measure: Annotated[Optional[str], F("growth_rate, level, share, count, increment, reduction")]
    value: Annotated[Optional[float], F("the number as written")]
    low: Annotated[Optional[float], F("range low end")]
    high: Annotated[Optional[float], F("range high end")]
    bound: Annotated[Optional[str], F("point, approx, range, ge, gt, le, lt")]
    unit_raw: Annotated[Optional[str], F("measurement unit as written, %")]
    unit: Annotated[Optional[str], F("normalised measurement unit, percent")]
    scale: Annotated[Optional[float], F("factor to the base unit (亿 → 1e8)")]
    value_base: Annotated[Optional[float], F("value × scale")]
    qualifiers: Annotated[List[str], F("左右, 以上, 力争, …")]
    masked: Annotated[bool, F("inside a 《title》 or a date: not a target")]


class Unit(TypedDict):
    """``items[].units[]``: a government unit mention (``units.md``)."""

    start: Annotated[int, F("offset into text")]
    end: Annotated[int, F("end offset")]
    text: Annotated[str, F("the mention as written, 县发改局")]
    role: Annotated[str, F("responsible, lead, cooperating or mentioned")]
    id: Annotated[
        Optional[str], F("gazetteer id, tpl:county:fagai (null when nil; column unit_id)")
    ]
    canonical: Annotated[str, F("standard name without the place, 县发展和改革局")]
    nil: Annotated[bool, F("the gazetteer does not know it")]
    scope: Annotated[str, F("local or upper (other: a township of another county)")]
    members: Annotated[List[str], F("gazetteer ids of a collective's members")]
    link_score: Annotated[
        Optional[float],
        F("1.0 for an exact alias, less for a fuzzy link, null when nil", spec=False, fixed=False),
    ]


class Item(TypedDict):
    """``items[]``: a numbered unit (``items.md``), headings included, in document order."""

    id: Annotated[str, F("i7 (column item_id)")]
    parent: Annotated[Optional[str], F("id of the enclosing item, or null")]
    level: Annotated[int, F("nesting depth, 1 at the top")]
    marker: Annotated[Optional[str], F("the numbering as written, 1.")]
    start: Annotated[int, F("offset into text")]
    end: Annotated[int, F("end offset")]
    heading: Annotated[Optional[str], F("the item's heading text, if it is a heading")]
    path: Annotated[List[str], F("ids of the ancestors, outermost first")]
    leaders: Annotated[List[Leader], F("leaders named in the item")]
    cats: Annotated[Dict[str, float], F("probability of every domain label")]
    labels: Annotated[List[str], F("labels at or above the threshold, highest first")]
    targets: Annotated[List[Target], F("numeric targets")]
    units: Annotated[List[Unit], F("government unit mentions")]
    leaf: Annotated[Optional[bool], F("no child items: a work item", spec=False)]
    kind: Annotated[
        Optional[str], F("numbered, body, paragraph, lead_in, preamble or row", spec=False)
    ]
    title: Annotated[Optional[str], F("the item's short title, if any", spec=False)]
    duty_lines: Annotated[List[DutyLine], F("责任单位 lines of the item", spec=False)]


class Record(TypedDict):
    """A document's record: one JSON object per line of ``govnlp tag``'s output."""

    schema_version: Annotated[str, F('"1"')]
    doc_id: Annotated[str, F("input path relative to the input root (or the id column)")]
    text: Annotated[
        str, F("the exact text the offsets refer to (omitted with --no-text)", optional=True)
    ]
    meta: Annotated[Meta, F("document metadata")]
    items: Annotated[List[Item], F("every numbered unit, in document order")]


class ErrorRecord(TypedDict):
    """A line of the errors file (``OUT.errors.jsonl``): a document that produced no record."""

    doc_id: Annotated[str, F("the document's doc_id")]
    error_type: Annotated[str, F("exception name: DocumentTooLarge, DocumentTimeout, …")]
    message: Annotated[str, F("what went wrong")]


class Counts(TypedDict):
    """A record's counts (:func:`record_counts`; the tables' ``n_<count>`` columns)."""

    items: Annotated[int, F("items", spec=False)]
    work_items: Annotated[int, F("leaf items", spec=False)]
    targets: Annotated[int, F("targets of all items", spec=False)]
    units: Annotated[int, F("unit mentions of all items", spec=False)]


# -- the flat table rows: keys of their own, then the fields of a record type ------------------


class DocumentRowKeys(TypedDict):
    doc_id: Annotated[str, F("the record's doc_id", spec=False)]
    schema_version: Annotated[str, F("the record's schema_version", spec=False)]


class DocumentRowTail(TypedDict):
    n_chars: Annotated[Optional[int], F("characters of text (null without text)", spec=False)]


class ItemRowKeys(TypedDict):
    doc_id: Annotated[str, F("the record's doc_id", spec=False)]
    item_id: Annotated[str, F("the item's id", spec=False)]


class ItemRowTail(TypedDict):
    n_targets: Annotated[int, F("targets of the item", spec=False)]
    n_units: Annotated[int, F("unit mentions of the item", spec=False)]
    text: Annotated[Optional[str], F("the item's text (when the records carry text)", spec=False)]


class TargetRowKeys(TypedDict):
    doc_id: Annotated[str, F("the record's doc_id", spec=False)]
    item_id: Annotated[str, F("the item's id", spec=False)]
    target_index: Annotated[int, F("position in the item's targets", spec=False)]


class UnitRowKeys(TypedDict):
    doc_id: Annotated[str, F("the record's doc_id", spec=False)]
    item_id: Annotated[str, F("the item's id", spec=False)]
    unit_index: Annotated[int, F("position in the item's units", spec=False)]


@dataclass(frozen=True)
class TableRow:
    """A table's row: ``keys``, then the fields of ``body`` (minus ``skip``; ``rename``d;
    a ``RegionRecord`` field split into ``<field>_<key>``; ``counts`` as ``n_<count>``),
    then ``tail``."""

    keys: type
    body: type
    skip: Tuple[str, ...] = ()
    rename: Tuple[Tuple[str, str], ...] = ()
    counts: bool = False
    tail: Optional[type] = None


#: The four tables of :mod:`govnlp.io.tables` (``cats`` become ``cat_<label>`` columns).
TABLE_ROWS: Dict[str, TableRow] = {
    "documents": TableRow(DocumentRowKeys, Meta, counts=True, tail=DocumentRowTail),
    "items": TableRow(ItemRowKeys, Item, skip=("id", "cats", "targets", "units"), tail=ItemRowTail),
    "targets": TableRow(TargetRowKeys, Target),
    "units": TableRow(UnitRowKeys, Unit, rename=(("id", "unit_id"),)),
}


# -- reading the definition ------------------------------------------------------------------


def fields(cls: type) -> Dict[str, Tuple[Any, F]]:
    """``{name: (type, F)}`` of a record type, in definition order.

    >>> list(fields(RegionRecord))
    ['name', 'adcode']
    """
    hints = typing.get_type_hints(cls, include_extras=True)
    out = {}
    for name in cls.__annotations__:
        hint = hints[name]
        meta = next(m for m in hint.__metadata__ if isinstance(m, F))
        out[name] = (hint.__origin__, meta)
    return out


def _strip_optional(tp: Any) -> Any:
    args = typing.get_args(tp)
    if typing.get_origin(tp) is typing.Union and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def column_kind(tp: Any) -> str:
    """The table column type of a field type: ``int``, ``float``, ``bool``, ``str``,
    ``strlist`` (a list of strings) or ``json`` (any other list or dict).

    >>> column_kind(Optional[float]), column_kind(List[str]), column_kind(List[Leader])
    ('float', 'strlist', 'json')
    """
    tp = _strip_optional(tp)
    if tp in (int, float, bool, str):
        return tp.__name__
    if typing.get_origin(tp) is list and typing.get_args(tp) == (str,):
        return "strlist"
    return "json"


def type_name(tp: Any) -> str:
    """A field type as ``docs/records.md`` writes it.

    >>> type_name(Optional[List[str]]), type_name(Dict[str, float]), type_name(List[Unit])
    ('list[str] | null', 'dict[str, float]', 'list[Unit]')
    """
    inner = _strip_optional(tp)
    suffix = " | null" if inner is not tp else ""
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    if origin in (list, dict):
        name = f"{origin.__name__}[{', '.join(type_name(a) for a in args)}]"
    elif inner is Any:
        name = "any"
    else:
        name = getattr(inner, "__name__", str(inner))
    return name + suffix


def table_columns(table: str) -> Tuple[Tuple[str, str], ...]:
    """Fixed columns of a table and their types, derived from the record types.

    >>> table_columns("units")[:4]
    (('doc_id', 'str'), ('item_id', 'str'), ('unit_index', 'int'), ('start', 'int'))
    """
    row = TABLE_ROWS[table]
    rename = dict(row.rename)
    cols: List[Tuple[str, str]] = [(k, column_kind(t)) for k, (t, _) in fields(row.keys).items()]
    for name, (tp, f) in fields(row.body).items():
        if name in row.skip or not f.fixed:
            continue
        if _strip_optional(tp) is RegionRecord:
            cols += [(f"{name}_{k}", column_kind(t)) for k, (t, _) in fields(RegionRecord).items()]
        else:
            cols.append((rename.get(name, name), column_kind(tp)))
    if row.counts:
        cols += [(f"n_{k}", column_kind(t)) for k, (t, _) in fields(Counts).items()]
    if row.tail is not None:
        cols += [(k, column_kind(t)) for k, (t, _) in fields(row.tail).items()]
    return tuple(cols)


#: Item fields in the order records are written (``records.md`` first, then additions).
ITEM_FIELDS: Tuple[str, ...] = tuple(fields(Item))
#: ``meta`` fields every record has (null when unknown).
META_FIELDS: Tuple[str, ...] = tuple(k for k, (_, f) in fields(Meta).items() if not f.optional)
#: Item fields written as an empty list or dict when the pipeline left them unset.
_CONTAINERS: Dict[str, Any] = {
    k: (dict if typing.get_origin(t) is dict else list)
    for k, (t, _) in fields(Item).items()
    if typing.get_origin(t) in (list, dict)
}
COUNTS: Tuple[str, ...] = tuple(fields(Counts))


def doc_to_record(
    doc: Any, doc_id: str, *, include_text: bool = True, meta: Optional[Dict[str, Any]] = None
) -> Record:
    """One JSON-ready record for a processed document."""
    from ._doctext import doc_text

    doc_meta: Dict[str, Any] = {k: None for k in META_FIELDS}
    doc_meta.update(doc._.meta or {})
    if meta:
        doc_meta.update({k: v for k, v in meta.items() if v is not None})
    record: Dict[str, Any] = {"schema_version": SCHEMA_VERSION, "doc_id": doc_id}
    if include_text:
        record["text"] = doc_text(doc)
    record["meta"] = doc_meta
    record["items"] = [_item(it) for it in (doc._.items or [])]
    return record  # type: ignore[return-value]


def _item(it: Dict[str, Any]) -> Item:
    out = {k: it.get(k) for k in ITEM_FIELDS}
    for key, empty in _CONTAINERS.items():
        if out[key] is None:
            out[key] = empty()
    return out  # type: ignore[return-value]


def record_counts(record: Dict[str, Any]) -> Counts:
    """One record's items, work items (leaves), targets and units.

    >>> record_counts({"items": [{"leaf": True, "targets": [{}], "units": []}, {"leaf": False}]})
    {'items': 2, 'work_items': 1, 'targets': 1, 'units': 0}
    """
    items = record.get("items") or []
    return {
        "items": len(items),
        "work_items": sum(1 for it in items if it.get("leaf")),
        "targets": sum(len(it.get("targets") or []) for it in items),
        "units": sum(len(it.get("units") or []) for it in items),
    }


def summarise(records: List[Dict[str, Any]]) -> Dict[str, int]:
    """Counts for a run summary: documents, items, work items (leaves), targets, units."""
    out = {"documents": len(records), **{key: 0 for key in COUNTS}}
    for record in records:
        for key, n in record_counts(record).items():
            out[key] += n
    return out


def region_label(record: Dict[str, Any]) -> Optional[str]:
    """A record's county for display: ``meta.region``'s name, else its adcode, else None.

    >>> region_label({"meta": {"region": {"name": None, "adcode": "330922"}}})
    '330922'
    """
    region = (record.get("meta") or {}).get("region")
    if isinstance(region, dict):
        return region.get("name") or region.get("adcode")
    return str(region) if region else None


# -- docs/records.md ---------------------------------------------------------------------------

#: The record types in the order ``docs/records.md`` describes them.
RECORD_TYPES: Tuple[type, ...] = (
    Record,
    Meta,
    RegionRecord,
    Item,
    Leader,
    DutyLine,
    Target,
    Unit,
    ErrorRecord,
)


def _md(text: str) -> str:
    """A docstring as Markdown: ``x`` and :class:`x` → `x`."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", " ".join(text.split()))
    return text.replace("``", "`")


def markdown() -> str:
    """``docs/records.md``: the record types and the table columns, from this module."""
    lines = [
        "# Output records (generated)",
        "",
        "<!-- generated from govnlp/records.py by `python scripts/records_doc.py`;"
        " tests/test_records.py checks it -->",
        "",
        f"`govnlp tag` writes one JSON object per document (JSON Lines, UTF-8), schema version "
        f'`"{SCHEMA_VERSION}"`. The public contract is `records.md` (v1); this page lists every',
        "field the code writes, from its one definition (`govnlp/records.py`). *v1*: listed by",
        "records.md; *added*: an addition (fields are only added, never renamed).",
        "",
    ]
    for cls in RECORD_TYPES:
        lines += [f"## {cls.__name__}", "", _md(cls.__doc__ or ""), ""]
        lines += ["| field | type | status | meaning |", "|---|---|---|---|"]
        for name, (tp, f) in fields(cls).items():
            flags = "v1" if f.spec else "added"
            if f.optional:
                flags += ", may be absent"
            tname = type_name(tp).replace("|", "\\|")
            lines.append(f"| `{name}` | `{tname}` | {flags} | {_md(f.doc)} |")
        lines.append("")
    lines += [
        "## Tables",
        "",
        "`--tables parquet|csv|both` flattens the records into four tables, one row per",
        "document, item, target and unit mention. Fixed columns, in order, with their types",
        "(other keys become further columns, sorted, typed from their values; the items table",
        "has one `cat_<label>` float column per label before `text`; `meta` keys beyond these",
        "are columns of the documents table):",
        "",
    ]
    for table in TABLE_ROWS:
        cols = ", ".join(f"`{c}` {k}" for c, k in table_columns(table))
        lines += [f"- **{table}**: {cols}", ""]
    return "\n".join(lines).rstrip() + "\n"
