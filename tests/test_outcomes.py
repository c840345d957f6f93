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
    return {
        "doc_id": f"{year}.txt",
        "meta": {"region": {"name": county}},
        "text": text,
        "items": items,
    }


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
