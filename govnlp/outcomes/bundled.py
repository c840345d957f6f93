"""The bundled indicator data file (``indicators.json`` beside this module), read once.

>>> "indicators" in bundled_indicator_data()
True
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Dict

__all__ = ["bundled_indicator_data"]


@lru_cache(maxsize=1)
def bundled_indicator_data() -> Dict[str, Any]:
    """The parsed ``indicators.json``: indicators, generic names, object synonyms, allocations."""
    return json.loads(
        resources.files(__package__).joinpath("indicators.json").read_text(encoding="utf-8")
    )
