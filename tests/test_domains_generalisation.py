"""Domains that hold on unseen sources: the relative secondary rule, word features, LOSO."""

from __future__ import annotations

import json

import numpy as np
import pytest

from govnlp.domains.evaluation import choose_secondary_rule, labels_from_probabilities
from govnlp.domains.generalisation import leave_one_source_out, paired_difference
from govnlp.domains.labelled import LabelledItem
from govnlp.domains.model import DomainModel
from govnlp.domains.sklearn_backend import CharNgramClassifier
from govnlp.domains.sources import item_levels, item_sources, source_of


def test_relative_rule_keeps_a_close_runner_up_only():
    probs = np.array(
        [
            [0.42, 0.30, 0.12, 0.05],  # runner-up at 0.71 of the top: kept
            [0.90, 0.30, 0.05, 0.05],  # 0.33 of the top: not kept
            [0.35, 0.33, 0.32, 0.31],
        ]
    )  # three close labels, capped at 3
    thresholds = np.full(4, 0.5)
    plain = labels_from_probabilities(probs, thresholds, min_labels=1, max_labels=3)
    assert plain.sum(axis=1).tolist() == [1, 1, 1]
    ruled = labels_from_probabilities(
        probs, thresholds, min_labels=1, max_labels=3, secondary_ratio=0.6, secondary_floor=0.2
    )
    assert ruled[0].tolist() == [True, True, False, False]
    assert ruled[1].tolist() == [True, False, False, False]
    assert ruled.sum(axis=1).tolist()[2] == 3
    floored = labels_from_probabilities(
        probs, thresholds, secondary_ratio=0.6, secondary_floor=0.31
    )
    assert floored[0].tolist() == [True, False, False, False]


def test_secondary_rule_is_chosen_only_when_it_helps():
    y = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1]] * 5)
    helps = np.array([[0.5, 0.38, 0.05], [0.6, 0.1, 0.1], [0.1, 0.5, 0.4], [0.1, 0.1, 0.7]] * 5)
    ratio, floor, _ = choose_secondary_rule(y, helps, np.full(3, 0.45))
    assert ratio is not None
    single = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]] * 5)
    sure = np.array([[0.9, 0.5, 0.1], [0.1, 0.9, 0.45], [0.45, 0.1, 0.9]] * 5)
    assert choose_secondary_rule(single, sure, np.full(3, 0.6))[0] is None


TEXTS = [
    "加强安全生产检查",
    "开展消防安全隐患排查",
    "防汛防台应急演练",
    "推进污水治理工程",
    "实施生态修复保护",
    "开展大气污染防治",
] * 4
WORDS = [
    ["加强", "安全", "生产", "检查"],
    ["开展", "消防", "安全", "隐患", "排查"],
    ["防汛", "防台", "应急", "演练"],
    ["推进", "污水", "治理", "工程"],
    ["实施", "生态", "修复", "保护"],
    ["开展", "大气", "污染", "防治"],
] * 4
Y = [[1, 0]] * 3 + [[0, 1]] * 3


def test_word_ngram_features_save_and_load_without_pickle(tmp_path):
    clf = CharNgramClassifier(["safety", "ecology"], word_ngram_range=(1, 2), word_min_df=1, seed=0)
    clf.fit(TEXTS, Y * 4, words=WORDS)
    assert clf.uses_words and "安全 生产" in clf.word_vocabulary
    plain = CharNgramClassifier(["safety", "ecology"], seed=0).fit(TEXTS, Y * 4)
    assert clf.features(TEXTS[:2], WORDS[:2]).shape[1] == plain.features(TEXTS[:2]).shape[1] + len(
        clf.word_vocabulary
    )
    before = clf.predict_proba(TEXTS[:6], WORDS[:6])
    clf.to_disk(tmp_path / "clf")
    with np.load(tmp_path / "clf" / "weights.npz", allow_pickle=False) as weights:
        assert "word_idf" in weights.files
    again = CharNgramClassifier.from_disk(tmp_path / "clf")
    assert again.uses_words and np.allclose(
        again.predict_proba(TEXTS[:6], WORDS[:6]), before, atol=1e-3
    )
    assert before[0].argmax() == 0 and before[3].argmax() == 1
    with pytest.raises(ValueError, match="word lists"):
        again.predict_proba(TEXTS[:2], WORDS[:1])


def test_model_records_the_secondary_rule(tmp_path):
    clf = CharNgramClassifier(["safety", "ecology"], seed=0).fit(TEXTS, Y * 4)
    model = DomainModel(clf, secondary_ratio=0.5, secondary_floor=0.2)
    model.to_disk(tmp_path / "m")
    again = DomainModel.from_disk(tmp_path / "m")
    assert (again.secondary_ratio, again.secondary_floor) == (0.5, 0.2)


def test_sources_from_references_and_columns():
    assert source_of("shared:corpus/raw/ZhouYNF__platform-1/ge_policy_raw20190217/1.txt") == (
        "state_council_notices",
        "national",
    )
    items = [
        LabelledItem("x", ["a"], meta={"doc": "shared:corpus/counties/a.txt"}),
        LabelledItem("y", ["a"], meta={"source": "甲县", "level": "county"}),
    ]
    assert item_sources(items) == ["county_pages", "甲县"] and item_levels(items) == [
        "county",
        "county",
    ]


def _items():
    out = []
    for source in ("甲县", "乙县", "national"):
        level = "national" if source == "national" else "county"
        for text, labels in zip(TEXTS, ([["safety"]] * 3 + [["ecology"]] * 3) * 4):
            out.append(
                LabelledItem(f"{source}{text}", labels, meta={"source": source, "level": level})
            )
    return out


def test_leave_one_source_out_holds_out_each_county_source():
    items = _items()
    result = leave_one_source_out(items, seed=0)
    assert sorted(result["sources"]) == ["乙县", "甲县"]  # national is not a county-level source
    for fig in result["sources"].values():
        assert (
            fig["n_items"] == 24 and fig["n_train"] == 48
        )  # the held-out source is not trained on
    assert result["pooled"]["n_items"] == 48
    low, high = result["pooled"]["interval_95"]["micro_f1"]
    assert 0.0 <= low <= result["pooled"]["micro_f1"] <= high <= 1.0
    weighted = leave_one_source_out(
        items, seed=0, level_weights={"national": 0.3}, secondary_rule=True
    )
    diff = paired_difference(weighted, result, n=200)
    assert set(diff) == {"micro_f1", "macro_f1", "primary_accuracy"}
    lo, hi = diff["micro_f1"]["interval_95"]
    assert lo <= diff["micro_f1"]["difference"] <= hi


def test_train_command_reports_leave_one_source_out(tmp_path):
    from govnlp import cli

    data = tmp_path / "items.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for it in _items():
            fh.write(
                json.dumps(
                    {"text": it.text, "labels": it.labels, "source": it.meta["source"]},
                    ensure_ascii=False,
                )
                + "\n"
            )
    out = tmp_path / "model"
    code = cli.main(
        [
            "train",
            str(data),
            "-o",
            str(out),
            "--model-only",
            "--leave-one-source-out",
            "--secondary-rule",
            "--level-weight",
            "national=0.5",
        ]
    )
    assert code == 0
    report = json.loads((out / "training_report.json").read_text(encoding="utf-8"))
    assert sorted(report["leave_one_source_out"]["sources"]) == [
        "national",
        "乙县",
        "甲县",
    ]  # no levels in the file: every source
    assert report["level_weights"] == {"national": 0.5}
    assert "secondary_rule" in report and "_pooled" not in report["leave_one_source_out"]
