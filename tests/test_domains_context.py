"""Features that carry across sources: the item's heading context, its title and the taxonomy's
lexicon."""

from __future__ import annotations

import numpy as np
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
