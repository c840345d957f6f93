"""govnlp.numbers: parse_number, find_numbers, quantities (spec targets.md + the 15 hard cases)."""

import math

import pytest

from govnlp.numbers import find_numbers, parse_number, quantities

# ---------------------------------------------------------------- parse_number
PARSE = [
    ("五千四百万", 54_000_000),
    ("两", 2),
    ("两个", None),
    ("十一", 11),
    ("一千二百", 1200),
    ("零点五", 0.5),
    ("贰仟", 2000),
    ("壹拾壹元壹角", 11.1),
    ("1,100", 1100),
    ("５０", 50),
    ("3.5万", 35000),
    ("1.2亿", 1.2e8),
    ("13万2千", 132000),
    ("1,100万", 11_000_000),
    ("百分之六十二", 62),
    ("三分之一", 1 / 3),
    ("一万三", 13000),
    ("两千三百五", 2350),
    ("四万万", 4e8),
    ("五亿零六", 500000006),
    ("二〇二五", 2025),
    ("十五点八万", 158000),
    ("负三十二", -32),
    ("廿二", 22),
    ("3万4000", 34000),
    ("一百零十万", 1100000),
    ("２．２亿", 2.2e8),
    ("四川", None),
    ("", None),
    ("万", None),
    ("abc", None),
    ("一切", None),
    ("十几", None),
]


@pytest.mark.parametrize("s,expected", PARSE)
def test_parse_number(s, expected):
    got = parse_number(s)
    if expected is None:
        assert got is None
    else:
        assert got is not None and math.isclose(got, expected, rel_tol=1e-9)


def test_parse_number_type_errors():
    assert parse_number(None) is None  # type: ignore[arg-type]
    assert parse_number("9" * 100_000) is None


# ---------------------------------------------------------------- find_numbers
def test_find_numbers_offsets_and_values():
    text = "新增5家企业,投资一千二百万元,占比百分之六十二,约三分之一。"
    found = find_numbers(text)
    assert [(d["text"], d["value"]) for d in found][:3] == [
        ("5", 5.0),
        ("一千二百万", 1.2e7),
        ("百分之六十二", 62.0),
    ]
    for d in found:
        assert text[d["start"] : d["end"]] == d["text"]
        assert set(d) >= {"start", "end", "text", "value"}


@pytest.mark.parametrize(
    "text", ["一切顺利", "进一步加强", "这个人很肆无忌惮", "统一部署", "十分重要", "四川省"]
)
def test_find_numbers_skips_words(text):
    assert find_numbers(text) == []


def test_find_numbers_enumerators_and_ranges():
    assert find_numbers("一是加强领导") == []
    (d,) = find_numbers("十几个")
    assert (d["low"], d["high"]) == (11, 19)
    (d,) = find_numbers("两三万")
    assert (d["low"], d["high"]) == (20000, 30000)


# ---------------------------------------------------------------- quantities
FIELDS = {
    "start",
    "end",
    "text",
    "value",
    "low",
    "high",
    "bound",
    "unit_raw",
    "unit",
    "scale",
    "value_base",
    "qualifiers",
    "masked",
}


def one(text):
    qs = quantities(text)
    assert len(qs) == 1, qs
    q = qs[0]
    assert set(q) == FIELDS
    assert text[q["start"] : q["end"]] == q["text"]
    return q


