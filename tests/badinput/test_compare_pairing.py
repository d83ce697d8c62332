"""`compare` pairs replication r of every scenario; scenarios over different horizons, intervals
or warmups cannot be paired, so they are refused, naming both files and what differs."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.errors import ScenarioError
from tests.badinput.cli import assert_clean_error, run_cli
from tests.conftest import BASE_YAML


@pytest.mark.parametrize("old, new, differs", [
    ('end: "10:00"}', 'end: "10:00", days: 2}', "horizon.days 1 vs 2"),
    ('start: "08:00"', 'start: "09:00"', "horizon.start 08:00 vs 09:00"),
    ("interval: 30m", "interval: 15m", "interval 30m vs 15m"),
    ("interval: 30m", "interval: 30m\nwarmup: 1h", "warmup 0s vs 1h"),
])
def test_compare_refuses_scenarios_that_cannot_be_paired(write_scenario, old, new, differs):
    base = write_scenario(BASE_YAML, "base.yml")
    text = BASE_YAML.replace(old, new)
    if "15m" in new:      # per-interval volumes follow the interval
        text = text.replace("[10, 20, 30, 20]", "[5, 5, 10, 10, 15, 15, 10, 10]")
    if "09:00" in new:
        text = text.replace('end: "10:00"', 'end: "11:00"')
    variant = write_scenario(text, "variant.yml")
    with pytest.raises(ScenarioError, match=f"cannot be compared with the baseline {base}") as info:
        ccsim.compare([base, variant], replications=2)
    assert differs in str(info.value) and str(variant) in str(info.value)
    assert_clean_error(run_cli("compare", base, variant, "-r", "2"), str(base), str(variant), differs)


def test_compare_still_pairs_scenarios_over_the_same_period(write_scenario):
    base = write_scenario(BASE_YAML, "base.yml")
    variant = write_scenario(BASE_YAML.replace("staff: 6", "staff: 7"), "variant.yml")
    comparison = ccsim.compare([base, variant], replications=2)
    assert comparison.replications == 2
