"""The notebooks in notebooks/: kept without outputs, and run top to bottom on the sample corpus.

Each notebook is executed with nbclient in a kernel of *this* Python (the
.venv's: a kernelspec written to a temporary JUPYTER_PATH, so no kernel needs
to be registered), with the repository root as working directory; what they write goes to a
temporary directory (``GOVNLP_NOTEBOOK_OUT``), not into the checkout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL_NAME = "govnlp-test-python"


def test_notebooks_present():
    names = [p.name for p in NOTEBOOKS]
    assert "01_quickstart.ipynb" in names and "02_county_comparison.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs: strip them"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count: strip it"
    assert nb["metadata"]["kernelspec"]["language"] == "python"


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory, monkeypatch_module):
    """A kernelspec that starts ipykernel with this interpreter, on a private JUPYTER_PATH."""
    pytest.importorskip("ipykernel", reason="notebook tests need ipykernel (pip install ipykernel)")
    base = tmp_path_factory.mktemp("jupyter")
    spec_dir = base / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "govnlp tests",
        "language": "python",
        "env": {
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYTHONWARNINGS": "ignore::DeprecationWarning",
            # what the notebooks write goes here, not into the checkout's out/notebooks
            "GOVNLP_NOTEBOOK_OUT": str(base / "out"),
            # the kernel imports this checkout's code
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        },
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch_module.setenv("JUPYTER_PATH", str(base))
    return base


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, kernel_path):
    nbformat = pytest.importorskip("nbformat", reason="notebook tests need nbformat")
    nbclient = pytest.importorskip("nbclient", reason="notebook tests need nbclient")
    nb = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=600,
        resources={"metadata": {"path": str(ROOT)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    print(f"{path.name}: {seconds:.1f}s")
    # every code cell ran, in order
    counts = [cell.execution_count for cell in nb.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert seconds < 180, f"{path.name} took {seconds:.0f}s (aim: < 60s)"
