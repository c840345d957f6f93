"""spaCy's Chinese tokenizer, loading pkuseg models without pickle.

The pkuseg model runs on govnlp's numpy inference path
(:class:`~govnlp.segmenter.fast.FastSegmenter`: pkuseg's tokens, faster, memory-mapped)
when its directory carries the index ``govnlp setup-segmenter`` builds, else on
pkuseg's own Cython code.

Registered as ``govnlp.ChineseTokenizer.v1`` (entry point ``spacy_tokenizers``),
so a saved govnlp pipeline loads with plain ``spacy.load`` and carries its
segmenter model and user dictionary in ``tokenizer/pkuseg_model/``.

The segmenter is a config setting, like spaCy's own::

    [nlp.tokenizer]
    @tokenizers = "govnlp.ChineseTokenizer.v1"
    segmenter = "pkuseg"        # or "char", "jieba" (no model needed)

    [initialize.tokenizer]
    pkuseg_model = null         # null: the provisioned default model

>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {
...     "@tokenizers": "govnlp.ChineseTokenizer.v1", "segmenter": "char"}}})
>>> [t.text for t in nlp("县发改局")]
['县', '发', '改', '局']
"""

from __future__ import annotations

import re
import tempfile
from bisect import bisect_right
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional, Tuple

import srsly
from spacy import util
from spacy.errors import Errors
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from .._doctext import remember_text
from .fast import FastSegmenter, load_segmenter
from .model_files import apply_processors, default_model_dir, save_pkuseg

MODEL_DIR_NAME = "pkuseg_model"


@registry.tokenizers("govnlp.ChineseTokenizer.v1")
def create_chinese_tokenizer(
    segmenter: str = "pkuseg",
) -> Callable[[Language], "GovChineseTokenizer"]:
    """Config entry point: a tokenizer factory for ``segmenter`` (pkuseg, char, jieba)."""

    def chinese_tokenizer_factory(nlp: Language) -> GovChineseTokenizer:
        return GovChineseTokenizer(nlp.vocab, segmenter=segmenter)

    return chinese_tokenizer_factory


def words_and_spaces(words: List[str], text: str) -> Tuple[List[str], List[bool]]:
    r"""``spacy.util.get_words_and_spaces`` with the same result, in linear time.

    spaCy's version searches each word in a copy of the rest of the text
    (``text[pos:].index(word)``), which is quadratic in the length of a
    document; this one searches in place (``text.find(word, pos)``).

    >>> words_and_spaces(["县", "发改局"], "县 发改局\n")
    (['县', '发改局', '\n'], [True, False, False])
    """
    joined, bare = "".join(words), "".join(text.split())
    if joined == bare and "" not in words:  # no word has (or is) whitespace: the usual case
        return _between_whitespace(words, text)
    if "".join(joined.split()) != bare:
        raise ValueError(Errors.E194.format(text=text, words=words))
    text_words: List[str] = []
    text_spaces: List[bool] = []
    pos = 0
    n = len(text)
    find = text.find
    for word in words:
        if word.isspace():
            continue
        start = find(word, pos)
        if start < 0:
            raise ValueError(Errors.E194.format(text=text, words=words))
        if start > pos:
            text_words.append(text[pos:start])
            text_spaces.append(False)
        text_words.append(word)
        pos = start + len(word)
        if pos < n and text[pos] == " ":
            text_spaces.append(True)
            pos += 1
        else:
            text_spaces.append(False)
    if pos < n:
        text_words.append(text[pos:])
        text_spaces.append(False)
    return text_words, text_spaces


_WHITESPACE = re.compile(r"\s+")  # str.isspace's characters, as str.split splits on


