"""The numbering grammar: every marker style, position rule and false friend of items.md."""

import pytest

from govnlp.items.grammar import find_marker_candidates, ordinal_value, quoted_mask


def styles(text):
    return [(c.style, c.number, text[c.start : c.end]) for c in find_marker_candidates(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("一、综合线", [("cn_dun", 1, "一、")]),
        ("十一、其他", [("cn_dun", 11, "十一、")]),
        ("（一）经济指标", [("cn_paren", 1, "（一）")]),
        ("(二)半角括号", [("cn_paren", 2, "(二)")]),
        ("1.抓投资", [("ar_dot", 1, "1.")]),
        ("2、抓招商", [("ar_dot", 2, "2、")]),
        ("3．全角点", [("ar_dot", 3, "3．")]),
        ("（1）加强", [("ar_paren", 1, "（1）")]),
        ("(12)加强", [("ar_paren", 12, "(12)")]),
        ("①推进", [("circled", 1, "①")]),
        ("⑫推进", [("circled", 12, "⑫")]),
        ("一是继续开展", [("ordinal_shi", 1, "一是")]),
        ("第一，坚持", [("ordinal_di", 1, "第一，")]),
    ],
)
def test_every_marker_style(text, expected):
    assert styles(text) == expected


def test_inline_markers_after_punctuation():
    text = "…转化。（三）全心全意提质量促服务一是继续开展，二是加强"
    got = styles(text)
    assert ("cn_paren", 3, "（三）") in got
    assert ("ordinal_shi", 1, "一是") in got and ("ordinal_shi", 2, "二是") in got


@pytest.mark.parametrize(
    "text",
    [
        "完成1-6月目标",
        "2024年完成",
        "发挥“1245+4431”机制",
        "第三轮中央生态环境保护督察",
        "x月完成",
        "印发《关于1.加强管理的通知》",
        "推进“一、二、三产业”融合",
        "打造办事不出岛2.0版",
        "增长1.5%",
        "坚持权责统一是关键",
        "三产业增加值",
    ],
)
def test_false_friends_are_not_markers(text):
    assert [c for c in find_marker_candidates(text) if not c.weak] == [], styles(text)


def test_inline_chinese_dun_glued_to_a_word_is_only_weak():
    # a glued 一、 is a weak candidate: the parser accepts it only on flattened pages (A1 layout)
    assert [c for c in find_marker_candidates("推进一、二产业") if not c.weak] == []
    assert [c.weak for c in find_marker_candidates("推进一、二产业")] == [True]
    assert styles("做好工作。二、抓落实")[0][:2] == ("cn_dun", 2)


def test_bare_arabic_marker_only_at_line_start():
    got = find_marker_candidates("8.甲。\n9积极开发\n完成9项")
    bare = [c for c in got if c.bare]
    assert [(c.number, c.line_start) for c in bare] == [(9, True)]


@pytest.mark.parametrize(
    "numeral,kind,value",
    [
        ("一", "chinese", 1),
        ("十", "chinese", 10),
        ("十九", "chinese", 19),
        ("二十", "chinese", 20),
        ("九十九", "chinese", 99),
        ("一百", "chinese", 100),
        ("7", "arabic", 7),
        ("⑳", "circled", 20),
    ],
)
def test_ordinal_values(numeral, kind, value):
    assert ordinal_value(numeral, kind) == value


@pytest.mark.parametrize("numeral", ["", "十十", "一二", "零", "x"])
def test_ordinal_values_reject_non_numerals(numeral):
    assert ordinal_value(numeral, "chinese") is None


def test_quoted_mask_closes_at_line_end():
    text = "推进“未闭合\n1.抓投资"
    assert quoted_mask(text) == [(2, 6)]
    assert styles(text)[0][:2] == ("ar_dot", 1)


def test_quoted_mask_reads_only_the_marks_and_gives_the_character_scan_spans():
    # quoted_mask visits the newlines and quotation marks only: the spans must be those of the
    # scan of every character
    import random

    from govnlp.items.grammar import load_rules, quoted_mask

    def reference(text, start, end):
        openers = {o: c for o, c in load_rules()["quote_pairs"]}
        spans, stack = [], []
        for i in range(start, end):
            ch = text[i]
            if ch == "\n":
                if stack:
                    spans.append((stack[0][1], i))
                stack = []
            elif stack and ch == openers[stack[-1][0]]:
                _, pos = stack.pop()
                if not stack:
                    spans.append((pos, i + 1))
            elif ch in openers:
                if len(stack) < 8:
                    stack.append((ch, i))
        if stack:
            spans.append((stack[0][1], end))
        return spans

    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice("“”《》「」‘’〈〉\n推进机制a") for _ in range(rng.randint(0, 40)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert quoted_mask(text, start, end) == reference(text, start, end)
    assert quoted_mask("推进“1245+4431”机制") == [(2, 13)]


def test_a_style_gate_matches_wherever_the_style_can_end():
    # a gated style (dec_1…dec_4) is not searched where its gate finds nothing: the gate must
    # match at the last character of every match of the style, or markers would be lost
    import random
    import re

    from govnlp.items.grammar import _compiled

    gated = [(spec, rx, re.compile(spec["gate"])) for spec, rx in _compiled()[0] if "gate" in spec]
    assert {spec["style"] for spec, _, _ in gated} >= {"dec_1", "dec_2", "dec_3", "dec_4"}
    rng = random.Random(5)
    alphabet = ["1", "2", "12", ".", "．", " ", "\u3000", "\n", "总", "则", "年", "万", "a", "１"]
    matched = 0
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        for spec, rx, gate in gated:
            for m in rx.finditer(text):
                matched += 1
                assert gate.match(text, m.end() - 1), (spec["style"], text)
    assert matched > 100  # the strings do reach every gated style


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "1\u3000总则\n1.1\u3000编制目的\n1.2.1\u3000国家级\n1.2.1.1\u3000甲",
            ["dec_1", "dec_2", "dec_3", "dec_4"],
        ),
        (
            "1.1编制目的\n共计2 万元",
            [],
        ),  # no space before a title, a figure: the gate finds nothing
    ],
)
def test_decimal_numbering_found_with_its_gate(text, expected):
    assert [s for s, _, _ in styles(text) if s.startswith("dec_")] == expected
