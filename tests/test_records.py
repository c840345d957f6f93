"""The one record definition (govnlp/records.py): docs/records.md, the spec, real records."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from govnlp import records as R
from govnlp.io.tables import FIXED_COLUMNS, flatten_record

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path("/work/shared/spec/records.md")
SAMPLE = ROOT / "corpora" / "samples" / "000_1b6371df3f24c22f.txt"


def test_committed_records_md_is_generated():
    committed = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    assert committed == R.markdown(), "run: python scripts/records_doc.py"


def test_records_doc_script_checks(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "records_doc", ROOT / "scripts" / "records_doc.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "records.md"
    assert script.main(["--out", str(out), "--check"]) == 1  # missing
    assert script.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == R.markdown()
    assert script.main(["--out", str(out), "--check"]) == 0
    out.write_text(R.markdown().replace("| `nil` |", "| `nul` |"), encoding="utf-8")
    assert script.main(["--out", str(out), "--check"]) == 1  # stale


def _spec_example() -> dict:
    if not SPEC.exists():
        pytest.skip("/work/shared is absent")
    block = re.search(r"```json\n(.*?)```", SPEC.read_text(encoding="utf-8"), re.S)
    return json.loads(block.group(1))


def _v1(cls) -> set:
    return {k for k, (_, f) in R.fields(cls).items() if f.spec}


def test_every_spec_field_is_in_the_definition():
    ex = _spec_example()
    item = ex["items"][0]
    parts = [
        (R.Record, ex),
        (R.Meta, ex["meta"]),
        (R.RegionRecord, ex["meta"]["region"]),
        (R.Item, item),
        (R.Leader, item["leaders"][0]),
        (R.Target, item["targets"][0]),
        (R.Unit, item["units"][0]),
    ]
    for cls, example in parts:
        # every field of the spec is defined, and exactly those are marked as records.md v1
        assert set(example) <= set(R.fields(cls)), (cls.__name__, set(example) - set(R.fields(cls)))
        assert _v1(cls) == set(example), cls.__name__
    assert ex["schema_version"] == R.SCHEMA_VERSION
    # the spec's order of the item fields is the order records are written in
    assert list(R.ITEM_FIELDS[: len(item)]) == list(item)


def test_real_records_follow_the_definition(nlp_char):
    from govnlp.tagging import tag_documents

    ((rec, _),) = list(tag_documents(nlp_char, [SAMPLE]))
    assert list(rec) == [k for k in R.fields(R.Record)]
    assert set(R.META_FIELDS) <= set(rec["meta"])
    items = rec["items"]
    assert items and all(list(it) == list(R.ITEM_FIELDS) for it in items)
    targets = [t for it in items for t in it["targets"]]
    units = [u for it in items for u in it["units"]]
    assert targets and units
    # no component writes a key the definition does not know (nor leaves one out)
    assert {k for t in targets for k in t} == set(R.fields(R.Target))
    assert {k for u in units for k in u} == set(R.fields(R.Unit))
    for u in units:
        for name, (tp, _) in R.fields(R.Unit).items():
            kind = R.column_kind(tp)
            if u[name] is not None and kind in ("int", "float", "bool", "str"):
                assert isinstance(
                    u[name], {"int": int, "float": (int, float), "bool": bool, "str": str}[kind]
                )
    # the flat rows use the derived columns (plus the additions the definition marks unfixed)
    rows = flatten_record(rec)
    for table, table_rows in rows.items():
        fixed = {c for c, _ in FIXED_COLUMNS[table]}
        extra = {k for r in table_rows for k in r} - fixed
        if table == "documents":
            assert extra <= {"encoding", "encoding_confidence"}
        elif table == "items":
            assert extra and all(c.startswith("cat_") for c in extra)
        elif table == "units":
            assert extra == {"link_score"}
        else:
            assert extra == set()


def test_table_columns_are_derived():
    # a field's type gives its column type; the items table leaves out the nested lists
    items = dict(R.table_columns("items"))
    assert items["level"] == "int" and items["path"] == "strlist" and items["leaders"] == "json"
    assert not {"id", "cats", "targets", "units"} & set(items)
    assert dict(R.table_columns("units"))["unit_id"] == "str"
    docs = [c for c, _ in R.table_columns("documents")]
    assert docs[6:8] == ["region_name", "region_adcode"] and docs[-1] == "n_chars"
    assert FIXED_COLUMNS["targets"] == R.table_columns("targets")
