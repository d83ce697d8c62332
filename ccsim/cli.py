"""The `ccsim` command line: parse arguments, call the Python API, print. Nothing else."""

from __future__ import annotations

import importlib
import json
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ccsim.arguments import SEED_MAX
from ccsim.errors import CcsimError
from ccsim.serve import DEFAULT_HOST, DEFAULT_PORT      # constants only: the web app loads in the command


class _LazyModule:
    """A module imported on first attribute access, so that `ccsim --help` and `ccsim validate`
    do not pay for numpy."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


np = _LazyModule("numpy")

FORMATS = click.Choice(["table", "json", "csv"])
FORMAT_HELP = "table: KPI tables; json: one JSON object on stdout; csv: long-format KPIs on stdout."
RUN_FORMATS = click.Choice(["table", "json", "csv", "parquet"])
RUN_FORMAT_HELP = FORMAT_HELP + " parquet: the tables as Parquet files in --out instead of CSV, nothing on stdout."
SEED = click.IntRange(min=0, max=SEED_MAX)
SEED_HELP = "Base random seed, 0 to 2**63-1"


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    """Tables on stdout; when piped to a file, wide enough that names and numbers are not cut."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=max(console.width, 160))


@contextmanager
def _progress_bar(err: Console, shown: bool) -> Iterator:
    """A transient progress bar on stderr, or None when `shown` is false (no terminal, or not a table)."""
    if not shown:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        yield bar


INTERRUPTED = 130                 # 128 + SIGINT, as shells report a Ctrl-C


@contextmanager
def _clean_exit() -> Iterator[None]:
    """User mistakes exit with status 2 and one line per problem on stderr, never a traceback;
    file-system errors (a file that cannot be read or written) are user mistakes too. Ctrl-C
    exits 130 with one line."""
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            yield
    except CcsimError as exc:
        for line in str(exc).splitlines():
            click.echo(f"error: {line}", err=True)
        sys.exit(2)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"error: {exc.strerror or exc}{where}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(INTERRUPTED)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A Python warning from the library (e.g. a long run ahead) as one line on stderr."""
    click.echo(f"warning: {message}", err=True)


@contextmanager
def _blamed_on(file: Path) -> Iterator[None]:
    """Problems found in an already loaded scenario name its file."""
    from ccsim.errors import ScenarioError

    try:
        yield
    except ScenarioError as exc:
        raise exc.with_file(str(file)) from None


def _fail_cleanly(command: Callable) -> Callable:
    """Run `command` under `_clean_exit`."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        with _clean_exit():
            return command(*args, **kwargs)

    return wrapper


class _Commands(click.Group):
    """The `ccsim` group: every command, and click's own parsing, runs under `_clean_exit`."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with _clean_exit():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _clean_exit():
            return super().invoke(ctx)


def _check_out(ctx: click.Context, param: click.Parameter, out_dir: Path | None) -> Path | None:
    """Check `--out` while parsing, before any simulation, so that no result is lost to a folder
    that cannot be written (OutputError, exit 2)."""
    if out_dir is not None:
        from ccsim.atomic import check_out_dir

        check_out_dir(out_dir, "--out")
    return out_dir


SCHEDULER_ENV = ["CCSIM_SCHEDULER", "DASK_SCHEDULER_ADDRESS"]       # read in this order


def _scheduler_option(command: Callable) -> Callable:
    """`--scheduler tcp://HOST:PORT`: run the replications on that Dask cluster."""
    return click.option("--scheduler", metavar="ADDRESS", envvar=SCHEDULER_ENV, show_envvar=True,
                        help="Dask scheduler (tcp://HOST:8786) whose workers run the replications; "
                             "results do not depend on it. Needs ccsim[dask].")(command)


def _workers_option(command: Callable) -> Callable:
    """`--workers W`: local worker processes."""
    return click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
                        help="Worker processes; results do not depend on it.")(command)


@contextmanager
def _executor(scheduler: str | None) -> Iterator[Any]:
    """A client of the Dask scheduler at `scheduler`, closed at the end, or None (run locally)."""
    if not scheduler:
        yield None
        return
    from ccsim.executors import connect

    with connect(scheduler) as client:
        yield client


