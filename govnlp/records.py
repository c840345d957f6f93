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
    "id", "parent", "level", "marker", "start", "end", "heading", "path", "leaders",
    "cats", "labels", "targets", "units",
    "leaf", "kind", "title", "duty_lines",
)

META_FIELDS = ("title", "issuer", "date", "doc_type", "region")


def doc_to_record(doc: Doc, doc_id: str, *, include_text: bool = True, meta: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
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


def summarise(records: List[Dict[str, Any]]) -> Dict[str, int]:
    """Counts for a run summary: documents, items, work items (leaves), targets, units."""
    items = [it for r in records for it in r["items"]]
    return {
        "documents": len(records),
        "items": len(items),
        "work_items": sum(1 for it in items if it.get("leaf")),
        "targets": sum(len(it.get("targets") or []) for it in items),
        "units": sum(len(it.get("units") or []) for it in items),
    }
