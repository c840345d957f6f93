"""The scikit-learn backend: character n-grams (and word n-grams), a linear SVM per label,
Platt-calibrated.

Word n-grams (``word_ngram_range``, off by default) are built from the words the pipeline's
segmenter already gives (``words``: one list of tokens per text); when a caller has no tokens
the texts are segmented with the bundled pkuseg model.

Context n-grams (``context_weight`` > 0, off by default) are the character n-grams of each item's
*context* — the titles of the headings it sits under (:mod:`govnlp.domains.context`) — in a block of
their own (own vocabulary and idf, L2-normalised, times ``context_weight``), so "安全" in a heading
and "安全" in the item's text are different features.

Title n-grams (``title_weight`` > 0, off by default) are the character n-grams of each item's
*title* — the text up to its first full stop, semicolon, colon, question or exclamation mark, at
most ``title_chars`` characters (:func:`item_title`: "四是大力提升旅游业发展水平") — in a block of
their own like the context's: what an item announces first is what it is about, and the details
after it (names, places, figures) are what differ from county to county.

Lexicon counts (``lexicon_weight`` > 0, off by default): per label, how often the text names one of
that label's cues (the taxonomy's typical cues and the parts of its Chinese name, kept in the
model's settings), log-scaled, the row L2-normalised and times ``lexicon_weight`` — a
source-independent block of one feature per label.

NB-SVM averaging (``nb_weight`` > 0, off by default): per label, a second linear SVM on the same
features scaled by the label's log-count ratio r (Wang & Manning 2012, :func:`log_count_ratio`:
how much likelier each feature is present in the label's items than in the others, smoothed by
``nb_alpha``), fitted with C = ``nb_C`` (default: ``C``) and Platt-calibrated with the same folds as
the first (r computed within each fold). Its r folds into its weights (x·(r∘w) = x·w′), so at
inference it is a second coefficient matrix over the same features; ``predict_proba`` returns
(1 − ``nb_weight``)·p_svm + ``nb_weight``·p_nb. ``nb_binary``: the NB part reads the features'
presence instead (Wang & Manning's binarised x̂: 1 where the tf-idf is > 0, times its block's
weight, rows L2-normalised). ``nb_kind="mnb"``: the second part is no SVM but the multinomial
naive Bayes log-ratio of the label's tf-idf mass (Rennie et al. 2003; r of :func:`log_count_ratio`
with ``binary=False`` as its weights, the prior left to its Platt fit): a cheap, different model.

Domain adaptation by feature augmentation (``domain_weight`` W > 0, off by default; Daumé III
2007, "frustratingly easy"): in fitting, each item's feature row x becomes
[x, W·x·[county-level], W·x·[not county-level]] (:func:`domain_augmented`: a block the two domains
share and one per domain; ``fit(..., county=...)``: each item's flag, from its source's level), so
what only national documents reward can go to their own block instead of the shared one. At
prediction every item is county-level ([x, W·x, 0]: users tag county documents), so the saved
weights are the shared ones plus W times the county block's (:func:`fold_domain_weights`), over the
same features as without the option: prediction costs the same (``domain_predict="shared"``: items
are seen in neither domain, [x, 0, 0], the shared weights alone). Platt calibration reads the
out-of-fold scores of the items' own rows.

``min_sources`` k > 1 keeps only the character n-grams that occur in items of at least k sources
(``fit(..., groups=...)``: each item's source), so that names, places and a collection's own
phrasing do not carry weight a new county cannot use.

Training uses scikit-learn (``TfidfVectorizer``, ``LinearSVC``,
``cross_val_predict``); what is saved is plain data — the n-gram vocabulary
(JSON), the idf, weight and calibration arrays (``.npz``, loaded with
``allow_pickle=False``) — so loading a model never executes code. Prediction
rebuilds the same features (:class:`~govnlp.domains.ngrams.CharNgramCounter`:
scikit-learn's character n-gram counts, computed on packed integers) and does
the arithmetic in numpy.

>>> clf = CharNgramClassifier(labels=["safety", "ecology"], seed=0)
>>> texts = [
...     "安全生产检查",
...     "消防安全隐患排查",
...     "应急演练与安全培训",
...     "污水治理",
...     "生态修复",
...     "大气污染防治",
... ] * 3
>>> y = [[1, 0]] * 3 + [[0, 1]] * 3
>>> clf.fit(texts, y * 3).predict_proba(["开展安全生产大检查"])[0].round(1).tolist()[0] > 0.5
True
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from scipy import sparse

from .ngrams import MAX_N, CharNgramCounter

__all__ = [
    "CharNgramClassifier",
    "domain_augmented",
    "fold_domain_weights",
    "item_title",
    "log_count_ratio",
]

FORMAT = "govnlp-domains-sklearn/1"

_TITLE_END = re.compile(r"[。；;:：！？!?]")


def item_title(text: str, max_chars: int = 40) -> str:
    """An item's title: its text up to the first 。；;:：！？!? (not included), at most
    ``max_chars`` characters, leading and trailing whitespace removed first.

    >>> item_title("四是大力提升旅游业发展水平。重点推进景区建设")
    '四是大力提升旅游业发展水平'
    >>> item_title("加快发展电商新业态", max_chars=4)
    '加快发展'
    """
    text = text.strip()
    m = _TITLE_END.search(text)
    return (text[: m.start()] if m else text)[:max_chars]


def log_count_ratio(
    present: sparse.spmatrix,
    y: np.ndarray,
    alpha: float = 1.0,
    sample_weight: Optional[np.ndarray] = None,
    binary: bool = True,
) -> np.ndarray:
    """The NB log-count ratio of each feature for a 0/1 label ``y`` (Wang & Manning 2012):
    r = log((α + p) / ‖α + p‖₁) − log((α + q) / ‖α + q‖₁), where p and q count (or weigh, with
    ``sample_weight``) the positive and negative items in which the feature is present
    (``present``: items × features, any value > 0 counts as present; ``binary=False``: the
    features' values are summed instead). float32.

    >>> x = sparse.csr_matrix(np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 3.0]]))
    >>> [round(float(v), 3) for v in log_count_ratio(x, np.array([1, 1, 0]), alpha=1.0)]
    [0.811, -0.981]
    """
    present = sparse.csr_matrix(present)
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    values = (present.data > 0) if binary else present.data
    counts = sparse.csr_matrix(
        (values.astype(np.float64), present.indices, present.indptr), shape=present.shape
    )
    p = alpha + np.asarray(counts.T @ (w * y)).ravel()
    q = alpha + np.asarray(counts.T @ (w * (1.0 - y))).ravel()
    return (np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32)


def domain_augmented(
    x: sparse.spmatrix, county: Sequence[bool], weight: float = 1.0
) -> sparse.csr_matrix:
    """Feature augmentation for domain adaptation (Daumé III 2007): each row x becomes
    [x, W·x·[county], W·x·[not county]] (W = ``weight``; float32, three times the columns).

    >>> x = sparse.csr_matrix(np.array([[1.0, 2.0], [3.0, 0.0]], dtype=np.float32))
    >>> domain_augmented(x, [True, False], 0.5).toarray().tolist()
    [[1.0, 2.0, 0.5, 1.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0, 1.5, 0.0]]
    """
    x = sparse.csr_matrix(x, dtype=np.float32)
    flags = np.asarray(county, dtype=bool)
    if len(flags) != x.shape[0]:
        raise ValueError(f"{len(flags)} domain flags for {x.shape[0]} rows")
    w = np.float32(weight)
    inside = sparse.diags(np.where(flags, w, 0).astype(np.float32)) @ x
    outside = sparse.diags(np.where(flags, 0, w).astype(np.float32)) @ x
    return sparse.hstack([x, inside, outside], format="csr").astype(np.float32)


def fold_domain_weights(coef: np.ndarray, weight: float = 1.0) -> np.ndarray:
    """Weights over augmented features (labels × 3d: shared, county, other blocks) as weights
    over the plain features of a county-level item: x·w_shared + W·x·w_county = x·(w_shared +
    W·w_county). float32.

    >>> fold_domain_weights(np.array([[1.0, 2.0, 0.5, 0.5, 9.0, 9.0]]), 2.0).tolist()
    [[2.0, 3.0]]
    """
    coef = np.asarray(coef)
    if coef.shape[1] % 3:
        raise ValueError(f"{coef.shape[1]} columns: not three blocks")
    d = coef.shape[1] // 3
    return (coef[:, :d] + np.float32(weight) * coef[:, d : 2 * d]).astype(np.float32)


def _scale_columns(x: sparse.csr_matrix, r: np.ndarray) -> sparse.csr_matrix:
    """``x`` with each column multiplied by ``r`` (float32; ``x`` itself unchanged)."""
    return sparse.csr_matrix(
        ((x.data * r[x.indices]).astype(np.float32), x.indices, x.indptr), shape=x.shape
    )


class CharNgramClassifier:
    """Multi-label classifier over character n-grams (one calibrated linear SVM per label)."""

    backend = "sklearn"

    def __init__(
        self,
        labels: Sequence[str],
        *,
        ngram_range: Tuple[int, int] = (1, 3),
        min_df: int = 2,
        max_features: Optional[int] = 200_000,
        C: float = 0.5,
        linear: str = "svm",
        calibration_folds: int = 3,
        seed: int = 0,
        word_ngram_range: Optional[Tuple[int, int]] = None,
        word_min_df: int = 2,
        context_weight: float = 0.0,
        context_min_df: int = 2,
        context_levels: Optional[int] = None,
        lexicon_weight: float = 0.0,
        lexicon: Optional[Dict[str, List[str]]] = None,
        min_sources: int = 1,
        title_weight: float = 0.0,
        title_chars: int = 40,
        title_min_df: int = 2,
        strip_pattern: Optional[str] = None,
        nb_weight: float = 0.0,
        nb_alpha: float = 1.0,
        nb_C: Optional[float] = None,
        nb_binary: bool = False,
        nb_kind: str = "svm",
        domain_weight: float = 0.0,
        domain_predict: str = "county",
    ) -> None:
        if linear not in ("svm", "logreg"):
            raise ValueError(f"linear must be 'svm' or 'logreg', not {linear!r}")
        self.labels = list(labels)
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.min_df = int(min_df)
        self.max_features = max_features
        self.C = float(C)
        self.linear = linear
        self.calibration_folds = int(calibration_folds)
        self.seed = int(seed)
        self.word_ngram_range = (
            (int(word_ngram_range[0]), int(word_ngram_range[1])) if word_ngram_range else None
        )
        self.word_min_df = int(word_min_df)
        self.context_weight = float(context_weight or 0.0)
        self.context_min_df = int(context_min_df)
        self.context_levels = None if context_levels is None else int(context_levels)
        self.context_vocabulary: List[str] = []
        self.context_idf = np.zeros(0, dtype=np.float32)
        self._context_counter: Any = None
        self.lexicon_weight = float(lexicon_weight or 0.0)
        self.lexicon: Dict[str, List[str]] = {k: list(v) for k, v in (lexicon or {}).items()}
        self._lexicon_pattern: Any = None
        self.min_sources = int(min_sources)
        self.title_weight = float(title_weight or 0.0)
        self.title_chars = int(title_chars)
        self.title_min_df = int(title_min_df)
        #: a regex whose matches are taken out of each item's text before its features (words
        #: of a document's genre that say nothing of the domain: 会议指出, 会议原则同意)
        self.strip_pattern = strip_pattern or None
        self._strip_re = re.compile(strip_pattern) if strip_pattern else None
        self.nb_weight = float(nb_weight or 0.0)
        if not 0.0 <= self.nb_weight <= 1.0:
            raise ValueError(f"nb_weight must be between 0 and 1, not {nb_weight!r}")
        self.nb_alpha = float(nb_alpha)
        self.nb_C = None if nb_C is None else float(nb_C)
        self.nb_binary = bool(nb_binary)
        if nb_kind not in ("svm", "mnb"):
            raise ValueError(f"nb_kind must be 'svm' or 'mnb', not {nb_kind!r}")
        self.nb_kind = nb_kind
        self.domain_weight = float(domain_weight or 0.0)
        if self.domain_weight < 0:
            raise ValueError(f"domain_weight must be >= 0, not {domain_weight!r}")
        if domain_predict not in ("county", "shared"):
            raise ValueError(f"domain_predict must be 'county' or 'shared', not {domain_predict!r}")
        #: how an item is seen at prediction with domain blocks: county-level ([x, W·x, 0]) or
        #: in neither domain ("shared": [x, 0, 0], the shared block's weights alone)
        self.domain_predict = domain_predict
        if self.domain_weight > 0 and self.nb_weight > 0 and nb_binary:
            raise ValueError("domain_weight does not combine with nb_binary")
        self.nb_coef = np.zeros((len(self.labels), 0), dtype=np.float32)
        self.nb_intercept = np.zeros(len(self.labels), dtype=np.float32)
        self.nb_platt_a = np.ones(len(self.labels), dtype=np.float64)
        self.nb_platt_b = np.zeros(len(self.labels), dtype=np.float64)
        self._stacked: Optional[np.ndarray] = None
        self._scale: Optional[np.ndarray] = None
        self.title_vocabulary: List[str] = []
        self.title_idf = np.zeros(0, dtype=np.float32)
        self._title_counter: Any = None
        self.word_vocabulary: List[str] = []
        self.word_idf = np.zeros(0, dtype=np.float32)
        self._word_index: Optional[Dict[str, int]] = None
        self.vocabulary: List[str] = []
        self.idf = np.zeros(0, dtype=np.float32)
        self.coef = np.zeros((len(self.labels), 0), dtype=np.float32)
        self.intercept = np.zeros(len(self.labels), dtype=np.float32)
        self.platt_a = np.ones(len(self.labels), dtype=np.float64)
        self.platt_b = np.zeros(len(self.labels), dtype=np.float64)
        self._counter: Any = None

    # -- settings -------------------------------------------------------------
    def settings(self) -> Dict[str, Any]:
        return {
            "ngram_range": list(self.ngram_range),
            "min_df": self.min_df,
            "max_features": self.max_features,
            "C": self.C,
            "linear": self.linear,
            "calibration_folds": self.calibration_folds,
            "seed": self.seed,
            "word_ngram_range": list(self.word_ngram_range) if self.word_ngram_range else None,
            "word_min_df": self.word_min_df,
            "context_weight": self.context_weight,
            "context_min_df": self.context_min_df,
            "context_levels": self.context_levels,
            "lexicon_weight": self.lexicon_weight,
            "lexicon": self.lexicon or None,
            "min_sources": self.min_sources,
            "title_weight": self.title_weight,
            "title_chars": self.title_chars,
            "title_min_df": self.title_min_df,
            "strip_pattern": self.strip_pattern,
            "nb_weight": self.nb_weight,
            "nb_alpha": self.nb_alpha,
            "nb_C": self.nb_C,
            "nb_binary": self.nb_binary,
            "nb_kind": self.nb_kind,
            "domain_weight": self.domain_weight,
            "domain_predict": self.domain_predict,
        }

    # -- features -------------------------------------------------------------
    def _counter_over(self, vocabulary: List[str]) -> Any:
        """A character n-gram counter over ``vocabulary``: the hash-table counter, or sklearn's
        for n-grams longer than it counts."""
        if self.ngram_range[1] <= MAX_N:
            return CharNgramCounter(vocabulary, self.ngram_range)
        from sklearn.feature_extraction.text import CountVectorizer

        return CountVectorizer(
            analyzer="char",
            ngram_range=self.ngram_range,
            lowercase=True,
            vocabulary={g: i for i, g in enumerate(vocabulary)} or {"\0": 0},
            dtype=np.float32,
        )

    def _counter_for_vocabulary(self) -> Any:
        if self._counter is None:
            self._counter = self._counter_over(self.vocabulary)
        return self._counter

    @property
    def uses_context(self) -> bool:
        """Whether the features include the items' context (the titles of their headings)."""
        return self.context_weight > 0

    def _contexts_for(
        self, texts: Sequence[str], contexts: Optional[Sequence[str]]
    ) -> Sequence[str]:
        if contexts is None:
            return [""] * len(texts)  # no item tree at hand: no context
        if len(contexts) != len(texts):
            raise ValueError(f"{len(contexts)} contexts for {len(texts)} texts")
        if self.context_levels is None:
            return [c or "" for c in contexts]
        keep = self.context_levels  # the nearest headings only
        return ["\n".join((c or "").split("\n")[-keep:]) if keep > 0 else "" for c in contexts]

    def _context_counts(self, contexts: Sequence[str]) -> sparse.csr_matrix:
        if self._context_counter is None:
            self._context_counter = self._counter_over(self.context_vocabulary)
        return self._context_counter.transform(list(contexts))

    @property
    def uses_nb(self) -> bool:
        """Whether probabilities are averaged with an NB-SVM part (``nb_weight`` > 0)."""
        return self.nb_weight > 0

    @property
    def uses_domains(self) -> bool:
        """Whether fitting augments the features per domain (``domain_weight`` > 0)."""
        return self.domain_weight > 0

    @property
    def uses_title(self) -> bool:
        """Whether the features include the items' titles (:func:`item_title`) as a block."""
        return self.title_weight > 0

    def _titles(self, texts: Sequence[str]) -> List[str]:
        return [item_title(t, self.title_chars) for t in texts]

    def _title_counts(self, titles: Sequence[str]) -> sparse.csr_matrix:
        if self._title_counter is None:
            self._title_counter = self._counter_over(self.title_vocabulary)
        return self._title_counter.transform(list(titles))

    def _block_vocabulary(self, docs: List[str], min_df: int) -> Tuple[List[str], np.ndarray]:
        """The character n-gram vocabulary (in column order) and idf of a feature block fitted on
        ``docs`` (the non-empty contexts or titles): ``min_df`` applies from 20 documents on."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not docs:
            return [], np.zeros(0, dtype=np.float32)
        vec = TfidfVectorizer(
            analyzer="char",
            ngram_range=self.ngram_range,
            min_df=min_df if len(docs) >= 20 else 1,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        ).fit(docs)
        return sorted(vec.vocabulary_, key=vec.vocabulary_.get), vec.idf_.astype(np.float32)

    def _lexicon_counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Per text and label, log(1 + the number of the label's cues found), rows normalised."""
        import re

        if self._lexicon_pattern is None:
            owner: Dict[str, set] = {}
            for j, lab in enumerate(self.labels):
                for cue in self.lexicon.get(lab, ()):
                    if cue:
                        owner.setdefault(cue.lower(), set()).add(j)
            cues = sorted(owner, key=lambda c: (-len(c), c))
            self._lexicon_pattern = (
                re.compile("|".join(re.escape(c) for c in cues)) if cues else None,
                {c: sorted(js) for c, js in owner.items()},
            )
        pattern, owner = self._lexicon_pattern
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        if pattern is not None:
            for r, text in enumerate(texts):
                for m in pattern.finditer(text.lower()):
                    out[r, owner[m.group(0)]] += 1.0
        out = np.log1p(out)
        norms = np.sqrt((out * out).sum(axis=1, keepdims=True))
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(out / norms)

    @property
    def uses_words(self) -> bool:
        """Whether the features include word n-grams (and so need the texts' words)."""
        return self.word_ngram_range is not None

    def _word_grams(self, words: Sequence[str]) -> List[str]:
        lo, hi = self.word_ngram_range or (1, 1)
        tokens = [w.lower() for w in words if w.strip()]
        return [
            " ".join(tokens[i : i + n])
            for n in range(lo, hi + 1)
            for i in range(len(tokens) - n + 1)
        ]

    def _words_for(
        self, texts: Sequence[str], words: Optional[Sequence[Sequence[str]]]
    ) -> Sequence[Sequence[str]]:
        if words is not None:
            if len(words) != len(texts):
                raise ValueError(f"{len(words)} word lists for {len(texts)} texts")
            return words
        return segment_words(texts)

    @staticmethod
    def _tfidf_rows(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
        """Sublinear tf × idf, rows scaled to unit length (float32), computed on the stored
        values: the float32 products scipy's broadcasting ``multiply`` and diagonal ``dot``
        gave, without their intermediate matrices, and each row's entries in the order that
        ``dot`` left them (reversed), which the sums over them (the weights' products) follow.
        """
        counts = counts.tocsr().astype(np.float32)  # a copy: the caller's counts stay as they are
        data = (1.0 + np.log(counts.data)) * idf[counts.indices]
        squares = sparse.csr_matrix(
            (data * data, counts.indices, counts.indptr), shape=counts.shape
        )
        norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        per_row = np.diff(counts.indptr)
        data *= np.repeat(1.0 / norms, per_row)
        # entry p of a row [a, b) goes to a + b - 1 - p
        turned = np.repeat(counts.indptr[:-1] + counts.indptr[1:] - 1, per_row) - np.arange(
            len(data)
        )
        return sparse.csr_matrix(
            (data[turned], counts.indices[turned], counts.indptr), shape=counts.shape
        )

    def _word_counts(self, words: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        if self._word_index is None:
            self._word_index = {g: i for i, g in enumerate(self.word_vocabulary)}
        index = self._word_index
        rows: List[int] = []
        cols: List[int] = []
        for r, ws in enumerate(words):
            for gram in self._word_grams(ws):
                j = index.get(gram)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        data = np.ones(len(rows), dtype=np.float32)
        out = sparse.coo_matrix(
            (data, (rows, cols)), shape=(len(words), len(self.word_vocabulary))
        ).tocsr()
        out.sum_duplicates()
        return out

    def _stripped(self, texts: Sequence[str]) -> Sequence[str]:
        """``texts`` without the matches of ``strip_pattern`` (unchanged without one)."""
        if self._strip_re is None:
            return texts
        return [self._strip_re.sub("", t) for t in texts]

    def features(
        self,
        texts: Sequence[str],
        words: Optional[Sequence[Sequence[str]]] = None,
        contexts: Optional[Sequence[str]] = None,
    ) -> sparse.csr_matrix:
        """Sublinear tf-idf of character n-grams, L2-normalised rows; with word n-grams, the two
        blocks side by side, each normalised and weighted 1/√2 (rows stay unit length); with
        context n-grams, their normalised block times ``context_weight`` after them (an item
        without context has zeros there); with title n-grams, theirs times ``title_weight``."""
        texts = self._stripped(texts)
        x = self._tfidf_rows(self._counter_for_vocabulary().transform(list(texts)), self.idf)
        if self.uses_words:
            grams = self._tfidf_rows(
                self._word_counts(self._words_for(texts, words)), self.word_idf
            )
            half = np.float32(1 / np.sqrt(2))
            x = sparse.hstack([x * half, grams * half], format="csr").astype(np.float32)
        if self.uses_context:
            # the items under one heading share its context: each distinct one counted once
            # (a row of the block depends on its own context only)
            index: Dict[str, int] = {}
            rows = [index.setdefault(c, len(index)) for c in self._contexts_for(texts, contexts)]
            ctx = self._tfidf_rows(self._context_counts(list(index)), self.context_idf)
            ctx = ctx[np.asarray(rows, dtype=np.intp)]
            weight = np.float32(self.context_weight)
            x = sparse.hstack([x, ctx * weight], format="csr").astype(np.float32)
        if self.uses_title:
            title = self._tfidf_rows(self._title_counts(self._titles(texts)), self.title_idf)
            weight = np.float32(self.title_weight)
            x = sparse.hstack([x, title * weight], format="csr").astype(np.float32)
        if self.lexicon_weight > 0:
            lex = self._lexicon_counts(texts) * np.float32(self.lexicon_weight)
            x = sparse.hstack([x, lex], format="csr").astype(np.float32)
        return x

    # -- training -------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        y: Union[np.ndarray, Sequence[Sequence[int]]],
        *,
        words: Optional[Sequence[Sequence[str]]] = None,
        sample_weight: Optional[Sequence[float]] = None,
        contexts: Optional[Sequence[str]] = None,
        groups: Optional[Sequence[str]] = None,
        county: Optional[Sequence[bool]] = None,
    ) -> "CharNgramClassifier":
        """Fit on texts and a 0/1 matrix ``y`` (items × labels); ``words`` for word n-grams,
        ``sample_weight`` to count some items less (national documents, say), ``contexts``
        (each item's heading titles) for context n-grams, ``county`` (per item: is it
        county-level?) for the domain blocks of ``domain_weight`` (without it every item counts
        as county-level: the option then changes nothing)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        y = np.asarray(y, dtype=int)
        vec = TfidfVectorizer(
            analyzer="char",
            ngram_range=self.ngram_range,
            min_df=self.min_df if len(texts) >= 20 else 1,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        given = texts  # features() strips them itself, once, as at prediction
        texts = self._stripped(texts)
        vec.fit(list(texts))
        order = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        self.vocabulary = order
        self.idf = vec.idf_.astype(np.float32)
        if self.min_sources > 1 and groups is not None:
            self._keep_shared_ngrams(texts, groups)
        self._counter = None
        if self.uses_words:
            words = self._words_for(texts, words)
            wvec = TfidfVectorizer(
                analyzer=self._word_grams,
                min_df=self.word_min_df if len(texts) >= 20 else 1,
                max_features=self.max_features,
                sublinear_tf=True,
                dtype=np.float32,
            )
            wvec.fit(list(words))
            self.word_vocabulary = sorted(wvec.vocabulary_, key=wvec.vocabulary_.get)
            self.word_idf = wvec.idf_.astype(np.float32)
            self._word_index = None
        if self.lexicon_weight > 0 and not self.lexicon:
            self.lexicon = default_lexicon(self.labels)
        self._lexicon_pattern = None
        if self.uses_context:
            contexts = self._contexts_for(texts, contexts)
            self.context_vocabulary, self.context_idf = self._block_vocabulary(
                [c for c in contexts if c], self.context_min_df
            )
            self._context_counter = None
        if self.uses_title:
            self.title_vocabulary, self.title_idf = self._block_vocabulary(
                [t for t in self._titles(texts) if t], self.title_min_df
            )
            self._title_counter = None
        x = self.features(given, words, contexts)
        if self.uses_domains:
            flags = [True] * len(given) if county is None else list(county)
            x = domain_augmented(x, flags, self.domain_weight)
        weight = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        n_labels = len(self.labels)
        self.coef = np.zeros((n_labels, x.shape[1]), dtype=np.float32)
        self.intercept = np.zeros(n_labels, dtype=np.float32)
        self.platt_a = np.zeros(n_labels, dtype=np.float64)
        self.platt_b = np.zeros(n_labels, dtype=np.float64)
        self.nb_coef = np.zeros((n_labels, x.shape[1] if self.uses_nb else 0), dtype=np.float32)
        self.nb_intercept = np.zeros(n_labels, dtype=np.float32)
        self.nb_platt_a = np.zeros(n_labels, dtype=np.float64)
        self.nb_platt_b = np.zeros(n_labels, dtype=np.float64)
        self._stacked = None
        self._scale = None
        x_nb = self._presence_rows(x) if self.uses_nb and self.nb_binary else x
        for j in range(n_labels):
            yj = y[:, j]
            pos = int(yj.sum())
            if pos == 0 or pos == len(yj):  # nothing to learn: a constant probability
                rate = (pos + 0.5) / (len(yj) + 1.0)
                self.platt_b[j] = float(np.log(rate / (1 - rate)))
                self.nb_platt_b[j] = self.platt_b[j]
                continue
            svm = self._linear_model()
            svm.fit(x, yj, sample_weight=weight)
            self.coef[j] = svm.coef_[0]
            self.intercept[j] = svm.intercept_[0]
            folds = min(self.calibration_folds, pos, len(yj) - pos)
            if folds >= 2:
                cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
                scores = cross_val_predict(
                    self._linear_model(),
                    x,
                    yj,
                    cv=cv,
                    method="decision_function",
                    params=None if weight is None else {"sample_weight": weight},
                )
            else:
                scores = svm.decision_function(x)
            platt = LogisticRegression(C=1e4, max_iter=1000)
            platt.fit(scores.reshape(-1, 1), yj)
            self.platt_a[j] = float(platt.coef_[0, 0])
            self.platt_b[j] = float(platt.intercept_[0])
            if self.uses_nb:
                self._fit_nb_label(j, x_nb, yj, weight, folds)
        if self.uses_domains:  # prediction: every item county-level, [x, W·x, 0]
            seen_as = self.domain_weight if self.domain_predict == "county" else 0.0
            self.coef = fold_domain_weights(self.coef, seen_as)
            if self.uses_nb:
                self.nb_coef = fold_domain_weights(self.nb_coef, seen_as)
        self.coef = np.asfortranarray(self.coef)  # see _times_transposed
        return self

    def _block_scale(self) -> np.ndarray:
        """Per feature column, the weight of its block (1, 1/√2 with word n-grams, the context's,
        the title's, the lexicon's), as :meth:`features` lays them out."""
        parts = []
        half = 1 / np.sqrt(2) if self.uses_words else 1.0
        parts.append(np.full(len(self.vocabulary), half))
        if self.uses_words:
            parts.append(np.full(len(self.word_vocabulary), half))
        if self.uses_context:
            parts.append(np.full(len(self.context_vocabulary), self.context_weight))
        if self.uses_title:
            parts.append(np.full(len(self.title_vocabulary), self.title_weight))
        if self.lexicon_weight > 0:
            parts.append(np.full(len(self.labels), self.lexicon_weight))
        return np.concatenate(parts).astype(np.float32)

    def _presence_rows(self, x: sparse.csr_matrix) -> sparse.csr_matrix:
        """The NB part's binarised features (``nb_binary``): 1 where ``x`` > 0, times the block's
        weight, each row scaled to unit length."""
        if self._scale is None:
            self._scale = self._block_scale()
        data = np.where(x.data > 0, self._scale[x.indices], 0).astype(np.float32)
        squares = sparse.csr_matrix((data * data, x.indices, x.indptr), shape=x.shape)
        norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel()).astype(np.float32)
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, np.diff(x.indptr))
        return sparse.csr_matrix((data, x.indices, x.indptr), shape=x.shape)

    def _fit_nb(
        self, x: sparse.csr_matrix, yj: np.ndarray, weight: Optional[np.ndarray]
    ) -> Tuple[np.ndarray, float]:
        """An NB-SVM on ``x`` for one label: its weights with r folded in, and its intercept
        (``nb_kind="mnb"``: the tf-idf mass log-ratio itself, intercept 0)."""
        if self.nb_kind == "mnb":
            return log_count_ratio(x, yj, self.nb_alpha, weight, binary=False), 0.0
        r = log_count_ratio(x, yj, self.nb_alpha, weight)
        svm = self._linear_model(self.C if self.nb_C is None else self.nb_C)
        svm.fit(_scale_columns(x, r), yj, sample_weight=weight)
        return (svm.coef_[0] * r).astype(np.float32), float(svm.intercept_[0])

    def _fit_nb_label(
        self,
        j: int,
        x: sparse.csr_matrix,
        yj: np.ndarray,
        weight: Optional[np.ndarray],
        folds: int,
    ) -> None:
        """Label ``j``'s NB-SVM part and its Platt fit, on scores of the same stratified folds as
        the SVM part's (r computed from each fold's training items only)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        coef, intercept = self._fit_nb(x, yj, weight)
        self.nb_coef[j] = coef
        self.nb_intercept[j] = intercept
        if folds >= 2:
            cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
            scores = np.zeros(len(yj), dtype=np.float64)
            for train, held in cv.split(np.zeros(len(yj)), yj):
                c, b = self._fit_nb(x[train], yj[train], None if weight is None else weight[train])
                scores[held] = np.asarray(x[held] @ c, dtype=np.float64).ravel() + b
        else:
            scores = np.asarray(x @ coef, dtype=np.float64).ravel() + intercept
        platt = LogisticRegression(C=1e4, max_iter=1000)
        platt.fit(scores.reshape(-1, 1), yj)
        self.nb_platt_a[j] = float(platt.coef_[0, 0])
        self.nb_platt_b[j] = float(platt.intercept_[0])

    def _keep_shared_ngrams(self, texts: Sequence[str], groups: Sequence[str]) -> None:
        """Drop the vocabulary's n-grams seen in items of fewer than ``min_sources`` sources."""
        if len(groups) != len(texts):
            raise ValueError(f"{len(groups)} groups for {len(texts)} texts")
        counts = CharNgramCounter(self.vocabulary, self.ngram_range).transform(list(texts))
        names = sorted(set(groups))
        code = np.array([names.index(g) for g in groups])
        seen = np.zeros(len(self.vocabulary), dtype=np.int64)
        for k in range(len(names)):
            rows = counts[code == k]
            seen += np.asarray((rows > 0).sum(axis=0)).ravel() > 0
        keep = np.flatnonzero(seen >= self.min_sources)
        self.vocabulary = [self.vocabulary[i] for i in keep]
        self.idf = self.idf[keep]
        self._counter = None

    def _linear_model(self, C: Optional[float] = None) -> Any:
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        C = self.C if C is None else C
        if self.linear == "logreg":
            return LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        return LinearSVC(C=C, class_weight="balanced", random_state=self.seed, max_iter=5000)

    # -- prediction -----------------------------------------------------------
    def decision_function(
        self,
        texts: Sequence[str],
        words: Optional[Sequence[Sequence[str]]] = None,
        contexts: Optional[Sequence[str]] = None,
    ) -> np.ndarray:
        x = self.features(texts, words, contexts)
        return (
            np.asarray(_times_transposed(x, self.coef), dtype=np.float64) + self.intercept[None, :]
        )

    def predict_proba(
        self,
        texts: Sequence[str],
        words: Optional[Sequence[Sequence[str]]] = None,
        contexts: Optional[Sequence[str]] = None,
    ) -> np.ndarray:
        """Calibrated probabilities, items × labels (``contexts``: each item's heading titles,
        read when the model has context features)."""
        if not len(texts):
            return np.zeros((0, len(self.labels)))
        if self.uses_nb:
            return self._averaged_proba(self.features(texts, words, contexts))
        z = (
            self.decision_function(texts, words, contexts) * self.platt_a[None, :]
            + self.platt_b[None, :]
        )
        return _sigmoid(z)

    def _averaged_proba(self, x: sparse.csr_matrix) -> np.ndarray:
        """(1 − nb_weight)·p_svm + nb_weight·p_nb of feature rows ``x``: both parts' scores from
        one product with the two coefficient matrices stacked."""
        n = len(self.labels)
        if self.nb_binary:
            scores = np.hstack(
                [
                    np.asarray(_times_transposed(x, self.coef), dtype=np.float64),
                    np.asarray(
                        _times_transposed(self._presence_rows(x), self.nb_coef), dtype=np.float64
                    ),
                ]
            )
        else:
            if self._stacked is None:
                self._stacked = np.asfortranarray(np.vstack([self.coef, self.nb_coef]), np.float32)
            scores = np.asarray(_times_transposed(x, self._stacked), dtype=np.float64)
        p_svm = _sigmoid((scores[:, :n] + self.intercept[None, :]) * self.platt_a + self.platt_b)
        p_nb = _sigmoid(
            (scores[:, n:] + self.nb_intercept[None, :]) * self.nb_platt_a + self.nb_platt_b
        )
        return (1.0 - self.nb_weight) * p_svm + self.nb_weight * p_nb

    # -- serialisation (no pickle) --------------------------------------------
    def to_disk(self, path: Union[str, Path]) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        meta = {"format": FORMAT, "labels": self.labels, "settings": self.settings()}
        (path / "classifier.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (path / "vocabulary.json").write_text(
            json.dumps(self.vocabulary, ensure_ascii=False), encoding="utf-8"
        )
        if self.uses_words:
            (path / "word_vocabulary.json").write_text(
                json.dumps(self.word_vocabulary, ensure_ascii=False), encoding="utf-8"
            )
        if self.uses_context:
            (path / "context_vocabulary.json").write_text(
                json.dumps(self.context_vocabulary, ensure_ascii=False), encoding="utf-8"
            )
        if self.uses_title:
            (path / "title_vocabulary.json").write_text(
                json.dumps(self.title_vocabulary, ensure_ascii=False), encoding="utf-8"
            )
        extra = {"context_idf": self.context_idf.astype(np.float32)} if self.uses_context else {}
        if self.uses_title:
            extra["title_idf"] = self.title_idf.astype(np.float32)
        if self.uses_nb:
            extra.update(
                nb_coef=self.nb_coef.astype(np.float16),
                nb_intercept=self.nb_intercept.astype(np.float32),
                nb_platt_a=self.nb_platt_a,
                nb_platt_b=self.nb_platt_b,
            )
        np.savez_compressed(
            path / "weights.npz",
            **extra,
            idf=self.idf.astype(np.float32),
            word_idf=self.word_idf.astype(np.float32),
            coef=np.ascontiguousarray(self.coef.astype(np.float16)),
            intercept=self.intercept.astype(np.float32),
            platt_a=self.platt_a,
            platt_b=self.platt_b,
        )

    @classmethod
    def from_disk(cls, path: Union[str, Path]) -> "CharNgramClassifier":
        path = Path(path)
        meta = json.loads((path / "classifier.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} classifier (format {meta.get('format')!r})")
        s = meta["settings"]
        clf = cls(
            meta["labels"],
            ngram_range=tuple(s["ngram_range"]),
            min_df=s["min_df"],
            max_features=s["max_features"],
            C=s["C"],
            linear=s.get("linear", "svm"),
            calibration_folds=s["calibration_folds"],
            seed=s["seed"],
            word_ngram_range=s.get("word_ngram_range"),
            word_min_df=s.get("word_min_df", 2),
            context_weight=s.get("context_weight", 0.0),
            context_min_df=s.get("context_min_df", 2),
            context_levels=s.get("context_levels"),
            lexicon_weight=s.get("lexicon_weight", 0.0),
            lexicon=s.get("lexicon"),
            min_sources=s.get("min_sources", 1),
            title_weight=s.get("title_weight", 0.0),
            title_chars=s.get("title_chars", 40),
            title_min_df=s.get("title_min_df", 2),
            nb_weight=s.get("nb_weight", 0.0),
            nb_alpha=s.get("nb_alpha", 1.0),
            nb_C=s.get("nb_C"),
            nb_binary=s.get("nb_binary", False),
            nb_kind=s.get("nb_kind", "svm"),
            strip_pattern=s.get("strip_pattern"),
            domain_weight=s.get("domain_weight", 0.0),
            domain_predict=s.get("domain_predict", "county"),
        )
        if clf.uses_words:
            clf.word_vocabulary = json.loads(
                (path / "word_vocabulary.json").read_text(encoding="utf-8")
            )
        if clf.uses_context:
            clf.context_vocabulary = json.loads(
                (path / "context_vocabulary.json").read_text(encoding="utf-8")
            )
        if clf.uses_title:
            clf.title_vocabulary = json.loads(
                (path / "title_vocabulary.json").read_text(encoding="utf-8")
            )
        clf.vocabulary = json.loads((path / "vocabulary.json").read_text(encoding="utf-8"))
        with np.load(path / "weights.npz", allow_pickle=False) as w:
            clf.idf = w["idf"].astype(np.float32)
            # labels × vocabulary, column-major: its transpose is the contiguous vocabulary ×
            # labels matrix that prediction multiplies by (no copy per call)
            clf.coef = np.asfortranarray(w["coef"].astype(np.float32))
            clf.intercept = w["intercept"].astype(np.float32)
            clf.platt_a = w["platt_a"].astype(np.float64)
            clf.platt_b = w["platt_b"].astype(np.float64)
            if clf.uses_words:
                clf.word_idf = w["word_idf"].astype(np.float32)
            if clf.uses_context:
                clf.context_idf = w["context_idf"].astype(np.float32)
            if clf.uses_title:
                clf.title_idf = w["title_idf"].astype(np.float32)
            if clf.uses_nb:
                clf.nb_coef = w["nb_coef"].astype(np.float32)
                clf.nb_intercept = w["nb_intercept"].astype(np.float32)
                clf.nb_platt_a = w["nb_platt_a"].astype(np.float64)
                clf.nb_platt_b = w["nb_platt_b"].astype(np.float64)
        return clf


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def _times_transposed(x: sparse.csr_matrix, coef: np.ndarray) -> np.ndarray:
    """``x @ coef.T``, with the same float32 sums in the same order whatever ``coef``'s layout.

    A column-major ``coef`` (as :meth:`CharNgramClassifier.from_disk` and ``fit`` leave it) has
    a contiguous transpose, multiplied as it is. A row-major one's transpose is not contiguous:
    scipy would copy all of it (labels × vocabulary) on every call; the few columns the rows
    have are gathered instead (and renumbered, keeping each row's order).

    >>> x = sparse.csr_matrix(np.array([[0, 2, 0], [1, 0, 3]], dtype=np.float32))
    >>> coef = np.arange(6, dtype=np.float32).reshape(2, 3)
    >>> by_rows, by_columns = _times_transposed(x, coef), _times_transposed(x, coef.T.copy().T)
    >>> by_rows.tolist() == by_columns.tolist() == [[2.0, 8.0], [6.0, 18.0]]
    True
    """
    if coef.T.flags.c_contiguous:
        return x @ coef.T
    used, renumbered = np.unique(x.indices, return_inverse=True)
    narrow = sparse.csr_matrix(
        (x.data, renumbered.reshape(-1).astype(x.indices.dtype), x.indptr),
        shape=(x.shape[0], len(used)),
    )
    return narrow @ np.ascontiguousarray(coef[:, used].T)


def default_lexicon(labels: Sequence[str]) -> Dict[str, List[str]]:
    """Cues per label from the default taxonomy: its typical cues and the parts of its Chinese
    name (split at 与 、 和); labels the taxonomy does not know get none."""
    import re

    from ..taxonomy import load_taxonomy

    tax = load_taxonomy()
    known = set(tax.ids)
    out: Dict[str, List[str]] = {}
    for lab in labels:
        if lab not in known:
            continue
        entry = tax[lab]
        parts = [p for p in re.split(r"[与、和及]", entry.name_zh) if len(p) >= 2]
        out[lab] = sorted(set(entry.cues) | set(parts))
    return out


_SEGMENTER: List[Any] = []
_TOKENIZER_LOADER: List[Callable[[], Any]] = []


def set_tokenizer_loader(loader: Callable[[], Any]) -> None:
    """Who builds the tokenizer of :func:`segment_words`: :mod:`govnlp.pipeline` sets it, when
    imported (``import govnlp`` imports it), to the default pipeline's tokenizer. The domains
    component does not import the pipeline: the pipeline imports the components."""
    _TOKENIZER_LOADER[:] = [loader]
    _SEGMENTER.clear()


def segment_words(texts: Sequence[str]) -> List[List[str]]:
    """The words of each text by the bundled pkuseg segmenter (loaded once per process)."""
    if not _SEGMENTER:
        if not _TOKENIZER_LOADER:
            raise RuntimeError("no word segmenter: import govnlp.pipeline first")
        _SEGMENTER.append(_TOKENIZER_LOADER[0]())
    tokenizer = _SEGMENTER[0]
    return [[t.text for t in tokenizer(text) if not t.is_space] for text in texts]
