"""The name grammar: unit mentions the gazetteer does not spell out (spec units.md v2).

A mention is found by the shape of its name, not only by lookup:

* a level word (县 区 市 镇 乡 省, with 委/政府 after it or not) + a body + any body suffix
  (局 委 办 部 院 庭 所 站 队 大队 中心 机构 公司 集团 工委 专班 指挥部 …): ``县营商环境评价机构``;
* a bare body with a strict suffix, where the document implies the level: ``劳动监察大队``,
  ``少年法庭``, ``示范区党工委``;
* the organs every county has, named without their level word: ``人大``, ``政协``, ``纪委监委``;
* a company named by its brand where the text marks companies as state-owned
  (``县属国企中，金港集团…``);
* collectives in their many forms (``区直各有关单位``, ``各片区管理局``, ``各县（市、区）政府``).

A name starts at a boundary: punctuation, a verb that takes a unit (会同 联合 配合 …), or the end
of the previous mention (``县经济发展局县营商环境服务中心``). Rule data: ``data/name_grammar.json``.

>>> [(s, e, kind) for s, e, kind in name_candidates("请县住建局会同县重点项目推进办每月通报进度。")]
[(1, 5, 'named'), (7, 15, 'named')]
"""

from __future__ import annotations

import bisect
import json
import re
from functools import lru_cache
from importlib import resources
from re import _parser as sre_parse  # the parsed form of the grammar's patterns
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SUBPATTERN,
)
from typing import Any, Dict, List, Optional, Sequence, Tuple

Candidate = Tuple[int, int, str]


@lru_cache(maxsize=1)
def grammar() -> Dict[str, Any]:
    """The grammar's rule data, with compiled patterns."""
    with (
        resources.files(__package__).joinpath("data/name_grammar.json").open(encoding="utf-8") as fh
    ):
        g = json.load(fh)
    suffix_alt = "|".join(sorted(map(re.escape, g["suffixes"]), key=len, reverse=True))
    g["suffix_re"] = re.compile(f"(?:{suffix_alt})")
    g["collective_re"] = re.compile(g["collective"])
    g["verbs_sorted"] = sorted(g["verbs_before"], key=len, reverse=True)
    g["verb_set"] = set(g["verbs_before"])
    g["verb_lengths"] = sorted({len(v) for v in g["verbs_before"]}, reverse=True)
    g["implied_re"] = re.compile(
        "|".join(map(re.escape, sorted(g["implied_organs"], key=len, reverse=True)))
    )
    g["implied_sorted"] = sorted(g["implied_organs"], key=len, reverse=True)
    g["zone_organ_re"] = re.compile("|".join(map(re.escape, g["zone_organs"])))
    g["bad_endings_tuple"] = tuple(g["bad_endings"])
    g["after_name_tuple"] = tuple(g["member_titles"]) + tuple(g["after_name_block"])
    g["bare_sorted"] = sorted(g["bare_suffixes"] + g["zone_organs"], key=len, reverse=True)
    g["bare_suffix_re"] = re.compile("|".join(map(re.escape, g["bare_sorted"])))
    g["inner_set"] = set(g["inner_block"])
    g["after_block_set"] = set(g["after_block"])
    g["verb_word_set"] = set(g.get("verb_words", ()))
    g["level_prev_block_set"] = set(g["level_prev_block"])
    return g


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _at_boundary(text: str, i: int, lo: int, ends: Sequence[int]) -> bool:
    """Whether a name may start at ``i``: text start, punctuation, a unit-taking verb before it,
    or the end of a mention found before; a level word (县区市…) also after any character that
    does not make it part of a word (城市, 社区, 全县…). The rule one position at a time: the
    scans use :func:`boundary_starts`, which finds the same positions (tested against this)."""
    g = grammar()
    if i <= lo or i in ends:
        return True
    prev = text[i - 1]
    if prev in g["boundary_chars"] or not _is_cjk(prev):
        return True
    if text[i] in g["level_chars"] and prev not in g["level_prev_block_set"]:
        return True
    # a one-character verb (向 由 经…) is a boundary only before a level word or an organ the
    # county always has; a bare name needs a real break (经济法庭 is not 经 + 济法庭)
    one_char_ok = (
        text[i] in g["level_chars"]
        or g["implied_re"].match(text, i) is not None
        or g["collective_re"].match(text, i) is not None
    )  # 请各乡镇…
    for n in g["verb_lengths"]:
        if i - n >= lo and text[i - n : i] in g["verb_set"] and (n > 1 or one_char_ok):
            return True
    return False


