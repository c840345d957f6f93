"""Records flattened to tables: rows, columns and types, Parquet and Excel CSV round trips,
atomic writes, ``govnlp export`` and ``govnlp tag --tables``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govnlp.io import tables as tables_mod
from govnlp.io.tables import (
    FIXED_COLUMNS,
    export_tables,
    flatten_record,
    read_csv_table,
    table_paths,
)
from govnlp.tagging import tag_paths
from tests.conftest import SAMPLES

GOVNLP = [sys.executable, "-m", "govnlp.cli"]

RECORD = {
    "schema_version": "1",
    "doc_id": "d1.txt",
    "text": "一、抓投资。\n1.GDP增长6%左右。责任单位:县发改局",
    "meta": {
        "title": "要点",
        "issuer": None,
        "date": "2024-05-01",
        "doc_type": None,
        "region": {"name": "象山县", "adcode": "330225"},
        "index_no": "001/2024-1",
    },
    "items": [
        {
            "id": "i1",
            "parent": None,
            "level": 1,
            "marker": "一、",
            "start": 0,
            "end": 6,
            "heading": "抓投资",
            "path": [],
            "leaders": [],
            "cats": {},
            "labels": [],
            "targets": [],
            "units": [],
            "leaf": False,
            "kind": "numbered",
            "title": "抓投资。",
            "duty_lines": [],
        },
        {
            "id": "i2",
            "parent": "i1",
            "level": 2,
            "marker": "1.",
            "start": 7,
            "end": 30,
            "heading": None,
            "path": ["i1"],
            "leaders": [{"name": "宋晖", "title": "常务副县长"}],
            "cats": {"macro_economy": 0.97, "investment": 0.5},
            "labels": ["macro_economy"],
            "targets": [
                {
                    "start": 12,
                    "end": 17,
                    "text": "6%左右",
                    "indicator": "GDP",
                    "kind": "target",
                    "measure": "growth_rate",
                    "value": 6,
                    "low": None,
                    "high": None,
                    "bound": "approx",
                    "unit_raw": "%",
                    "unit": "percent",
                    "scale": 1.0,
                    "value_base": 6.0,
                    "qualifiers": ["左右"],
                    "masked": False,
                    "confidence": 0.9,
                }
            ],
            "units": [
                {
                    "start": 23,
                    "end": 27,
                    "text": "县发改局",
                    "role": "responsible",
                    "id": "tpl:county:fagai",
                    "canonical": "县发展和改革局",
                    "nil": False,
                    "scope": "local",
                    "members": [],
                    "type": "department",
                }
            ],
            "leaf": True,
            "kind": "numbered",
            "title": "GDP增长6%左右。",
            "duty_lines": [
                {"label": "责任单位", "start": 18, "end": 30, "value_start": 23, "value_end": 30}
            ],
        },
    ],
}


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def test_flatten_record_rows():
    rows = flatten_record(RECORD)
    (doc,) = rows["documents"]
    assert doc["region_name"] == "象山县" and doc["region_adcode"] == "330225"
    assert doc["index_no"] == "001/2024-1" and doc["n_items"] == 2 and doc["n_work_items"] == 1
    assert doc["n_targets"] == 1 and doc["n_units"] == 1 and doc["n_chars"] == len(RECORD["text"])
    i1, i2 = rows["items"]
    assert (i1["doc_id"], i1["item_id"], i2["item_id"], i2["parent"]) == (
        "d1.txt",
        "i1",
        "i2",
        "i1",
    )
    assert i2["text"] == RECORD["text"][7:30]
    assert (
        i2["cat_macro_economy"] == 0.97
        and i2["cat_investment"] == 0.5
        and "cat_investment" not in i1
    )
    assert i2["n_targets"] == 1 and i1["n_units"] == 0
    (t,) = rows["targets"]
    assert (t["doc_id"], t["item_id"], t["target_index"], t["value"], t["confidence"]) == (
        "d1.txt",
        "i2",
        0,
        6,
        0.9,
    )
    (u,) = rows["units"]
    assert u["unit_id"] == "tpl:county:fagai" and u["unit_index"] == 0 and u["type"] == "department"


def test_parquet_and_csv_round_trip(tmp_path):
    other = json.loads(json.dumps(RECORD))
    other["doc_id"] = "d2.txt"
    other["items"][1]["targets"][0]["value"] = 6.5  # int in one record, float in another
    other["items"][1]["cats"] = {"macro_economy": 1, "education": 0.25}
    src = tmp_path / "r.jsonl"
    write_jsonl(src, [RECORD, other])
    paths = export_tables(src, formats=["both"])
    assert paths["parquet"]["items"] == tmp_path / "r.items.parquet"
    assert paths["csv"]["units"] == tmp_path / "r.units.csv"

    items = pq.read_table(tmp_path / "r.items.parquet")
    cols = items.column_names
    assert cols[: len(FIXED_COLUMNS["items"]) - 1] == [c for c, _ in FIXED_COLUMNS["items"][:-1]]
    assert [c for c in cols if c.startswith("cat_")] == [
        "cat_education",
        "cat_investment",
        "cat_macro_economy",
    ]
    assert str(items.schema.field("cat_macro_economy").type) == "double"
    assert (
        pa.types.is_list(items.schema.field("path").type)
        and items.schema.field("path").type.value_type == pa.string()
    )
    rows = items.to_pylist()
    assert rows[1]["path"] == ["i1"] and json.loads(rows[1]["leaders"]) == [
        {"name": "宋晖", "title": "常务副县长"}
    ]
    assert rows[1]["cat_macro_economy"] == 0.97 and rows[1]["cat_education"] is None
    assert rows[3]["cat_macro_economy"] == 1.0 and rows[3]["cat_education"] == 0.25
    targets = pq.read_table(tmp_path / "r.targets.parquet")
    assert str(targets.schema.field("value").type) == "double"
    assert targets.column("value").to_pylist() == [6.0, 6.5]
    assert targets.column("qualifiers").to_pylist() == [["左右"], ["左右"]]
    assert targets.column("masked").to_pylist() == [False, False]
    docs = pq.read_table(tmp_path / "r.documents.parquet").to_pylist()
    assert [d["doc_id"] for d in docs] == ["d1.txt", "d2.txt"] and docs[0]["title"] == "要点"

    raw = (tmp_path / "r.items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Excel: BOM, CRLF
    crow = read_csv_table(tmp_path / "r.items.csv")
    assert list(crow[0]) == cols  # same columns as Parquet
    assert crow[1]["text"] == RECORD["text"][7:30]  # Chinese intact
    assert (
        json.loads(crow[1]["path"]) == ["i1"]
        and crow[1]["leaf"] == "true"
        and crow[0]["parent"] == ""
    )
    assert json.loads(crow[1]["duty_lines"])[0]["label"] == "责任单位"
    assert float(crow[3]["cat_macro_economy"]) == 1.0
    units = read_csv_table(tmp_path / "r.units.csv")
    assert units[0]["canonical"] == "县发展和改革局" and units[0]["nil"] == "false"
    import pandas as pd

    df = pd.read_csv(tmp_path / "r.targets.csv", encoding="utf-8-sig")
    assert df["value"].tolist() == [6.0, 6.5] and df.columns[0] == "doc_id"


def test_schema_is_stable_without_rows(tmp_path):
    rec = {"schema_version": "1", "doc_id": "x", "meta": {}, "items": []}
    src = tmp_path / "empty.jsonl"
    write_jsonl(src, [rec])
    export_tables(src, tmp_path / "t", formats=["parquet", "csv"])
    t = pq.read_table(tmp_path / "t" / "targets.parquet")
    assert t.num_rows == 0
    assert [(f.name, str(f.type)) for f in t.schema][:10] == [
        ("doc_id", "string"),
        ("item_id", "string"),
        ("target_index", "int64"),
        ("start", "int64"),
        ("end", "int64"),
        ("text", "string"),
        ("indicator", "string"),
        ("kind", "string"),
        ("measure", "string"),
        ("value", "double"),
    ]
    with open(tmp_path / "t" / "units.csv", encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == [c for c, _ in FIXED_COLUMNS["units"]]


def test_writes_are_atomic(tmp_path, monkeypatch):
    src = tmp_path / "r.jsonl"
    write_jsonl(src, [RECORD] * 3)
    export_tables(src, formats=["both"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    calls = {"n": 0}
    real = tables_mod.flatten_record

    def failing(rec):
        calls["n"] += 1
        if calls["n"] == 5:  # second pass, writing: the disk fills up, the process dies…
            raise OSError(28, "No space left on device")
        return real(rec)

    monkeypatch.setattr(tables_mod, "flatten_record", failing)
    with pytest.raises(OSError):
        export_tables(src, formats=["both"])
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # old tables intact, no temporary files left behind
    assert calls["n"] == 5


def test_bad_records_file_names_the_line(tmp_path):
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    res = subprocess.run(
        [*GOVNLP, "export", str(src), "-o", str(tmp_path / "t")], capture_output=True, text=True
    )
    assert res.returncode == 1 and "r.jsonl:2" in res.stderr
    assert not (tmp_path / "t").exists() or not any((tmp_path / "t").iterdir())


def test_export_command(nlp_char, tmp_path):
    out = tmp_path / "seeds.jsonl"
    tag_paths(nlp_char, [SAMPLES], out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    res = subprocess.run(
        [*GOVNLP, "export", str(out), "--format", "csv", "-o", str(tmp_path / "csv")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "table items" in res.stdout
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "documents.csv",
        "items.csv",
        "targets.csv",
        "units.csv",
    ]
    items = read_csv_table(tmp_path / "csv" / "items.csv")
    assert len(items) == sum(len(r["items"]) for r in records)
    targets = read_csv_table(tmp_path / "csv" / "targets.csv")
    expected = [
        (r["doc_id"], it["id"], t["text"])
        for r in records
        for it in r["items"]
        for t in it["targets"]
    ]
    assert [(t["doc_id"], t["item_id"], t["text"]) for t in targets] == expected


def test_tag_writes_tables_on_seeds(tmp_path):
    """End to end with the default (pkuseg) pipeline: tag → JSONL + both table formats."""
    out = tmp_path / "seeds.jsonl"
    res = subprocess.run(
        [*GOVNLP, "tag", str(SAMPLES), "-o", str(out), "--tables", "both"],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for fmt in ("parquet", "csv"):
        for table, path in table_paths(out, None, fmt).items():
            assert path.exists(), path
    items = pq.read_table(table_paths(out)["items"]).to_pylist()
    assert len(items) == sum(len(r["items"]) for r in records)
    gdp = next(
        r
        for r in items
        if r["doc_id"].startswith("002") and r["leaf"] and "地区生产总值(GDP)" in (r["text"] or "")
    )
    units = pq.read_table(table_paths(out)["units"]).to_pylist()
    canon = {
        u["canonical"]
        for u in units
        if u["doc_id"] == gdp["doc_id"] and u["item_id"] == gdp["item_id"]
    }
    assert "县发展和改革局" in canon
    targets = pq.read_table(table_paths(out)["targets"]).to_pylist()
    assert any(
        t["text"] == "10%左右" and t["bound"] == "approx" and t["item_id"] == gdp["item_id"]
        for t in targets
    )
    docs = pq.read_table(table_paths(out)["documents"]).to_pylist()
    assert next(d for d in docs if d["doc_id"].startswith("002"))["region_name"] == "嵊泗县"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
