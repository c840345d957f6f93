"""Split a document into work items (spec: ``items.md`` v2), as plain records.

Pure functions over a ``str``: no spaCy here, so the parser is tested and reused directly. The
pipeline component in ``component.py`` wraps it. The steps, each in its own module:

1. ``layout``: which lines are body (page chrome, headers, signatures, trailers are not), as
   segments parsed one by one;
2. ``tables``: task tables, one item per row;
3. ``grammar`` + ``numbering``: the markers that open numbered units, and their nesting;
4. here: unit ends, titles (run-in titles included), lead-ins, bodies and preambles split one
   item per paragraph, duty lines, leaders, ids and parents.

>>> units = parse_items("一、综合线\\n(一)抓投资。\\n责任单位:县发改局\\n(二)抓招商。")
>>> [(u["id"], u["marker"], u["level"], u["leaf"], u["heading"]) for u in units]
[('i1', '一、', 1, False, '综合线'), ('i2', '(一)', 2, True, None), ('i3', '(二)', 2, True, None)]
>>> units[1]["duty_lines"][0]["label"]
'责任单位'
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..textnorm import to_simplified
from .grammar import MarkerCandidate, find_marker_candidates, load_rules
from .layout import (
    LINE_CLOSERS as _LINE_CLOSERS,
    PAGE_NUMBER as _PAGE_NUMBER,
    body_segments,
    display_width,
    split_lines,
    strip_span as _strip_span,
    wrap_width,
)
from .numbering import NumberedUnit, accept_markers
from .tables import Table, find_tables

_WS = " \t\r\n\u3000\xa0"
_CLOSERS = "。！？；!?;）)”’』」】…．.：:"
#: a line ending in one of these does not run on into the next line


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, Any]:
    r = load_rules()
    return {
        "duty": re.compile(r["duty_line_regex"], re.M),
        "leader": re.compile(r["leader_regex"]),
        "sentence_final": r["sentence_final"],
        "sentence_punct": re.compile(r["layout"]["sentence_punct"]),
        "cues": r["run_in_title_cues"],
        "title_max": r["run_in_title_max_chars"],
        "nominal_heads": r["title_nominal_heads"],
        "verb_starts": r["title_verb_starts"],
    }


def find_zones(text: str, candidates: Optional[List[MarkerCandidate]] = None) -> Tuple[int, int]:
    """``(body_start, body_end)``: from the first body segment's start to the last one's end
    (the body may hold breaks: see :func:`govnlp.items.layout.body_segments`). ``candidates`` is
    accepted for compatibility and not needed.

    >>> t = "关于印发要点的通知\\n各镇人民政府:\\n一、抓投资。\\n抄送:县委"
    >>> s, e = find_zones(t); t[s:e]
    '一、抓投资。'
    """
    text = to_simplified(text)
    segments = body_segments(text, [(t.start, t.stop) for t in find_tables(text)])
    if not segments:
        return len(text), len(text)
    return segments[0][0], segments[-1][1]


def _title_end(text: str, start: int, end: int, width: Optional[int] = None) -> int:
    """End of a unit's title: first sentence-final punctuation or line break, or ``end``. In a
    hard-wrapped text (``width``: its line width), a break after a full line cut mid-sentence is
    a wrap, not the end of the title.

    >>> t = "第一条 为贯彻落实框架协议，确保财政\\n资金投入成效，制定本办法。"
    >>> _title_end(t, 4, len(t)), _title_end(t, 4, len(t), width=34)
    (18, 32)
    """
    finals = _patterns()["sentence_final"]
    for i in range(start, end):
        ch = text[i]
        if ch == "\n":
            if width is not None and (_is_wrap(text, i, width) or _page_number_line(text, i)):
                continue
            return i
        if ch in finals:
            return i + 1
    return end


def _page_number_line(text: str, newline: int) -> bool:
    """The line ending at ``newline`` is a PDF's page number (``— 2 —``)."""
    line_start = text.rfind("\n", 0, newline) + 1
    return _PAGE_NUMBER.match(text[line_start:newline].strip(_WS)) is not None


