"""Where a labelled item comes from: its source (for leave-one-source-out) and its level.

The rules live in ``sources.json`` beside this module: a document-reference prefix gives a
source name and a level (``national``, ``provincial``, ``county``).

>>> source_of("shared:corpus/counties/hn_xx_01.txt")
('county_pages', 'county')
>>> source_of("corpora/samples/000_1b6371df3f24c22f.txt")
('seeds', 'county')
>>> source_of("my_county/2024_plan.txt")
('other', 'unknown')
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import List, Sequence, Tuple

from .labelled import LabelledItem

__all__ = ["source_of", "item_sources", "item_levels"]


@lru_cache(maxsize=1)
def _rules() -> Tuple[Tuple[str, str, str], ...]:
    data = json.loads(
        resources.files(__package__).joinpath("sources.json").read_text(encoding="utf-8")
    )
    return tuple((r["prefix"], r["source"], r["level"]) for r in data["rules"])


def source_of(doc: str) -> Tuple[str, str]:
    """``(source, level)`` of a document reference; ``("other", "unknown")`` when no rule
    applies.
    """
    for prefix, source, level in _rules():
        if doc.startswith(prefix):
            return source, level
    return "other", "unknown"


def item_sources(items: Sequence[LabelledItem]) -> List[str]:
    """Each item's source: ``meta["source"]`` (a user's column), else from its document
    reference.
    """
    return [
        str(it.meta.get("source") or source_of(str(it.meta.get("doc") or it.id))[0]) for it in items
    ]


def item_levels(items: Sequence[LabelledItem]) -> List[str]:
    """Each item's level: ``meta["level"]``, else from its document reference."""
    return [
        str(it.meta.get("level") or source_of(str(it.meta.get("doc") or it.id))[1]) for it in items
    ]
