"""Arguments of simulate, compare and staff: wrong types and ranges raise a ValueError naming
the argument instead of being rounded or passed on (replications=2.5 used to run 2)."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.errors import CcsimError
from tests.conftest import BASE_YAML

BAD_RUN_ARGUMENTS = [
    ("replications", 2.5), ("replications", 0), ("replications", True), ("replications", "3"),
    ("seed", -1), ("seed", 2**63), ("seed", 1.5), ("seed", True), ("seed", "7"),
    ("workers", 0), ("workers", 2.5), ("workers", False),
]


@pytest.fixture
def sc(write_scenario):
    return ccsim.load_scenario(write_scenario(BASE_YAML))


@pytest.mark.parametrize("name, value", BAD_RUN_ARGUMENTS)
def test_simulate_names_the_bad_argument(sc, name, value):
    with pytest.raises(ValueError, match=f"^{name} must be") as info:
        ccsim.simulate(sc, **{name: value})
    assert isinstance(info.value, CcsimError)      # the command line shows it cleanly (exit 2)


def test_whole_numbers_of_numpy_types_are_accepted(sc):
    import numpy as np

    assert ccsim.simulate(sc, replications=np.int64(2), seed=np.int32(4)).replications == 2


@pytest.mark.parametrize("name, value", [*BAD_RUN_ARGUMENTS, ("replications", 1), ("precision", 0),
                                         ("precision", 1.5), ("precision", float("nan")), ("precision", "0.1")])
def test_compare_names_the_bad_argument(sc, name, value):
    with pytest.raises(ValueError, match=name):
        ccsim.compare([sc, sc], **{name: value})


@pytest.mark.parametrize("name, value", [
    ("replications", 2.5), ("seed", -1), ("seed", True), ("max_iterations", 0), ("max_iterations", 2.5),
    ("time_budget_s", 0), ("time_budget_s", -5), ("time_budget_s", float("inf")), ("time_budget_s", "60"),
    ("max_occupancy", 0), ("max_occupancy", 1.5), ("max_occupancy", float("nan")),
])
def test_staff_names_the_bad_argument(sc, name, value):
    with pytest.raises(ValueError, match=name):
        ccsim.staff(sc, method="simulate", **{name: value})


def test_staff_names_an_unknown_method(sc):
    with pytest.raises(ValueError, match="method: unknown method 'guess'; allowed: erlang, simulate"):
        ccsim.staff(sc, method="guess")
