"""A pool of forked worker processes that survives slow and dying documents.

The local engine (:mod:`govnlp.engines.local`) runs the pipeline in ``n`` worker
processes forked from this one (they inherit the loaded pipeline; nothing is pickled:
documents — id, text, input metadata — and records travel as JSON over pipes). The parent hands each
worker one document at a time, and watches every worker:

- a document that takes longer than ``doc_timeout`` seconds is reported as
  :class:`~govnlp.engines.errors.DocumentTimeout`: its worker is killed (a
  runaway regex or C loop cannot be interrupted any other way) and a new one is
  forked;
- a worker that dies (``kill -9``, the OOM killer, a crash) has its document
  reported as :class:`~govnlp.engines.errors.WorkerDied`, and a new one is forked;
- the workers never outlive the parent: on Linux each asks the kernel for
  ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``), and every
  worker also watches its parent's pid from a thread (the portable fallback);
  the parent terminates its workers when the run ends, whatever the way
  (``finally``, ``atexit``).

Results come back in input order (a slow document holds back at most a small
window of finished ones), so records are written in the same order as in one
process.

>>> pool = WorkerPool(lambda d: {"doc_id": d.doc_id, "n": len(d.text)}, n_process=2)
>>> docs = [InputDocument("a", "一、抓投资。"), InputDocument("b", "二。")]
>>> [(d.doc_id, rec, exc) for d, rec, exc in pool.process(docs)]   # doctest: +SKIP
[('a', {'doc_id': 'a', 'n': 6}, None), ('b', {'doc_id': 'b', 'n': 2}, None)]
"""

from __future__ import annotations

import atexit
import collections
import ctypes
import gc
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Deque, Dict, Iterable, Iterator, List, Optional, Tuple

from ..io import InputDocument
from .base import Triple
from .errors import DocumentTimeout, WorkerDied, remote_error

#: Tags one document in a worker: ``InputDocument -> record``; may raise
#: (the local engine's is a :class:`~govnlp.engines.document.DocumentTagger`).
TagOne = Callable[[InputDocument], Dict[str, Any]]

#: Documents handed to a worker at once. One: a worker is given its next document only once
#: it has answered, so it is never writing a large record while the parent writes a large
#: document to it (two full pipes, each side waiting for the other: a deadlock).
PREFETCH = 1

#: How often a worker checks that its parent is still alive (seconds).
PARENT_POLL_S = 0.5

_PR_SET_PDEATHSIG = 1


def fork_available() -> bool:
    """Whether worker processes can be forked here (POSIX)."""
    return "fork" in multiprocessing.get_all_start_methods()


def describe_exit(exitcode: Optional[int]) -> str:
    """A worker's exit code in words.

    >>> describe_exit(-9)
    'killed by signal 9 (SIGKILL)'
    >>> describe_exit(1)
    'exited with status 1'
    """
    if exitcode is None:
        return "stopped answering"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        return f"killed by signal {-exitcode} ({name})"
    return f"exited with status {exitcode}"


# -- worker side ------------------------------------------------------------------------------