class DurationType(click.ParamType):
    """Seconds, or a duration string such as 20s, 4m30s, 2h."""

    name = "duration"

    def convert(self, value, param, ctx):
        from ccsim.units import parse_duration

        if isinstance(value, float):
            return value
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class AgentsType(click.ParamType):
    """A number of agents, or an inclusive range FROM:TO."""

    name = "agents"

    MAX_ROWS = 10_000       # agent counts one range may list

    def convert(self, value, param, ctx):
        from ccsim.erlang_checks import MAX_AGENTS

        if isinstance(value, np.ndarray):
            return value
        try:
            low, _, high = str(value).partition(":")
            low, high = int(low), int(high or low)
        except ValueError:
            self.fail(f"expected a whole number or a range such as 20:30, got {value!r}", param, ctx)
        if not 0 <= low <= high <= MAX_AGENTS:
            self.fail(f"expected whole numbers 0 <= FROM <= TO <= {MAX_AGENTS}, got {value!r}", param, ctx)
        if high - low + 1 > self.MAX_ROWS:
            self.fail(f"a range lists at most {self.MAX_ROWS} agent counts, got {high - low + 1} in {value!r}",
                      param, ctx)
        return np.arange(low, high + 1)


DURATION = DurationType()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ccsim")
def main() -> None:
    """ccsim: contact-center staffing simulation and Erlang analytics."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replications", "-r", type=click.IntRange(min=1), help="Independent replications [scenario's].")
@click.option("--seed", "-s", type=SEED, help=f"{SEED_HELP} [scenario's].")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes; results do not depend on it.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), callback=_check_out,
              help="Directory for report.html (charts embedded), the PNG charts, CSV files and summary.json.")
@click.option("--format", "-f", "fmt", type=RUN_FORMATS, default="table", show_default=True,
              help=RUN_FORMAT_HELP)
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Override a scenario key, e.g. --set queues.billing.handle_time.mean=210 (repeatable).")
@click.option("--force", is_flag=True, help="Run even when the size estimate exceeds this machine's limits.")
@click.option("--records", is_flag=True,
              help="Keep per-contact and per-leg records of every replication, written as Parquet to OUT/records/.")
@click.option("--records-first", type=click.IntRange(min=1), metavar="K",
              help="Keep the records of the first K replications only (implies --records).")
@_scheduler_option
@_fail_cleanly
def run(scenario: Path, replications: int | None, seed: int | None, workers: int,
        out_dir: Path | None, fmt: str, assignments: tuple[str, ...], force: bool, records: bool,
        records_first: int | None, scheduler: str | None) -> None:
    """Simulate SCENARIO and print KPIs with 95% confidence intervals."""
    from ccsim.atomic import nearest_existing
    from ccsim.records import RecordStore
    from ccsim.report.export import long_table, to_json, write_outputs
    from ccsim.report import tables
    from ccsim.scenario import load_scenario
    from ccsim.scenario.variants import parse_assignment
    from ccsim.simulate import simulate

    kept = records_first or records
    if (kept or fmt == "parquet") and out_dir is None:
        raise click.UsageError(f"{'--records' if kept else '--format parquet'} writes Parquet files and needs --out DIR")
    overrides = dict(parse_assignment(a) for a in assignments)
    sc = load_scenario(scenario, overrides)
    total = replications or sc.replications
    err = _stderr()
    with _blamed_on(scenario), _executor(scheduler) as executor, \
            _progress_bar(err, fmt == "table" and err.is_terminal) as bar:
        task = None if bar is None else bar.add_task(f"simulating {sc.name}", total=total)
        store = RecordStore(near=nearest_existing(out_dir.parent)) if kept else None
        res = simulate(sc, replications, seed, workers, force=force, executor=executor, records=kept,
                       records_dir=store,
                       progress=None if bar is None else lambda done, _: bar.update(task, completed=done))
    if fmt != "json":
        for warning in res.warnings:
            err.print(f"[yellow]warning:[/] {warning}")
    if fmt == "json":
        click.echo(to_json(res, overrides))
    elif fmt == "csv":
        click.echo(long_table(res).to_csv(index=False), nl=False)
    elif fmt == "table":
        from ccsim.report.answer import terminal
        from ccsim.summary import run_summary

        out = _stdout()
        out.print(terminal(run_summary(res)))
        out.print(tables.kpi_table(res, overrides))
        out.print(tables.group_table(res))
        if len(res.plan.channels_used) > 1:
            out.print(tables.channel_table(res))
        if tables.uses_flows(res):
            out.print(tables.flow_table(res))
            out.print(tables.customer_table(res))
        if res.plan.process_names:
            out.print(tables.stage_table(res))
        if not res.pilot.empty:
            out.print(tables.pilot_table(res))
        if res.plan.penalties.any():
            out.print(tables.cost_table(res))
    if out_dir is not None:
        written = write_outputs(res, out_dir, overrides=overrides, parquet=fmt == "parquet")
        if fmt in ("table", "parquet"):
            err.print(f"wrote {len(written)} files to {out_dir}")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per problem on stderr; json: one object on stdout "
                   "(file, valid, problems, warnings, summary), for tools.")
@_fail_cleanly
def validate(scenario: Path, fmt: str) -> None:
    """Check SCENARIO; exit 0 if it is valid, 2 with one line per problem if not."""
    if fmt == "json":
        report = _validation_report(scenario)
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        sys.exit(0 if report["valid"] else 2)
    sc, found = _checked(scenario)
    for warning in found:
        click.echo(f"warning: {scenario}: {warning.path}: {warning.message}", err=True)
    click.echo(f"{scenario}: ok — {sc.name!r}: {len(sc.queues)} queues, {len(sc.agent_groups)} agent groups, "
               f"{sc.n_intervals} intervals of {sc.interval / 60:g} min")


def _checked(scenario: Path) -> tuple[Any, list]:
    """The loaded scenario and its load warnings; raises ScenarioError for a scenario that cannot run."""
    from ccsim.budget import check_size
    from ccsim.scenario import load_scenario, load_warnings

    sc = load_scenario(scenario)
    check_size(sc, file=str(scenario))   # sizes this machine cannot run, before the per-interval warnings
    return sc, load_warnings(sc)


def _validation_report(scenario: Path) -> dict[str, Any]:
    """`validate --format json`: {file, valid, problems, warnings, summary}, each problem and
    warning {file, line, path, message}; summary is null for an invalid scenario."""
    from ccsim.errors import Problem, ScenarioError

    def entry(p: Problem) -> dict[str, Any]:
        return {"file": p.file or str(scenario), "line": p.line, "path": p.path, "message": p.message}

    problems, found, summary = [], [], None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            sc, found = _checked(scenario)
        except ScenarioError as exc:
            problems = exc.problems
        except (CcsimError, OSError) as exc:
            problems = [Problem("", str(exc), file=str(scenario))]
        else:
            summary = {"name": sc.name, "queues": list(sc.queues), "agent_groups": list(sc.agent_groups),
                       "processes": list(sc.processes), "intervals": sc.n_intervals, "interval_s": sc.interval,
                       "days": sc.horizon.days, "replications": sc.replications, "seed": sc.seed}
    found = [*found, *(Problem("", str(w.message)) for w in caught if issubclass(w.category, UserWarning))]
    return {"file": str(scenario), "valid": not problems, "problems": [entry(p) for p in problems],
            "warnings": [entry(w) for w in found], "summary": summary}


@main.command()
@click.option("--templates", is_flag=True, help="The shift-template file's schema (ccsim staff --shifts) instead.")
@_fail_cleanly
def schema(templates: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of the scenario format, for editors and tools.

    The same schema ships with ccsim (ccsim/scenario/scenario.schema.json); a scenario's first line
    `# yaml-language-server: $schema=PATH` lets editors complete and check it.
    """
    from ccsim.scenario.schema import scenario_schema, schema_text, templates_schema

    click.echo(schema_text(templates_schema() if templates else scenario_schema()), nl=False)


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replications", "-r", type=click.IntRange(min=2), help="Replications [the baseline's].")
@click.option("--seed", "-s", type=SEED, help=f"{SEED_HELP}, shared by all [the baseline's].")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes; results do not depend on it.")
@click.option("--precision", type=click.FloatRange(0, 1, min_open=True),
              help="Add replications until the overall service-level difference is known to ± this.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), callback=_check_out,
              help="Directory for report.html, the charts, comparison.csv, cost_benefit.csv and each scenario's CSVs.")
@click.option("--format", "-f", "fmt", type=FORMATS, default="table", show_default=True, help=FORMAT_HELP)
@click.option("--force", is_flag=True, help="Run even when the size estimate exceeds this machine's limits.")
@click.option("--objective", metavar="KPI",
              help="Decision rule: the KPI to optimize [the baseline's decision.objective, else total_cost].")
@click.option("--must-meet", "must_meet", multiple=True, metavar="KPI",
              help="Decision rule: a KPI every recommended scenario must meet (repeatable) "
                   "[the baseline's decision.must_meet, else service_level].")
@click.option("--restaff", is_flag=True,
              help="Also staff the baseline and each variant without a pilot to the same targets by the simulation "
                   "search, and price the re-staffed variants against the re-staffed baseline (labour savings).")
@_scheduler_option
@_fail_cleanly
def compare(scenarios: tuple[Path, ...], replications: int | None, seed: int | None, workers: int,
            precision: float | None, out_dir: Path | None, fmt: str, force: bool, objective: str | None = None,
            must_meet: tuple[str, ...] = (), restaff: bool = False, scheduler: str | None = None) -> None:
    """Compare BASELINE.yml with VARIANT.yml ... : KPIs side by side, paired differences with 95% CIs.

    \b
    ccsim compare scenarios/hotline.yml scenarios/pilot_training.yml scenarios/rollout_training.yml
    """
    from ccsim.compare import compare as run_compare
    from ccsim.decision import check_rule, recommend
    from ccsim.report.answer import decision_terminal
    from ccsim.report.export import comparison_json, write_comparison
    from ccsim.report.tables import comparison_table, cost_benefit_tables

    if len(scenarios) < 2:
        raise click.UsageError("give a baseline and at least one variant")
    check_rule(objective, must_meet)                  # before any simulation
    err = _stderr()
    if restaff and fmt == "table":
        err.print("re-staffing the baseline and each change by the simulation search (--restaff)")
    with _executor(scheduler) as executor, _progress_bar(err, fmt == "table" and err.is_terminal) as bar:
        tasks: dict[str, int] = {}                 # one bar per scenario, kept when --precision adds replications

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(f"simulating {name}", total=total)
            bar.update(tasks[name], completed=done, total=total)

        comparison = run_compare(scenarios, replications, seed, workers, precision, force=force, executor=executor,
                                 progress=None if bar is None else advance, restaff=restaff)
    decision = recommend(comparison, objective, must_meet)
    if fmt == "json":
        click.echo(comparison_json(comparison, decision))
    elif fmt == "csv":
        click.echo(comparison.table.to_csv(index=False), nl=False)
    else:
        _stdout().print(decision_terminal(decision))
        _stdout().print(comparison_table(comparison))
        for table in cost_benefit_tables(comparison):
            _stdout().print(table)
        for warning in comparison.warnings:
            err.print(f"[yellow]warning:[/] {warning}")
    if out_dir is not None:
        written = write_comparison(comparison, out_dir, decision)
        if fmt == "table":
            err.print(f"wrote {len(written)} files to {out_dir}")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--method", "-m", type=click.Choice(["erlang", "simulate"]), default="erlang", show_default=True,
              help="Analytic requirement, or corrected by simulation (multi-skill, flows, spill-over).")
