"""Time the weekly roster of the bundled case: one week of 96 fifteen-minute intervals a day,
three agent groups (data/roster.yml against the Erlang requirement of the forecast of
data/history.csv), solved by HiGHS (scipy.optimize.milp, the solver ccsim uses) and, when OR-Tools
is installed, by CP-SAT on the same integer program (coefficients scaled to integers).

    .venv/bin/python benchmarks/bench_roster.py [--cp-sat] [--workers 2]

Prints per group the solve time, cost and gap of each solver. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

import ccsim
from ccsim.forecast import run_forecast
from ccsim.forecast.report import write_fragment
from ccsim.staffing import roster as roster_module
from ccsim.staffing.roster import plan_roster
from ccsim.staffing.roster_model import RosterFile
from ccsim.scenario.loader import load_model

ROOT = Path(__file__).resolve().parents[1]
SCALE = 1000                 # CP-SAT needs integer coefficients: break shares are kept to 1/1000 agent


def bundled_case():
    run = run_forecast(ROOT / "data" / "history.csv", special_days=ROOT / "data" / "special_days.csv")
    folder = Path(tempfile.mkdtemp())
    path = write_fragment(run, folder / "forecast.yml", ROOT / "data" / "center.yml")
    sc = ccsim.load_scenario(path)
    plan = ccsim.staff(sc)
    required = {g: part.required.to_numpy() for g, part in plan.groups.groupby("group", sort=False)}
    return plan.scenario, required


def cp_sat(workers: int):
    """A stand-in for scipy's milp that solves the same program with CP-SAT."""
    from ortools.sat.python import cp_model

    def solve(c, integrality, bounds, constraints, options):
        model = cp_model.CpModel()
        lo, hi = bounds.lb, np.where(np.isinf(bounds.ub), 10**6, bounds.ub)
        xs = [model.NewIntVar(int(lo[j]), int(hi[j]), f"x{j}") for j in range(len(c))]
        a = constraints.A.tocsr()
        for r in range(a.shape[0]):
            cols, vals = a.indices[a.indptr[r]:a.indptr[r + 1]], a.data[a.indptr[r]:a.indptr[r + 1]]
            expr = sum(int(round(v * SCALE)) * xs[j] for j, v in zip(cols, vals))
            if np.isfinite(constraints.lb[r]):
                model.Add(expr >= int(np.ceil(constraints.lb[r] * SCALE - 1e-6)))
            if np.isfinite(constraints.ub[r]):
                model.Add(expr <= int(np.floor(constraints.ub[r] * SCALE + 1e-6)))
        model.Minimize(sum(int(round(v * 100)) * xs[j] for j, v in enumerate(c) if v))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = options["time_limit"]
        solver.parameters.relative_gap_limit = options["mip_rel_gap"]
        solver.parameters.num_workers = workers
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return SimpleNamespace(x=None, status=2 if status == cp_model.INFEASIBLE else 1, message=solver.StatusName(status))
        bound, value = solver.BestObjectiveBound(), solver.ObjectiveValue()
        return SimpleNamespace(x=np.array([solver.Value(v) for v in xs], dtype=float),
                               status=0 if status == cp_model.OPTIMAL else 1, message=solver.StatusName(status),
                               mip_gap=abs(value - bound) / max(abs(value), 1e-9))
    return solve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cp-sat", action="store_true", help="also solve with OR-Tools CP-SAT")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT search workers")
    args = parser.parse_args()
    sc, required = bundled_case()
    spec = load_model(ROOT / "data" / "roster.yml", RosterFile)
    n = {g: v.size for g, v in required.items()}
    print(f"bundled case: {len(required)} groups, {sc.intervals_per_day} intervals a day, 7 days "
          f"({', '.join(f'{g}: {len(spec.groups[g].agent_names(g))} agents' for g in required)})")
    solvers = [("HiGHS", roster_module.milp)]
    if args.cp_sat:
        solvers.append(("CP-SAT", cp_sat(args.workers)))
    original = roster_module.milp
    try:
        for name, solve in solvers:
            roster_module.milp = solve
            for group in required:
                one = RosterFile.model_validate({**spec.model_dump(), "groups": {group: spec.groups[group].model_dump()}})
                start = time.perf_counter()
                result = plan_roster(sc, one, required).groups[group]
                took = time.perf_counter() - start
                print(f"{name:7s} {group:14s} {took:6.1f} s  cost {result.cost + result.under_cost:10,.0f}  "
                      f"headcount {result.headcount:3d}  {result.status} (gap {100 * result.gap:.2f}%)  [{n[group]} intervals]")
    finally:
        roster_module.milp = original


if __name__ == "__main__":
    main()