def _is_wrap(text: str, newline: int, width: int) -> bool:
    """The line break at ``newline`` cuts a full line of a hard-wrapped text mid-sentence."""
    line_start = text.rfind("\n", 0, newline) + 1
    line = text[line_start:newline].rstrip(_WS)
    return bool(line) and line[-1] not in _CLOSERS and display_width(line) >= 0.88 * width


def _run_in_title_end(text: str, start: int, end: int) -> int:
    """Where a run-in title stops inside ``text[start:end]`` (the unit's first sentence).

    A space followed by a new sentence (``今年工作安排 今年，…``), or a sentence opener such as
    为确保/对照/今年以来 right after a short title phrase (``强化要素保障为确保…，…``), ends the
    title; otherwise the whole first sentence is the title.
    """
    p = _patterns()
    s = text[start:end]
    m = re.search(r"[ \t\u3000\xa0]+(?=\S)", s)
    if (
        m
        and 2 <= m.start() <= p["title_max"]
        and len(s) - m.end() >= 4
        and not p["sentence_punct"].search(s[: m.start()])
        and not _open_quote(s[: m.start()])
    ):
        return start + m.start()
    first_punct = p["sentence_punct"].search(s)
    if first_punct is None or first_punct.start() > p["title_max"] + 20:
        return end
    for cue in p["cues"]:
        k = s.find(cue, 4, min(first_punct.start() + 1, p["title_max"] + 1))
        if k >= 4 and not p["sentence_punct"].search(s[:k]):
            return start + k
    return end


def _open_quote(s: str) -> bool:
    """``s`` leaves a quotation or a 《title》 open."""
    return s.count("“") > s.count("”") or s.count("《") > s.count("》") or s.count('"') % 2 == 1


@lru_cache(maxsize=2)
def _duty_matches(text: str) -> Tuple[List[int], List["re.Match[str]"]]:
    """Every 责任单位-like label of ``text`` (a match stays on its line and starts it), with their
    starts: the items of a document ask for the labels of nested stretches, found by bisection."""
    found = list(_patterns()["duty"].finditer(text))
    return [m.start() for m in found], found


def _duty_lines(text: str, start: int, end: int) -> List[Dict[str, Any]]:
    """The duty lines (责任单位:…) of ``text[start:end]``: label, line span and value span.

    >>> [d["label"] for d in _duty_lines("抓投资。\\n责任单位:县发改局\\n牵头单位：县局", 0, 22)]
    ['责任单位', '牵头单位']
    """
    out = []
    starts, found = _duty_matches(text)
    for m in found[bisect_left(starts, start) : bisect_left(starts, end)]:
        if m.end() > end:
            continue  # cut by the stretch's end: no label there
        line_end = text.find("\n", m.end(), end)
        line_end = end if line_end < 0 else line_end
        a, b = _strip_span(text, m.start(), line_end)
        out.append(
            {
                "label": m.group("label"),
                "start": a,
                "end": b,
                "value_start": m.end(),
                "value_end": b,
            }
        )
    return out


def blank_line_paragraphs(text: str) -> bool:
    """Whether ``text`` separates paragraphs by blank lines and wraps lines inside them.

    True when blank-line gaps are common and many single line breaks fall mid-sentence
    (``…切实贯彻《⏎会计法⏎》…``): then a paragraph is a block of non-blank lines, else a line.

    >>> (
    ...     blank_line_paragraphs("甲乙丙。\\n\\n丁戊\\n己。\\n\\n庚。"),
    ...     blank_line_paragraphs("甲。\\n乙。\\n丙。"),
    ... )
    (True, False)
    """
    blanks = singles = soft = 0
    prev: Optional[str] = None
    gap = False
    for a, b in split_lines(text):
        s = text[a:b].strip(_WS + "|｜")
        if not s:
            gap = True
            continue
        if prev is not None:
            if gap:
                blanks += 1
            else:
                singles += 1
                soft += prev[-1] not in _LINE_CLOSERS
        prev, gap = s, False
    return blanks >= 2 and blanks >= 0.5 * singles and singles > 0 and soft >= 0.4 * singles