@click.option("--shifts", "shifts_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Shift templates (YAML): plan shifts covering the requirement at least cost.")
@click.option("--roster", "roster_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Roster file (YAML): a week of agents per group, shift templates and weekly rules.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), callback=_check_out,
              help="Directory for report.html, CSVs, the coverage plot and the staffed scenario.")
@click.option("--replications", "-r", type=click.IntRange(min=1), default=10, show_default=True,
              help="Replications per simulation (method simulate).")
@click.option("--seed", "-s", type=SEED, help=f"{SEED_HELP} [scenario's].")
@click.option("--max-iterations", type=click.IntRange(min=1), default=60, show_default=True,
              help="Most simulations the search runs.")
@click.option("--time-budget", type=DURATION, default=300.0, show_default=True, help="Most time the search runs.")
@click.option("--max-occupancy", type=click.FloatRange(0, 1, min_open=True), help="Occupancy cap for every queue.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: staffing tables; json: one JSON object on stdout.")
@click.option("--force", is_flag=True, help="Run even when the size estimate exceeds this machine's limits.")
@_workers_option
@_scheduler_option
@_fail_cleanly
def staff(scenario: Path, method: str, shifts_file: Path | None, roster_file: Path | None, out_dir: Path | None,
          replications: int, seed: int | None, max_iterations: int, time_budget: float, max_occupancy: float | None,
          fmt: str, force: bool, workers: int, scheduler: str | None) -> None:
    """Required agents per interval for SCENARIO: Erlang per queue, optionally corrected by simulation,
    optionally turned into shifts at least cost."""
    from ccsim.report.staffing import staffing_json, staffing_tables, write_staffing
    from ccsim.scenario import load_scenario
    from ccsim.staffing import staff as plan_staff

    sc = load_scenario(scenario)
    err = _stderr()
    options = dict(method=method, shifts=shifts_file, replications=replications, seed=seed,
                   max_iterations=max_iterations, time_budget_s=time_budget, max_occupancy=max_occupancy, force=force,
                   workers=workers)
    with _blamed_on(scenario), _executor(scheduler if method == "simulate" else None) as executor, \
            _progress_bar(err, method == "simulate" and fmt == "table" and err.is_terminal) as bar:
        task = None if bar is None else bar.add_task("searching staff in simulation", total=max_iterations)
        result = plan_staff(sc, executor=executor, progress=None if bar is None else lambda done, total, note: bar.update(
            task, completed=done, description=f"searching: {note}"), **options)
    roster = None
    if roster_file is not None:
        result, roster = _rostered(result, roster_file, shifts_file)
    if fmt == "json":
        click.echo(staffing_json(result) if roster is None else _with_roster(staffing_json(result), roster))
    else:
        from ccsim.report.answer import staffing_terminal
        from ccsim.summary import staffing_summary

        out = _stdout()
        out.print(staffing_terminal(staffing_summary(result)))
        for table in staffing_tables(result):
            out.print(table)
        if roster is not None:
            from ccsim.report.roster import roster_tables

            for table in roster_tables(roster):
                out.print(table)
    if out_dir is not None and roster is not None:
        from ccsim.report.roster import write_roster

        written = write_roster(result, roster, out_dir, scenario.stem)
        if fmt == "table":
            err.print(f"wrote {len(written)} files to {out_dir}")
    elif out_dir is not None:
        written = write_staffing(result, out_dir, scenario.stem)
        if fmt == "table":
            err.print(f"wrote {len(written)} files to {out_dir}")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--vary", "vary", multiple=True, required=True, metavar="KEY=SPEC",
              help="A scenario key and its values: a range FROM:TO:STEP (inclusive) or a comma list, e.g. "
                   "--vary agent_groups.team.staff=20:40:2 (repeatable: the grid is every combination).")
