"""The gold of corpora/annotations/targets is well formed, and the evaluator's matching is
one-to-one.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from govnlp.references import resolve_reference

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "annotations" / "targets"
KINDS = {"target", "outcome", "forecast"}
BOUNDS = {"point", "approx", "ge", "gt", "le", "lt", "range"}
FIELDS = {
    "doc",
    "start",
    "end",
    "kind",
    "indicator",
    "value",
    "low",
    "high",
    "bound",
    "unit",
    "value_base",
    "masked",
    "note",
}


def _load(name):
    return [json.loads(x) for x in (GOLD / name).read_text("utf-8").splitlines() if x.strip()]


def _check(recs, text_of):
    by_doc = {}
    for r in recs:
        assert FIELDS <= set(r), r
        assert r["kind"] in KINDS and r["bound"] in BOUNDS, r
        assert r["masked"] == (r["value"] is None and r["bound"] != "range"), r
        if r["value"] is not None and r["value_base"] is None:
            pytest.fail(f"value without value_base: {r}")
        text = text_of(r["doc"])
        assert 0 <= r["start"] < r["end"] <= len(text), r
        by_doc.setdefault(r["doc"], []).append((r["start"], r["end"]))
        if "indicator_span" in r:
            a, b = r["indicator_span"]
            assert 0 <= a < b <= len(text)
    for spans in by_doc.values():
        spans.sort()
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])), "overlapping gold spans"
    return by_doc


def test_seed_gold_text_equals_slice():
    recs = _load("seeds.jsonl")
    assert recs
    texts = {}

    def text_of(doc):
        return texts.setdefault(doc, (ROOT / doc).read_text("utf-8"))

    _check(recs, text_of)
    for r in recs:
        assert text_of(r["doc"])[r["start"] : r["end"]] == r["text"], r


def test_shared_gold_stores_no_text(shared_dir):
    recs = _load("shared_corpus.jsonl")
    assert recs
    for r in recs:
        assert r["doc"].startswith("shared:") and "text" not in r and r["indicator"] is None, r
    texts = {}
    _check(
        recs,
        lambda doc: texts.setdefault(
            doc, resolve_reference(doc, shared=shared_dir).read_text("utf-8")
        ),
    )


def test_matching_is_one_to_one():
    spec = importlib.util.spec_from_file_location(
        "eval_targets", ROOT / "benchmarks" / "eval_targets.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    gold = [{"start": 0, "end": 6}, {"start": 10, "end": 14}]
    pred = [
        {"start": 0, "end": 4},
        {"start": 2, "end": 8},
        {"start": 11, "end": 13},
        {"start": 20, "end": 22},
    ]
    pairs = mod.match(gold, pred)
    assert sorted(pairs) == [
        (0, 0),
        (1, 2),
    ]  # largest overlap wins (4 vs 4: smaller start offset); one each
    assert mod.same("value_base", {"value_base": 1e10}, {"value_base": 1e10 * (1 + 1e-9)})
    assert not mod.same("value_base", {"value_base": None}, {"value_base": 0.0})
