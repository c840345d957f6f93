"""Policy domains: taxonomy, splits and thresholds, both backends, the component, training as a user
does it.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from govnlp.domains import (
    DomainModel,
    LabelledItem,
    choose_thresholds,
    default_model_path,
    load_reference_annotations,
    parse_labels,
    read_labelled_file,
    split_indices,
    train_domain_model,
)
from govnlp.domains.annotation_tools import (
    from_doccano,
    from_label_studio,
    items_from_records,
    to_doccano,
    to_label_studio,
)
from govnlp.domains.evaluation import labels_from_probabilities, multilabel_report
from govnlp.domains.sklearn_backend import CharNgramClassifier
from govnlp.taxonomy import Taxonomy, load_taxonomy
from tests.conftest import ROOT, SAMPLES

TOY = ROOT / "tests" / "data" / "toy_domains.jsonl"
GOVNLP = [sys.executable, "-m", "govnlp.cli"]
SPEC_TAXONOMY = ROOT.parent / "shared" / "spec" / "taxonomy.md"


def run_cli(*args, check=True):
    return subprocess.run([*GOVNLP, *args], capture_output=True, text=True, check=check, cwd=ROOT)


def toy_items():
    return [
        LabelledItem(r["text"], r["labels"], r["id"])
        for r in map(json.loads, TOY.read_text(encoding="utf-8").splitlines())
    ]


# -- taxonomy -----------------------------------------------------------------------------


def test_default_taxonomy_has_the_18_labels_with_names_and_crosswalks():
    tax = load_taxonomy()
    assert len(tax) == 18 and len(set(tax.ids)) == 18
    for lab in tax:
        assert lab.name_zh and lab.definition and lab.cap_major_topics and lab.zhuti_fenlei
    assert tax["ecology"].name_zh == "生态环境保护"
    assert tax["ecology"].cap_names == ["Environment", "Public Lands"]
    assert tax["public_security"].zhuti_top == ["公安、安全、司法", "综合政务"]
    assert tax.crosswalk(["education", "health"], to="zhuti") == {
        "卫生、体育": 1.0,
        "科技、教育": 1.0,
    }
    with pytest.raises(ValueError):
        tax.crosswalk(["education"], to="nope")


@pytest.mark.skipif(not SPEC_TAXONOMY.exists(), reason="../shared/spec is not present")
def test_taxonomy_data_matches_the_spec_table():
    ids = re.findall(r"^\| `(\w+)` \|", SPEC_TAXONOMY.read_text(encoding="utf-8"), flags=re.M)
    assert load_taxonomy().ids == ids


def test_user_taxonomy_from_ids_round_trips():
    tax = Taxonomy.from_ids(["经济", "环境与安全", "公共服务"])
    again = Taxonomy.from_dict(tax.to_dict())
    assert again.ids == ["经济", "环境与安全", "公共服务"]
    with pytest.raises(ValueError):
        Taxonomy.from_ids(["a", "a"])


# -- pure functions -------------------------------------------------------------------------


def test_parse_labels_accepts_lists_and_delimited_strings():
    assert parse_labels("safety;ecology") == ["safety", "ecology"]
    assert parse_labels("safety、ecology, safety") == ["safety", "ecology"]
    assert parse_labels(["a", " ", "b"]) == ["a", "b"]
    assert parse_labels(None) == []


def test_split_is_reproducible_stratified_and_disjoint():
    primary = ["a"] * 40 + ["b"] * 20 + ["c"] * 2
    tr, va, te = split_indices(primary, seed=3)
    assert (tr, va, te) == split_indices(primary, seed=3)
    assert split_indices(primary, seed=4) != (tr, va, te)
    assert sorted(tr + va + te) == list(range(len(primary)))
    assert sum(primary[i] == "a" for i in te) == 6 and sum(primary[i] == "b" for i in te) == 3
    assert all(primary[i] != "c" for i in va + te)  # too rare: training only


def test_thresholds_maximise_f1_per_label():
    y = np.array([[1], [1], [0], [0], [1], [0]])
    p = np.array([[0.9], [0.6], [0.55], [0.2], [0.7], [0.1]])
    assert choose_thresholds(y, p)[0] == pytest.approx(0.6)
    # a label with too few positives keeps the default
    assert choose_thresholds(np.array([[1], [0]]), np.array([[0.9], [0.1]]))[0] == 0.5
    # shrinkage towards the default, weighted by the positives that chose the cut-off (3 here)
    assert choose_thresholds(y, p, prior_weight=3.0)[0] == pytest.approx((3 * 0.6 + 3 * 0.5) / 6)


def test_labels_respect_min_and_max():
    probs = np.array([[0.1, 0.2, 0.3, 0.4], [0.9, 0.8, 0.7, 0.6]])
    dec = labels_from_probabilities(probs, np.full(4, 0.5), min_labels=1, max_labels=3)
    assert dec[0].tolist() == [False, False, False, True]  # none above: the best one
    assert dec[1].tolist() == [True, True, True, False]  # capped at 3


def _labels_by_row(probs, thresholds, min_labels, max_labels, secondary_ratio, floor):
    """labels_from_probabilities as it was written first, one row at a time (the reference)."""
    decided = probs >= np.asarray(thresholds)[None, :]
    if secondary_ratio is not None and probs.size:
        top = probs.max(axis=1, keepdims=True)
        decided |= (probs >= secondary_ratio * top) & (probs >= floor)
    order = np.argsort(-probs, axis=1, kind="stable")
    for r in range(probs.shape[0]):
        chosen = [j for j in order[r] if decided[r, j]]
        if len(chosen) < min_labels:
            chosen = list(order[r][:min_labels])
        if max_labels is not None:
            chosen = chosen[:max_labels]
        decided[r] = False
        decided[r, chosen] = True
    return decided


def test_labels_decided_at_once_are_those_of_the_row_by_row_rule():
    rng = np.random.default_rng(3)
    for trial in range(400):
        n_rows, n_labels = int(rng.integers(0, 6)), int(rng.integers(1, 7))
        # few distinct values: ties in probability and at the thresholds
        probs = rng.choice([0.0, 0.2, 0.5, 0.51, 0.8, 1.0], size=(n_rows, n_labels))
        thresholds = rng.choice([0.3, 0.5, 0.8], size=n_labels)
        min_labels = int(rng.integers(0, n_labels + 2))
        max_labels = [None, 0, 1, 2, 3, -1, n_labels + 1][trial % 7]
        ratio, floor = [(None, 0.0), (0.6, 0.2), (0.9, 0.0)][trial % 3]
        got = labels_from_probabilities(
            probs,
            thresholds,
            min_labels=min_labels,
            max_labels=max_labels,
            secondary_ratio=ratio,
            secondary_floor=floor,
        )
        want = _labels_by_row(probs, thresholds, min_labels, max_labels, ratio, floor)
        assert got.dtype == bool and got.tolist() == want.tolist()


def test_probabilities_rounded_at_once_are_pythons_rounded_floats():
    from govnlp.domains.model import round_like_python

    rng = np.random.default_rng(4)
    ties = (np.arange(0, 10_000) + 0.5) / 10_000  # near k.5e-4: the scaled value's hard cases
    values = np.concatenate(
        [
            rng.random(20_000),
            ties,
            np.nextafter(ties, 0),
            np.nextafter(ties, 1),
            [0.03125, 2.675, 1e-320, -0.00004, 0.0, 1.0, 3e9, 1e300, np.inf, -np.inf, np.nan, 0.5],
        ]
    )
    for ndigits in (4, 0, 2, 7, 16, -1):
        got = round_like_python(values.reshape(-1, 4)[:, ::-1], ndigits)
        want = [[round(v, ndigits) for v in row] for row in values.reshape(-1, 4)[:, ::-1].tolist()]
        assert repr(got) == repr(want), ndigits  # repr: the same floats, -0.0 and nan included


def test_report_counts_per_label():
    rep = multilabel_report(
        np.array([[1, 0], [1, 1]]),
        np.array([[1, 1], [0, 1]]),
        np.array([[0.9, 0.6], [0.4, 0.8]]),
        ["a", "b"],
    )
    assert rep["per_label"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667, "support": 2}
    assert rep["per_label"]["b"]["precision"] == 0.5
    assert rep["primary_accuracy"] == 1.0


# -- backends ---------------------------------------------------------------------------------


def test_sklearn_backend_learns_and_saves_without_pickle(tmp_path):
    items = toy_items()
    labels = ["经济", "环境与安全", "公共服务"]
    y = np.array([[lab in it.labels for lab in labels] for it in items], dtype=int)
    clf = CharNgramClassifier(labels, seed=0).fit([it.text for it in items], y)
    probs = clf.predict_proba(["做好防汛防台工作,全面排查安全隐患", "推进义务教育优质均衡发展"])
    assert probs[0].argmax() == 1 and probs[1].argmax() == 2
    clf.to_disk(tmp_path / "m")
    names = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert names == ["classifier.json", "vocabulary.json", "weights.npz"]
    with zipfile.ZipFile(
        tmp_path / "m" / "weights.npz"
    ) as z:  # plain .npy arrays, no object arrays
        assert all(n.endswith(".npy") for n in z.namelist())
    with np.load(tmp_path / "m" / "weights.npz", allow_pickle=False) as w:
        assert w["coef"].dtype == np.float16
    again = CharNgramClassifier.from_disk(tmp_path / "m")
    texts = [it.text for it in items[:20]]
    assert np.allclose(again.predict_proba(texts), clf.predict_proba(texts), atol=1e-3)


def test_bundled_classifier_scores_the_same_whatever_the_weights_layout():
    # prediction multiplies by the column-major weights' transpose as it is; the row-major
    # path (the columns a batch uses, gathered) must give the very same float32 sums
    from govnlp.domains.sklearn_backend import _times_transposed

    clf = DomainModel.load_default().classifier
    assert clf.coef.flags.f_contiguous and not clf.coef.flags.c_contiguous
    texts = [it.text for it in toy_items()[:40]] + ["做好防汛防台工作", ""]
    x = clf.features(texts, None, ["一、安全生产"] * len(texts))
    by_columns = _times_transposed(x, clf.coef)
    by_rows = _times_transposed(x, np.ascontiguousarray(clf.coef))
    assert by_columns.dtype == by_rows.dtype == np.float32
    assert by_columns.tobytes() == by_rows.tobytes() and np.abs(by_rows).sum() > 0


def test_a_batch_row_is_the_item_alone_with_contexts_counted_once():
    # the items of a batch that share a heading share its context, counted once: every row of
    # the batch's features must still be, byte for byte, the row of its item alone
    clf = DomainModel.load_default().classifier
    assert clf.uses_context
    texts = [it.text for it in toy_items()[:12]] + ["", "推进污水零直排区建设"]
    contexts = ["一、安全生产", "", "一、安全生产", "五、生态环境\n(一)治水"] * 3 + [
        "",
        "一、安全生产",
    ]
    batch = clf.features(texts, None, contexts)
    for r, (text, context) in enumerate(zip(texts, contexts)):
        alone = clf.features([text], None, [context])
        row = batch[r]
        assert np.array_equal(row.indices, alone.indices), r
        assert row.data.tobytes() == alone.data.tobytes(), r
    assert batch[0].nnz and batch[0][:, len(clf.vocabulary) :].nnz  # a context block is there


def test_textcat_backend_trains_and_round_trips(tmp_path):
    items = toy_items()
    model, report = train_domain_model(
        items, backend="textcat", seed=0, settings={"epochs": 3, "architecture": "bow"}
    )
    assert model.backend == "textcat" and report["test"]["n_items"] > 0
    model.to_disk(tmp_path / "tc")
    again = DomainModel.from_disk(tmp_path / "tc")
    texts = [it.text for it in items[:10]]
    assert np.allclose(again.predict_proba(texts), model.predict_proba(texts), atol=1e-5)


def test_training_is_reproducible():
    items = toy_items()
    _, a = train_domain_model(items, seed=1)
    _, b = train_domain_model(items, seed=1)
    assert a["test"]["per_label"] == b["test"]["per_label"]
    assert a["split_ids"] == b["split_ids"]


def test_unknown_model_format_is_refused(tmp_path):
    (tmp_path / "model.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="not a govnlp-domain-model"):
        DomainModel.from_disk(tmp_path)
    with pytest.raises(FileNotFoundError):
        DomainModel.from_disk(tmp_path / "missing")


# -- the bundled model and the component ----------------------------------------------------------


def test_bundled_model_ships_without_pickle():
    files = [p for p in default_model_path().rglob("*") if p.is_file()]
    assert files and all(p.suffix in (".json", ".npz") for p in files)
    model = DomainModel.load_default()
    assert model.labels == sorted(load_taxonomy().ids)
    assert model.info["test"]["macro"]["f1"] >= 0.80


def test_pipeline_tags_every_work_item(nlp_pkuseg, seed_texts):
    doc = nlp_pkuseg(seed_texts["002_ed9c876b7720aff2.txt"])
    leaves = [it for it in doc._.items if it["leaf"]]
    assert leaves
    for it in leaves:
        assert set(it["cats"]) == set(load_taxonomy().ids)
        assert 1 <= len(it["labels"]) <= 3
        assert it["labels"] == sorted(it["labels"], key=lambda lab: -it["cats"][lab])
    first = {doc.text[it["start"] : it["end"]][:10]: it["labels"][0] for it in leaves}
    assert first["1.一般公共预算收入"] == "fiscal_finance"


def test_component_round_trips_with_the_pipeline(nlp_char, tmp_path):
    import spacy

    text = (SAMPLES / "000_1b6371df3f24c22f.txt").read_text(encoding="utf-8")
    before = [it.get("cats") for it in nlp_char(text)._.items]
    nlp_char.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "govnlp_domains" / "model.json").is_file()
    after = [it.get("cats") for it in spacy.load(tmp_path / "pipe")(text)._.items]
    assert after == before
    pipe = nlp_char.get_pipe("govnlp_domains")
    clone = type(pipe)(None).from_bytes(pipe.to_bytes())
    assert clone.labels == pipe.labels


@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "corpus").exists(), reason="../shared is not present"
)
def test_corpus_annotations_rebuild_from_shared():
    items = load_reference_annotations()
    assert len(items) >= 1500 + 250
    shared = [it for it in items if it.meta["doc"].startswith("shared:")]
    assert len(shared) >= 1500
    assert all(it.text.strip() and it.labels for it in items)
    tax = set(load_taxonomy().ids)
    assert all(set(it.labels) <= tax and 1 <= len(it.labels) <= 3 for it in items)


# -- training as a user does it: a three-label toy taxonomy, files, CLI, annotation tools
# ------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_read_labelled_files(tmp_path, fmt):
    rows = [json.loads(line) for line in TOY.read_text(encoding="utf-8").splitlines()[:12]]
    path = tmp_path / f"toy.{fmt}"
    if fmt == "jsonl":
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    elif fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "text", "labels"])
            for r in rows:
                w.writerow([r["id"], r["text"], ";".join(r["labels"])])
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path)
    items = read_labelled_file(path)
    assert [(it.text, it.labels) for it in items] == [(r["text"], r["labels"]) for r in rows]
    with pytest.raises(ValueError, match="no column"):
        read_labelled_file(path, text_column="body")


def test_train_evaluate_and_tag_with_a_three_label_taxonomy(tmp_path):
    model_dir = tmp_path / "toy-model"
    res = run_cli("train", str(TOY), "-o", str(model_dir), "--seed", "0")
    assert "held-out test" in res.stdout and "macro" in res.stdout
    report = json.loads((model_dir / "training_report.json").read_text(encoding="utf-8"))
    assert report["labels"] == sorted(["经济", "环境与安全", "公共服务"])
    ev = run_cli("evaluate", str(model_dir), str(TOY))
    assert "公共服务" in ev.stdout and "primary-label accuracy" in ev.stdout
    out = tmp_path / "out.jsonl"
    run_cli(
        "tag", str(SAMPLES / "003_097165d4e02430d9.txt"), "-o", str(out), "--model", str(model_dir)
    )
    rec = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    leaves = [it for it in rec["items"] if it["leaf"]]
    assert leaves and all(set(it["cats"]) == {"经济", "环境与安全", "公共服务"} for it in leaves)
    assert all(it["labels"] for it in leaves)
    import govnlp

    nlp = govnlp.load(model_dir)
    assert nlp.get_pipe("govnlp_domains").labels == report["labels"]


def test_label_studio_and_doccano_round_trip(tmp_path):
    records_path = tmp_path / "rec.jsonl"
    run_cli(
        "tag",
        str(SAMPLES / "001_96982dac108d8883.txt"),
        "-o",
        str(records_path),
        "--segmenter",
        "char",
    )
    tasks_path = tmp_path / "tasks.json"
    res = run_cli("annotations", "export", str(records_path), "-o", str(tasks_path))
    assert "tasks" in res.stdout
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    config = (tmp_path / "tasks.label_config.xml").read_text(encoding="utf-8")
    assert 'choice="multiple"' in config and 'value="safety"' in config
    assert tasks and all(t["predictions"][0]["result"][0]["value"]["choices"] for t in tasks)
    # a researcher labels two tasks in Label Studio (one cancelled) and exports
    done = []
    for n, t in enumerate(tasks[:3]):
        ann = {
            "id": n,
            "was_cancelled": n == 2,
            "result": [
                {
                    "from_name": "domains",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": ["safety", "ecology"]},
                }
            ],
        }
        done.append(dict(t, annotations=[ann]))
    export = tmp_path / "ls_export.json"
    export.write_text(json.dumps(done + tasks[3:], ensure_ascii=False), encoding="utf-8")
    labelled = tmp_path / "labelled.jsonl"
    run_cli("annotations", "import", str(export), "-o", str(labelled))
    rows = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and rows[0]["labels"] == ["safety", "ecology"]
    assert (
        rows[0]["text"] == tasks[0]["data"]["text"]
        and rows[0]["doc_id"] == "001_96982dac108d8883.txt"
    )
    # doccano
    items = list(
        items_from_records(map(json.loads, records_path.read_text(encoding="utf-8").splitlines()))
    )
    lines = to_doccano(items)
    assert all(line["label"] == [] for line in lines)
    lines[0]["label"] = ["governance"]
    assert [(it.text, it.labels) for it in from_doccano(lines)] == [
        (items[0]["text"], ["governance"])
    ]
    assert from_label_studio(to_label_studio(items)) == []  # predictions alone are not labels


def test_fast_ngram_counts_equal_scikit_learns():
    from sklearn.feature_extraction.text import CountVectorizer

    from govnlp.domains.ngrams import CharNgramCounter

    texts = [it.text for it in toy_items()] + [
        "  GDP增长 10%\n\n左右\t\t",
        "",
        "x",
        "ＡＢc  D",
        "𠀀𠀁安全",
    ]
    fitted = CountVectorizer(analyzer="char", ngram_range=(1, 3), min_df=1).fit(
        texts[:60] + ["𠀀𠀁安"]
    )
    vocab = sorted(fitted.vocabulary_, key=fitted.vocabulary_.get)
    expected = CountVectorizer(
        analyzer="char", ngram_range=(1, 3), vocabulary={g: i for i, g in enumerate(vocab)}
    ).transform(texts)
    got = CharNgramCounter(vocab, (1, 3)).transform(texts)
    assert got.shape == expected.shape and abs(got - expected).sum() == 0
    # one-character n-grams are looked up by code point in the BMP, through the hash table
    # above it: both kinds must be counted (𠀀 is astral, 安 is not)
    for gram in ("𠀀", "安"):
        column = vocab.index(gram)
        assert got[:, column].sum() == expected[:, column].sum() > 0
    with pytest.raises(ValueError):
        CharNgramCounter(vocab, (1, 4))


def test_count_matrix_is_the_same_canonical_matrix_in_32_and_64_bits():
    # the cells are sorted as 32-bit integers when row × size + column fits: the matrix must
    # be the one the 64-bit sort gave, index for index (the weights' sums follow that order)
    from scipy import sparse

    from govnlp.domains.ngrams import _count_matrix

    def reference(cells, n_rows, size):
        cell, counts = np.unique(np.concatenate(cells), return_counts=True)
        rows, cols = np.divmod(cell, size)
        indptr = np.zeros(n_rows + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        return sparse.csr_matrix(
            (counts.astype(np.float32), cols.astype(np.int32), indptr), shape=(n_rows, size)
        )

    rng = np.random.default_rng(6)
    for n_rows, size in ((1, 1), (7, 50), (300, 200_000), (2, 2**31), (3, 2**40)):
        cells = [
            rng.integers(0, n_rows, k) * size + rng.integers(0, min(size, 60), k)
            for k in (0, 500, 40)
        ]
        got, want = _count_matrix(cells, n_rows, size), reference(cells, n_rows, size)
        assert got.shape == want.shape and got.has_canonical_format
        for a, b in ((got.indptr, want.indptr), (got.indices, want.indices), (got.data, want.data)):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        assert got.sum() == sum(map(len, cells))


@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "corpus").exists(), reason="../shared is not present"
)
def test_bundled_model_scores_what_it_records_on_its_held_out_items():
    from govnlp.domains import evaluate_model

    model = DomainModel.load_default()
    by_id = {it.id: it for it in load_reference_annotations()}
    held_out = [by_id[i] for i in model.info["split_test_ids"]]
    assert len(held_out) == model.info["split"]["test"] >= 500
    report = evaluate_model(model, held_out)
    assert report["macro"] == model.info["test"]["macro"]
    assert report["per_label"] == model.info["test"]["per_label"]
    assert report["macro"]["f1"] >= 0.80


def test_tfidf_rows_are_scipys_formulation_entry_for_entry():
    # the rows are computed on the stored values: same float32 values, in the same order per
    # row (the order the weights' sums follow), as the scipy expression they replace
    import numpy as np
    from scipy import sparse

    from govnlp.domains.ngrams import CharNgramCounter
    from govnlp.domains.sklearn_backend import CharNgramClassifier

    def reference(counts, idf):
        counts = counts.tocsr().astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        counts = counts.multiply(idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms).dot(counts).tocsr().astype(np.float32)

    texts = [it.text for it in toy_items()] + ["", "安全安全安全生产", "x"]
    vocab = sorted({t[i : i + n] for t in texts for n in (1, 2, 3) for i in range(len(t) - n + 1)})
    counts = CharNgramCounter(vocab, (1, 3)).transform(texts)
    idf = np.random.default_rng(0).uniform(1, 5, len(vocab)).astype(np.float32)
    got, want = CharNgramClassifier._tfidf_rows(counts, idf), reference(counts, idf)
    assert got.dtype == want.dtype == np.float32 and got.shape == want.shape
    for a, b in ((got.indptr, want.indptr), (got.indices, want.indices), (got.data, want.data)):
        assert np.array_equal(a, b)


# -- NB-SVM averaging (nb_weight) ---------------------------------------------------------------


def _toy_matrix():
    items = toy_items()
    labels = ["经济", "环境与安全", "公共服务"]
    y = np.array([[lab in it.labels for lab in labels] for it in items], dtype=int)
    return [it.text for it in items], y, labels


@pytest.mark.parametrize("binary", [False, True])
def test_nb_averaging_is_the_weighted_mean_of_its_two_calibrated_parts(binary, tmp_path):
    texts, y, labels = _toy_matrix()
    clf = CharNgramClassifier(labels, seed=0, nb_weight=0.4, nb_binary=binary).fit(texts, y)
    plain = CharNgramClassifier(labels, seed=0).fit(texts, y)
    assert clf.nb_coef.shape == clf.coef.shape and np.abs(clf.nb_coef).sum() > 0
    probe = texts[:15] + ["做好防汛防台工作,全面排查安全隐患"]
    averaged = clf.predict_proba(probe)
    clf.nb_weight = 0.0
    p_svm = clf.predict_proba(probe)
    clf.nb_weight = 1.0
    p_nb = clf.predict_proba(probe)
    # the SVM part is today's model, fitted the same way; the NB part is another model
    assert np.array_equal(p_svm, plain.predict_proba(probe))
    assert np.abs(p_nb - p_svm).max() > 0.01
    assert np.allclose(averaged, 0.6 * p_svm + 0.4 * p_nb, rtol=0, atol=1e-12)
    assert averaged[-1].argmax() == 1
    clf.nb_weight = 0.4
    clf.to_disk(tmp_path / "m")
    again = CharNgramClassifier.from_disk(tmp_path / "m")
    assert again.nb_binary is binary
    assert np.allclose(again.predict_proba(probe), averaged, atol=1e-3)


def test_nb_presence_features_are_unit_rows_of_block_weights():
    texts, y, labels = _toy_matrix()
    clf = CharNgramClassifier(labels, seed=0, nb_weight=0.4, nb_binary=True, title_weight=0.5)
    clf.fit(texts, y)
    x = clf.features(texts[:4] + [""])
    b = clf._presence_rows(x)
    assert np.allclose(np.asarray(b.multiply(b).sum(axis=1)).ravel(), [1, 1, 1, 1, 0], atol=1e-6)
    row = b[0].toarray().ravel()
    title_cols = np.arange(len(clf.vocabulary), x.shape[1])
    used = row[title_cols][row[title_cols] > 0]
    text_used = row[: len(clf.vocabulary)][row[: len(clf.vocabulary)] > 0]
    assert len(used) and np.allclose(used / text_used[0], 0.5)  # a title n-gram weighs half


def test_nb_weights_fold_the_log_count_ratio_into_the_svm_weights():
    from sklearn.svm import LinearSVC

    from govnlp.domains.sklearn_backend import log_count_ratio

    texts, y, labels = _toy_matrix()
    clf = CharNgramClassifier(labels, seed=0, nb_weight=0.5, nb_alpha=0.5).fit(texts, y)
    x = clf.features(texts)
    r = log_count_ratio(x, y[:, 1], alpha=0.5)
    svm = LinearSVC(C=clf.C, class_weight="balanced", random_state=0, max_iter=5000)
    svm.fit(x.multiply(r[None, :]).tocsr(), y[:, 1])
    assert np.allclose(clf.nb_coef[1], svm.coef_[0] * r, atol=1e-5)
    assert np.isclose(clf.nb_intercept[1], svm.intercept_[0], atol=1e-5)


def test_mnb_part_weights_are_the_tfidf_mass_log_ratio():
    from govnlp.domains.sklearn_backend import log_count_ratio

    texts, y, labels = _toy_matrix()
    clf = CharNgramClassifier(labels, seed=0, nb_weight=0.3, nb_alpha=0.1, nb_kind="mnb")
    clf.fit(texts, y)
    x = clf.features(texts)
    r = log_count_ratio(x, y[:, 0], alpha=0.1, binary=False)
    assert not np.allclose(r, log_count_ratio(x, y[:, 0], alpha=0.1))  # masses, not presence
    assert np.allclose(clf.nb_coef[0], r) and clf.nb_intercept[0] == 0
    assert clf.nb_platt_a[0] > 0  # its scores rank the label's items first
    with pytest.raises(ValueError, match="nb_kind"):
        CharNgramClassifier(labels, nb_kind="bernoulli")


def test_nb_model_round_trips_and_old_model_dirs_still_load(tmp_path):
    texts, y, labels = _toy_matrix()
    clf = CharNgramClassifier(labels, seed=0, nb_weight=0.4, nb_C=1.0).fit(texts, y)
    clf.to_disk(tmp_path / "nb")
    with np.load(tmp_path / "nb" / "weights.npz", allow_pickle=False) as w:
        assert w["nb_coef"].dtype == np.float16 and w["nb_coef"].shape == clf.coef.shape
    again = CharNgramClassifier.from_disk(tmp_path / "nb")
    assert again.settings() == clf.settings() and again.nb_weight == 0.4 and again.nb_C == 1.0
    assert np.array_equal(again.nb_coef, clf.nb_coef.astype(np.float16).astype(np.float32))
    assert np.array_equal(again.nb_platt_a, clf.nb_platt_a)
    saved = again.predict_proba(texts)
    assert np.array_equal(
        CharNgramClassifier.from_disk(tmp_path / "nb").predict_proba(texts), saved
    )
    assert np.allclose(saved, clf.predict_proba(texts), atol=1e-3)
    # a model directory written before the option: no nb_* settings, no nb arrays
    plain = CharNgramClassifier(labels, seed=0).fit(texts, y)
    plain.to_disk(tmp_path / "old")
    meta = json.loads((tmp_path / "old" / "classifier.json").read_text(encoding="utf-8"))
    for key in ("nb_weight", "nb_alpha", "nb_C", "nb_binary", "nb_kind"):
        del meta["settings"][key]
    (tmp_path / "old" / "classifier.json").write_text(json.dumps(meta), encoding="utf-8")
    with np.load(tmp_path / "old" / "weights.npz", allow_pickle=False) as w:
        assert not any(k.startswith("nb_") for k in w.files)
    old = CharNgramClassifier.from_disk(tmp_path / "old")
    assert not old.uses_nb
    assert np.allclose(old.predict_proba(texts), plain.predict_proba(texts), atol=1e-3)
    with pytest.raises(ValueError, match="nb_weight"):
        CharNgramClassifier(labels, nb_weight=1.5)


def test_train_set_nb_weight_reaches_the_saved_model(tmp_path):
    out = tmp_path / "nbmodel"
    run_cli("train", str(TOY), "-o", str(out), "--model-only", "--set", "nb_weight=0.3")
    meta = json.loads((out / "classifier" / "classifier.json").read_text(encoding="utf-8"))
    assert meta["settings"]["nb_weight"] == 0.3
    model = DomainModel.from_disk(out)
    assert model.classifier.uses_nb and np.abs(model.classifier.nb_coef).sum() > 0


def test_a_strip_pattern_takes_genre_words_out_of_the_features_and_is_saved(tmp_path):
    texts = ["会议指出，加强安全生产检查。", "推进城市更新改造。", "会议要求，做好防汛工作。"] * 8
    y = np.array([[1, 0], [0, 1], [1, 0]] * 8)
    clf = CharNgramClassifier(["safety", "urban_land"], seed=0, strip_pattern="会议(?:指出|要求)")
    clf.fit(texts, y)
    assert not any("会议" in gram for gram in clf.vocabulary)
    with_words = clf.features(["会议指出，加强安全生产检查。"]).toarray()
    without = clf.features(["，加强安全生产检查。"]).toarray()
    assert np.array_equal(with_words, without)
    clf.to_disk(tmp_path / "m")
    again = CharNgramClassifier.from_disk(tmp_path / "m")
    assert again.strip_pattern == "会议(?:指出|要求)"
    assert np.array_equal(again.features(["会议指出，加强安全生产检查。"]).toarray(), with_words)