@click.option("--replications", "-r", type=click.IntRange(min=1), help="Replications per point [scenario's].")
@click.option("--seed", "-s", type=SEED, help=f"{SEED_HELP}, the same for every point [scenario's].")
@_workers_option
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), callback=_check_out,
              help="Directory for sweep.csv (one row per point, queue and KPI) and the plot sweep_KPI.png.")
@click.option("--plot", "plot_kpi", metavar="KPI", default="service_level", show_default=True,
              help="Queue KPI plotted against the first swept key (with --out).")
@click.option("--queue", default="ALL", show_default=True,
              help="Queue of the terminal table, and of the plot when several keys are swept (ALL: all queues).")
@click.option("--format", "-f", "fmt", type=FORMATS, default="table", show_default=True,
              help="table: one row per point; json: one JSON object on stdout; csv: the tidy table on stdout.")
@click.option("--force", is_flag=True, help="Run even when the size estimate exceeds this machine's limits.")
@_scheduler_option
@_fail_cleanly
def sweep(scenario: Path, vary: tuple[str, ...], replications: int | None, seed: int | None, workers: int,
          out_dir: Path | None, plot_kpi: str, queue: str, fmt: str, force: bool, scheduler: str | None) -> None:
    """Simulate SCENARIO at every point of a grid of key values, with the same seed at every point.

    \b
    ccsim sweep scenarios/hotline.yml --vary agent_groups.tech_team.staff=8:14:2 \\
        --vary queues.technical.handle_time.mean=420,480
    """
    from ccsim.kpis import names
    from ccsim.report.sweep import sweep_json, sweep_table, write_sweep
    from ccsim.scenario import load_scenario
    from ccsim.sweep import axes_of, sweep as run_sweep

    if out_dir is None and click.get_current_context().get_parameter_source("plot_kpi").name == "COMMANDLINE":
        raise click.UsageError("--plot draws into the --out folder: give --out DIR too")
    if plot_kpi not in names("queue"):
        raise click.BadParameter(f"unknown queue KPI {plot_kpi!r}; allowed: {', '.join(names('queue'))}",
                                 param_hint="--plot")
    axes = axes_of(vary)
    queues = [*load_scenario(scenario).queues, "ALL"]
    if queue not in queues:
        raise click.BadParameter(f"unknown queue {queue!r}; queues: {', '.join(queues)}", param_hint="--queue")
    err = _stderr()
    with _blamed_on(scenario), _executor(scheduler) as executor, \
            _progress_bar(err, fmt == "table" and err.is_terminal) as bar:
        task = None if bar is None else bar.add_task(f"sweeping {scenario.stem}", total=None)
        result = run_sweep(scenario, axes, replications, seed, workers, executor=executor, force=force,
                           progress=None if bar is None else lambda done, total: bar.update(
                               task, completed=done, total=total))
    if fmt != "json":
        for warning in result.warnings:
            err.print(f"[yellow]warning:[/] {warning}")
    if fmt == "json":
        click.echo(sweep_json(result))
    elif fmt == "csv":
        click.echo(result.table.to_csv(index=False), nl=False)
    else:
        _stdout().print(sweep_table(result, queue))
    if out_dir is not None:
        written = write_sweep(result, out_dir, plot_kpi, queue)
        if fmt == "table":
            err.print(f"wrote {len(written)} files to {out_dir}")


