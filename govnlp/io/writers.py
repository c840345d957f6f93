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
from typing import Any, Dict, Optional, Set, Union


class AtomicJsonlWriter:
    """Append JSON lines to ``<path>.partial``; ``os.replace`` it to ``path`` on success."""

    def __init__(self, path: Union[str, Path], *, resume: bool = False, key: str = "doc_id") -> None:
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.key = key
        self.done: Set[str] = set()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if resume:
            self._prepare_resume()
        else:
            self.partial.unlink(missing_ok=True)
        self._fh = open(self.partial, "a", encoding="utf-8")

    def _prepare_resume(self) -> None:
        source: Optional[Path] = None
        if self.partial.exists():
            source = self.partial
        elif self.path.exists():
            source = self.path
        if source is None:
            return
        good_lines = []
        with open(source, encoding="utf-8") as fh:
            for line in fh:
                if not line.endswith("\n"):
                    break  # a record cut by a crash: dropped, redone
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    break
                good_lines.append(line)
                self.done.add(str(rec.get(self.key)))
        tmp = self.partial.with_name(self.partial.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(good_lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.partial)

    def write(self, record: Dict[str, Any]) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
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
