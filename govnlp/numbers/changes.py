"""A level a change starts from: ``由每人每年420元提高到450元`` — 420元 is where the change
starts (today's level), 450元 where it is to end."""

from __future__ import annotations

from ._data import LEXICON

__all__ = ["CHANGE_TO_WORDS", "starts_change"]

#: words that lead to the level a change ends at (提高到, 降至 …), longest first
CHANGE_TO_WORDS = tuple(sorted(LEXICON["change_to_words"], key=len, reverse=True))
_TO_WORDS = CHANGE_TO_WORDS
_FROM_WORDS = tuple(LEXICON["change_from_words"])
_CLAUSE_SEPARATORS = set("。；;，,！？!?\n：:")


def starts_change(text: str, start: int, end: int) -> bool:
    """True when the quantity ``text[start:end]`` is the level a change starts from: a change
    word follows it (提高到, 降至 …) and 由/从 opens it in its clause.

    >>> t = "城乡居民医保财政补助由每人每年420元提高到450元"
    >>> starts_change(t, t.index("420"), t.index("提高")), starts_change(t, t.index("450"), len(t))
    (True, False)
    >>> starts_change("补助标准提高到450元", 7, 11)
    False
    """
    if not text[end : end + 6].lstrip().startswith(_TO_WORDS):
        return False
    k = start
    while k > 0 and text[k - 1] not in _CLAUSE_SEPARATORS:
        k -= 1
    return any(w in text[k:start] for w in _FROM_WORDS)
