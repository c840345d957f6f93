"""Building and loading govnlp pipelines.

>>> import govnlp
>>> nlp = govnlp.load(segmenter="char")
>>> doc = nlp("一、综合线\\n(一)抓投资。")
>>> [it["marker"] for it in doc._.items]
['一、', '(一)']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Dict, Optional, Union

import spacy
from spacy.language import Language
from thinc.api import Config

from . import _extensions  # noqa: F401  (declares Doc._ extensions)
from .domains import component as _domains_component  # noqa: F401  (registers the factory)
from .items import component as _items_component  # noqa: F401  (registers the factory)
from .segmenter import tokenizer as _tokenizer  # noqa: F401  (registers the tokenizer)
from .targets import component as _targets_component  # noqa: F401  (registers the factory)
from .units import component as _units_component  # noqa: F401  (registers the factory)


def default_config() -> Config:
    """The bundled pipeline config (``govnlp/config/default.cfg``)."""
    text = resources.files("govnlp").joinpath("config/default.cfg").read_text(encoding="utf-8")
    return Config().from_str(text)


def load(
    path: Optional[Union[str, Path]] = None,
    *,
    segmenter: Optional[str] = None,
    pkuseg_model: Optional[Union[str, Path]] = None,
    config: Optional[Dict[str, Any]] = None,
) -> Language:
    """Load a govnlp pipeline, offline.

    ``path=None`` builds the bundled default pipeline; a path loads a
    pipeline saved with ``nlp.to_disk`` (a ``govnlp train`` output, say).
    ``segmenter`` overrides the segmenter (``pkuseg``, ``char``, ``jieba``);
    ``pkuseg_model`` points at another converted pkuseg model directory;
    ``config`` overrides config values, as ``{"components.govnlp_items.spans_key": "x"}``.
    """
    if path is not None:
        overrides = dict(config or {})
        return spacy.load(path, config=overrides)
    cfg = default_config()
    if segmenter is not None:
        cfg["nlp"]["tokenizer"]["segmenter"] = segmenter
    if pkuseg_model is not None:
        cfg["initialize"]["tokenizer"]["pkuseg_model"] = str(pkuseg_model)
    if config:
        from spacy.util import dot_to_dict

        cfg = cfg.merge(Config(dot_to_dict(config)))
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp
