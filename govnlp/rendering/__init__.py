"""Pictures of tagged documents: displaCy span rendering and the HTML report.

- :func:`render` — one document (a ``Doc`` or an output record) with its work
  items coloured by primary domain and its targets and units as spans
  (spaCy's displaCy ``span`` style), as HTML; displays itself in Jupyter.
- :func:`govnlp.rendering.report.build_report` / :func:`~govnlp.rendering.report.write_report`
  — one self-contained HTML file for many documents (``govnlp report``).
- :func:`label_color`, :func:`label_name` — the colour and Chinese name of a domain label.
"""

from .colors import UNLABELLED, label_color, label_name, primary_label
from .spans import HTMLString, render

__all__ = ["HTMLString", "UNLABELLED", "label_color", "label_name", "primary_label", "render"]
