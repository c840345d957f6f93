"""Targets paired with outcomes: verdict rules, indicator names, periods, linking, the command."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govnlp.outcomes import IndicatorTable, judge, link_outcomes
from govnlp.outcomes.indicators import clean_indicator
from govnlp.outcomes.periods import clause_year, document_year, is_multi_year

ROOT = Path(__file__).resolve().parents[1]
GOVNLP = (
    [str(ROOT / ".venv" / "bin" / "govnlp")]
    if (ROOT / ".venv" / "bin" / "govnlp").exists()
    else [sys.executable, "-m", "govnlp.cli"]
)
HAILAR = "corpus/raw/derek-s__Python-GovWorkReportAnalyze/reportData"


def growth(value, bound="point", **extra):
    return {"measure": "growth_rate", "value": value, "bound": bound, "unit": "percent", **extra}


def level(value, unit="CNY", bound="point", **extra):
    return {
        "measure": "level",
        "value": value,
        "value_base": value,
        "bound": bound,
        "unit": unit,
        **extra,
    }


# --- verdicts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target, outcome, direction, verdict",
    [
        (growth(7, "approx"), growth(6.8), "up", "met"),  # 左右: within 5 %
        (growth(7, "approx"), growth(6.2), "up", "partly"),  # within 15 %
        (growth(7, "approx"), growth(5.0), "up", "not_met"),
        (growth(10, "ge"), growth(10.0), "up", "met"),  # 以上: the floor itself meets it
        (growth(10, "ge"), growth(9.2), "up", "partly"),
        (growth(10, "ge"), growth(8.5), "up", "not_met"),
        (level(100e8, bound="ge"), level(90.7e8), "up", "partly"),
        (level(100e8, bound="ge"), level(80e8), "up", "not_met"),
        (growth(3, "approx"), growth(2.1), "down", "met"),  # CPI: a ceiling
        (growth(3, "approx"), growth(3.4), "down", "partly"),
        (growth(3, "approx"), growth(4.0), "down", "not_met"),
        (growth(4, "le"), growth(3.79), "up", "met"),  # 控制在4%以内
        (growth(4, "le"), growth(4.6), "up", "not_met"),
    ],
)
def test_verdict_rules(target, outcome, direction, verdict):
    assert judge(target, outcome, direction) == verdict


def test_range_target_is_met_from_its_low_end():
    target = {
        "measure": "growth_rate",
        "value": None,
        "low": 7,
        "high": 7.5,
        "bound": "range",
        "unit": "percent",
    }
    assert judge(target, growth(7.1)) == "met"
    assert judge(target, growth(6.5)) == "partly"
    assert judge(target, growth(5.0)) == "not_met"


def test_no_outcome_and_incomparable_units():
    assert judge(growth(7), None) == "no_outcome"
    # a growth target against an outcome in yuan cannot be judged
    assert judge(growth(7), level(5e8)) == "no_outcome"


# --- indicator names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, indicator_id",
    [
        ("全年地区生产总值", "gdp"),
        ("GDP", "gdp"),
        ("生产总值", "gdp"),
        ("规上工业增加值", "industrial_value_added"),
        ("规模以上工业增加值", "industrial_value_added"),
        ("一般公共预算收入", "public_budget_revenue"),
        ("地方财政收入", "public_budget_revenue"),
        ("全社会固定资产投资", "fixed_asset_investment"),
        ("社会消费品零售总额", "retail_sales"),
        ("城镇登记失业率", "registered_unemployment"),
        ("居民消费价格涨幅", "cpi"),
        ("赤字率", "deficit_rate"),
        ("财政赤字占国内生产总值的比重", "deficit_rate"),
    ],
)
def test_indicator_names_are_normalised(raw, indicator_id):
    assert IndicatorTable.default().match(raw).id == indicator_id


def test_indicator_table_is_extended_by_a_user_file(tmp_path):
    extra = tmp_path / "mine.json"
    extra.write_text(
        json.dumps(
            {
                "indicators": [
                    {
                        "id": "forest_cover",
                        "name": "森林覆盖率",
                        "aliases": ["森林覆盖率", "森林覆被率"],
                    }
                ],
                "generic": ["亩数"],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    table = IndicatorTable.load(extra)
    assert table.match("全县森林覆被率").id == "forest_cover"
    assert table.match("地区生产总值").id == "gdp"  # the bundled entries stay
    assert not table.names_specific("亩数") and not table.names_specific("总投资")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"indicators": [{"id": "x"}]}), encoding="utf-8")
    with pytest.raises(ValueError, match="aliases"):
        IndicatorTable.load(bad)


def test_clean_indicator_drops_commitment_and_scope_words():
    assert clean_indicator("力争全区旅游接待人数") == "旅游接待人数"


# --- periods ----------------------------------------------------------------------------------


def test_years_of_documents_and_clauses():
    assert document_year({"doc_id": "a.txt", "text": "政府工作报告\n——2016年3月2日在…"}) == 2016
    assert document_year({"doc_id": "a.txt", "meta": {"date": "2019-02-28"}, "text": ""}) == 2019
    assert clause_year("去年全区地区生产总值", 2019) == 2018
    assert clause_year("2017年，全区实现", 2019) == 2017
    assert is_multi_year("五年新增就业") and is_multi_year("“十二五”期间累计完成")
    assert not is_multi_year("全年新增就业")


# --- linking ----------------------------------------------------------------------------------


def _report(year, quantities, county="甲县"):
    """A record as govnlp tag writes it: a work report of ``year`` with one item per quantity."""
    text = f"政府工作报告\n——{year}年3月1日在甲县人民代表大会上\n"
    items = []
    for n, (kind, indicator, record) in enumerate(quantities):
        line = f"{indicator}{record.get('measure')}{record.get('value')}。\n"
        start = len(text)
        text += line
        items.append(
            {
                "id": f"i{n}",
                "start": start,
                "end": len(text) - 1,
                "path": [],
                "leaf": True,
                "targets": [
                    dict(
                        record,
                        kind=kind,
                        indicator=indicator,
                        start=start + len(indicator),
                        end=len(text) - 2,
                        text=record.get("text", line[len(indicator) : -2]),
                    )
                ],
            }
        )
    return _record(year, text, items, county)


def test_a_target_is_paired_with_next_years_outcome_and_judged():
    records = [
        _report(
            2018,
            [
                ("target", "地区生产总值", growth(7, "approx")),
                ("target", "规上工业增加值", growth(8, "ge")),
            ],
        ),
        _report(
            2019,
            [
                ("outcome", "全区生产总值", growth(6.8)),
                ("outcome", "规模以上工业增加值", growth(6.0)),
            ],
        ),
    ]
    pairs = {p.target.indicator_id: p for p in link_outcomes(records) if p.target.year == 2018}
    assert pairs["gdp"].outcome.doc_id == "2019.txt" and pairs["gdp"].verdict == "met"
    assert pairs["industrial_value_added"].verdict == "not_met"
    assert pairs["gdp"].score == 1.0


def test_no_pair_across_counties_units_or_implausible_values():
    records = [
        _report(
            2018, [("target", "地区生产总值", level(300e8)), ("target", "旅游收入", growth(10))]
        ),
        _report(
            2019,
            [
                ("outcome", "地区生产总值", level(30e8)),  # ten times smaller: another figure
                ("outcome", "旅游收入", level(50e8)),
            ],
        ),  # a level, not a growth rate
        _report(2019, [("outcome", "地区生产总值", growth(6.0))], county="乙县"),
    ]
    pairs = link_outcomes(records)
    assert pairs and all(p.outcome is None and p.verdict == "no_outcome" for p in pairs)


def test_generic_names_never_pair_by_name_alone():
    records = [
        _report(2015, [("target", "总投资", level(3e8))]),
        _report(2016, [("outcome", "总投资", level(3.2e8))]),
    ]
    assert [p.outcome for p in link_outcomes(records) if p.target.year == 2015] == [None]
    records = [
        _report(2015, [("target", "地产蔬菜产量", level(8e7, unit="kg"))]),
        _report(2016, [("outcome", "地产蔬菜产量", level(9.2e7, unit="kg"))]),
    ]
    [pair] = [p for p in link_outcomes(records) if p.target.year == 2015]
    assert pair.outcome is not None and pair.verdict == "met" and 0.55 <= pair.score < 1.0


def test_each_outcome_answers_one_target():
    records = [
        _report(
            2018, [("target", "地区生产总值", growth(7)), ("target", "地区生产总值", growth(7.5))]
        ),
        _report(2019, [("outcome", "地区生产总值", growth(7.2))]),
    ]
    linked = [p for p in link_outcomes(records) if p.outcome is not None]
    assert len(linked) == 1


# --- the command, end to end on two consecutive 海拉尔 work reports -------------------------


def run_cli(capsys, *args):
    """``govnlp ARGS`` in process: (exit status, stdout, stderr)."""
    from govnlp import cli

    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def hailar_records(tmp_path_factory, shared_dir):
    """The records of two reports, tagged by the installed ``govnlp`` program (a real process)."""
    folder = tmp_path_factory.mktemp("hailar")
    for year in (2018, 2019):
        shutil.copy(shared_dir / HAILAR / f"{year}.txt", folder / f"hailar_{year}.txt")
    out = folder / "records.jsonl"
    subprocess.run(
        [*GOVNLP, "tag", str(folder), "-o", str(out), "--region", "海拉尔区"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def test_outcomes_command_end_to_end(hailar_records, tmp_path, capsys):
    table = tmp_path / "outcomes.csv"
    code, out, err = run_cli(capsys, "outcomes", hailar_records, "-o", table)
    assert code == 0, err
    assert "2 documents" in out
    rows = list(csv.DictReader(table.open(encoding="utf-8-sig")))
    gdp = [
        r for r in rows if r["indicator_id"] == "gdp" and r["year"] == "2018" and r["outcome_text"]
    ]
    assert gdp, "the 2018 GDP target is paired with the 2019 report's outcome"
    assert gdp[0]["verdict"] == "met" and gdp[0]["outcome_doc_id"].endswith("hailar_2019.txt")
    assert gdp[0]["target_doc_id"].endswith("hailar_2018.txt")
    text = (hailar_records.parent / "hailar_2019.txt").read_text(encoding="utf-8")
    start, end = int(gdp[0]["outcome_start"]), int(gdp[0]["outcome_end"])
    assert gdp[0]["outcome_text"] == text[start:end]
    # the clause of each figure, as written, beside it
    assert gdp[0]["outcome_text"] in gdp[0]["outcome_context"] in text
    assert all(r["target_text"] in r["target_context"] for r in rows)
    assert {r["verdict"] for r in rows} <= {"met", "partly", "not_met", "no_outcome"}


def test_outcomes_command_parquet_and_bad_arguments(hailar_records, tmp_path, capsys):
    pq = pytest.importorskip("pyarrow.parquet")
    table = tmp_path / "outcomes.parquet"
    assert run_cli(capsys, "outcomes", hailar_records, "-o", table, "--quiet")[0] == 0
    assert pq.read_table(table).num_rows > 10
    code, _, err = run_cli(capsys, "outcomes", hailar_records, "-o", tmp_path / "t.xlsx")
    assert code == 2 and ".csv or .parquet" in err
    code, _, err = run_cli(capsys, "outcomes", tmp_path / "none.jsonl", "-o", table)
    assert code == 2 and "no such records file" in err


def test_report_shows_targets_against_outcomes(hailar_records, tmp_path, capsys):
    report = tmp_path / "report.html"
    code, _, err = run_cli(capsys, "report", "--records", hailar_records, "-o", report)
    assert code == 0, err
    page = report.read_text(encoding="utf-8")
    assert 'id="outcomes"' in page and "地区生产总值" in page[page.index('id="outcomes"') :]
    assert "<svg" in page[page.index('id="outcomes"') :]


def test_report_of_unrelated_documents_has_no_outcomes_section(tmp_path):
    from govnlp.rendering.report import ReportData, _outcomes_section

    assert (
        _outcomes_section(
            ReportData(
                totals=None, records=[_report(2018, [("target", "地区生产总值", growth(7))])]
            )
        )
        == ""
    )
    linked = [
        _report(2018, [("target", "地区生产总值", growth(7, "approx"))]),
        _report(2019, [("outcome", "地区生产总值", growth(6.8))]),
    ]
    assert 'id="outcomes"' in _outcomes_section(ReportData(totals=None, records=linked))


def _count(value, counter):
    return {
        "measure": "count",
        "value": value,
        "value_base": value,
        "bound": "point",
        "unit": "count",
        "text": f"{value}{counter}",
    }


def test_a_count_repeated_exactly_pairs_and_equal_scores_go_to_the_closer_value():
    records = [
        _report(2017, [("target", "燃煤小锅炉淘汰", _count(178, "座"))]),
        _report(2018, [("outcome", "锅炉拆改", _count(178, "座"))]),
    ]
    [pair] = [p for p in link_outcomes(records) if p.target.year == 2017]
    assert pair.outcome is not None and pair.verdict == "met"
    # 5 of something and 5 of another: too small a number to say it is the same thing
    records = [
        _report(2017, [("target", "燃煤小锅炉淘汰", _count(5, "座"))]),
        _report(2018, [("outcome", "公厕", _count(5, "座"))]),
    ]
    assert [p.outcome for p in link_outcomes(records) if p.target.year == 2017] == [None]
    records = [
        _report(
            2017,
            [
                ("target", "老旧小区节能改造", _count(36, "个")),
                ("target", "老旧小区综合改造", _count(45, "个")),
            ],
        ),
        _report(2018, [("outcome", "老旧小区改造", _count(45, "个"))]),
    ]
    linked = {
        p.target.record["value"]: p.outcome for p in link_outcomes(records) if p.target.year == 2017
    }
    assert linked[45] is not None and linked[36] is None


def test_object_synonyms_pair_roads_and_are_extendable(tmp_path):
    records = [
        _report(2012, [("target", "农村公路", level(31.2, unit="km"))]),
        _report(2013, [("outcome", "新建农村道路", level(32, unit="km"))]),
    ]
    [pair] = [p for p in link_outcomes(records) if p.target.year == 2012]
    assert pair.outcome is not None and pair.verdict == "met"
    extra = tmp_path / "mine.json"
    extra.write_text(
        json.dumps({"indicators": [], "object_synonyms": {"公厕": "厕所"}}, ensure_ascii=False),
        encoding="utf-8",
    )
    table = IndicatorTable.load(extra)
    assert (
        table.normalise_object("水冲式公厕") == "水冲式厕所"
        and table.normalise_object("农村公路") == "农村道路"
    )


def _text_report(year, body, quantities, county="甲县"):
    """A work report of ``year`` whose body is ``body``: each quantity is (kind, written text,
    fields) and sits at the first place its text appears after the previous one."""
    head = f"政府工作报告\n——{year}年3月1日在甲县人民代表大会上\n"
    text = head + body
    records = _placed(text, len(head), quantities)
    item = {
        "id": "i0",
        "start": len(head),
        "end": len(text),
        "path": [],
        "leaf": True,
        "targets": records,
    }
    return _record(year, text, [item], county)


def _placed(text, at, quantities):
    """Quantity records (kind, written text, fields), each at the first place its text appears
    in ``text`` from offset ``at`` on, after the previous one."""
    records = []
    for kind, written, fields in quantities:
        start = text.index(written, at)
        at = start + len(written)
        records.append(dict(fields, kind=kind, text=written, start=start, end=at))
    return records


def _record(year, text, items, county):
    """A ``govnlp tag`` record of a county's work report of ``year``."""
    return {
        "doc_id": f"{year}.txt",
        "meta": {"region": {"name": county}},
        "text": text,
        "items": items,
    }


