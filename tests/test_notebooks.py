"""Every notebook runs top to bottom on a fresh install, and matches its source in build_notebooks.py."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks", NOTEBOOKS / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name, cells", [("erlang_vs_simulation", "ERLANG_VS_SIMULATION"),
                                         ("pilot_vs_rollout", "PILOT_VS_ROLLOUT")])
def test_notebook_is_built_from_its_source(name, cells):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert [c.source for c in nb.cells] == [src for _, src in getattr(_builder(), cells)]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["erlang_vs_simulation", "pilot_vs_rollout"])
def test_notebook_executes(name, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert os.environ["MPLBACKEND"] == "Agg"
