"""The ``govnlp_items`` pipeline component.

Splits each document into work items with :func:`govnlp.items.parse_items`,
stores every unit as a span in ``doc.spans[spans_key]`` (label = the item's
kind: numbered, preamble, lead_in, body, paragraph) and the plain records in
``doc._.items``.

>>> import spacy, govnlp
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("govnlp_items")
>>> doc = nlp("一、综合线\\n(一)抓投资。\\n(二)抓招商。")
>>> [(s.text, s.label_) for s in doc.spans["items"]][1]
('(一)抓投资。', 'numbered')
>>> doc._.items[1]["parent"]
'i1'
"""

from __future__ import annotations


from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from .._stateless import StatelessSerializationMixin
from .._doctext import doc_text
from .._extensions import ITEMS_SPANS_KEY, register_extensions
from .parser import parse_items


@Language.factory(
    "govnlp_items",
    default_config={"spans_key": ITEMS_SPANS_KEY},
)
def make_items_component(nlp: Language, name: str, spans_key: str) -> "WorkItemParser":
    """Config entry point of the work-item parser."""
    return WorkItemParser(name=name, spans_key=spans_key)


class WorkItemParser(StatelessSerializationMixin):
    """Stateless rule component: all its rules live in ``rules.json`` in the package."""

    def __init__(self, name: str = "govnlp_items", spans_key: str = ITEMS_SPANS_KEY) -> None:
        register_extensions()
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        items = parse_items(doc_text(doc))
        spans = []
        for it in items:
            span = doc.char_span(it["start"], it["end"], label=it["kind"], alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        doc._.items = items
        if doc._.meta is None:
            doc._.meta = {}
        return doc
