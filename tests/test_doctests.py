"""The docstring examples of every module of govnlp run, and pass.

The modules are discovered (``pkgutil.walk_packages``), not listed: a new module's examples run
without anyone adding it here. A module without examples passes; a module that cannot be
imported, or an example that fails, is a failure.
"""

import doctest
import importlib
import pkgutil

import pytest

import govnlp

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(govnlp.__path__, "govnlp.", onerror=lambda name: None)
)


def test_modules_discovered():
    # the walk found the packages' modules, not only the top level
    assert {"govnlp.items.parser", "govnlp.domains.evaluation", "govnlp.io.readers"} <= set(MODULES)
    assert len(MODULES) > 60


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"