@pytest.mark.parametrize(
    "text,value,unit,scale,value_base,bound",
    [
        ("达到100亿元以上", 100, "CNY", 1e8, 1e10, "ge"),
        ("利用外资3500万美元", 3500, "USD", 1e4, 3.5e7, "point"),
        ("增长10%", 10, "percent", 1, 10, "point"),
        ("提高2个百分点", 2, "percentage_point", 1, 2, "point"),
        ("增长1.5倍", 1.5, "times", 1, 1.5, "point"),
        ("吞吐量11160万吨", 11160, "t", 1e4, 1.116e8, "point"),
        ("造林680亩", 680, "mu", 1, 680, "point"),
        ("新增企业2家", 2, "count", 1, 2, "point"),
        ("培训3000人次", 3000, "person", 1, 3000, "point"),
        ("惠及200户", 200, "household", 1, 200, "point"),
        ("30天内", 30, "day", 1, 30, "le"),
        ("百分之六十二", 62, "percent", 1, 62, "point"),
        ("５０％", 50, "percent", 1, 50, "point"),
        ("两个", 2, "count", 1, 2, "point"),
        ("1,100万元", 1100, "CNY", 1e4, 1.1e7, "point"),
        ("3.5万吨", 3.5, "t", 1e4, 35000, "point"),
        ("10%左右", 10, "percent", 1, 10, "approx"),
        ("约5亿元", 5, "CNY", 1e8, 5e8, "approx"),
        ("不少于30亿元", 30, "CNY", 1e8, 3e9, "ge"),
        ("不低于90%", 90, "percent", 1, 90, "ge"),
        ("至少3个", 3, "count", 1, 3, "ge"),
        ("高于97.5%", 97.5, "percent", 1, 97.5, "gt"),
        ("超过1000人", 1000, "person", 1, 1000, "gt"),
        ("5%以下", 5, "percent", 1, 5, "le"),
        ("不超过3%", 3, "percent", 1, 3, "le"),
        ("控制在5%以内", 5, "percent", 1, 5, "le"),
        ("低于4.5%", 4.5, "percent", 1, 4.5, "lt"),
        ("30多家", 30, "count", 1, 30, "gt"),
        ("近10万元", 10, "CNY", 1e4, 1e5, "le"),
        ("七成", 7, "percent", 10, 70, "point"),
        ("6亿单位以上", 6, "count", 1e8, 6e8, "ge"),
        ("110千伏", 110, "kV", 1, 110, "point"),
        ("500万千瓦时", 500, "kWh", 1e4, 5e6, "point"),
    ],
)
def test_quantity_table(text, value, unit, scale, value_base, bound):
    q = [q for q in quantities(text)][-1]
    assert q["value"] == pytest.approx(value)
    assert q["unit"] == unit
    assert q["scale"] == pytest.approx(scale)
    assert q["value_base"] == pytest.approx(value_base)
    assert q["bound"] == bound


def test_unit_raw_keeps_scale_and_classifier():
    assert one("100亿元")["unit_raw"] == "亿元"
    assert one("11160万吨")["unit_raw"] == "万吨"
    assert one("2家")["unit_raw"] == "家"
    assert one("6亿单位以上")["unit_raw"] == "亿单位"
    assert one("3000人次")["unit_raw"] == "人次"


def test_span_includes_bound_words():
    assert one("固定资产投资额达到100亿元以上")["text"] == "100亿元以上"
    assert one("实际到位市外资金不少于30亿元")["text"] == "不少于30亿元"
    assert one("增长10%左右")["text"] == "10%左右"


def test_qualifiers():
    q = one("力争达到100亿元以上")
    assert "以上" in q["qualifiers"] and any(w.startswith("力争") for w in q["qualifiers"])
    assert one("确保达到100%")["qualifiers"][0] in ("确保达到", "确保", "达到")


def test_ranges():
    q = one("增长6%-6.5%")
    assert (q["bound"], q["low"], q["high"], q["value"], q["unit"]) == (
        "range",
        6,
        6.5,
        None,
        "percent",
    )
    q = one("十几个")
    assert (q["bound"], q["low"], q["high"]) == ("range", 11, 19)
    q = one("1万-5万元")
    assert (q["low"] * q["scale"], q["high"] * q["scale"]) == (1e4, 5e4)
    q = one("两到三万港元")
    assert (q["low"] * q["scale"], q["high"] * q["scale"], q["unit"]) == (2e4, 3e4, "HKD")


def test_shares_in_words():
    assert one("一半")["value_base"] == 50
    assert one("七成")["value_base"] == 70
    assert one("三分之一")["value_base"] == pytest.approx(100 / 3)


def test_masked():
    q = one("完成****万元")
    assert q["masked"] and q["value"] is None and q["value_base"] is None
    assert (q["unit"], q["unit_raw"], q["scale"]) == ("CNY", "万元", 1e4)
    q = one("增加值x.x亿元")
    assert q["masked"] and q["unit"] == "CNY" and q["scale"] == 1e8
    q = one("同比增长xx.x%")
    assert q["masked"] and q["unit"] == "percent"
    assert quantities("xx县xxx项目XX国家公园") == []


