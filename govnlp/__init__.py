"""govnlp: Chinese local-government documents as research data.

A spaCy pipeline that splits documents into work items (with their numbering
hierarchy, headings, leaders and 责任单位 lines), and — as its components
land — tags policy domains, extracts numeric targets and links government
units to a gazetteer.

>>> import govnlp
>>> nlp = govnlp.load(segmenter="char")     # the default uses pkuseg
>>> doc = nlp("二、宋晖常务副县长牵头重点工作\\n1.扩大有效投资。\\n责任单位:县发改局")
>>> item = doc._.items[1]
>>> item["marker"], item["leaders"][0]["name"], item["duty_lines"][0]["label"]
('1.', '宋晖', '责任单位')
"""

from . import _extensions  # noqa: F401
from .about import __version__
from .items import find_marker_candidates, parse_items
from .numbers import find_numbers, parse_number, quantities
from .pipeline import default_config, load
from .records import SCHEMA_VERSION, doc_to_record
from .rendering import render

__all__ = [
    "SCHEMA_VERSION",
    "__version__",
    "default_config",
    "doc_to_record",
    "find_marker_candidates",
    "find_numbers",
    "load",
    "parse_items",
    "parse_number",
    "quantities",
    "render",
]
