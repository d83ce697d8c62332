"""Do two checkouts of ccsim give the same answers? Every bundled scenario, KPI by KPI, within CIs.

    .venv/bin/python tools/same_answers.py OLD_TREE [NEW_TREE] [--replications 30] [--seed 7]

Runs `ccsim run SCENARIO --format json` from each checkout (scenarios from the new one; where the
old checkout cannot read a file, both run the old checkout's own file of that name) and compares
each KPI mean of queues, agent groups and processes. Random streams may differ between versions,
so agreement means statistical agreement: a difference is flagged when it exceeds `--sigmas`
times the standard error of the difference of two independent means, taken from the two 95% CIs
(half-width / t quantile). With a few hundred KPIs some flags at 3 sigmas are
expected by chance only rarely (about 0.3% each); flags that cluster on one KPI are a real change.
Prints one row per flagged KPI and a summary per scenario; exits 1 if anything is flagged.
`--table` also prints, per scenario, the KPIs of the all-queues and all-groups rows and of each
process side by side: old and new mean with their 95% CI, and the gap in standard errors.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

from scipy import stats

SECTIONS = ("kpis", "groups", "processes")


def run(tree: Path, scenario: Path, replications: int, seed: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cli = "import sys; from ccsim.cli import main; sys.argv[0] = 'ccsim'; main()"   # older trees lack __main__
    out = subprocess.run([sys.executable, "-c", cli, "run", str(scenario), "-r", str(replications),
                          "--seed", str(seed), "--format", "json"], env=env, capture_output=True, text=True,
                         check=True, cwd=scenario.parent)
    return json.loads(out.stdout)


def cells(data: dict) -> dict[tuple[str, str, str], dict]:
    """(section, row, kpi) -> {mean, ci_low, ci_high} for every KPI with a confidence interval."""
    found = {}
    for section in SECTIONS:
        for row, kpis in (data.get(section) or {}).items():
            if isinstance(kpis, dict):
                for kpi, value in kpis.items():
                    if isinstance(value, dict) and {"mean", "ci_low", "ci_high"} <= value.keys():
                        found[section, row, kpi] = value
    return found


def standard_error(cell: dict, replications: int) -> float:
    """Standard error of a mean from its 95% Student-t interval (0 when undefined)."""
    if cell["ci_low"] is None or cell["ci_high"] is None:
        return 0.0
    return (cell["ci_high"] - cell["ci_low"]) / 2 / stats.t.ppf(0.975, replications - 1)


def print_table(rows: list[tuple[tuple[str, str, str], dict, dict, float]]) -> None:
    """KPI rows side by side: old and new mean [95% CI], and their gap in standard errors."""
    def shown(cell: dict) -> str:
        if cell["ci_low"] is None or cell["ci_high"] is None:
            return f"{cell['mean']:.4g}"
        return f"{cell['mean']:.4g} [{cell['ci_low']:.4g}, {cell['ci_high']:.4g}]"

    width = max([len("/".join(key)) for key, *_ in rows] + [3])
    print(f"    {'KPI':<{width}}  {'old mean [95% CI]':>32}  {'new mean [95% CI]':>32}  {'gap (SE)':>8}")
    for key, a, b, sigmas in rows:
        print(f"    {'/'.join(key):<{width}}  {shown(a):>32}  {shown(b):>32}  {sigmas:8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=Path(__file__).resolve().parents[1])
    parser.add_argument("--replications", "-r", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sigmas", type=float, default=3.0)
    parser.add_argument("--scenario", action="append", default=None, help="only this bundled scenario (repeatable)")
    parser.add_argument("--table", action="store_true", help="print the totals of each scenario side by side")
    args = parser.parse_args()
    flagged_total = 0
    for scenario in sorted((args.new / "scenarios").glob("*.yml")):
        if args.scenario and scenario.stem not in args.scenario:
            continue
        own = args.old.resolve() / "scenarios" / scenario.name
        try:
            old = cells(run(args.old.resolve(), scenario.resolve(), args.replications, args.seed))
        except subprocess.CalledProcessError as failed:     # e.g. it uses keys the old checkout does not know
            if not own.is_file():
                print(f"{scenario.name}: the old checkout cannot run it (exit {failed.returncode}), not compared")
                continue
            print(f"{scenario.name}: the old checkout cannot run it (exit {failed.returncode}): both run its own file")
            scenario = own
            old = cells(run(args.old.resolve(), scenario, args.replications, args.seed))
        new = cells(run(args.new.resolve(), scenario.resolve(), args.replications, args.seed))
        compared, flagged = 0, []
        table = []
        for key in sorted(old.keys() & new.keys()):
            a, b = old[key], new[key]
            if a["mean"] is None or b["mean"] is None:
                continue
            compared += 1
            se = math.hypot(standard_error(a, args.replications), standard_error(b, args.replications))
            gap = abs(b["mean"] - a["mean"])
            sigmas = gap / se if se else (0.0 if gap <= 1e-9 * max(1.0, abs(a["mean"])) else math.inf)
            if gap > args.sigmas * se and gap > 1e-9 * max(1.0, abs(a["mean"])):
                flagged.append((key, a["mean"], b["mean"], sigmas))
            if key[0] == "processes" or key[1] == "ALL":
                table.append((key, a, b, sigmas))
        missing = sorted(old.keys() ^ new.keys())
        print(f"{scenario.name}: {compared} KPIs compared, {len(flagged)} beyond {args.sigmas:g} sigmas"
              + (f", {len(missing)} only on one side" if missing else ""))
        for (section, row, kpi), a, b, z in flagged:
            print(f"    {section}/{row}/{kpi}: {a:.6g} -> {b:.6g} ({z:.1f} sigmas)")
        if args.table:
            print_table(table)
        flagged_total += len(flagged)
    return 1 if flagged_total else 0


if __name__ == "__main__":
    sys.exit(main())
