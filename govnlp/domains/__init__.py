"""Policy domains: labelled data, two classifier backends, training and the pipeline component.

>>> from govnlp.domains import DomainModel
>>> DomainModel.load_default().labels[:3]
['agriculture_rural', 'commerce_consumption', 'culture_tourism_sports']
"""

from .evaluation import choose_thresholds, format_report, multilabel_report, split_indices
from .labelled import LabelledItem, load_reference_annotations, parse_labels, read_labelled_file
from .model import BACKENDS, DomainModel, default_model_path
from .training import evaluate_model, train_domain_model


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
]
