"""govnlp.render: displaCy span rendering of items, targets and units; colours per domain."""

from __future__ import annotations

import html
import json
import re
from importlib import resources

import pytest

import govnlp
from govnlp.rendering import colors as colors_mod
from govnlp.rendering import label_color, label_name
from govnlp.rendering.spans import HTMLString, _chunks, render_parts

from conftest import seed_paths

DEFAULT_IDS = [
    "macro_economy",
    "investment",
    "investment_promotion",
    "industry_tech",
    "commerce_consumption",
    "fiscal_finance",
    "agriculture_rural",
    "urban_land",
    "infrastructure",
    "energy",
    "ecology",
    "safety",
    "public_security",
    "education",
    "health",
    "social_welfare",
    "culture_tourism_sports",
    "governance",
]

SMALL = (
    "一、抓投资\n1.固定资产投资增长10%左右。\n责任单位:县发改局、县绿色小微园区开发建设指挥部\n2"
    ".推进<污水>治理&提升。\n"
)


def visible_text(markup: str) -> str:
    """The text of a rendering: span labels dropped, tags stripped, entities unescaped."""
    body = markup[markup.index('<div class="gv-doc"') :]
    body = re.sub(r'<span class="gv-lb"[^>]*>.*?</span>', "", body)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.fixture(scope="module")
def seed_doc(nlp_pkuseg):
    path = seed_paths()[2]  # 002: the longest, 150 items
    return nlp_pkuseg(path.read_text(encoding="utf-8"))


def test_colours_cover_the_default_taxonomy():
    data = json.loads(
        resources.files("govnlp.rendering").joinpath("colors.json").read_text(encoding="utf-8")
    )
    assert sorted(data["labels"]) == sorted(DEFAULT_IDS)
    assert len(set(data["labels"].values())) == 18, "every domain has its own colour"
    hexes = (
        list(data["labels"].values())
        + data["palette"]
        + [data[k] for k in ("unlabelled", "target", "unit", "unit_nil")]
    )
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in hexes)
    assert data["unlabelled"] not in data["labels"].values()
    from govnlp.taxonomy import load_taxonomy

    assert sorted(lab.id for lab in load_taxonomy().labels) == sorted(DEFAULT_IDS)


def test_label_colour_and_name():
    assert label_color(None) == label_color("unlabelled") == colors_mod.special_color("unlabelled")
    assert label_color("my_county_label") == label_color("my_county_label")  # stable
    assert label_color("my_county_label") in colors_mod.palette()
    assert label_name("safety") == "安全生产与应急防灾"
    assert label_name("my_county_label") == "my_county_label"
    assert label_name(None) == "unlabelled"


def test_top_level_render_is_the_function():
    from govnlp.rendering.spans import render

    assert govnlp.render is render
    assert "render" in govnlp.__all__
    # the package is govnlp.rendering; govnlp.render is the function
    import govnlp.rendering.report as report

    assert hasattr(report, "build_report")


def test_render_doc_keeps_text_and_marks_spans(nlp_char):
    doc = nlp_char(SMALL)
    markup = govnlp.render(doc, jupyter=False)
    assert type(markup) is str
    assert visible_text(markup) == doc.text, (
        "the rendering shows the text exactly (no spaces added)"
    )
    assert "\x1f" not in markup
    leaves = [it for it in doc._.items if it["leaf"]]
    n_targets = sum(len(it["targets"]) for it in doc._.items)
    n_units = sum(len(it["units"]) for it in doc._.items)
    assert n_targets >= 1 and n_units >= 1
    m = re.search(r'data-spans="(\d+)"', markup)
    assert int(m.group(1)) == len(leaves) + n_targets + n_units
    assert markup.count('class="gv-st"') == len(leaves) + n_targets + n_units  # one label per span
    assert ">目标<" in markup and ">单位<" in markup
    assert "&lt;" in markup and "&gt;" in markup and "&amp;" in markup and "<污" not in markup


def test_render_record_by_character(nlp_char):
    doc = nlp_char(SMALL)
    record = govnlp.doc_to_record(doc, "small.txt")
    markup = govnlp.render(record, jupyter=False)
    assert visible_text(markup) == record["text"]
    assert 'data-doc-id="small.txt"' in markup
    # by character: every span starts exactly at its first character
    parts = render_parts(record)
    assert parts["n_spans"] == render_parts(doc)["n_spans"]


