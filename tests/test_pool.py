"""Bulk runs that survive slow and dying documents and processes.

A document is made slow (or deadly) on purpose by wrapping ``doc_to_record`` in
:mod:`govnlp.engines.document` (what every engine's per-document path calls): forked workers inherit
the wrapper, and subprocess runs install it in a tiny driver before calling the CLI.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import govnlp.engines.document as document
import govnlp.tagging as tagging
from govnlp.engines.pool import WorkerPool, describe_exit
from govnlp.engines.watchdog import BudgetExceeded, ThreadBudget
from govnlp.io import InputDocument
from govnlp.tagging import tag_paths
from tests.conftest import ROOT

N_GOOD = 6


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def make_docs(root: Path, n: int = N_GOOD) -> Path:
    docs = root / "docs"
    docs.mkdir()
    for i in range(n):
        (docs / f"d{i}.txt").write_text(
            f"一、第{i}项工作：完成投资{i}亿元。\n二、抓落实。", encoding="utf-8"
        )
    (docs / "slow.txt").write_text("一、这份文件很慢。\n二、抓落实。", encoding="utf-8")
    return docs


def slow_hook(monkeypatch, doc_id: str = "slow.txt", seconds: float = 30.0):
    """``doc_id`` takes ``seconds`` (in short sleeps, so an in-thread budget can stop it)."""
    real = document.doc_to_record

    def slow(doc, did, **kw):
        if did == doc_id:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(0.02)
        return real(doc, did, **kw)

    monkeypatch.setattr(document, "doc_to_record", slow)


# -- the time budget --------------------------------------------------------------------------


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_slow_document_is_reported_as_timeout_and_resume_retries_it(
    nlp_char, tmp_path, monkeypatch, n_process
):
    docs = make_docs(tmp_path)
    out = tmp_path / "out.jsonl"
    slow_hook(monkeypatch)
    t0 = time.monotonic()
    stats = tag_paths(nlp_char, [docs], out, n_process=n_process, doc_timeout=1)
    assert time.monotonic() - t0 < 25  # does not wait for the slow document (30 s)
    assert sorted(r["doc_id"] for r in read_jsonl(out)) == [f"d{i}.txt" for i in range(N_GOOD)]
    (err,) = read_jsonl(tmp_path / "out.errors.jsonl")
    assert err["doc_id"] == "slow.txt" and err["error_type"] == "DocumentTimeout"
    assert "--doc-timeout 1 s" in err["message"]
    assert stats.documents == N_GOOD and stats.error_types == {"DocumentTimeout": 1}

    monkeypatch.undo()  # the document is fast again
    again = tag_paths(nlp_char, [docs], out, resume=True, n_process=n_process, doc_timeout=1)
    assert again.skipped_done == N_GOOD and again.documents == 1 and again.errors == 0
    assert sorted(r["doc_id"] for r in read_jsonl(out)) == sorted(
        [f"d{i}.txt" for i in range(N_GOOD)] + ["slow.txt"]
    )
    assert (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8") == ""


def test_no_budget_runs_in_this_process_as_before(nlp_char, tmp_path, monkeypatch):
    docs = make_docs(tmp_path)
    log = tmp_path / "pids.txt"
    real = document.doc_to_record

    def spy(doc, did, **kw):
        with open(log, "a") as fh:  # a file: the worker processes' pids reach the test
            fh.write(f"{os.getpid()}\n")
        return real(doc, did, **kw)

    def pids():
        found = set(log.read_text().split())
        log.unlink()
        return found

    monkeypatch.setattr(document, "doc_to_record", spy)
    tag_paths(nlp_char, [docs], tmp_path / "a.jsonl", doc_timeout=0)
    assert pids() == {str(os.getpid())}
    tag_paths(nlp_char, [docs], tmp_path / "b.jsonl", doc_timeout=5)
    found = pids()
    assert (
        len(found) == 1 and str(os.getpid()) not in found
    )  # one worker process: it can be stopped
    assert read_jsonl(tmp_path / "a.jsonl") == read_jsonl(tmp_path / "b.jsonl")


def test_pool_reports_timeouts_deaths_and_errors_in_input_order():
    def tag_one(d):
        if d.doc_id == "slow":
            time.sleep(30)
        if d.doc_id == "dies":
            os._exit(3)
        if d.doc_id == "bad":
            raise ValueError("boom")
        return {"doc_id": d.doc_id, "n": len(d.text), "meta": d.meta}

    ids = [f"d{i}" for i in range(20)]
    ids[3], ids[8], ids[11] = "slow", "dies", "bad"
    docs = [InputDocument(i, "x" * k, meta={"k": k}) for k, i in enumerate(ids)]
    docs.insert(5, InputDocument("unreadable", error=tagging.DuplicateDocument("twice")))
    pool = WorkerPool(tag_one, n_process=2, doc_timeout=1, window=6)
    got = list(pool.process(docs))
    assert [d.doc_id for d, _, _ in got] == [d.doc_id for d in docs]
    kinds = {d.doc_id: type(exc).__name__ for d, _, exc in got if exc is not None}
    assert kinds == {
        "slow": "DocumentTimeout",
        "dies": "WorkerDied",
        "bad": "ValueError",
        "unreadable": "DuplicateDocument",
    }
    dies = next(exc for d, _, exc in got if d.doc_id == "dies")
    assert "exited with status 3" in str(dies)
    assert all(  # the worker is given the whole document: id, text and input metadata
        rec == {"doc_id": d.doc_id, "n": len(d.text), "meta": d.meta}
        for d, rec, exc in got
        if exc is None
    )
    assert pool.started == 4 and pool.workers == []  # two replacements; all stopped at the end


def test_large_documents_and_records_do_not_deadlock_the_pipes():
    import threading

    def tag_one(d):  # a record twice the document: both far over a pipe's 64 KB
        return {"doc_id": d.doc_id, "text": d.text, "copy": d.text}

    docs = [InputDocument(f"d{i}", f"{i}、" + "抓投资" * 60_000) for i in range(8)]
    got = []
    run = threading.Thread(
        target=lambda: got.extend(WorkerPool(tag_one, n_process=2, doc_timeout=60).process(docs)),
        daemon=True,
    )
    run.start()
    run.join(120)  # generous: it takes well under a second when it works
    assert not run.is_alive(), "the pool hung"
    assert [rec["copy"] for _, rec, _ in got] == [d.text for d in docs]


def test_describe_exit():
    assert describe_exit(-signal.SIGKILL) == "killed by signal 9 (SIGKILL)"
    assert describe_exit(0) == "exited with status 0"


def test_thread_budget_stops_python_code_and_leaves_nothing_pending():
    with pytest.raises(BudgetExceeded):
        with ThreadBudget(0.2):
            while True:
                time.sleep(0.01)
    with ThreadBudget(2):  # a block within its budget: nothing raised, now or later
        sum(range(1000))
    time.sleep(0.1)
    assert sum(range(10)) == 45


@pytest.mark.slow
def test_dask_tasks_report_a_slow_document_as_timeout(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from govnlp.engines import PipelineSpec
    from govnlp.engines.dask import DaskEngine

    docs = make_docs(tmp_path, n=3)
    slow_hook(monkeypatch)  # the workers are threads of this process here: they see the hook
    out = tmp_path / "out.jsonl"
    with DaskEngine(
        PipelineSpec(segmenter="char"), workers=1, processes=False, timeout=60
    ) as engine:
        stats = tag_paths(None, [docs], out, engine=engine, batch_size=2, doc_timeout=1)
        assert stats.documents == 3 and stats.error_types == {"DocumentTimeout": 1}
        (err,) = read_jsonl(tmp_path / "out.errors.jsonl")
        assert err["doc_id"] == "slow.txt" and err["error_type"] == "DocumentTimeout"
        monkeypatch.undo()
        again = tag_paths(None, [docs], out, engine=engine, resume=True, doc_timeout=1)
        assert again.documents == 1 and again.errors == 0 and again.skipped_done == 3


# -- --max-chars 0 ----------------------------------------------------------------------------
# spaCy refuses texts over nlp.max_length (1,000,000 by default) with E088 in any pipeline. The
# document goes through a blank pipeline: with the govnlp tokenizer a 1.2 M-character text takes
# minutes (spaCy's words-and-spaces alignment is quadratic), which a unit test cannot afford.

BIG = "一二 " * 400_000  # 1.2 M characters


@pytest.fixture()
def blank_nlp():
    import spacy

    return spacy.blank("en")


def test_max_chars_0_tags_a_document_over_a_million_characters(blank_nlp, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text(BIG, encoding="utf-8")
    assert blank_nlp.max_length == 1_000_000 < len(BIG)
    for n_process, timeout in ((1, 0), (1, 60), (2, 60)):  # in this process, in worker processes
        out = tmp_path / f"out{n_process}{timeout}.jsonl"
        stats = tag_paths(
            blank_nlp,
            [tmp_path / "in"],
            out,
            max_chars=0,
            doc_timeout=timeout,
            n_process=n_process,
            include_text=False,
        )
        assert stats.errors == 0 and stats.documents == 1 and stats.characters == len(BIG), (
            tmp_path / f"out{n_process}{timeout}.errors.jsonl"
        ).read_text(encoding="utf-8")
    assert blank_nlp.max_length == 1_000_000  # the caller's pipeline is left as it was


def test_max_chars_reaches_dask_tasks(blank_nlp, monkeypatch):
    pytest.importorskip("distributed")
    from govnlp.engines import PipelineSpec, TagOptions, dask

    monkeypatch.setattr(
        dask, "worker_pipeline", lambda spec: blank_nlp
    )  # the worker's cached pipeline
    for timeout in (None, 60):
        options = TagOptions(include_text=False, batch_size=1, doc_timeout=timeout)
        ((pos, record, error_type, message),) = dask.tag_batch(
            PipelineSpec(), [InputDocument("big", BIG)], options
        )
        assert error_type is None, message
        assert record["doc_id"] == "big"


# -- an interrupted run's output --------------------------------------------------------------


def test_rerun_without_resume_moves_the_partial_output_aside(nlp_char, tmp_path, caplog):
    docs = make_docs(tmp_path)
    out = tmp_path / "out.jsonl"
    earlier = b'{"doc_id": "d0.txt", "items": []}\n{"doc_id": "d1.t'
    (tmp_path / "out.jsonl.partial").write_bytes(earlier)
    with caplog.at_level(logging.WARNING, logger="govnlp.tagging"):
        stats = tag_paths(nlp_char, [docs], out)
    (moved,) = stats.moved_aside
    assert moved.parent == tmp_path and moved.name.startswith("out.jsonl.partial.interrupted-")
    assert moved.read_bytes() == earlier  # kept, byte for byte
    assert str(moved) in caplog.text and "--resume" in caplog.text
    assert len(read_jsonl(out)) == N_GOOD + 1  # the new run is complete
    again = tag_paths(nlp_char, [docs], out)  # no partial this time: nothing moved
    assert again.moved_aside == [] and len(list(tmp_path.glob("*.interrupted-*"))) == 1


# -- processes that die (real kills) ----------------------------------------------------------

DRIVER = textwrap.dedent("""
    import os, sys, time, pathlib
    import govnlp.engines.document as document
    from govnlp import cli
    marker = pathlib.Path(sys.argv[1])
    real = document.doc_to_record
    def hooked(doc, doc_id, **kw):
        if doc_id == "slow.txt":
            marker.write_text(str(os.getpid()))
            time.sleep(120)
        return real(doc, doc_id, **kw)
    document.doc_to_record = hooked
    sys.exit(cli.main(sys.argv[2:]))
