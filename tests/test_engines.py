"""One engine interface: the local engine (in this process or forked workers) and the option
objects of ``tag_paths``; every engine runs the same per-document path (DocumentTagger)."""

from __future__ import annotations

import json

import pytest

from govnlp.engines import DocumentTagger, LocalEngine, TagOptions
from govnlp.io import InputDocument
from govnlp.io.options import ReadOptions
from govnlp.tagging import local_results, tag_documents, tag_paths

DOCS = [
    InputDocument("a", "一、抓投资。\n二、县发展和改革局负责。", meta={"title": "工作要点"}),
    InputDocument("bad", error=ValueError("unreadable")),
    InputDocument(
        "b",
        "一、抓招商。\n二、各乡镇人民政府负责。",
        meta={"issuer": "嵊泗县人民政府办公室", "region": "an input value", "date": None},
    ),
]


def records(triples):
    """By doc_id: in this process an unreadable document comes before the batch it falls in."""
    got = [(d.doc_id, rec, type(exc).__name__ if exc else None) for d, rec, exc in triples]
    return sorted(got, key=lambda t: t[0])


def test_the_local_engine_gives_the_same_records_in_this_process_and_in_workers(nlp_char):
    engine = LocalEngine(nlp_char, n_process=1)
    here = records(engine.process(DOCS, TagOptions(doc_timeout=0, include_text=False)))
    forked = records(engine.process(DOCS, TagOptions(doc_timeout=30, include_text=False)))
    two = records(LocalEngine(nlp_char, n_process=2).process(DOCS, TagOptions(include_text=False)))
    assert here == forked == two
    assert [(i, e) for i, _, e in here] == [("a", None), ("b", None), ("bad", "ValueError")]
    a, b = here[0][1], here[1][1]
    assert "text" not in a and a["meta"]["title"] == "工作要点"
    # the input metadata reaches the worker: a county from the issuer, the input's region kept aside
    assert b["meta"]["region"]["name"] == "嵊泗县" and b["meta"]["region_from"] == "input_meta"
    assert b["meta"]["region_input"] == "an input value" and b["meta"]["date"] is None


def test_the_document_tagger_is_what_every_path_runs(nlp_char):
    tagger = DocumentTagger(nlp_char, include_text=False)
    one = [tagger(d) for d in DOCS if d.error is None]
    piped = [rec for _, rec, exc in tagger.pipe(DOCS, batch_size=1) if exc is None]
    assert (
        one
        == piped
        == [
            r for _, r, e in records(local_results(nlp_char, DOCS, include_text=False)) if e is None
        ]
    )


def test_the_pipeline_accepts_what_reading_accepted_and_is_left_as_it_was(nlp_char):
    long = InputDocument("long", "一、抓投资。" * 400)
    saved, nlp_char.max_length = nlp_char.max_length, 100
    try:
        ((d, rec, exc),) = LocalEngine(nlp_char).process([long], TagOptions(doc_timeout=0))
        assert exc is None and rec["doc_id"] == "long"
        assert nlp_char.max_length == 100
    finally:
        nlp_char.max_length = saved


def _table(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rows = [{"key": f"k{i}", "body": f"一、第{i}项工作。\n二、抓落实。"} for i in range(3)]
    (src / "rows.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    (src / "note.txt").write_text("一、不读。", encoding="utf-8")
    return src


def test_tag_paths_takes_option_objects_or_the_old_keywords(nlp_char, tmp_path):
    src = _table(tmp_path)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    tag_paths(
        nlp_char,
        [src],
        a,
        read=ReadOptions(text_column="body", id_column="key", exclude=["*.txt"]),
        options=TagOptions(include_text=False, batch_size=2, doc_timeout=0),
    )
    stats = tag_paths(
        nlp_char,
        [src],
        b,
        text_column="body",
        id_column="key",
        exclude=["*.txt"],
        include_text=False,
        batch_size=2,
        doc_timeout=0,
    )
    assert a.read_bytes() == b.read_bytes() and stats.documents == 3
    assert [json.loads(line)["doc_id"] for line in a.open(encoding="utf-8")] == ["k0", "k1", "k2"]
    with pytest.raises(TypeError, match="text_colum"):
        tag_paths(nlp_char, [src], tmp_path / "c.jsonl", text_colum="body")


def test_tag_documents_reads_with_read_options(nlp_char, tmp_path):
    src = _table(tmp_path)
    errors = []
    got = list(
        tag_documents(
            nlp_char,
            [src],
            read=ReadOptions(text_column="body", id_column="key"),
            on_error=errors.append,
        )
    )
    assert [rec["doc_id"] for rec, _ in got] == ["note.txt", "k0", "k1", "k2"]
    assert all(rec["text"] == doc.text for rec, doc in got) and errors == []
    with pytest.raises(TypeError):
        list(tag_documents(nlp_char, [src], batch_sise=2))
