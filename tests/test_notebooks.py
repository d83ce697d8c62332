"""The notebook gallery: every notebook matches its source in build_notebooks.py, runs top to bottom
on a fresh kernel, and its stored outputs (what a repository page shows) are those of a fresh run —
a notebook left stale by a change in ccsim fails here; `make notebooks` refreshes them."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks", NOTEBOOKS / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()


def _stored(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _text_outputs(nb: nbformat.NotebookNode) -> list[list]:
    """Per code cell, its outputs as text: printed text, errors and the plain-text form of every
    value (tables, a chart's size) compare exactly. A value's other forms (a table's HTML, a chart's
    PNG) carry the same numbers but vary with the pandas and matplotlib versions, so they do not."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.outputs:
            if out.output_type == "stream":
                outputs.append(("stream", out.name, out.text))
            elif out.output_type == "error":
                outputs.append(("error", out.ename, out.evalue))
            else:
                outputs.append((out.output_type, sorted(out.data), out.data.get("text/plain")))
        cells.append(outputs)
    return cells


def test_the_gallery_is_every_notebook_in_the_folder():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(BUILDER.NOTEBOOKS)


@pytest.mark.parametrize("name", sorted(BUILDER.NOTEBOOKS))
def test_notebook_is_built_from_its_source_and_stored_with_outputs(name):
    nb = _stored(name)
    assert [c.source for c in nb.cells] == [src for _, src in BUILDER.NOTEBOOKS[name]]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert sum(bool(c.outputs) for c in code) >= len(code) - 1, "outputs missing: run `make notebooks`"
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), "no chart stored"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "not run top to bottom"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BUILDER.NOTEBOOKS))
def test_stored_outputs_are_those_of_a_fresh_run(name):
    fresh = BUILDER.execute(BUILDER.notebook(BUILDER.NOTEBOOKS[name]))
    errors = [o for c in fresh.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    stored, now = _text_outputs(_stored(name)), _text_outputs(fresh)
    stale = [i for i, (a, b) in enumerate(zip(stored, now)) if a != b]
    assert len(stored) == len(now) and not stale, (
        f"notebooks/{name}.ipynb is stale in code cells {stale}: run `make notebooks`")


def test_the_pilot_notebook_stores_the_readme_economics():
    """The README's rollout numbers (46,290 a year, payback 6.2 months) are the notebook's."""
    readme = (NOTEBOOKS.parent / "README.md").read_text()
    text = "".join(o.get("text", "") for c in _stored("pilot_vs_rollout").cells if c.cell_type == "code"
                   for o in c.outputs)
    saving = text.split("rollout: saves ")[1].split(" a year")[0]
    payback = text.split("pays back in ")[1].split(" months")[0]
    assert f"-->{saving} a year" in readme and f"-->{payback} months" in readme


def test_a_changed_output_is_reported_stale():
    nb = _stored("pilot_vs_rollout")
    changed = copy.deepcopy(nb)
    stream = next(o for c in changed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream")
    stream.text = stream.text.replace("0.2", "0.3")
    assert _text_outputs(changed) != _text_outputs(nb)