@pytest.mark.parametrize(
    "text",
    [
        "2025年",
        "1-6月",
        "2021-2025年",
        "第三轮",
        "居全市第三",
        "推动“两重”“两新”工作",
        "“8+4”产业体系",
        "“1245+4431”统筹推进机制",
        "三大攻坚清单",
        "落实“三个一批”",
        "浙政发〔2023〕5号",
        "一是加强领导",
        "进一步加强",
        "5月20日",
        "二季度",
        "十四五规划",
        "一体推进",
    ],
)
def test_not_quantities(text):
    assert quantities(text) == []


def test_offsets_relative_to_input_with_fullwidth():
    text = "增长（ＧＤＰ）５％，投资１，２００万元"
    for q in quantities(text):
        assert text[q["start"] : q["end"]] == q["text"]


@pytest.mark.parametrize("text", ["7月9日至17日，县委督查办", "3月1日—5日开展", "五月十日至二十日"])
def test_the_end_of_a_range_of_dates_is_no_quantity(text):
    assert quantities(text) == []


def test_days_that_are_not_dates_stay():
    assert [q["text"] for q in quantities("3月1日至5日，为期5日")] == ["5日"]


def test_middle_dot_as_decimal_point():
    """The 1999 work report writes 19·5％; a dated event name (“12·21”事故) is no number 12.21."""
    text = "投资增长14·1％，是上年的1·5倍。"
    found = [(q["text"], q["value"], q["unit"]) for q in quantities(text)]
    assert found == [("14·1％", 14.1, "percent"), ("1·5倍", 1.5, "times")]
    assert all(q["value"] != 12.21 for q in quantities("广东连州市“12·21”特大道路交通事故"))


# ---------------------------------------------------------------- the 15 hard cases
# (research/targets-background.md §6), quantity layer
def vals(text):
    return [(q["value_base"], q["unit"], q["bound"]) for q in quantities(text)]


def test_case01_several_targets_and_fenbie():
    t = (
        "地区生产总值(GDP)增长10%左右,固定资产投资额达到100亿元以上,城乡常住居民人均可支配收入分"
        "别增长8%、8.5%。"
    )
    assert vals(t) == [
        (10, "percent", "approx"),
        (1e10, "CNY", "ge"),
        (8, "percent", "point"),
        (8.5, "percent", "point"),
    ]


def test_case02_unit_danwei():
    assert vals("放流海蜇、大黄鱼、曼氏无针乌贼等物种6亿单位以上。") == [(6e8, "count", "ge")]


def test_case03_increment_count():
    assert vals("推进工业高质量发展,新增规上工业企业2家。") == [(2, "count", "point")]


def test_case04_subset_threshold_usd_buzhaoyu():
    t = (
        "全年招引落地重点产业项目10个以上、其中亿元以上项目6个,实际利用外资3500万美元,实际到位市"
        "外资金不少于30亿元。"
    )
    assert vals(t) == [
        (10, "count", "ge"),
        (6, "count", "point"),
        (3.5e7, "USD", "point"),
        (3e9, "CNY", "ge"),
    ]


def test_case05_heading():
    assert vals("1.港口货物吞吐量。实现11160万吨。") == [(1.116e8, "t", "point")]
    assert vals("2.规上工业增加值。增长12%。") == [(12, "percent", "point")]


def test_case06_jiyishang_in_name():
    assert vals("实现全县主题民宿及以上占比40%以上。") == [(40, "percent", "ge")]


def test_case07_strict_bound():
    t = "确保地表水优良水质断面比例达到100%,空气质量优良天数比率高于97.5%。"
    assert vals(t) == [(100, "percent", "point"), (97.5, "percent", "gt")]


def test_case08_threshold_population_quantities():
    # quantities reports both numbers; extract_targets keeps one record (tests/test_targets.py)
    assert vals("确保65%以上行政村年经营性收入达到50万元。")[0] == (65, "percent", "ge")


def test_case09_reduction():
    assert vals("日常公用支出压减5%,一般性项目支出压减10%,原则上各单位财政供养人员只减不增") == [
        (5, "percent", "point"),
        (10, "percent", "point"),
    ]


def test_case10_liang_and_slogans():
    assert vals("实施基湖沙滩、南长涂沙滩两个省级运动休闲旅游示范基地改造提升。") == [
        (2, "count", "point")
    ]
    assert vals("推进全县登记在册渔船两轮全覆盖隐患排查,加快10人及以上渔船船东全覆盖培训演练") == [
        (2, "count", "point"),
        (10, "person", "ge"),
    ]
    assert vals("推动“两重”“两新”工作走深走实") == []


