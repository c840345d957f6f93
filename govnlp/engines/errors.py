"""Errors the engines report per document (``error_type`` in the errors file).

A document the pipeline fails on in another process (a pool worker, a Dask worker)
comes back as a :class:`RemoteDocumentError` named after the worker's exception, so
the errors file reads the same whatever the engine:

>>> exc = remote_error("ValueError", "bad value")
>>> type(exc).__name__, str(exc), isinstance(exc, RemoteDocumentError)
('ValueError', 'bad value', True)
>>> type(remote_error("DocumentTimeout", "slow")) is DocumentTimeout
True
"""

from __future__ import annotations

from typing import Dict

from ..io import DocumentError


class DocumentTimeout(DocumentError):
    """Tagging the document took longer than ``--doc-timeout`` seconds; it was stopped
    (its worker process ended) and the run went on. ``--resume`` tries it again."""


class WorkerDied(DocumentError):
    """The worker process tagging the document died (killed, out of memory, crashed);
    a new worker took over and the run went on. ``--resume`` tries it again."""


class RemoteDocumentError(Exception):
    """A document the pipeline failed on, on a worker. Its class is named after the
    worker's exception (``ValueError``…), so the errors file reads as with the local engine."""


_KNOWN: Dict[str, type] = {"DocumentTimeout": DocumentTimeout, "WorkerDied": WorkerDied}
_REMOTE_TYPES: Dict[str, type] = {}


def remote_error(error_type: str, message: str) -> Exception:
    """An exception named ``error_type`` carrying ``message`` (for the errors file);
    :class:`DocumentTimeout` and :class:`WorkerDied` come back as themselves."""
    known = _KNOWN.get(error_type)
    if known is not None:
        return known(message)
    cls = _REMOTE_TYPES.get(error_type)
    if cls is None:
        name = error_type if error_type.isidentifier() else "RemoteDocumentError"
        cls = type(name, (RemoteDocumentError,), {"__module__": __name__})
        _REMOTE_TYPES[error_type] = cls
    return cls(message)


__all__ = ["DocumentTimeout", "RemoteDocumentError", "WorkerDied", "remote_error"]
