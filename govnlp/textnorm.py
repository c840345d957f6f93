"""Offset-preserving text normalisation for rule matching.

Pages mirrored from other sites are sometimes converted to traditional characters
(``區長…主持召開…會議``). The rules of the work-item parser and the unit grammar are written in
simplified characters, so they match a *shadow* of the text in which every traditional
character is replaced by its simplified one, character for character: offsets into the shadow
are offsets into the original. Records still quote the original text.

>>> to_simplified("區長主持召開常務會議")
'区长主持召开常务会议'
>>> len(to_simplified("區(qū)政府")) == len("區(qū)政府")
True
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional, Tuple

__all__ = ["PINYIN_GLOSS", "readable", "strip_glosses", "to_simplified"]

#: a pinyin gloss a mirror site puts after a character: 區(qū)
PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}[)）]")


@lru_cache(maxsize=1)
def _table() -> Dict[int, int]:
    with resources.files("govnlp").joinpath("trad2simp.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    return str.maketrans(data["map"], data["to"])


@lru_cache(maxsize=1)
def _traditional() -> Tuple["re.Pattern[str]", Dict[str, str]]:
    """A character class of the table's traditional characters, and each one's replacement."""
    table = _table()
    chars = "".join(sorted(chr(k) for k in table))
    return re.compile(f"[{re.escape(chars)}]"), {chr(k): chr(v) for k, v in table.items()}


def to_simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified form (same length).

    ``str.translate(table)`` gives the same string; the regex finds the few traditional
    characters a simplified text has (often none) without a table lookup per character.
    """
    pattern, replacement = _traditional()
    return pattern.sub(lambda m: replacement[m.group()], text)


def strip_glosses(text: str) -> str:
    """``text`` without pinyin glosses (for matching a line's shape; offsets are not kept).

    >>> strip_glosses("政府工作報(bào)告")
    '政府工作報告'
    """
    return PINYIN_GLOSS.sub("", text) if "(" in text or "（" in text else text


def readable(text: str) -> Tuple[str, Optional[List[int]]]:
    """``text`` as the rules read it: simplified characters, pinyin glosses taken out; with
    ``where[i]``, the offset in ``text`` of the reading's character ``i`` (and
    ``where[len(reading)] == len(text)``), or ``(text, None)`` when there is nothing to change.

    A span ``[i, j)`` of the reading is ``[where[i], where[j - 1] + 1)`` of ``text`` (a gloss
    inside it, 億(yì)元, stays in the quoted text).

    >>> reading, where = readable("增長(zhǎng)5%")
    >>> reading, where[2], where[len(reading)]
    ('增长5%', 9, 11)
    >>> readable("增长5%")
    ('增长5%', None)
    """
    if ("(" in text or "（" in text) and PINYIN_GLOSS.search(text):
        where: List[int] = []
        kept: List[str] = []
        at = 0
        for m in PINYIN_GLOSS.finditer(text):
            kept.append(text[at : m.start()])
            where.extend(range(at, m.start()))
            at = m.end()
        kept.append(text[at:])
        where.extend(range(at, len(text)))
        where.append(len(text))
        return to_simplified("".join(kept)), where
    simplified = to_simplified(text)
    if simplified == text:
        return text, None
    return simplified, list(range(len(text) + 1))
