"""`govnlp gazetteer suggest` → review → `--county-file`: unknown units become linked; unit names
stay one token.

The commands run in process (``govnlp.cli.main``)."""

import json

from govnlp import cli
from tests.conftest import SAMPLES

BREAKDOWN = SAMPLES / "002_ed9c876b7720aff2.txt"


def nil_names(records_path):
    rec = json.loads(records_path.read_text(encoding="utf-8").splitlines()[0])
    return {u["text"] for it in rec["items"] for u in it["units"] if u["nil"]}


def test_suggested_entries_fed_back_link_the_unknown_units(tmp_path, capsys):
    cands = tmp_path / "cands.jsonl"
    assert cli.main(["gazetteer", "suggest", str(BREAKDOWN), "-o", str(cands)]) == 0
    assert "candidate entries" in capsys.readouterr().out
    rows = [json.loads(line) for line in cands.read_text(encoding="utf-8").splitlines()]
    names = [r["canonical"] for r in rows]
    assert "县洋管中心" in names
    assert rows == sorted(rows, key=lambda r: (-r["freq"], r["canonical"]))
    assert all(r["freq"] >= 1 and r["examples"] and r["id"].startswith("user:") for r in rows)

    before = tmp_path / "before.jsonl"
    assert cli.main(["tag", str(BREAKDOWN), "-o", str(before), "--segmenter", "char"]) == 0
    assert "县洋管中心" in nil_names(before)
    after = tmp_path / "after.jsonl"
    args = ["tag", str(BREAKDOWN), "-o", str(after), "--segmenter", "char"]
    assert cli.main([*args, "--county-file", str(cands)]) == 0
    assert not (set(names) & nil_names(after))
    rec = json.loads(after.read_text(encoding="utf-8").splitlines()[0])
    linked = [u for it in rec["items"] for u in it["units"] if u["text"] == "县洋管中心"]
    assert linked and linked[0]["id"] == "user:县洋管中心" and linked[0]["nil"] is False


def test_gazetteer_stats_counts_entries_by_type(capsys):
    assert cli.main(["gazetteer", "stats"]) == 0
    out = capsys.readouterr().out
    counts = {
        line.split()[0]: int(line.split()[-1]) for line in out.splitlines() if line.startswith("  ")
    }
    assert counts["department"] >= 100 and counts["group"] >= 10 and counts["collective"] >= 5


def test_unit_names_stay_one_token(nlp_pkuseg):
    words = [t.text for t in nlp_pkuseg("责任单位:县人力社保局、县文广旅体局、县资源规划局")]
    for name in ("县人力社保局", "县文广旅体局", "县资源规划局"):
        assert name in words