def _counted(value, unit="count", measure="count"):
    return {"measure": measure, "value": value, "value_base": value, "bound": "point", "unit": unit}


def test_counts_in_other_measure_words_pair_only_on_a_close_object():
    target = _text_report(2017, "年内完成335座保暖房装修。", [("target", "335座", _counted(335))])
    outcome = _text_report(
        2018, "建成335户绿色保暖房。", [("outcome", "335户", _counted(335, "household"))]
    )
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.year == 2017]
    assert pair.outcome is not None and pair.verdict == "met"
    # another measure word and another thing: no pair, however equal the number
    outcome = _text_report(2018, "新增就业335人。", [("outcome", "335人", _counted(335, "person"))])
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.year == 2017]
    assert pair.outcome is None
    # two counts of one table indicator compare across 个 and 人
    target = _text_report(
        2014,
        "新增就业岗位5000个。",
        [("target", "5000个", dict(_counted(5000), indicator="新增就业岗位"))],
    )
    outcome = _text_report(
        2015,
        "实现城镇新增就业5487人。",
        [("outcome", "5487人", dict(_counted(5487, "person"), indicator="城镇新增就业"))],
    )
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.year == 2014]
    assert pair.outcome is not None and pair.verdict == "met" and pair.score < 1.0


def test_a_clause_that_names_nothing_takes_its_object_from_the_sentence():
    body = (
        "继续推进民生工程。投资1亿元，启动实施黑羊站水厂改扩建工程。投资1260万元，完成5个村的饮"
        "水安全工程。"
    )
    target = _text_report(
        2015, body, [("target", "1亿元", level(1e8)), ("target", "1260万元", level(1.26e7))]
    )
    outcome = _text_report(
        2016,
        "投资1.15亿元的黑羊站水厂改扩建工程开工建设。",
        [("outcome", "1.15亿元", level(1.15e8))],
    )
    pairs = {
        p.target.record["text"]: p
        for p in link_outcomes([target, outcome])
        if p.target.year == 2015
    }
    assert pairs["1亿元"].outcome is not None and pairs["1亿元"].verdict == "met"
    assert pairs["1260万元"].outcome is None  # 投资 alone names no project
    # two sentences sharing only generic words (投资, 项目, 重点) do not pair
    target = _text_report(
        2013, "年内计划投资64.8亿元，实施重点项目32个。", [("target", "64.8亿元", level(64.8e8))]
    )
    outcome = _text_report(
        2014,
        "全年共实施重点工业项目28个，完成投资33.9亿元。",
        [("outcome", "33.9亿元", level(33.9e8))],
    )
    assert [p.outcome for p in link_outcomes([target, outcome]) if p.target.year == 2013] == [None]


