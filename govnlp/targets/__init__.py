"""Numeric targets of work items (pure functions; a spaCy component wraps them elsewhere)."""

from .extract import extract_targets

__all__ = ["extract_targets"]
