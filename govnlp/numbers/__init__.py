"""Chinese numerals and quantities: pure functions on strings.

* :func:`parse_number` -- one numeral in any form -> float
* :func:`find_numbers` -- every numeric expression in a text
* :func:`quantities` -- every measured quantity (value, unit, scale, bound) per ``spec/targets.md``

Rule data (characters, units, bound words, non-numeral words) lives in
``govnlp/numbers/data/*.json``; all regular expressions are in
:mod:`govnlp.numbers.grammar`.
"""

from .find import find_numbers
from .parse import parse_number
from .quantities import quantities

__all__ = ["parse_number", "find_numbers", "quantities"]
