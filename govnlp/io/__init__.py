"""Reading documents and writing results safely."""

from .readers import (
    DEFAULT_MAX_CHARS,
    DocumentError,
    InputDocument,
    count_documents,
    iter_documents,
    read_text_file,
)
from .tables import RecordsError, iter_records
from .writers import AtomicJsonlWriter, atomic_path, write_json_atomic

__all__ = [
    "AtomicJsonlWriter",
    "DEFAULT_MAX_CHARS",
    "DocumentError",
    "InputDocument",
    "RecordsError",
    "atomic_path",
    "count_documents",
    "iter_documents",
    "iter_records",
    "read_text_file",
    "write_json_atomic",
]
