"""Load the JSON rule tables that sit beside the code (``govnlp/numbers/data``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Return the parsed JSON file ``data/<name>.json`` of this package."""
    text = (
        resources.files("govnlp.numbers")
        .joinpath("data")
        .joinpath(f"{name}.json")
        .read_text("utf-8")
    )
    return json.loads(text)


CHARS = load("chars")
UNITS = load("units")
LEXICON = load("lexicon")
