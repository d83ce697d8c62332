"""Every public function of `ccsim` (and of `ccsim.erlang`) has a docstring with a runnable example,
and states the units of the durations it takes; the examples run here as doctests."""

from __future__ import annotations

import doctest
import inspect
from pathlib import Path

import pytest

import ccsim

ROOT = Path(__file__).resolve().parent.parent
# parameters that are durations (seconds) wherever a public function takes them
DURATIONS = {"aht", "threshold", "patience", "target_asa"}
UNIT_WORDS = ("second", " s)", " s ", "(s)", "durations")


def public_functions() -> dict[str, object]:
    found = {f"erlang.{n}": getattr(ccsim.erlang, n) for n in ccsim.erlang.__all__
             if inspect.isfunction(getattr(ccsim.erlang, n))}
    found.update({n: getattr(ccsim, n) for n in ccsim.__all__ if inspect.isfunction(getattr(ccsim, n))})
    return found


FUNCTIONS = public_functions()


def test_the_public_functions_are_found():
    assert {"simulate", "compare", "sweep", "staff", "forecast", "load_scenario", "erlang.erlang_a"} <= set(FUNCTIONS)
    assert len(FUNCTIONS) == 19


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_public_function_documents_units_and_an_example(name):
    fn = FUNCTIONS[name]
    doc = inspect.getdoc(fn) or ""
    assert "Example:" in doc and ">>>" in doc, f"{name}: no example in its docstring"
    takes = DURATIONS & set(inspect.signature(fn).parameters)
    module_doc = inspect.getmodule(fn).__doc__ or ""
    assert not takes or any(w in doc or w in module_doc for w in UNIT_WORDS), f"{name}: units of {takes} not stated"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_public_function_example_runs(name, monkeypatch):
    monkeypatch.chdir(ROOT)                   # the examples name scenarios/ and data/ files
    fn = FUNCTIONS[name]
    tests = doctest.DocTestFinder().find(fn, name, globs={"ccsim": ccsim, "erlang": ccsim.erlang})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0 and tests[0].examples
