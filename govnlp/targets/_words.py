"""One regex search for "does any of these words occur in the text" (the cue tests of
:mod:`govnlp.targets.extract`), instead of one substring test per word.

>>> contains_any("今年预期目标是增长6%", ["力争", "预期目标"])
True
>>> contains_any("去年增长6%", ["力争", "预期目标"]), contains_any("", [])
(False, False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional


@lru_cache(maxsize=256)
def _finder(words: tuple) -> Optional["re.Pattern[str]"]:
    """An alternation of ``words`` (longest first), or None for no words."""
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def contains_any(text: str, words: Iterable[str]) -> bool:
    """``any(w in text for w in words)``, by one search of a pattern compiled once per word list
    (an empty word occurs in every text, as ``"" in text`` says).

    >>> contains_any("abc", ["x", ""]), contains_any("统一规划", ("一规",))
    (True, True)
    """
    found = _finder(tuple(words))
    return found is not None and found.search(text) is not None
