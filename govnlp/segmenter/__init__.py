"""The Chinese word segmenter: spaCy's tokenizer with a pickle-free pkuseg model."""

from .fast import FastSegmenter, load_segmenter
from .index import build_index, has_index
from .model_files import (
    SegmenterModelMissing,
    convert_pkuseg_model,
    data_dir,
    default_model_dir,
    load_pkuseg,
    model_format,
    upgrade_model,
)
from .tokenizer import GovChineseTokenizer, create_chinese_tokenizer

__all__ = [
    "FastSegmenter",
    "build_index",
    "has_index",
    "load_segmenter",
    "GovChineseTokenizer",
    "SegmenterModelMissing",
    "convert_pkuseg_model",
    "create_chinese_tokenizer",
    "data_dir",
    "default_model_dir",
    "load_pkuseg",
    "model_format",
    "upgrade_model",
]
