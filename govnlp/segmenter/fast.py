"""pkuseg's segmentation with numpy: same tokens, several times faster, loaded in milliseconds.

:class:`FastSegmenter` reproduces ``spacy_pkuseg.pkuseg.cut`` (user dictionary,
CRF features, Viterbi, post-processing) token for token, on the model and
hashed index written at set-up (:mod:`~govnlp.segmenter.index`):

* **features**: every feature name pkuseg would look up for a character
  (``c.X``, ``c-1c.X.Y``, ``w-1.<word>``, ``ww.l.<word>*<word>`` …, 69 slots)
  is hashed for all characters of a document at once, by composing the
  polynomial hashes of its parts (:mod:`~govnlp.segmenter.strhash`), and looked
  up in one vectorised probe of a sorted ``uint64`` table
  (:mod:`~govnlp.segmenter.hashtable`) instead of a Python ``dict``;
* **scores**: the weights of the features found are added in pkuseg's order
  (slot by slot), so every node score is bit-identical to pkuseg's;
* **Viterbi**: the same backward recurrence and tie rules as pkuseg's
  ``run_viterbi``, run for all whitespace-separated fragments of a document
  together (one numpy step per character position of the longest fragment);
* **post-processing**: pkuseg merges runs of 2-7 tokens that form a dictionary
  word; the candidate runs are found by hashing, and its left-to-right merge
  rule is applied to them.

Weights, keys and word tables are memory-mapped read-only, so ``n_process``
workers share their pages.

>>> seg = FastSegmenter.load(default_model_dir())     # doctest: +SKIP
>>> seg.cut("县发改局牵头")                              # doctest: +SKIP
['县', '发改局', '牵头']
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np
import srsly

from .hashtable import HashTable
from .index import NO_WORD, WORD_TABLES, blob_crc, blob_table, index_files, read_index_meta
from .model_files import (
    FEATURES_FILE,
    META_FILE,
    PROCESSORS_FILE,
    PROCESSORS_FORMAT,
    WEIGHTS_FILE,
    PathLike,
    SegmenterModelMissing,
    _unblob,
    write_processors,
)
from .strhash import Prefix, codes, const, finalize, powers
from .userdict import Preprocesser

_U64 = np.uint64

#: pkuseg's ``keyword_rename``: these characters all become ``&``.
_RENAME = str.maketrans("-._,|/*:", "&&&&&&&&")
#: pkuseg's digit and letter classes (``numLetterNorm``): replaced by ``**Num`` / ``**Letter``.
_NUM = "0123456789.几二三四五六七八九十千万亿兆零１２３４５６７８９０％"
_LETTER = (
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｇｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "／・－"
)
_CLASS = np.zeros(0x10000, dtype=np.uint8)
for _c in _NUM:
    _CLASS[ord(_c)] = 1
for _c in _LETTER:
    _CLASS[ord(_c)] = 2
_UNIT_HASH = np.array([0, const("**Num"), const("**Letter")], dtype=_U64)
_UNIT_LEN = np.array([1, 5, 8], dtype=np.int64)
#: Characters segmented per batch (whole fragments; a longer fragment is a batch of its own):
#: bounds the temporary arrays (about 1 kB per character) without costing speed.
BATCH_CHARS = 16_384
#: Word lengths of pkuseg's word features (``config.wordMax`` .. ``config.wordMin``).
_WORD_LENGTHS = (6, 5, 4, 3, 2)
_DOT = np.array(const("."), dtype=_U64)
_STAR = np.array(const("*"), dtype=_U64)
_POW, _ = powers(64)  # B**k for every length a feature part can have (at most 8 * 6)


def _cat(h1: Any, h2: np.ndarray, len2: Any) -> np.ndarray:
    """Raw hash of ``a + b`` (``len(b) <= 64``): :func:`~govnlp.segmenter.strhash.concat` without
    checks.
    """
    return h1 * _POW[len2] + h2


_P = {
    p: np.array(const(p), dtype=_U64)
    for p in (
        "c.",
        "c-1.",
        "c-1c.",
        "c1.",
        "cc1.",
        "c-2.",
        "c-2c-1.",
        "c2.",
        "w-1.",
        "w1.",
        "ww.l.",
        "ww.r.",
    )
}


def normalize_units(text: str) -> Tuple[np.ndarray, np.ndarray]:
    """Raw hashes and lengths of pkuseg's normalised characters of ``text`` (``normalize_text``).

    >>> h, n = normalize_units("县2.")
    >>> n.tolist(), int(h[1]) == const("**Num"), int(h[2]) == const("&")
    ([1, 5, 1], True, True)
    """
    c = codes(text.translate(_RENAME))
    cls = _CLASS[np.minimum(c, 0xFFFF)]
    h = c.astype(_U64) + _U64(1)
    special = cls > 0
    h[special] = _UNIT_HASH[cls[special]]
    return h, _UNIT_LEN[cls]


def viterbi_batch(
    Y: np.ndarray, trans: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """Best tag of each position for fragments ``[starts[f], starts[f] + lengths[f])`` of ``Y``.

    ``Y`` holds node scores (positions x tags), ``trans[y, y_next]`` the edge
    scores (pkuseg's ``edge_score``). Same arithmetic and tie rules as
    ``spacy_pkuseg.inference.run_viterbi``: scores accumulate from the last
    position backwards as ``(best[i+1, y'] + Y[i, y]) + trans[y, y']``, a tie
    goes to the last ``y'``, and the first position takes the first best tag.

    >>> Y = np.array([[0.0, 1.0], [2.0, 0.0]])
    >>> viterbi_batch(Y, np.zeros((2, 2)), np.array([0]), np.array([2])).tolist()
    [1, 0]
    """
    n_tag = Y.shape[1]
    states = np.zeros(len(Y), dtype=np.intp)
    if not len(lengths):
        return states
    order = np.argsort(-lengths, kind="stable")
    s_starts = starts[order]
    s_lengths = lengths[order]
    maxlen = int(s_lengths[0])
    # active[t] = number of fragments longer than t (a prefix of the sorted order)
    active = np.searchsorted(-s_lengths, -np.arange(maxlen + 1), side="left")
    # step-major copy of Y: step t holds the positions t before the end of each fragment still
    # running (longest first), so each step reads and writes contiguous slices
    n_frag = len(lengths)
    rank = np.empty(n_frag, dtype=np.int64)
    rank[order] = np.arange(n_frag)
    frag_of = np.repeat(np.arange(n_frag), lengths)
    last = starts + lengths - 1
    step_of = last[frag_of] - np.arange(len(Y))
    step_pos = np.argsort(step_of * n_frag + rank[frag_of], kind="stable")
    offsets = np.zeros(maxlen + 1, dtype=np.int64)
    np.cumsum(active[:maxlen], out=offsets[1:])
    Ys = np.take(Y, step_pos, axis=0)
    back = np.empty(Y.shape, dtype=np.intp)
    # scores are kept with the next tag in reverse order, so that argmax (first best) is pkuseg's
    # last best
    trans_rev = np.ascontiguousarray(trans[:, ::-1])
    best_rev = Ys[: int(active[0])][:, ::-1]
    final = np.empty((n_frag, n_tag))
    for t in range(1, maxlen):
        c = int(active[t])
        done = int(active[t - 1])
        if c < done:
            final[c:done] = best_rev[c:done, ::-1]
        o = int(offsets[t])
        tmp = best_rev[:c, None, :] + Ys[o : o + c, :, None]
        tmp += trans_rev
        tmp.argmax(axis=2, out=back[o : o + c])
        best_rev = tmp.max(axis=2)[:, ::-1]
    c = int(active[maxlen - 1])
    final[:c] = best_rev[:c, ::-1]
    back = (n_tag - 1) - back  # reversed index -> tag
    row_of = np.empty(len(Y), dtype=np.int64)  # position -> its row in the step-major arrays
    row_of[step_pos] = np.arange(len(Y))
    flat_back = back.reshape(-1)
    states[s_starts] = final.argmax(axis=1)
    for t in range(maxlen - 1):
        c = int(active[t + 1])
        pos = s_starts[:c] + t
        states[pos + 1] = flat_back[row_of[pos] * n_tag + states[pos]]
    return states


class FastSegmenter:
    """pkuseg's ``cut`` on a hashed model directory (see the module doc).

    Attributes mirror what spaCy's Chinese tokenizer uses of a pkuseg object:
    ``preprocesser`` (the user dictionary, with ``insert``) and ``cut``.
    """

    def __init__(
        self,
        model_dir: Path,
        meta: Dict[str, Any],
        weights: np.ndarray,
        features: HashTable,
        unigram: HashTable,
        words: Dict[str, HashTable],
        user_dict: Sequence[Any],
        do_process: bool,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.meta = meta
        tag_to_idx: Dict[str, int] = meta["tag_to_idx"]
        self.n_tag = n_tag = len(tag_to_idx)
        self.n_feature = n_feature = int(meta["n_feature"])
        if weights.shape != (n_tag * (n_feature + n_tag),):
            raise ValueError(f"{model_dir}: weights of shape {weights.shape} do not fit the index")
        self.weights = weights
        self.node_weights = weights[: n_feature * n_tag].reshape(n_feature, n_tag)
        edge = weights[n_feature * n_tag :].reshape(n_tag, n_tag)  # edge[y_next, y]
        self.trans = 1.0 + np.ascontiguousarray(edge.T)  # pkuseg: ones + w
        self.is_begin = np.array(
            ["B" in tag for tag, _ in sorted(tag_to_idx.items(), key=lambda kv: kv[1])]
        )
        self.features = features
        self.unigram = unigram
        self.words = words
        self.empty_is_unigram = bool(meta["empty_is_unigram"])
        self.noword_features = bool(meta["noword_features"])
        self.preprocesser: Any = Preprocesser(list(user_dict) or None)
        self.do_process = bool(do_process)

    # -- loading and saving ----------------------------------------------------------------

    @classmethod
    def load(cls, model_dir: PathLike, *, mmap: bool = True) -> "FastSegmenter":
        """Memory-map a model directory that carries an index (``govnlp setup-segmenter`` writes
        it).
        """
        model_dir = Path(model_dir)
        meta = read_index_meta(model_dir)
        if meta is None:
            raise SegmenterModelMissing(
                f"{model_dir} has no current segmenter index; run `govnlp setup-segmenter` "
                "(offline) to build it"
            )
        mode = "r" if mmap else None
        weights = np.load(model_dir / WEIGHTS_FILE, mmap_mode=mode, allow_pickle=False)
        if weights.dtype != np.float64 or weights.ndim != 1:
            weights = np.ascontiguousarray(weights, dtype=np.float64).reshape(-1)
        weights = weights.view(
            np.ndarray
        )  # still the mapped pages, without np.memmap's per-index overhead
        features = HashTable.load(model_dir, "features", mmap=mmap)
        unigram = HashTable.load(model_dir, "unigram", mmap=mmap)
        user_dict, do_process, blobs = _read_processors(model_dir / PROCESSORS_FILE)
        words = {}
        for name in WORD_TABLES:
            if blob_crc(blobs[name]) == meta.get(f"{name}_crc"):
                words[name] = HashTable.load(model_dir, name, mmap=mmap)
            else:  # the word list was changed after the index was built
                words[name] = blob_table(blobs[name])
        return cls(model_dir, meta, weights, features, unigram, words, user_dict, do_process)

    def save(self, out_dir: PathLike) -> None:
        """Write the model, its index and the current user dictionary to ``out_dir``."""
        from spacy.lang.zh import _get_pkuseg_trie_data

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        if out.resolve() != self.model_dir.resolve():
            for src in [
                self.model_dir / f for f in (FEATURES_FILE, WEIGHTS_FILE, META_FILE)
            ] + index_files(self.model_dir):
                if src.exists():
                    _copy(src, out / src.name)
        _, _, blobs = _read_processors(self.model_dir / PROCESSORS_FILE)
        write_processors(
            out,
            user_dict=_get_pkuseg_trie_data(self.preprocesser.trie),
            do_process=self.do_process,
            common_words=_unblob(blobs["common_words"]),
            other_words=_unblob(blobs["other_words"]),
        )

    # -- segmentation ----------------------------------------------------------------------

    def cut(self, txt: str) -> List[str]:
        """The tokens of ``txt``, exactly as ``spacy_pkuseg.pkuseg.cut`` gives them."""
        txt = txt.strip()
        if not txt:
            return []
        if not self.preprocesser.trie.children:
            return self.segment(txt.split())[0]
        parts: List[Tuple[str, bool]] = []
        solve = self.preprocesser.solve
        for w0 in txt.split():
            lst, isw, _ = solve(w0)
            parts.extend(zip(lst, isw))
        tokens, counts = self.segment([w for w, user in parts if not user])
        out: List[str] = []
        j = k = 0
        for w, user in parts:
            if user:
                out.append(w)
            else:
                out.extend(tokens[j : j + counts[k]])
                j += counts[k]
                k += 1
        return out

    def segment(self, pieces: Sequence[str]) -> Tuple[List[str], List[int]]:
        """Segment each piece on its own (pkuseg's ``_cut`` + post-processing), in batches.

        Returns the tokens of all pieces in order and the number of tokens of each.
        Pieces are independent, so batching them (about :data:`BATCH_CHARS`
        characters at a time, which bounds the temporary arrays) changes nothing.
        """
        tokens: List[str] = []
        counts: List[int] = []
        batch: List[str] = []
        size = 0
        for p in pieces:
            if batch and size + len(p) > BATCH_CHARS:
                t, c = self._segment_batch(batch)
                tokens.extend(t)
                counts.extend(c)
                batch, size = [], 0
            batch.append(p)
            size += len(p)
        if batch:
            t, c = self._segment_batch(batch)
            tokens.extend(t)
            counts.extend(c)
        return tokens, counts

    def _segment_batch(self, pieces: List[str]) -> Tuple[List[str], List[int]]:
        text = "".join(pieces)
        lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
        starts = np.zeros(len(pieces), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        if np.any(lengths == 0):
            raise ValueError("empty piece")
        scores = self.node_scores(text, starts, lengths)
        tags = viterbi_batch(scores, self.trans, starts, lengths)
        n = len(text)
        piece_of = np.repeat(np.arange(len(pieces)), lengths)
        boundary = self.is_begin[tags]
        boundary[starts] = True
        tok_start = np.flatnonzero(boundary)
        tok_end = np.empty_like(tok_start)
        tok_end[:-1] = tok_start[1:]
        tok_end[-1] = n
        tok_piece = piece_of[tok_start]
        if self.do_process:
            tok_start, tok_end, tok_piece = self.post_process(text, tok_start, tok_end, tok_piece)
        out = [text[a:b] for a, b in zip(tok_start.tolist(), tok_end.tolist())]
        counts = np.bincount(tok_piece, minlength=len(pieces)).tolist()
        return out, counts

    def node_scores(self, text: str, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """pkuseg's node scores (``getLogYY``) of every character of ``text``, fragment by fragment.

        Candidate feature names are hashed slot by slot in pkuseg's order
        (``__get_node_features_idx``); the weights of those found are then added
        in that order, position by position, so the sums are pkuseg's to the bit.
        """
        n = len(text)
        uh, ul = normalize_units(text)
        pre = Prefix(uh, ul)
        piece_of = np.repeat(np.arange(len(lengths)), lengths)
        i = np.arange(n) - starts[piece_of]  # position inside its fragment
        left = lengths[piece_of] - i  # characters from i to the fragment's end, i included
        pos_parts: List[np.ndarray] = []  # positions of the candidate features, in pkuseg's order
        hash_parts: List[np.ndarray] = []

        def one(prefix: str, p: np.ndarray, at: np.ndarray) -> None:
            pos_parts.append(p)
            hash_parts.append(_cat(_P[prefix], uh[at], ul[at]))

        def two(prefix: str, p: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
            pos_parts.append(p)
            hash_parts.append(_cat(_cat(_cat(_P[prefix], uh[a], ul[a]), _DOT, 1), uh[b], ul[b]))

        every = np.arange(n)
        one("c.", every, every)
        p = np.flatnonzero(i > 0)
        one("c-1.", p, p - 1)
        two("c-1c.", p, p - 1, p)
        p = np.flatnonzero(left > 1)
        one("c1.", p, p + 1)
        two("cc1.", p, p, p + 1)
        p = np.flatnonzero(i > 1)
        one("c-2.", p, p - 2)
        two("c-2c-1.", p, p - 2, p - 1)
        p = np.flatnonzero(left > 2)
        one("c2.", p, p + 2)

        # words of 6..2 characters starting at each position (row k: length _WORD_LENGTHS[k]);
        # a window that does not fit in its fragment is pkuseg's "" (a unigram in its model)
        nl = len(_WORD_LENGTHS)
        win_h = np.zeros((nl, n + 1), dtype=_U64)
        win_l = np.zeros((nl, n + 1), dtype=np.int64)
        win_hit = np.full((nl, n + 1), self.empty_is_unigram)
        for k, L in enumerate(_WORD_LENGTHS):
            v = np.flatnonzero(left >= L)
            if v.size:
                win_h[k, v] = pre.hash(v, v + L)
                win_l[k, v] = pre.length(v, v + L)
                win_hit[k, v] = self.unigram.contains(finalize(win_h[k, v]))
        # column n is the "" window; the four word lists of pkuseg point at a window per position
        lens = np.array(_WORD_LENGTHS)[:, None]
        rows = np.arange(nl)[:, None]

        def view(shift: np.ndarray, valid: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
            at = np.where(valid, every + shift, n)
            return win_h[rows, at], win_l[rows, at], win_hit[rows, at]

        pre_in = view(1 - lens, i >= lens - 1)  # the word ends at i
        post_in = (win_h[:, :n], win_l[:, :n], win_hit[:, :n])  # the word starts at i
        pre_ex = view(-lens, i >= lens)  # the word ends at i - 1
        post_ex = view(np.ones_like(lens), left > lens)  # the word starts at i + 1
        for prefix, (h, ln, hit) in (("w-1.", pre_in), ("w1.", post_in)):
            k, p = np.nonzero(hit)
            pos_parts.append(p)
            hash_parts.append(_cat(_P[prefix], h[k, p], ln[k, p]))
        if self.noword_features:  # a non-word is "**noWord" in the pair features
            nw_h, nw_l = _U64(const(NO_WORD)), len(NO_WORD)

            def as_noword(
                t: Tuple[np.ndarray, np.ndarray, np.ndarray],
            ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
                h, ln, hit = t
                return np.where(hit, h, nw_h), np.where(hit, ln, nw_l), np.ones_like(hit)

            pre_in, post_in, pre_ex, post_ex = map(as_noword, (pre_in, post_in, pre_ex, post_ex))
        for prefix, (ah, al, ahit), (bh, bl, bhit) in (
            ("ww.l.", pre_ex, post_in),
            ("ww.r.", pre_in, post_ex),
        ):
            a, b, p = np.nonzero(ahit[:, None, :] & bhit[None, :, :])  # slot order: a, then b
            h = _cat(_cat(_cat(_P[prefix], ah[a, p], al[a, p]), _STAR, 1), bh[b, p], bl[b, p])
            pos_parts.append(p)
            hash_parts.append(h)

        pos = np.concatenate(pos_parts)
        found = self.features.get(finalize(np.concatenate(hash_parts)))
        hit = found >= 0
        pos, found = pos[hit], found[hit]
        t = self.n_tag
        # feature 0 ("$$") is on every character, first (0.0 + w is w); then the found features,
        # added one at a time in array order (np.add.at is unbuffered and sequential), which for
        # each position is pkuseg's slot order: the sums are pkuseg's to the bit
        scores = np.tile(self.node_weights[0], n)
        at = (pos * t)[:, None] + np.arange(t)
        np.add.at(scores, at.reshape(-1), np.take(self.node_weights, found, axis=0).reshape(-1))
        scores = scores.reshape(n, t)
        return scores

    def post_process(
        self, text: str, start: np.ndarray, end: np.ndarray, piece: np.ndarray
    ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """pkuseg's ``Postprocesser.post_process(check_seperated=True)`` on all fragments' tokens.

        For m = 7 .. 2, a run of m tokens of one fragment is merged when it forms
        a common word, or an other word whose tokens are not all words; runs are
        taken greedily from the left, each pass on the tokens the previous left.
        """
        common, other = self.words["common_words"], self.words["other_words"]
        if not len(common) and not len(other):
            return start, end, piece
        pre = Prefix.of_text(text)

        def member(h: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
            return (
                common.contains(h) if len(common) else np.zeros(len(h), dtype=bool)
            ), other.contains(h)

        for m in range(7, 1, -1):
            nt = len(start)
            if nt < m:
                continue
            k = np.arange(nt - m + 1)
            k = k[piece[k] == piece[k + m - 1]]
            if not k.size:
                continue
            in_common, in_other = member(finalize(pre.hash(start[k], end[k + m - 1])))
            cand = in_common.copy()
            maybe = in_other & ~in_common
            if maybe.any():
                tc, to = member(finalize(pre.hash(start, end)))
                non_word = np.zeros(nt + 1, dtype=np.int64)
                np.cumsum(~(tc | to), out=non_word[1:])
                km = k[maybe]
                separated = (non_word[km + m] - non_word[km]) == 0
                cand[np.flatnonzero(maybe)[~separated]] = True
            if not cand.any():
                continue
            chosen: List[int] = []
            free = -1
            for x in k[cand].tolist():
                if x >= free:
                    chosen.append(x)
                    free = x + m
            ch = np.array(chosen)
            end = end.copy()
            end[ch] = end[ch + m - 1]
            keep = np.ones(nt, dtype=bool)
            keep[(ch[:, None] + np.arange(1, m)).ravel()] = False
            start, end, piece = start[keep], end[keep], piece[keep]
        return start, end, piece


def load_segmenter(model_dir: PathLike) -> Any:
    """The segmenter of a model directory: :class:`FastSegmenter` when it carries an index.

    A directory without a current index (converted by an earlier govnlp, or a
    pipeline saved by one) falls back to pkuseg's own Cython inference, with
    the same tokens, and a warning to run ``govnlp setup-segmenter``.
    """
    import warnings

    from .model_files import load_pkuseg, model_format

    if read_index_meta(model_dir) is not None:
        return FastSegmenter.load(model_dir)
    seg = load_pkuseg(model_dir)
    if model_format(model_dir) is not None:
        warnings.warn(
            f"{model_dir} has no segmenter index: using pkuseg's slower inference. "
            "Run `govnlp setup-segmenter` (offline) to build the index.",
            stacklevel=2,
        )
    return seg


def _read_processors(path: Path) -> Tuple[List[Any], bool, Dict[str, bytes]]:
    """(user_dict, do_process, word blobs) of a format-2 ``processors.msgpack``."""
    if not path.exists():
        return [], False, {name: b"" for name in WORD_TABLES}
    data = srsly.read_msgpack(path)
    if not isinstance(data, dict) or data.get("format") != PROCESSORS_FORMAT:
        raise ValueError(
            f"{path} is not a format-2 govnlp processors file; run `govnlp setup-segmenter`"
        )
    user_dict = [tuple(e) if e[1] else e[0] for e in data["user_dict"]]
    return user_dict, bool(data["do_process"]), {name: bytes(data[name]) for name in WORD_TABLES}


def _copy(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` through a temporary file (never a hard link: a later in-place
    write into a saved pipeline must not reach the provisioned model)."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
