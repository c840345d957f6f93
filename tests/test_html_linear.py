"""HTML extraction is linear in the page whatever its depth, and extracts the same text as
before it was made so (fixture from main: ``benchmarks/html_same_text.py --dump``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from govnlp.io import html_reader
from govnlp.io.html_reader import _TreeIndex, extract_html
from govnlp.io.readers import load_document
from tests.html_pages import deep_page, random_page

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "tests" / "data" / "html"
sys.path.insert(0, str(ROOT / "benchmarks"))
import html_same_text  # noqa: E402

EXPECTED = json.loads(
    (ROOT / "tests" / "data" / "html_expected_extract.json").read_text(encoding="utf-8")
)


def test_same_text_and_meta_as_before_on_every_page():
    got = html_same_text.extract_all(200)
    got = {k: v for k, v in got.items() if not k.startswith("shared/")}
    assert set(got) == set(EXPECTED)
    for key, value in got.items():
        want = EXPECTED[key]
        assert (value if key.startswith("tests/") else html_same_text.digest(value)) == want, key


@pytest.mark.parametrize("seed", range(40))
def test_index_sums_are_the_subtree_sums(seed):
    soup = BeautifulSoup(random_page(seed), "lxml")
    body = soup.body
    ix = _TreeIndex(body)
    tags = [body] + body.find_all(True)
    for el in tags:
        assert ix.text_len(el) == html_reader._text_len(el)
        assert ix.link_len(el) == html_reader._link_len(el)
        full = html_reader._clean(el.get_text())
        assert ix.clean_text(el, 10**9) == full
        assert ix.clean_text(el, 30) == (full if ix.text_len(el) <= 30 else None)
    for el in tags[:30]:
        for other in tags[:30]:
            assert ix.inside(other, el) == html_reader._inside(other, el)


def test_lowest_common_ancestor():
    soup = BeautifulSoup("<div id=a><p id=b><i>一</i><b>二</b></p><p>三</p></div>", "lxml")
    ix = _TreeIndex(soup.body)
    one, two, three = soup.find(string="一"), soup.find(string="二"), soup.find(string="三")
    assert ix.lowest_common_ancestor(one, two)["id"] == "b"
    assert ix.lowest_common_ancestor(one, three)["id"] == "a"


@pytest.mark.parametrize("style", ["div", "font", "td"])
def test_a_page_20000_levels_deep_is_read_without_hanging(style, tmp_path):
    # main took 264 s on the div page (quadratic); linear takes about a second: 60 s is a
    # budget for "does not hang", not a speed measurement (benchmarks/html_depth.py is)
    page = tmp_path / "deep.html"
    page.write_text(deep_page(20_000, style=style), encoding="utf-8")
    start = time.perf_counter()
    doc = load_document(page, "deep.html")
    assert time.perf_counter() - start < 60
    assert doc.error is None
    assert doc.text.count("一、抓投资，促发展。") >= 199


def test_deep_page_with_metadata_and_boilerplate_at_every_level():
    levels = 3000
    page = (
        "<html><body>"
        + '<div class="nav"><div>来源：县政府 ' * levels
        + "</div></div>" * levels
        + '<div class="TRS_Editor">'
        + "一、抓投资，促发展。" * 50
        + "</div></body></html>"
    )
    text, _ = extract_html(page)
    assert text.startswith("一、抓投资，促发展。")


def test_is_gone_does_not_search_the_subtree():
    soup = BeautifulSoup("<div><p>一</p></div>", "lxml")
    div = soup.div
    assert not html_reader._gone(div)
    div.p.decompose()
    assert not html_reader._gone(div)
    div.decompose()
    assert html_reader._gone(div)
