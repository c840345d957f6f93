"""``govnlp report``: one self-contained HTML file, checked as HTML and in headless Chromium.

The browser test opens the report of the five seeds with Chromium's own
headless CLI (``--dump-dom`` after the page's script ran, ``--screenshot``);
it skips when Chromium is absent (``bash scripts/setup_browser.sh`` installs
it). The screenshot stays in the test's temporary directory (``GOVNLP_KEEP_SCREENSHOT=PATH``
keeps a copy at PATH).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import govnlp
from govnlp.cli import main
from govnlp.records import summarise
from govnlp.rendering.report import build_report, write_report

from conftest import seed_paths

WINDOW = (1280, 1600)
KEYS = ("documents", "items", "work-items", "targets", "units")


def expected(records):
    s = summarise(records)
    return {
        "documents": s["documents"],
        "items": s["items"],
        "work-items": s["work_items"],
        "targets": s["targets"],
        "units": s["units"],
    }


def counts_in(soup: BeautifulSoup) -> dict:
    """The counts the report's markup shows (what the page script counts too)."""
    return {
        "documents": len(soup.select("section.document")),
        "items": len(soup.select("tr.item")),
        "work-items": len(soup.select('tr.item[data-leaf="1"]')),
        "targets": len(soup.select("tr.target")),
        "units": sum(int(tr["data-mentions"]) for tr in soup.select("tr.unit")),
    }


@pytest.fixture(scope="module")
def seed_records(nlp_pkuseg):
    paths = seed_paths()
    docs = list(nlp_pkuseg.pipe(p.read_text(encoding="utf-8") for p in paths))
    records = [govnlp.doc_to_record(doc, p.name) for doc, p in zip(docs, paths)]
    return records, docs


@pytest.fixture(scope="module")
def seed_report(seed_records, tmp_path_factory):
    records, docs = seed_records
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(path, build_report(list(zip(records, docs)), title="seeds"))
    return path, records


def test_report_counts(seed_report):
    path, records = seed_report
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    want = expected(records)
    assert want["documents"] == 5
    summary = soup.select_one("#summary")
    assert {k: int(summary[f"data-{k}"]) for k in KEYS} == want
    assert {k: int(soup.select_one(f"#count-{k}")["data-count"]) for k in KEYS} == want
    assert counts_in(soup) == want
    # per document
    sections = soup.select("section.document")
    assert [s["data-doc-id"] for s in sections] == [r["doc_id"] for r in records]
    for sec, rec in zip(sections, records):
        assert {k: int(sec[f"data-{k}"]) for k in KEYS if k != "documents"} == {
            k: v for k, v in expected([rec]).items() if k != "documents"
        }
        table = sec.select_one("table.units")
        if table is not None:
            assert int(table["data-count"]) == sum(len(it["units"]) for it in rec["items"])
    assert len(soup.select("#documents tr.doc-row")) == 5
    # domain shares: bars add up to the work items, one per primary domain present
    bars = soup.select("#domain-shares g.bar")
    primaries = {
        (it["labels"] or ["unlabelled"])[0] for r in records for it in r["items"] if it["leaf"]
    }
    assert {b["data-label"] for b in bars} == primaries
    assert sum(int(b["data-count"]) for b in bars) == want["work-items"]
    assert abs(sum(float(b["data-share"]) for b in bars) - 1.0) < 0.01
    # every document is rendered (displaCy span style) with its text
    assert len(soup.select("section.document .govnlp-render .gv-doc")) == 5
    assert soup.select_one("#dom-check")["data-status"] == "pending"  # until the page script runs


def test_report_targets_and_units_tables(seed_report):
    path, records = seed_report
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    headers = [th.get_text() for th in soup.select("table.targets")[0].select("thead th")]
    for col in ("indicator", "kind", "value", "unit", "bound", "text"):
        assert col in headers
    first = next(t for r in records for it in r["items"] for t in it["targets"])
    row = soup.select("tr.target")[0]
    assert row.select("td")[-1].get_text() == first["text"]
    unit_headers = [th.get_text() for th in soup.select("table.units")[0].select("thead th")]
    assert unit_headers[:3] == ["canonical", "id", "nil"]
    nil = sum(1 for r in records for it in r["items"] for u in it["units"] if u["nil"])
    assert sum(int(tr["data-mentions"]) for tr in soup.select("tr.unit.nil")) == nil