def test_a_target_with_a_later_deadline_is_done_when_a_report_first_says_so():
    from govnlp.outcomes.periods import deadline_year

    assert (
        deadline_year("到2017年底前实现", 2016) == 2017
        and deadline_year("2015年完成", 2016) is None
    )
    target = _text_report(
        2016,
        "到2017年底前实现农村贫困人口96户全部稳定脱贫。",
        [("target", "96户", _counted(96, "household"))],
    )
    early = _text_report(
        2017, "96户实现全部脱贫。", [("outcome", "96户", _counted(96, "household"))]
    )
    late = _text_report(
        2018, "全区96户建档立卡贫困人口全部脱贫。", [("outcome", "96户", _counted(96, "household"))]
    )
    [pair] = [p for p in link_outcomes([target, early, late]) if p.target.kind == "target"]
    assert pair.outcome is not None and pair.outcome.doc_id == "2017.txt"
    assert pair.target.years == range(2016, 2018)


def test_a_review_paragraph_of_several_years_answers_no_single_year_target():
    target = _text_report(2015, "完成29条背街巷道改造。", [("target", "29条", _counted(29))])
    five_years = _text_report(
        2016,
        "一、“十二五”时期和2015年工作回顾\n——民生事业扎实推进。五年来，我们致力推进民生改善。完成101条背街巷道的综合改造。\n",
        [("outcome", "101条", _counted(101))],
    )
    [pair] = [p for p in link_outcomes([target, five_years]) if p.target.year == 2015]
    assert pair.outcome is None
    one_year = _text_report(
        2016,
        "（三）城市建设\n城区面貌明显改善。完成31条背街巷道的综合改造。\n",
        [("outcome", "31条", _counted(31))],
    )
    [pair] = [p for p in link_outcomes([target, one_year]) if p.target.year == 2015]
    assert pair.outcome is not None and pair.verdict == "met"


