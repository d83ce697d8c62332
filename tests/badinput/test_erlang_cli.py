"""`ccsim erlang` refuses bad numbers with exit 2 naming the option, never hangs, never prints nan or inf."""

import json

import pytest

from tests.badinput.cli import assert_clean_error, run_cli

BASE = ("--aht", "240")
CASES = [   # arguments after `ccsim erlang`, the option the message must name, a further fragment
    (("--rate", "nan", *BASE, "--agents", "5"), "--rate", "got nan"),
    (("--rate", "inf", *BASE, "--target", "0.8"), "--rate", "got inf"),
    (("--rate", "-inf", *BASE, "--agents", "5"), "--rate", ""),
    (("--rate", "1e16", "--aht", "3600", "--target", "0.8"), "--rate", "1e+06 Erlangs"),
    (("--rate", "100", "--aht", "1e308", "--agents", "5"), "--aht", "got inf Erlangs"),
    (("--rate", "100", "--aht", "nan", "--agents", "5"), "--aht", ""),
    (("--rate", "100", "--aht", "0", "--agents", "5"), "--aht", "> 0"),
    (("--rate", "100", *BASE, "--agents", "0:1000000000"), "--agents", "at most 10000"),
    (("--rate", "100", *BASE, "--agents", "99999999999999999999"), "--agents", "1000000000"),
    (("--rate", "100", *BASE, "--agents", "2.5"), "--agents", "whole number"),
    (("--rate", "100", *BASE, "--agents", "9:3"), "--agents", "FROM <= TO"),
    (("--rate", "100", *BASE, "--agents", "5", "--threshold", "inf"), "--threshold", "finite"),
    (("--rate", "100", *BASE, "--agents", "5", "--patience", "nan"), "--patience", "finite"),
    (("--rate", "100", *BASE, "--agents", "5", "--patience", "0"), "--patience", "> 0"),
    (("--rate", "100", *BASE, "--agents", "5", "--patience", "1e300"), "--patience", "1e+08"),
    (("--rate", "100", *BASE, "--target", "nan"), "--target", "(0, 1]"),
    (("--rate", "100", *BASE, "--target", "1.5"), "--target", ""),
    (("--rate", "100", *BASE, "--asa-target", "0"), "--asa-target", "> 0"),
    (("--rate", "100", *BASE, "--asa-target", "1e-300"), "--asa-target", "not met with 133 agents"),
    (("--rate", "100", *BASE, "--max-abandon", "nan", "--patience", "60"), "--max-abandon", "(0, 1]"),
    (("--rate", "100", *BASE, "--max-abandon", "1e-300", "--patience", "60"), "--max-abandon", "not met"),
    (("--rate", "100", *BASE, "--target", "0.8", "--max-occupancy", "nan"), "--max-occupancy", "(0, 1]"),
    (("--rate", "100", *BASE, "--target", "0.8", "--max-occupancy", "1e-12"), "--max-occupancy", "1e+09 agents"),
]


@pytest.mark.parametrize(("args", "option", "fragment"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_number_is_a_clean_error_naming_the_option(args, option, fragment):
    assert_clean_error(run_cli("erlang", *args), option, fragment)


def test_unstable_erlang_c_says_so_instead_of_inf():
    table = run_cli("erlang", "--rate", "300", *BASE, "--agents", "19:21")
    assert table.returncode == 0, table.stderr
    rows = [line for line in table.stdout.splitlines() if line.strip("│ ").split(" ")[0] in ("19", "20", "21")]
    assert ["unstable" in row for row in rows] == [True, True, False]
    assert "inf" not in table.stdout.lower() and "nan" not in table.stdout.lower()
    result = run_cli("erlang", "--rate", "300", *BASE, "--agents", "0:21", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert not any(word in result.stdout for word in ("NaN", "Infinity"))
    assert [row["asa"] for row in json.loads(result.stdout)["results"]][19:] == [None, None, pytest.approx(182.6, abs=0.1)]


def test_erlang_a_without_agents_answers_nobody_in_words():
    result = run_cli("erlang", "--rate", "300", *BASE, "--agents", "0:1", "--patience", "60")
    assert result.returncode == 0, result.stderr
    assert "none answered" in result.stdout and "nan" not in result.stdout.lower()


def test_largest_traffic_still_answers():
    result = run_cli("erlang", "--rate", "3.6e8", "--aht", "10", "--target", "0.8", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["required_agents"]["service_level"] > 1_000_000