@main.command()
@click.argument("history", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--days", "-d", type=click.IntRange(min=1), default=7, show_default=True,
              help="Whole days to forecast after the history.")
@click.option("--holdout", type=click.IntRange(min=0), default=7, show_default=True,
              help="Last days of history held out for the backtest (0: no backtest, no forecast_error).")
@click.option("--level", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.8, show_default=True,
              help="Coverage of the prediction intervals.")
@click.option("--special", "special_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Special days (CSV: date, kind, optional factor), in the history and ahead.")
@click.option("--trend", is_flag=True, help="Carry a log-linear trend of the weekly totals into the forecast.")
@click.option("--interval", "interval_s", type=DURATION, help="Interval length [the most common step in HISTORY].")
@click.option("--extends", "base", type=click.Path(dir_okay=False, path_type=Path),
              help="Scenario the fragment extends (handle times, agent groups), so forecast.yml runs as it is.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), callback=_check_out,
              help="Directory for forecast.csv, backtest.csv, metrics.csv, forecast.png and forecast.yml.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: backtest and daily totals; json: one JSON object on stdout.")
@_fail_cleanly
def forecast(history: Path, days: int, holdout: int, level: float, special_file: Path | None, trend: bool,
             interval_s: float | None, base: Path | None, out_dir: Path | None, fmt: str) -> None:
    """Forecast contacts per queue and interval from HISTORY (CSV: timestamp, queue, volume[, handle_time]),
    with prediction intervals, a backtest against seasonal naive, and a scenario fragment.

    \b
    ccsim forecast data/history.csv --special data/special_days.csv --out forecast/
    """
    from ccsim.forecast import run_forecast
    from ccsim.forecast.report import tables, to_json, write_forecast

    if base is not None and not base.is_file():
        raise click.BadParameter(f"file not found: {base}", param_hint="--extends")
    run = run_forecast(history, days=days, holdout_days=holdout, level=level, special_days=special_file,
                       trend=trend, interval_s=interval_s)
    err = _stderr()
    if fmt == "json":
        click.echo(to_json(run))
    else:
        for note in run.notes:
            err.print(f"[yellow]note:[/] {note}")
        out = _stdout()
        for table in tables(run):
            out.print(table)
    if out_dir is not None:
        written = write_forecast(run, out_dir, base)
        if fmt == "table":
            err.print(f"wrote {len(written)} files to {out_dir}")