def test_objects_that_share_only_generic_words_do_not_pair():
    # 重点农牧业项目 and 重点工业项目 share 重点…项目: two things
    target = _text_report(2012, "实施重点农牧业项目33个。", [("target", "33个", _counted(33))])
    outcome = _text_report(2013, "全年实施重点工业项目34个。", [("outcome", "34个", _counted(34))])
    assert [p.outcome for p in link_outcomes([target, outcome]) if p.target.year == 2012] == [None]
    # …and 规模以上企业 (规模 is generic: 企业 is left) is not 企业入驻
    target = _text_report(2016, "年内实现5家以上企业入驻。", [("target", "5家以上", _counted(5))])
    outcome = _text_report(2017, "规模以上企业达到20家。", [("outcome", "20家", _counted(20))])
    assert [p.outcome for p in link_outcomes([target, outcome]) if p.target.year == 2016] == [None]
    # the same specific words still pair
    outcome = _text_report(2013, "新实施重点农牧业项目35个。", [("outcome", "35个", _counted(35))])
    target = _text_report(2012, "实施重点农牧业项目33个。", [("target", "33个", _counted(33))])
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.year == 2012]
    assert pair.outcome is not None and pair.verdict == "met"


def test_a_paragraph_that_opens_with_its_year_is_that_year_under_a_five_year_heading():
    target = _text_report(
        2017,
        "国内生产总值增长6.5%左右。",
        [("target", "6.5%左右", growth(6.5, "approx", indicator="国内生产总值"))],
    )
    review = _text_report(
        2018,
        "一、过去五年工作回顾\n五年来，经济实力跃上新台阶。国内生产总值年均增长7.1%。\n"
        "刚刚过去的2017年，主要目标任务全面完成。国内生产总值增长6.9%。\n",
        [
            ("outcome", "7.1%", growth(7.1, indicator="国内生产总值")),
            ("outcome", "6.9%", growth(6.9, indicator="国内生产总值")),
        ],
    )
    # the review sits under its heading: one item for 一、, the paragraphs below it
    head, body = review["text"].index("一、"), review["text"].index("五年来")
    heading = {"id": "h", "start": head, "end": len(review["text"]), "path": [], "targets": []}
    review["items"][0].update(start=body, path=["h"])
    review["items"].insert(0, heading)
    [pair] = [p for p in link_outcomes([target, review]) if p.target.year == 2017]
    assert (
        pair.outcome is not None and pair.outcome.record["value"] == 6.9 and pair.verdict == "met"
    )


def test_a_share_of_an_indicator_is_not_that_indicator():
    table = IndicatorTable.default()
    assert table.match("服务业增加值占国内生产总值比重") is None
    assert (
        table.match("国内生产总值").id == "gdp" and table.match("能耗强度").id == "energy_intensity"
    )


