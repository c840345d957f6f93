"""Units found by their names (spec units.md v2): the unit cases of
``../shared/hardcases/items_units.md``.

Invented wording, same patterns as real county pages. Each test states what counts as a mention
(and its role and canonical name) and what does not.
"""

import pytest

from govnlp.units import Gazetteer, find_units
from govnlp.units.divisions import Divisions


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default(divisions=None)


def texts(text, gaz, region="连江县"):
    return [u["text"] for u in find_units(text, gaz, region)]


def by_text(text, gaz, region="连江县"):
    return {u["text"]: u for u in find_units(text, gaz, region)}


def test_u2a_zone_organs_without_level_word(gaz):
    got = texts("示范区党工委、管委会多次专题研究园区建设，我局按要求抓好落实。", gaz)
    assert any(t.endswith("党工委") for t in got) and "管委会" in got
    assert "我局" not in got


def test_u2b_state_owned_companies_by_brand_name(gaz):
    got = by_text("县属国企中，金港集团负责园区开发，海岳担保公司为中小企业提供融资担保。", gaz)
    assert {"县属国企", "金港集团", "海岳担保公司"} <= set(got)
    assert got["金港集团"]["nil"] and got["金港集团"]["canonical"] == "金港集团"
    # without a state-owned marker a company is a private firm: not a mention
    assert texts("金港集团负责园区开发。", gaz) == []


def test_u2c_names_after_verbs_and_any_body_suffix(gaz):
    got = texts(
        "请县住建局会同县重点项目推进办每月通报进度。挂牌成立少年法庭，并配合劳动监察大队和县营商环境评价机构开展检查。",
        gaz,
    )
    assert got == ["县住建局", "县重点项目推进办", "少年法庭", "劳动监察大队", "县营商环境评价机构"]


def test_u3_district_departments_in_a_county(gaz):
    got = by_text(
        "联合区公安局、区人民检察院、区人民法院开展专项整治，全力配合区网信办做好舆情处置。",
        gaz,
        "连江县",
    )
    assert list(got) == ["区公安局", "区人民检察院", "区人民法院", "区网信办"]
    assert got["区网信办"]["canonical"] == "区委网络安全和信息化委员会办公室"
    assert all(u["scope"] == "local" for u in got.values())


def test_u4_congress_conference_and_discipline_organs_of_the_county(gaz):
    got = by_text(
        "每季度向人大报告进展，邀请政协委员视察，配合纪委监委开展专项监督。", gaz, "连江县"
    )
    assert list(got) == ["人大", "纪委监委"]  # 政协委员 is a person
    assert got["人大"]["canonical"] == "县人民代表大会" and not got["人大"]["nil"]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "1.推进政务公开。区直各有关单位，各区属事业单位，各片区管理局配合。",
            ["区直各有关单位", "各区属事业单位", "各片区管理局"],
        ),
        ("2.推动区属国企完善治理，各区属国企年底前完成整改。", ["区属国企", "各区属国企"]),
        (
            "3.动员县安委会各成员单位开展检查，各乡镇抓好落实，各县（市、区）政府配合。",
            ["县安委会各成员单位", "各乡镇", "各县（市、区）政府"],
        ),
    ],
)
def test_u5_collectives(gaz, text, expected):
    got = find_units(text, gaz, "连江县")
    assert [u["text"] for u in got] == expected
    assert [u["canonical"] for u in got] == expected  # collectives: as written
    assert all(u["scope"] == "local" and not u["nil"] for u in got)


def test_u6_glued_names(gaz):
    got = texts("1.优化审批服务，压缩办理时限。县经济发展局县营商环境服务中心县文体发展局", gaz)
    assert got == ["县经济发展局", "县营商环境服务中心", "县文体发展局"]


def test_u8_government_beside_a_title(gaz):
    assert texts("5月8日，县政府县长王某主持召开会议。", gaz) == ["县政府"]
    assert texts("区政协委员、区人大代表和省委书记参加调研。", gaz) == []


def test_f2_issuers_own_divisions_are_not_mentions(gaz):
    assert (
        texts("（一）加强干部法治培训，提升依法行政能力。（责任处室：办公室、政策法规科）", gaz)
        == []
    )


def test_f3_bracketed_notes_and_separately_leading(gaz):
    got = find_units(
        "责任单位：市发改委、市卫生健康委（未注明“分别牵头”的，排在首位的为牵头单位，下同）",
        gaz,
        "连江县",
    )
    assert [(u["text"], u["canonical"]) for u in got] == [
        ("市发改委", "市发展和改革委员会"),
        ("市卫生健康委", "市卫生健康委员会"),
    ]
    got = find_units("责任单位：市人社局、市农业农村局分别牵头", gaz, "连江县")
    assert [(u["text"], u["role"]) for u in got] == [("市人社局", "lead"), ("市农业农村局", "lead")]


