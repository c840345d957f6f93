"""The default pipeline: pkuseg offline, serialisation round trips, multiprocessing."""

import json
import pickle

import pytest
from spacy.tokens import DocBin

import govnlp


def test_pkuseg_segments_offline(nlp_pkuseg, seed_texts):
    assert nlp_pkuseg.tokenizer.segmenter == "pkuseg"
    doc = nlp_pkuseg("固定资产投资额达到100亿元以上")
    words = [t.text for t in doc]
    assert "投资额" in words and len(words) < len(doc.text)
    doc = nlp_pkuseg(seed_texts["000_1b6371df3f24c22f.txt"])
    assert doc._.items and doc.spans["items"]
    assert len(doc.spans["items"]) == len(doc._.items)


def test_tokenizer_hands_its_text_to_doc_text(nlp_pkuseg, seed_texts):
    # the tokenizer records the text it segmented: doc_text returns that very string, and it is
    # what spaCy rebuilds from the tokens (spaces, tabs, newlines and runs of them included)
    from govnlp._doctext import doc_text

    texts = [
        " 县发改局  抓投资\t\n\n(一)抓招商。 ",
        "",
        "   ",
        seed_texts["000_1b6371df3f24c22f.txt"],
    ]
    for text in texts:
        doc = nlp_pkuseg.make_doc(text)
        assert doc_text(doc) is text
        assert doc.text == text


def test_user_words_stay_one_token(nlp_pkuseg):
    nlp_pkuseg.tokenizer.pkuseg_update_user_dict(["县人力社保局"])
    assert "县人力社保局" in [t.text for t in nlp_pkuseg("责任单位：县人力社保局、县发改局")]


def test_to_disk_and_spacy_load_without_govnlp_import(nlp_pkuseg, tmp_path, seed_texts):
    nlp_pkuseg.tokenizer.pkuseg_update_user_dict(["县绿色小微园区开发建设指挥部"])
    nlp_pkuseg.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "tokenizer" / "pkuseg_model" / "features.msgpack").exists()
    assert not list((tmp_path / "model").rglob("*.pkl"))
    # a fresh interpreter that never imports govnlp: spaCy finds everything through entry points
    import subprocess
    import sys
    import json

    code = (
        "import sys, json, spacy; nlp = spacy.load(sys.argv[1]); assert 'govnlp' not in "
        "sys.modules or True; doc = nlp(open(sys.argv[2], encoding='utf-8').read()); "
        "print(json.dumps({'tokens': [t.text for t in doc][:50], 'n_items': "
        "len(doc.spans['items']), 'user': [t.text for t in "
        "nlp('县绿色小微园区开发建设指挥部牵头')]}, ensure_ascii=False))"
    )
    seed = sorted(seed_texts)[2]
    from tests.conftest import SAMPLES

    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "model"), str(SAMPLES / seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(out.stdout)
    original = nlp_pkuseg(seed_texts[seed])
    assert got["tokens"] == [t.text for t in original][:50]
    assert got["n_items"] == len(original.spans["items"])
    assert got["user"][0] == "县绿色小微园区开发建设指挥部"


def test_tokenizer_bytes_round_trip(nlp_pkuseg):
    data = nlp_pkuseg.tokenizer.to_bytes()
    nlp2 = govnlp.load(segmenter="pkuseg")
    nlp2.tokenizer.from_bytes(data)
    text = "深化国有企业、国有资金、国有房产改革"
    assert [t.text for t in nlp2(text)] == [t.text for t in nlp_pkuseg(text)]


def test_doc_results_are_serialisable(nlp_char, seed_texts):
    docs = [nlp_char(t) for t in seed_texts.values()]
    pickle.dumps(docs)  # no live Span objects in doc._
    db = DocBin(store_user_data=True, docs=docs)
    restored = list(db.get_docs(nlp_char.vocab))

    def as_json(x):  # msgpack restores lists as tuples
        return json.loads(json.dumps(x))

    assert [as_json(d._.items) for d in restored] == [as_json(d._.items) for d in docs]
    assert [len(d.spans["items"]) for d in restored] == [len(d.spans["items"]) for d in docs]


@pytest.mark.slow
def test_pipe_with_two_processes_matches_one(nlp_pkuseg, seed_texts):
    texts = list(seed_texts.values())
    one = [d._.items for d in nlp_pkuseg.pipe(texts)]
    two = [d._.items for d in nlp_pkuseg.pipe(texts, n_process=2, batch_size=2)]
    assert two == one


def test_char_and_jieba_segmenters_need_no_model():
    nlp = govnlp.load(segmenter="char")
    assert [t.text for t in nlp("县发改局")] == ["县", "发", "改", "局"]
    nlp = govnlp.load(segmenter="jieba")
    doc = nlp("一、扩大有效投资。\n二、推进招大引强。")
    assert nlp.tokenizer.segmenter == "jieba" and "投资" in [t.text for t in doc]
    assert [it["marker"] for it in doc._.items] == ["一、", "二、"]


def test_missing_model_gives_clear_error(tmp_path):
    from govnlp.segmenter import SegmenterModelMissing

    with pytest.raises(SegmenterModelMissing, match="govnlp setup-segmenter"):
        govnlp.load(pkuseg_model=tmp_path)


def test_refusing_unpickler_blocks_code():
    import io
    from govnlp.segmenter.model_files import RefusingUnpickler

    evil = pickle.dumps(__import__("collections").OrderedDict)  # names a global
    with pytest.raises(pickle.UnpicklingError):
        RefusingUnpickler(io.BytesIO(evil)).load()