def test_primary_domain_colour_and_unlabelled(nlp_char):
    record = govnlp.doc_to_record(nlp_char(SMALL), "small.txt")
    leaves = [it for it in record["items"] if it["leaf"]]
    leaves[0]["labels"] = ["ecology", "safety"]
    leaves[1]["labels"] = []
    markup = govnlp.render(record, jupyter=False)
    assert label_color("ecology") in markup and ">生态环境保护<" in markup
    assert label_color("safety") not in markup.split('<div class="gv-doc"')[1], (
        "only the primary label colours"
    )
    assert label_color("unlabelled") in markup and ">unlabelled<" in markup
    legend = re.findall(
        r'class="gv-chip gv-domain" data-label="([^"]+)" data-count="(\d+)"', markup
    )
    assert dict(legend) == {"ecology": "1", "unlabelled": "1"}
    leaves[1]["labels"] = ["my_county_label"]
    markup = govnlp.render(record, jupyter=False)
    assert label_color("my_county_label") in markup and ">my_county_label<" in markup


def test_render_options(nlp_char):
    record = govnlp.doc_to_record(nlp_char(SMALL), "small.txt")
    n_items = len(record["items"])
    n_leaves = sum(it["leaf"] for it in record["items"])
    assert (
        render_parts(record, items="all")["n_spans"] - render_parts(record)["n_spans"]
        == n_items - n_leaves
    )
    assert render_parts(record, items="none", targets=False, units=False)["n_spans"] == 0
    with pytest.raises(ValueError):
        render_parts(record, items="some")
    page = govnlp.render(record, page=True, jupyter=False)
    assert (
        page.startswith("<!DOCTYPE html>")
        and '<meta charset="utf-8">' in page
        and page.rstrip().endswith("</html>")
    )
    both = govnlp.render([record, record], jupyter=False)
    assert both.count('class="govnlp-render') == 2 and both.count("<style>") == 1
    with pytest.raises(ValueError, match="no text"):
        govnlp.render({k: v for k, v in record.items() if k != "text"})
    with pytest.raises(TypeError):
        govnlp.render("plain text")


def test_jupyter_modes(nlp_char, capsys):
    record = govnlp.doc_to_record(nlp_char(SMALL), "small.txt")
    auto = govnlp.render(record)
    assert isinstance(auto, HTMLString) and auto._repr_html_() == str(auto)
    assert type(govnlp.render(record, jupyter=False)) is str
    pytest.importorskip("IPython")
    shown = govnlp.render(record, jupyter=True)  # displayed at once, not again as a cell's value
    assert str(shown) == str(auto) and hasattr(shown, "_ipython_display_")
    assert shown._ipython_display_() is None


def test_chunks_are_independent():
    spans = [
        {"start_token": a, "end_token": b, "label": "x"}
        for a, b in [(2, 5), (3, 4), (4, 8), (10, 12), (12, 13), (20, 21)]
    ]
    chunks = list(_chunks(25, spans))
    assert chunks[0][0] == 0 and chunks[-1][1] == 25
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:])), "contiguous"
    for lo, hi, members in chunks:
        assert all(lo <= s["start_token"] and s["end_token"] <= hi for s in members)
    assert sum(len(m) for _, _, m in chunks) == len(spans)
    assert [(lo, hi) for lo, hi, m in chunks if m] == [(2, 8), (10, 12), (12, 13), (20, 21)]


@pytest.mark.slow
def test_render_seed_doc_and_record(seed_doc):
    record = govnlp.doc_to_record(seed_doc, "002.txt")
    for source in (seed_doc, record):
        markup = govnlp.render(source, jupyter=False)
        assert visible_text(markup) == seed_doc.text
        parts = render_parts(source)
        n = sum(1 for it in record["items"] if it["leaf"]) + sum(
            len(it["targets"]) + len(it["units"]) for it in record["items"]
        )
        assert parts["n_spans"] == n
        assert (
            parts["work_items"]
            == sum(parts["domain_counts"].values())
            == sum(1 for it in record["items"] if it["leaf"])
        )
    primaries = {it["labels"][0] for it in record["items"] if it["leaf"] and it["labels"]}
    markup = govnlp.render(record, jupyter=False)
    for lab in primaries:
        assert f">{label_name(lab)}<" in markup


@pytest.mark.parametrize(
    "module", ["govnlp.rendering.colors", "govnlp.rendering.spans", "govnlp.rendering.report"]
)
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0
