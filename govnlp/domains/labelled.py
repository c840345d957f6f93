"""Labelled items: reading them from the corpus annotations and from users' files.

Two sources, one record type (:class:`LabelledItem`):

* **Annotations by reference** (``corpora/annotations/domains/*.jsonl``): each
  line names a document (``corpora/samples/…`` relative to the repository, or
  ``shared:corpus/…`` relative to the shared data directory), character
  offsets and labels. The text is rebuilt from the document, so no text of the
  shared corpus is stored in the repository.
* **A user's labelled file** (JSONL, CSV or Parquet, read through the
  ``datasets`` library) with a text column and a labels column. Labels are a
  list, or one string split on ``;``, ``|``, ``,`` or ``、``.

>>> parse_labels("safety; ecology")
['safety', 'ecology']
>>> parse_labels(["a", "a", "b"])
['a', 'b']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from ..references import repository_root, resolve_reference

__all__ = [
    "LabelledItem",
    "MissingSourceText",
    "default_annotation_files",
    "label_set",
    "load_reference_annotations",
    "parse_labels",
    "read_labelled_file",
]

_LABEL_SPLIT = re.compile(r"\s*[;|,，、；]\s*")


class MissingSourceText(FileNotFoundError):
    """A reference annotation names a document that is not on this machine."""


@dataclass
class LabelledItem:
    """One labelled text (a work item), primary label first."""

    text: str
    labels: List[str]
    id: str = ""
    meta: Dict[str, Any] = field(default_factory=dict)

    @property
    def primary(self) -> Optional[str]:
        return self.labels[0] if self.labels else None


def parse_labels(value: Any) -> List[str]:
    """Labels from a list or a delimited string; order kept, duplicates and blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        parts: Iterable[Any] = _LABEL_SPLIT.split(value.strip())
    elif isinstance(value, (list, tuple)):
        parts = value
    else:
        try:
            parts = list(value)  # numpy arrays, pyarrow lists
        except TypeError:
            parts = [value]
    out: List[str] = []
    for p in parts:
        p = str(p).strip()
        if p and p not in out:
            out.append(p)
    return out


def default_annotation_files() -> List[Path]:
    """The first-pass domain annotations of the corpus (the training data of the default model)."""
    folder = repository_root() / "corpora" / "annotations" / "domains"
    return sorted(p for p in folder.glob("labels_*.jsonl"))


def load_reference_annotations(
    paths: Optional[Sequence[Union[str, Path]]] = None,
    *,
    shared: Optional[Union[str, Path]] = None,
    root: Optional[Union[str, Path]] = None,
    skip_missing: bool = True,
) -> List[LabelledItem]:
    """Rebuild labelled items from annotations stored by reference.

    Items whose document is absent are skipped (``skip_missing``) or raise
    :class:`MissingSourceText`. Each item's ``id`` is ``doc:start-end``.
    """
    paths = [Path(p) for p in (paths or default_annotation_files())]
    texts: Dict[str, Optional[str]] = {}
    paths_of: Dict[str, Path] = {}
    items: List[LabelledItem] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                doc = rec["doc"]
                if doc not in texts:
                    source = resolve_reference(doc, shared=shared, root=root)
                    paths_of[doc] = source
                    texts[doc] = source.read_text(encoding="utf-8") if source.is_file() else None
                text = texts[doc]
                if text is None:
                    if skip_missing:
                        continue
                    raise MissingSourceText(f"{path}:{line_no}: {doc} is not on this machine")
                items.append(
                    LabelledItem(
                        text=text[rec["start"] : rec["end"]],
                        labels=parse_labels(rec["labels"]),
                        id=f"{doc}:{rec['start']}-{rec['end']}",
                        meta={
                            "doc": doc,
                            "start": rec["start"],
                            "end": rec["end"],
                            "doc_path": str(paths_of[doc]),
                        },
                    )
                )
    return items


def read_labelled_file(
    path: Union[str, Path],
    *,
    text_column: str = "text",
    labels_column: str = "labels",
    id_column: Optional[str] = "id",
) -> List[LabelledItem]:
    """Read a user's labelled items from JSONL, CSV or Parquet through ``datasets``.

    A JSONL file in the corpus's reference format (``doc``/``start``/``end``
    and no text column) is rebuilt with :func:`load_reference_annotations`.
    Rows with no text or no label are skipped.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        with open(path, encoding="utf-8") as fh:
            first = next((json.loads(line) for line in fh if line.strip()), None)
        if first is not None and text_column not in first and {"doc", "start", "end"} <= set(first):
            return load_reference_annotations([path])
        builder = "json"
    elif suffix in (".csv", ".tsv"):
        builder = "csv"
    elif suffix in (".parquet", ".pq"):
        builder = "parquet"
    else:
        raise ValueError(f"{path}: labelled data must be .jsonl, .csv or .parquet")

    import datasets

    datasets.logging.set_verbosity_error()
    datasets.disable_progress_bars()
    kwargs: Dict[str, Any] = {"data_files": str(path), "split": "train"}
    if builder == "csv":
        kwargs["encoding"] = "utf-8-sig"
        if suffix == ".tsv":
            kwargs["sep"] = "\t"
    ds = datasets.load_dataset(builder, **kwargs, keep_in_memory=True)
    missing = [c for c in (text_column, labels_column) if c not in ds.column_names]
    if missing:
        raise ValueError(
            f"{path}: no column {missing[0]!r} (columns: {', '.join(ds.column_names)})"
        )
    items = []
    for n, row in enumerate(ds):
        text = row[text_column]
        labels = parse_labels(row[labels_column])
        if not text or not labels:
            continue
        ident = row.get(id_column) if id_column and id_column in row else None
        meta = {
            k: v
            for k, v in row.items()
            if k not in (text_column, labels_column, id_column)
            and isinstance(v, (str, int, float))
            and v != ""
        }
        items.append(
            LabelledItem(
                text=str(text), labels=labels, id=str(ident if ident is not None else n), meta=meta
            )
        )
    return items


def label_set(items: Iterable[LabelledItem]) -> List[str]:
    """Labels in the data, most frequent first (ties alphabetical)."""
    counts: Dict[str, int] = {}
    for it in items:
        for lab in it.labels:
            counts[lab] = counts.get(lab, 0) + 1
    return sorted(counts, key=lambda lab: (-counts[lab], lab))