def test_case11_masked_stars():
    t = (
        "截止5月底,全县财政总收入完成****万元。…非税收入完成****万元,增长**%。…1-6月财政总收入预"
        "计达到****万元,增长*%。"
    )
    qs = quantities(t)
    assert [(q["masked"], q["unit"], q["value"]) for q in qs] == [
        (True, "CNY", None),
        (True, "CNY", None),
        (True, "percent", None),
        (True, "CNY", None),
        (True, "percent", None),
    ]


def test_case12_masked_x_and_rank():
    t = "截至x月,数字经济核心产业增加值x.x亿元,同比增长xx.x%,居全市第三。"
    assert [(q["text"], q["unit"]) for q in quantities(t)] == [
        ("x.x亿元", "CNY"),
        ("xx.x%", "percent"),
    ]
    assert [(q["text"], q["unit"]) for q in quantities("x天实现“社会面清零”")] == [("x天", "day")]


def test_case13_outcomes_with_fenbie():
    t = "截至9月底,全县生产安全事故发生6起、死亡6人,同比分别下降45.5%、50%。"
    assert vals(t) == [
        (6, "count", "point"),
        (6, "person", "point"),
        (45.5, "percent", "point"),
        (50, "percent", "point"),
    ]


def test_case14_year_stamped():
    assert vals("2024年增速指标在13%以上。") == [(13, "percent", "ge")]


def test_case15_portfolio():
    t = (
        "全县193个重点建设项目,总投资404.72亿元,年度计划完成投资118.69亿元。1-5月份,全县新开工项目42个,"
        "新入库项目23个;5月份当月重点项目完成投资11.74亿元,1-5月份重点项目累计完成投资42.03亿元。"
    )
    assert [v for v, _, _ in vals(t)] == pytest.approx(
        [193, 4.0472e10, 1.1869e10, 42, 23, 1.174e9, 4.203e9]
    )


def test_negative_controls_6_1():
    assert vals("面向0—6岁婴幼儿") == [(None, "year", "range")]
    assert vals("对村级道路每月进行不少于一次督查") == [(1, "count", "ge")]
    assert vals("出让土地4宗263亩") == [(4, "count", "point"), (263, "mu", "point")]
    assert vals("督促医疗机构药品入库后30天内回款") == [(30, "day", "le")]
    assert vals("新增国土绿化造林680亩、实施森林质量精准提升工程2500亩") == [
        (680, "mu", "point"),
        (2500, "mu", "point"),
    ]


@pytest.mark.parametrize(
    "module",
    [
        "govnlp.numbers.parse",
        "govnlp.numbers.find",
        "govnlp.numbers.quantities",
        "govnlp.targets.extract",
    ],
)
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


# --- fixes found with benchmarks/eval_targets.py (one direct test per rule) ---


def test_more_than_filler_after_big_unit():
    # 10万余株 / 3万多: 余/多 after 万 mean "more than" (bound gt, scale kept in unit_raw)
    (q,) = quantities("栽植大树大苗10万余株")
    assert (q["text"], q["value"], q["scale"], q["value_base"], q["bound"], q["unit_raw"]) == (
        "10万余株",
        10.0,
        1e4,
        1e5,
        "gt",
        "万株",
    )
    assert [d["value"] for d in find_numbers("一万多元")] == [10000.0]


def test_population_nouns_are_person_units():
    got = [
        (q["text"], q["value_base"], q["unit"], q["bound"])
        for q in quantities("使近8万市民、3万多居民受益")
    ]
    assert got == [("近8万市民", 80000.0, "person", "le"), ("3万多居民", 30000.0, "person", "gt")]


def test_kuai_before_a_noun_is_a_classifier():
    assert vals("完成14块绿地布景造园") == [(14, "count", "point")]
    assert vals("花了14块。") == [(14, "CNY", "point")]
    assert vals("十块三毛") == [(10.3, "CNY", "point")]


def test_hanzi_year_spans_are_periods():
    assert quantities("五年来，我们坚持；今后五年，要；实施三年行动计划；长江十年禁渔") == []
    assert vals("三年以上") == [(3, "year", "ge")]  # with a bound it is still a quantity


def test_session_ordinals_after_jie_and_qian():
    assert quantities("区委十四届九次全委会，市农合联二届六次理事会，推进省级前七批未来社区") == []


