"""govnlp.targets.extract_targets on the hard cases of research/targets-background.md."""

import pytest

from govnlp.targets import extract_targets


def recs(text, **kw):
    out = extract_targets(text, **kw)
    for r in out:
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["kind"] in ("target", "outcome", "forecast")
        assert r["measure"] in ("level", "growth_rate", "share", "count", "increment", "reduction")
    return out


def test_case01_indicators_and_fenbie():
    r = recs(
        "地区生产总值(GDP)增长10%左右,固定资产投资额达到100亿元以上,城乡常住居民人均可支配收入分别增长8%、8.5%。"
    )
    assert [(x["indicator"], x["measure"], x["value"], x["bound"]) for x in r] == [
        ("地区生产总值(GDP)", "growth_rate", 10, "approx"),
        ("固定资产投资额", "level", 100, "ge"),
        ("城乡常住居民人均可支配收入", "growth_rate", 8, "point"),
        ("城乡常住居民人均可支配收入", "growth_rate", 8.5, "point"),
    ]
    assert all(x["kind"] == "target" for x in r)


def test_case03_increment():
    (r,) = recs("推进工业高质量发展,新增规上工业企业2家。")
    assert (r["indicator"], r["measure"], r["value"], r["unit_raw"]) == (
        "规上工业企业",
        "increment",
        2,
        "家",
    )


def test_case04_threshold_inside_indicator():
    r = recs(
        "全年招引落地重点产业项目10个以上、其中亿元以上项目6个,实际利用外资3500万美元,实际到位市外资金不少于30亿元。"
    )
    assert [(x["indicator"], x["value"], x["bound"]) for x in r] == [
        ("招引落地重点产业项目", 10, "ge"),
        ("亿元以上项目", 6, "point"),
        ("实际利用外资", 3500, "point"),
        ("实际到位市外资金", 30, "ge"),
    ]


def test_case05_heading_sentence():
    (r,) = recs("港口货物吞吐量。实现11160万吨。")
    assert (r["indicator"], r["value_base"], r["unit"], r["kind"]) == (
        "港口货物吞吐量",
        1.116e8,
        "t",
        "target",
    )
    (r,) = recs("增长12%。", heading="规上工业增加值")
    assert (r["indicator"], r["measure"]) == ("规上工业增加值", "growth_rate")


def test_case07_commitment_scopes_over_conjuncts():
    r = recs("确保地表水优良水质断面比例达到100%,空气质量优良天数比率高于97.5%。")
    assert [(x["indicator"], x["measure"], x["bound"]) for x in r] == [
        ("地表水优良水质断面比例", "share", "point"),
        ("空气质量优良天数比率", "share", "gt"),
    ]
    assert all("确保" in x["qualifiers"] for x in r)


def test_case08_threshold_population_is_one_record():
    (r,) = recs("确保65%以上行政村年经营性收入达到50万元。")
    assert (r["value"], r["unit"], r["bound"]) == (65, "percent", "ge")
    assert "行政村" in r["indicator"]


def test_case09_reduction():
    r = recs("日常公用支出压减5%,一般性项目支出压减10%")
    assert [(x["indicator"], x["measure"], x["value"]) for x in r] == [
        ("日常公用支出", "reduction", 5),
        ("一般性项目支出", "reduction", 10),
    ]


def test_a_rate_brought_down_or_up_to_a_figure_is_its_level_not_a_change():
    """下降到1.5% names the level the rate is to reach (a reduction is 下降1.5%); in
    从2009年的2.8%降到去年的1.5% both figures measure one thing."""
    r = recs("赤字率下降到1.5％左右，城镇化率提高到60%，能耗下降4%")
    assert [(x["indicator"], x["measure"]) for x in r] == [
        ("赤字率", "share"),
        ("城镇化率", "share"),
        ("能耗", "reduction"),
    ]
    r = recs("财政赤字占国内生产总值的比重从2009年的2.8%降到去年的1.5%左右")
    assert [x["indicator"] for x in r] == ["财政赤字占国内生产总值的比重"] * 2


