"""``parse_items`` on marker floods (issue 18): it does not hang, and the linear helpers give the
items the straightforward ones gave.

Speed is measured by ``benchmarks/items_floods.py`` (125k … 1M characters per flood); here a flood
of the issue's size must finish within a generous budget of CPU time (before the fix 8–35 s,
after it 0.05–4 s), and the helpers that replaced list-tail scans are checked against those scans
on small random inputs, and on whole documents (the seeds, small floods) by putting the old
helpers back in place and comparing the items.
"""

from __future__ import annotations

import random
import re
import time
from typing import List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnlp.items import grammar, layout, numbering, parser
from govnlp.items.numbering import NumberedUnit

#: the issue's floods (100k ①, 100k 一是, 75k 一、⏎: 31 s, 21 s, 31 s before the fix), larger where
#: the parser before the fix stayed under the budget, and mixes: before the fix each took over
#: 20 s of CPU, after it 0.1–5 s
FLOODS = {
    "circled": "①" * 100_000,
    "yishi": "一是" * 200_000,
    "dun_lines": "一、\n" * 120_000,
    "mix": "①一是一、\n" * 50_000,
    "quoted": "“①”" * 30_000,
    "trailers": "返回顶部\n" * 30_000,
    "ordinal_open": "一是抓项目，二是抓招商，" + "丙1.丁" * 200_000,
}
BUDGET_S = 12.0  # CPU seconds: generous, and blind to other processes on the machine


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOODS))
def test_marker_flood_does_not_hang(name):
    text = FLOODS[name]
    t0 = time.process_time()
    items = parser.parse_items(text)
    took = time.process_time() - t0
    assert took < BUDGET_S, f"{name}: {took:.1f} s of CPU for {len(text):,} characters"
    assert all(0 <= it["start"] <= it["end"] <= len(text) for it in items)


# -- the old helpers (list-tail scans), kept here as the reference ---------------------------------


def old_unit_ends(units: List[NumberedUnit], end: int) -> List[int]:
    return [
        next((v.start for v in units[i + 1 :] if v.depth <= u.depth), end)
        for i, u in enumerate(units)
    ]


def old_paragraph_break(text: str, a: int, b: int, blocks: bool) -> bool:
    return bool(re.search(r"\n[ \t\u3000\xa0|｜]*\n", text[a:b])) if blocks else "\n" in text[a:b]


def old_inside(spans: List[Tuple[int, int]], pos: int) -> bool:
    for a, b in spans:
        if a < pos < b:
            return True
        if a > pos:
            break
    return False


def old_duty_lines(text: str, start: int, end: int) -> list:
    out = []
    for m in parser._patterns()["duty"].finditer(text, start, end):
        line_end = text.find("\n", m.end(), end)
        line_end = end if line_end < 0 else line_end
        a, b = layout.strip_span(text, m.start(), line_end)
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


def old_line_start(text: str, pos: int, start: int) -> bool:
    line_begin = max(text.rfind("\n", start, pos) + 1, start)
    return text[line_begin:pos].strip(" \t\u3000") == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=40), st.integers(0, 5))
def test_unit_ends_match_the_tail_scan(depths, extra):
    units = [NumberedUnit(2 * k, 2 * k + 1, "x", 1, d, "x") for k, d in enumerate(depths)]
    end = 2 * len(depths) + extra
    assert parser._unit_ends(units, end) == old_unit_ends(units, end)


_BREAKY = st.text(alphabet="甲\n \t|｜\u3000", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_BREAKY, st.integers(0, 40), st.integers(0, 40), st.booleans())
def test_paragraph_break_matches_the_slice_search(text, a, b, blocks):
    a, b = min(a, len(text)), min(b, len(text))
    assert numbering._paragraph_break(text, a, b, blocks) == old_paragraph_break(text, a, b, blocks)
    starts, ends = numbering._breaks(
        text, blocks
    )  # the breaks looked up: one per line break / blank line
    rx = r"\n(?=[ \t\u3000\xa0|｜]*\n)" if blocks else r"\n"
    assert starts == [m.start() for m in re.finditer(rx, text)]
    assert all(
        text[e - 1] == "\n" and not text[s + 1 : e - 1].strip(" \t\u3000\xa0|｜")
        for s, e in zip(starts, ends)
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲“”《》\n", max_size=40))
def test_inside_quotes_matches_the_scan(text):
    spans = grammar.quoted_mask(text)
    starts = [a for a, _ in spans]
    for pos in range(len(text) + 1):
        assert grammar._inside(spans, starts, pos) == old_inside(spans, pos)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲 \t\n①", max_size=30))
def test_line_start_matches_the_line_scan(text):
    for start in range(len(text) + 1):
        for pos in range(start, len(text)):
            at = grammar._prev_index(text, pos, start)
            assert (at < start or text[at] == "\n") == old_line_start(text, pos, start)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["责任单位:县局", " 牵头单位：县委办", "（责任单位）：甲", "甲。", "责任", "单位:", ""]
        ),
        max_size=8,
    ),
    st.integers(0, 80),
    st.integers(0, 80),
)
def test_duty_lines_match_the_windowed_search(lines, a, b):
    text = "\n".join(lines)
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    assert parser._duty_lines(text, a, b) == old_duty_lines(text, a, b)
    starts, found = parser._duty_matches(text)  # found once per text
    assert [m.span() for m in found] == [
        m.span() for m in parser._patterns()["duty"].finditer(text)
    ]


# -- whole documents with the old helpers put back ------------------------------------------------


def _small_floods() -> List[str]:
    rnd = random.Random(18)
    pieces = [
        "①",
        "②",
        "一是",
        "二是",
        "三是",
        "一、",
        "二、",
        "（一）",
        "（二）",
        "1.",
        "2.",
        "第一，",
        "第二，",
        "\n",
        "\n\n",
        "抓项目。",
        "责任单位:县局\n",
        "“",
        "”",
        "附件1\n",
        "返回顶部\n",
        "甲，",
    ]
    out = [
        "①" * 300,
        "一是" * 300,
        "一、\n" * 200,
        "①一是一、\n" * 80,
        "一是抓项目，二是抓招商，三是抓服务。\n" * 20,
    ]
    out += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(20, 200))) for _ in range(40)]
    return out


def test_items_equal_with_the_old_helpers(seed_texts, monkeypatch):
    texts = list(seed_texts.values()) + _small_floods()
    texts += [
        t[: len(t) // 2] + f + t[len(t) // 2 :]
        for t, f in zip(seed_texts.values(), _small_floods())
    ]
    new = [parser.parse_items(t) for t in texts]
    monkeypatch.setattr(parser, "_unit_ends", old_unit_ends)
    monkeypatch.setattr(parser, "_duty_lines", old_duty_lines)
    monkeypatch.setattr(numbering, "_paragraph_break", old_paragraph_break)
    monkeypatch.setattr(grammar, "_inside", lambda spans, starts, pos: old_inside(spans, pos))
    old = [parser.parse_items(t) for t in texts]
    assert new == old
    circled = new[
        len(seed_texts)
    ]  # a small flood still parses as a short list does: siblings at the top
    assert [it["marker"] for it in circled] == ["①"] * 300 and {it["level"] for it in circled} == {
        1
    }
    assert [it["end"] for it in circled[:-1]] == [it["start"] for it in circled[1:]]
