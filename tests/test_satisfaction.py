"""CSAT and NPS from the scenario's satisfaction model: exact on deterministic cases, equal to
an independent per-customer count on a random one, clipped, checked and alerted."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import ccsim
from ccsim.errors import ScenarioError
from ccsim.kpis import CUSTOMER_KPIS, customer_kpis
from ccsim.model.states import ABANDONED, CALLBACK, DONE, FRESH
from ccsim.scenario.satisfaction import EXPERIENCES
from tests.model.helpers import full_records

RATING = {
    "satisfied": {"base": 0.9, "late_answer": -0.15, "abandoned": -0.5, "transferred": -0.1, "repeat": -0.05,
                  "unresolved": -0.2},
    "promoter": {"base": 0.55, "late_answer": -0.2, "abandoned": -0.4, "transferred": -0.15},
    "detractor": {"base": 0.05, "late_answer": 0.1, "abandoned": 0.5, "unresolved": 0.2},
}


def _center(staff: int, **queue) -> dict:
    return {
        "name": "rated", "horizon": {"start": "08:00", "end": "12:00"}, "interval": "60m",
        "queues": {"help": {"arrivals": {"per_hour": 40}, "handle_time": {"dist": "deterministic", "value": 60},
                            **queue}},
        "agent_groups": {"team": {"skills": ["help"], "staff": staff}},
        "satisfaction": copy.deepcopy(RATING),
    }


def _all(res: ccsim.Results, kpi: str) -> float:
    return res.customers.loc["ALL", kpi]


def test_a_flawless_experience_rates_the_base():
    res = ccsim.simulate(_center(20), replications=2, seed=1)
    assert res.kpis.loc["ALL", "abandoned"] == 0 and res.kpis.loc["ALL", "service_level"] == 1.0
    assert _all(res, "csat") == pytest.approx(0.9, abs=1e-12)
    assert _all(res, "promoters") == pytest.approx(0.55, abs=1e-12)
    assert _all(res, "detractors") == pytest.approx(0.05, abs=1e-12)
    assert _all(res, "nps") == pytest.approx(50.0, abs=1e-9)


def test_everyone_abandoning_rates_base_plus_the_effects_and_detractors_fit_what_promoters_leave():
    res = ccsim.simulate(_center(0, patience={"dist": "deterministic", "value": 60}), replications=2, seed=1)
    assert res.kpis.loc["ALL", "answered"] == 0 and res.customers.loc["ALL", "customers"] > 100
    assert _all(res, "csat") == pytest.approx(0.9 - 0.5 - 0.05 * 0 - 0.2, abs=1e-12)
    assert _all(res, "promoters") == pytest.approx(0.15, abs=1e-12)
    assert _all(res, "detractors") == pytest.approx(min(0.05 + 0.5 + 0.2, 1 - 0.15), abs=1e-12)
    assert _all(res, "nps") == pytest.approx(100 * (0.15 - 0.75), abs=1e-9)


def test_probabilities_are_clipped_to_zero():
    sc = _center(0, patience={"dist": "deterministic", "value": 60})
    sc["satisfaction"] = {"satisfied": {"base": 0.1, "abandoned": -0.9, "unresolved": -0.9}}
    res = ccsim.simulate(sc, replications=1, seed=1)
    assert _all(res, "csat") == 0.0 and np.isnan(_all(res, "nps"))


def _by_hand(plan, rec) -> float:
    """CSAT of all judged customers, counted one customer at a time from the records."""
    c, legs = rec.contacts, rec.legs
    base, *effects = plan.satisfaction[0]
    total, judged = 0.0, 0
    for i in np.flatnonzero((c["kind"] == FRESH) & (c["attempt"] == 1)):
        mine = np.flatnonzero(c["customer"] == c["customer"][i])
        if (c["at_end"][mine] != DONE).any():
            continue
        their_legs = np.isin(legs["contact"], mine)
        wait = c["answer_s"][i] - c["arrival_s"][i]
        had = {"late_answer": bool(wait > plan.threshold_s[c["queue"][i]]),
               "abandoned": bool((legs["outcome"][their_legs] == ABANDONED).any()),
               "callback": bool((legs["outcome"][their_legs] == CALLBACK).any()),
               "transferred": bool((c["transfers"][mine] > 0).any()),
               "escalated": bool((c["escalations"][mine] > 0).any()),
               "repeat": len(mine) > 1, "unresolved": not c["resolved"][mine].any(), "late_resolution": False}
        p = base + sum(e for e, name in zip(effects, EXPERIENCES) if had[name])
        total += min(max(p, 0.0), 1.0)
        judged += 1
    return total / judged


def test_csat_equals_a_count_customer_by_customer():
    sc = _center(2, patience={"dist": "exponential", "mean": 120}, fcr=0.7,
                 transfers=[{"to": "help", "probability": 0.2}],
                 unresolved={"repeat": {"probability": 0.8, "delay": {"dist": "exponential", "mean": 1200},
                                        "max_attempts": 3}})
    sc["queues"]["help"]["handle_time"] = {"dist": "exponential", "mean": 150}
    res = ccsim.simulate(sc, replications=2, seed=4)
    for rec in full_records(res):
        got = customer_kpis(res.plan, rec)[-1, CUSTOMER_KPIS.index("csat")]
        assert got == pytest.approx(_by_hand(res.plan, rec), abs=1e-12)
    assert 0.3 < _all(res, "csat") < 0.85


def test_alert_lines_become_warnings():
    sc = _center(0, patience={"dist": "deterministic", "value": 60})
    sc["satisfaction"]["alerts"] = {"csat": 0.8, "fcr": 0.7}
    res = ccsim.simulate(sc, replications=1, seed=1)
    assert "all customers: CSAT 20.0% is below the alert line of 80%" in res.warnings
    assert "customers entering at help: FCR 0.0% is below the alert line of 70%" in res.warnings


@pytest.mark.parametrize("change, path, fragment", [
    ({"promoter": {"base": 0.5}}, "satisfaction", "give both promoter and detractor"),
    ({"satisfied": {"base": 0.9, "abandoned": -2}}, "satisfaction.satisfied.abandoned", "greater than or equal to -1"),
    ({"satisfied": {"base": 0.9, "rude_agent": -0.1}}, "satisfaction.satisfied", "rude_agent"),
])
def test_bad_models_are_refused_naming_the_field(change, path, fragment):
    sc = _center(2)
    sc["satisfaction"] = {"satisfied": {"base": 0.9}, **change}
    with pytest.raises(ScenarioError) as err:
        ccsim.load_scenario(sc)
    assert path in str(err.value) and fragment in str(err.value)


def _drop_alert(points: float | None) -> dict:
    base = _center(20)
    if points is not None:
        base["satisfaction"]["alerts"] = {"nps_drop": points}
    return base


def test_compare_warns_when_a_variants_nps_drops_past_the_alert_line():
    # the baseline rates NPS 50 exactly; everyone abandoning rates 100 x (0.15 - 0.75) = -60 in every
    # replication, so the paired difference is -110 with a CI of zero width
    abandoning = _center(0, patience={"dist": "deterministic", "value": 60}) | {"name": "abandoning"}
    same = _center(20) | {"name": "same"}
    c = ccsim.compare([_drop_alert(5), abandoning, same], replications=3, seed=2)
    assert c.warnings == ["abandoning: NPS -60.0 is 110.0 points below the baseline's 50.0 (paired difference "
                          "-110.0, 95% CI -110.0 to -110.0), past the alert line of a 5-point drop"]
    assert ccsim.compare([_drop_alert(None), abandoning], replications=2, seed=2).warnings == []
    assert ccsim.compare([_drop_alert(120), abandoning], replications=2, seed=2).warnings == []


def test_compare_prints_the_nps_drop_warning_and_puts_it_in_json(tmp_path):
    import json

    import yaml

    from tests.badinput.cli import run_cli

    base, variant = tmp_path / "base.yml", tmp_path / "variant.yml"
    base.write_text(yaml.safe_dump(_drop_alert(5)), encoding="utf-8")
    variant.write_text(yaml.safe_dump(_center(0, patience={"dist": "deterministic", "value": 60})
                                      | {"name": "abandoning"}), encoding="utf-8")
    table = run_cli("compare", base, variant, "-r", 2)
    assert table.returncode == 0, table.stderr
    assert "warning: abandoning: NPS -60.0 is 110.0 points below the baseline's 50.0" in " ".join(table.stderr.split())
    done = run_cli("compare", base, variant, "-r", 2, "--format", "json", "--out", tmp_path / "out")
    assert json.loads(done.stdout)["warnings"][0].startswith("abandoning: NPS -60.0 is 110.0 points below")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert '<section id="warnings">' in html and "past the alert line of a 5-point drop" in html


def test_an_nps_drop_line_must_be_points_above_zero():
    sc = _drop_alert(0)
    with pytest.raises(ScenarioError, match=r"satisfaction\.alerts\.nps_drop"):
        ccsim.load_scenario(sc)