def test_f4_longer_names_are_not_split(gaz):
    got = find_units(
        "各牵头单位于3月底前将方案报送至县政府督查室。（牵头单位：县政府园区服务中心）",
        gaz,
        "连江县",
    )
    assert [(u["text"], u["role"]) for u in got] == [
        ("县政府督查室", "mentioned"),
        ("县政府园区服务中心", "lead"),
    ]


def test_f5_groups_meetings_and_facilities_are_not_mentions(gaz):
    text = (
        "支持工青妇等各群团组织发挥作用；按照省委十二届三次、四次全会部署，科技服务中心、区青创"
        "孵化中心揭牌成立。"
    )
    assert texts(text, gaz) == []


def test_l1_l4_lead_and_collectives_in_brackets(gaz):
    got = find_units(
        "1.做好疫情防控。[牵头单位：县卫健局；责任单位：县疫情防控指挥部成员单位、各街办(园区)]",
        gaz,
        "连江县",
    )
    assert [(u["text"], u["role"], u["canonical"]) for u in got] == [
        ("县卫健局", "lead", "县卫生健康局"),
        ("县疫情防控指挥部成员单位", "responsible", "县疫情防控指挥部成员单位"),
        ("各街办(园区)", "responsible", "各街办(园区)"),
    ]
    got = find_units("2.做好信息公开。区直各有关单位，各乡镇人民政府（街道办事处）", gaz, "连江县")
    assert [(u["text"], u["canonical"]) for u in got] == [
        ("区直各有关单位", "区直各有关单位"),
        ("各乡镇人民政府（街道办事处）", "各乡镇人民政府（街道办事处）"),
    ]


def test_unknown_bodies_link_by_character_overlap_only_above_the_threshold(gaz):
    (u,) = find_units("责任单位：县应急管理服务局", gaz, "连江县")
    assert u["canonical"] == "县应急管理局" and not u["nil"] and 0.8 <= u["link_score"] < 1.0
    (v,) = find_units("责任单位：县经济发展局", gaz, "连江县")
    assert v["nil"] and v["canonical"] == "县经济发展局"


