"""Every command that reads documents takes the same reading flags (one ReadOptions), and they work.

The commands run in process (``govnlp.cli.main``) on a CSV whose text column is not ``text``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import pytest

from govnlp import cli
from govnlp.io.options import ReadOptions

READ_FLAGS = {
    "--include",
    "--exclude",
    "--id-column",
    "--text-column",
    "--meta-column",
    "--max-chars",
}

#: The commands that read documents (``report`` and ``annotations export`` also read records).
READING_COMMANDS = [("tag",), ("report",), ("annotations", "export"), ("gazetteer", "suggest")]

ROWS = [
    {"key": "r1", "body": "一、抓投资。\n二、县发展和改革局负责项目审批。", "headline": "要点一"},
    {"key": "r2", "body": "一、抓招商。\n二、县财政局负责资金保障。", "headline": "要点二"},
    {"key": "long", "body": "一、" + "抓落实" * 200, "headline": "太长"},
]


def _subparser(parser: argparse.ArgumentParser, path) -> argparse.ArgumentParser:
    for name in path:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_every_reading_command_has_the_same_reading_flags(command):
    parser = _subparser(cli._build_parser(), command)
    flags = {s for a in parser._actions for s in a.option_strings}
    assert READ_FLAGS <= flags
    defaults = parser.parse_args(["x"] + (["-o", "o"]))
    assert (defaults.id_column, defaults.text_column, defaults.max_chars) == (
        "id",
        "text",
        1_000_000,
    )


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "docs.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["key", "body", "headline"])
        w.writeheader()
        w.writerows(ROWS)
    (folder / "skip.txt").write_text("一、不该读到的文件。\n二、县林业局负责。", encoding="utf-8")
    return folder


def _flags(corpus: Path):
    return [
        str(corpus),
        "--text-column",
        "body",
        "--id-column",
        "key",
        "--meta-column",
        "headline",
        "--exclude",
        "skip.txt",
        "--max-chars",
        "300",
    ]


def test_tag_reads_with_the_flags(corpus, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert cli.main(["tag", *_flags(corpus), "-o", str(out), "--segmenter", "char"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["r1", "r2"]
    assert records[0]["text"] == ROWS[0]["body"] and records[0]["meta"]["headline"] == "要点一"
    (err,) = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").open(encoding="utf-8")]
    assert err["doc_id"] == "long" and err["error_type"] == "DocumentTooLarge"
    assert "tagged 2 documents" in capsys.readouterr().out


def test_report_reads_a_csv_whose_text_column_is_not_text(corpus, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert cli.main(["report", *_flags(corpus), "-o", str(out), "--segmenter", "char"]) == 0
    assert "2 documents" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert "县发展和改革局负责项目审批" in html and "县财政局负责资金保障" in html
    assert "不该读到的文件" not in html  # --exclude
    assert "DocumentTooLarge" in html  # --max-chars: listed among the documents left out


def test_annotations_export_reads_with_the_flags(corpus, tmp_path, capsys):
    out = tmp_path / "tasks.jsonl"
    args = ["annotations", "export", *_flags(corpus), "-o", str(out), "--format", "doccano"]
    assert cli.main([*args, "--segmenter", "char"]) == 0
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert items and {it["doc_id"] for it in items} == {"r1", "r2"}
    assert all("不该读到" not in it["text"] for it in items)
    assert "skipped long: " in capsys.readouterr().err


def test_gazetteer_suggest_reads_with_the_flags(corpus, tmp_path, capsys):
    out = tmp_path / "cands.jsonl"
    assert cli.main(["gazetteer", "suggest", *_flags(corpus), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "from 2 documents" in captured.out and "skipped long" in captured.err
    assert cli.main(["gazetteer", "suggest", str(corpus), "-o", str(out)]) == 0  # no flags:
    captured = capsys.readouterr()  # skip.txt read, the table not (no column "text")
    assert "from 1 documents" in captured.out and "no 'text' column" in captured.err


def test_read_options_documents_are_those_of_iter_documents(corpus):
    from govnlp.io import iter_documents

    opts = ReadOptions(text_column="body", id_column="key", exclude=["*.txt"], max_chars=300)
    got = [(d.doc_id, d.text, type(d.error).__name__) for d in opts.documents([corpus])]
    want = [
        (d.doc_id, d.text, type(d.error).__name__)
        for d in iter_documents(
            [corpus], text_column="body", id_column="key", exclude=["*.txt"], max_chars=300
        )
    ]
    assert got == want and [g[0] for g in got] == ["r1", "r2", "long"]
    n, exact = opts.count([corpus])  # CSV rows are an estimate (quoted line breaks)
    assert not exact and ReadOptions().count([corpus])[0] == n + 1  # + skip.txt
