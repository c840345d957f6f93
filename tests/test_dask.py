"""The Dask engine (``govnlp tag --engine dask``): same records as the local engine.

One two-worker local cluster (worker processes, as in real use) serves the
module: each worker builds the pkuseg pipeline once from its spec.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from govnlp.engines import PipelineSpec  # noqa: E402
from govnlp.engines.dask import DaskEngine, EngineError, cached_pipelines  # noqa: E402
from govnlp.io import InputDocument  # noqa: E402
from govnlp.tagging import tag_paths  # noqa: E402

from tests.conftest import SAMPLES  # noqa: E402

pytestmark = pytest.mark.slow


def _lines_by_id(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    by_id = {json.loads(line)["doc_id"]: line for line in lines}
    assert len(by_id) == len(lines), "a document was written twice"
    return by_id


@pytest.fixture(scope="module")
def engine():
    eng = DaskEngine(PipelineSpec(), workers=2, processes=True, timeout=120)
    with eng:
        assert eng.n_threads() == 2
        yield eng


def test_dask_records_equal_local_records(engine, nlp_pkuseg, tmp_path):
    local = tag_paths(nlp_pkuseg, [SAMPLES], tmp_path / "local.jsonl")
    dask = tag_paths(None, [SAMPLES], tmp_path / "dask.jsonl", engine=engine, batch_size=2)
    assert (dask.documents, dask.errors, dask.characters, dask.items, dask.targets, dask.units) == (
        local.documents,
        local.errors,
        local.characters,
        local.items,
        local.targets,
        local.units,
    )
    assert local.documents == 5
    # the same JSON lines, byte for byte; only their order may differ
    assert _lines_by_id(tmp_path / "dask.jsonl") == _lines_by_id(tmp_path / "local.jsonl")
    assert not (tmp_path / "dask.jsonl.partial").exists()
    # both workers took part, each building the pipeline once
    workers = engine.client.run(cached_pipelines)
    assert len(workers) == 2 and all(keys == [PipelineSpec().key()] for keys in workers.values())


def test_bad_documents_are_reported_and_the_run_goes_on(engine, nlp_char, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SAMPLES.glob("*.txt"))[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 64)  # unreadable: reported by the client
    out = tmp_path / "out.jsonl"
    stats = tag_paths(None, [src], out, engine=engine, batch_size=2)
    assert stats.documents == 2 and stats.errors == 1
    # the same errors file as the local engine writes
    local = tag_paths(nlp_char, [src], tmp_path / "local.jsonl")
    assert local.errors == 1
    errors = (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8")
    assert errors == (tmp_path / "local.errors.jsonl").read_text(encoding="utf-8")
    assert json.loads(errors)["doc_id"] == "binary.txt"

    # --resume skips what is done, as with the local engine
    again = tag_paths(None, [src], out, engine=engine, batch_size=2, resume=True)
    assert again.skipped_done == 2 and again.documents == 0

    # a document the pipeline fails on (on a worker) comes back as an error, its batch-mates are
    # tagged
    text = (SAMPLES / "000_1b6371df3f24c22f.txt").read_text(encoding="utf-8")
    docs = [
        InputDocument("good.txt", text),
        InputDocument("bad.txt", 12345),
        InputDocument("good2.txt", text[:500]),
    ]  # type: ignore[arg-type]
    results = {
        d.doc_id: (rec, exc)
        for d, rec, exc in engine.process(docs, batch_size=3, include_text=False)
    }
    assert set(results) == {"good.txt", "bad.txt", "good2.txt"}
    assert results["good.txt"][1] is None and results["good.txt"][0]["items"]
    assert results["good2.txt"][1] is None
    rec, exc = results["bad.txt"]
    assert rec is None and exc is not None and type(exc).__name__ in ("TypeError", "ValueError")


def test_a_pipeline_that_cannot_be_built_aborts_the_run(engine, tmp_path):
    broken = DaskEngine(
        PipelineSpec(pkuseg_model=str(tmp_path / "no-model")),
        scheduler=engine.client.scheduler.address,
    )
    with broken, pytest.raises(EngineError, match="setup-segmenter"):
        tag_paths(None, [SAMPLES], tmp_path / "out.jsonl", engine=broken)
    assert not (tmp_path / "out.jsonl").exists()  # nothing committed