def _paragraphs(
    text: str, start: int, end: int, blocks: bool = False, width: Optional[int] = None
) -> List[Tuple[int, int]]:
    """Paragraphs of ``text[start:end]``: non-empty lines (blocks of them when ``blocks``); a
    责任单位 line joins the paragraph before it, and a run of table cells (short lines without
    punctuation, ``|`` separators) is one paragraph."""
    out: List[Tuple[int, int]] = []
    joined = False  # the previous line ended a block (blank line seen)
    prev_len = 0  # length of the previous line (a full line of a wrapped text continues)
    for a, b in split_lines(text, start, end):
        a2, b2 = _strip_span(text, a, b)
        if b2 <= a2:
            joined = False
            continue
        if width is not None and out and _PAGE_NUMBER.match(text, a2, b2):
            continue  # a PDF's page number between two lines of a paragraph: inside it
        full_line = (
            width is not None and prev_len >= 0.88 * width and text[out[-1][1] - 1] not in _CLOSERS
            if out
            else False
        )
        if out and (
            _patterns()["duty"].match(text[a2:b2])
            or (blocks and joined)
            or full_line
            or _wrapped(text, out[-1], a2, b2)
        ):
            out[-1] = (out[-1][0], b2)
        else:
            out.append((a2, b2))
        joined = True
        prev_len = display_width(text[a2:b2]) if width is not None else b2 - a2
    return out if blocks else _merge_cell_runs(text, out)


def _paragraph_end(text: str, pos: int, limit: int, blocks: bool) -> int:
    """End of the paragraph holding ``pos`` (before ``limit``)."""
    for a, b in _paragraphs(text, pos, limit, blocks):
        return b
    return limit


def _wrapped(text: str, prev: Tuple[int, int], a: int, b: int) -> bool:
    """A line that only continues the one before it (a scraped page's link text on its own line):
    it opens with closing punctuation, or it is a short fragment after a line cut mid-sentence.

    >>> t = "会议审议了所作的\\n政府工作报告\\n。会议高度评价"
    >>> _wrapped(t, (0, 8), 9, 15), _wrapped(t, (0, 15), 16, len(t))
    (True, True)
    """
    if text[a] in "。，、；：,;:）)》”’":
        return True
    last = text[prev[1] - 1]
    return (
        last not in _LINE_CLOSERS + "|｜"
        and b - a <= 12
        and _is_cjk_text(text[a:b])
        and not _patterns()["sentence_punct"].search(text, a, b)
        and b - a < prev[1] - prev[0]
    )


