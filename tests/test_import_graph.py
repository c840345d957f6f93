"""The import graph has no cycle and keeps its layers (``scripts/check_imports.py``)."""

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import check_imports  # noqa: E402


def test_check_imports_passes():
    # a subprocess: the script as CI and people run it (its exit status is the point)
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_imports.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no cycle and no layer violation" in run.stdout


def _graph(imports):
    graph = grimp.ImportGraph()
    for name in sorted({m for pair in imports for m in pair}):
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # the module and its packages
            if ".".join(parts[:i]) not in graph.modules:
                graph.add_module(".".join(parts[:i]))
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="x")
    return graph


def test_a_cycle_is_found_with_its_modules():
    graph = _graph(
        [
            ("govnlp.io.readers", "govnlp.io.html_reader"),
            ("govnlp.io.html_reader", "govnlp.io.documents"),
            ("govnlp.io.html_reader", "govnlp.io.readers"),
            ("govnlp.io.documents", "govnlp.io.encoding"),
        ]
    )
    assert check_imports.strongly_connected(graph) == [
        ["govnlp.io.html_reader", "govnlp.io.readers"]
    ]
    assert check_imports.shortest_cycle(graph, ["govnlp.io.readers", "govnlp.io.html_reader"]) == [
        "govnlp.io.html_reader",
        "govnlp.io.readers",
        "govnlp.io.html_reader",
    ]


def test_a_component_importing_a_sibling_or_the_pipeline_breaks_the_layers():
    graph = _graph(
        [
            ("govnlp.targets.extract", "govnlp.units.linker"),  # sibling components
            ("govnlp.items.parser", "govnlp.pipeline"),  # a component reaching up
            ("govnlp.pipeline", "govnlp.items.component"),  # allowed: down
            ("govnlp.units.linker", "govnlp.io.readers"),  # allowed: the lower layer
        ]
    )
    assert set(check_imports.layer_violations(graph)) == {
        ("govnlp.targets", "govnlp.units"),
        ("govnlp.items", "govnlp.pipeline"),
    }


def test_a_module_in_no_layer_is_reported():
    graph = _graph([("govnlp.newthing", "govnlp.io"), ("govnlp.commands.newcmd", "govnlp.io")])
    assert check_imports.unplaced(graph) == ["govnlp.newthing", "govnlp.commands.newcmd"]
