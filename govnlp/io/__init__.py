"""Reading documents and writing results safely."""

from .readers import DocumentError, InputDocument, iter_documents, read_text_file
from .writers import AtomicJsonlWriter

__all__ = ["AtomicJsonlWriter", "DocumentError", "InputDocument", "iter_documents", "read_text_file"]
