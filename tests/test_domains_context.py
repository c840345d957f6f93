"""Features that carry across sources: the item's heading context, its title and the taxonomy's
lexicon."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from govnlp.domains.component import DomainTagger
from govnlp.domains.context import context_of, contexts_in_document
from govnlp.domains.labelled import LabelledItem
from govnlp.domains.model import DomainModel
from govnlp.domains.sklearn_backend import CharNgramClassifier, default_lexicon
from govnlp.domains.training import item_contexts, train_domain_model
from govnlp.items.parser import parse_items

DOCUMENT = (
    "一、安全生产\n(一)推进重点工作落实。\n(二)开展专项检查行动。\n"
    "二、生态环境\n(一)推进重点工作落实。\n(二)开展专项检查行动。\n"
)


def _toy_items(n: int = 6):
    """The same item texts under two headings: only the heading tells the label."""
    items = []
    for k in range(n):
        for heading, label in (("安全生产", "safety"), ("生态环境", "ecology")):
            for body in ("推进重点工作落实", "开展专项检查行动", "抓好各项任务推进"):
                items.append(LabelledItem(f"({k + 1}){body}。", [label], meta={"context": heading}))
    return items


def test_context_is_the_titles_of_the_headings_above_an_item():
    records = parse_items(DOCUMENT)
    by_id = {r["id"]: r for r in records}
    leaves = [r for r in records if r["leaf"]]
    assert [context_of(r, by_id) for r in leaves] == ["安全生产"] * 2 + ["生态环境"] * 2
    assert context_of(records[0], by_id) == ""  # a top-level heading has nothing above it


def test_training_contexts_are_the_ones_the_component_sees():
    records = parse_items(DOCUMENT)
    by_id = {r["id"]: r for r in records}
    leaves = [r for r in records if r["leaf"]]
    spans = [(r["start"], r["end"]) for r in leaves]
    assert contexts_in_document(DOCUMENT, spans) == [context_of(r, by_id) for r in leaves]
    # a span the parser does not have (part of an item): the headings around it, innermost last
    start = leaves[2]["start"] + 3
    assert contexts_in_document(DOCUMENT, [(start, start + 4)]) == [
        "生态环境\n" + (leaves[2]["title"] or "")
    ]


def test_item_contexts_read_the_annotated_document_once(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    leaves = [r for r in parse_items(DOCUMENT) if r["leaf"]]
    items = [
        LabelledItem(
            DOCUMENT[r["start"] : r["end"]],
            ["x"],
            meta={"doc_path": str(path), "start": r["start"], "end": r["end"]},
        )
        for r in leaves
    ]
    items.append(LabelledItem("用户自己的条目", ["x"], meta={"context": "用户给的标题"}))
    items.append(LabelledItem("没有出处的条目", ["x"]))
    assert item_contexts(items) == ["安全生产"] * 2 + ["生态环境"] * 2 + ["用户给的标题", ""]


def test_context_features_tell_apart_items_that_only_their_heading_separates(tmp_path):
    items = _toy_items()
    labels = ["ecology", "safety"]
    y = np.array([[lab in it.labels for lab in labels] for it in items], dtype=int)
    texts = [it.text for it in items]
    contexts = [it.meta["context"] for it in items]
    plain = CharNgramClassifier(labels, seed=0).fit(texts, y)
    with_context = CharNgramClassifier(labels, seed=0, context_weight=0.5).fit(
        texts, y, contexts=contexts
    )
    probe = ["(3)推进重点工作落实。", "(3)推进重点工作落实。"]
    under = ["安全生产", "生态环境"]
    p = with_context.predict_proba(probe, contexts=under)
    assert p[0].argmax() == labels.index("safety") and p[1].argmax() == labels.index("ecology")
    q = plain.predict_proba(probe)
    assert np.allclose(q[0], q[1])  # without the context block the two are the same item
    with_context.to_disk(tmp_path / "m")
    assert (tmp_path / "m" / "context_vocabulary.json").is_file()
    again = CharNgramClassifier.from_disk(tmp_path / "m")
    assert again.uses_context
    assert np.allclose(again.predict_proba(probe, contexts=under), p, atol=1e-3)


def test_the_component_passes_each_items_headings_to_the_model():
    model, _ = train_domain_model(_toy_items(), seed=0, settings={"context_weight": 0.5}, test=0.0)
    assert model.uses_context
    nlp = spacy.blank("zh")
    nlp.add_pipe("govnlp_items")
    tagger = nlp.add_pipe("govnlp_domains", config={"model": None})
    assert isinstance(tagger, DomainTagger)
    tagger.set_model(model)
    doc = nlp(DOCUMENT)
    leaves = [it for it in doc._.items if it["leaf"]]
    assert [it["labels"][0] for it in leaves] == ["safety"] * 2 + ["ecology"] * 2
    # the same model without the headings: every item gets the same probabilities
    texts = [doc.text[it["start"] : it["end"]] for it in leaves]
    bare = DomainModel.predict_proba(model, [texts[0], texts[2]])
    assert np.allclose(bare[0], bare[1])


def test_lexicon_block_counts_the_taxonomys_cues_per_label(tmp_path):
    lexicon = default_lexicon(["safety", "ecology", "unknown_label"])
    assert "安全生产" in lexicon["safety"] and "unknown_label" not in lexicon
    labels = ["ecology", "safety"]
    clf = CharNgramClassifier(labels, lexicon_weight=0.5, lexicon=lexicon)
    block = clf._lexicon_counts(["落实安全生产责任,做好消防工作", "推进黑臭水体治理", "其他"])
    dense = block.toarray()
    assert dense[0, 1] > 0 and dense[0, 0] == 0
    assert dense[1, 0] > 0 and dense[1, 1] == 0
    assert not dense[2].any()
    items = _toy_items(3)
    y = np.array([[lab in it.labels for lab in labels] for it in items], dtype=int)
    fitted = CharNgramClassifier(labels, seed=0, lexicon_weight=0.5).fit(
        [it.meta["context"] + it.text for it in items], y
    )
    assert fitted.lexicon == default_lexicon(labels)  # filled from the taxonomy, then saved
    fitted.to_disk(tmp_path / "lex")
    again = CharNgramClassifier.from_disk(tmp_path / "lex")
    probe = ["安全生产推进重点工作落实", "生态环境开展专项检查行动"]
    assert np.allclose(again.predict_proba(probe), fitted.predict_proba(probe), atol=1e-3)


def test_min_sources_keeps_only_ngrams_that_several_sources_use():
    texts = ["宋晖牵头安全生产", "宋晖牵头消防检查", "安全生产检查", "消防安全演练"] * 3
    groups = ["a", "a", "b", "b"] * 3
    y = np.array([[1], [1], [1], [1]] * 3)
    y[::2] = 0
    every = CharNgramClassifier(["safety"], seed=0).fit(texts, y)
    shared = CharNgramClassifier(["safety"], seed=0, min_sources=2).fit(texts, y, groups=groups)
    assert "宋晖" in every.vocabulary and "宋晖" not in shared.vocabulary
    assert "安全" in shared.vocabulary and "消防" in shared.vocabulary
    assert len(shared.idf) == len(shared.vocabulary) == shared.coef.shape[1]
    ignored = CharNgramClassifier(["safety"], seed=0, min_sources=2).fit(texts, y)
    assert ignored.vocabulary == every.vocabulary  # no sources given: nothing to hold against


def test_title_block_weighs_what_an_item_announces_first(tmp_path):
    from govnlp.domains.sklearn_backend import item_title

    title = item_title("  四是大力提升旅游业发展水平。重点推进景区建设")
    assert title == "四是大力提升旅游业发展水平"
    assert item_title("推进安全生产：开展检查") == "推进安全生产"
    assert item_title("加快发展电商新业态,完善县域电商公共平台", max_chars=6) == "加快发展电商"
    # the same two topics in every item: only which one comes first (the title) tells the label
    safety, ecology, fill = "抓好安全生产工作", "推进污水生态工作", "甲乙丙丁戊己庚辛壬癸"
    texts, y = [], []
    for k in range(8):
        texts += [f"{safety}。{fill[k]}{ecology}", f"{ecology}。{fill[k]}{safety}"]
        y += [[0, 1], [1, 0]]
    labels = ["ecology", "safety"]
    probe = [f"{safety}。{fill[9]}{ecology}", f"{ecology}。{fill[9]}{safety}"]
    plain = CharNgramClassifier(labels, seed=0).fit(texts, np.array(y))
    titled = CharNgramClassifier(labels, seed=0, title_weight=0.5).fit(texts, np.array(y))
    assert titled.uses_title and not plain.uses_title
    assert "安全" in titled.title_vocabulary
    p = titled.predict_proba(probe)
    assert p[0, 1] > 0.9 and p[1, 0] > 0.9  # the title decides
    q = plain.predict_proba(probe)
    assert np.allclose(q[0], q[1], atol=1e-3)  # without the title block: the same n-grams
    titled.to_disk(tmp_path / "t")
    assert (tmp_path / "t" / "title_vocabulary.json").is_file()
    again = CharNgramClassifier.from_disk(tmp_path / "t")
    assert again.uses_title and again.settings() == titled.settings()
    assert np.allclose(again.predict_proba(probe), p, atol=1e-3)


def test_domain_weight_augments_the_features_per_domain_and_is_saved(tmp_path):
    from scipy import sparse

    from govnlp.domains.sklearn_backend import domain_augmented, fold_domain_weights

    x = sparse.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]], dtype=np.float32))
    aug = domain_augmented(x, [True, False], 0.5).toarray()
    assert aug.shape == (2, 9)
    assert aug[0].tolist() == [1.0, 0.0, 2.0, 0.5, 0.0, 1.0, 0.0, 0.0, 0.0]  # county: [x, Wx, 0]
    assert aug[1].tolist() == [0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0]  # other: [x, 0, Wx]
    # prediction as county-level ([x, Wx, 0]) with augmented weights = x with the folded ones
    coef = np.arange(18, dtype=np.float32).reshape(2, 9)
    as_county = domain_augmented(x, [True, True], 0.5) @ coef.T
    assert np.allclose(as_county, x @ fold_domain_weights(coef, 0.5).T)
    # only the national items say 检查 goes with ecology; the county items say safety
    texts = ["安全生产检查", "消防检查", "污水治理", "生态修复"] * 4
    texts += ["检查污水排放", "生态检查"] * 8
    y = np.array([[0, 1], [0, 1], [1, 0], [1, 0]] * 4 + [[1, 0], [1, 0]] * 8)
    county = [True] * 16 + [False] * 16
    labels = ["ecology", "safety"]
    plain = CharNgramClassifier(labels, seed=0, calibration_folds=0).fit(texts, y)
    adapted = CharNgramClassifier(labels, seed=0, calibration_folds=0, domain_weight=1.0)
    adapted.fit(texts, y, county=county)
    assert adapted.uses_domains and adapted.coef.shape == plain.coef.shape
    j = adapted.vocabulary.index("检查")
    assert adapted.coef[1, j] > plain.coef[1, j]  # county-level view: 检查 leans to safety more
    everyone = CharNgramClassifier(labels, seed=0, calibration_folds=0, domain_weight=1.0)
    assert not np.allclose(everyone.fit(texts, y).coef, adapted.coef)  # the flags matter
    adapted.to_disk(tmp_path / "da")
    again = CharNgramClassifier.from_disk(tmp_path / "da")
    assert again.domain_weight == 1.0 and again.settings() == adapted.settings()
    probe = ["开展安全检查", "污水检查"]
    assert np.allclose(again.predict_proba(probe), adapted.predict_proba(probe), atol=1e-3)
    assert CharNgramClassifier(labels).domain_weight == 0.0  # off by default
    shared = CharNgramClassifier(
        labels, seed=0, calibration_folds=0, domain_weight=1.0, domain_predict="shared"
    ).fit(texts, y, county=county)
    assert not np.allclose(shared.coef, adapted.coef)  # the shared block's weights alone
    shared.to_disk(tmp_path / "shared")
    assert CharNgramClassifier.from_disk(tmp_path / "shared").domain_predict == "shared"
    with pytest.raises(ValueError, match="domain_predict"):
        CharNgramClassifier(labels, domain_predict="national")


def test_training_tells_a_domain_weight_model_which_items_are_county_level(monkeypatch):
    seen = []
    fit = CharNgramClassifier.fit

    def spy(self, texts, y, **kw):
        seen.append(kw.get("county"))
        return fit(self, texts, y, **kw)

    monkeypatch.setattr(CharNgramClassifier, "fit", spy)
    items = [
        LabelledItem(t, [lab], meta={"level": level})
        for level in ("county", "national")
        for t, lab in [("安全生产检查排查", "safety"), ("污水治理与生态修复", "ecology")] * 10
    ]
    train_domain_model(items, seed=0, settings={"domain_weight": 0.5})
    assert seen and all(flags is not None for flags in seen)
    assert 0 < sum(seen[0]) < len(seen[0])  # both domains in the training part
    seen.clear()
    train_domain_model(items, seed=0)
    assert seen == [None]
