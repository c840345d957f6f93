"""One document never crashes or silently shrinks a run: non-UTF-8 file names, lone
surrogates in JSONL ids and meta, deeply nested JSONL lines, symbolic links to
directories (followed, or reported), unlistable directories. End to end through
``govnlp tag`` (and ``--resume``), plus the pieces directly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govnlp.io import iter_documents
from govnlp.io.readers import SymlinkNotFollowed, UnreadableDocument, count_documents, iter_files
from govnlp.io.unicode_safety import NOTES_KEY, dumps_line, repair, repair_tree
from govnlp.io.writers import AtomicJsonlWriter

GOVNLP = [sys.executable, "-m", "govnlp.cli"]
GBK_NAME = "中文通知.txt".encode("gbk")  # as a Windows zip leaves it


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def tag(docs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*GOVNLP, "tag", str(docs), "-o", str(out), "--segmenter", "char", *extra],
        capture_output=True,
        text=True,
    )


@pytest.fixture()
def hostile(tmp_path):
    docs = tmp_path / "docs"
    (docs / "real").mkdir(parents=True)
    (docs / "a.txt").write_text("一、抓投资。\n二、抓招商。\n", encoding="utf-8")
    (docs / "real" / "b.txt").write_text("一、抓春耕。\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(docs), GBK_NAME), "wb") as fh:
        fh.write("一、抓生产。\n".encode("gbk"))
    deep = '{"id": "deep", "text": "一、x", "title": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (docs / "rows.jsonl").write_text(
        '{"id": "x\\ud800y", "text": "一、抓投资\\udcd6。", "title": "关于\\udfff通知"}\n'
        + deep
        + "\n"
        + '{"id": "ok", "text": "一、抓生产。"}\n',
        encoding="utf-8",
    )
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "sub" / "c.txt").write_text("一、抓外面。\n", encoding="utf-8")
    os.symlink(outside, docs / "elsewhere")  # outside the input: followed
    os.symlink(docs / "real", docs / "alias")  # inside: read as real/
    os.symlink(docs, docs / "real" / "loop")  # back up: a loop
    os.symlink(docs, outside / "back")  # a loop through the outside
    return docs


def test_a_run_over_hostile_names_and_links_then_resume(hostile, tmp_path):
    out = tmp_path / "out.jsonl"
    res = tag(hostile, out)
    assert res.returncode == 0, res.stderr
    recs = {r["doc_id"]: r for r in read_jsonl(out)}
    assert sorted(recs) == sorted(
        ["a.txt", "real/b.txt", "中文通知.txt", "x\ufffdy", "ok", "elsewhere/sub/c.txt"]
    )
    gbk = recs["中文通知.txt"]
    assert gbk["text"].startswith("一、抓生产。")
    assert gbk["meta"][NOTES_KEY] == [
        {"bytes": GBK_NAME.hex(), "decoded_as": "gb18030", "field": "doc_id"}
    ]
    row = recs["x\ufffdy"]
    assert row["meta"]["title"] == "关于\ufffd通知"
    assert row["text"] == "一、抓投资\ufffd。"  # one character for one: offsets hold
    fields = {n["field"] for n in row["meta"][NOTES_KEY]}
    assert {"doc_id", "meta.title", "text"} <= fields
    assert (
        json.loads([n for n in row["meta"][NOTES_KEY] if n["field"] == "doc_id"][0]["original"])
        == "x\ud800y"
    )
    errors = {e["doc_id"]: e for e in read_jsonl(tmp_path / "out.errors.jsonl")}
    assert errors["rows.jsonl:2"]["error_type"] == "MalformedDocument"
    assert "nested" in errors["rows.jsonl:2"]["message"]
    assert {k: e["error_type"] for k, e in errors.items() if k != "rows.jsonl:2"} == {
        "alias/": "SymlinkNotFollowed",
        "real/loop/": "SymlinkNotFollowed",
        "elsewhere/back/": "SymlinkNotFollowed",
    }
    assert "'real'" in errors["alias/"]["message"] and "loop" in errors["real/loop/"]["message"]

    again = tag(hostile, out, "--resume")  # no crash at the same document
    assert again.returncode == 0, again.stderr
    assert len(read_jsonl(out)) == len(recs)  # nothing redone or duplicated
    assert "already done 6" in again.stderr + again.stdout


def test_text_offsets_survive_a_repaired_surrogate():
    # a lone surrogate in the text becomes U+FFFD, one character for one
    record = {
        "doc_id": "d",
        "text": "一、抓\ud800投资。",
        "meta": {},
        "items": [{"start": 0, "end": 7}],
    }
    back = json.loads(dumps_line(record))
    assert back["text"] == "一、抓\ufffd投资。" and len(back["text"]) == len(record["text"])
    assert back["meta"][NOTES_KEY][0]["field"] == "text"


def test_repair_keeps_the_original():
    name = os.fsdecode(GBK_NAME)
    assert repair(name) == ("中文通知.txt", {"bytes": GBK_NAME.hex(), "decoded_as": "gb18030"})
    latin = os.fsdecode("café.txt".encode("latin-1"))
    fixed, note = repair(latin)
    assert fixed == "caf\\xe9.txt" and note == {
        "bytes": "636166e92e747874",
        "decoded_as": "escaped",
    }
    assert repair("好") == ("好", None)


def test_repair_tree_reaches_keys_lists_and_deep_values():
    value = {"a\ud800": [{"b": "\udcff"}]}
    for _ in range(5000):  # iterative: no recursion limit
        value = {"x": value}
    fixed, notes = repair_tree(value)
    assert len(notes) == 2 and all(n["field"].startswith("x.x.") for n in notes)


def test_errors_file_lines_with_bad_strings_are_written(tmp_path):
    with AtomicJsonlWriter(tmp_path / "e.jsonl") as w:
        w.write({"doc_id": "a\udcd6", "error_type": "X", "message": "cannot read /x/\udcd6"})
    line = read_jsonl(tmp_path / "e.jsonl")[0]
    assert line["doc_id"] == "a\\xd6" and line[NOTES_KEY][0]["field"] == "doc_id"


def test_symlinked_directory_outside_the_input_is_followed(tmp_path):
    docs, other = tmp_path / "docs", tmp_path / "other"
    docs.mkdir()
    other.mkdir()
    (other / "x.txt").write_text("一、抓投资。", encoding="utf-8")
    os.symlink(other, docs / "link")
    assert [i for _, i in iter_files([docs])] == ["link/x.txt"]
    assert count_documents([docs]) == (1, True)


def test_a_link_loop_is_one_error_not_a_hang(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    os.symlink("..", docs / "a" / "up")
    os.symlink(".", docs / "self")
    got = {d.doc_id: d for d in iter_documents([docs])}
    assert set(got) == {"a/up/", "self/"}
    assert all(isinstance(d.error, SymlinkNotFollowed) for d in got.values())


def test_an_unlistable_directory_is_reported(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "locked" / "x.txt").write_text("一、抓投资。", encoding="utf-8")
    (docs / "a.txt").write_text("一、抓投资。", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):  # what chmod 000 does, for a test that may run as root
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = {d.doc_id: d for d in iter_documents([docs])}
    assert set(got) == {"a.txt", "locked/"}  # main: silently skipped
    assert isinstance(got["locked/"].error, UnreadableDocument) and "Permission denied" in str(
        got["locked/"].error
    )


def test_walk_order_is_os_walk_order(tmp_path):
    docs = tmp_path / "docs"
    for rel in ("b/z.txt", "b/a.txt", "a/c/d.txt", "a/b.txt", "z.txt", "m.txt"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("一", encoding="utf-8")
    expected = []
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames.sort()
        expected += [Path(dirpath, f).relative_to(docs).as_posix() for f in sorted(filenames)]
    assert [i for _, i in iter_files([docs])] == expected


def test_a_reader_recursing_too_deep_is_a_malformed_document(tmp_path, monkeypatch):
    from govnlp.io import html_reader
    from govnlp.io.readers import MalformedDocument, load_document

    def deep(*_a, **_k):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(html_reader, "read_html_file", deep)
    (tmp_path / "p.html").write_text("<html><body>一</body></html>", encoding="utf-8")
    doc = load_document(tmp_path / "p.html", "p.html")
    assert isinstance(doc.error, MalformedDocument) and "nested" in str(doc.error)
