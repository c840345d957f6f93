"""``make bench`` cannot rot: its script runs every stage on 3 documents (``--smoke``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_pipeline_benchmark_runs_every_stage(tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "bench.json"
    res = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_pipeline.py"),
            "--smoke",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    runs = results["runs"]
    assert set(runs) == {
        "tokenizer",
        "full1",
        "full2",
        "local_engine",
        "local_inproc",
        "local2",
        "dask2",
    }
    for mode in ("local_engine", "local_inproc", "local2", "dask2"):
        assert runs[mode]["records"] == 3 and runs[mode]["errors"] == 0, mode
    assert results["load"]["load_s"] > 0
    assert "| d. `govnlp tag --engine dask`, 2 workers |" in results["table"]