def test_the_level_a_change_starts_from_reports_no_target():
    """由320元提高到380元 in next year's plan says where the standard starts, not that last
    year's target (提高到320元) was reported met: no pair (the national gold's reading)."""
    subsidy = dict(_counted(320, "CNY", "level"), indicator="医保财政补助标准")
    target = _text_report(2014, "医保财政补助标准提高到320元。", [("target", "320元", subsidy)])
    text = "医保财政补助标准由每人每年320元提高到380元。"
    plan = _text_report(
        2015,
        text,
        [
            ("outcome", "320元", subsidy),
            ("target", "380元", dict(subsidy, value=380, value_base=380)),
        ],
    )
    pairs = link_outcomes([target, plan])
    [first] = [p for p in pairs if p.target.year == 2014]
    assert first.outcome is None
    # the same figure reported as done pairs
    done = _text_report(2015, "医保财政补助标准达到320元。", [("outcome", "320元", subsidy)])
    [first] = [p for p in link_outcomes([target, done]) if p.target.year == 2014]
    assert first.outcome is not None and first.verdict == "met"


def test_a_work_report_never_answers_its_own_targets():
    """A work report reviews last year and plans this year: its own outcomes answer none of its
    targets (中央预算内投资增加到4776亿元 … 安排1700亿元 in one report)."""
    money = dict(_counted(4776e8, "CNY", "level"), indicator="中央预算内投资")
    report = _text_report(
        2015,
        "中央预算内投资完成4776亿元。中央预算内投资增加到4776亿元。",
        [("outcome", "4776亿元", money), ("target", "4776亿元", money)],
    )
    [pair] = [p for p in link_outcomes([report]) if p.target.year == 2015]
    assert pair.outcome is None


def test_shanty_town_renovation_pairs_under_its_short_name():
    table = IndicatorTable.default()
    assert table.normalise_object("棚改开工580万套") == table.normalise_object(
        "棚户区改造开工580万套"
    )
    target = _text_report(2018, "今年棚改开工580万套。", [("target", "580万套", _counted(580e4))])
    outcome = _text_report(
        2019, "棚户区住房改造开工620多万套。", [("outcome", "620多万套", _counted(620e4))]
    )
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.year == 2018]
    assert pair.outcome is not None and pair.verdict == "met"


def test_an_object_read_from_the_sentence_pairs_when_the_other_lies_whole_in_it():
    target = _text_report(
        2018,
        "启动新的三年棚改攻坚计划，今年开工580万套。",
        [("target", "580万套", _counted(580e4))],
    )
    outcome = _text_report(
        2019, "棚户区住房改造620多万套。", [("outcome", "620多万套", _counted(620e4))]
    )
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.year == 2018]
    assert pair.outcome is not None and pair.verdict == "met"


def test_a_report_that_names_no_county_joins_the_only_county_of_the_run():
    gdp = dict(_counted(7, "percent", "growth_rate"), indicator="地区生产总值")
    target = _text_report(2018, "地区生产总值增长7%。", [("target", "7%", gdp)])
    outcome = _text_report(
        2019, "地区生产总值增长7.5%。", [("outcome", "7.5%", dict(gdp, value=7.5, value_base=7.5))]
    )
    outcome["meta"] = {}  # its county was not recognised
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.year == 2018]
    assert pair.outcome is not None and pair.verdict == "met"
    # with two counties in the run, an unplaced report answers neither
    other = _text_report(2018, "地区生产总值增长6%。", [("target", "6%", gdp)], county="乙县")
    pairs = [p for p in link_outcomes([target, outcome, other]) if p.target.year == 2018]
    assert all(p.outcome is None for p in pairs)


def test_a_lead_sentence_or_the_sentence_names_the_year_of_its_figures():
    gdp = dict(_counted(8, "percent", "growth_rate"), indicator="国内生产总值")
    target = _text_report(2010, "国内生产总值增长8%左右。", [("target", "8%左右", gdp)])
    # the next report's plan section opens with last year's figures after a lead sentence;
    # the extractor read them as targets (a plan), the year makes them outcomes
    body = "2011年是开局之年。过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%。"
    report = _text_report(2011, body, [("target", "10.3%", dict(gdp, value=10.3, value_base=10.3))])
    [pair] = [p for p in link_outcomes([target, report]) if p.target.year == 2010]
    assert pair.outcome is not None and pair.outcome.year == 2010 and pair.verdict == "met"
    # a five-year review paragraph: the sentence that names its year is about that year
    target = _text_report(
        2012, "国内生产总值增长7.5%。", [("target", "7.5%", dict(gdp, value=7.5, value_base=7.5))]
    )
    body = "过去五年，经济实力明显增强。2012年，我们扭转经济下滑趋势，国内生产总值增长7.8%。"
    review = _text_report(2013, body, [("outcome", "7.8%", dict(gdp, value=7.8, value_base=7.8))])
    [pair] = [p for p in link_outcomes([target, review]) if p.target.year == 2012]
    assert pair.outcome is not None and pair.verdict == "met"


def test_a_five_year_plan_target_is_a_target_for_the_plans_last_year():
    from govnlp.outcomes.periods import plan_end_year

    assert plan_end_year("“十三五”时期发展成就和“十四五”时期主要目标任务") == 2025
    assert plan_end_year("五年来") is None
    share = {"measure": "level", "value": 65, "bound": "point", "unit": "percent"}
    plan = _text_report(
        2021,
        "“十四五”时期，常住人口城镇化率提高到65%，研发经费投入年均增长7%以上。",
        [
            ("target", "65%", dict(share, indicator="常住人口城镇化率")),
            ("target", "7%以上", growth(7, "min", indicator="研发经费投入")),
        ],
    )
    after = _text_report(
        2026,
        "2025年，常住人口城镇化率达到66%，研发经费投入增长8%。",
        [
            ("outcome", "66%", dict(share, value=66, indicator="常住人口城镇化率")),
            ("outcome", "8%", growth(8, indicator="研发经费投入")),
        ],
    )
    pairs = {p.target.record["text"]: p for p in link_outcomes([plan, after])}
    urban, research = pairs["65%"], pairs["7%以上"]
    assert urban.target.year == 2025 and urban.verdict == "met"
    assert urban.outcome is not None and urban.outcome.doc_id == "2026.txt"
    # an average over the plan is in the table, for the plan's last year, answered by no year
    assert research.target.year == 2025 and research.outcome is None


