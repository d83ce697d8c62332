from __future__ import annotations

import numpy as np
import pytest

from ccsim.distributions import ParameterError, build_distribution, distribution_names

N = 400_000


def moments(spec, tmp_path=None):
    d = build_distribution(spec, tmp_path or ".")
    x = d.sample(np.random.default_rng(7), N)
    return d, x.mean(), x.std() / x.mean()


@pytest.mark.parametrize("spec, mean, cv", [
    ({"dist": "exponential", "mean": 240}, 240, 1.0),
    ({"dist": "lognormal", "mean": "4m", "cv": 0.8}, 240, 0.8),
    ({"dist": "gamma", "mean": 300, "cv": 0.5}, 300, 0.5),
    ({"dist": "uniform", "low": 60, "high": 180}, 120, (120 / np.sqrt(12)) / 120),
    ({"dist": "deterministic", "value": "1m"}, 60, 0.0),
    ({"dist": "lognormal", "mean": 100, "cv": 0}, 100, 0.0),
])
def test_sample_moments(spec, mean, cv):
    d, m, c = moments(spec)
    # 400k draws: the standard error of the mean is cv*mean/632, far inside 1%
    assert d.mean == pytest.approx(mean)
    assert m == pytest.approx(mean, rel=0.01)
    assert c == pytest.approx(cv, rel=0.02, abs=1e-9)


def test_empirical_from_csv_and_list(tmp_path):
    (tmp_path / "aht.csv").write_text("handle_s\n100\n200\n300\n")
    d, m, _ = moments({"dist": "empirical", "csv": "aht.csv"}, tmp_path)
    assert d.mean == 200 and m == pytest.approx(200, rel=0.01)
    x = build_distribution({"dist": "empirical", "samples": [5, "10s"]}).sample(np.random.default_rng(1), 1000)
    assert set(np.unique(x)) == {5.0, 10.0}


@pytest.mark.parametrize("spec, key", [
    ({"dist": "lognormal", "mean": 0, "cv": 1}, "mean"),
    ({"dist": "lognormal", "mean": 10, "cv": -1}, "cv"),
    ({"dist": "gamma", "mean": 10}, "cv"),
    ({"dist": "exponential", "mean": 10, "cv": 1}, "cv"),
    ({"dist": "uniform", "low": 10, "high": 5}, "high"),
    ({"dist": "nope", "mean": 1}, "dist"),
    ({"mean": 1}, "dist"),
    ({"dist": "empirical", "csv": "missing.csv"}, "csv"),
    ({"dist": "empirical", "samples": []}, "samples"),
    ({"dist": "empirical"}, "csv"),
])
def test_bad_parameters_name_the_key(spec, key):
    with pytest.raises(ParameterError) as info:
        build_distribution(spec)
    assert info.value.key == key


def test_registry_lists_builtins():
    assert {"exponential", "lognormal", "gamma", "deterministic", "uniform", "empirical"} <= set(distribution_names())