@lru_cache(maxsize=1)
def _boundary_patterns() -> Dict[str, Any]:
    g = grammar()
    cls = lambda chars: "".join(re.escape(ch) for ch in chars)  # noqa: E731
    by_length: Dict[int, "re.Pattern[str]"] = {}
    for n in g["verb_lengths"]:
        by_length[n] = re.compile(_overlapping_words([v for v in g["verbs_before"] if len(v) == n]))
    return {
        "after": re.compile(f"[{cls(g['boundary_chars'])}]|[^\u4e00-\u9fff]"),
        # the level character first, then what precedes it (a pattern that starts with a
        # character lets the regex engine skip to the next place that character can be)
        "level": re.compile(f"[{cls(g['level_chars'])}](?<![{cls(g['level_prev_block_set'])}].)"),
        "verbs": by_length,
    }


def _overlapping_words(words: Sequence[str]) -> str:
    """A pattern matching the first character of every occurrence of ``words``, overlapping ones
    included (each match consumes one character; the rest of the word is a lookahead): the
    same starts as ``(?=(?:w1|w2|…))``, found without trying every word at every offset.

    >>> [m.start() for m in re.finditer(_overlapping_words(["会同", "同步", "由"]), "会同步由")]
    [0, 1, 3]
    """
    by_first: Dict[str, List[str]] = {}
    for w in sorted(set(words)):
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(
        re.escape(ch) + (f"(?=(?:{'|'.join(rests)}))" if any(rests) else "")
        for ch, rests in by_first.items()
    )


def boundary_starts(
    text: str,
    lo: int,
    hi: int,
    ends: Sequence[int] = (),
    after: Optional[Sequence[int]] = None,
) -> List[int]:
    """Every offset in ``[lo, hi)`` where :func:`_at_boundary` lets a name start, sorted: after
    punctuation or a non-CJK character, at a level word not inside a word, after a unit-taking
    verb, at ``lo`` and at ``ends``. ``after``: the offsets right after every punctuation or
    non-CJK character of the whole ``text``, sorted, when the caller has them
    (:func:`after_boundary_chars`; else a regex pass over ``[lo, hi)`` finds them).

    >>> t = "请县住建局会同县重点项目推进办每月通报进度。"
    >>> boundary_starts(t, 0, len(t)) == [i for i in range(len(t)) if _at_boundary(t, i, 0, ())]
    True
    """
    if hi <= lo:
        return []
    g = grammar()
    p = _boundary_patterns()
    found = {lo}
    found.update(e for e in ends if lo <= e < hi)
    if after is None:
        found.update(m.end() for m in p["after"].finditer(text, lo, hi - 1))
    else:  # the characters at lo … hi - 2, as the regex pass reads them
        found.update(after[bisect.bisect_left(after, lo + 1) : bisect.bisect_left(after, hi)])
    found.update(m.start() for m in p["level"].finditer(text, lo, hi))
    for n, pattern in p["verbs"].items():
        for m in pattern.finditer(text, lo, hi):  # the verb lies inside [lo, hi)
            i = m.start() + n
            if i >= hi:
                break
            if n > 1 or (
                text[i] in g["level_chars"]
                or g["implied_re"].match(text, i) is not None
                or g["collective_re"].match(text, i) is not None
            ):
                found.add(i)
    return sorted(found)


@lru_cache(maxsize=1)
def _boundary_char_codes() -> Any:
    import numpy as np

    return np.array(sorted({ord(ch) for ch in grammar()["boundary_chars"]}), dtype=np.uint32)


def after_boundary_chars(codes: Any) -> List[int]:
    """``k + 1`` for every character ``k`` of a text (its code points, a numpy ``uint32``
    array) that a name may start after: a boundary character (punctuation) or one outside
    U+4E00–U+9FFF, sorted; the positions :func:`boundary_starts` finds by its ``after`` regex,
    for a whole document at once.

    >>> import numpy as np
    >>> t = "请县住建局、县财政局2024年"
    >>> codes = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32)
    >>> after_boundary_chars(codes) == [m.end() for m in _boundary_patterns()["after"].finditer(t)]
    True
    """
    import numpy as np

    hit = np.isin(codes, _boundary_char_codes()) | (codes < 0x4E00) | (codes > 0x9FFF)
    return (np.flatnonzero(hit) + 1).tolist()


def _first_chars(parsed: Any) -> Tuple[Optional[set], bool]:
    """(the characters a parsed regex sequence can start with, whether it can match empty);
    None for the set when the sequence is not of the plain kinds read here (it may start
    with anything)."""
    chars: set = set()
    for op, av in parsed:
        if op is LITERAL:
            chars.add(chr(av))
            return chars, False
        if op is IN:
            for kind, value in av:
                if kind is not LITERAL:
                    return None, False  # a range, a category, a negation: not read here
                chars.add(chr(value))
            return chars, False
        if op in (AT, ASSERT, ASSERT_NOT):
            continue  # zero width: the next item gives the first character
        if op is BRANCH:
            parts = [_first_chars(branch) for branch in av[1]]
        elif op is SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            parts = [_first_chars(av[3])]
        elif op in (MAX_REPEAT, MIN_REPEAT):
            first, empty = _first_chars(av[2])
            parts = [(first, empty or av[0] == 0)]
        else:
            return None, False
        for first, _ in parts:
            if first is None:
                return None, False
            chars |= first
        if not any(empty for _, empty in parts):
            return chars, False
    return chars, True