def test_report_is_self_contained(seed_report):
    text = seed_report[0].read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", text), (
        "no network resources"
    )
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert "<script src" not in text
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    assert "\x1f" not in text


def test_write_report_is_atomic(tmp_path):
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")
    write_report(out, "<!DOCTYPE html><p>new</p>")
    assert out.read_text(encoding="utf-8") == "<!DOCTYPE html><p>new</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"], "no temporary file left"

    with pytest.raises(TypeError):
        write_report(out, None)  # fails while writing: the old file stays
    assert out.read_text(encoding="utf-8") == "<!DOCTYPE html><p>new</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_cli_report_from_records(seed_records, tmp_path, capsys):
    records, _ = seed_records
    jsonl = tmp_path / "seeds.jsonl"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        fh.write("{not json\n")
    out = tmp_path / "sub" / "report.html"
    assert main(["report", "--records", str(jsonl), "-o", str(out)]) == 0
    assert "5 documents" in capsys.readouterr().out
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert counts_in(soup) == expected(records)
    assert soup.select_one("#errors")["data-count"] == "1"
    # records without text: tables, no rendering
    no_text = tmp_path / "no_text.jsonl"
    no_text.write_text(
        "".join(
            json.dumps({k: v for k, v in r.items() if k != "text"}, ensure_ascii=False) + "\n"
            for r in records
        ),
        encoding="utf-8",
    )
    out2 = tmp_path / "no_text.html"
    assert main(["report", "--records", str(no_text), "-o", str(out2), "--quiet"]) == 0
    soup2 = BeautifulSoup(out2.read_text(encoding="utf-8"), "html.parser")
    assert counts_in(soup2) == expected(records)
    assert len(soup2.select("p.no-text")) == 5


def test_cli_report_from_documents(tmp_path, capsys):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(seed_paths()[0], src / "a.txt")
    (src / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(src), "-o", str(out), "--segmenter", "char"]) == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#summary")["data-documents"] == "1"
    assert [li["data-doc-id"] for li in soup.select("#errors li.error")] == ["empty.txt"]
    capsys.readouterr()
    # nothing readable: exit 1, no file
    (src / "a.txt").unlink()
    out2 = tmp_path / "none.html"
    assert main(["report", str(src), "-o", str(out2), "--segmenter", "char"]) == 1
    assert not out2.exists()
    assert main(["report", "--records", str(tmp_path / "missing.jsonl"), "-o", str(out2)]) == 2


def test_report_command_registered(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "--records" in capsys.readouterr().out


# -- the browser -----------------------------------------------------------------------------


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def run_chromium(binary: str, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="govnlp-chromium-")
    try:
        cmd = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ]
        return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def png_size(path: Path) -> tuple:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "a PNG file"
    return struct.unpack(">II", head[16:24])


@pytest.mark.slow
def test_report_in_headless_chromium(seed_report, tmp_path):
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed (bash scripts/setup_browser.sh installs it)")
    path, records = seed_report
    url = path.resolve().as_uri()

    dom = run_chromium(binary, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr.decode("utf-8", "replace")[-2000:]
    soup = BeautifulSoup(dom.stdout.decode("utf-8"), "html.parser")
    check = soup.select_one("#dom-check")
    assert check is not None and check["data-status"] == "ready", (
        "the page loaded and its script ran"
    )
    assert check["data-consistent"] == "true"
    want = expected(records)
    assert {k: int(check[f"data-{k}"]) for k in KEYS} == want
    assert want["documents"] == 5
    assert soup.select_one("#report-title").get_text() == "seeds"

    shot = tmp_path / "report_screenshot.png"
    res = run_chromium(
        binary, f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={shot}", url
    )
    assert res.returncode == 0 and shot.exists(), res.stderr.decode("utf-8", "replace")[-2000:]
    assert png_size(shot) == WINDOW
    assert shot.stat().st_size > 50_000, "a blank page compresses to a few KB"
    if os.environ.get("GOVNLP_KEEP_SCREENSHOT"):  # to look at it: a path outside the checkout
        keep = Path(os.environ["GOVNLP_KEEP_SCREENSHOT"])
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, keep)
        print(f"screenshot: {keep}")


# -- a split report: an index and one page per document --------------------------------------------


def _local_links(soup: BeautifulSoup) -> list:
    return [
        a["href"]
        for a in soup.select("a[href]")
        if not a["href"].startswith(("#", "http:", "https:"))
    ]