def test_the_last_year_of_a_comparison_is_not_the_year_of_the_figure():
    """比上年减少50亿元 compares this year's plan with last year: the sentence is no review."""
    assert clause_year("去年全县实现", 2006) == 2005
    assert clause_year("拟发债60亿元，比上年减少", 2006) is None
    assert clause_year("较去年同期", 2006) is None
    money = dict(_counted(95e8, "CNY", "level"), indicator="拟安排县财政赤字")
    plan = _text_report(
        2006,
        "拟发债60亿元，比上年减少20亿元；拟安排县财政赤字95亿元。",
        [("target", "95亿元", money)],
    )
    [pair] = link_outcomes([plan])
    assert pair.target.kind == "target" and pair.target.year == 2006


def _money(value, indicator, measure="level"):
    return dict(_counted(value * 1e8, "CNY", measure), value=value, indicator=indicator)


def test_a_budget_allocation_is_measured_by_what_it_is_for():
    """中央财政安排… names a payer, not an indicator: two sums of one payer pair only when they
    are for one purpose, however the purpose is written."""
    plan = _text_report(
        2007,
        "今年县财政安排“三农”支出56亿元。县财政还将安排10亿元资金支持再就业。",
        [
            ("target", "56亿元", _money(56, "今年县财政安排“三农”支出")),
            ("target", "10亿元", _money(10, "县财政还将安排")),
        ],
    )
    review = _text_report(
        2008,
        "县财政用于“三农”的投入59亿元。县财政安排12亿元支持企业技术改造。",
        [
            ("outcome", "59亿元", _money(59, "县财政用于“三农”的投入")),
            ("outcome", "12亿元", _money(12, "县财政安排")),
        ],
    )
    pairs = {p.target.record["text"]: p for p in link_outcomes([plan, review])}
    assert pairs["56亿元"].outcome is not None and pairs["56亿元"].verdict == "met"
    assert pairs["56亿元"].target.purpose == "三农"
    assert pairs["10亿元"].target.purpose == "再就业" and pairs["10亿元"].outcome is None
    # the sums after one list of purposes with 分别 take one purpose each
    review = _text_report(
        2008,
        "县财政用于科技、教育的支出分别为3亿元、9亿元。",
        [
            ("outcome", "3亿元", _money(3, "县财政用于科技、教育的支出")),
            ("outcome", "9亿元", _money(9, "县财政用于科技、教育的支出")),
        ],
    )
    plan = _text_report(
        2007, "县财政安排教育投入8亿元。", [("target", "8亿元", _money(8, "县财政安排教育投入"))]
    )
    [pair] = [p for p in link_outcomes([plan, review]) if p.target.kind == "target"]
    assert pair.outcome is not None and pair.outcome.record["text"] == "9亿元"


def test_a_standard_per_person_is_no_allocation():
    from govnlp.outcomes.allocations import AllocationWords, allocation_of

    words = AllocationWords.default()
    assert allocation_of("县财政对参保居民的补助标准", "", 0, 0, words) is None
    assert allocation_of("县财政安排扶贫资金", "", 0, 0, words) == ("本级", "扶贫")


def test_the_words_of_a_comparison_name_no_object():
    """比上年增长 around two rates of unnamed things is no shared object."""
    target = _text_report(
        2007,
        "园区建设投入5亿元，比上年增长9%。",
        [("target", "9%", growth(9, indicator="园区建设投入"))],
    )
    outcome = _text_report(
        2008,
        "进出口总值8亿美元，比上年增长12%。",
        [("outcome", "12%", growth(12, indicator="进出口总值"))],
    )
    [pair] = [p for p in link_outcomes([target, outcome]) if p.target.kind == "target"]
    assert pair.outcome is None


def test_a_clause_naming_last_year_in_a_review_of_several_years_is_about_that_year():
    cpi = dict(_counted(3, "percent", "share"), indicator="居民消费价格涨幅")
    target = _text_report(2015, "居民消费价格涨幅3%左右。", [("target", "3%左右", cpi)])
    review = _text_report(
        2016,
        "五年来，物价总体平稳。去年居民消费价格比上年上涨1.4%。\n",
        [("outcome", "1.4%", dict(cpi, value=1.4, value_base=1.4, indicator="去年居民消费价格"))],
    )
    [pair] = [p for p in link_outcomes([target, review]) if p.target.year == 2015]


def test_old_reports_write_years_in_chinese_digits_and_name_older_plans():
    from govnlp.outcomes.indicators import IndicatorTable, clean_indicator
    from govnlp.outcomes.periods import arabic_years, clause_year, is_average, plan_end_year

    assert arabic_years("到一九九〇年达到") == "到1990年达到"
    assert arabic_years("增长百分之七") == "增长百分之七"
    assert arabic_years("首先报告２００１年的工作") == "首先报告2001年的工作"
    assert clause_year("到一九九〇年，总产值达到", 1986) == 1990
    assert plan_end_year("“七五”期间") == 1990 and plan_end_year("九五计划") == 2000
    assert is_average("总产值平均每年增长")
    assert clean_indicator("到一九九〇年工农业总产值") == "工农业总产值"
    assert IndicatorTable.default().match("经济增长预期目标").id == "gdp"
    target = _text_report(
        2003,
        "今年经济社会发展的主要预期目标是：经济增长预期目标为7%左右。",
        [("target", "7%左右", growth(7, "approx", indicator="经济增长预期目标"))],
    )
    after = _text_report(
        2004,
        "过去的一年，国内生产总值比上年增长9.1%。",
        [("outcome", "9.1%", growth(9.1, indicator="国内生产总值"))],
    )
    (pair,) = [p for p in link_outcomes([target, after]) if p.target.record["text"] == "7%左右"]
    assert pair.outcome is not None and pair.verdict == "met"