def test_bare_qian_bai_wan_are_not_numerals():
    assert quantities("对芙蓉、千家排水库隔离防护网，打造千人千面的掌上应用") == []
    assert vals("一千人") == [(1000, "person", "point")]


def test_article_yi_and_discourse_counts():
    assert quantities("培育一支结构合理的队伍，站在了一个新的历史起点") == []
    assert quantities("要突出抓好以下八个方面的工作，坚持三项原则") == []
    assert vals("每月进行不少于一次督查") == [(1, "count", "ge")]


def test_rated_capacity_in_facility_names():
    assert (
        quantities("加快大唐700万吨露天矿、马迹山港2000万吨混矿项目、大衢—嵊泗110千伏线路工程")
        == []
    )
    assert quantities("完成日处理3万吨水厂改扩建，冀东物贸集团年产3000辆专用车项目开工") == []
    assert quantities("谋划城区24班规模小学，建设万吨级泊位") == []
    # measured levels keep their tonnes
    assert vals("煤炭产量达到150万吨。缴获近一吨冰毒，为史上最大") == [
        (1.5e6, "t", "point"),
        (1, "t", "le"),
    ]


def test_anniversary_is_not_a_duration():
    assert quantities("举办缔结友好城市20周年纪念活动") == []


def test_fu_in_a_word_is_no_minus_sign():
    assert [(q["text"], q["value"]) for q in quantities("降低企业税负5700多亿元")] == [
        ("5700多亿元", 5700.0)
    ]
    assert [q["value"] for q in quantities("减负10%")] == [10.0]
    assert [q["value"] for q in quantities("增长负2%")] == [-2.0]


@pytest.mark.parametrize(
    "text, written, unit, value_base, bound",
    [
        ("解决6000万农村人口的饮水安全问题", "6000万农村人口", "person", 6e7, "point"),
        ("完成1000万以上农村贫困人口脱贫任务", "1000万以上农村贫困人口", "person", 1e7, "ge"),
        ("减少农村贫困人口1000万以上", "1000万以上", "person", 1e7, "ge"),
        ("新增城镇就业1100万以上", "1100万以上", "person", 1.1e7, "ge"),
        ("完成固定资产投资50亿", "50亿", "CNY", 5e9, "point"),
        ("实现地区生产总值达到100.5亿", "100.5亿", "CNY", 1.005e10, "point"),
    ],
)
def test_a_wan_yi_numeral_without_a_unit_takes_it_from_its_noun(
    text, written, unit, value_base, bound
):
    [q] = quantities(text)
    assert (q["text"], q["unit"], q["value_base"], q["bound"]) == (written, unit, value_base, bound)


def test_a_bare_numeral_without_such_a_noun_stays_no_quantity():
    assert quantities("建设1000万工程") == []
    assert quantities("列入500强企业") == []
    assert quantities("完成50亿") == []


def test_an_arabic_fraction_measures_a_change_only_where_it_is_one():
    got = [(q["text"], round(q["value_base"], 2), q["bound"]) for q in quantities("减少1/3以上")]
    assert got == [("1/3以上", 33.33, "ge")]
    assert [q["text"] for q in quantities("占1/4")] == ["1/4"]
    assert quantities("2019/3/4") == [] and quantities("3/4的村") == [] and quantities("1/2") == []


def test_pupils_after_a_magnitude_count_persons():
    """1.5 亿中小学生 (a space before 亿, the pupils named in full) is one count of persons."""
    [q] = quantities("惠及农村1.5 亿中小学生。")
    assert (q["text"], q["unit"], q["value_base"]) == ("1.5 亿中小学生", "person", 1.5e8)
    [q] = quantities("资助300万小学生")
    assert q["unit"] == "person"


def test_numerals_inside_political_set_phrases_are_not_quantities():
    from govnlp.numbers.quantities import quantities

    got = [
        q["text"]
        for q in quantities("坚持四项基本原则，建成4个中心，坚持两个基本点，新建两个文化站。")
    ]
    assert got == ["4个", "两个"]


def test_a_scaled_numeral_after_a_ceiling_verb_takes_the_persons_of_its_noun():
    from govnlp.numbers.quantities import quantities

    got = [(q["text"], q["unit"]) for q in quantities("人口控制在13亿以内，裁减军队员额五十万。")]
    assert got == [("13亿以内", "person"), ("五十万", "person")]