def regex_first_chars(pattern: "re.Pattern[str]") -> Optional[frozenset]:
    """Every character a match of ``pattern`` can start with, or None when that is not known
    (flags, patterns that match empty, constructs other than literals, character sets of
    literals, groups, alternations, repeats and zero-width assertions).

    >>> sorted(regex_first_chars(re.compile(r"(?:各|有关)?[县区](?:委|政府)")))
    ['区', '县', '各', '有']
    >>> regex_first_chars(re.compile(r"\\d+")) is None
    True
    """
    if pattern.flags & ~re.UNICODE:
        return None
    first, empty = _first_chars(sre_parse.parse(pattern.pattern, pattern.flags))
    return None if first is None or empty else frozenset(first)


@lru_cache(maxsize=1)
def _candidate_first_chars() -> Optional[frozenset]:
    """The characters a grammar name can start with unless a strict suffix follows closely or the
    text is about state-owned companies: a level word, or the first character of a collective,
    an implied organ or a zone organ (None: unknown, every position is tried)."""
    g = grammar()
    found = [regex_first_chars(g[k]) for k in ("collective_re", "implied_re", "zone_organ_re")]
    if any(f is None for f in found):
        return None
    return frozenset(g["level_chars"]).union(*found)


def _body_ok(body: str) -> bool:
    g = grammar()
    return bool(body) and not any(
        ch in g["inner_set"] or ch.isdigit() or not _is_cjk(ch) for ch in body
    )


def _named_end(text: str, i: int, hi: int, max_len: int, bare: bool) -> Optional[int]:
    """End of a name starting at ``i`` (level word included or not): the first body suffix
    after a clean body, extended to a longer suffix there (办 → 办公室)."""
    g = grammar()
    suffixes = g["bare_sorted"] if bare else None
    body_start = i if bare else i + 1
    for j in range(body_start + 1, min(hi, i + max_len) + 1):
        if not _body_ok(text[j - 1]):
            return None
        if suffixes is not None:
            suf = next((s for s in suffixes if text.startswith(s, j)), None)
        else:
            m = g["suffix_re"].match(text, j)
            suf = m.group(0) if m else None
        if suf is None or j + len(suf) > hi:
            continue
        end = j + len(suf)
        if text[end - 1 : end + 1] in g["after_block_set"]:
            continue  # 部署, 办理, 局面: the suffix character starts another word
        return end
    return None


def _bad_ending(name: str) -> bool:
    return name.endswith(grammar()["bad_endings_tuple"])


def _member_title_after(text: str, e: int) -> bool:
    """A person (委员, 书记, 主要领导) or a programme (民生实事, 工作报告) named after the body."""
    return text.startswith(grammar()["after_name_tuple"], e)


def name_candidates(
    text: str,
    lo: int = 0,
    hi: Optional[int] = None,
    ends: Sequence[int] = (),
    starts: Optional[Sequence[int]] = None,
) -> List[Candidate]:
    """``(start, end, kind)`` of every name the grammar finds in ``text[lo:hi]``; ``kind`` is
    named, bare, implied, soe or collective. ``ends``: end offsets of mentions found by lookup
    (a name may start right there)."""
    g = grammar()
    hi = len(text) if hi is None else hi
    out: List[Candidate] = []
    found_ends = set(ends)
    state_owned = any(m in text for m in g["soe_markers"])
    # where a strict (bare) suffix occurs: a bare name can only end at one of them
    bare_at = [m.start() for m in g["bare_suffix_re"].finditer(text, lo, hi)]
    # where a name may start (every position _at_boundary accepts), found by a few regex passes
    # instead of a test per character; the ends of mentions found on the way are added as the
    # scan reaches them
    if starts is None:
        starts = boundary_starts(text, lo, hi, ends)
    else:  # boundary_starts(text, lo, hi) already computed by the caller: add the ends
        starts = sorted(set(starts).union(e for e in ends if lo <= e < hi))
    first = _candidate_first_chars()
    if not (state_owned or first is None):
        # only the starts where the test below can pass, kept at once (about one in eight): a
        # first character of a name, or a strict suffix close after
        near_bare = {j for b in bare_at for j in range(b - g["bare_max_chars"], b)}
        starts = [k for k in starts if text[k] in first or k in near_bare]
    at = 0
    i = lo
    while i < hi:
        if i not in found_ends:
            at = bisect.bisect_left(starts, i, at)
            if at == len(starts):
                break
            i = starts[at]
        k = bisect.bisect_right(bare_at, i)
        bare_possible = k < len(bare_at) and bare_at[k] <= i + g["bare_max_chars"]
        if not (bare_possible or state_owned or first is None or text[i] in first):
            i += 1  # _candidate_at would find nothing here
            continue
        cand = _candidate_at(text, i, hi, state_owned, bare_possible)
        if cand is not None:
            s, e, kind = cand
            if not _bad_ending(text[s:e]) and not _member_title_after(text, e):
                out.append(cand)
                found_ends.add(e)
                i = e
                continue
        i += 1
    return out