def test_a_line_of_its_own_that_names_last_years_work_opens_a_review():
    from govnlp.outcomes.periods import section_lines

    revenue = dict(_counted(16371, "CNY", "level"), indicator="财政收入")
    target = _text_report(2001, "财政收入达到14000亿元。", [("target", "14000亿元", revenue)])
    # the 2002 report reviews 2001 under an unnumbered line; the sentence names no year, and
    # the extractor read 达到 as a plan
    body = "首先报告２００１年的工作\n税收大幅度增长，财政收入达到16371亿元。"
    review = _text_report(2002, body, [("target", "16371亿元", revenue)])
    pairs = link_outcomes([target, review])
    [pair] = [p for p in pairs if p.target.year == 2001]
    assert pair.outcome is not None and pair.outcome.year == 2001 and pair.verdict == "met"
    assert not [p for p in pairs if p.target.year == 2002 and p.target.kind == "target"]
    # a numbered heading or the report's title opens no such part (the items' headings do)
    assert section_lines("报告\n一、2018年工作回顾\n增长7%", 2019) == []
    assert section_lines("2019年政府工作报告\n增长7%", 2019) == []
    assert section_lines("报告\n过去一年的工作\n增长7%", 2019) == [(3, 2018)]


def test_a_comparison_with_an_earlier_year_is_a_change_over_several_years():
    from govnlp.outcomes.periods import base_year

    assert clause_year("2000年利润2392亿元，为1997年的", 2001) == 2000
    assert clause_year("由1997年的", 2003) == 1997  # the level the change starts from
    assert clause_year("此项支出从2006年20.5亿元增加到去年的", 2008) == 2007
    assert base_year("比2002年增长") == 2002 and base_year("比上年增长") is None
    gdp = dict(_counted(8, "percent", "growth_rate"), indicator="国内生产总值")
    target = _text_report(2007, "国内生产总值增长8%左右。", [("target", "8%左右", gdp)])
    # the next report's review: a five-year change first (比2002年), then the year's own figure
    body = "2007年，国内生产总值达到24万亿元，比2002年增长65.5%；比上年增长11.4%。"
    review = _text_report(
        2008,
        body,
        [
            ("outcome", "65.5%", dict(gdp, value=65.5, value_base=65.5)),
            ("outcome", "11.4%", dict(gdp, value=11.4, value_base=11.4)),
        ],
    )
    [pair] = [p for p in link_outcomes([target, review]) if p.target.year == 2007]
    assert pair.outcome is not None and pair.outcome.record["text"] == "11.4%"


def test_a_target_said_again_in_a_review_is_no_outcome():
    from govnlp.outcomes.periods import restates_target

    assert restates_target("国内生产总值增长7.8％，虽然略低于", "的预定目标，但")
    assert restates_target("没有实现年初确定的单位国内生产总值能耗降低", "、主要污染物")
    assert not restates_target("全面实现年初确定的主要目标，国内生产总值增长", "，城镇")
    price = {"measure": "growth_rate", "value": 10, "value_base": 10, "bound": "le"}
    price = dict(price, unit="percent", indicator="零售物价上涨幅度")
    target = _text_report(1994, "零售物价上涨幅度控制在10%以内。", [("target", "10%以内", price)])
    body = "去年我曾提出，要把零售物价上涨幅度控制在10%以内。零售物价上涨幅度仍然高达21.7%。"
    review = _text_report(
        1995,
        body,
        [
            ("outcome", "10%以内", dict(price, text="10%以内")),
            ("outcome", "21.7%", dict(price, value=21.7, value_base=21.7, bound="point")),
        ],
    )
    [pair] = [p for p in link_outcomes([target, review]) if p.target.year == 1994]
    assert pair.outcome is not None and pair.outcome.record["text"] == "21.7%"
    assert pair.verdict == "not_met"


def _sectioned_report(year, sections, county="甲县"):
    """A work report of ``year`` with numbered sections: each is (heading, body, quantities),
    quantities as in :func:`_text_report`, placed in the section's body."""
    text = f"政府工作报告\n——{year}年3月1日在甲县人民代表大会上\n"
    items = []
    for n, (heading, body, quantities) in enumerate(sections):
        start = len(text)
        text += heading + "\n"
        body_start = len(text)
        text += body + "\n"
        records = _placed(text, body_start, quantities)
        items.append(
            {
                "id": f"h{n}",
                "start": start,
                "end": len(text),
                "path": [],
                "heading": heading,
                "leaf": False,
                "marker": "一、",
                "targets": [],
            }
        )
        items.append(
            {
                "id": f"i{n}",
                "start": body_start,
                "end": len(text),
                "path": [f"h{n}"],
                "parent": f"h{n}",
                "leaf": True,
                "marker": "",
                "targets": records,
            }
        )
    return _record(year, text, items, county)


def test_equal_answers_prefer_the_years_own_review_to_an_aside_in_the_plan():
    cpi = {"measure": "growth_rate", "value": 4, "value_base": 4, "bound": "le", "unit": "percent"}
    cpi = dict(cpi, indicator="居民消费价格涨幅")
    target = _text_report(2012, "居民消费价格涨幅控制在4%左右。", [("target", "4%左右", cpi)])
    done = dict(cpi, value=2.6, value_base=2.6, bound="point")
    review = _sectioned_report(
        2013,
        [
            (
                "二、对今年政府工作的建议",
                "去年居民消费价格涨幅回落到2.6%，今年要稳定物价。",
                [("outcome", "2.6%", done)],
            ),
            (
                "一、过去五年工作回顾",
                "2012年，居民消费价格涨幅回落到2.6%。",
                [("outcome", "2.6%", done)],
            ),
        ],
    )
    [pair] = [p for p in link_outcomes([target, review]) if p.target.year == 2012]
    assert pair.outcome is not None and "过去五年" in review["text"][: pair.outcome.record["start"]]
    assert "对今年" in review["text"][: pair.outcome.record["start"]]  # the review comes second


