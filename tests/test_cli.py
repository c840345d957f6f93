"""`govnlp tag` end to end on the seeds, errors file, resume, exit codes.

The command runs in process (``govnlp.cli.main``) except in the end-to-end test on the seeds,
which runs it as a program (``python -m govnlp.cli``) as a user would.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govnlp import cli
from tests.conftest import SAMPLES

GOVNLP = [sys.executable, "-m", "govnlp.cli"]


def run(capsys, *args):
    """``govnlp ARGS`` in process: (exit status, stdout, stderr)."""
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as exc:  # --help, usage errors
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_help_explains_every_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for cmd in ("tag", "setup-segmenter", "info", "report", "export", "gazetteer"):
        assert cmd in out
    assert "--resume" in run(capsys, "tag", "--help")[1]
    code, _, err = run(capsys, "tag", str(SAMPLES))  # no -o
    assert code == 2 and "--output" in err


def test_tag_seeds_end_to_end(tmp_path):
    out = tmp_path / "samples.jsonl"
    res = subprocess.run(
        [*GOVNLP, "tag", str(SAMPLES), "-o", str(out)], capture_output=True, text=True, check=True
    )
    assert "tagged 5 documents" in res.stdout
    records = read_jsonl(out)
    assert [r["doc_id"] for r in records] == sorted(p.name for p in SAMPLES.glob("*.txt"))
    for r in records:
        assert r["schema_version"] == "1"
        text = (SAMPLES / r["doc_id"]).read_text(encoding="utf-8")
        assert r["text"] == text
        ids = {it["id"] for it in r["items"]}
        for it in r["items"]:
            assert set(it) >= {
                "id",
                "parent",
                "level",
                "marker",
                "start",
                "end",
                "heading",
                "path",
                "leaders",
                "cats",
                "labels",
                "targets",
                "units",
            }
            assert it["parent"] is None or it["parent"] in ids
            assert text[it["start"] : it["end"]].strip()
    breakdown = next(r for r in records if r["doc_id"].startswith("002"))
    assert sum(it["leaf"] for it in breakdown["items"]) >= 140
    # components run end to end: targets and linked units on the responsibility breakdown
    gdp = next(
        it
        for it in breakdown["items"]
        if "地区生产总值(GDP)" in breakdown["text"][it["start"] : it["end"]] and it["leaf"]
    )
    assert any(t["text"] == "10%左右" and t["bound"] == "approx" for t in gdp["targets"])
    canon = {u["canonical"] for u in gdp["units"]}
    assert "县发展和改革局" in canon and "县人力资源和社会保障局" in canon
    collective = next(u for u in gdp["units"] if u["text"] == "各乡镇人民政府")
    assert collective["members"] and breakdown["meta"]["region"]["name"] == "嵊泗县"
    assert not (tmp_path / "samples.jsonl.partial").exists()
    assert read_jsonl(tmp_path / "samples.errors.jsonl") == []


def test_bad_documents_are_reported_and_skipped(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("一、抓投资。\n二、抓招商。", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (docs / "gbk.txt").write_bytes(
        "一、做好防汛防台工作，确保安全度汛。\n二、抓好安全生产。".encode("gb18030")
    )
    out = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "tag", docs, "-o", out, "--no-text", "--segmenter", "char")
    assert code == 0
    got = {r["doc_id"]: r for r in read_jsonl(out)}
    assert set(got) == {"good.txt", "gbk.txt"}
    assert "text" not in got["good.txt"]
    assert [it["marker"] for it in got["gbk.txt"]["items"]] == ["一、", "二、"]
    errors = {e["doc_id"]: e for e in read_jsonl(tmp_path / "out.errors.jsonl")}
    assert set(errors) == {"empty.txt", "binary.txt"}
    assert all(e["error_type"] and e["message"] for e in errors.values())


def test_nothing_tagged_exits_non_zero(tmp_path, capsys):
    code, _, err = run(capsys, "tag", tmp_path / "missing", "-o", tmp_path / "o.jsonl")
    assert code == 1
    assert "nothing could be tagged" in err


def test_a_pipeline_that_cannot_be_loaded_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "tag", SAMPLES, "-o", tmp_path / "o.jsonl", "--model", tmp_path)
    assert code == 2 and "cannot load the pipeline" in err
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("flags", [["--doc-timeout", "0"], ["--n-process", "2"]])
def test_tag_flags_reach_the_engine(tmp_path, capsys, flags):
    """In this process (no budget) and in two worker processes: the same records."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(5):
        (docs / f"d{i}.txt").write_text(
            f"一、第{i}项：投资{i}亿元。\n二、县财政局负责。", encoding="utf-8"
        )
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    base = ["tag", docs, "--segmenter", "char", "--no-text", "--quiet"]
    assert run(capsys, *base, "-o", a)[0] == 0
    assert run(capsys, *base, "-o", b, *flags)[0] == 0
    assert a.read_bytes() == b.read_bytes() and len(read_jsonl(a)) == 5
    assert "text" not in read_jsonl(a)[0] and read_jsonl(a)[0]["items"]


def test_resume_after_partial_run(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    run(capsys, "tag", SAMPLES, "-o", out, "--segmenter", "char")
    full = read_jsonl(out)
    # simulate a run killed after two documents and in the middle of a third line
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.unlink()
    (tmp_path / "out.jsonl.partial").write_text(
        "".join(lines[:2]) + lines[2][:100], encoding="utf-8"
    )
    code, stdout, _ = run(capsys, "tag", SAMPLES, "-o", out, "--segmenter", "char", "--resume")
    assert code == 0 and "already done 2" in stdout
    assert read_jsonl(out) == full


def _sibling_imports(node) -> set:
    """The ``govnlp.commands`` modules an import statement names (relative or absolute)."""
    import ast

    if isinstance(node, ast.ImportFrom) and node.level == 1:  # from .x import … / from . import x
        return {node.module} if node.module else {a.name for a in node.names}
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        names = [node.module or ""]
    elif isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        return set()
    return {n.split(".")[2] for n in names if n.startswith("govnlp.commands.")}


def test_commands_do_not_import_each_other():
    """Shared code lives in ``commands/_options.py`` or below ``commands``, never in a command."""
    import ast

    from govnlp.commands import COMMAND_MODULES

    folder = Path(cli.__file__).parent / "commands"
    for name in COMMAND_MODULES:
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        imported = set().union(*(_sibling_imports(node) for node in ast.walk(tree)))
        assert imported <= {"_options"}, f"govnlp.commands.{name} imports {imported - {'_options'}}"