def test_plan_verbs_comparisons_and_chinese_years_are_no_part_of_an_indicator():
    """The 1958 plan: 钢产量拟定为…，将比一九五七年增长…; 一九五八年的…总投资额，拟定为…"""
    r = recs("钢产量拟定为六百二十四万八千吨，将比一九五七年增长百分之十九点二。")
    assert [(x["indicator"], x["measure"]) for x in r] == [
        ("钢产量", "level"),
        ("钢产量", "growth_rate"),
    ]
    r = recs("一九五八年的基本建设总投资额，拟定为一百四十五亿元。棉花的指标为三千五百万担")
    assert [x["indicator"] for x in r] == ["基本建设总投资额", "棉花"]


def test_threshold_before_count():
    (r,) = recs("培育产值4亿以上企业1家")
    assert (r["value"], r["bound"], r["unit_raw"]) == (1, "point", "家")


def test_case11_kinds_masked():
    r = recs("截止5月底,全县财政总收入完成****万元。1-6月财政总收入预计达到****万元,增长*%。")
    assert [x["kind"] for x in r] == ["outcome", "forecast", "forecast"]
    assert all(x["masked"] and x["value"] is None for x in r)


def test_case13_fenbie_outcomes():
    r = recs("截至9月底,全县生产安全事故发生6起、死亡6人,同比分别下降45.5%、50%。")
    assert [x["kind"] for x in r] == ["outcome"] * 4
    assert [x["measure"] for x in r] == ["count", "count", "reduction", "reduction"]
    assert r[2]["indicator"] == r[0]["indicator"] and r[3]["indicator"] == r[1]["indicator"]


def test_summary_turns_shixian_into_outcome():
    text = "实现地区生产总值增长6.5%。"
    assert recs(text)[0]["kind"] == "target"
    assert recs(text, doc_kind="summary")[0]["kind"] == "outcome"


def test_forecast_and_slogans():
    r = recs("预计:上半年,地区生产总值增长6%,固定资产投资增长17%")
    assert [(x["kind"], x["indicator"], x["value"]) for x in r] == [
        ("forecast", "地区生产总值", 6),
        ("forecast", "固定资产投资", 17),
    ]
    assert recs("推动“两重”“两新”工作走深走实,发挥“1245+4431”机制作用") == []


def test_an_estimate_is_a_forecast():
    """估计 and 估算 estimate, as 预计 does (the 1979 report: 收入估计将增加一百三十亿元左右)."""
    r = recs("农民的收入估计将增加一百三十亿元左右，粮食产量估算为六千亿斤")
    assert [x["kind"] for x in r] == ["forecast", "forecast"]


def test_bad_doc_kind():
    with pytest.raises(ValueError):
        extract_targets("增长5%", doc_kind="minutes")


# --- fixes found with benchmarks/eval_targets.py (one direct test per rule) ---


def test_expected_targets_list_is_target_in_every_clause():
    # 预期目标 is a target, not a forecast, and its colon governs all clauses even with 同比
    r = recs(
        "2012年全区经济社会发展的预期目标是：地区生产总值达到240亿元，同比增长21%；"
        "地方财政总收入达到20亿元，同比增长24.6%。"
    )
    assert [(x["value"], x["kind"]) for x in r] == [
        (240, "target"),
        (21, "target"),
        (20, "target"),
        (24.6, "target"),
    ]
    # a plain 预计 stays a forecast
    assert [x["kind"] for x in recs("预计全年旅游接待人数达到700万人次")] == ["forecast"]


def test_completed_figures_inside_a_plan_are_outcomes():
    assert [x["kind"] for x in recs("1-5月份,全县新开工项目42个")] == ["outcome"]
    assert [x["kind"] for x in recs("五年来，共完成投资6.2亿元")] == ["outcome"]
    assert [x["kind"] for x in recs("加快现有20个项目进度,力争投资完成率达40%以上")] == [
        "outcome",
        "target",
    ]
    assert [x["kind"] for x in recs("截至目前已完成投资3亿元，力争全年完成投资5亿元")] == [
        "outcome",
        "target",
    ]