""")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie is dead


def _children(pid: int) -> set:
    kids = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids.update(int(k) for k in (task / "children").read_text().split())
    return kids


def _start(tmp_path: Path, *extra: str):
    docs = make_docs(tmp_path)
    marker = tmp_path / "slow.pid"
    out = tmp_path / "out.jsonl"
    cmd = [
        sys.executable,
        "-c",
        DRIVER,
        str(marker),
        "tag",
        str(docs),
        "-o",
        str(out),
        "--segmenter",
        "char",
        "--n-process",
        "2",
        "--batch-size",
        "1",
        *extra,
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while not (marker.exists() and marker.read_text()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the slow document was never started"
        time.sleep(0.05)
    return proc, int(marker.read_text()), out


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_worker_is_reported_and_the_run_goes_on(tmp_path):
    proc, worker, out = _start(
        tmp_path, "--doc-timeout", "0"
    )  # no budget: only the death can free it
    assert worker in _children(proc.pid)
    os.kill(worker, signal.SIGKILL)
    try:
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr
    assert sorted(r["doc_id"] for r in read_jsonl(out)) == [f"d{i}.txt" for i in range(N_GOOD)]
    (err,) = read_jsonl(tmp_path / "out.errors.jsonl")
    assert err["doc_id"] == "slow.txt" and err["error_type"] == "WorkerDied"
    assert "killed by signal 9 (SIGKILL)" in err["message"]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_the_workers_end_with_their_parent(tmp_path, sig):
    proc, _, out = _start(tmp_path)
    workers = _children(proc.pid)
    try:
        assert len(workers) == 2 and all(_alive(w) for w in workers)
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)  # not communicate(): a surviving worker would hold the pipes open
        assert proc.returncode == (
            -signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM
        )
        deadline = time.monotonic() + 30
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "a worker outlived its parent"
        assert (tmp_path / "out.jsonl.partial").exists() and not out.exists()  # kept for --resume
    finally:
        for pid in [proc.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
