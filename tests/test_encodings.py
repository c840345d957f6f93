"""Encoding detection is right or says it is unsure, on short and long samples in every
supported encoding (made here from the seed texts of corpora/samples; Big5 from their
traditional form through govnlp/trad2simp.json)."""

from __future__ import annotations

import json

import pytest

from govnlp.io.encoding import UNSURE, detect, detect_chinese, legacy_score, sniff_utf16
from govnlp.io.readers import (
    BinaryDocument,
    DocumentError,
    decode_bytes,
    load_document,
    read_text_file,
)
from tests.encoding_samples import GB_FAMILY, LENGTHS, PER_SEED, UNICODE, samples, seed_paths


def test_the_corpus_is_real_text():
    texts = [t for t, _ in samples("gbk")]
    assert len(texts) == len(seed_paths()) * len(LENGTHS) * PER_SEED >= 300
    assert sum(len(t) == 10 for t in texts) >= 60
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts) > 0.95 * len(texts)


@pytest.mark.parametrize("encoding", GB_FAMILY)
def test_gb_samples_short_and_long_are_always_decoded_right(encoding):
    wrong, rejected = [], []
    for text, raw in samples(encoding):
        try:
            got, facts = decode_bytes(raw)
        except DocumentError as exc:
            rejected.append((text[:20], str(exc)))
            continue
        if got != text:
            wrong.append((text[:20], got[:20], facts))
        elif any(c > "\x7f" for c in text):
            assert facts["encoding"] == "gb18030"
    assert not rejected
    assert not wrong


@pytest.mark.parametrize("encoding", ["big5"])
def test_big5_samples_are_right_or_unsure(encoding):
    wrong = []
    for text, raw in samples(encoding):
        got, facts = decode_bytes(raw)
        if got != text and not facts.get("encoding_unsure"):
            wrong.append((text[:20], got[:20], facts))
    assert not wrong


@pytest.mark.parametrize("encoding", UNICODE)
def test_unicode_samples_are_decoded_right_and_sure(encoding):
    for text, raw in samples(encoding):
        got, facts = decode_bytes(raw)
        assert got == text, (encoding, text[:20], got[:20])
        assert facts["encoding_confidence"] >= UNSURE and "encoding_unsure" not in facts
        assert facts["encoding"].replace("-sig", "").split("-")[0] == encoding.split("-")[0]


def test_short_cjk_bytes_prefer_gb18030_and_say_how_sure():
    d = detect("县政府工作报告".encode("gbk"))
    assert (d.text, d.encoding) == ("县政府工作报告", "gb18030")
    assert 0 < d.confidence <= 1
    assert detect("三".encode("gbk")).unsure  # two bytes: a guess, said so


def test_utf16_without_bom_is_read_not_binary(tmp_path):
    s = "一、做好防汛防台工作。\n二、抓好安全生产2024年。\n"
    for name in ("utf-16-le", "utf-16-be"):
        p = tmp_path / f"{name}.txt"
        p.write_bytes(s.encode(name))
        assert read_text_file(p) == s
        doc = load_document(p, p.name)
        assert doc.meta["encoding"] == name and doc.meta["encoding_confidence"] >= 0.9


def test_utf16_without_bom_and_without_nul_bytes():
    s = "关于印发重点工作任务分解的通知"  # no ASCII: no NUL bytes at all
    for name in ("utf-16-le", "utf-16-be"):
        d = detect(s.encode(name))
        assert (d.text, d.encoding) == (s, name)


def test_utf32_with_bom(tmp_path):
    s = "一、抓投资。\n二、抓招商。"
    p = tmp_path / "u32.txt"
    p.write_bytes(s.encode("utf-32"))
    assert read_text_file(p) == s


def test_nul_bytes_that_are_not_utf16_are_still_binary():
    with pytest.raises(BinaryDocument):
        decode_bytes(bytes(range(256)) * 8)


def test_gbk_bytes_are_not_taken_for_utf16():
    raw = "一、做好防汛防台工作，确保安全度汛。".encode("gbk")
    assert sniff_utf16(raw) is None


def test_legacy_score_and_big5():
    assert legacy_score("一、抓投资。", "gb18030") == (1.0, 6)
    assert legacy_score("abc", "gb18030") == (0.0, 0)
    d = detect_chinese("縣人民政府關於印發重點工作的通知".encode("big5"))
    assert d is not None and d.encoding == "big5" and not d.unsure


def test_declared_charset_still_wins_over_detection():
    raw = "县政府工作".encode("gbk")  # decodes as Big5 too
    text, facts = decode_bytes(raw, declared="big5")  # the page says Big5
    assert text == raw.decode("big5") and facts["encoding"] == "big5"


def test_the_record_says_which_encoding(nlp_char, tmp_path):
    from govnlp.tagging import tag_paths

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "gbk.txt").write_bytes("一、抓投资。\n二、抓招商。\n".encode("gbk"))
    (docs / "utf8.txt").write_text("一、抓投资。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    tag_paths(nlp_char, [docs], out)
    recs = {r["doc_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert recs["gbk.txt"]["meta"]["encoding"] == "gb18030"
    assert recs["gbk.txt"]["meta"]["encoding_confidence"] >= UNSURE
    assert recs["gbk.txt"]["text"].startswith("一、抓投资。")
    assert recs["utf8.txt"]["meta"]["encoding"] == "utf-8"
    assert recs["utf8.txt"]["meta"]["encoding_confidence"] == 1.0


def test_a_short_gbk_csv_is_read(tmp_path):
    from govnlp.io import iter_documents

    # main took these 30 bytes for UTF-16 and found no "text" column
    (tmp_path / "t.csv").write_bytes("id,text\n1,抓投资\n2,县政府\n".encode("gbk"))
    docs = list(iter_documents([tmp_path / "t.csv"]))
    assert [(d.doc_id, d.text, d.error) for d in docs] == [
        ("1", "抓投资", None),
        ("2", "县政府", None),
    ]