def test_annual_plan_figure_in_a_summary_is_a_target():
    r = recs("全县193个重点建设项目,年度计划完成投资118.69亿元。", doc_kind="summary")
    assert [(x["value"], x["kind"]) for x in r] == [(193, "outcome"), (118.69, "target")]


def test_subset_sentence_keeps_the_kind_before_it():
    r = recs("截止5月底,全县财政总收入完成****万元。其中:税收收入完成****万元,增长**%。")
    assert [x["kind"] for x in r] == ["outcome", "outcome", "outcome"]
    r = recs("截至9月底,全县生产安全事故发生6起。其中,工贸领域4起,死亡4人。")
    assert [x["kind"] for x in r] == ["outcome"] * 3


def test_value_followed_by_a_verb_is_not_a_threshold():
    r = recs("地区生产总值由2010年的162.4亿元增加到2015年的287.9亿元")
    assert [x["value"] for x in r] == [162.4, 287.9]
    r = recs("投资1.29亿元完成了17条道路的改扩建")
    assert [(x["value"], x["unit"]) for x in r] == [(1.29, "CNY"), (17, "count")]
    # the attributive threshold is still dropped
    assert [x["value"] for x in recs("培育建筑业产值4亿以上企业1家")] == [1]


def test_population_threshold_without_a_counted_value():
    assert recs("加快10人及以上渔船船东全覆盖培训演练") == []
    assert recs("加快推进20年以上小区的既有建筑节能改造") == []
    assert recs("面向0—6岁婴幼儿和适龄婚育妇女") == []
    # counts, shares, time limits and population-noun quantities are kept
    assert [x["value"] for x in recs("年内实现5家以上企业入驻")] == [5]
    assert [x["value"] for x in recs("督促医疗机构药品入库后30天内回款")] == [30]
    assert [x["value"] for x in recs("使近8万市民直接受益")] == [8]


def test_clause_start_is_just_after_the_last_separator():
    # the rfind version must give what the character-by-character scan back gives
    import random

    from govnlp.targets.extract import _c, _clause_start, _Targets

    def reference(text, i, seps):
        k = i
        while k > 0 and text[k - 1] not in seps:
            k -= 1
        return k

    rng = random.Random(3)
    c = _c()
    for _ in range(500):
        text = "".join(rng.choice("增长10%，。\n；:！a左右") for _ in range(rng.randint(0, 30)))
        i = rng.randint(0, len(text))
        targets = _Targets(text, [], set(), None, "plan")
        for seps in (c.clause_sep, c.sent_sep, c.hard_sep, frozenset({"。", "；;"}), frozenset()):
            assert _clause_start(text, i, seps) == reference(text, i, seps)
            assert targets.clause_start(i, seps) == reference(text, i, seps)


def test_the_level_a_change_starts_from_is_an_outcome():
    recs = extract_targets("城乡居民医保财政补助由每人每年420元提高到450元。")
    assert [(r["text"], r["kind"]) for r in recs] == [("420元", "outcome"), ("450元", "target")]
    # without 由/从 the first figure is no starting level
    recs = extract_targets("补助标准提高到450元,覆盖率提高到95%。")
    assert [r["kind"] for r in recs] == ["target", "target"]


def test_numbers_split_by_zero_width_cuts_are_read_at_their_written_place():
    text = "国内生产总值达到74.4\n\u200b\n万亿元，增长6.7%。"
    recs = extract_targets(text)
    assert [(r["text"], r["value_base"], r["indicator"]) for r in recs] == [
        ("74.4\n\u200b\n万亿元", 74.4e12, "国内生产总值"),
        ("6.7%", 6.7, "国内生产总值"),
    ]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in recs)
    # a blank line is no cut: the two lines stay apart
    assert [r["text"] for r in extract_targets("投资74.4\n\n\u200b\n\n万亿元")] == []


def test_a_sentence_opening_with_the_past_year_reports_outcomes():
    recs = extract_targets("过去的一年，全县地区生产总值完成125.6亿元，增长7.8%。")
    assert [r["kind"] for r in recs] == ["outcome", "outcome"]
    recs = extract_targets("今年全县地区生产总值增长7.5%左右。")
    assert [r["kind"] for r in recs] == ["target"]


