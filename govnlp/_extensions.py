"""Every ``Doc._`` / ``Span._`` extension govnlp uses, declared once, here.

Values are plain, serialisable Python data (lists, dicts, str, float), never
live ``Span`` objects, so docs survive ``DocBin(store_user_data=True)`` and
``nlp.pipe(n_process=…)``.

- ``doc._.items``: the work-item records (list of dicts, see ``records.md``),
  filled by ``govnlp_items`` and enriched by later components.
- ``doc._.meta``: document metadata (title, issuer, date, doc_type, region).
- ``doc._.input_meta``: the input document's metadata the pipeline reads (the keys that can
  name its county: :func:`govnlp.units.region.region_metadata`), set where the ``Doc`` is
  made from an input document (:func:`govnlp.engines.document.pipeline_input`); None otherwise.
- ``doc._.region``: the document's county, resolved once by
  :func:`govnlp.units.region.document_region` (from the ``region`` option, ``input_meta``
  and the text) before units are linked; ``Region.to_dict()`` data, read back with
  :meth:`govnlp.units.region.Region.of`. Set it before the pipeline runs to fix it.
- ``span._.item``: for a span of ``doc.spans["items"]``, its record (getter).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from spacy.tokens import Doc, Span

ITEMS_SPANS_KEY = "items"


def _span_item(span: Span) -> Optional[Dict[str, Any]]:
    items = span.doc._.items or []
    for item in items:
        if item["start"] == span.start_char or (
            span.start_char <= item["start"] < span.end_char
            and item["end"] <= span.end_char
            and span.label_ == item.get("kind")
        ):
            return item
    return None


def register_extensions() -> None:
    """Declare the extensions (idempotent; called when govnlp is imported)."""
    if not Doc.has_extension("items"):
        Doc.set_extension("items", default=None)
    if not Doc.has_extension("meta"):
        Doc.set_extension("meta", default=None)
    if not Doc.has_extension("input_meta"):
        Doc.set_extension("input_meta", default=None)
    if not Doc.has_extension("region"):
        Doc.set_extension("region", default=None)
    if not Span.has_extension("item"):
        Span.set_extension("item", getter=_span_item)


register_extensions()