def _divisions(tree):
    import importlib.util
    import pathlib

    spec = importlib.util.spec_from_file_location(
        "build_divisions",
        pathlib.Path(__file__).resolve().parents[1] / "scripts" / "build_divisions.py",
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return Divisions(build.parse_location_tree(tree.splitlines(True)))


def test_region_resolver_ignores_a_county_name_used_as_a_verb():
    divisions = _divisions(
        "湖南省\t430000\t湖南\n\t怀化市\t431200\t怀化\n\t\t会同县\t431225\t会同\n\t\t\t林城镇\n"
    )
    from govnlp.units import resolve_region

    assert resolve_region("各单位要会同县督查落实办每月通报。" * 3, divisions=divisions) is None
    assert (
        resolve_region("会同县人民政府关于印发通知。会同县各乡镇：", divisions=divisions)["name"]
        == "会同县"
    )


def test_traditional_characters_and_pinyin_glosses(gaz):
    (u,) = find_units("會議要求，區(qū)交通運(yùn)輸局每天更新進度。", gaz, "斗门区")
    assert u["text"] == "區(qū)交通運(yùn)輸局" and u["canonical"] == "区交通运输局"


def test_departments_without_the_level_word_the_document_implies(gaz):
    got = by_text(
        "在县委县政府的坚强领导下，教育局按照要求推进信息公开。", gaz, "民和回族土族自治县"
    )
    assert got["教育局"]["canonical"] == "县教育局" and not got["教育局"]["nil"]


def test_table_cells_are_role_lists(gaz):
    text = "52\n\n建成高标准农田8.3万亩。\n\n农田建设管理股、经管站\n\n已完成"
    a = text.index("农田建设")
    got = find_units(
        text, gaz, "怀远县", cells=[(a, a + len("农田建设管理股、经管站"), "牵头责任单位")]
    )
    assert [(u["text"], u["role"]) for u in got] == [
        ("经管站", "lead")
    ]  # 股: the bureau's own division


def test_township_names_in_a_list(divisions_tree):
    gaz = Gazetteer.default(divisions=divisions_tree)
    got = find_units("财政收入超亿元的乡镇达3个（菜园镇、洋山镇、五龙乡）。", gaz, "嵊泗县")
    assert [(u["text"], u["canonical"]) for u in got] == [
        ("菜园镇", "菜园镇人民政府"),
        ("洋山镇", "洋山镇人民政府"),
        ("五龙乡", "五龙乡人民政府"),
    ]


@pytest.fixture(scope="module")
def divisions_tree():
    return _divisions(
        "浙江省\t330000\t浙江\n\t舟山市\t330900\t舟山\n\t\t嵊泗县\t330922\t嵊泗\n\t\t\t菜园镇\n\t\t\t洋山镇\n\t\t\t五龙乡\n"
    )


def test_e_variant_mentions_only_from_items(nlp_char):
    """Units come from the body: a meeting report's opening and attendance lines are not items."""
    text = (
        "3月2日上午，县长王某主持召开县政府第12次常务会议，县直有关部门负责人列席会议。\n"
        "会议听取了县应急局关于安全生产工作的汇报。\n会议审议通过了《县老旧小区改造实施方案》。\n县领导赵某、县直有关部门负责人参加会议。"
    )
    doc = nlp_char(text)
    units = [u for it in doc._.items for u in it["units"]]
    assert [u["text"] for u in units] == ["县应急局"]


def test_u1_mentions_in_a_preamble_and_a_notice(nlp_char):
    text = (
        "当前位置：首页 > 政务公开 发布时间：2023-02-01 "
        "根据县委工作部署，现将本局全年工作安排如下：一、强化安全监管（一）开展隐患排查。（二）"
        "加强执法检查。"
    )
    doc = nlp_char(text)
    assert doc._.items[0]["kind"] == "preamble" and [
        u["text"] for u in doc._.items[0]["units"]
    ] == ["县委"]


def test_collectives_of_several_levels_and_kinds_of_department(gaz):
    got = find_units(
        "由区（市）财政部门负责，各区、市教体局配合，财政部门做好保障。", gaz, "青岛市"
    )
    assert [(u["text"], u["canonical"]) for u in got] == [
        ("区（市）财政部门", "区（市）财政部门"),
        ("各区、市教体局", "各区、市教体局"),
    ]


def test_the_document_level_word_when_the_county_is_unknown():
    from govnlp.units.region import document_level_word

    assert document_level_word("2023年区政府重点民生实事项目推进情况，区直各单位参加") == "区"


def test_closing_duty_note_verbs_give_roles_and_are_no_units(gaz):
    got = {
        u["text"]: u["role"]
        for u in find_units("开展失业保险稳岗返还。（人力资源社会保障部、财政部负责）", gaz, None)
    }
    assert got == {"人力资源社会保障部": "responsible", "财政部": "responsible"}
    got = {
        u["text"]: u["role"]
        for u in find_units("推进项目前期工作。（县发改局牵头，县财政局配合）", gaz)
    }
    assert got == {"县发改局": "lead", "县财政局": "cooperating"}


def test_words_that_only_look_like_body_names(gaz):
    # 推进组团建设: 组团 is a word, not a 推进组; a centre that is a 项目 is a facility
    assert texts("高质量推进组团建设，年内完成道路工程。", gaz) == []
    assert texts("投资3.4亿元的自治区冰上运动训练中心项目成功落地。", gaz) == []
    # 党组成员 still names the government's party group
    assert "县政府党组" in texts("县政府党组成员参加会议。", gaz)


def test_a_name_stops_where_a_clause_begins(gaz):
    got = texts(
        "过去的一年，区政府紧紧围绕市委、市政府和区委的决策部署，攻坚克难。", gaz, "海拉尔区"
    )
    assert got[0] == "区政府" and "市委" in got and not any("围绕" in t for t in got)


def test_a_zone_name_keeps_its_words_and_its_standard_name(gaz):
    units = find_units("花亭湖风景名胜区管理处、太湖经济开发区管委会要加强督查。", gaz, "太湖县")
    [unit] = [u for u in units if u["text"].endswith("管委会")]
    assert unit["text"] == "太湖经济开发区管委会"  # not 经 + 济开发区管委会
    assert unit["nil"] and unit["canonical"].endswith("经济开发区管理委员会")
    assert [u["canonical"] for u in find_units("管委会要加强督查。", gaz, "太湖县")] == ["管委会"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("任务分解下达。请各乡镇、县直各单位紧扣目标。", {"各乡镇", "县直各单位"}),
        ("政府各部门要把主要精力放在抓落实上。", {"政府各部门"}),
        ("政府各组成部门广大干部要以身作则。", {"政府各组成部门"}),
        ("共清理区直行政事业单位超标办公用房。", {"区直行政事业单位"}),
        ("鼓励各区市政府先行先试。", {"各区市政府"}),
    ],
)
def test_more_collective_forms(gaz, text, expected):
    assert set(texts(text, gaz)) == expected


