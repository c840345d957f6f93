"""Split a document into work items (spec: ``items.md``), as plain records.

Pure functions over a ``str``: no spaCy here, so the parser is tested and
reused directly. The pipeline component in ``component.py`` wraps it.

>>> units = parse_items("一、综合线\\n(一)抓投资。\\n责任单位:县发改局\\n(二)抓招商。")
>>> [(u["id"], u["marker"], u["level"], u["leaf"], u["heading"]) for u in units]
[('i1', '一、', 1, False, '综合线'), ('i2', '(一)', 2, True, None), ('i3', '(二)', 2, True, None)]
>>> units[1]["duty_lines"][0]["label"]
'责任单位'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from .grammar import MarkerCandidate, find_marker_candidates, load_rules

_WS = " \t\r\n\u3000\xa0"


@dataclass
class _Unit:
    start: int
    marker_end: int
    style: str
    number: int
    depth: int
    marker: str
    parent: Optional["_Unit"] = None
    children: List["_Unit"] = field(default_factory=list)
    end: int = 0
    kind: str = "numbered"


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, Any]:
    r = load_rules()
    return {
        "header": [re.compile(x) for x in r["header_line_regexes"]],
        "trailer": re.compile(r["trailer_line_regex"]),
        "duty": re.compile(r["duty_line_regex"], re.M),
        "leader": re.compile(r["leader_regex"]),
        "sentence_final": r["sentence_final"],
        "max_gap_line_start": r["max_gap_line_start"],
        "max_gap_inline": r["max_gap_inline"],
        "lookahead": r["ordinal_lookahead_chars"],
    }


def _strip_span(text: str, start: int, end: int) -> Tuple[int, int]:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return start, end


def _lines(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    out, i = [], start
    while i < end:
        j = text.find("\n", i, end)
        j = end if j < 0 else j
        out.append((i, j))
        i = j + 1
    return out


def find_zones(text: str, candidates: Optional[List[MarkerCandidate]] = None) -> Tuple[int, int]:
    """``(body_start, body_end)`` of ``text``.

    The header runs to the last header-like line (site metadata, dates,
    addressees ending in ：, titles, short lines without sentence punctuation,
    transmittal sentences) before the first line-start marker; prose after it
    is the preamble. The trailer starts at the first 抄送/分送/印发/出席/附件…
    line after the first marker.

    >>> t = "关于印发要点的通知\n各镇人民政府:\n一、抓投资。\n抄送:县委"
    >>> s, e = find_zones(t); t[s:e]
    '一、抓投资。\n'
    """
    p = _patterns()
    if candidates is None:
        candidates = find_marker_candidates(text)
    first_marker = next((c.start for c in candidates if c.line_start and not c.weak), None)
    if first_marker is None:
        first_marker = next((c.start for c in candidates if not c.weak), None)
    lines = _lines(text, 0, len(text))
    limit = first_marker if first_marker is not None else len(text)
    body_start = 0
    for a, b in lines:
        if a >= limit:
            break
        line = text[a:min(b, limit)]
        if line.strip(_WS) and any(rx.search(line) for rx in p["header"]):
            body_start = min(b + 1, limit)
    if first_marker is None:
        # no markers: header lines are only those before the first prose paragraph
        body_start = 0
        for a, b in lines:
            line = text[a:b]
            if not line.strip(_WS) or any(rx.search(line) for rx in p["header"]):
                body_start = b + 1
                continue
            break
        body_start = min(body_start, len(text))
    body_end = len(text)
    scan_from = first_marker if first_marker is not None else body_start
    for a, b in lines:
        if a < scan_from:
            continue
        if p["trailer"].search(text[a:b]):
            body_end = a
            break
    return body_start, body_end


def _is_short_title(line: str) -> bool:
    s = line.strip(_WS)
    return 0 < len(s) <= 40 and not any(ch in s for ch in "。；！？，,") and not s[0].isdigit()


def _accept_markers(text: str, cands: List[MarkerCandidate], body_start: int, body_end: int) -> List[_Unit]:
    """Run the numbering state machine; return accepted units with depth and parent."""
    p = _patterns()
    stack: List[_Unit] = []  # open units, outermost first
    accepted: List[_Unit] = []
    in_body = [c for c in cands if body_start <= c.start < body_end]
    for idx, c in enumerate(in_body):
        depth_of_style = next((k for k, u in enumerate(stack) if u.style == c.style), None)
        ok = False
        new_depth = len(stack)
        if depth_of_style is not None:
            expected = stack[depth_of_style].number + 1
            gap = p["max_gap_line_start"] if c.line_start else p["max_gap_inline"]
            if c.bare or c.weak:
                ok = c.number == expected or (c.number == 1 and c.weak and _sequence_continues(in_body, idx, c))
            elif expected <= c.number <= expected + gap - 1 + (1 if c.line_start else 0):
                ok = True
            elif c.number == 1 and (c.line_start or depth_of_style == 0):
                ok = _sequence_continues(in_body, idx, c) if c.style.startswith("ordinal") else True
            new_depth = depth_of_style
        else:
            if not stack and not accepted and c.line_start and not c.bare and not c.style.startswith("ordinal"):
                ok = True  # an excerpt may start at 二、
            elif c.number == 1 and not c.bare:
                needs_second = c.style.startswith("ordinal") or c.weak
                ok = _sequence_continues(in_body, idx, c) if needs_second else True
        if not ok:
            continue
        del stack[new_depth:]
        parent = stack[-1] if stack else None
        unit = _Unit(c.start, c.end, c.style, c.number, new_depth, text[c.start:c.end], parent)
        if parent is not None:
            parent.children.append(unit)
        stack.append(unit)
        accepted.append(unit)
    return accepted


def _sequence_continues(cands: List[MarkerCandidate], idx: int, c: MarkerCandidate) -> bool:
    """An ordinal enumeration (一是/第一), or an inline ``1.``/``（一）`` opening a new
    level, counts only when its second member follows."""
    horizon = c.start + _patterns()["lookahead"]
    for d in cands[idx + 1:]:
        if d.start > horizon:
            return False
        if d.style == c.style and d.number == 2:
            return True
        if d.style == c.style and d.number == 1:
            return False
    return False


def _title_end(text: str, start: int, end: int) -> int:
    """End of a unit's title: first sentence-final punctuation or line break, or ``end``."""
    finals = _patterns()["sentence_final"]
    i = start
    while i < end:
        ch = text[i]
        if ch == "\n":
            return i
        if ch in finals:
            return i + 1
        i += 1
    return end


