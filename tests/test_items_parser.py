"""The work-item parser on constructed cases and on the five seeds."""

from govnlp.items import find_zones, leaf_items, parse_items


def markers(items):
    return [(it["marker"], it["level"], it["leaf"]) for it in items]


def test_hierarchy_and_duty_line_belongs_to_item():
    text = (
        "一、综合线\n（一）抓投资。\n责任单位：县发改局\n（二）抓招商。\n二、常务线\n（一）抓统计。"
    )
    items = parse_items(text)
    assert markers(items) == [
        ("一、", 1, False),
        ("（一）", 2, True),
        ("（二）", 2, True),
        ("二、", 1, False),
        ("（一）", 2, True),
    ]
    first = items[1]
    assert text[first["start"] : first["end"]] == "（一）抓投资。\n责任单位：县发改局"
    assert first["duty_lines"][0]["label"] == "责任单位"
    assert (
        text[first["duty_lines"][0]["value_start"] : first["duty_lines"][0]["value_end"]]
        == "县发改局"
    )
    assert items[1]["parent"] == items[0]["id"] and items[1]["path"] == [items[0]["id"]]
    assert items[0]["heading"] == "综合线"


def test_gaps_in_numbering_are_accepted():
    text = "七、甲线\n（一）甲。\n九、乙线\n（一）乙。"
    assert [it["marker"] for it in parse_items(text) if it["level"] == 1] == ["七、", "九、"]


def test_missing_punctuation_arabic_marker_in_sequence():
    text = "一、旅游\n1.培育新场景。\n2积极开发海岛露营。\n3.实施千万工程。\n完成9项。"
    assert [it["marker"] for it in parse_items(text) if it["marker"]] == ["一、", "1.", "2", "3."]


def test_ordinal_sequence_needs_second_member():
    lone = parse_items("一、要求\n坚持统一是关键，一是好。")
    assert all(it["marker"] != "一是" for it in lone)
    seq = parse_items("一、要求\n（一）提质量促服务一是继续开展培训；二是加强考核。")
    assert [it["marker"] for it in leaf_items(seq)] == ["一是", "二是"]
    assert next(it for it in seq if it["marker"] == "（一）")["heading"] == "提质量促服务"


def test_lead_in_and_heading_body_are_unmarked_items():
    text = (
        "二、主要预期目标\n今年地区生产总值增长3%。\n（一）抓投资。\n（二）抓消费。\n三、传达学"
        "习精神\n会议传达学习了讲话精神。"
    )
    items = parse_items(text)
    kinds = [(it["kind"], it["marker"], it["leaf"]) for it in items]
    assert ("lead_in", "", True) in kinds
    body = [it for it in items if it["kind"] == "body"]
    assert len(body) == 1 and text[body[0]["start"] : body[0]["end"]] == "会议传达学习了讲话精神。"
    assert next(it for it in items if it["marker"] == "三、")["heading"] == "传达学习精神"


def test_leaders_from_heading_apply_to_items_below():
    items = parse_items("二、宋晖常务副县长牵头重点工作\n1.扩大有效投资。\n2.抓好统计。")
    assert all(it["leaders"] == [{"name": "宋晖", "title": "常务副县长"}] for it in items)


def test_header_and_trailer_zones():
    text = (
        "索引号 113309/2023-1\n发布机构 县政府办公室\n2023年工作要点\n各乡镇人民政府:\n"
        "一、抓投资。\n二、抓招商。\n抄送:县委各部门\n县政府办公室 2024年5月14日印发"
    )
    start, end = find_zones(text)
    assert text[start:].startswith("一、抓投资")
    assert text[start:end].rstrip().endswith("二、抓招商。")
    assert [it["marker"] for it in parse_items(text)] == ["一、", "二、"]


def test_no_markers_gives_one_item_per_paragraph():
    text = "会议认为要抓好安全生产。\n\n会议要求做好防汛工作。"
    items = parse_items(text)
    assert [(it["kind"], text[it["start"] : it["end"]]) for it in items] == [
        ("paragraph", "会议认为要抓好安全生产。"),
        ("paragraph", "会议要求做好防汛工作。"),
    ]


def test_offsets_exclude_trailing_whitespace(seed_texts):
    for name, text in seed_texts.items():
        for it in parse_items(text):
            span = text[it["start"] : it["end"]]
            assert span and span == span.strip(" \t\r\n\u3000\xa0"), (name, it["id"])


def test_seed_responsibility_breakdown(seed_texts):
    text = seed_texts["002_ed9c876b7720aff2.txt"]
    items = parse_items(text)
    leaves = leaf_items(items)
    assert len(leaves) >= 140
    # every 责任单位 line belongs to an item, none is an item of its own
    assert not any(text[it["start"] : it["end"]].startswith("责任单位") for it in items)
    with_duty = [it for it in leaves if it["duty_lines"]]
    assert len(with_duty) >= 140
    assert any(it["marker"] == "9" for it in leaves)  # `9积极开发…` without punctuation
    assert {ld["name"] for it in leaves for ld in it["leaders"]} >= {"杨松", "宋晖"}


def test_seed_meeting_minutes_trailer_excluded(seed_texts):
    text = seed_texts["003_097165d4e02430d9.txt"]
    items = parse_items(text)
    assert all("出    席" not in text[it["start"] : it["end"]] for it in items)
    # spec v2: each of the 15 议题 is a heading whose body is one item per paragraph
    headings = [it for it in items if it["marker"] and not it["leaf"]]
    assert len(headings) == 15
    bodies = [it for it in items if it["kind"] == "body"]
    assert {it["parent"] for it in bodies} == {it["id"] for it in headings}
    assert all("\n" not in text[it["start"] : it["end"]] for it in bodies)
