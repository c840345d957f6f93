"""Work items: the numbering grammar, the parser, and the ``govnlp_items`` component."""

from .grammar import MarkerCandidate, find_marker_candidates, ordinal_value
from .parser import find_zones, leaf_items, parse_items

__all__ = [
    "MarkerCandidate",
    "find_marker_candidates",
    "find_zones",
    "leaf_items",
    "ordinal_value",
    "parse_items",
]
