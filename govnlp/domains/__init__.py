"""Policy domains: labelled data, two classifier backends, training and the pipeline component.

>>> from govnlp.domains import DomainModel
>>> DomainModel.load_default().labels[:3]
['agriculture_rural', 'commerce_consumption', 'culture_tourism_sports']
"""

from typing import Any

from .evaluation import choose_thresholds, format_report, multilabel_report, split_indices
from .labelled import LabelledItem, load_reference_annotations, parse_labels, read_labelled_file
from .model import BACKENDS, DomainModel, default_model_path
from .training import evaluate_model, train_domain_model


def write_pipeline(model: DomainModel, out: Any, **options: Any) -> Any:
    """:func:`govnlp.pipeline.write_pipeline` (moved there: building pipelines is the pipeline's
    business). Kept for ``govnlp train`` (:mod:`govnlp.commands.train`) until it imports it
    from the pipeline; ``scripts/check_imports.py`` lists this import as the one exception."""
    from ..pipeline import write_pipeline as _write_pipeline

    return _write_pipeline(model, out, **options)


__all__ = [
    "BACKENDS",
    "DomainModel",
    "LabelledItem",
    "choose_thresholds",
    "default_model_path",
    "evaluate_model",
    "format_report",
    "load_reference_annotations",
    "multilabel_report",
    "parse_labels",
    "read_labelled_file",
    "split_indices",
    "train_domain_model",
    "write_pipeline",
]
