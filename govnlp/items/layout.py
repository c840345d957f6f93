"""Page layout: which lines of a document are body, and how the body falls into segments.

Real pages carry chrome (navigation, metadata, separators, share buttons, 返回顶部, ICP lines,
contact blocks), notices carry signatures, dates and attachment titles between their own text
and the attachment, and news-style meeting reports open with a date/chair/attendance sentence.
None of that is an item (spec items.md v2, *Real page layouts*). This module classifies every
line and returns the body as **segments**: maximal runs of body lines, each parsed on its own
(a signature + date + attachment title between two runs ends the first run's last item).

All patterns live in ``rules.json`` (key ``layout``).

>>> t = (
...     "当前位置：首页 > 通知\\n关于做好防汛工作的通知\\n各乡镇人民政府：\\n"
...     "一、落实责任。\\n二、加强值守。\\n返回顶部"
... )
>>> [t[a:b] for a, b in body_segments(t)]
['一、落实责任。\\n二、加强值守。']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, Dict, List, Optional, Tuple

from ..textnorm import strip_glosses
from .grammar import load_rules

_WS = " \t\r\n\u3000\xa0"


@dataclass
class Line:
    """One line: ``start``/``end`` without surrounding whitespace, ``body_start`` after any
    chrome prefix (a flattened page's navigation and metadata), and its ``kind``."""

    start: int
    end: int
    body_start: int
    kind: str = "body"  # blank, chrome, header, break, trailer, table, body


@lru_cache(maxsize=1)
def _layout_patterns() -> Dict[str, Any]:
    r = load_rules()["layout"]
    out: Dict[str, Any] = {
        k: re.compile(v) for k, v in r.items() if isinstance(v, str) and not k.startswith("_")
    }
    out["chrome_lines"] = LinePatterns(r["chrome_lines"])
    out["trailer_lines"] = LinePatterns(r["trailer_lines"])
    return out


class LinePatterns:
    """Whether any of a list of patterns is found in a line, in two regex calls: the branches
    anchored at the line's start (``^…``) matched there as one alternation, the others searched
    as one (a search for ``^X|Y`` tries every branch at every offset; ``Y`` alone lets the
    regex engine skip to the characters it can start with).

    >>> lp = LinePatterns([r"^目录$", "返回顶部|^上一篇", "[=]{3,}"])
    >>> [lp.search(s) for s in ("目录", "请返回顶部", "上一篇：…", "下一篇 上一篇", "a===")]
    [True, True, True, False, True]
    """

    def __init__(self, patterns: List[str]) -> None:
        branches = [b for pattern in patterns for b in top_level_branches(pattern)]
        anchored = [b[1:] for b in branches if b.startswith("^")]
        floating = [b for b in branches if not b.startswith("^")]
        self._anchored = re.compile("|".join(f"(?:{b})" for b in anchored)) if anchored else None
        self._floating = re.compile("|".join(f"(?:{b})" for b in floating)) if floating else None

    def search(self, line: str) -> bool:
        """``any(re.search(p, line) for p in patterns)``."""
        return bool(
            (self._anchored is not None and self._anchored.match(line))
            or (self._floating is not None and self._floating.search(line))
        )


def top_level_branches(pattern: str) -> List[str]:
    """The alternatives of a regex at its top level (``|`` outside groups and character sets).

    >>> top_level_branches(r"ab|(?:c|d)[|]e|\\|f")  # an escaped | is a character
    ['ab', '(?:c|d)[|]e', '\\\\|f']
    """
    out: List[str] = []
    depth = start = k = 0
    while k < len(pattern):
        ch = pattern[k]
        if ch == "\\":
            k += 1  # the escaped character is no operator
        elif ch == "[":
            k += 2 if pattern.startswith("[^", k) else 1
            k += pattern[k] == "]"  # a leading ] is a member
            while pattern[k] != "]":
                k += 2 if pattern[k] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and not depth:
            out.append(pattern[start:k])
            start = k + 1
        k += 1
    out.append(pattern[start:])
    return out


_WIDE_RUNS = re.compile("[\u2e80-\u9fff\uf900-\uffe6]+")


def display_width(s: str) -> int:
    """Columns ``s`` takes in a fixed-width layout: two for a CJK or full-width character, one
    for the rest (digits, Latin letters and spaces in a PDF's lines are half as wide).

    >>> display_width("营业收入 50 亿元")
    16
    """
    # two columns for every character, less one for each narrow character: what is left once
    # the runs of wide characters are cut out (one regex step per run, not per character)
    return 2 * len(s) - len(_WIDE_RUNS.sub("", s))


#: what may end a line that is not cut mid-sentence
LINE_CLOSERS = "。！？；!?;）)”’』」】…．.：:》"
#: a page number on its own line (8, — 5 —, - 12 -) in a PDF turned into text
PAGE_NUMBER = re.compile(r"[—\-－]?[ \t\u3000]*\d{1,3}[ \t\u3000]*[—\-－]?$")


def strip_span(text: str, a: int, b: int) -> Tuple[int, int]:
    """``(a, b)`` without leading and trailing whitespace.

    >>> strip_span("  甲乙 ", 0, 5)
    (2, 4)
    """
    while a < b and text[a] in _WS:
        a += 1
    while b > a and text[b - 1] in _WS:
        b -= 1
    return a, b


def split_lines(text: str, start: int = 0, end: Optional[int] = None) -> List[Tuple[int, int]]:
    """``(start, end)`` of every line of ``text[start:end]``, without its line break.

    >>> split_lines("甲\\n乙")
    [(0, 1), (2, 3)]
    """
    end = len(text) if end is None else end
    out, i = [], start
    while i <= end:
        j = text.find("\n", i, end)
        j = end if j < 0 else j
        out.append((i, j))
        if j >= end:
            break
        i = j + 1
    return out


@lru_cache(maxsize=4)
def wrap_width(text: str) -> Optional[int]:
    """The line width (in display columns, :func:`display_width`) of a hard-wrapped text (a PDF
    turned into text: lines cut mid-sentence at a fixed width), or None. Wrapped when most lines
    end mid-sentence and most of those are about as wide as their median (within 12 %: justified
    lines mixing digits and CJK are not all equally long).

    >>> wrap_width(
    ...     "为深入贯彻落实关于加快发展人工\\n智能的部署要求，贯彻落实纲要，\\n" * 3
    ...     + "进一步加强工作系统谋划和部署\\n。"
    ... )
    30
    """
    widths = []
    every: List[int] = []
    for a, b in split_lines(text):
        a, b = strip_span(text, a, b)
        if b > a:
            # a line over 200 characters is far wider than any wrap width (at most 160 columns):
            # its exact width changes nothing below, and is not worth counting
            every.append(display_width(text[a:b]) if b - a <= 200 else 2 * (b - a))
            if text[b - 1] not in LINE_CLOSERS:
                widths.append(every[-1])
    if len(widths) < 4 or len(widths) < 0.5 * len(every):
        return None
    median = sorted(widths)[len(widths) // 2]
    near = sum(1 for w in widths if abs(w - median) <= 0.12 * median)
    # a wrapped text has no paragraphs on one long line (a web page's do)
    wide = sum(1 for w in every if w > 1.25 * median)
    if not 20 <= median <= 160 or near < 0.5 * len(widths) or wide > 0.1 * len(every):
        return None
    return median


def chrome_prefix_end(text: str, start: int, end: int) -> int:
    """Where body text begins on a line that opens with navigation or metadata.

    >>> s = "当前位置：首页 > 政务公开 发布时间：2023-02-01 根据部署，现将安排如下："
    >>> s[chrome_prefix_end(s, 0, len(s)):]
    '根据部署，现将安排如下：'
    """
    p = _layout_patterns()
    pos = start
    while pos < end:
        m = p["nav_prefix"].match(text, pos, end) or p["meta_prefix"].match(text, pos, end)
        if not m or m.end() == pos:
            break
        pos = m.end()
        while pos < end and text[pos] in _WS:
            pos += 1
    return pos


def _is_date(s: str) -> bool:
    return bool(_layout_patterns()["date_line"].match(s))


def classify_lines(text: str, table_spans: List[Tuple[int, int]] = ()) -> List[Line]:  # type: ignore[assignment]
    """Every line of ``text`` with its kind (see :class:`Line`); lines inside ``table_spans``
    are ``table``."""
    p = _layout_patterns()
    lines: List[Line] = []
    for a, b in split_lines(text):
        a, b = strip_span(text, a, b)
        # a line of bare cell separators (``|||``) is as good as blank: it splits nothing
        # (and so is a line without a letter, digit or CJK character: a stray `:`)
        lines.append(Line(a, b, a, "body" if any(ch.isalnum() for ch in text[a:b]) else "blank"))
    nonblank = [ln for ln in lines if ln.kind != "blank"]
    width = wrap_width(text)  # a hard-wrapped text: a full line cut mid-sentence is no title
    spans = sorted(table_spans)
    span_starts = [ta for ta, _ in spans]
    reach = list(accumulate((tb for _, tb in spans), max))  # the furthest end of the spans so far

    def in_table(ln: Line) -> bool:
        # some span starting at or before the line ends after its start: a bisection per line
        k = bisect_right(span_starts, ln.start)
        return k > 0 and reach[k - 1] > ln.start

    # line-level patterns
    for ln in nonblank:
        if in_table(ln):
            ln.kind = "table"
            continue
        whole = text[ln.start : ln.end]
        if p["chrome_lines"].search(whole):
            ln.kind = "chrome"  # 发布机构: | 谯城区政府 |…: the whole line is metadata
            continue
        ln.body_start = chrome_prefix_end(text, ln.start, ln.end)
        s = strip_glosses(text[ln.body_start : ln.end])
        if not s:
            ln.kind = "chrome"
        elif s != whole and p["chrome_lines"].search(s):  # (whole: tried)
            ln.kind = "chrome"
        elif p["trailer_lines"].search(s):
            ln.kind = "trailer"
        elif _is_date(s) or p["signature_with_date"].search(s) or p["break_line"].match(s):
            ln.kind = "break"
    _mark_table_of_contents(text, nonblank)
    # a signature is the line just before a date
    for i, ln in enumerate(nonblank[:-1]):
        nxt = nonblank[i + 1]
        if ln.kind == "body" and nxt.kind == "break" and _is_date(text[nxt.body_start : nxt.end]):
            if p["signature_line"].match(text[ln.body_start : ln.end]):
                ln.kind = "break"
    # the header: leading title / addressee / short lines; the same after each break
    expecting_header = True
    seen_trailer = False
    in_attachment_list = False
    # a notice whose attachments follow it in full (附件1 ⏎ title ⏎ text): the attachment list and
    # the attachment headings are breaks, the attachments body
    attachments_follow = any(
        p["attachment_line"].match(text[x.body_start : x.end]) for x in nonblank
    )
    body_before = False  # a body or table line above this one (kinds as settled by this loop)
    prose_after: Optional[List[bool]] = None  # per line: prose follows it (kinds before this loop)
    for i, ln in enumerate(nonblank):
        body_before = body_before or (i > 0 and nonblank[i - 1].kind in ("body", "table"))
        s = strip_glosses(text[ln.body_start : ln.end])
        if (
            in_attachment_list
            and ln.kind == "body"
            and len(s) <= 60
            and p["marker_start"].match(s)
            and not p["sentence_final"].search(s[:-1])
        ):
            ln.kind = "break"  # 2.湖北省…调查专家组意见: the next entry of the attachment list
            continue
        in_attachment_list = False
        if (
            seen_trailer
            and ln.kind in ("trailer", "break")
            and p["attachment_line"].match(s)
            and _attachment_in_full(text, nonblank, i)
        ):
            # 联系人… 附件：… signature, date, then 附件1 ⏎ its title ⏎ its text: the notice's
            # trailer ends where an attachment begins in full
            ln.kind = "break"
            seen_trailer = False
            expecting_header = True
            continue
        if seen_trailer and ln.kind == "break" and s and _text_resumes(text, nonblank, i):
            # a signed notice whose attachment follows without an 附件 line (联系人… 附件：…
            # signature, date, then the attachment's prose)
            seen_trailer = False
            expecting_header = True
            continue
        if seen_trailer and ln.kind != "table":
            ln.kind = "trailer" if ln.kind in ("body", "break") else ln.kind
            continue
        if ln.kind == "trailer" and expecting_header and not body_before:
            ln.kind = "chrome"  # 返回顶部 or a share bar above the page's text: chrome, not the end
            continue
        if ln.kind == "trailer":
            listed = attachments_follow and p["attachment_list"].match(s)
            if p["attachment_line"].match(s) or listed:
                if prose_after is None:  # once, here: the lines below this one are not settled yet
                    prose_after = _prose_after(text, nonblank)
                if prose_after[i]:
                    ln.kind = "break"
                    expecting_header = True
                    in_attachment_list = bool(listed)
                    continue
            seen_trailer = True
            continue
        if ln.kind in ("chrome", "break"):
            if ln.kind == "break":
                expecting_header = True
            continue
        if ln.kind == "table":
            expecting_header = False
            continue
        if (
            expecting_header
            and not _continued(text, nonblank, i)
            and not (width is not None and _cut_by_wrap(s, width))
            and _is_header_line(s, first=ln.body_start == ln.start)
        ):
            ln.kind = "header"
            continue
        expecting_header = False
    _mark_meeting_report(text, nonblank)
    return lines


_CONTINUATION = "。，、；：,;:）)》”’"


def _continued(text: str, lines: List[Line], i: int) -> bool:
    """The sentence of ``lines[i]`` runs on into the next lines (a scraped link on its own line:
    ``…所作的⏎政府工作报告⏎。会议…``): it is body, not a header line."""
    nxt = lines[i + 1 : i + 3]
    if not nxt:
        return False
    if text[nxt[0].start] in _CONTINUATION:
        return True
    return len(nxt) == 2 and nxt[0].end - nxt[0].start <= 12 and text[nxt[1].start] in _CONTINUATION


def _is_prose(s: str, punct: "re.Pattern[str]") -> bool:
    """A line of prose: over 40 display columns with a mark of ``punct`` in it."""
    return display_width(s) > 40 and bool(punct.search(s))


def _text_resumes(text: str, lines: List[Line], i: int) -> bool:
    """After a trailer, the document's text goes on below the signature or date line
    ``lines[i]``: two of the next three lines are body prose with a sentence end (an attachment
    given without an 附件 line)."""
    punct = _layout_patterns()["sentence_final"]
    prose = sum(
        nxt.kind == "body" and _is_prose(text[nxt.body_start : nxt.end], punct)
        for nxt in lines[i + 1 : i + 4]
    )
    return prose >= 2


def _attachment_in_full(text: str, lines: List[Line], i: int) -> bool:
    """Prose follows the attachment line ``lines[i]`` within its next six lines: a line of
    over 40 characters with sentence punctuation (an attachment given in full, not listed)."""
    punct = _layout_patterns()["sentence_punct"]
    return any(_is_prose(text[ln.body_start : ln.end], punct) for ln in lines[i + 1 : i + 7])


def _prose_after(text: str, lines: List[Line]) -> List[bool]:
    """Per line, whether real body (prose: a body line of over 40 characters with sentence
    punctuation) follows it, as the lines' kinds are now: an attachment heading with prose below
    it is in the middle of a notice. One pass from the back, not a scan below every heading.

    >>> t = "附件\\n" + "甲" * 41 + "，乙。"
    >>> _prose_after(t, [Line(0, 2, 0), Line(3, len(t), 3)])
    [True, False]
    """
    p = _layout_patterns()
    out = [False] * len(lines)
    seen = False
    for i in range(len(lines) - 1, -1, -1):
        out[i] = seen
        ln = lines[i]
        s = text[ln.body_start : ln.end]
        seen = seen or (ln.kind == "body" and _is_prose(s, p["sentence_punct"]))
    return out


def _cut_by_wrap(s: str, width: int) -> bool:
    """A line of a hard-wrapped text that fills the width and ends mid-sentence: prose."""
    return s[-1:] not in LINE_CLOSERS and display_width(s) >= 0.88 * width


_TOC_TITLE = re.compile(r"^目[ \t\u3000]*录$")
_TOC_ENTRY_MAX = 40
_SENTENCE_INSIDE = re.compile(r"[。；;！？!?，,]")


def _mark_table_of_contents(text: str, nonblank: List[Line]) -> None:
    """The entries under a 目录 line are chrome: the short title lines after it, up to the first
    line that repeats the first entry (where the text itself begins) or one that is no title.

    >>> t = "目录\\n1　总则\\n2　职责\\n1　总则\\n为了…，制定本预案。"
    >>> lines = [Line(0, 2, 0, "chrome"), Line(3, 7, 3), Line(8, 12, 8), Line(13, 17, 13),
    ...          Line(18, 29, 18)]
    >>> _mark_table_of_contents(t, lines)
    >>> [ln.kind for ln in lines]
    ['chrome', 'chrome', 'chrome', 'body', 'body']
    """
    for i, ln in enumerate(nonblank):
        if not _TOC_TITLE.match(text[ln.start : ln.end].strip()):
            continue
        first = None
        for entry in nonblank[i + 1 :]:
            s = text[entry.start : entry.end].strip()
            if s == first or len(s) > _TOC_ENTRY_MAX or _SENTENCE_INSIDE.search(s):
                break
            if first is None:
                first = s
            if entry.kind in ("body", "trailer"):
                entry.kind = "chrome"  # 附件1：… listed in the contents is no attachment line
        return


def _is_header_line(s: str, first: bool) -> bool:
    p = _layout_patterns()
    if p["addressee_line"].search(s):
        return True
    if p["title_line"].match(s) and not p["marker_start"].match(s):
        return True  # (a numbered line is a heading: 一、2023年工作完成情况)
    # a short line without sentence punctuation (a title, an issuing office, a 期 number, a
    # metadata value; a colon is allowed)
    return (
        first
        and len(s) <= 60
        and not re.search("[；！？，,]", s[:-1])
        and s[-1] not in "。；！？;!?，,"
        and "现将" not in s
        and "如下" not in s
    ) and not p["marker_start"].match(s)


def _mark_meeting_report(text: str, lines: List[Line]) -> None:
    """News-style meeting report: the opening sentence (date, chair, 主持召开) and the attendance
    lines after it are header, a closing attendance line is trailer. A page listing several
    reports repeats the pattern: once the first body line opens a meeting, every later opening
    does too."""
    p = _layout_patterns()
    body = [ln for ln in lines if ln.kind == "body"]
    if not body or not (
        _open_meeting(text, body[0], p) or (len(body) > 1 and _open_meeting(text, body[1], p))
    ):
        return
    k = 0
    while k < len(body):
        if k > 0 and not _open_meeting(text, body[k], p):
            k += 1
            continue
        k += 1
        # the attendance lines right after the opening (县领导…出席会议，…列席会议)
        while k < len(body):
            s2 = text[body[k].body_start : body[k].end]
            if not (
                p["attendance_anywhere"].search(s2) and not s2.startswith("会议") and len(s2) <= 300
            ):
                break
            body[k].kind = "header"
            k += 1
    for ln in reversed(body[1:]):
        s = text[ln.body_start : ln.end]
        if p["attendance_line"].search(s) and len(s) <= 150:
            ln.kind = "trailer"
        else:
            break


def _open_meeting(text: str, ln: Line, p: Dict[str, Any]) -> bool:
    """Mark ``ln``'s opening sentence as header if it opens a meeting; whether it did."""
    s = strip_glosses(text[ln.body_start : ln.end])
    stop = s.find("。")
    first_sentence = s[: stop + 1] if stop >= 0 else s
    # a meeting held, not a document adopted at one (…常务会议通过，现予印发)
    opening = (
        None if p["adopted"].search(first_sentence) else p["meeting_opening"].search(first_sentence)
    )
    if not opening or len(s) > 400 or p["marker_start"].match(s):
        return False
    # the opening sentence is header; what follows it on the line (现将…纪要如下：) is body
    raw = text[ln.body_start : ln.end]
    cut = raw.find("。", opening.end())
    rest = raw[cut + 1 :].strip(_WS) if cut >= 0 else ""
    if sum("\u4e00" <= ch <= "\u9fff" for ch in rest) >= 8 and not p["attendance_anywhere"].search(
        rest
    ):
        ln.body_start += len(raw) - len(raw[cut + 1 :].lstrip(_WS))
    else:
        ln.kind = "header"
    return True


def body_segments(text: str, table_spans: List[Tuple[int, int]] = ()) -> List[Tuple[int, int]]:  # type: ignore[assignment]
    """The body as ``(start, end)`` runs of body (or table) lines, in order."""
    segments: List[Tuple[int, int]] = []
    cur: Optional[List[int]] = None
    for ln in classify_lines(text, table_spans):
        if ln.kind == "blank":
            continue
        if ln.kind in ("body", "table"):
            if cur is None:
                cur = [ln.body_start, ln.end]
            else:
                cur[1] = ln.end
        elif cur is not None:
            segments.append((cur[0], cur[1]))
            cur = None
    if cur is not None:
        segments.append((cur[0], cur[1]))
    return segments