def test_a_change_after_a_planned_level_is_planned_too():
    """比上年减少20亿元 after a planned level is that level's change: a target, not an outcome."""
    recs = extract_targets("今年拟发行县债60亿元，比上年减少20亿元。")
    assert [(r["kind"], r["indicator"]) for r in recs] == [
        ("target", "今年拟发行县债"),
        ("target", "今年拟发行县债"),
    ]
    recs = extract_targets("截至去年底县债余额60亿元，比上年减少20亿元。")
    assert [r["kind"] for r in recs] == ["outcome", "outcome"]


def test_a_comparison_names_no_indicator():
    """比上年增长9% measures what the figure before it measures, not 比上."""
    recs = extract_targets("今年县财政安排教育投入6亿元，比上年增长9%。")
    assert recs[1]["indicator"] == recs[0]["indicator"] != "比上"


def test_the_end_of_a_change_measures_what_its_start_measures():
    recs = extract_targets("助学投入从2016年的8亿元增加到2019年的30亿元。")
    assert [r["indicator"] for r in recs] == ["助学投入", "助学投入"]


def test_an_expected_growth_in_a_plan_is_a_target():
    """预期增长13%左右 sets an expected (anticipatory) target, it forecasts nothing."""
    [rec] = extract_targets("广义货币供应量预期增长12%左右。")
    assert rec["kind"] == "target"
    [rec] = extract_targets("预计全年粮食产量增长2%。")
    assert rec["kind"] == "forecast"


def test_a_comparison_earlier_in_a_plan_sentence_makes_no_outcome():
    """比上年提高1个百分点 in an earlier clause compares the planned rate: the planned sum after it
    stays a target, and 比上年 is no part of an indicator."""
    recs = extract_targets("县赤字率拟按3%安排、比上年提高1个百分点，赤字规模6亿元。")
    assert [r["kind"] for r in recs] == ["target", "target", "target"]
    [rec, _] = extract_targets("全县粮食产量比上年增长8%，达到10万吨。")
    assert rec["indicator"] == "全县粮食产量"


def test_the_nearest_clause_that_plans_this_year_makes_a_target():
    text = "去年已经对其中近300户提供资金支持，今年要扩大到511户。"
    kinds = {text[r["start"] : r["end"]]: r["kind"] for r in extract_targets(text)}
    assert kinds == {"近300户": "outcome", "511户": "target"}
    # 预期为 in a work report sets the year's guiding target; 预计 stays a forecast
    assert [r["kind"] for r in extract_targets("今年的经济增长预期为7%左右。")] == ["target"]
    assert [r["kind"] for r in extract_targets("预计全年增长7%左右。")] == ["forecast"]


def test_an_estimate_named_as_the_base_of_a_plan_makes_no_forecast():
    text = "工农业总产值，比1980年预计增长5.5%；轻工业比重由今年预计的44%提高到45%。"
    kinds = {text[r["start"] : r["end"]]: r["kind"] for r in extract_targets(text)}
    assert kinds == {"5.5%": "target", "44%": "outcome", "45%": "target"}
    quarter = "与去年同期相比，工业总产值第一季度下降0.2%。"
    assert [r["kind"] for r in extract_targets(quarter)] == ["outcome"]


def test_digits_a_pdf_wrote_spaced_are_read_as_one_number_at_their_place():
    text = "去年经济增长8 ．8 ％，固定资产投资预定增长1 0 ％，完成12 15个。"
    got = [(text[r["start"] : r["end"]], r["value"]) for r in extract_targets(text)]
    assert got[:2] == [("8 ．8 ％", 8.8), ("1 0 ％", 10.0)]
    # digits that do not stand alone are a table's gap, never joined
    assert ("12 15个", 1215.0) not in got
    # a growth rate named in the indicator is a growth rate, not a share
    [rate] = extract_targets("经济增长速度的调控目标定为8%。")
    assert rate["measure"] == "growth_rate"