def _duty_lines(text: str, start: int, end: int) -> List[Dict[str, Any]]:
    out = []
    for m in _patterns()["duty"].finditer(text, start, end):
        line_end = text.find("\n", m.end(), end)
        line_end = end if line_end < 0 else line_end
        a, b = _strip_span(text, m.start(), line_end)
        out.append({"label": m.group("label"), "start": a, "end": b, "value_start": m.end(), "value_end": b})
    return out


def _first_duty(text: str, start: int, end: int) -> int:
    m = _patterns()["duty"].search(text, start, end)
    return m.start() if m else end


def parse_items(text: str) -> List[Dict[str, Any]]:
    """Every numbered unit and unmarked item of ``text``, in document order.

    Each record: ``id``, ``parent``, ``path``, ``level`` (1 = top), ``marker``,
    ``start``/``end`` (``end`` exclusive, trailing whitespace excluded),
    ``heading`` (title of a unit with children or a body), ``title``,
    ``leaf``, ``kind`` (numbered, preamble, lead_in, body, paragraph),
    ``leaders``, ``duty_lines`` and empty ``cats``, ``labels``, ``targets``,
    ``units`` for later components.
    """
    cands = find_marker_candidates(text)
    body_start, body_end = find_zones(text, cands)
    units = _accept_markers(text, cands, body_start, body_end)
    # ends: next accepted unit at the same or a higher level, else body end
    for i, u in enumerate(units):
        u.end = body_end
        for v in units[i + 1:]:
            if v.depth <= u.depth:
                u.end = v.start
                break
    records: List[Tuple[int, int, Dict[str, Any], Optional[_Unit], Optional[_Unit]]] = []

    def add_unmarked(a: int, b: int, kind: str, parent: Optional[_Unit], depth: int) -> None:
        a, b = _strip_span(text, a, b)
        if b > a:
            rec = _record(text, a, b, "", kind, depth)
            records.append((a, 1, rec, parent, None))

    if not units:
        for a, b in _paragraphs(text, body_start, body_end):
            add_unmarked(a, b, "paragraph", None, 0)
    else:
        add_unmarked(body_start, units[0].start, "preamble", None, 0)
    for u in units:
        s, e = _strip_span(text, u.start, u.end)
        rec = _record(text, s, e, u.marker, "numbered", u.depth)
        content_start = u.marker_end
        while content_start < e and text[content_start] in " \t\u3000":
            content_start += 1
        if u.children:
            first_child = u.children[0].start
            t_end = min(_title_end(text, content_start, first_child), first_child)
            rec["heading"] = text[content_start:t_end].strip(_WS).rstrip("。；;") or None
            rec["title"] = rec["heading"]
            add_unmarked(t_end, first_child, "lead_in", u, u.depth + 1)
        else:
            t_end = _title_end(text, content_start, e)
            title = text[content_start:t_end].strip(_WS)
            rec["title"] = title or None
            ends_by_break = t_end < e and text[t_end] == "\n" and not title.endswith(tuple(_patterns()["sentence_final"]))
            rest_end = _first_duty(text, t_end, e)
            if ends_by_break and text[t_end:rest_end].strip(_WS):
                rec["heading"] = title.rstrip("：:") or None
                add_unmarked(t_end, rest_end, "body", u, u.depth + 1)
                rec["_has_body"] = True
        rec["duty_lines"] = _duty_lines(text, s, e)
        records.append((s, 0, rec, u.parent, u))
    records.sort(key=lambda r: (r[0], r[1]))
    # ids, parents, paths, leaves, leaders
    by_unit: Dict[int, Dict[str, Any]] = {}
    for n, (_, _, rec, _, unit) in enumerate(records, 1):
        rec["id"] = f"i{n}"
        if unit is not None:
            by_unit[id(unit)] = rec
    for _, _, rec, parent, unit in records:
        prec = by_unit.get(id(parent)) if parent is not None else None
        rec["parent"] = prec["id"] if prec else None
        rec["path"] = (prec["path"] + [prec["id"]]) if prec else []
        rec["level"] = len(rec["path"]) + 1
        rec["leaders"] = list(prec["leaders"]) if prec else []
        if rec["heading"]:
            rec["leaders"] = rec["leaders"] + _leaders(rec["heading"])
        rec["leaf"] = not (unit is not None and (unit.children or rec.pop("_has_body", False)))
        rec.pop("_has_body", None)
    return [r[2] for r in records]


def _leaders(heading: str) -> List[Dict[str, str]]:
    return [{"name": m.group("name"), "title": m.group("title")} for m in _patterns()["leader"].finditer(heading)]


def _paragraphs(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    out = []
    for a, b in _lines(text, start, end):
        a2, b2 = _strip_span(text, a, b)
        if b2 > a2:
            if out and _patterns()["duty"].match(text, a2, b2):
                out[-1] = (out[-1][0], b2)
            else:
                out.append((a2, b2))
    return out


def _record(text: str, start: int, end: int, marker: str, kind: str, depth: int) -> Dict[str, Any]:
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
        "cats": {},
        "labels": [],
        "targets": [],
        "units": [],
    }


def leaf_items(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The work items proper: records without children."""
    return [it for it in items if it["leaf"]]
