"""A sweep as output: the compact terminal table, JSON, and the files of `--out` (sweep.csv and a
plot of one KPI against the first swept key). Reads `ccsim.sweep.Sweep`; simulates nothing."""

from __future__ import annotations

import json
from numbers import Real
from pathlib import Path

import numpy as np
from rich.table import Table

from ccsim.atomic import atomic_write, output_folder
from ccsim.kpis import kpi
from ccsim.report.export import _records, kpi_metadata
from ccsim.report.format import estimate_text
from ccsim.stats import CONFIDENCE
from ccsim.sweep import Sweep

HEADLINE = ("offered", "service_level", "asa", "wait_p90", "abandon_rate")     # the terminal table's KPIs
ALL = "ALL"


def sweep_table(sw: Sweep, queue: str = ALL) -> Table:
    """One row per point: the swept values and the headline KPIs of `queue` (± 95% CI half-width)."""
    rows = sw.table[sw.table["queue"] == queue].set_index(["point", "kpi"])
    where = "all queues" if queue == ALL else f"queue {queue}"
    table = Table(title=f"{sw.scenario}: sweep of {len(sw.points)} points, {where} — {sw.replications} "
                        f"replications each, seed {sw.seed} (± = 95% CI)")
    for key in sw.keys:
        table.add_column(key, justify="right")
    for name in HEADLINE:
        table.add_column(kpi(name, "queue").label, justify="right")
    for point, values in sw.points.iterrows():
        cells = [estimate_text(kpi(name, "queue"), *rows.loc[(point, name), ["mean", "ci_low", "ci_high"]])
                 for name in HEADLINE]
        table.add_row(*(_text(v) for v in values), *cells)
    return table


def sweep_json(sw: Sweep) -> str:
    """One JSON object: scenario, replications, seed, the axes and the tidy rows with the KPI definitions."""
    return json.dumps({"scenario": sw.scenario, "replications": sw.replications, "seed": sw.seed,
                       "confidence": CONFIDENCE, "axes": {k: list(v) for k, v in sw.axes.items()},
                       "rows": _records(sw.table), "warnings": sw.warnings,
                       "kpi_definitions": kpi_metadata(["queue"])}, indent=2, default=str)


def write_sweep(sw: Sweep, out_dir: Path | str, plot: str = "service_level", queue: str = ALL) -> list[Path]:
    """Replace `out_dir` whole with sweep.csv (the tidy table) and sweep_<plot>.png (KPI `plot`
    against the first swept key, see `sweep_figure`)."""
    from ccsim.report.plots import save_figure       # matplotlib only when files are written

    out = Path(out_dir)
    with output_folder(out) as folder:
        atomic_write(folder / "sweep.csv", lambda h: sw.table.to_csv(h, index=False))
        save_figure(sweep_figure(sw, plot, queue), folder / f"sweep_{plot}.png")
    return [out / "sweep.csv", out / f"sweep_{plot}.png"]


def sweep_figure(sw: Sweep, name: str, queue: str = ALL):
    """KPI `name` (mean and 95% CI band) against the first swept key: one line per queue when one
    key is swept (all queues in black), else one line per value of the other keys, for `queue`."""
    from ccsim.report.plots import legend_outside, plt

    k = kpi(name, "queue")
    scale = 100.0 if k.percent else 1.0
    first, others = sw.keys[0], sw.keys[1:]
    table = sw.table[sw.table["kpi"] == name]
    if others:
        table = table[table["queue"] == queue]
        labels = table[others].astype(str).agg(lambda row: ", ".join(f"{key}={v}" for key, v in zip(others, row)),
                                               axis=1)
    else:
        labels = table["queue"].map(lambda q: "all queues" if q == ALL else q)
    x_values = list(sw.axes[first])
    numeric = all(isinstance(v, Real) for v in x_values)
    position = {_text(v): (float(v) if numeric else i) for i, v in enumerate(x_values)}
    fig, ax = plt.subplots(figsize=(9, 5), constrained_layout=True)
    for label in dict.fromkeys(labels):
        line = table[labels == label]
        x = np.array([position[_text(v)] for v in line[first]])
        mean, low, high = (scale * line[c].to_numpy(dtype=float) for c in ("mean", "ci_low", "ci_high"))
        style = {"color": "black", "linewidth": 2} if label == "all queues" else {}
        drawn = ax.plot(x, mean, marker="o", label=label, **style)[0]
        ax.fill_between(x, low, high, color=drawn.get_color(), alpha=0.15, linewidth=0)
    if not numeric:
        ax.set_xticks(list(position.values()), list(position), rotation=30, ha="right")
    ax.set_xlabel(first)
    ax.set_ylabel(f"{k.label} ({'%' if k.percent else k.unit})")
    where = "" if not others else ("all queues, " if queue == ALL else f"queue {queue}, ")
    ax.set_title(f"{sw.scenario}: {k.label} against {first}\n({where}mean and 95% CI band over "
                 f"{sw.replications} replications)", fontsize=10)
    ax.grid(alpha=0.3)
    legend_outside(ax)
    return fig


def _text(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
