"""Bad input: each bad document is reported once in the errors file (doc_id, error_type,
message) or handled; none stops the run; every good document is in the output."""

from __future__ import annotations

import json
import os
import shutil
import tracemalloc
from pathlib import Path


from govnlp import cli
from govnlp.io import iter_documents
from govnlp.io.readers import DocumentTooLarge, UnreadableDocument
from govnlp.tagging import tag_paths
from tests.conftest import SAMPLES

PNG = (
    bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
    + b"\x00" * 64
)
FIFTY_MB = 50 * 1024 * 1024


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def write_huge(path: Path, size: int = FIFTY_MB) -> None:
    block = ("一、做好防汛防台工作，确保安全度汛。\n" * 1000).encode("utf-8")
    with open(path, "wb") as fh:
        written = 0
        while written < size:
            fh.write(block)
            written += len(block)


def test_a_run_over_every_kind_of_bad_input(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in SAMPLES.glob("*.txt"):
        shutil.copy(p, docs / p.name)
    (docs / "image.txt").write_bytes(PNG)
    (docs / "empty.txt").write_bytes(b"")
    write_huge(docs / "huge.txt")
    (docs / "mojibake.txt").write_bytes(bytes(range(128, 256)) * 20)
    os.symlink(docs / "deleted.txt", docs / "gone.txt")  # broken link
    (docs / "folder.txt").mkdir()  # a directory named x.txt
    (docs / "folder.txt" / "inner.txt").write_text("一、抓投资。\n二、抓招商。", encoding="utf-8")
    (docs / "batch.jsonl").write_text(
        '{"id": "j1", "text": "一、抓好春耕生产。"}\n{"id": "j2", "text": "一、\n{"id": "j3", '
        '"text": "一、做好森林防火。"}\n',
        encoding="utf-8",
    )
    (docs / "nobody.html").write_text(
        "<html><head><title>空页面</title></head></html>", encoding="utf-8"
    )
    (docs / "corrupt.docx").write_bytes(b"PK\x03\x04" + os.urandom(200))
    (docs / "table.csv").write_text(
        "编号,内容\n1,一、抓投资。\n", encoding="utf-8"
    )  # no text column

    out = tmp_path / "out.jsonl"
    code = cli.main(["tag", str(docs), "-o", str(out), "--segmenter", "char"])
    stdout = capsys.readouterr().out
    assert code == 0
    got = [r["doc_id"] for r in read_jsonl(out)]
    assert sorted(got) == sorted(
        [p.name for p in SAMPLES.glob("*.txt")] + ["folder.txt/inner.txt", "j1", "j3"]
    )
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert len(errors) == len({e["doc_id"] for e in errors})  # one line per failed document
    kinds = {e["doc_id"]: e["error_type"] for e in errors}
    assert kinds == {
        "image.txt": "BinaryDocument",
        "empty.txt": "EmptyDocument",
        "huge.txt": "DocumentTooLarge",
        "mojibake.txt": "UndecodableDocument",
        "gone.txt": "UnreadableDocument",
        "batch.jsonl:2": "MalformedDocument",
        "nobody.html": "EmptyDocument",
        "corrupt.docx": "MalformedDocument",
        "table.csv": "MalformedDocument",
    }
    msg = {e["doc_id"]: e["message"] for e in errors}
    assert "PNG" in msg["image.txt"]
    assert "too large" in msg["huge.txt"] and "--max-chars" in msg["huge.txt"]
    assert "broken symbolic link" in msg["gone.txt"]
    assert "line 2" in msg["batch.jsonl:2"]
    assert "--text-column" in msg["table.csv"]
    assert f"errors {len(errors)}" in stdout


def test_huge_file_is_rejected_without_reading_it(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    write_huge(huge)
    real = Path.read_bytes

    def guarded(self):
        assert self.name != "huge.txt", "the 50 MB file was read"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    tracemalloc.start()
    (doc,) = list(iter_documents([huge]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(doc.error, DocumentTooLarge)
    assert "too large" in str(doc.error) and f"{huge.stat().st_size:,} bytes" in str(doc.error)
    assert peak < 5 * 1024 * 1024


def test_max_chars_is_a_limit_in_characters(nlp_char, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "short.txt").write_text("一、抓投资。", encoding="utf-8")
    (docs / "long.txt").write_text(
        "一、抓投资。" * 30, encoding="utf-8"
    )  # 180 characters, 540 bytes (< 4 × 150)
    (docs / "rows.jsonl").write_text(
        json.dumps({"id": "long-row", "text": "二、抓招商。" * 30}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "giant-line", "text": "三" * 100_000}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "ok-row", "text": "四、抓落实。"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    stats = tag_paths(nlp_char, [docs], out, max_chars=150)
    assert sorted(r["doc_id"] for r in read_jsonl(out)) == ["ok-row", "short.txt"]
    errors = {e["doc_id"]: e for e in read_jsonl(tmp_path / "out.errors.jsonl")}
    assert set(errors) == {"long.txt", "long-row", "rows.jsonl:2"}
    assert all(e["error_type"] == "DocumentTooLarge" for e in errors.values())
    assert "180 characters" in errors["long.txt"]["message"]
    assert stats.errors == 3
    # no limit: everything is tagged
    stats = tag_paths(nlp_char, [docs / "long.txt"], tmp_path / "all.jsonl", max_chars=None)
    assert stats.documents == 1 and stats.errors == 0


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "secret.txt").write_text("一、保密工作。", encoding="utf-8")
    (tmp_path / "open.txt").write_text("一、公开工作。", encoding="utf-8")
    real = Path.read_bytes

    def deny(self):
        if self.name == "secret.txt":  # tests run as root: chmod 000 would not stop us
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    got = {d.doc_id: d for d in iter_documents([tmp_path])}
    assert isinstance(got["secret.txt"].error, UnreadableDocument)
    assert "Permission denied" in str(got["secret.txt"].error)
    assert got["open.txt"].error is None and got["open.txt"].text == "一、公开工作。"


def test_pipeline_failure_is_isolated(nlp_char, tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(5):
        (docs / f"d{i}.txt").write_text(f"一、第{i}项工作。\n二、抓落实。", encoding="utf-8")
    import govnlp.engines.document as document

    real = document.doc_to_record

    def flaky(doc, doc_id, **kw):
        if doc_id == "d2.txt":
            raise RuntimeError("component exploded")
        return real(doc, doc_id, **kw)

    monkeypatch.setattr(document, "doc_to_record", flaky)
    out = tmp_path / "out.jsonl"
    stats = tag_paths(nlp_char, [docs], out, batch_size=2)
    assert [r["doc_id"] for r in read_jsonl(out)] == ["d0.txt", "d1.txt", "d3.txt", "d4.txt"]
    assert read_jsonl(tmp_path / "out.errors.jsonl") == [
        {"doc_id": "d2.txt", "error_type": "RuntimeError", "message": "component exploded"}
    ]
    assert stats.documents == 4 and stats.errors == 1


def test_duplicate_ids_are_reported_not_written_twice(nlp_char, tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "一、甲。"}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "x", "text": "一、乙。"}\n{"id": "y", "text": "一、丙。"}\n', encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    tag_paths(nlp_char, [tmp_path / "a.jsonl", tmp_path / "b.jsonl"], out)
    assert [r["doc_id"] for r in read_jsonl(out)] == ["x", "y"]
    (err,) = read_jsonl(tmp_path / "out.errors.jsonl")
    assert (
        err["doc_id"] == "x"
        and err["error_type"] == "DuplicateDocument"
        and "b.jsonl" in err["message"]
    )
