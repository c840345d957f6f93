"""Colours and display names of policy-domain labels (data: ``colors.json``).

Every label id of the default taxonomy has its own colour; items without labels
are ``unlabelled`` (grey); label ids a user-trained model adds get a stable
colour from a hashed palette.

>>> label_color("safety") == label_color("safety"), label_color(None) == label_color("unlabelled")
(True, True)
>>> label_color("my_own_label") in palette()
True
>>> label_name("unlabelled")
'unlabelled'
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any, Dict, List, Optional

UNLABELLED = "unlabelled"


@lru_cache(maxsize=1)
def _data() -> Dict[str, Any]:
    text = resources.files("govnlp.rendering").joinpath("colors.json").read_text(encoding="utf-8")
    return json.loads(text)


def palette() -> List[str]:
    """The colours given to label ids that ``colors.json`` does not list."""
    return list(_data()["palette"])


def special_color(key: str) -> str:
    """The colour of ``unlabelled``, ``target``/``outcome``/``forecast``, ``unit``, ``unit_nil``."""
    data = _data()
    return data.get(key) or data["unlabelled"]


def label_color(label: Optional[str]) -> str:
    """The colour of a label id (``None`` or ``unlabelled``: grey; unknown ids: hashed palette)."""
    if not label or label == UNLABELLED:
        return _data()["unlabelled"]
    known = _data()["labels"]
    if label in known:
        return known[label]
    pal = _data()["palette"]
    digest = hashlib.md5(label.encode("utf-8")).hexdigest()
    return pal[int(digest, 16) % len(pal)]


@lru_cache(maxsize=1)
def _taxonomy_names() -> Dict[str, str]:
    try:
        from ..taxonomy import load_taxonomy

        return {lab.id: lab.name_zh for lab in load_taxonomy().labels if lab.name_zh}
    except Exception:  # noqa: BLE001 - no taxonomy: ids are the names
        return {}


def label_name(label: Optional[str]) -> str:
    """The Chinese name of a label id (from :mod:`govnlp.taxonomy`), else the id itself."""
    if not label or label == UNLABELLED:
        return UNLABELLED
    return _taxonomy_names().get(label, label)


def primary_label(item: Dict[str, Any]) -> str:
    """An item's primary domain: its first label, or ``unlabelled``."""
    labels = item.get("labels") or []
    return str(labels[0]) if labels else UNLABELLED


def label_order() -> List[str]:
    """Label ids in taxonomy order (the default taxonomy, else ``colors.json``), then
    ``unlabelled``.
    """
    try:
        from ..taxonomy import load_taxonomy

        ids = [lab.id for lab in load_taxonomy().labels]
    except Exception:  # noqa: BLE001
        ids = list(_data()["labels"])
    return ids + [UNLABELLED]