def _resolve(page: Path, href: str) -> Path:
    from urllib.parse import unquote

    return (page.parent / unquote(href.split("#")[0])).resolve()


def _doc_text(section) -> str:
    """The document's text as the page shows it, without the span labels displaCy adds (the
    rendering folds runs of blank lines)."""
    doc = section.select_one(".gv-doc")
    for lb in doc.select(".gv-lb"):
        lb.decompose()
    return doc.get_text()


@pytest.fixture(scope="module")
def split_report(seed_records, tmp_path_factory):
    from govnlp.rendering.report import render_report

    records, docs = seed_records
    out = tmp_path_factory.mktemp("split") / "report.html"
    rep = render_report(list(zip(records, docs)), title="seeds", split_over=0)
    write_report(out, rep)
    return out, records, rep


def test_split_report_index_links_resolve(split_report):
    out, records, rep = split_report
    assert rep.split and out.is_file() and (out.parent / "report_files").is_dir()
    pages = sorted(p.name for p in (out.parent / "report_files").glob("*.html"))
    assert pages == [f"doc_{k:04d}.html" for k in range(1, 6)]
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert not soup.select("section.document"), "the index holds no document"
    summary = soup.select_one("#summary")
    assert {k: int(summary[f"data-{k}"]) for k in KEYS} == expected(records)
    rows = soup.select("#documents tr.doc-row")
    assert [r["data-doc-id"] for r in rows] == [r["doc_id"] for r in records]
    links = [r.select_one("a")["href"] for r in rows]
    assert links == [f"report_files/doc_{k:04d}.html" for k in range(1, 6)]
    for href in _local_links(soup):
        assert _resolve(out, href).is_file(), href
    assert soup.select("#domain-shares g.bar"), "the aggregate chart is on the index"


def test_split_report_pages_hold_their_documents(split_report):
    out, records, _ = split_report
    index = out.read_text(encoding="utf-8")
    index_rows = BeautifulSoup(index, "html.parser").select("#documents tr.doc-row")
    total = {k: 0 for k in KEYS}
    for row, rec in zip(index_rows, records):
        page = _resolve(out, row.select_one("a")["href"])
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        sections = soup.select("section.document")
        assert [s["data-doc-id"] for s in sections] == [rec["doc_id"]]
        assert "".join(_doc_text(sections[0]).split()) == "".join(
            rec["text"].split()
        )  # blank lines fold
        got = counts_in(soup)
        assert {k: v for k, v in got.items() if k != "documents"} == {
            k: v for k, v in expected([rec]).items() if k != "documents"
        }
        for k in KEYS:
            total[k] += got[k]
        for href in _local_links(soup):  # back to the index, previous and next
            assert _resolve(page, href).is_file(), href
        assert _resolve(page, soup.select_one('a[rel="index"]')["href"]) == out.resolve()
    assert total == expected(records)


def test_small_report_stays_one_file(seed_records, tmp_path):
    from govnlp.rendering.report import render_report

    records, _ = seed_records
    rep = render_report(records, generated="now")
    assert not rep.split and rep.pages == {}
    assert rep.index == build_report(records, generated="now")
    size = rep.sizes()[""]
    assert render_report(records, generated="now", split_over=size).split is False
    assert render_report(records, generated="now", split_over=size - 1).split is True
    out = write_report(tmp_path / "r.html", rep)
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
    assert (
        len(
            BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").select("section.document")
        )
        == 5
    )


