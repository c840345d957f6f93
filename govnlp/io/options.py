"""How to read input documents: one options object for every command that reads them.

:class:`ReadOptions` gathers what :func:`govnlp.io.iter_documents` needs besides the paths
(file globs, table columns, the length limit), so that ``govnlp tag``, ``report``,
``annotations export`` and ``gazetteer suggest`` read inputs the same way, with the same
flags (``govnlp.commands._options.add_read_options``).

>>> opts = ReadOptions(include=["*.csv"], text_column="body")
>>> opts.text_column, opts.limit
('body', 1000000)
>>> ReadOptions(max_chars=0).limit is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterator, Optional, Sequence, Tuple

from .readers import DEFAULT_MAX_CHARS, InputDocument, PathLike, count_documents, iter_documents


@dataclass(frozen=True)
class ReadOptions:
    """Which files under the inputs are read, and how tables and long documents are read.

    - ``include`` / ``exclude``: globs for files under input directories (default: every
      supported type; a few editor and lock files are always skipped);
    - ``id_column`` / ``text_column`` / ``meta_columns``: for tables (JSONL, CSV, Parquet),
      the column of document ids (rows without one get ``FILE:ROW``), of texts, and extra
      columns copied into ``meta``;
    - ``max_chars``: the longest document read, in characters; longer ones are reported as
      ``DocumentTooLarge`` without being read whole (``None`` or ``0``: no limit).
    """

    include: Optional[Sequence[str]] = None
    exclude: Optional[Sequence[str]] = None
    id_column: str = "id"
    text_column: str = "text"
    meta_columns: Optional[Sequence[str]] = None
    max_chars: Optional[int] = DEFAULT_MAX_CHARS

    @property
    def limit(self) -> Optional[int]:
        """``max_chars``, or None for no limit (``0`` included)."""
        return int(self.max_chars) if self.max_chars else None

    def documents(
        self, inputs: Sequence[PathLike], *, skip_paths: Collection[PathLike] = ()
    ) -> Iterator[InputDocument]:
        """The documents under ``inputs`` (:func:`govnlp.io.iter_documents`), ``skip_paths``
        left out (a run's own output files)."""
        return iter_documents(
            inputs,
            include=self.include,
            exclude=self.exclude,
            id_column=self.id_column,
            text_column=self.text_column,
            meta_columns=self.meta_columns,
            max_chars=self.limit,
            skip_paths=skip_paths,
        )

    def count(
        self, inputs: Sequence[PathLike], *, skip_paths: Collection[PathLike] = ()
    ) -> Tuple[int, bool]:
        """How many documents :meth:`documents` will yield, cheaply: ``(count, exact)``
        (:func:`govnlp.io.count_documents`)."""
        return count_documents(
            inputs, include=self.include, exclude=self.exclude, skip_paths=skip_paths
        )


__all__ = ["ReadOptions"]
