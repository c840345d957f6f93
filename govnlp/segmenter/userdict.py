"""pkuseg's user dictionary: a trie of words that are always kept as one token.

A behaviour-identical copy of ``spacy_pkuseg.Preprocesser`` (same attributes:
``trie`` of nodes with ``isword``, ``usertag``, ``children``; same ``insert`` and
``solve``), so that loading the numpy segmenter does not import spacy_pkuseg
(its import alone costs ≈ 0.3 s). spaCy's ``pkuseg_update_user_dict(reset=True)``
may replace it by the original class; both work.

>>> p = Preprocesser(["发改局"])
>>> p.solve("县发改局牵头")
(['县', '发改局', '牵头'], [False, True, False], ['', '', ''])
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple, Union


class TrieNode:
    """One node of the user-dictionary trie."""

    __slots__ = ("isword", "usertag", "children")

    def __init__(self, isword: bool) -> None:
        self.isword = isword
        self.usertag = ""
        self.children: Dict[str, "TrieNode"] = {}


class Preprocesser:
    """Split text at the longest user-dictionary matches (pkuseg's algorithm, unchanged)."""

    def __init__(
        self, words: Optional[Iterable[Union[str, Tuple[str, str], List[str]]]] = None
    ) -> None:
        self.trie = TrieNode(False)
        for w_t in words or []:
            if isinstance(w_t, str):
                w, t = w_t.strip(), ""
            else:
                if len(w_t) != 2:
                    raise ValueError(f"user dictionary entry {w_t!r} is not (word, tag)")
                w, t = (x.strip() for x in w_t)
            self.insert(w, t)

    def insert(self, word: str, usertag: str) -> None:
        """Add ``word`` (with its tag) to the trie."""
        now = self.trie
        for c in word:
            nxt = now.children.get(c)
            if nxt is None:
                nxt = now.children[c] = TrieNode(False)
            now = nxt
        now.isword = True
        now.usertag = usertag

    def solve(self, txt: str) -> Tuple[List[str], List[bool], List[str]]:
        """``(pieces, is_user_word, tags)``: ``txt`` cut around its leftmost-longest user words."""
        outlst: List[str] = []
        iswlst: List[bool] = []
        taglst: List[str] = []
        n = len(txt)
        last = 0
        i = 0
        root = self.trie
        while i < n:
            now = root
            j = i
            found = False
            usertag = ""
            last_word_idx = -1
            while True:
                nxt = now.children.get(txt[j])
                if nxt is None:
                    found = last_word_idx != -1
                    break
                now = nxt
                if now.isword:
                    last_word_idx = j
                    usertag = now.usertag
                j += 1
                if j == n:
                    if last_word_idx != -1:
                        j = last_word_idx + 1
                        found = True
                    break
            if found:
                if last != i:
                    outlst.append(txt[last:i])
                    iswlst.append(False)
                    taglst.append("")
                outlst.append(txt[i:j])
                iswlst.append(True)
                taglst.append(usertag)
                last = j
                i = j
            else:
                i += 1
        if last < n:
            outlst.append(txt[last:n])
            iswlst.append(False)
            taglst.append("")
        return outlst, iswlst, taglst
