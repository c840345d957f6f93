"""Output files that are never left half-written under their final name.

:class:`AtomicJsonlWriter` appends records to ``<out>.partial`` (flushed per
record) and renames it to ``<out>`` only when the run completes. A killed run
leaves the ``.partial`` file, from which ``--resume`` continues.

>>> import tempfile, json, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "r.jsonl"
>>> with AtomicJsonlWriter(out) as w:
...     w.write({"doc_id": "a"})
>>> json.loads(out.read_text())["doc_id"], out.with_name("r.jsonl.partial").exists()
('a', False)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Dict, Iterable, Iterator, Optional, Set, Union

from .unicode_safety import dumps_line, repair_tree


@contextmanager
def atomic_path(path: Union[str, Path]) -> Iterator[Path]:
    """A temporary path in ``path``'s directory, moved onto ``path`` (``os.replace``) when
    the block succeeds and deleted when it fails: readers see the old file or the complete
    new one, never a half-written one.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("a,b\\n")
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('a,b\\n', ['t.csv'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        if tmp.exists():
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json_atomic(
    path: Union[str, Path], rows: Iterable[Any], *, jsonl: Optional[bool] = None
) -> Path:
    """Write ``rows`` as a JSON list, or as JSON lines (default for a ``.jsonl`` name), atomically.

    >>> import tempfile, pathlib
    >>> out = write_json_atomic(pathlib.Path(tempfile.mkdtemp()) / "c.jsonl", [{"a": "县"}])
    >>> out.read_text(encoding="utf-8")
    '{"a": "县"}\\n'
    """
    path = Path(path)
    jsonl = path.suffix.lower() == ".jsonl" if jsonl is None else jsonl
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        if jsonl:
            for row in rows:
                fh.write(dumps_line(row) if isinstance(row, dict) else _dumps_any(row))
        else:
            fh.write(_dumps_any(list(rows), indent=1)[:-1])
    return path


def _dumps_any(value: Any, indent: Optional[int] = None) -> bytes:
    """JSON of any value as UTF-8 bytes and a newline; strings that are not valid Unicode
    are repaired (:func:`govnlp.io.unicode_safety.repair_tree`)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(repair_tree(value)[0], ensure_ascii=False, indent=indent) + "\n").encode(
            "utf-8"
        )


class AtomicJsonlWriter:
    """Append JSON lines to ``<path>.partial``; ``os.replace`` it to ``path`` on success.

    A string that is not valid Unicode (a lone surrogate: a non-UTF-8 file name, a bad
    JSON escape) is written repaired, the original noted in the record
    (:func:`govnlp.io.unicode_safety.dumps_line`), never a crash.
    """

    def __init__(
        self, path: Union[str, Path], *, resume: bool = False, key: str = "doc_id"
    ) -> None:
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.key = key
        self.done: Set[str] = set()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if resume:
            self._prepare_resume()
        else:
            self.partial.unlink(missing_ok=True)
        self._fh = open(self.partial, "ab")

    def _prepare_resume(self) -> None:
        source: Optional[Path] = None
        if self.partial.exists():
            source = self.partial
        elif self.path.exists():
            source = self.path
        if source is None:
            return
        tmp = self.partial.with_name(self.partial.name + ".tmp")
        # Bytes, not text: a crash may cut the last line inside a multi-byte character.
        # Good lines are streamed to the new file (never all held in memory).
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            for line in src:
                if not line.endswith(b"\n"):
                    break  # a record cut by a crash: dropped, redone
                try:
                    rec = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    break  # a damaged line: it and everything after it are redone
                if not isinstance(rec, dict) or rec.get(self.key) is None:
                    break
                dst.write(line)
                self.done.add(str(rec.get(self.key)))
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, self.partial)

    def write(self, record: Dict[str, Any]) -> None:
        self._fh.write(dumps_line(record))
        self._fh.flush()

    def commit(self) -> None:
        """Close and atomically move the finished file into place."""
        if self._fh.closed:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.partial, self.path)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> "AtomicJsonlWriter":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.close()