def _rostered(result: Any, roster_file: Path, shifts_file: Path | None) -> tuple[Any, Any]:
    """`staff --roster`: the weekly roster of the requirement; the result staffed by it."""
    from ccsim.staffing.roster import apply_roster

    if shifts_file is not None:
        raise click.UsageError("give --shifts (shift counts per day) or --roster (a week of agents), not both")
    return apply_roster(result, roster_file)


def _with_roster(text: str, roster: Any) -> str:
    from ccsim.report.roster import roster_json

    data = json.loads(text)
    data["roster"] = roster_json(roster)
    return json.dumps(data, indent=2, default=float)


@main.command()
@click.option("--rate", required=True, type=click.FloatRange(min=0), help="Arrivals per hour.")
@click.option("--aht", required=True, type=DURATION, help="Average handle time (seconds or 4m30s).")
@click.option("--agents", type=AgentsType(), help="Agents (or FROM:TO) to evaluate.")
@click.option("--threshold", type=DURATION, default=20.0, show_default=True, help="Service-level threshold.")
@click.option("--patience", type=DURATION, help="Mean patience; switches to Erlang A (M/M/n+M).")
@click.option("--target", type=click.FloatRange(0, 1, min_open=True), help="Service-level target: required agents.")
@click.option("--asa-target", type=DURATION, help="Maximum ASA: required agents.")
@click.option("--max-abandon", type=click.FloatRange(0, 1, min_open=True), help="Maximum abandon rate (needs --patience).")
@click.option("--max-occupancy", type=click.FloatRange(0, 1, min_open=True), help="Occupancy cap for required agents.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def erlang(**options) -> None:
    """Analytic answers: Erlang C (or Erlang A with --patience) for given agents, or required agents.

    \b
    ccsim erlang --rate 120 --aht 240 --agents 25
    ccsim erlang --rate 120 --aht 240 --agents 5:12 --patience 180
    ccsim erlang --rate 120 --aht 240 --target 0.8 --threshold 20

    Traffic is limited to 1e6 Erlangs, agents to 1e9. ASA shows "unstable" (JSON null)
    when Erlang C has agents <= traffic: the queue grows without bound.
    """
    from ccsim.erlang import ErlangArgumentError

    try:
        _erlang(**options)
    except ErlangArgumentError as exc:           # name the option, not the Python argument
        options = {"rate_per_hour": "--rate", "traffic": "--rate", "target_asa": "--asa-target"}
        hints = list(dict.fromkeys(options.get(a, "--" + a.replace("_", "-")) for a in exc.arguments))
        raise click.BadParameter(exc.detail, param_hint=hints) from None


def _erlang(rate, aht, agents, threshold, patience, target, asa_target, max_abandon, max_occupancy, fmt) -> None:
    from ccsim import erlang as erl

    erl.traffic(rate, aht)                       # checks --rate and --aht before anything else
    if max_abandon is not None and patience is None:
        raise click.UsageError("--max-abandon needs --patience (abandonment is modelled by Erlang A)")
    goals = {"service_level": target, "asa": asa_target, "abandon_rate": max_abandon}
    required = {}
    if target is not None:
        required["service_level"] = erl.agents_for_service_level(rate, aht, target, threshold, patience, max_occupancy)
    if asa_target is not None:
        required["asa"] = erl.agents_for_asa(rate, aht, asa_target, patience, max_occupancy)
    if max_abandon is not None:
        required["abandon_rate"] = erl.agents_for_abandon_rate(rate, aht, max_abandon, patience, max_occupancy)
    if agents is None and not required:
        raise click.UsageError("give --agents N (or FROM:TO) to evaluate, or a target: --target, --asa-target, --max-abandon")
    if agents is None:
        needed = max(int(n) for n in required.values())
        agents = np.array([needed])
    rows = _erlang_rows(erl, rate, aht, agents, threshold, patience)
    model = "erlang_a" if patience is not None else "erlang_c"
    if fmt == "json":
        click.echo(json.dumps({
            "model": model, "rate_per_hour": rate, "aht_s": aht, "threshold_s": threshold, "patience_s": patience,
            "traffic_erlangs": rate * aht / 3600.0,
            "required_agents": {k: int(v) for k, v in required.items()},
            "targets": {k: v for k, v in goals.items() if v is not None},
            "results": rows,
        }, indent=2, default=lambda v: None if isinstance(v, float) else v))
        return
    console = _stdout()
    traffic = rate * aht / 3600.0
    console.print(f"{model.replace('_', ' ').title()}: {rate:g} contacts/h × {aht:g} s = {traffic:.2f} Erlangs"
                  + (f", mean patience {patience:g} s" if patience else ""))
    for goal, n in required.items():
        console.print(f"required agents for {goal.replace('_', ' ')} {_goal_text(goal, goals[goal], threshold)}: [bold]{int(n)}[/]")
    table = Table()
    for column in rows[0]:
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*(_fmt_erlang(k, v, abandons=patience is not None) for k, v in row.items()))
    console.print(table)