def _is_cjk_text(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


def _merge_cell_runs(
    text: str, paras: List[Tuple[int, int]], min_run: int = 4
) -> List[Tuple[int, int]]:
    merged: List[Tuple[int, int]] = []
    run: List[Tuple[int, int]] = []

    def flush() -> None:
        if len(run) >= min_run:
            merged.append((run[0][0], run[-1][1]))
        else:
            merged.extend(run)
        run.clear()

    for a, b in paras:
        cell = text[a:b].strip(_WS + "|｜")
        if len(cell) <= 16 and not _patterns()["sentence_punct"].search(cell):
            run.append((a, b))
        else:
            flush()
            merged.append((a, b))
    flush()
    return merged


def _is_short_title(s: str) -> bool:
    """``关于乙烯项目问题。``, ``港口货物吞吐量。``: a short first sentence without commas that
    names a topic (关于…, or a nominal head: 情况, 问题, 指标, 量…) rather than a task
    (``强化指导监督。``, ``经济实力迈上新台阶。`` stay the unit's own text)."""
    if not (
        0 < len(s) <= _patterns()["title_max"] + 1
        and s[-1] in "。：:"
        and not re.search("[，,；;]", s)
    ):
        return False
    head = s.rstrip("。：:")
    if head.startswith(tuple(_patterns()["verb_starts"])):
        return False
    return head.startswith("关于") or head.endswith(tuple(_patterns()["nominal_heads"]))


def _is_title_like(text: str, a: int, b: int) -> bool:
    """A short stretch without sentence punctuation: a title or table header, not an item."""
    return b - a <= 60 and not _patterns()["sentence_punct"].search(text, a, b)


class _Records:
    """Item records under construction: ``(start, order, record, parent unit, own unit)``."""

    def __init__(
        self,
        text: str,
        blocks: bool = False,
        width: Optional[int] = None,
        cands: Sequence[MarkerCandidate] = (),
    ) -> None:
        self.text = text
        self.blocks = blocks
        self.width = width
        self.cands = list(cands)
        self._starts = [c.start for c in self.cands]  # sorted: one candidate per position
        self.rows: List[
            Tuple[int, int, Dict[str, Any], Optional[NumberedUnit], Optional[NumberedUnit]]
        ] = []

    def unmarked(
        self,
        a: int,
        b: int,
        kind: str,
        parent: Optional[NumberedUnit],
        depth: int,
        skip_titles: bool = False,
    ) -> None:
        """One unmarked item per paragraph of ``text[a:b]``."""
        for pa, pb in _paragraphs(self.text, a, b, self.blocks, self.width):
            if skip_titles and _is_title_like(self.text, pa, pb):
                continue
            rec = _record(pa, pb, "", kind, depth)
            rec["duty_lines"] = _duty_lines(self.text, pa, pb)
            self.rows.append((pa, 1, rec, parent, None))

    def candidates(self, a: int, b: int) -> List[MarkerCandidate]:
        """The marker candidates starting in ``[a, b)``, found by bisection (a table of many rows
        asks once per row)."""
        return self.cands[bisect_left(self._starts, a) : bisect_left(self._starts, b)]

    def numbered(self, rec: Dict[str, Any], unit: NumberedUnit) -> None:
        self.rows.append((rec["start"], 0, rec, unit.parent, unit))

    def table(self, table: Table) -> None:
        """One item per row; a row whose cells hold numbered sub-rows is their heading."""
        for r in table.rows:
            rec = _record(r.start, r.end, r.marker, "row", 0)
            if r.duty is not None:
                label, va, vb = r.duty
                rec["duty_lines"] = [
                    {"label": label, "start": va, "end": vb, "value_start": va, "value_end": vb}
                ]
            unit = NumberedUnit(r.start, r.start + len(r.marker), "row", 0, 0, r.marker, end=r.end)
            _parse_units(self, unit.marker_end, r.end, parent=unit, nested_only=True)
            if unit.children:
                a, b = _strip_span(self.text, unit.marker_end, unit.children[0].start)
                rec["heading"] = rec["title"] = (
                    " ".join(
                        x.strip(_WS + "|｜")
                        for x in self.text[a:b].split("\n")
                        if x.strip(_WS + "|｜")
                    )
                    or None
                )
            self.rows.append((r.start, 0, rec, None, unit))


def _parse_units(
    out: _Records, a: int, b: int, parent: Optional[NumberedUnit] = None, nested_only: bool = False
) -> None:
    """Numbered units and unmarked items of the body stretch ``[a, b)``, under ``parent`` (a
    table row) if given; ``nested_only``: add nothing unless numbered units are found."""
    text = out.text
    here = out.candidates(a, b)
    # sub-rows of a table row start their own cell line; markers inside a cell do not split the row
    units = accept_markers(text, [c for c in here if c.line_start or not nested_only], out.blocks)
    if nested_only and (
        not units
        or (len(units) == 1 and any(c.style == units[0].style and not c.line_start for c in here))
    ):
        return  # one marker followed by inline siblings (1、…2、…3、): a list inside a cell
    if not units:
        if not nested_only:
            out.unmarked(a, b, "paragraph", None, 0)
        return
    base = 0 if parent is None else parent.depth + 1
    for u in units:
        u.depth += base
        if u.parent is None and parent is not None:
            u.parent = parent
            parent.children.append(u)
    if parent is None:
        out.unmarked(a, units[0].start, "preamble", None, 0, skip_titles=True)
    for u, end in zip(units, _unit_ends(units, b)):
        u.end = end
        if u.style.startswith("ordinal") and not u.children:
            # an ordinal point (一是…) ends with its paragraph; what follows is its parent's text
            # (unless the paragraph is only the point's title: 第一，重大的比例关系… ⏎ its body)
            pe = _paragraph_end(text, u.start, u.end, out.blocks)
            title_only = text[pe - 1] not in _CLOSERS
            if text[pe : u.end].strip(_WS) and not title_only:
                out.unmarked(pe, u.end, "paragraph", u.parent, u.depth)
                u.end = pe
    for u in units:
        s, e = _strip_span(text, u.start, u.end)
        rec = _record(s, e, u.marker, "numbered", u.depth)
        content = u.marker_end
        while content < e and text[content] in " \t\u3000":
            content += 1
        if u.children:
            first_child = u.children[0].start
            t_end = _run_in_title_end(
                text, content, min(_title_end(text, content, first_child, out.width), first_child)
            )
            rec["heading"] = _clean_heading(text[content:t_end])
            rec["title"] = rec["heading"]
            rec["_title_span"] = (content, t_end, "heading")
            out.unmarked(t_end, first_child, "lead_in", u, u.depth + 1)
        else:
            t_end = _title_end(text, content, e, out.width)
            title = text[content:t_end].strip(_WS)
            rec["title"] = title or None
            rec["_title_span"] = (content, t_end, "title")
            # a title alone on its line (with or without a full stop: ``（二）基本原则。⏎…``)
            ends_by_break = (
                t_end < e
                and text[t_end] == "\n"
                and not title.endswith(("|", "｜"))  # a cell is no title
                and (
                    not title.endswith(tuple(_patterns()["sentence_final"]))
                    or (len(title) <= _patterns()["title_max"] and not re.search("[，,；;]", title))
                )
            )
            rest_end = (
                e  # a 责任单位 line joins the last body paragraph: it belongs to the work item
            )
            # a short title sentence opening a unit of several paragraphs: its body is one item per
            # paragraph
            titled_paragraphs = _is_short_title(title)
            body_text = "\n".join(
                ln for ln in text[t_end:rest_end].split("\n") if not _patterns()["duty"].match(ln)
            )  # duty lines are no body
            if (ends_by_break or titled_paragraphs) and body_text.strip(_WS):
                rec["heading"] = title.rstrip("：:") or None
                rec["_title_span"] = (content, t_end, "body_heading")
                out.unmarked(t_end, rest_end, "body", u, u.depth + 1)
                rec["_has_body"] = True
        rec["duty_lines"] = _duty_lines(text, s, e)
        out.numbered(rec, u)


def _unit_ends(units: Sequence[NumberedUnit], end: int) -> List[int]:
    """Where each unit ends: at the start of the next unit at its depth or above, else ``end``.
    One pass from the back with a stack of the units still open to the left (each unit is pushed
    and popped once), so a flood of siblings costs no scan of the list's tail per unit.

    >>> us = [NumberedUnit(s, s + 1, "x", 1, d, "x") for s, d in [(0, 0), (2, 1), (4, 1), (6, 0)]]
    >>> _unit_ends(us, 9)
    [6, 4, 6, 9]
    """
    ends = [end] * len(units)
    later: List[int] = []  # indices of later units, depth increasing towards the top of the stack
    for i in range(len(units) - 1, -1, -1):
        while later and units[later[-1]].depth > units[i].depth:
            later.pop()
        if later:
            ends[i] = units[later[-1]].start
        later.append(i)
    return ends


def parse_items(text: str) -> List[Dict[str, Any]]:
    """Every numbered unit and unmarked item of ``text``, in document order.

    Each record: ``id``, ``parent``, ``path``, ``level`` (1 = top), ``marker``, ``start``/``end``
    (``end`` exclusive, trailing whitespace excluded), ``heading`` (title of a unit with
    children or a body), ``title``, ``leaf``, ``kind`` (numbered, preamble, lead_in, body,
    paragraph, row), ``leaders``, ``duty_lines``, ``truncated`` (the document stops inside this
    item) and empty ``cats``, ``labels``, ``targets``, ``units`` for later components.
    """
    original, text = (
        text,
        to_simplified(text),
    )  # rules match the simplified shadow; offsets are shared
    tables = find_tables(text)
    out = _Records(
        text, blank_line_paragraphs(text), wrap_width(text), find_marker_candidates(text)
    )
    table_starts = [t.start for t in tables]  # in order: tables are found top to bottom
    for seg_a, seg_b in body_segments(text, [(t.start, t.stop) for t in tables]):
        pos = seg_a
        for table in tables[bisect_left(table_starts, seg_a) : bisect_left(table_starts, seg_b)]:
            if table.start > pos:
                _parse_units(out, pos, table.start)
            out.table(table)
            pos = table.stop
        if pos < seg_b:
            _parse_units(out, pos, seg_b)
    records = _finish(text, out.rows)
    for rec in records:
        a, b, how = rec.pop("_title_span", (0, 0, ""))
        if original is not text and how:
            title = original[a:b].strip(_WS)
            rec["title"] = _clean_heading(original[a:b]) if how == "heading" else (title or None)
            if how != "title":
                rec["heading"] = rec["title"] if how == "heading" else (title.rstrip("：:") or None)
    return records


def _clean_heading(s: str) -> Optional[str]:
    return s.strip(_WS).rstrip("。；;：:，,") or None


def _finish(
    text: str,
    rows: List[Tuple[int, int, Dict[str, Any], Optional[NumberedUnit], Optional[NumberedUnit]]],
) -> List[Dict[str, Any]]:
    """Ids, parents, paths, levels, leaf flags, leaders and the truncation flag."""
    rows.sort(key=lambda r: (r[0], r[1]))
    by_unit: Dict[int, Dict[str, Any]] = {}
    for n, (_, _, rec, _, unit) in enumerate(rows, 1):
        rec["id"] = f"i{n}"
        if unit is not None:
            by_unit[id(unit)] = rec
    for _, _, rec, parent, unit in rows:
        prec = by_unit.get(id(parent)) if parent is not None else None
        rec["parent"] = prec["id"] if prec else None
        rec["path"] = (prec["path"] + [prec["id"]]) if prec else []
        rec["level"] = len(rec["path"]) + 1
        rec["leaders"] = list(prec["leaders"]) if prec else []
        if rec["heading"]:
            rec["leaders"] = rec["leaders"] + _leaders(rec["heading"])
        rec["leaf"] = not (unit is not None and (unit.children or rec.pop("_has_body", False)))
        rec.pop("_has_body", None)
    records = [r[2] for r in rows]
    leaves = [r for r in records if r["leaf"]]
    if leaves:
        last = max(leaves, key=lambda r: r["end"])
        if (
            last["kind"] != "row"
            and not text[last["end"] :].strip(_WS)
            and text[last["end"] - 1] not in _CLOSERS
            and last["end"] - last["start"] > 8
        ):
            last["truncated"] = True
    return records


def _leaders(heading: str) -> List[Dict[str, str]]:
    return [
        {"name": m.group("name"), "title": m.group("title")}
        for m in _patterns()["leader"].finditer(heading)
    ]


def _record(start: int, end: int, marker: str, kind: str, depth: int) -> Dict[str, Any]:
    return {
        "id": "",
        "parent": None,
        "level": depth + 1,
        "marker": marker,
        "start": start,
        "end": end,
        "heading": None,
        "title": None,
        "path": [],
        "leaders": [],
        "leaf": True,
        "kind": kind,
        "duty_lines": [],
        "truncated": False,
        "cats": {},
        "labels": [],
        "targets": [],
        "units": [],
    }


def leaf_items(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The work items proper: records without children."""
    return [it for it in items if it["leaf"]]