def test_split_report_rewritten_whole(seed_records, tmp_path):
    from govnlp.rendering.report import render_report

    records, _ = seed_records
    out = tmp_path / "seeds.html"
    write_report(out, render_report(records, split_over=0, index_name="seeds.html"))
    pages = tmp_path / "seeds_files"
    assert len(list(pages.glob("doc_*.html"))) == 5
    write_report(out, render_report(records[:2], split_over=0, index_name="seeds.html"))
    assert sorted(p.name for p in pages.glob("doc_*.html")) == ["doc_0001.html", "doc_0002.html"], (
        "no stale page"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds.html", "seeds_files"], (
        "no temporary left"
    )
    write_report(out, render_report(records[:2]))  # one file now: the old pages go
    assert [p.name for p in tmp_path.iterdir()] == ["seeds.html"]
    with pytest.raises(ValueError):  # the pages link back to seeds.html
        write_report(
            tmp_path / "other.html", render_report(records, split_over=0, index_name="seeds.html")
        )
    mine = tmp_path / "mine_files"
    mine.mkdir()
    (mine / "notes.txt").write_text("not a report", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_report(
            tmp_path / "mine.html", render_report(records, split_over=0, index_name="mine.html")
        )
    assert [p.name for p in mine.iterdir()] == ["notes.txt"] and not (
        tmp_path / "mine.html"
    ).exists()


def test_report_sections_are_extensible(seed_records, monkeypatch):
    from govnlp.rendering import report as report_mod

    records, _ = seed_records
    monkeypatch.setattr(
        report_mod,
        "SUMMARY_SECTIONS",
        report_mod.SUMMARY_SECTIONS
        + [lambda data: f'<section id="extra" data-n="{len(data.records)}"></section>'],
    )
    monkeypatch.setattr(
        report_mod,
        "DOCUMENT_PARTS",
        report_mod.DOCUMENT_PARTS
        + [lambda view: f'<p class="extra-part">{view.row["doc_id"]}</p>'],
    )
    rep = report_mod.render_report(records, split_over=0)
    assert '<section id="extra" data-n="5"></section>' in rep.index
    assert [
        f'<p class="extra-part">{r["doc_id"]}</p>' in page
        for r, page in zip(records, rep.pages.values())
    ] == [True] * 5
    single = report_mod.build_report(records)
    assert (
        single.index('id="extra"') < single.index('id="documents-detail"')
        and single.count('class="extra-part"') == 5
    )


def test_cli_report_split(seed_records, tmp_path, capsys):
    records, _ = seed_records
    jsonl = tmp_path / "seeds.jsonl"
    jsonl.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    out = tmp_path / "out" / "seeds report.html"
    assert main(["report", "--records", str(jsonl), "-o", str(out), "--split-over", "0"]) == 0
    assert "5 document pages" in capsys.readouterr().out
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    for href in _local_links(soup):
        assert _resolve(out, href).is_file(), href
    assert len(list((tmp_path / "out" / "seeds report_files").glob("doc_*.html"))) == 5
    assert (
        main(["report", "--records", str(jsonl), "-o", str(out), "--split-over", "1000", "--quiet"])
        == 0
    )
    assert sorted(p.name for p in out.parent.iterdir()) == ["seeds report.html"]
    with pytest.raises(SystemExit):
        main(["report", "--records", str(jsonl), "-o", str(out), "--split-over", "-1"])


@pytest.mark.slow
def test_split_report_in_headless_chromium(split_report):
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed (bash scripts/setup_browser.sh installs it)")
    out, records, _ = split_report
    for page, want in [
        (out, expected(records)),
        (out.parent / "report_files" / "doc_0002.html", None),
    ]:
        dom = run_chromium(binary, "--dump-dom", page.resolve().as_uri())
        assert dom.returncode == 0, dom.stderr.decode("utf-8", "replace")[-2000:]
        check = BeautifulSoup(dom.stdout.decode("utf-8"), "html.parser").select_one("#dom-check")
        assert (
            check is not None
            and check["data-status"] == "ready"
            and check["data-consistent"] == "true"
        )
        if want is not None:
            assert {k: int(check[f"data-{k}"]) for k in KEYS} == want
        else:
            assert check["data-documents"] == "1"
            assert {k: int(check[f"data-{k}"]) for k in KEYS if k != "documents"} == {
                k: v for k, v in expected([records[1]]).items() if k != "documents"
            }


def test_split_report_failed_swap_keeps_the_old_report(seed_records, tmp_path, monkeypatch):
    from govnlp.rendering import report as report_mod

    records, _ = seed_records
    out = tmp_path / "r.html"
    write_report(out, report_mod.render_report(records[:2], split_over=0, index_name="r.html"))
    before = out.read_text(encoding="utf-8")
    real, calls = os.replace, []

    def failing_swap(a, b):
        calls.append((a, b))
        if len(calls) == 2:  # the new pages directory onto the old one's place
            raise OSError("disk full")
        return real(a, b)

    monkeypatch.setattr(report_mod.os, "replace", failing_swap)
    with pytest.raises(OSError):
        write_report(out, report_mod.render_report(records, split_over=0, index_name="r.html"))
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in (tmp_path / "r_files").glob("doc_*.html")) == [
        "doc_0001.html",
        "doc_0002.html",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r_files"], "no temporary left"