def _erlang_rows(erl, rate, aht, agents, threshold, patience) -> list[dict]:
    if patience is None:
        values = {
            "agents": agents,
            "p_wait": erl.erlang_c(rate * aht / 3600.0, agents),
            "service_level": erl.service_level(rate, aht, agents, threshold),
            "asa": erl.asa(rate, aht, agents),
            "occupancy": erl.occupancy(rate, aht, agents),
        }
    else:
        a = erl.erlang_a(rate, aht, agents, patience, threshold)
        values = {"agents": agents, **{k: a[k] for k in ("p_wait", "service_level", "asa", "p_abandon", "occupancy")}}
    arrays = {k: np.broadcast_to(np.asarray(v, dtype=float), agents.shape) for k, v in values.items()}
    return [{k: (int(v[i]) if k == "agents" else _finite(float(v[i]))) for k, v in arrays.items()}
            for i in range(agents.size)]


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


def _goal_text(goal: str, value: float, threshold: float) -> str:
    if goal == "service_level":
        return f"{100 * value:.0f}% within {threshold:g} s"
    if goal == "asa":
        return f"<= {value:g} s"
    return f"<= {100 * value:.1f}%"


def _fmt_erlang(key: str, value, abandons: bool) -> str:
    """A table cell; a missing value (JSON null) is ASA without a finite mean, said in words."""
    if value is None:
        return "none answered" if abandons else "unstable"
    if key == "agents":
        return str(value)
    if key == "asa":
        return f"{value:.1f} s"
    return f"{100 * value:.1f}%"


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default="scenarios", required=False)
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on.")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on; the default serves this machine only (anything else serves the network, "
                   "without any login).")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes per comparison, so simulations run outside the server's process; "
                   "results do not depend on it.")
@_scheduler_option
@_fail_cleanly
def serve(folder: Path, port: int, host: str, workers: int = 2, scheduler: str | None = None) -> None:
    """A local web app over FOLDER's scenarios [scenarios/]: pick a baseline, change levers, compare.

    \b
    ccsim serve scenarios --port 8050     then open http://127.0.0.1:8050
    """
    from ccsim import serve as web

    missing = web.missing()
    if missing is not None:
        raise click.UsageError(f"ccsim serve needs the {missing!r} package: {web.INSTALL_HINT}")
    import uvicorn

    from ccsim.serve.app import create_app

    with _executor(scheduler) as executor:
        local = host in ("127.0.0.1", "localhost", "::1")
        workers = 1 if executor is not None else workers        # a cluster's workers run the replications
        app = create_app(folder, workers=workers, executor=executor, **({} if local else {"hosts": ("*",)}))
        if not local:
            _stderr().print(f"serving {host}: anyone who can reach this machine can run simulations here")
        _stderr().print(f"serving {folder}/ at http://{host}:{port} (Ctrl-C stops)")
        uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
