"""The docstring examples of the item parser, the unit grammar, the text normaliser and the engines run."""

import doctest
import importlib

import pytest

MODULES = ["govnlp.items.grammar", "govnlp.items.layout", "govnlp.items.tables", "govnlp.items.numbering",
           "govnlp.items.parser", "govnlp.units.names", "govnlp.units.linker", "govnlp.units.region",
           "govnlp.textnorm", "govnlp.engines.errors", "govnlp.engines.pool", "govnlp.engines.watchdog",
           "govnlp.tagging"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
