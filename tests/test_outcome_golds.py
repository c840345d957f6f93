"""The outcome golds are stored by reference: every span resolves to text of its document, no note
quotes the document (a run of 10 or more Chinese characters found in it), and indicator names are
short labels (an official name such as 城镇居民人均可支配收入 is a term, not a quotation)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govnlp.references import resolve_reference

GOLDS = sorted(
    (Path(__file__).resolve().parents[1] / "corpora/annotations/outcomes").glob("*.jsonl")
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{10,}")


def _quotes(label: str, text: str) -> list[str]:
    """The 10-character pieces of ``label``'s Chinese runs that occur in ``text``."""
    found = []
    for run in _CJK_RUN.findall(label or ""):
        found += [run[i : i + 10] for i in range(len(run) - 9) if run[i : i + 10] in text]
    return found


@pytest.mark.parametrize("gold", GOLDS, ids=lambda p: p.name)
def test_outcome_gold_spans_resolve_and_nothing_is_quoted(gold, shared_dir):
    texts: dict[str, str] = {}

    def text_of(doc: str) -> str:
        if doc not in texts:
            texts[doc] = resolve_reference(doc, shared=shared_dir).read_text(encoding="utf-8")
        return texts[doc]

    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line]
    assert rows
    for row in rows:
        assert row["verdict"] in {"met", "partly", "not_met", "no_outcome"}
        for side in ("target", "outcome"):
            span = row.get(side)
            if span is None:
                continue
            text = text_of(span["doc"])
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"] : span["end"]].strip()
        doc_text = text_of(row["target"]["doc"])
        assert 0 < len(row["indicator"]) <= 24, row["indicator"]
        assert not _quotes(row.get("note", ""), doc_text), row["note"]
