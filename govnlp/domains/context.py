"""An item's context: the titles of the headings it sits under, as one short text.

In these documents the heading an item sits under ("(三)安全生产", "五、生态环境", "社会事业方面")
is often the strongest cue of its domain, and it is the same kind of cue in every county's
documents. The domain model can read it as a separate feature block
(``--set context_weight=0.5``): the component takes it from the item tree (``path``, the
ancestors' ``heading`` or ``title``); training takes it from the same item parser run on the
annotated document (:func:`contexts_in_document`), or from a ``context`` column of a user's file.

>>> records = [
...     {"id": "i1", "path": [], "heading": "五、生态环境", "title": "五、生态环境"},
...     {"id": "i2", "path": ["i1"], "heading": None, "title": "推进污水治理"},
...     {"id": "i3", "path": ["i1", "i2"], "heading": None, "title": None},
... ]
>>> context_of(records[2], {r["id"]: r for r in records})
'五、生态环境\\n推进污水治理'
>>> context_of(records[0], {r["id"]: r for r in records})
''
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

__all__ = [
    "CONTEXT_SEPARATOR",
    "MAX_TITLE_CHARS",
    "context_of",
    "contexts_in_document",
    "set_item_parser",
]

_PARSER: List[Callable[[str], List[Dict[str, Any]]]] = []


def set_item_parser(parser: Callable[[str], List[Dict[str, Any]]]) -> None:
    """Who splits a document into item records for :func:`contexts_in_document`:
    :mod:`govnlp.pipeline` sets it, when imported (``import govnlp`` imports it), to
    :func:`govnlp.items.parse_items` — the domains package does not import the items package."""
    _PARSER[:] = [parser]


#: Between two ancestors' titles (outermost first).
CONTEXT_SEPARATOR = "\n"
#: An ancestor's title is cut to this many characters (a long run-in "title" is a sentence).
MAX_TITLE_CHARS = 40


def _title(record: Mapping[str, Any]) -> str:
    title = record.get("heading") or record.get("title") or ""
    return str(title).strip()[:MAX_TITLE_CHARS]


def context_of(item: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> str:
    """The titles of ``item``'s ancestors (``item["path"]``, outermost first), one per line;
    ancestors without a title are skipped, ``""`` for a top-level item."""
    titles = []
    for ancestor in item.get("path") or ():
        record = by_id.get(ancestor)
        if record is not None:
            title = _title(record)
            if title:
                titles.append(title)
    return CONTEXT_SEPARATOR.join(titles)


def contexts_in_document(
    text: str,
    spans: Sequence[Tuple[int, int]],
    records: Optional[List[Dict[str, Any]]] = None,
) -> List[str]:
    """The context of each character span ``(start, end)`` of ``text``, by the item parser.

    A span that is one of the parser's items gets that item's context; any other span (an
    annotation made on another segmentation) gets the context of the innermost item whose span
    contains it, plus that item's own title — its nearest heading. ``records``: the parser's
    output for ``text``, if at hand.

    >>> text = "一、生态环境\\n(一)推进污水治理。\\n(二)加强大气污染防治。"
    >>> contexts_in_document(text, [(7, 17), (10, 17)])  # an item, then part of it
    ['生态环境', '生态环境\\n推进污水治理。']
    """
    if records is None:
        if not _PARSER:
            raise RuntimeError("no item parser: import govnlp.pipeline first")
        records = _PARSER[0](text)
    by_id = {r["id"]: r for r in records}
    exact = {(r["start"], r["end"]): r for r in records}
    out = []
    for start, end in spans:
        record = exact.get((start, end))
        if record is not None:
            out.append(context_of(record, by_id))
            continue
        around = [
            r
            for r in records
            if r["start"] <= start and r["end"] >= end and (r["start"], r["end"]) != (start, end)
        ]
        if not around:
            out.append("")
            continue
        inner = max(around, key=lambda r: (len(r.get("path") or ()), r["start"]))
        own = _title(inner)
        outer = context_of(inner, by_id)
        out.append(CONTEXT_SEPARATOR.join(t for t in (outer, own) if t))
    return out
