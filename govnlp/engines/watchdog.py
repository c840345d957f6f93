"""A time budget for a block of code in the current thread (where no process can be forked).

Dask workers are daemonic, multi-threaded processes: the pool's forked workers
(:mod:`govnlp.engines.pool`) are not allowed there, and ``signal.alarm`` works
only on a main thread. :class:`ThreadBudget` instead has a timer thread raise an
exception in the budgeted thread (``PyThreadState_SetAsyncExc``) when the budget
is spent. That stops pure-Python work at its next bytecode; code stuck inside one
long C call (a regex, say) only sees it when the call returns, so after a
``grace`` period ``on_stuck`` is called (the Dask engine then ends the worker
process, which Dask replaces).

>>> import time
>>> try:
...     with ThreadBudget(0.2):
...         while True:
...             time.sleep(0.01)
... except BudgetExceeded:
...     print("stopped")
stopped
>>> with ThreadBudget(5):
...     x = 1 + 1
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any, Callable, Optional


class BudgetExceeded(BaseException):
    """Raised in the budgeted thread. A ``BaseException``, so that ``except Exception``
    blocks in the pipeline do not swallow it."""


def _set_async_exc(thread_id: int, exc: Optional[type]) -> int:
    """Raise ``exc`` in the thread (``None``: clear a pending one)."""
    arg = ctypes.py_object(exc) if exc is not None else None
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), arg)


class ThreadBudget:
    """``with ThreadBudget(seconds):`` raises :class:`BudgetExceeded` in this thread once
    ``seconds`` have passed; ``on_stuck()`` is called if the block still runs ``grace``
    seconds later."""

    def __init__(
        self, seconds: float, *, grace: float = 10.0, on_stuck: Optional[Callable[[], Any]] = None
    ) -> None:
        self.seconds = float(seconds)
        self.grace = float(grace)
        self.on_stuck = on_stuck
        self.fired = False
        self._lock = threading.Lock()
        self._running = False
        self._thread_id = 0
        self._timers: list = []

    def _fire(self) -> None:
        with self._lock:
            if not self._running:
                return
            self.fired = True
            _set_async_exc(self._thread_id, BudgetExceeded)
            if self.on_stuck is not None:
                t = threading.Timer(self.grace, self._stuck)
                t.daemon = True
                self._timers.append(t)
                t.start()

    def _stuck(self) -> None:
        with self._lock:
            running = self._running
        if running and self.on_stuck is not None:
            self.on_stuck()

    def __enter__(self) -> "ThreadBudget":
        self._thread_id = threading.get_ident()
        self._running = True
        t = threading.Timer(self.seconds, self._fire)
        t.daemon = True
        self._timers.append(t)
        t.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        # BudgetExceeded may be raised here too (it was pending): the caller sees it either way
        with self._lock:
            self._running = False
            for t in self._timers:
                t.cancel()
            if self.fired:
                _set_async_exc(self._thread_id, None)  # not raised yet: never raise it later
        if self.fired and exc[0] is None:
            raise BudgetExceeded()


__all__ = ["BudgetExceeded", "ThreadBudget"]