def test_a_level_set_for_a_later_year_from_a_named_start_is_not_answered_midway():
    intake = dict(_counted(55, "person", "level"), indicator="普通高等学校招生人数")
    body = "普通高等学校招生人数由1982年的31万人，增加到1987年的55万人。"
    plan = _text_report(1983, body, [("target", "55万人", intake)])
    midway = _text_report(
        1986,
        "普通高等学校招生人数由1980年的28万人增加到1985年的62万人。",
        [("outcome", "62万人", dict(intake, value=62, value_base=62))],
    )
    [pair] = [p for p in link_outcomes([plan, midway]) if p.target.record["text"] == "55万人"]
    assert pair.target.year == 1987 and pair.outcome is None


def test_part_of_a_year_and_every_years_growth_answer_no_annual_target():
    from govnlp.outcomes.periods import is_part_of_year

    assert is_part_of_year("工业总产值第一季度下降") and is_part_of_year("1-6月完成")
    assert not is_part_of_year("全年增长") and is_multi_year("农业总产值每年要增长")
    output = dict(_counted(8, "percent", "growth_rate"), indicator="工业总产值")
    target = _text_report(1981, "工业总产值增长8%。", [("target", "8%", output)])
    body = "工业总产值第一季度增长9%。"
    quarter = _text_report(1982, body, [("outcome", "9%", dict(output, value=9, value_base=9))])
    [pair] = link_outcomes([target, quarter])
    assert pair.outcome is None


def test_names_of_two_sectors_on_one_core_never_pair():
    table = IndicatorTable.default()
    assert table.other_sectors("工农业总产值", "农业总产值") and not table.other_sectors(
        "工农业总产值", "工农业总产值的增长速度"
    )
    assert table.match("工农业总产值") is None
    both = dict(_counted(5.5, "percent", "growth_rate"), indicator="工农业总产值")
    target = _text_report(1981, "工农业总产值增长5.5%。", [("target", "5.5%", both)])
    farm = dict(both, indicator="农业总产值", value=5.7, value_base=5.7)
    review = _text_report(1982, "农业总产值增长5.7%。", [("outcome", "5.7%", farm)])
    [pair] = link_outcomes([target, review])
    assert pair.outcome is None


def test_an_indicator_is_read_from_the_clauses_own_words_before_the_figure_before_it():
    from govnlp.outcomes.periods import own_part

    assert own_part("去年经济增长8.8%，商品零售价格涨幅为") == "商品零售价格涨幅为"
    assert own_part("2016年，地区生产总值完成") == "2016年，地区生产总值完成"  # a year is no figure
    assert (
        clean_indicator("去年经济") == "经济" and IndicatorTable.default().match("经济").id == "gdp"
    )
    gdp = dict(_counted(8, "percent", "growth_rate"))
    target = _text_report(
        1997, "经济增长速度定为8%。", [("target", "8%", dict(gdp, indicator="经济"))]
    )
    body = "去年经济增长8.8%，商品零售价格涨幅为0.8%。"
    review = _text_report(
        1998,
        body,
        [
            ("outcome", "8.8%", dict(gdp, value=8.8, value_base=8.8, indicator="去年经济")),
            ("outcome", "0.8%", dict(gdp, value=0.8, value_base=0.8, indicator=None)),
        ],
    )
    [pair] = [p for p in link_outcomes([target, review]) if p.target.year == 1997]
    assert pair.outcome is not None and pair.outcome.record["text"] == "8.8%"
    [price] = [q for q in review["items"][0]["targets"] if q["text"] == "0.8%"]
    from govnlp.outcomes.linking import quantities_of

    ids = {
        q.record["text"]: q.indicator_id for q in quantities_of(review, IndicatorTable.default())
    }
    assert ids == {"8.8%": "gdp", "0.8%": "retail_price"} and price["indicator"] is None


def test_an_earlier_document_never_answers_a_later_documents_target():
    """The 1955 five-year plan states figures for 1956; the 1956 report's targets for 1956 are
    answered by the 1957 report, never by the plan written before them."""
    gdp = dict(level(300e8), indicator="地区生产总值")
    plan = _text_report(2015, "2016年地区生产总值达到300亿元。", [("outcome", "300亿元", gdp)])
    target = _report(2016, [("target", "地区生产总值", level(290e8))])
    [pair] = [p for p in link_outcomes([plan, target]) if p.target.doc_id == "2016.txt"]
    assert pair.outcome is None
    later = _text_report(2017, "2016年地区生产总值达到300亿元。", [("outcome", "300亿元", gdp)])
    [pair] = [p for p in link_outcomes([plan, target, later]) if p.target.doc_id == "2016.txt"]
    assert pair.outcome is not None and pair.outcome.doc_id == "2017.txt"


@pytest.mark.parametrize(
    "raw, indicator_id",
    [("钢的产量", "steel_output"), ("原煤产量", "coal_output"), ("棉花", "cotton_output")],
)
def test_product_outputs_are_indicators(raw, indicator_id):
    """Short product names (钢产量 has three characters) pair through the table, never by name."""
    assert IndicatorTable.default().match(raw).id == indicator_id


def test_a_span_of_years_is_no_target_and_no_outcome():
    """在连续6年增产增收之后 in one report and 连续7年增产 in the next count a streak: no pair."""
    years = {"measure": "level", "value": 6, "value_base": 6, "bound": "point", "unit": "year"}
    plan = _text_report(2010, "在连续6年增产增收之后，要抓好粮食生产。", [("target", "6年", years)])
    streak = [("outcome", "7年", dict(years, value=7))]
    review = _text_report(2011, "粮食产量去年达到1.09万亿斤，连续7年增产。", streak)
    assert [p for p in link_outcomes([plan, review]) if p.target.doc_id == "2010.txt"] == []
