"""Size of a run before anything is allocated: contacts, intervals, agents, memory and time,
estimated from the scenario's declarations alone and held against this machine's memory.

This module owns the estimate and the verdict (refuse, warn, or go ahead); it never builds a
plan, draws arrivals or calls the scenario's per-interval views for shifts (whose cost grows
with days x intervals). The costs below were measured with `benchmarks/bench_sizes.py` (peak
resident memory and wall time of `simulate` plus the KPI tables `ccsim run` prints, as
differences between cases, Python 3.11, numpy 2, one core of a 2-core machine):

- a leg (one queue visit of a contact): ~370 B at the peak of the replication in progress, for
  the legs of one day (the first with the warmup's): a replication is simulated in chunks of a
  day's done customers, each accumulated into its KPIs and let go (`ccsim.kpis.reduce`), plus
  16 B per leg for the waits and resolution times behind percentiles, at most
  `quantiles.CAP` values per row; nothing once the replication ends, so further replications
  add no memory per contact;
  130,000 legs/s (M/M/c+M 160k/s, `hotline` and `omnichannel` 151k/s, `after_sales` 131k/s);
- an interval: ~1000 B (peak, with the KPIs of each level) and ~4.4 us per replication and per
  queue or agent group;
- a replication: ~33 KB and ~3.5 ms of fixed cost;
- an agent: ~70 B, ~1.1 us; a shift break or rest: ~700 B, ~15 us (an event per break and agent);
- the interpreter with numpy, pandas and SimPy: ~150 MB.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass

import numpy as np

from ccsim.errors import Problem, ScenarioError
from ccsim.kpis.quantiles import CAP
from ccsim.model.chunks import CHUNK_LEGS
from ccsim.scenario.models import Scenario

PEAK_BYTES_PER_LEG = 370.0
PERCENTILE_BYTES_PER_LEG = 16.0
LEGS_PER_S = 130_000.0
BYTES_PER_INTERVAL_SERIES = 1000.0      # per interval, replication and queue or agent group
SECONDS_PER_INTERVAL_SERIES = 4.4e-6
BYTES_PER_REPLICATION = 33_000.0
SECONDS_PER_REPLICATION = 3.5e-3
BYTES_PER_AGENT = 70.0
SECONDS_PER_AGENT = 1.1e-6
BYTES_PER_BREAK = 700.0
SECONDS_PER_BREAK = 1.5e-5
BASE_BYTES = 150e6

WARN_SECONDS = 180.0                    # a run estimated longer than this gets a warning
# numpy's Poisson sampler refuses a mean above this (int64 max less 10 standard deviations)
POISSON_MAX = float(np.iinfo(np.int64).max - 10 * math.sqrt(np.iinfo(np.int64).max))
# simulated times are float seconds: past this clock value a millisecond is no longer resolved
CLOCK_MAX_S = 2.0**52 * 1e-3


class SizeWarning(UserWarning):
    """A run that will take long (the message says how long, roughly)."""


@dataclass(frozen=True)
class SizeEstimate:
    """What a run of a scenario will need, roughly (within a small factor).

    `legs` per replication include the warmup and flows (transfers, repeats, process stages);
    `busiest` is the dotted key of the source bringing the most of them; `agents` the most agents
    scheduled at once (all groups); `breaks` the shift breaks and rests per replication.
    """

    replications: int
    workers: int
    intervals: int
    days: int
    legs: float
    warmup_legs: float
    busiest: str
    peak_rate: float                    # most expected arrivals in one interval (or the warmup)
    agents: float
    busiest_group: str
    breaks: float
    clock_end_s: float
    warmup_s: float
    series: int                         # queues plus agent groups

    @property
    def contacts_bytes(self) -> float:
        """The working set of the replications in progress (a finished one keeps only its KPIs):
        the legs of a day (the first with the warmup's) and up to `CHUNK_LEGS` more before the
        done customers leave, and the values behind percentiles."""
        held = min(self.legs, (self.legs - self.warmup_legs) / max(self.days, 1) + self.warmup_legs + CHUNK_LEGS)
        kept = min(self.legs, CAP * self.series)
        return (held * PEAK_BYTES_PER_LEG + kept * PERCENTILE_BYTES_PER_LEG) * min(self.workers, self.replications)

    @property
    def intervals_bytes(self) -> float:
        return self.intervals * self.series * BYTES_PER_INTERVAL_SERIES * max(self.replications, 1)

    @property
    def agents_bytes(self) -> float:
        if self.replications == 0:
            return 0.0
        return (self.agents * BYTES_PER_AGENT + self.breaks * BYTES_PER_BREAK) \
            * max(min(self.workers, self.replications), 1)

    @property
    def memory_bytes(self) -> float:
        return BASE_BYTES + self.contacts_bytes + self.intervals_bytes + self.agents_bytes \
            + BYTES_PER_REPLICATION * self.replications

    @property
    def seconds(self) -> float:
        """Wall time of the simulation, with `workers` processes sharing the replications."""
        if self.replications == 0:
            return 0.0
        one = (self.legs / LEGS_PER_S + self.intervals * self.series * SECONDS_PER_INTERVAL_SERIES
               + self.agents * SECONDS_PER_AGENT + self.breaks * SECONDS_PER_BREAK + SECONDS_PER_REPLICATION)
        return one * math.ceil(self.replications / max(min(self.workers, self.replications), 1))


def available_memory_bytes() -> int:
    """Memory this machine can give a run now: MemAvailable of /proc/meminfo, else free pages."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return 2**63 - 1        # unknown: never refuse for memory


def estimate(sc: Scenario, replications: int | None = None, workers: int = 1) -> SizeEstimate:
    """The size of simulating `sc` `replications` times (default: the scenario's; 0: no simulation,
    only the per-interval tables) on `workers` processes, from the declarations alone."""
    replications = sc.replications if replications is None else replications
    intervals = sc.intervals_per_day * sc.horizon.days
    legs = warmup = peak = 0.0
    busiest, most = "", -1.0
    sources = [(f"queues.{name}", q.arrivals, _legs_per_contact(sc, name) * (1.0 - q.deflection))
               for name, q in sc.queues.items()]
    sources += [(f"processes.{name}", p.arrivals, float(len(p.stages))) for name, p in sc.processes.items()]
    for key, arrivals, per_contact in sources:
        if arrivals is None:
            continue
        per_day, first, top = _expected_per_day(sc, arrivals)
        in_warmup = first / sc.interval * sc.warmup
        fresh = per_day * sc.horizon.days + in_warmup
        legs += fresh * per_contact
        warmup += in_warmup * per_contact
        peak = max(peak, top, in_warmup)
        if fresh > most:
            busiest, most = f"{key}.arrivals", fresh
    agents, breaks, group, most = 0.0, 0.0, "", -1.0
    for name, g in sc.agent_groups.items():
        if g.shifts is not None:
            mine = float(sum(s.count for s in g.shifts))
            breaks += sum(s.count * len(s.off_times()) * _days_worked(sc, s) for s in g.shifts)
            key = f"agent_groups.{name}.shifts"
        else:
            mine = float(max(g.staff)) if isinstance(g.staff, tuple) else float(g.staff)
            key = f"agent_groups.{name}.staff"
        agents += mine
        if mine > most:
            group, most = key, mine
    clock_end = abs(sc.horizon.start - sc.warmup) + (sc.horizon.days + 1) * 86400.0
    return SizeEstimate(replications, workers, intervals, sc.horizon.days, legs, warmup, busiest, peak, agents, group, breaks,
                        clock_end, sc.warmup, len(sc.queues) + len(sc.agent_groups))


def size_problems(est: SizeEstimate, force: bool = False, available_bytes: int | None = None) -> list[Problem]:
    """What cannot run: impossibilities always, too little memory unless `force`."""
    problems = []
    if est.clock_end_s > CLOCK_MAX_S:
        problems.append(Problem("horizon.days", (
            f"the simulated clock would reach {est.clock_end_s:.2g} s (warmup plus {est.intervals:.3g} intervals), "
            f"beyond {CLOCK_MAX_S:.2g} s where float seconds no longer resolve a millisecond; "
            "lower horizon.days or warmup")))
    if est.peak_rate > POISSON_MAX:
        problems.append(Problem(est.busiest, (
            f"about {est.peak_rate:.2g} arrivals expected in one interval, more than can be drawn "
            f"(at most {POISSON_MAX:.2g}); lower the arrivals")))
    if problems or force:
        return problems
    available = available_memory_bytes() if available_bytes is None else available_bytes
    if est.memory_bytes > available:
        problems.append(_memory_problem(est, available))
    return problems


def check_size(sc: Scenario, replications: int | None = None, workers: int = 1, force: bool = False,
               file: str | None = None) -> SizeEstimate:
    """Raise ScenarioError if simulating `sc` cannot run here (see `size_problems`), warn
    (`SizeWarning`) if it will take longer than WARN_SECONDS; return the estimate."""
    return check_sizes([sc], replications, workers, force, [file], stacklevel=4)[0]


def check_sizes(scenarios: list[Scenario], replications: int | None = None, workers: int = 1, force: bool = False,
                files: list[str | None] | None = None, stacklevel: int = 3) -> list[SizeEstimate]:
    """`check_size` for scenarios simulated one after the other whose results are all kept
    (`compare`): memory and time add up."""
    files = files or [None] * len(scenarios)
    ests = [estimate(sc, replications, workers) for sc in scenarios]
    problems = [Problem(p.path, p.message, p.line, file) for est, file in zip(ests, files)
                for p in size_problems(est, force=True)]
    if not problems and not force:
        total = sum(est.memory_bytes for est in ests) - BASE_BYTES * (len(ests) - 1)
        available = available_memory_bytes()
        if total > available:
            i = max(range(len(ests)), key=lambda k: ests[k].memory_bytes)
            problem = _memory_problem(ests[i], available, total)
            problems.append(Problem(problem.path, problem.message, file=files[i]))
    if problems:
        raise ScenarioError(problems=problems)
    seconds = sum(est.seconds for est in ests)
    if seconds > WARN_SECONDS:
        warnings.warn(long_run_text(ests[0], seconds, len(ests)), SizeWarning, stacklevel=stacklevel)
    return ests


def fits(scenarios: list[Scenario], replications: int, workers: int = 1) -> bool:
    """Whether simulating and keeping every scenario `replications` times fits in memory now."""
    ests = [estimate(sc, replications, workers) for sc in scenarios]
    return sum(est.memory_bytes for est in ests) - BASE_BYTES * (len(ests) - 1) <= available_memory_bytes()


def long_run_text(est: SizeEstimate, seconds: float | None = None, scenarios: int = 1) -> str:
    """The warning for a long run: its estimated time and what it simulates."""
    runs = f"{scenarios} scenarios x " if scenarios > 1 else ""
    return (f"this run will take about {_duration(est.seconds if seconds is None else seconds)} ({runs}"
            f"{est.replications} replications of about {est.legs:.2g} contacts over {est.intervals:,} intervals); "
            "lower the replications or the horizon to go faster")


def _memory_problem(est: SizeEstimate, available: float, total: float | None = None) -> Problem:
    parts = {"contacts": est.contacts_bytes, "intervals": est.intervals_bytes, "agents": est.agents_bytes}
    biggest = max(parts, key=parts.get)
    need = f"needs ~{_bytes(est.memory_bytes if total is None else total)} of memory, this machine has {_bytes(available)} available"
    if biggest == "contacts":
        path = ("warmup" if est.warmup_legs > est.legs / 2 else "replications" if est.replications > 1000
                else "horizon.days" if est.days > 31 else est.busiest)   # the key most out of the ordinary
        what = f"about {est.legs * max(est.replications, 1):.2g} contacts in {est.replications} replications " \
               f"of {est.intervals:,} intervals" + (f" after a warmup of {_duration(est.warmup_s)}" if est.warmup_s else "")
        fix = f"lower {path}" + ("" if path == est.busiest else f" (or {est.busiest})")
    elif biggest == "intervals":
        what = f"{est.intervals:,} intervals in {est.replications} replications"
        fix = "lower horizon.days or replications, or lengthen the interval"
        path = "replications" if est.replications > 1000 and est.days <= 31 else "horizon.days"
    else:
        what = f"about {est.agents:.3g} agents" + (
            f" taking {est.breaks:.3g} breaks" if est.breaks else "")
        fix = "lower the agents (staff or shift counts)"
        path = est.busiest_group
    return Problem(path, f"{what}: {need}; {fix}, or pass --force (force=True) to run anyway")


def _expected_per_day(sc: Scenario, arrivals) -> tuple[float, float, float]:
    """(mean expected arrivals per day, in the first interval, in the busiest interval) of an
    arrivals declaration, without expanding it over the horizon."""
    per_day = sc.intervals_per_day
    if arrivals.per_hour is not None:
        per_interval = np.full(per_day, float(arrivals.per_hour) * sc.interval / 3600.0)
    else:
        per_interval = np.asarray(arrivals.volumes, dtype=float)   # one day's, or the whole horizon's
    factors = [arrivals.day_factors.get(day, 1.0) for day in _week(sc)]
    mean_factor, top_factor = float(np.mean(factors)), float(np.max(factors))
    days = max(per_interval.size / per_day, 1.0)
    return (float(per_interval.sum()) / days * mean_factor, float(per_interval[0]) * factors[0],
            float(per_interval.max()) * top_factor)


def _week(sc: Scenario) -> list[str]:
    """The weekday names of the horizon's days, at most a week of them (factors repeat weekly)."""
    from ccsim.scenario.types import WEEKDAYS

    first = WEEKDAYS.index(sc.horizon.first_day)
    return [WEEKDAYS[(first + d) % 7] for d in range(min(sc.horizon.days, 7))]


def _days_worked(sc: Scenario, shift, exact_up_to: int = 100_000) -> int:
    """Days on which `shift` starts (counted exactly on horizons up to `exact_up_to` days)."""
    days, first = sc.horizon.days, 0 if shift.overnight else 1
    if shift.days is None or days > exact_up_to:
        return days + 1 - first
    return sum(1 for d in range(first, days + 1) if shift.works_on(d, sc.horizon.first_day))


def _legs_per_contact(sc: Scenario, name: str) -> float:
    """Rough queue visits per fresh contact: repeats, retrials, transfers and escalations."""
    q = sc.queues[name]
    visits = 1.0
    transferred = sum(t.probability for t in q.transfers)
    visits /= max(1.0 - transferred, 0.1)
    if q.escalation is not None:
        visits += 1.0
    if q.unresolved is not None and q.unresolved.repeat is not None:
        visits *= min(1.0 / max(1.0 - (1.0 - q.fcr) * q.unresolved.repeat.probability, 0.1),
                      q.unresolved.repeat.max_attempts)
    if q.retrial is not None:
        visits *= 1.0 + q.retrial.probability
    return visits


def _bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB", "PB", "EB"):
        if n < 1000 or unit == "EB":
            return f"{n:.3g} {unit}"
        n /= 1000.0
    return f"{n:.3g} EB"


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds:.2g} s"
