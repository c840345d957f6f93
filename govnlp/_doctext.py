"""``doc.text``, computed once per ``Doc``.

spaCy builds ``Doc.text`` anew on every access by joining every token's text
(one ``Token`` object per token): for a 10,000-character document that is a
few milliseconds, and the pipeline's components each asked for it again.
:func:`doc_text` keeps the string per ``Doc`` (weakly, so it goes with the
``Doc``), checked against the token count and the end offset. govnlp's pkuseg
tokenizer records the text it segmented (:func:`remember_text`), so that not
even the first call joins the tokens.

>>> import spacy
>>> nlp = spacy.blank(
...     "zh",
...     config={
...         "nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}
...     },
... )
>>> doc = nlp("县发改局")
>>> doc_text(doc) == doc.text and doc_text(doc) is doc_text(doc)
True
"""

from __future__ import annotations

import weakref
from typing import Tuple

from spacy.tokens import Doc

_TEXTS: "weakref.WeakKeyDictionary[Doc, Tuple[int, str]]" = weakref.WeakKeyDictionary()


def remember_text(doc: Doc, text: str) -> Doc:
    """Record ``text`` as ``doc.text`` (a tokenizer that built ``doc`` from ``text``, words and
    spaces that join back to it, knows it already: :func:`doc_text` then does not rebuild it
    from the tokens). Returns ``doc``."""
    _TEXTS[doc] = (len(doc), text)
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached for the life of ``doc``."""
    n = len(doc)
    hit = _TEXTS.get(doc)
    if (
        hit is not None
        and hit[0] == n
        and (n == 0 or len(hit[1]) == doc[-1].idx + len(doc[-1].text_with_ws))
    ):
        return hit[1]
    text = doc.text
    _TEXTS[doc] = (n, text)
    return text