def _candidate_at(
    text: str, i: int, hi: int, state_owned: bool, bare_possible: bool = True
) -> Optional[Candidate]:
    g = grammar()
    m = g["collective_re"].match(text, i, hi)
    if m and m.end() - i >= 3:
        return (i, m.end(), "collective")
    # the first organ of each list (in its order) written at i and ending by hi: one match each
    m = g["implied_re"].match(text, i, hi)
    if m:
        return (i, m.end(), "implied")
    m = g["zone_organ_re"].match(text, i, hi)
    if m:
        return (i, m.end(), "bare")
    ch = text[i]
    if ch in g["level_chars"] and text[i + 1 : i + 2] not in g["level_bad_second"]:
        e = _named_end(text, i, hi, 16, bare=False)
        # a company with a level word is the county's own only where the text says it is state-owned
        if e is not None:
            clause = min(
                (k for k in (text.find(w, i, e) for w in g["clause_words"]) if k >= 0), default=-1
            )
            if clause >= 0:  # 区政府紧紧围绕市委: the name is 区政府, the rest a clause
                gov = text.rfind("政府", i, clause)
                e = gov + 2 if gov > i else None
        if (
            e is not None
            and e - i >= 3
            and (state_owned or not text[i:e].endswith(tuple(g["soe_suffixes"])))
        ):
            return (i, e, "named")
    e = _named_end(text, i, hi, g["bare_max_chars"], bare=True) if bare_possible else None
    if e is not None and e - i >= 3:
        # 挂牌成立少年法庭: the name starts after the last verb inside the phrase
        s = i
        for v in g["verbs_sorted"]:
            k = text.rfind(v, i, e - 2)
            while k >= 0 and len(v) == 1 and text[k : k + 2] in g["verb_word_set"]:
                k = text.rfind(v, i, k)  # 经济, 对外: a word, not the verb
            if k >= 0 and k + len(v) > s:
                s = k + len(v)
        # …报送至县政府督查室: a level-word name ending here starts inside the phrase
        for p in range(s + 1, e - 2):
            if text[p] in g["level_chars"] and _named_end(text, p, hi, 16, bare=False) == e:
                return (p, e, "named")
        if e - s >= 3:
            return (s, e, "bare")
    if state_owned and _soe_marked_before(text, i):
        for j in range(i + 2, min(hi, i + 8)):
            suf = next((s for s in g["soe_suffixes"] if text.startswith(s, j)), None)
            if suf is None:
                continue
            if _body_ok(text[i:j]) and not any(
                v in text[i:j] for v in g["verbs_sorted"] if len(v) > 1
            ):
                return (i, j + len(suf), "soe")
            break
    return None


def _soe_marked_before(text: str, i: int) -> bool:
    """A state-owned marker (县属国企, 国有企业…) earlier in the same sentence."""
    start = max(text.rfind(ch, 0, i) for ch in "。；;！？\n") + 1
    return any(m in text[start:i] for m in grammar()["soe_markers"])


def _chars(s: str) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for ch in s:
        out[ch] = out.get(ch, 0) + 1
    return out


def char_overlap(a: str, b: str) -> float:
    """Dice coefficient of the two names' characters (multisets).

    >>> round(char_overlap("市场监督局", "市场监督管理局"), 3)
    0.833
    """
    ca, cb = _chars(a), _chars(b)
    common = sum(min(n, cb.get(ch, 0)) for ch, n in ca.items())
    return 2 * common / (len(a) + len(b)) if a and b else 0.0


def fuzzy_match(
    body: str, standard_names: Dict[str, Any], threshold: float
) -> Optional[Tuple[Any, float]]:
    """The standard name closest to ``body`` by character overlap, if at or above ``threshold``
    with the same level word and ending with the same character (a 局 is never linked to a 中心)."""
    suffix = body[-1:]
    best: Optional[Tuple[Any, float]] = None
    for name, link in standard_names.items():
        if not name.endswith(suffix) or name[:1] != body[:1]:
            continue  # same body suffix and same level word (a 县 name never links to a 国家 one)
        score = char_overlap(body, name)
        if score >= threshold and (best is None or score > best[1]):
            best = (link, score)
    return best