def die_with_parent(parent_pid: int, poll_s: float = PARENT_POLL_S) -> None:
    """Make this process end when ``parent_pid`` does: ``PR_SET_PDEATHSIG`` on Linux,
    and a daemon thread polling ``os.getppid()`` everywhere."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread does it
            pass
    if os.getppid() != parent_pid:  # the parent died before the request was made
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(poll_s)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="govnlp-parent-watch", daemon=True).start()


def _answer(seq: int, tag_one: TagOne, d: InputDocument) -> bytes:
    try:
        out: Dict[str, Any] = {"seq": seq, "record": tag_one(d)}
        return json.dumps(out).encode("ascii")
    except Exception as exc:  # noqa: BLE001 - reported for this document, the worker goes on
        return json.dumps({"seq": seq, "error": type(exc).__name__, "message": str(exc)}).encode(
            "ascii"
        )


def _worker_main(
    tag_one: TagOne,
    tasks: Connection,
    results: Connection,
    parent_pid: int,
    inherited: List[Connection],
) -> None:
    """A worker: tag the documents the parent sends until it sends ``null`` or goes away."""
    for conn in inherited:  # the other workers' pipes, inherited through fork
        conn.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent_pid)
    gc.enable()
    while True:
        try:
            task = json.loads(tasks.recv_bytes())
        except (EOFError, OSError):
            break
        if task is None:
            break
        d = InputDocument(
            task["doc_id"], task["text"], meta=task.get("meta") or {}, source=task.get("source")
        )
        results.send_bytes(_answer(task["seq"], tag_one, d))


# -- parent side ------------------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: Any
    tasks: Connection
    results: Connection
    inflight: Deque[Tuple[int, InputDocument]] = field(default_factory=collections.deque)
    busy_since: float = 0.0
    done: int = 0

    def send(self, seq: int, d: InputDocument, now: float) -> None:
        if not self.inflight:
            self.busy_since = now
        self.inflight.append((seq, d))
        self.tasks.send_bytes(
            json.dumps(
                {
                    "seq": seq,
                    "doc_id": d.doc_id,
                    "text": d.text,
                    "meta": d.meta,
                    "source": d.source,
                },
                default=str,
            ).encode("ascii")
        )

    def stop(self, kill: bool = False) -> None:
        """End the worker: ask it to (``kill=False``), then terminate, then kill."""
        p = self.process
        if p.is_alive() and not kill:
            try:
                self.tasks.send_bytes(b"null")
            except (OSError, ValueError):
                pass
            p.join(2.0)
        if p.is_alive():
            p.kill() if kill else p.terminate()
            p.join(5.0)
        if p.is_alive():  # pragma: no cover - terminate ignored
            p.kill()
            p.join(5.0)
        for conn in (self.tasks, self.results):
            conn.close()


_LIVE_POOLS: "weakref.WeakSet[WorkerPool]" = weakref.WeakSet()


@atexit.register
def _close_live_pools() -> None:  # the interpreter exits with a pool open: take its workers down
    for pool in list(_LIVE_POOLS):
        pool.close()


class WorkerPool:
    """Tag documents in ``n_process`` forked workers with a per-document time budget.

    ``tag_one(document)`` runs in the workers (it may be a closure over the loaded
    pipeline: workers are forked, nothing is pickled) and returns a JSON-serialisable
    record. ``doc_timeout`` (seconds, ``None`` or ``0``: no budget) bounds each document.
    ``window`` bounds the documents read ahead of the oldest unfinished one.
    """

    def __init__(
        self,
        tag_one: TagOne,
        *,
        n_process: int = 1,
        doc_timeout: Optional[float] = None,
        window: Optional[int] = None,
    ) -> None:
        if not fork_available():  # pragma: no cover - Windows
            raise RuntimeError("WorkerPool needs the fork start method (POSIX)")
        self.tag_one = tag_one
        self.n_process = max(1, int(n_process))
        self.doc_timeout = float(doc_timeout) if doc_timeout else None
        self.window = window or max(16, 8 * self.n_process * PREFETCH)
        self.workers: List[_Worker] = []
        self.started = 0  # workers forked, replacements included
        self._ctx = multiprocessing.get_context("fork")

    # -- workers ---------------------------------------------------------------------------
    def _fork(self) -> _Worker:
        inherited = [c for w in self.workers for c in (w.tasks, w.results)]
        tasks_r, tasks_w = self._ctx.Pipe(duplex=False)
        results_r, results_w = self._ctx.Pipe(duplex=False)
        p = self._ctx.Process(
            target=_worker_main,
            args=(self.tag_one, tasks_r, results_w, os.getpid(), inherited),
            name=f"govnlp-worker-{self.started + 1}",
            daemon=True,
        )
        # the pipeline's objects stay shared with the worker (no copy-on-write by the GC)
        gc.freeze()
        try:
            p.start()
        finally:
            gc.unfreeze()
        tasks_r.close()
        results_w.close()
        self.started += 1
        return _Worker(p, tasks_w, results_r)

    def start(self) -> "WorkerPool":
        """Fork the workers (idempotent)."""
        while len(self.workers) < self.n_process:
            self.workers.append(self._fork())
        _LIVE_POOLS.add(self)
        return self

    def pids(self) -> List[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self.workers]

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        workers, self.workers = self.workers, []
        for w in workers:
            w.stop()
        _LIVE_POOLS.discard(self)

    def __enter__(self) -> "WorkerPool":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _replace(
        self,
        w: _Worker,
        error: Exception,
        pending: Deque[Tuple[int, InputDocument]],
        results: Dict[int, Triple],
        *,
        kill: bool,
    ) -> None:
        """``w`` timed out or died: its current document gets ``error``, any queued behind
        it go back to the front of ``pending``, a new worker takes its place."""
        if w.inflight:
            seq, d = w.inflight.popleft()
            results[seq] = (d, None, error)
        pending.extendleft(reversed(w.inflight))
        w.inflight.clear()
        w.stop(kill=kill)
        self.workers[self.workers.index(w)] = self._fork()

    def _drain(self, w: _Worker, results: Dict[int, Triple]) -> bool:
        """Read every answer ``w`` has sent; False when its pipe is closed (it died)."""
        try:
            while w.results.poll():
                msg = json.loads(w.results.recv_bytes())
                seq, d = w.inflight.popleft()
                assert seq == msg["seq"], "answers come back in the order documents were sent"
                if "error" in msg:
                    results[seq] = (d, None, remote_error(msg["error"], msg.get("message") or ""))
                else:
                    results[seq] = (d, msg["record"], None)
                w.done += 1
                w.busy_since = time.monotonic()
        except (EOFError, OSError):
            return False
        return True

    # -- the run ---------------------------------------------------------------------------
    def process(self, documents: Iterable[InputDocument]) -> Iterator[Triple]:
        """``(document, record, error)`` for every document, in input order. Unreadable
        documents (``d.error`` set) pass through as ``(d, None, d.error)``."""
        self.start()
        source = iter(documents)
        exhausted = False
        pending: Deque[Tuple[int, InputDocument]] = collections.deque()
        results: Dict[int, Triple] = {}
        next_seq = next_out = 0
        try:
            while True:
                while not exhausted and next_seq - next_out < self.window:
                    d = next(source, None)
                    if d is None:
                        exhausted = True
                        break
                    if d.error is not None:
                        results[next_seq] = (d, None, d.error)
                    else:
                        pending.append((next_seq, d))
                    next_seq += 1
                now = time.monotonic()
                for w in self.workers:  # first: the workers go on while the consumer writes
                    while pending and len(w.inflight) < PREFETCH:
                        seq, d = pending.popleft()
                        w.send(seq, d, now)
                while next_out in results:
                    yield results.pop(next_out)
                    next_out += 1
                if exhausted and next_out == next_seq:
                    return
                if next_seq - next_out < self.window and not exhausted:
                    continue  # room again after yielding: read more first
                now = time.monotonic()
                busy = [w for w in self.workers if w.inflight]
                timeout = None
                if self.doc_timeout is not None and busy:
                    timeout = max(0.0, min(w.busy_since for w in busy) + self.doc_timeout - now)
                handles: Dict[Any, _Worker] = {}
                for w in self.workers:
                    handles[w.results] = w
                    handles[w.process.sentinel] = w
                ready = wait(list(handles), timeout)
                for w in {id(handles[h]): handles[h] for h in ready}.values():
                    if self._drain(w, results) and w.process.is_alive():
                        continue
                    w.process.join(1.0)
                    self._replace(
                        w,
                        WorkerDied(
                            "the worker process tagging this document "
                            f"{describe_exit(w.process.exitcode)}; a new worker took over "
                            "(--resume tries the document again)"
                        ),
                        pending,
                        results,
                        kill=True,
                    )
                if self.doc_timeout is not None:
                    now = time.monotonic()
                    for w in list(self.workers):
                        if w.inflight and now - w.busy_since >= self.doc_timeout:
                            self._replace(
                                w,
                                DocumentTimeout(
                                    "tagging took longer than --doc-timeout "
                                    f"{self.doc_timeout:g} s; stopped (--resume tries it again, "
                                    "a larger --doc-timeout or 0 lets it finish)"
                                ),
                                pending,
                                results,
                                kill=True,
                            )
        finally:
            self.close()


__all__ = ["PREFETCH", "TagOne", "WorkerPool", "describe_exit", "die_with_parent", "fork_available"]
