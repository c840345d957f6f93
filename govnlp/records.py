"""Output records of ``govnlp tag`` (spec: ``records.md``, schema version 1).

>>> import govnlp
>>> nlp = govnlp.load(segmenter="char")
>>> rec = doc_to_record(nlp("一、抓投资。"), "a.txt")
>>> rec["schema_version"], rec["doc_id"], rec["items"][0]["marker"]
('1', 'a.txt', '一、')
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from spacy.tokens import Doc

from ._doctext import doc_text

SCHEMA_VERSION = "1"

#: Item fields in the order ``records.md`` lists them; later ones are additions.
ITEM_FIELDS = (
    "id",
    "parent",
    "level",
    "marker",
    "start",
    "end",
    "heading",
    "path",
    "leaders",
    "cats",
    "labels",
    "targets",
    "units",
    "leaf",
    "kind",
    "title",
    "duty_lines",
)

META_FIELDS = ("title", "issuer", "date", "doc_type", "region")


def doc_to_record(
    doc: Doc, doc_id: str, *, include_text: bool = True, meta: Optional[Dict[str, Any]] = None
) -> Dict[str, Any]:
    """One JSON-ready record for a processed document."""
    doc_meta = {k: None for k in META_FIELDS}
    doc_meta.update(doc._.meta or {})
    if meta:
        doc_meta.update({k: v for k, v in meta.items() if v is not None})
    record: Dict[str, Any] = {"schema_version": SCHEMA_VERSION, "doc_id": doc_id}
    if include_text:
        record["text"] = doc_text(doc)
    record["meta"] = doc_meta
    record["items"] = [_item(it) for it in (doc._.items or [])]
    return record


def _item(it: Dict[str, Any]) -> Dict[str, Any]:
    out = {k: it.get(k) for k in ITEM_FIELDS}
    for key in ("cats", "labels", "targets", "units", "leaders", "path", "duty_lines"):
        if out[key] is None:
            out[key] = {} if key == "cats" else []
    return out


COUNTS = ("items", "work_items", "targets", "units")


def record_counts(record: Dict[str, Any]) -> Dict[str, int]:
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