def test_person_titles_places_and_facilities_are_no_units(gaz):
    assert texts("工业和信息化部副部长、河南省人民政府副省长出席会议。", gaz) == []
    assert texts("会议听取和审议了国务院总理所作的报告。", gaz) == []
    assert texts("确保自治区冰上运动中心、桃李中学等项目落地。", gaz, "海拉尔区") == []
    assert texts("开展依法治区示范镇办创建活动。", gaz, "海拉尔区") == []
    assert texts("鼓励市场化投资机构关注场景创新企业。", gaz) == []
    assert texts("确保哈克镇客运站投入使用。", gaz, "海拉尔区") == []
    assert texts("镇农技站负责技术指导。", gaz) == ["镇农技站"]


def test_a_city_document_naming_a_district_is_not_the_districts():
    from govnlp.units.region import resolve_region

    city = (
        "为加快推进我市人工智能产业集聚发展，制定以下政策。"
        + "支持企业发展。" * 40
        + "全市统筹，由崂山区政府负责落实，崂山区政府按规定兑现，崂山区政府做好服务。"
    )
    assert resolve_region(city) is None
    district = (
        "崂山区人民政府关于印发……的通知\n" + "全区各部门要抓好落实。" * 5 + "崂山区政府负责。"
    )
    assert resolve_region(district)["name"] == "崂山区"


def test_boundary_starts_are_exactly_the_positions_at_boundary_accepts():
    # the regex passes of boundary_starts replace a test per character: same positions, on the
    # seeds, over ranges that start and end anywhere, with mention ends given
    import random
    from pathlib import Path

    from govnlp.units.names import _at_boundary, boundary_starts

    rng = random.Random(0)
    for path in sorted(Path(__file__).resolve().parents[1].glob("corpora/samples/*.txt")):
        text = path.read_text(encoding="utf-8")
        for _ in range(20):
            lo = rng.randrange(len(text))
            hi = min(len(text), lo + rng.randrange(1, 2000))
            ends = set(rng.sample(range(lo, hi), min(4, hi - lo)))
            expected = [i for i in range(lo, hi) if _at_boundary(text, i, lo, ends)]
            assert boundary_starts(text, lo, hi, sorted(ends)) == expected


def test_name_candidates_skip_only_positions_where_nothing_can_start(monkeypatch):
    # name_candidates tries a position only where a grammar name can start (its first-character
    # filter): the names found must be those found trying every boundary
    import random
    from pathlib import Path

    from govnlp.units import names

    assert names._candidate_first_chars() is not None  # the filter is on for the bundled grammar
    rng = random.Random(6)
    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("corpora/samples/*.txt"))]
    texts += [
        "县属国企中，金港集团负责。各县（市、区）政府、区直各有关单位，劳动监察大队和少年法庭。"
    ]
    spans = []
    for text in texts:
        for _ in range(15):
            lo = rng.randrange(len(text))
            spans.append((text, lo, min(len(text), lo + rng.randrange(1, 1500))))
    filtered = [names.name_candidates(t, lo, hi) for t, lo, hi in spans]
    monkeypatch.setattr(names, "_candidate_first_chars", lambda: None)
    assert filtered == [names.name_candidates(t, lo, hi) for t, lo, hi in spans]
    assert any(filtered)


def test_regex_first_chars_read_literals_sets_groups_and_repeats():
    import re

    from govnlp.units.names import regex_first_chars

    assert regex_first_chars(re.compile("(?:各|有关)?[县区](?:委|政府)")) == set("各有县区")
    assert regex_first_chars(re.compile("(?<![城社])县委|(?=政)政府")) == set("县政")
    assert regex_first_chars(re.compile("a*b")) == set("ab")
    assert regex_first_chars(re.compile("a?")) is None  # matches empty: any position
    assert regex_first_chars(re.compile("[^a]b")) is None
    assert regex_first_chars(re.compile(".b")) is None
    assert regex_first_chars(re.compile("(?i)ab")) is None


def test_boundary_starts_from_a_documents_after_offsets_are_the_regex_passes():
    # find_units hands boundary_starts the offsets after every punctuation or non-CJK character,
    # found for the whole document at once (DocumentLookup.after_within): the same starts as the
    # regex pass over each range, for items anywhere in the document
    import random
    from pathlib import Path

    from govnlp.units.linker import DocumentLookup
    from govnlp.units.names import boundary_starts

    view = Gazetteer.default(divisions=None).view()
    rng = random.Random(1)
    for path in sorted(Path(__file__).resolve().parents[1].glob("corpora/samples/*.txt")):
        text = path.read_text(encoding="utf-8")
        lookup = DocumentLookup(text, view)
        for _ in range(20):
            s = rng.randrange(len(text))
            e = min(len(text), s + rng.randrange(1, 800))
            item = text[s:e]
            after = lookup.after_within(s, e)
            for _ in range(5):
                lo = rng.randrange(len(item))
                hi = min(len(item), lo + rng.randrange(1, 300))
                assert boundary_starts(item, lo, hi, after=after) == boundary_starts(item, lo, hi)
