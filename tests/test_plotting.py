"""`res.plot`: the report's charts as Figures, with the axes and values of the result tables."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

import ccsim
from tests.conftest import BASE_YAML


@pytest.fixture(scope="module")
def res():
    return ccsim.simulate(ccsim.load_scenario(yaml.safe_load(BASE_YAML)), replications=2, seed=1)


def _line(ax, label):
    return next(line for line in ax.lines if line.get_label() == label)


def test_service_level_plots_the_interval_table_in_percent(res):
    fig = res.plot.service_level()
    ax = fig.axes[0]
    assert ax.get_ylabel() == "service level (% within threshold)"
    assert ax.get_title() == f"{res.scenario.name}: service level per interval"
    total = res.intervals[res.intervals.queue == "ALL"]["service_level"].to_numpy()
    assert np.allclose(_line(ax, "all queues").get_ydata()[:-1], 100 * total)
    assert len(total) == 4 and 0 < total.mean() < 1


def test_volumes_stack_answered_and_abandoned(res):
    ax = res.plot.volumes(title="volumes").axes[0]
    assert ax.get_title() == "volumes"
    total = res.intervals[res.intervals.queue == "ALL"]
    heights = [p.get_height() for p in ax.patches]
    assert np.allclose(heights[:len(total)], total["answered"])
    assert np.allclose(heights[len(total):2 * len(total)], total["abandoned"])


def test_waits_and_occupancy_label_their_units(res):
    waits = res.plot.waits().axes[0]
    assert waits.get_xlabel().startswith("wait before answer (")
    assert [t.get_text() for t in waits.get_yticklabels()] == list(res.kpis.index)
    occ = res.plot.occupancy().axes[0]
    assert occ.get_ylabel() == "occupancy (% of present time busy)"
    g = res.group_intervals
    first = g.group.iloc[0]
    assert np.allclose(_line(occ, first).get_ydata()[:-1], 100 * g.loc[g.group == first, "occupancy"], equal_nan=True)


def test_plots_are_not_left_open_in_pyplot(res):
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    res.plot.service_level()
    assert len(plt.get_fignums()) == before
