"""Serialisation for rule components whose rules are package data, not component state."""

from __future__ import annotations

from typing import Any


class StatelessSerializationMixin:
    """``to_bytes``/``from_bytes``/``to_disk``/``from_disk`` that store nothing.

    spaCy calls these when a pipeline is saved or loaded; a component whose
    rules live in package data files has no state to write.
    """

    def to_bytes(self, *, exclude: tuple = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: tuple = ()) -> Any:
        return self

    def to_disk(self, path: Any, *, exclude: tuple = ()) -> None:
        return None

    def from_disk(self, path: Any, *, exclude: tuple = ()) -> Any:
        return self
