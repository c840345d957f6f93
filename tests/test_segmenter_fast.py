"""The numpy segmenter against pkuseg's own (Cython) inference, on small synthetic models.

The models are built here: feature names as pkuseg's feature extractor writes
them for a random text, random weights rounded coarsely (so that Viterbi ties
occur), a unigram list with ``""`` in it (as in the real model), post-processing
words. pkuseg's inference on the same directory is the reference.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import List

import numpy as np
import pytest

from govnlp.segmenter import fast as fast_mod
from govnlp.segmenter.fast import FastSegmenter, load_segmenter, normalize_units, viterbi_batch
from govnlp.segmenter.hashtable import HashTable
from govnlp.segmenter.index import build_index, has_index
from govnlp.segmenter.model_files import (
    load_pkuseg,
    write_features,
    write_processors,
    write_weights,
)
from govnlp.segmenter.strhash import Prefix, concat, const, finalize, hash_strings
from govnlp.segmenter.userdict import Preprocesser

spacy_pkuseg = pytest.importorskip("spacy_pkuseg")

ALPHABET = (
    "县发改局牵头负责区政府工作报告推进项目建设年月日元亿万三十0123456789.-_,|/*:ＡａＢ／·、，。"
    "（）％ 𠀀\ud800\n"
)


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


#: the models are built from text without lone surrogates and newlines (a model file holds neither)
MODEL_ALPHABET = ALPHABET.replace("\ud800", "").replace("\n", "")


def _random_text(rng: random.Random, n: int, alphabet: str = ALPHABET) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _make_model(tmp: Path, seed: int, *, noword: bool) -> Path:
    rng = random.Random(seed)
    texts = [_random_text(rng, rng.randint(1, 40), MODEL_ALPHABET) for _ in range(60)]
    words = set()
    for t in texts:
        for _ in range(6):
            a = rng.randrange(len(t))
            words.add(t[a : a + rng.randint(1, 6)])
    words = {
        w for w in words if w and not any(c.isspace() for c in w)
    }  # pkuseg's words hold no whitespace
    unigram = sorted(w.translate(fast_mod._RENAME) for w in words) + [""]
    fe = spacy_pkuseg.FeatureExtractor()
    fe.unigram = set(unigram)
    fe.bigram = _Everything()  # every word pair becomes a feature name
    names = set()
    for t in texts:
        nodes = list(fe.normalize_text(t))
        for i in range(len(nodes)):
            names.update(f for f in fe.get_node_features(i, nodes) if f != "/")
    # pkuseg's inference looks "" up as a word (get_node_features does not): add such names
    names.update(
        ["w-1.", "w1.", "ww.l.*", "ww.r.*"]
        + [f"ww.l.*{w}" for w in unigram[:20]]
        + [f"ww.r.{w}*" for w in unigram[:20]]
    )
    if not noword:
        names = {n for n in names if "**noWord" not in n}
    names.discard("$$")
    kept = ["$$"] + sorted(n for n in names if rng.random() < 0.8)
    n_tag = 5
    w = np.round(np.array([rng.gauss(0, 1) for _ in range(n_tag * (len(kept) + n_tag))]) * 2) / 2
    model = tmp / f"model{seed}"
    model.mkdir()
    write_features(
        model,
        unigram,
        {n: i for i, n in enumerate(kept)},
        {"B": 0, "B_single": 1, "I": 2, "I_end": 3, "I_first": 4},
    )
    write_weights(model, n_tag, len(kept), w)
    other = sorted({w for w in words if len(w) >= 2})[:40]
    write_processors(model, user_dict=[], do_process=True, common_words=[], other_words=other)
    build_index(model)
    return model


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> List[Path]:
    tmp = tmp_path_factory.mktemp("seg")
    return [
        _make_model(tmp, 1, noword=False),
        _make_model(tmp, 2, noword=True),
        _make_model(tmp, 3, noword=False),
    ]


def test_same_tokens_as_pkuseg_on_synthetic_models(models: List[Path]) -> None:
    rng = random.Random(7)
    texts = [_random_text(rng, rng.randint(0, 300)) for _ in range(150)] + [
        "",
        "  ",
        "县",
        "1",
        "县 发",
    ]
    for model in models:
        ref, fast = load_pkuseg(model), FastSegmenter.load(model)
        assert [fast.cut(t) for t in texts] == [ref.cut(t) for t in texts]


def test_user_words_and_post_processing_as_pkuseg(models: List[Path]) -> None:
    rng = random.Random(11)
    texts = [_random_text(rng, rng.randint(1, 200)) for _ in range(60)]
    for model in models:
        ref, fast = load_pkuseg(model), FastSegmenter.load(model)
        words = ["发改局", "区政府", "牵头负责", "项目建设", "县发", "0", "、，"]
        for w in words:
            ref.preprocesser.insert(w, "")
            fast.preprocesser.insert(w, "")
        assert [fast.cut(t) for t in texts] == [ref.cut(t) for t in texts]
        fast.do_process = ref.postprocesser.do_process = False
        assert [fast.cut(t) for t in texts] == [ref.cut(t) for t in texts]


def test_save_round_trip_keeps_index_and_user_words(models: List[Path], tmp_path: Path) -> None:
    fast = FastSegmenter.load(models[0])
    fast.preprocesser.insert("牵头负责区政府", "")
    fast.save(tmp_path / "saved")
    assert has_index(tmp_path / "saved")
    for name in ("weights.npy", "features.keys.npy"):  # copies, not links to the provisioned model
        assert (tmp_path / "saved" / name).stat().st_ino != (models[0] / name).stat().st_ino
    again = load_segmenter(tmp_path / "saved")
    assert isinstance(again, FastSegmenter)
    assert again.cut("由牵头负责区政府推进") == fast.cut("由牵头负责区政府推进")
    assert "牵头负责区政府" in again.cut("由牵头负责区政府推进")


def test_directory_without_index_falls_back_to_pkuseg(models: List[Path], tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in ("features.msgpack", "weights.npy", "processors.msgpack"):
        (plain / name).write_bytes((models[0] / name).read_bytes())
    with pytest.warns(UserWarning, match="setup-segmenter"):
        seg = load_segmenter(plain)
    assert not isinstance(seg, FastSegmenter)
    build_index(plain)
    assert isinstance(load_segmenter(plain), FastSegmenter)


def test_viterbi_matches_pkuseg_with_ties() -> None:
    from spacy_pkuseg.inference import run_viterbi

    rng = np.random.default_rng(3)
    lengths = np.array([1, 2, 7, 30, 5, 30, 1])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    Y = rng.integers(-2, 3, size=(int(lengths.sum()), 5)).astype(float)  # integers: many ties
    edge = rng.integers(-1, 2, size=(5, 5)).astype(float)
    got = viterbi_batch(Y, edge, starts, lengths)
    for s, n in zip(starts, lengths):
        _, want = run_viterbi(np.ascontiguousarray(Y[s : s + n]), edge)
        assert got[s : s + n].tolist() == list(want)


def test_normalised_units_follow_pkuseg() -> None:
    text = "县2.Ａ-的％"
    want = list(spacy_pkuseg.FeatureExtractor.normalize_text(text))
    h, n = normalize_units(text)
    assert n.tolist() == [len(u) for u in want]
    assert h.tolist() == [const(u) for u in want]


def test_hashes_compose_and_substrings() -> None:
    words = ["", "a", "县发改局", "**Num", "ww.l.*县"]
    hs = hash_strings(words)
    assert hs.tolist() == [const(w) for w in words]
    assert int(concat(np.array([hs[2]]), np.array([hs[3]]), np.array([5]))[0]) == const(
        "县发改局**Num"
    )
    pre = Prefix.of_text("ab县发改局c")
    a, b = np.array([0, 2, 3, 4]), np.array([0, 6, 5, 7])
    assert pre.hash(a, b).tolist() == [const(s) for s in ("", "县发改局", "发改", "改局c")]
    assert pre.length(a, b).tolist() == [0, 4, 2, 3]


def test_hash_table_finds_every_key_and_nothing_else() -> None:
    rng = np.random.default_rng(0)
    keys = np.unique(rng.integers(0, 2**63, size=5000, dtype=np.uint64) * np.uint64(2))
    table = HashTable.build(keys, values=np.arange(len(keys)))
    assert (table.get(keys) == np.arange(len(keys))).all()
    assert not table.contains(keys + np.uint64(1)).any()
    with pytest.raises(ValueError, match="duplicate"):
        HashTable.build(np.array([1, 2, 1], dtype=np.uint64))
    assert finalize(np.array([1], dtype=np.uint64))[0] != 1


def test_user_dictionary_solves_like_pkuseg() -> None:
    words = ["发改局", "县发改", "县发改局牵", "abc", "a"]
    mine, theirs = Preprocesser(words), spacy_pkuseg.Preprocesser(words)
    rng = random.Random(5)
    for _ in range(300):
        t = "".join(rng.choice("县发改局牵头abcx") for _ in range(rng.randint(1, 20)))
        assert mine.solve(t) == theirs.solve(t)


def test_node_scores_are_pkusegs_to_the_bit(tmp_path: Path) -> None:
    """Full-precision weights: any change in the order of the sums shows up in the last bits."""
    from spacy_pkuseg.inference import getLogYY

    model = _make_model(tmp_path, 4, noword=False)
    w = np.load(model / "weights.npy")
    rng = np.random.default_rng(4)
    w = w + rng.standard_normal(w.shape) * 10.0 ** rng.integers(-9, 3, size=w.shape)
    np.save(model / "weights.npy", w)
    ref, fast = load_pkuseg(model), FastSegmenter.load(model)
    rnd = random.Random(4)
    texts = [_random_text(rnd, rnd.randint(1, 80)).replace(" ", "") or "县" for _ in range(40)]
    for text in texts:
        nodes = list(ref.feature_extractor.normalize_text(text))
        feats = [ref.feature_extractor.get_node_features_idx(i, nodes) for i in range(len(nodes))]
        want, _ = getLogYY(
            feats, ref.model.n_tag, ref.model.n_feature * ref.model.n_tag, ref.model.w, 1.0
        )
        got = fast.node_scores(text, np.array([0]), np.array([len(text)]))
        assert np.array_equal(got, want), text
    assert [fast.cut(t) for t in texts] == [ref.cut(t) for t in texts]


def test_long_documents_are_cut_in_batches_with_the_same_tokens(
    models: List[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(9)
    text = " ".join(_random_text(rng, rng.randint(1, 60)) for _ in range(200))
    fast = FastSegmenter.load(models[0])
    whole = fast.cut(text)
    monkeypatch.setattr(fast_mod, "BATCH_CHARS", 50)
    assert fast.cut(text) == whole == load_pkuseg(models[0]).cut(text)


def test_words_and_spaces_as_spacy() -> None:
    from spacy.util import get_words_and_spaces

    from govnlp.segmenter.tokenizer import words_and_spaces

    rng = random.Random(2)
    # words without whitespace take the path that visits only the whitespace runs; a " " word
    # (one time in five) the general one
    for _ in range(1000):
        words = [
            "".join(rng.choice("县发改局ab") for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(0, 12))
        ]
        seps = [
            rng.choice(["", "", " ", "  ", "\n", " \n ", "\t", "\u3000", " \u3000", "\xa0"])
            for _ in range(len(words) + 1)
        ]
        text = seps[0] + "".join(w + s for w, s in zip(words, seps[1:]))
        given = words + ([" "] if rng.random() < 0.2 else [])
        assert words_and_spaces(given, text) == get_words_and_spaces(given, text)
    with pytest.raises(ValueError):
        words_and_spaces(["县", "局"], "县发局")


@pytest.mark.parametrize("name", ["strhash", "hashtable", "userdict", "fast", "tokenizer"])
def test_docstring_examples(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"govnlp.segmenter.{name}"))
    assert result.attempted > 0 and result.failed == 0


def test_setup_adds_the_index_to_a_model_provisioned_before(
    models: List[Path], tmp_path: Path
) -> None:
    from govnlp.segmenter.provision import provision_segmenter

    old = tmp_path / "default"
    old.mkdir()
    for name in ("features.msgpack", "weights.npy", "processors.msgpack"):
        (old / name).write_bytes((models[1] / name).read_bytes())
    assert not has_index(old)
    assert provision_segmenter(old) == old  # offline: no wheel needed
    assert has_index(old) and isinstance(load_segmenter(old), FastSegmenter)


def test_character_classes_are_pkusegs() -> None:
    fe = spacy_pkuseg.FeatureExtractor
    assert set(fast_mod._NUM) == fe.num and set(fast_mod._LETTER) == fe.letter
    assert fast_mod._RENAME == fe.keywords_translate_table
    from spacy_pkuseg.config import config

    assert (config.wordMax, config.wordMin, config.numLetterNorm, config.wordFeature) == (
        6,
        2,
        True,
        True,
    )
    assert fast_mod._WORD_LENGTHS == tuple(range(config.wordMax, config.wordMin - 1, -1))
