"""From targets to outcomes: did a county do what it said?

Given the records of a county's documents over several years (``govnlp tag`` output), pair each
target of year Y with the outcome the county reported for the same indicator and year, score
the pair and judge it (met / partly / not_met / no_outcome).

>>> from govnlp.outcomes import judge
>>> judge({"measure": "growth_rate", "value": 7, "bound": "approx", "unit": "percent"},
...       {"measure": "growth_rate", "value": 6.8, "unit": "percent"})
'met'

Reference: :func:`link_outcomes` (the pairs), :func:`outcome_rows` (the table rows),
:func:`write_outcome_table` (CSV/Parquet), :func:`outcomes_section_html` (the report's chart).
"""

from .indicators import Indicator, IndicatorTable, clean_indicator
from .linking import MIN_PAIR_SCORE, OutcomePair, Quantity, link_outcomes, pair_score, quantities_of
from .table import OUTCOME_COLUMNS, outcome_rows, outcomes_section_html, write_outcome_table
from .verdicts import VERDICTS, judge

__all__ = [
    "Indicator",
    "IndicatorTable",
    "clean_indicator",
    "MIN_PAIR_SCORE",
    "OutcomePair",
    "Quantity",
    "link_outcomes",
    "pair_score",
    "quantities_of",
    "OUTCOME_COLUMNS",
    "outcome_rows",
    "outcomes_section_html",
    "write_outcome_table",
    "VERDICTS",
    "judge",
]
