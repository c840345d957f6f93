"""Building and loading govnlp pipelines.

>>> import govnlp
>>> nlp = govnlp.load(segmenter="char")
>>> doc = nlp("一、综合线\\n(一)抓投资。")
>>> [it["marker"] for it in doc._.items]
['一、', '(一)']
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Optional, Union

import spacy
from spacy.language import Language
from thinc.api import Config

from . import _extensions  # noqa: F401  (declares Doc._ extensions)
from .domains import component as _domains_component  # noqa: F401  (registers the factory)
from .domains import context as _domains_context
from .domains import sklearn_backend as _domains_words
from .domains.model import DomainModel
from .items import component as _items_component  # noqa: F401  (registers the factory)
from .items import parser as _items_parser
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


def write_pipeline(
    model: DomainModel,
    out: Union[str, Path],
    *,
    base: Optional[Union[str, Path]] = None,
    report: Optional[Dict[str, Any]] = None,
) -> Path:
    """Save a full govnlp pipeline using ``model`` for domains (``govnlp.load(out)`` reads it).

    (Moved here from :mod:`govnlp.domains.training`: the domains component does not build
    pipelines.)

    ``base`` is a saved pipeline to start from; default: the bundled pipeline.
    The report (if given) is written beside it as ``training_report.json``.
    """
    out = Path(out)
    nlp = load(base) if base is not None else load()
    if "govnlp_domains" not in nlp.pipe_names:
        nlp.add_pipe("govnlp_domains", after="govnlp_items", config={"model": None})
    nlp.get_pipe("govnlp_domains").set_model(model)
    nlp.to_disk(out)
    if report is not None:
        (out / "training_report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return out


def _default_tokenizer() -> Any:
    return load().tokenizer


# the word features of the domain models segment with the default pipeline's tokenizer (its
# pkuseg model and the gazetteer's unit names): the pipeline hands it to the domains
# component, which does not import the pipeline that holds it
_domains_words.set_tokenizer_loader(_default_tokenizer)
# and the item parser, for the heading context of annotated items (training)
_domains_context.set_item_parser(_items_parser.parse_items)
