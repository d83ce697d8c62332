"""The harness itself: a user mistake exits 2 with a message, and a good command exits 0."""

from tests.badinput.cli import assert_clean_error, run_cli


def test_missing_file_is_a_clean_error(tmp_path):
    assert_clean_error(run_cli("validate", tmp_path / "nope.yml"), "nope.yml", "file not found")


def test_valid_scenario_exits_zero():
    result = run_cli("validate", "scenarios/hotline.yml")
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr
