"""Runs that survive: kill -9 mid-run and --resume, torn last lines, progress, n_process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


from govnlp import cli
from govnlp.io import AtomicJsonlWriter
from govnlp.tagging import tag_paths

GOVNLP = [sys.executable, "-m", "govnlp.cli"]
N_GOOD = 38


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def make_corpus(root: Path) -> Path:
    docs = root / "docs"
    docs.mkdir()
    for i in range(N_GOOD):
        body = "\n".join(
            f"{n}、第{i}号文件第{n}项工作：完成投资{i + k}亿元，增长{k}%左右。责任单位:县发改局"
            "、各乡镇人民政府"
            for k, n in enumerate("一二三四五六", 1)
        )
        (docs / f"doc{i:02d}.txt").write_text(f"2024年第{i}期工作要点\n{body}", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    return docs


def test_kill_9_then_resume_tags_every_document_exactly_once(tmp_path):
    docs = make_corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    cmd = [*GOVNLP, "tag", str(docs), "-o", str(out), "--segmenter", "char", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if partial.exists() and partial.read_bytes().count(b"\n") >= 5:
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()  # only the partial file: never a half output
    n_before = partial.read_bytes().count(b"\n")
    assert 5 <= n_before < N_GOOD
    # a kill may land inside a write: cut the last record inside a multi-byte character
    lines = [ln for ln in partial.read_bytes().splitlines(keepends=True) if ln.endswith(b"\n")]
    last = lines[-1]
    cut = last.index("投".encode("utf-8")) + 1
    partial.write_bytes(b"".join(lines[:-1]) + last[:cut])

    res = subprocess.run([*cmd, "--resume"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert f"already done {len(lines) - 1}" in res.stdout
    records = read_jsonl(out)  # every line valid JSON
    ids = [r["doc_id"] for r in records]
    assert sorted(ids) == [f"doc{i:02d}.txt" for i in range(N_GOOD)]
    assert len(ids) == len(set(ids))  # each exactly once
    assert all(r["items"] and r["text"].startswith("2024年第") for r in records)
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert sorted(e["doc_id"] for e in errors) == [
        "binary.txt",
        "empty.txt",
    ]  # once each, though tried twice
    assert not partial.exists() and not (tmp_path / "out.errors.jsonl.partial").exists()


def test_resume_a_finished_run_changes_nothing(nlp_char, tmp_path):
    docs = make_corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    tag_paths(nlp_char, [docs], out)
    before = out.read_bytes()
    stats = tag_paths(nlp_char, [docs], out, resume=True)
    assert stats.skipped_done == N_GOOD and stats.documents == 0 and stats.errors == 2
    assert out.read_bytes() == before


def test_output_inside_the_input_directory_is_not_read_back(nlp_char, tmp_path):
    docs = make_corpus(tmp_path)
    out = docs / "out.jsonl"  # .jsonl is an input type now: must not tag itself
    tag_paths(nlp_char, [docs], out)
    from govnlp.io.tables import export_tables

    export_tables(out, formats=["csv"])  # out.items.csv has a text column
    stats = tag_paths(nlp_char, [docs], out, resume=True)
    assert stats.documents == 0 and stats.skipped_done == N_GOOD
    ids = [r["doc_id"] for r in read_jsonl(out)]
    assert len(ids) == N_GOOD and not any(i.startswith("out.") for i in ids)


def test_writer_drops_torn_and_damaged_lines(tmp_path):
    out = tmp_path / "r.jsonl"
    partial = tmp_path / "r.jsonl.partial"
    good = [
        json.dumps({"doc_id": f"d{i}", "text": "一、抓投资。"}, ensure_ascii=False) + "\n"
        for i in range(3)
    ]
    for tail in (
        good[0][:-9].encode("utf-8")[:-1],  # cut inside 。 (multi-byte)
        b"{not json}\n" + good[2].encode("utf-8"),
        b'["a list"]\n',
    ):
        partial.write_bytes("".join(good[:2]).encode("utf-8") + tail)
        w = AtomicJsonlWriter(out, resume=True)
        assert w.done == {"d0", "d1"}
        w.write({"doc_id": "d2"})
        w.commit()
        assert [r["doc_id"] for r in read_jsonl(out)] == ["d0", "d1", "d2"]
        out.unlink()


def test_progress_bar_has_a_total_rate_and_eta(tmp_path, capsys):
    docs = make_corpus(tmp_path)
    out = tmp_path / "o.jsonl"
    args = ["tag", str(docs), "-o", str(out), "--segmenter", "char", "--progress", "--quiet"]
    assert cli.main(args) == 0
    stderr = capsys.readouterr().err
    total = N_GOOD + 2
    assert f"{total}/{total}" in stderr and "doc/s" in stderr
    assert "<" in stderr  # elapsed<remaining: an ETA is shown


def test_n_process_gives_the_same_records(nlp_char, tmp_path):
    docs = make_corpus(tmp_path)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    tag_paths(nlp_char, [docs], one, batch_size=4)
    stats = tag_paths(nlp_char, [docs], two, batch_size=4, n_process=2)
    assert stats.documents == N_GOOD and stats.errors == 2
    assert read_jsonl(one) == read_jsonl(two)
