"""The docstring examples of the outcomes, the item parser, the unit grammar, the text normaliser, the
readers, the engines and the domain evaluation run."""

import doctest
import importlib

import pytest

MODULES = [
    "govnlp.outcomes.indicators",
    "govnlp.outcomes.linking",
    "govnlp.outcomes.periods",
    "govnlp.outcomes.verdicts",
    "govnlp.outcomes.table",
    "govnlp.items.grammar",
    "govnlp.items.layout",
    "govnlp.items.tables",
    "govnlp.items.numbering",
    "govnlp.items.parser",
    "govnlp.units.names",
    "govnlp.units.linker",
    "govnlp.units.region",
    "govnlp.textnorm",
    "govnlp.io.encoding",
    "govnlp.io.unicode_safety",
    "govnlp.io.html_reader",
    "govnlp.engines.errors",
    "govnlp.engines.pool",
    "govnlp.engines.watchdog",
    "govnlp.tagging",
    "govnlp.domains.evaluation",
    "govnlp.domains.sources",
    "govnlp.domains.generalisation",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
