"""The ``govnlp_targets`` pipeline component: numeric targets on every work item.

For each item of ``doc._.items`` it runs :func:`govnlp.targets.extract_targets`
on the text the item owns (a leaf: its span; a heading: the text before its
first child), with the parent's heading as context for indicators given as a
heading, and stores the records, with offsets into ``doc.text``, in the item's
``targets`` list.  Items under a heading with a ``summary_headings`` cue
(工作回顾, 工作开展情况 …) are read as summaries, the others as plans.
Its rules live in ``cues.json`` and ``govnlp/numbers/data/*.json``.

>>> import spacy, govnlp
>>> nlp = spacy.blank("zh"); _ = nlp.add_pipe("govnlp_items"); _ = nlp.add_pipe("govnlp_targets")
>>> doc = nlp("1.地区生产总值(GDP)增长10%左右。")
>>> t = doc._.items[0]["targets"][0]
>>> doc.text[t["start"]:t["end"]], t["value_base"], t["bound"], t["kind"]
('10%左右', 10.0, 'approx', 'target')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional

from spacy.language import Language
from spacy.tokens import Doc

from .._stateless import StatelessSerializationMixin
from .._doctext import doc_text
from .._extensions import register_extensions
from ..textnorm import readable
from .extract import extract_targets


@Language.factory("govnlp_targets", default_config={"doc_kind": "auto"})
def make_targets_component(nlp: Language, name: str, doc_kind: str) -> "TargetExtractor":
    """Config entry point. ``doc_kind``: ``plan``, ``summary`` or ``auto`` (guessed per
    document).
    """
    return TargetExtractor(name=name, doc_kind=doc_kind)


@lru_cache(maxsize=1)
def _summary_cues() -> tuple:
    from .extract import _cues

    return tuple(_cues()["summary_headings"])


class TargetExtractor(StatelessSerializationMixin):
    """Stateless rule component (its rules are package data)."""

    def __init__(self, name: str = "govnlp_targets", doc_kind: str = "auto") -> None:
        register_extensions()
        self.name = name
        self.doc_kind = doc_kind

    def __call__(self, doc: Doc) -> Doc:
        items = doc._.items or []
        by_id: Dict[str, Dict[str, Any]] = {it["id"]: it for it in items}
        first_child: Dict[str, int] = {}
        for it in items:
            pid = it.get("parent")
            if pid:
                first_child[pid] = min(first_child.get(pid, it["start"]), it["start"])
        text = doc_text(doc)
        kinds: Dict[Optional[str], str] = {}  # _guess_kind by the id its walk starts from
        for it in items:
            # a leaf owns its span; a heading owns the text before its first child
            # (五、…专项整治。2023年…每月进行不少于一次督查… then 1. 2. …)
            end = (
                it["end"]
                if it.get("leaf")
                else min(it["end"], first_child.get(it["id"], it["end"]))
            )
            if end <= it["start"]:
                it["targets"] = []
                continue
            parent = by_id.get(it["parent"]) if it.get("parent") else None
            heading: Optional[str] = parent.get("heading") if parent else None
            kind = self.doc_kind if self.doc_kind != "auto" else _guess_kind(it, by_id, kinds)
            found = []
            own = text[it["start"] : end]
            # a page a mirror site turned traditional, with pinyin glosses (增長(zhǎng)5%): the
            # rules read it simplified and without glosses; records keep the page's offsets
            # and quote its text
            reading, where = readable(own)
            if where is not None and heading:
                heading = readable(heading)[0]
            for rec in extract_targets(reading, heading=heading, doc_kind=kind):
                rec = dict(rec)
                if where is not None:
                    rec["start"], rec["end"] = where[rec["start"]], where[rec["end"] - 1] + 1
                    rec["text"] = own[rec["start"] : rec["end"]]
                rec["start"] += it["start"]
                rec["end"] += it["start"]
                found.append(rec)
            it["targets"] = found
        return doc


def _guess_kind(
    item: Dict[str, Any],
    by_id: Dict[str, Dict[str, Any]],
    memo: Optional[Dict[Optional[str], str]] = None,
) -> str:
    """``summary`` under a heading such as 工作开展情况/工作回顾, else ``plan``. ``memo``: the
    answers found so far for the document's items, by the id the walk up starts from (the
    leaves of one heading ask the same).

    >>> by_id = {"1": {"id": "1", "heading": "一、工作回顾"}, "2": {"id": "2", "parent": "1"}}
    >>> _guess_kind({"id": "3", "parent": "2", "leaf": True}, by_id)
    'summary'
    """
    pid = item.get("parent") if item.get("leaf") else item.get("id")
    if memo is None:
        return _walk_kind(pid, by_id)
    kind = memo.get(pid)
    if kind is None:
        kind = memo[pid] = _walk_kind(pid, by_id)
    return kind


def _walk_kind(pid: Optional[str], by_id: Dict[str, Dict[str, Any]]) -> str:
    cues = _summary_cues()
    while pid:
        parent = by_id.get(pid)
        if parent is None:
            break
        heading = readable(parent.get("heading") or "")[0]
        if any(cue in heading for cue in cues):
            return "summary"
        pid = parent.get("parent")
    return "plan"