def _between_whitespace(words: List[str], text: str) -> Tuple[List[str], List[bool]]:
    """:func:`words_and_spaces` of words without whitespace that join to the text's
    non-whitespace characters: only the text's whitespace runs are visited (each lies between
    two words, or at an end), not every word.
    """
    ends = list(accumulate(map(len, words)))  # each word's end among the non-space characters
    out_words: List[str] = []
    out_spaces: List[bool] = []
    done = 0  # words placed
    skipped = 0  # whitespace characters before the run
    for run in _WHITESPACE.finditer(text):
        a, b = run.span()
        upto = bisect_right(ends, a - skipped)  # the words before the run
        out_words += words[done:upto]
        out_spaces += [False] * (upto - done)
        done = upto
        rest = text[a:b]
        if upto and rest[0] == " ":  # one space after a word is the word's trailing space
            out_spaces[-1] = True
            rest = rest[1:]
        if rest:
            out_words.append(rest)
            out_spaces.append(False)
        skipped += b - a
    out_words += words[done:]
    out_spaces += [False] * (len(words) - done)
    return out_words, out_spaces


class GovChineseTokenizer(ChineseTokenizer):
    """:class:`spacy.lang.zh.ChineseTokenizer` whose pkuseg model is pickle-free.

    ``initialize(pkuseg_model=None)`` loads the provisioned default model;
    ``initialize(pkuseg_model=path)`` loads a converted model directory.
    ``pkuseg_user_words`` are added to the segmenter's user dictionary so that
    they always stay one token.
    """

    def __call__(self, text: str) -> Doc:
        if self.segmenter == Segmenter.pkuseg and self.pkuseg_seg is not None:
            words, spaces = words_and_spaces(self.pkuseg_seg.cut(text), text)
            # the words and spaces join back to ``text`` exactly (words_and_spaces keeps every
            # character): doc.text need not be rebuilt from the tokens
            return remember_text(Doc(self.vocab, words=words, spaces=spaces), text)
        return super().__call__(text)

    def initialize(  # type: ignore[override]
        self,
        get_examples: Optional[Callable[[], Iterable[Any]]] = None,
        *,
        nlp: Optional[Language] = None,
        pkuseg_model: Optional[str] = None,
        pkuseg_user_dict: Optional[str] = None,
        pkuseg_user_words: Optional[List[str]] = None,
    ) -> None:
        if self.segmenter != Segmenter.pkuseg:
            return
        self.pkuseg_seg = load_segmenter(pkuseg_model or default_model_dir())
        if pkuseg_user_dict:
            words = [
                line.split("\t")[0].strip()
                for line in Path(pkuseg_user_dict).read_text(encoding="utf-8").splitlines()
            ]
            self.pkuseg_update_user_dict([w for w in words if w])
        if pkuseg_user_words:
            self.pkuseg_update_user_dict(list(pkuseg_user_words))

    def to_disk(self, path: Any, **kwargs: Any) -> None:  # type: ignore[override]
        path = util.ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self._get_config())
        if isinstance(self.pkuseg_seg, FastSegmenter):
            self.pkuseg_seg.save(path / MODEL_DIR_NAME)
        elif self.pkuseg_seg is not None:
            save_pkuseg(self.pkuseg_seg, path / MODEL_DIR_NAME)

    def from_disk(self, path: Any, **kwargs: Any) -> "GovChineseTokenizer":  # type: ignore[override]
        path = util.ensure_path(path)
        self._set_config(srsly.read_json(path / "cfg"))
        model_dir = path / MODEL_DIR_NAME
        if self.segmenter == Segmenter.pkuseg and model_dir.exists():
            self.pkuseg_seg = load_segmenter(model_dir)
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:  # type: ignore[override]
        with tempfile.TemporaryDirectory() as tmp:
            self.to_disk(tmp)
            files = {
                str(p.relative_to(tmp)): p.read_bytes()
                for p in sorted(Path(tmp).rglob("*"))
                if p.is_file()
            }
        return srsly.msgpack_dumps(files)

    def from_bytes(self, data: bytes, **kwargs: Any) -> "GovChineseTokenizer":  # type: ignore[override]
        files = srsly.msgpack_loads(data)
        with tempfile.TemporaryDirectory() as tmp:
            for rel, content in files.items():
                target = Path(tmp) / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            return self.from_disk(tmp)


__all__ = [
    "GovChineseTokenizer",
    "create_chinese_tokenizer",
    "apply_processors",
    "words_and_spaces",
]
